//! Runs the shared conformance checks on the green secretary with TWO may workers, and checks
//! that the work ran on those two workers. (may's worker count is fixed per process: one core
//! count per test file.)

mod common;

#[test]
fn conforms_on_two_cores() {
    workload::conformance::check_strategy("green", strategy_green::run, 2);
}

#[test]
fn works_on_two_workers() {
    common::uses_workers(2);
}

#[test]
fn declared_arrangement_holds() {
    workload::conformance::check_declared(
        "green",
        strategy_green::ARRANGEMENT,
        strategy_green::run,
        2,
    );
}

#[test]
fn conforms_over_tcp_on_two_cores() {
    workload::conformance::check_strategy_tcp("green", strategy_green::run, 2);
}
