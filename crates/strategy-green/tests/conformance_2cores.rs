//! The shared checks (`workload::conformance`) on the green secretary with TWO may workers —
//! the tiny days (also over real lines), the declared arrangement — and that the work ran on
//! those two workers. (may's worker count is fixed per process: one core count per test file;
//! the primitives are checked with one worker, in `conformance_1core.rs`.)

mod common;

workload::conformance::strategy_tests! {
    name: "green",
    run: strategy_green::run,
    arrangement: strategy_green::ARRANGEMENT,
    primitives: strategy_green::primitives,
    cores: [2],
    primitives_on: [],
}

#[test]
fn works_on_two_workers() {
    common::uses_workers(2);
}
