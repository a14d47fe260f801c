//! Running out of coroutines is a reported error, never a crash: with a budget far below the
//! calls in flight, the calls past it are counted as not started (with the reason), and the
//! rest of the day is still correct.

use workload::entry::run_in_process;
use workload::reference::{Reference, verify};
use workload::{Logbook, Office, Scenario, Spec};

fn tight(office: &Office, cores: usize) -> Logbook {
    strategy_green::run_within(office, cores, Some(12))
}

#[test]
fn calls_past_the_budget_are_reported_not_started() {
    let spec = Spec {
        seed: 41,
        duration_us: 300_000,
        calls_per_s: 300.0,
        exchanges: 2,
        listen_us: 50_000, // ~30 calls in flight
        ..Scenario::Office.spec()
    };
    let reference = Reference::compute(&spec);
    let office = Office::new(spec, None).expect("valid spec");
    let (report, _) = run_in_process("green", tight, &office, 1);
    let verdict = verify(&report, &reference);
    assert!(verdict.ok(), "{}", verdict.problems.join("; "));
    let c = &report.counters;
    assert!(c.start_failures > 0, "no start failure: {c:?}");
    assert!(c.answered_calls > 0, "nothing answered: {c:?}");
    assert_eq!(c.appointments_done, c.offered_appointments, "{c:?}");
    let why = report.start_error.as_deref().unwrap_or_default();
    assert!(
        why.contains("out of coroutines") && why.contains("at most 12 live coroutines"),
        "{why}"
    );
}
