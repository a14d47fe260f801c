//! The chunk effect: on one thread the interleaving is only as fine as the `.await` points.
//! One uninterrupted appointment check keeps every phone ringing until it is done; cut into
//! small chunks with a yield between them, the phones are answered almost at once.
//!
//! "Small" has to be small for async-std: a ring is a timer, and a busy executor thread looks
//! at its timers only every 200 task polls, so a ring can wait ~200 chunks, not one. The
//! small chunk here is 1/10,000 of the check (200 of them: 2% of it).
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

/// One day where each check of `desk_work` units is cut into chunks of `chunk` units:
/// pick-up p99 and the median length of a desk span, both in µs.
fn day(desk_work: u64, chunk: u64) -> (u64, u64) {
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
    let (report, _) = run_in_process("async-std", strategy_async_std::run, &office, 1);
    assert_eq!(report.counters.missed_calls, 0, "{:?}", report.counters);
    let p99 = report
        .histogram("pickup")
        .unwrap_or_else(|e| panic!("{e}"))
        .value_at_quantile(0.99);
    let mut desk: Vec<u64> = report
        .timeline
        .iter()
        .flat_map(|t| &t.spans)
        .filter(|s| s.doing == Doing::Desk)
        .map(|s| (s.end_ns - s.start_ns) / 1_000)
        .collect();
    desk.sort_unstable();
    (p99, desk.get(desk.len() / 2).copied().unwrap_or(0))
}

#[test]
fn a_long_chunk_blocks_every_phone() {
    let ns_per_unit = workload::work::calibrate_ns_per_unit();
    let desk_work = (CHECK_US * 1_000.0 / ns_per_unit) as u64;
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
