//! The phone never waits for the desk: a check done in ONE uninterrupted chunk (no yield at
//! all) runs on the pool while the phone thread keeps answering. The same day
//! (`workload::conformance::chunk_day`) holds every phone of a one-thread async secretary for
//! the whole check (`strategy-async-std`'s `tests/chunk.rs`). The bound is relative to the
//! check's length as measured in the run, so a loaded machine that stretches the check
//! stretches the bound with it; the test process is not pinned, so the kernel may put the
//! phone and the desk thread on different CPUs.

use workload::conformance::{check_units, chunk_day};

#[test]
fn a_long_check_does_not_hold_the_phone() {
    let (_, desk_work) = check_units();
    // One chunk: the check never yields.
    let day = chunk_day("hybrid", strategy_hybrid::run, desk_work, desk_work);
    let (p99, check) = (day.pickup_p99_us, day.median_desk_span_us);
    eprintln!("check {desk_work} units = {check} µs in one chunk: pick-up p99 {p99} µs");
    assert!(check > 0, "no desk span in the timeline");
    assert!(
        (p99 as f64) < 0.3 * check as f64,
        "one {check} µs chunk on the pool, yet pick-up p99 {p99} µs"
    );
}
