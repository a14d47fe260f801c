//! The phone never waits for the desk: a check done in ONE uninterrupted chunk (no yield at
//! all) runs on the pool while the phone thread keeps answering. The same day holds every
//! phone of a one-thread async secretary for the whole check (`strategy-async-std`'s
//! `tests/chunk.rs`). The bound is relative to the check's length as measured in the run, so
//! a loaded machine that stretches the check stretches the bound with it; the test process is
//! not pinned, so the kernel may put the phone and the desk thread on different CPUs.

use workload::entry::run_in_process;
use workload::record::Doing;
use workload::spec::Arrivals;
use workload::{Office, Spec};

const CHECK_US: f64 = 100_000.0;
const DAY_US: u64 = 2_000_000;

#[test]
fn a_long_check_does_not_hold_the_phone() {
    let ns_per_unit = workload::work::calibrate_ns_per_unit();
    let desk_work = (CHECK_US * 1_000.0 / ns_per_unit) as u64;
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
        chunk: desk_work, // one chunk: the check never yields
        lines: workload::spec::Lines::Sim,
    };
    let office = Office::new(spec, Some((0, DAY_US))).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = run_in_process("hybrid", strategy_hybrid::run, &office, 1);
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
    let check = desk.get(desk.len() / 2).copied().unwrap_or(0);
    eprintln!("check {desk_work} units = {check} µs in one chunk: pick-up p99 {p99} µs");
    assert!(check > 0, "no desk span in the timeline");
    assert!(
        (p99 as f64) < 0.3 * check as f64,
        "one {check} µs chunk on the pool, yet pick-up p99 {p99} µs"
    );
}
