//! The chunk effect on tokio's one thread: one uninterrupted appointment check keeps every
//! phone ringing until it is done; cut into chunks with `yield_now` between them, a ring gets
//! through after about one chunk.
//!
//! "About one chunk" is tokio's own doing: `yield_now` defers the desk until the scheduler has
//! looked at its timers, so the busy desk lets every due ring in. Here a chunk is 1/100 of the
//! check; an executor that looked at its timers only every 200 polls (async-executor, behind
//! async-std and smol) would let a ring wait up to 200 such chunks — twice the whole check.
//!
//! Both days (`workload::conformance::chunk_day`) run in one test, one after the other, so
//! they never compete for a core. The bounds are relative to the check's length as measured in
//! the run (its timeline span), so a loaded machine that stretches the check stretches the
//! bounds with it.

use workload::conformance::{ChunkDay, check_units, chunk_day};

fn day(desk_work: u64, chunk: u64) -> ChunkDay {
    chunk_day("tokio", strategy_tokio::run, desk_work, chunk)
}

#[test]
fn a_long_chunk_blocks_every_phone_and_a_short_one_lets_rings_in() {
    let (ns_per_unit, desk_work) = check_units();
    let whole = day(desk_work, desk_work);
    let chunk = (desk_work / 100).max(1);
    let small = day(desk_work, chunk);
    let check = whole.median_desk_span_us;
    eprintln!(
        "{ns_per_unit:.0} ns/unit, check {desk_work} units = {check} µs: in one chunk pick-up \
         p99 {} µs (ring noticed p99 {} µs late); in chunks of {chunk} units ({} µs each) \
         pick-up p99 {} µs (ring noticed p99 {} µs late)",
        whole.pickup_p99_us,
        whole.ring_p99_us,
        small.median_desk_span_us,
        small.pickup_p99_us,
        small.ring_p99_us
    );
    assert!(check > 0, "no desk span in the timeline");
    assert!(
        whole.pickup_p99_us as f64 >= 0.5 * check as f64,
        "one {check} µs chunk, yet pick-up p99 only {} µs",
        whole.pickup_p99_us
    );
    // About one chunk (1/100 of the check) plus tokio's millisecond timer; generous: a tenth
    // of the check, i.e. ten chunks. A 200-poll executor would show about the whole check.
    assert!(
        (small.ring_p99_us as f64) < 0.1 * check as f64,
        "chunks of {chunk} units, yet a ring was noticed {} µs late at p99 (check {check} µs)",
        small.ring_p99_us
    );
    assert!(
        (small.pickup_p99_us as f64) < 0.1 * check as f64,
        "chunks of {chunk} units, yet pick-up p99 {} µs (check {check} µs)",
        small.pickup_p99_us
    );
}
