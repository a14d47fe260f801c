//! The chunk effect on smol's one thread, and who lets a ring in while the desk is busy.
//! `yield_now` only requeues the desk, and while tasks stay ready the executor polls 200 of
//! them before `block_on` looks at the reactor (where timers fire). So a check cut into 100
//! chunks would keep every phone ringing to its end — but async-io's background thread fires
//! the ring's timer meanwhile (it takes the idle reactor after a back-off), and the phone-line
//! task joins the queue behind a few chunks. Cut into 10,000 chunks, the executor's own
//! budget shows: a ring waits for the end of a 200-poll batch, tens of chunks, not one.
//!
//! The three days (`workload::conformance::chunk_day`) run in one test, one after the other,
//! so they never compete for a core. The bounds are relative to the check's length as
//! measured in the run (its timeline span), so a loaded machine that stretches the check
//! stretches the bounds with it.

use workload::conformance::{ChunkDay, check_units, chunk_day};

fn day(desk_work: u64, chunk: u64) -> ChunkDay {
    chunk_day("smol", strategy_smol::run, desk_work, chunk)
}

#[test]
fn rings_get_in_between_batches_or_through_the_reactor_thread() {
    let (ns_per_unit, desk_work) = check_units();
    let whole = day(desk_work, desk_work);
    let (hundredth, ten_thousandth) = ((desk_work / 100).max(1), (desk_work / 10_000).max(1));
    let coarse = day(desk_work, hundredth);
    let fine = day(desk_work, ten_thousandth);
    let check = whole.median_desk_span_us;
    eprintln!(
        "{ns_per_unit:.0} ns/unit, check {desk_work} units = {check} µs; pick-up p99 (ring \
         noticed p99): one chunk {} µs ({} µs), chunks of {hundredth} units {} µs ({} µs), \
         chunks of {ten_thousandth} units {} µs ({} µs)",
        whole.pickup_p99_us,
        whole.ring_p99_us,
        coarse.pickup_p99_us,
        coarse.ring_p99_us,
        fine.pickup_p99_us,
        fine.ring_p99_us
    );
    assert!(check > 0, "no desk span in the timeline");
    assert!(
        whole.pickup_p99_us as f64 >= 0.5 * check as f64,
        "one {check} µs chunk, yet pick-up p99 only {} µs",
        whole.pickup_p99_us
    );
    // The background thread lets a ring in during a check of 100 chunks, far fewer than 200
    // polls (generous: within half the check; about 5-10 chunks measured).
    assert!(
        (coarse.ring_p99_us as f64) < 0.5 * check as f64,
        "chunks of {hundredth} units (1/100 of the check), yet a ring was noticed {} µs late \
         at p99 (check {check} µs)",
        coarse.ring_p99_us
    );
    // The 200-poll budget: a ring waits tens of tiny chunks (a lower bound: load only adds).
    assert!(
        fine.ring_p99_us >= 50 * fine.median_desk_span_us.max(1),
        "chunks of {ten_thousandth} units ({} µs each), yet rings were noticed within {} µs \
         at p99: fewer than 50 chunks, no 200-poll budget?",
        fine.median_desk_span_us,
        fine.ring_p99_us
    );
    assert!(
        (fine.pickup_p99_us as f64) < 0.3 * check as f64,
        "chunks of {ten_thousandth} units, yet pick-up p99 {} µs (check {check} µs)",
        fine.pickup_p99_us
    );
}
