//! The shared checks (`workload::conformance`) on the green secretary with ONE may worker —
//! the tiny days (also over real lines), the declared arrangement, the shape of
//! `--primitives` — and that the work ran on that one worker. (may's worker count is fixed per
//! process: one core count per test file.)

mod common;

workload::conformance::strategy_tests! {
    name: "green",
    run: strategy_green::run,
    arrangement: strategy_green::ARRANGEMENT,
    primitives: strategy_green::primitives,
    cores: [1],
}

#[test]
fn works_on_one_worker() {
    common::uses_workers(1);
}
