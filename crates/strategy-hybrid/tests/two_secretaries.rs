//! Proves the hybrid is two kinds of secretary: on a desk-heavy day every call is picked up
//! on the phone thread (the one that called `run`), which never runs a desk chunk, and every
//! desk chunk runs on the pool's threads — on ALL of them (at least two) when given 2 cores.

use workload::entry::run_in_process;
use workload::{Office, Scenario, Spec};

fn check_split(cores: usize) {
    let spec = Spec {
        seed: 21,
        duration_us: 300_000,
        ..Scenario::BackOffice.spec()
    };
    let office = Office::new(spec, None).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = run_in_process("hybrid", strategy_hybrid::run, &office, cores);
    let c = &report.counters;
    assert!(c.answered_calls > 0 && c.appointments_done > 0, "{c:?}");
    let phone = workload::threads::current();
    let on_phone: Vec<_> = report.threads.iter().filter(|t| t.calls > 0).collect();
    assert_eq!(on_phone.len(), 1, "calls spread over {:?}", report.threads);
    assert_eq!(on_phone[0].index, phone, "calls not on the phone thread");
    assert_eq!(on_phone[0].calls, c.answered_calls);
    assert_eq!(on_phone[0].desk_chunks, 0, "the phone thread did desk work");
    let desk: Vec<_> = report
        .threads
        .iter()
        .filter(|t| t.desk_chunks > 0)
        .collect();
    for t in &desk {
        assert!(t.name.starts_with("desk-"), "{t:?} is not a pool thread");
    }
    assert_eq!(
        desk.len(),
        cores,
        "cores {cores}: desk chunks ran on {desk:?}, expected every pool thread"
    );
}

#[test]
fn one_core_phone_thread_and_one_desk_thread() {
    check_split(1);
}

#[test]
fn two_cores_phone_thread_and_two_desk_threads() {
    check_split(2);
}
