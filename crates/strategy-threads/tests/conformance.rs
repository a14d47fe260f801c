//! Runs the shared conformance checks on the threads secretary, on 1 and 2 cores.

#[test]
fn conforms_on_one_core() {
    workload::conformance::check_strategy("threads", strategy_threads::run, 1);
}

#[test]
fn conforms_on_two_cores() {
    workload::conformance::check_strategy("threads", strategy_threads::run, 2);
}
