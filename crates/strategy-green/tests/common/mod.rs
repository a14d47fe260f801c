//! Checks shared by the test files (each file is its own process, with its own may workers).

use std::collections::BTreeSet;
use workload::entry::run_in_process;
use workload::{Office, Scenario, Spec};

/// The thread indices in a note such as "... worked on [1, 2] (may's workers) ...": the list
/// right before `marker`.
fn listed(notes: &[String], marker: &str) -> BTreeSet<u32> {
    let note = notes
        .iter()
        .find(|n| n.contains(marker))
        .unwrap_or_else(|| panic!("no note with '{marker}' in {notes:?}"));
    let end = note.find(marker).expect("found above");
    let open = note[..end].rfind('[').expect("a [list] before the marker");
    note[open + 1..end]
        .trim_end_matches([' ', ']'])
        .split(", ")
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("a thread index"))
        .collect()
}

/// A short office day with `cores` workers: the calls and desk chunks ran on exactly `cores`
/// OS threads, which are not the calling thread and not may's timer thread (the thread that
/// resumes sleepers, which must hand them back to a worker).
pub fn uses_workers(cores: usize) {
    let spec = Spec {
        seed: 21,
        duration_us: 300_000,
        ..Scenario::Office.spec()
    };
    let office = Office::new(spec, None).expect("valid spec");
    let (report, _) = run_in_process("green", strategy_green::run, &office, cores);
    let doing: BTreeSet<u32> = report
        .threads
        .iter()
        .filter(|t| t.calls + t.desk_chunks > 0)
        .map(|t| t.index)
        .collect();
    let worked = listed(&report.notes, "] (may's workers)");
    let woke = listed(&report.notes, "] (may's timer thread)");
    eprintln!("threads {:?}; notes {:#?}", report.threads, report.notes);
    assert!(
        doing.is_subset(&worked),
        "{doing:?} did work, workers {worked:?}"
    );
    assert_eq!(worked.len(), cores, "coroutines worked on {worked:?}");
    assert_eq!(woke.len(), 1, "sleepers woke on {woke:?}: one timer thread");
    assert!(
        worked.is_disjoint(&woke),
        "work on the timer thread: {woke:?}"
    );
    assert!(
        !worked.contains(&workload::threads::current()),
        "work on the calling thread"
    );
}
