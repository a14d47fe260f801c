//! The switchboard's exhausted path for a thread per call: when a thread cannot be started
//! (the budget is spent, or the OS refuses), the secretary stops taking calls, every call from
//! there on is reported as not started with the reason, the calls on the line are finished,
//! and the day still verifies — an `exhausted` row, never an abort.

use strategy_threads::{Budget, run_with};
use workload::reference::{Reference, verify};
use workload::{Logbook, Office, Scenario, Spec, entry::run_in_process};

/// 60 calls ringing within 30 ms, each talking 300 ms: all of them in flight at once.
fn switchboard() -> Spec {
    Spec {
        listen_us: 300_000,
        appointments_per_s: 0.0,
        ..Scenario::switchboard(60, 30_000, 1_000.0)
    }
}

fn twenty_threads(office: &Office, cores: usize) -> Logbook {
    run_with(office, cores, &Budget::at_most(20))
}

/// A stack no kernel can map (1 PiB): `std::thread::Builder::spawn` returns the OS's error.
fn impossible_stacks(office: &Office, cores: usize) -> Logbook {
    let budget = Budget {
        stack_bytes: Some(1 << 50),
        ..Budget::at_most(1_000)
    };
    run_with(office, cores, &budget)
}

#[test]
fn a_spent_budget_stops_the_calls_and_says_why() {
    let spec = switchboard();
    let office = Office::new(spec.clone(), None).unwrap();
    let offered = office.calls().len() as u64;
    assert!(offered > 40, "{offered} calls");
    let (report, _) = run_in_process("threads", twenty_threads, &office, 1);
    let c = &report.counters;
    assert_eq!(c.answered_calls + c.missed_calls, c.offered_calls);
    assert_eq!(c.answered_calls, 20, "the twenty on the line are finished");
    assert_eq!(c.start_failures, offered - 20);
    // Stopped taking calls: the refused call and every later one, nothing before it.
    assert_eq!(report.missed_ids, (20..offered as u32).collect::<Vec<_>>());
    let why = report.start_error.as_deref().unwrap();
    assert!(
        why.contains("could not start thread 21 (call 20)") && why.contains("at most 20 threads"),
        "{why}"
    );
    let verdict = verify(&report, &Reference::compute(&spec));
    assert!(verdict.ok(), "{:?}", verdict.problems);
}

#[test]
fn an_os_refusal_is_reported_not_an_abort() {
    let spec = switchboard();
    let office = Office::new(spec.clone(), None).unwrap();
    let (report, _) = run_in_process("threads", impossible_stacks, &office, 1);
    let c = &report.counters;
    assert_eq!(c.answered_calls, 0);
    assert_eq!(c.start_failures, c.offered_calls);
    assert_eq!(c.missed_calls, c.offered_calls);
    let why = report.start_error.as_deref().unwrap();
    assert!(
        why.contains("could not start thread 1 (call 0)") && why.contains("os error"),
        "{why}"
    );
    assert!(verify(&report, &Reference::compute(&spec)).ok());
}

#[test]
fn this_machines_budget_names_its_limit() {
    let b = Budget::of_this_machine();
    assert!(b.max_threads >= 1);
    assert!(
        ["pid_max", "threads-max", "pids.max", "max_map_count"]
            .iter()
            .any(|l| b.why.contains(l)),
        "{b:?}"
    );
}
