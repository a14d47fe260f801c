//! Runs the shared conformance checks on the tokio work-stealing secretaries, on 1 and 2 cores.

#[test]
fn conforms_on_one_core() {
    workload::conformance::check_strategy("tokio-mt", strategy_tokio_mt::run, 1);
}

#[test]
fn conforms_on_two_cores() {
    workload::conformance::check_strategy("tokio-mt", strategy_tokio_mt::run, 2);
}
