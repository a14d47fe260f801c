//! Checks shared by the test files (each file is its own process, with its own may workers).

use std::collections::BTreeSet;
use workload::entry::run_in_process;
use workload::{Office, Scenario, Spec};

/// A short office day with `cores` workers: the calls and desk chunks ran on exactly `cores`
/// OS threads (the report's thread records), none of them the calling thread. If a coroutine
/// woken from a sleep stayed on may's timer thread instead of hopping back to a worker, that
/// thread would show up doing work: one thread too many.
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
    eprintln!("threads {:?}", report.threads);
    assert_eq!(
        doing.len(),
        cores,
        "work ran on {:?}: not exactly the {cores} may workers",
        report.threads
    );
    assert!(
        report.threads.iter().any(|t| t.desk_chunks > 0),
        "no desk chunk recorded"
    );
    assert!(
        !doing.contains(&workload::threads::current()),
        "work on the calling thread"
    );
}
