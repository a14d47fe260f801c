//! The shared checks (`workload::conformance`) on the smol secretary, on 1 and 2 cores: the
//! tiny days (also over real lines), the declared arrangement, ONE secretary on the thread
//! that called `run` (also when offered 2 cores), and the shape of `--primitives`.

workload::conformance::strategy_tests! {
    name: "smol",
    run: strategy_smol::run,
    arrangement: strategy_smol::ARRANGEMENT,
    primitives: strategy_smol::primitives,
    on_calling_thread: true,
}
