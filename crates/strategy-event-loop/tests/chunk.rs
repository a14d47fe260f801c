//! The deadlines are looked at after every step, so a ring waits for at most the step in
//! progress: one desk chunk. One uninterrupted check holds every phone until it is done; cut
//! into 100 chunks, a ring waits about one of them — where a runtime that looks at its timers
//! every 200 polls needs chunks of 1/10,000 of the check (`strategy-async-std`'s
//! `tests/chunk.rs`).
//!
//! Both days (`workload::conformance::chunk_day`) run in one test, one after the other. The
//! bounds are relative to the check's length as measured in the first run (its longest
//! timeline span), so a loaded machine that stretches the check stretches the bounds with it.

use workload::conformance::{check_units, chunk_day};

/// Pick-up p99 and the longest desk span, µs, of a day whose checks come in `chunk` units.
fn day(desk_work: u64, chunk: u64) -> (u64, u64) {
    let day = chunk_day("event-loop", strategy_event_loop::run, desk_work, chunk);
    (day.pickup_p99_us, day.longest_desk_span_us)
}

#[test]
fn a_ring_waits_for_one_chunk_at_most() {
    let (_, desk_work) = check_units();
    let (whole, check) = day(desk_work, desk_work);
    let chunk = (desk_work / 100).max(1);
    let (small, _) = day(desk_work, chunk);
    eprintln!(
        "check {desk_work} units = {check} µs: pick-up p99 {whole} µs in one chunk, \
         {small} µs in chunks of {chunk} units"
    );
    assert!(check > 0, "no desk span in the timeline");
    assert!(
        whole as f64 >= 0.5 * check as f64,
        "one {check} µs chunk, yet pick-up p99 only {whole} µs"
    );
    assert!(
        (small as f64) < 0.2 * check as f64,
        "chunks of 1/100 of a {check} µs check, yet pick-up p99 {small} µs"
    );
}
