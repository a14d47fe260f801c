//! Runs the shared conformance checks on the green secretary with ONE may worker, and checks
//! that the work ran on that one worker. (may's worker count is fixed per process: one core
//! count per test file.)

mod common;

#[test]
fn conforms_on_one_core() {
    workload::conformance::check_strategy("green", strategy_green::run, 1);
}

#[test]
fn works_on_one_worker() {
    common::uses_workers(1);
}

#[test]
fn declared_arrangement_holds() {
    workload::conformance::check_declared(
        "green",
        strategy_green::ARRANGEMENT,
        strategy_green::run,
        1,
    );
}

#[test]
fn conforms_over_tcp_on_one_core() {
    workload::conformance::check_strategy_tcp("green", strategy_green::run, 1);
}
