//! Proves the event-loop secretary is ONE secretary on ONE thread — the one that called `run`
//! — also when offered 2 cores, and that it brings no runtime: its only dependency is
//! `workload` (no async runtime, coroutine or pool crate).

use workload::entry::run_in_process;
use workload::{Office, Scenario, Spec};

fn assert_one_thread(cores: usize) {
    let spec = Spec {
        seed: 7,
        duration_us: 400_000,
        ..Scenario::Office.spec()
    };
    let office = Office::new(spec, None).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = run_in_process("event-loop", strategy_event_loop::run, &office, cores);
    let c = &report.counters;
    assert!(c.answered_calls > 0 && c.appointments_done > 0, "{c:?}");
    assert_eq!(
        report.threads.len(),
        1,
        "cores {cores}: {:?}",
        report.threads
    );
    let t = &report.threads[0];
    assert_eq!(
        t.index,
        workload::threads::current(),
        "not the calling thread"
    );
    assert_eq!(t.calls, c.answered_calls, "cores {cores}");
    assert!(t.desk_chunks > 0, "cores {cores}: no desk chunk recorded");
}

#[test]
fn one_thread_on_one_core() {
    assert_one_thread(1);
}

#[test]
fn one_thread_on_two_cores() {
    assert_one_thread(2);
}

#[test]
fn depends_on_workload_alone() {
    let manifest = include_str!("../Cargo.toml");
    let deps: Vec<&str> = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(deps, ["workload.workspace = true"]);
}
