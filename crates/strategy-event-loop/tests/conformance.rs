//! The shared checks (`workload::conformance`) on the event-loop secretary, on 1 and 2 cores:
//! the tiny days (also over real lines), the declared arrangement, ONE secretary on the thread
//! that called `run` (also when offered 2 cores), and the shape of `--primitives`.

workload::conformance::strategy_tests! {
    name: "event-loop",
    run: strategy_event_loop::run,
    arrangement: strategy_event_loop::ARRANGEMENT,
    primitives: strategy_event_loop::primitives,
    on_calling_thread: true,
}
