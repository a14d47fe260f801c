//! Proves the smol secretary is ONE secretary: every call and every desk chunk of the
//! day ran on one OS thread — the one that called `run` — also when it is offered 2 cores.

use workload::entry::run_in_process;
use workload::{Office, Scenario, Spec};

fn day() -> Office {
    let spec = Spec {
        seed: 7,
        duration_us: 400_000,
        ..Scenario::Office.spec()
    };
    Office::new(spec, None).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_one_thread(cores: usize) {
    let office = day();
    let (report, _) = run_in_process("smol", strategy_smol::run, &office, cores);
    let c = &report.counters;
    assert!(c.answered_calls > 0 && c.appointments_done > 0, "{c:?}");
    assert_eq!(
        report.threads.len(),
        1,
        "cores {cores}: work spread over {:?}",
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
