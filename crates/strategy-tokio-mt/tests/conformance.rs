//! The shared checks (`workload::conformance`) on the tokio work-stealing secretaries, on 1
//! and 2 cores: the tiny days (also over real lines), the declared arrangement, and the shape
//! of `--primitives` (on one worker and on two).

workload::conformance::strategy_tests! {
    name: "tokio-mt",
    run: strategy_tokio_mt::run,
    arrangement: strategy_tokio_mt::ARRANGEMENT,
    primitives: strategy_tokio_mt::primitives,
    primitives_on: [1, 2],
}
