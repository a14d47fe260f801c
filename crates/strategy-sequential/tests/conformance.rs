//! Runs the shared conformance checks on the sequential secretary, on 1 and 2 cores.

#[test]
fn conforms_on_one_core() {
    workload::conformance::check_strategy("sequential", strategy_sequential::run, 1);
}

#[test]
fn conforms_on_two_cores() {
    workload::conformance::check_strategy("sequential", strategy_sequential::run, 2);
}
