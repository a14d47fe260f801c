//! Runs the shared conformance checks on the event-loop secretary, on 1 and 2 cores.

#[test]
fn conforms_on_one_core() {
    workload::conformance::check_strategy("event-loop", strategy_event_loop::run, 1);
}

#[test]
fn conforms_on_two_cores() {
    workload::conformance::check_strategy("event-loop", strategy_event_loop::run, 2);
}
