//! The shared checks (`workload::conformance`) on the rayon secretaries, on 1 and 2 cores:
//! the tiny days (also over real lines), the declared arrangement, and the shape of
//! `--primitives` (on 1 and 2 cores).

workload::conformance::strategy_tests! {
    name: "rayon",
    run: strategy_rayon::run,
    arrangement: strategy_rayon::ARRANGEMENT,
    primitives: strategy_rayon::primitives,
    // A job cannot wait without holding its thread: two jobs pass a message on two pool
    // threads, never on one.
    primitives_on: [1 lacking ["round_trip"], 2],
}
