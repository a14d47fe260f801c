//! The chunk effect: on one thread the interleaving is only as fine as the `.await` points.
//! One uninterrupted appointment check keeps every phone ringing until it is done; cut into
//! small chunks with a yield between them, the phones are answered almost at once.
//!
//! "Small" has to be small for async-std: a ring is a timer, and a busy executor thread looks
//! at its timers only every 200 task polls, so a ring can wait ~200 chunks, not one. The
//! small chunk here is 1/10,000 of the check (200 of them: 2% of it).
//!
//! Both days (`workload::conformance::chunk_day`) run in one test, one after the other, so
//! they never compete for a core. The bounds are relative to the check's length as measured in
//! the run (its timeline span), so a loaded machine that stretches the check stretches the
//! bounds with it.

use workload::conformance::{check_units, chunk_day};

fn day(desk_work: u64, chunk: u64) -> (u64, u64) {
    let day = chunk_day("async-std", strategy_async_std::run, desk_work, chunk);
    (day.pickup_p99_us, day.median_desk_span_us)
}

#[test]
fn a_long_chunk_blocks_every_phone() {
    let (ns_per_unit, desk_work) = check_units();
    let (whole, check) = day(desk_work, desk_work);
    let chunk = (desk_work / 10_000).max(1);
    let (small, _) = day(desk_work, chunk);
    eprintln!(
        "{ns_per_unit:.0} ns/unit, check {desk_work} units = {check} µs: \
         pick-up p99 {whole} µs in one chunk, {small} µs in chunks of {chunk} units"
    );
    assert!(check > 0, "no desk span in the timeline");
    assert!(
        whole as f64 >= 0.5 * check as f64,
        "one {check} µs chunk, yet pick-up p99 only {whole} µs"
    );
    assert!(
        (small as f64) < 0.3 * check as f64,
        "chunks of {chunk} units, yet pick-up p99 {small} µs (check {check} µs)"
    );
}
