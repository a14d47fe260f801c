//! The chunk effect on smol's one thread, and who lets a ring in while the desk is busy.
//! `yield_now` only requeues the desk, and while tasks stay ready the executor polls 200 of
//! them before `block_on` looks at the reactor (where timers fire). So a check cut into 100
//! chunks would keep every phone ringing to its end — but async-io's background thread fires
//! the ring's timer meanwhile (it takes the idle reactor after a back-off), and the phone-line
//! task joins the queue behind a few chunks. Cut into 10,000 chunks, the executor's own
//! budget shows: a ring waits for the end of a 200-poll batch, tens of chunks, not one.
//!
//! The three days run in one test, one after the other, so they never compete for a core. The
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
    let (report, _) = run_in_process("smol", strategy_smol::run, &office, 1);
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
fn rings_get_in_between_batches_or_through_the_reactor_thread() {
    let ns_per_unit = workload::work::calibrate_ns_per_unit();
    let desk_work = (CHECK_US * 1_000.0 / ns_per_unit) as u64;
    let whole = day(desk_work, desk_work);
    let (hundredth, ten_thousandth) = ((desk_work / 100).max(1), (desk_work / 10_000).max(1));
    let coarse = day(desk_work, hundredth);
    let fine = day(desk_work, ten_thousandth);
    let check = whole.span;
    eprintln!(
        "{ns_per_unit:.0} ns/unit, check {desk_work} units = {check} µs; pick-up p99 (ring \
         noticed p99): one chunk {} µs ({} µs), chunks of {hundredth} units {} µs ({} µs), \
         chunks of {ten_thousandth} units {} µs ({} µs)",
        whole.pickup_p99,
        whole.ring_p99,
        coarse.pickup_p99,
        coarse.ring_p99,
        fine.pickup_p99,
        fine.ring_p99
    );
    assert!(check > 0, "no desk span in the timeline");
    assert!(
        whole.pickup_p99 as f64 >= 0.5 * check as f64,
        "one {check} µs chunk, yet pick-up p99 only {} µs",
        whole.pickup_p99
    );
    // The background thread lets a ring in during a check of 100 chunks, far fewer than 200
    // polls (generous: within half the check; about 5-10 chunks measured).
    assert!(
        (coarse.ring_p99 as f64) < 0.5 * check as f64,
        "chunks of {hundredth} units (1/100 of the check), yet a ring was noticed {} µs late \
         at p99 (check {check} µs)",
        coarse.ring_p99
    );
    // The 200-poll budget: a ring waits tens of tiny chunks (a lower bound: load only adds).
    assert!(
        fine.ring_p99 >= 50 * fine.span.max(1),
        "chunks of {ten_thousandth} units ({} µs each), yet rings were noticed within {} µs \
         at p99: fewer than 50 chunks, no 200-poll budget?",
        fine.span,
        fine.ring_p99
    );
    assert!(
        (fine.pickup_p99 as f64) < 0.3 * check as f64,
        "chunks of {ten_thousandth} units, yet pick-up p99 {} µs (check {check} µs)",
        fine.pickup_p99
    );
}
