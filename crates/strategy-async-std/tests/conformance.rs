//! Runs the shared conformance checks on the async-std secretary, on 1 and 2 cores.

#[test]
fn conforms_on_one_core() {
    workload::conformance::check_strategy("async-std", strategy_async_std::run, 1);
}

#[test]
fn conforms_on_two_cores() {
    workload::conformance::check_strategy("async-std", strategy_async_std::run, 2);
}
