//! The shared checks (`workload::conformance`) on the async-std secretary, on 1 and 2 cores:
//! the tiny days (also over real lines), the declared arrangement, ONE secretary on the thread
//! that called `run` (also when offered 2 cores), and the shape of `--primitives`.

workload::conformance::strategy_tests! {
    name: "async-std",
    run: strategy_async_std::run,
    arrangement: strategy_async_std::ARRANGEMENT,
    primitives: strategy_async_std::primitives,
    on_calling_thread: true,
}
