//! Runs the shared conformance checks on the tokio work-stealing secretaries, on 1 and 2 cores.

#[test]
fn conforms_on_one_core() {
    workload::conformance::check_strategy("tokio-mt", strategy_tokio_mt::run, 1);
}

#[test]
fn conforms_on_two_cores() {
    workload::conformance::check_strategy("tokio-mt", strategy_tokio_mt::run, 2);
}

#[test]
fn declared_arrangement_holds_on_one_and_two_cores() {
    for cores in [1, 2] {
        workload::conformance::check_declared(
            "tokio-mt",
            strategy_tokio_mt::ARRANGEMENT,
            strategy_tokio_mt::run,
            cores,
        );
    }
}

#[test]
fn conforms_over_tcp_on_one_and_two_cores() {
    for cores in [1, 2] {
        workload::conformance::check_strategy_tcp("tokio-mt", strategy_tokio_mt::run, cores);
    }
}
