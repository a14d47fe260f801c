//! The shared checks (`workload::conformance`) on the tokio (current-thread) secretary, on 1
//! and 2 cores: the tiny days (also over real lines), the declared arrangement, ONE secretary
//! on the thread that called `run` (also when offered 2 cores), and the shape of
//! `--primitives`.

workload::conformance::strategy_tests! {
    name: "tokio",
    run: strategy_tokio::run,
    arrangement: strategy_tokio::ARRANGEMENT,
    primitives: strategy_tokio::primitives,
    on_calling_thread: true,
}
