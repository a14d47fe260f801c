//! The chunk effect on tokio's one thread: one uninterrupted appointment check keeps every
//! phone ringing until it is done; cut into chunks with `yield_now` between them, a ring gets
//! through after about one chunk.
//!
//! "About one chunk" is tokio's own doing: `yield_now` defers the desk until the scheduler has
//! looked at its timers, so the busy desk lets every due ring in. Here a chunk is 1/100 of the
//! check; an executor that looked at its timers only every 200 polls (async-executor, behind
//! async-std and smol) would let a ring wait up to 200 such chunks — twice the whole check.
//!
//! Both days run in one test, one after the other, so they never compete for a core. The
//! bounds are relative to the check's length as measured in the run (its timeline span), so
//! a loaded machine that stretches the check stretches the bounds with it.

use workload::entry::run_in_process;
use workload::record::Doing;
use workload::spec::Arrivals;
use workload::{Office, Spec};

/// Intended length of one appointment check, µs of CPU work.
const CHECK_US: f64 = 100_000.0;
const DAY_US: u64 = 2_000_000;

/// What one day showed, all in µs.
struct Day {
    /// Pick-up p99, from the scheduled ring.
    pickup_p99: u64,
    /// How late the phone line noticed a ring, p99.
    ring_p99: u64,
    /// Median length of a desk span (a whole check, or one chunk of it).
    span: u64,
}

/// One day where each check of `desk_work` units is cut into chunks of `chunk` units.
fn day(desk_work: u64, chunk: u64) -> Day {
    let spec = Spec {
        seed: 21,
        duration_us: DAY_US,
        calls_per_s: 400.0, // ~160 calls ring while the desk is busy
        exchanges: 1,
        listen_us: 1_000,
        pickup_work: 10,
        reply_work: 10,
        patience_us: 5_000_000, // nobody hangs up: every wait is in the histogram
        appointments_per_s: 2.0, // 2 × 100 ms per second: a fifth of the one core
        appointment_arrivals: Arrivals::Periodic,
        desk_work,
        chunk,
        lines: workload::spec::Lines::Sim,
    };
    let office = Office::new(spec, Some((0, DAY_US))).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = run_in_process("tokio", strategy_tokio::run, &office, 1);
    assert_eq!(report.counters.missed_calls, 0, "{:?}", report.counters);
    let p99 = |name| {
        report
            .histogram(name)
            .unwrap_or_else(|e| panic!("{e}"))
            .value_at_quantile(0.99)
    };
    let mut desk: Vec<u64> = report
        .timeline
        .iter()
        .flat_map(|t| &t.spans)
        .filter(|s| s.doing == Doing::Desk)
        .map(|s| (s.end_ns - s.start_ns) / 1_000)
        .collect();
    desk.sort_unstable();
    Day {
        pickup_p99: p99("pickup"),
        ring_p99: p99("ring_lateness"),
        span: desk.get(desk.len() / 2).copied().unwrap_or(0),
    }
}

#[test]
fn a_long_chunk_blocks_every_phone_and_a_short_one_lets_rings_in() {
    let ns_per_unit = workload::work::calibrate_ns_per_unit();
    let desk_work = (CHECK_US * 1_000.0 / ns_per_unit) as u64;
    let whole = day(desk_work, desk_work);
    let chunk = (desk_work / 100).max(1);
    let small = day(desk_work, chunk);
    let check = whole.span;
    eprintln!(
        "{ns_per_unit:.0} ns/unit, check {desk_work} units = {check} µs: in one chunk pick-up \
         p99 {} µs (ring noticed p99 {} µs late); in chunks of {chunk} units ({} µs each) \
         pick-up p99 {} µs (ring noticed p99 {} µs late)",
        whole.pickup_p99, whole.ring_p99, small.span, small.pickup_p99, small.ring_p99
    );
    assert!(check > 0, "no desk span in the timeline");
    assert!(
        whole.pickup_p99 as f64 >= 0.5 * check as f64,
        "one {check} µs chunk, yet pick-up p99 only {} µs",
        whole.pickup_p99
    );
    // About one chunk (1/100 of the check) plus tokio's millisecond timer; generous: a tenth
    // of the check, i.e. ten chunks. A 200-poll executor would show about the whole check.
    assert!(
        (small.ring_p99 as f64) < 0.1 * check as f64,
        "chunks of {chunk} units, yet a ring was noticed {} µs late at p99 (check {check} µs)",
        small.ring_p99
    );
    assert!(
        (small.pickup_p99 as f64) < 0.1 * check as f64,
        "chunks of {chunk} units, yet pick-up p99 {} µs (check {check} µs)",
        small.pickup_p99
    );
}
