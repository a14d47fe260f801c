//! Runs the shared conformance checks on the async-std secretary, on 1 and 2 cores.

#[test]
fn conforms_on_one_core() {
    workload::conformance::check_strategy("async-std", strategy_async_std::run, 1);
}

#[test]
fn conforms_on_two_cores() {
    workload::conformance::check_strategy("async-std", strategy_async_std::run, 2);
}

#[test]
fn declared_arrangement_holds_on_one_and_two_cores() {
    for cores in [1, 2] {
        workload::conformance::check_declared(
            "async-std",
            strategy_async_std::ARRANGEMENT,
            strategy_async_std::run,
            cores,
        );
    }
}

#[test]
fn conforms_over_tcp_on_one_and_two_cores() {
    for cores in [1, 2] {
        workload::conformance::check_strategy_tcp("async-std", strategy_async_std::run, cores);
    }
}
