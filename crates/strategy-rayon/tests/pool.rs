//! Checks that the rayon secretaries are exactly `cores` pool threads: on a desk-heavy day,
//! desk chunks run on every pool thread (work-stealing splits each check), and no thread
//! outside the pool — nor more than `cores` threads — ever does any work.

use std::collections::BTreeSet;
use workload::entry::run_in_process;
use workload::record::Doing;
use workload::{Office, Scenario, Spec};

/// OS threads as (index, name).
type Threads = BTreeSet<(u32, String)>;

/// Runs a short back-office day with the timeline on; returns (threads that ran desk
/// chunks, threads that did any work).
fn who_worked(cores: usize) -> (Threads, Threads) {
    let spec = Spec {
        seed: 21,
        duration_us: 300_000,
        ..Scenario::BackOffice.spec()
    };
    let office = Office::new(spec, Some((0, 600_000_000))).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = run_in_process("rayon", strategy_rayon::run, &office, cores);
    assert!(report.counters.appointments_done > 0, "no desk work done");
    let named = |i: u32| (i, workload::threads::name(i));
    let desk = report
        .timeline
        .unwrap_or_else(|| panic!("timeline was asked for"))
        .spans
        .iter()
        .filter(|s| s.doing == Doing::Desk)
        .map(|s| named(s.thread))
        .collect();
    let any = report
        .threads
        .iter()
        .filter(|t| t.calls + t.desk_chunks > 0)
        .map(|t| named(t.index))
        .collect();
    (desk, any)
}

fn check_pool(cores: usize) {
    let (desk, any) = who_worked(cores);
    for (i, name) in desk.iter().chain(&any) {
        assert!(
            name.starts_with("rayon-"),
            "thread {i} '{name}' outside the pool did work"
        );
    }
    assert_eq!(
        desk.len(),
        cores,
        "desk chunks ran on {desk:?}, expected {cores} pool threads"
    );
    assert!(any.len() <= cores, "{any:?} did work, pool is {cores}");
}

#[test]
fn one_core_is_one_pool_thread() {
    check_pool(1);
}

#[test]
fn two_cores_are_two_pool_threads_sharing_the_desk() {
    check_pool(2);
}
