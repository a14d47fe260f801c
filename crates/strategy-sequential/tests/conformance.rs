//! The shared checks (`workload::conformance`) on the sequential secretary, on 1 and 2 cores:
//! the tiny days (also over real lines), the declared arrangement, and the shape of
//! `--primitives`.

workload::conformance::strategy_tests! {
    name: "sequential",
    run: strategy_sequential::run,
    arrangement: strategy_sequential::ARRANGEMENT,
    primitives: strategy_sequential::primitives,
    // One secretary doing one thing at a time: nothing to spawn, join or keep idle.
    primitives_on: [1 lacking ["spawn_join", "round_trip", "idle_memory"]],
}
