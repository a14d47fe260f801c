//! The shared checks (`workload::conformance`) on the threads secretary, on 1 and 2 cores:
//! the tiny days (also over real lines), the declared arrangement, and the shape of
//! `--primitives`.

workload::conformance::strategy_tests! {
    name: "threads",
    run: strategy_threads::run,
    arrangement: strategy_threads::ARRANGEMENT,
    primitives: strategy_threads::primitives,
}
