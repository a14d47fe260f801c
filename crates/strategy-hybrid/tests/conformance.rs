//! The shared checks (`workload::conformance`) on the hybrid secretaries, on 1 and 2 cores:
//! the tiny days (also over real lines), the declared arrangement, and the shape of
//! `--primitives`.

workload::conformance::strategy_tests! {
    name: "hybrid",
    run: strategy_hybrid::run,
    arrangement: strategy_hybrid::ARRANGEMENT,
    primitives: strategy_hybrid::primitives,
}
