//! The deadlines are looked at after every step, so a ring waits for at most the step in
//! progress: one desk chunk. One uninterrupted check holds every phone until it is done; cut
//! into 100 chunks, a ring waits about one of them — where a runtime that looks at its timers
//! every 200 polls needs chunks of 1/10,000 of the check (`strategy-async-std`'s
//! `tests/chunk.rs`).
//!
//! Both days run in one test, one after the other. The bounds are relative to the check's
//! length as measured in the first run (its timeline span), so a loaded machine that
//! stretches the check stretches the bounds with it.

use workload::entry::run_in_process;
use workload::record::Doing;
use workload::spec::Arrivals;
use workload::{Office, Spec};

const CHECK_US: f64 = 100_000.0;
const DAY_US: u64 = 2_000_000;

/// Pick-up p99 and the longest desk span, µs, of a day whose checks come in `chunk` units.
fn day(desk_work: u64, chunk: u64) -> (u64, u64) {
    let spec = Spec {
        seed: 21,
        duration_us: DAY_US,
        calls_per_s: 400.0,
        exchanges: 1,
        listen_us: 1_000,
        pickup_work: 10,
        reply_work: 10,
        patience_us: 5_000_000, // nobody hangs up: every wait is in the histogram
        appointments_per_s: 2.0,
        appointment_arrivals: Arrivals::Periodic,
        desk_work,
        chunk,
        lines: workload::spec::Lines::Sim,
    };
    let office = Office::new(spec, Some((0, DAY_US))).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = run_in_process("event-loop", strategy_event_loop::run, &office, 1);
    assert_eq!(report.counters.missed_calls, 0, "{:?}", report.counters);
    let p99 = report
        .histogram("pickup")
        .unwrap_or_else(|e| panic!("{e}"))
        .value_at_quantile(0.99);
    let longest = report
        .timeline
        .iter()
        .flat_map(|t| &t.spans)
        .filter(|s| s.doing == Doing::Desk)
        .map(|s| (s.end_ns - s.start_ns) / 1_000)
        .max()
        .unwrap_or(0);
    (p99, longest)
}

#[test]
fn a_ring_waits_for_one_chunk_at_most() {
    let ns_per_unit = workload::work::calibrate_ns_per_unit();
    let desk_work = (CHECK_US * 1_000.0 / ns_per_unit) as u64;
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
