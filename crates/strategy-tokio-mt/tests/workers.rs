//! Proves the tokio work-stealing office has at most `cores` secretaries: every call and every
//! desk chunk of the day ran on one of at most `cores` OS threads, all of them tokio's workers
//! (not the thread that called `run`, which only waits in `block_on`).

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

fn assert_at_most_cores_workers(cores: usize) {
    let office = day();
    let (report, _) = run_in_process("tokio-mt", strategy_tokio_mt::run, &office, cores);
    let c = &report.counters;
    assert!(c.answered_calls > 0 && c.appointments_done > 0, "{c:?}");
    let threads = &report.threads;
    assert!(
        !threads.is_empty() && threads.len() <= cores,
        "cores {cores}: work spread over {threads:?}"
    );
    for t in threads {
        assert_ne!(
            t.index,
            workload::threads::current(),
            "cores {cores}: the calling thread did secretary work: {threads:?}"
        );
        assert!(
            t.name == strategy_tokio_mt::WORKER_NAME,
            "cores {cores}: not a tokio worker: {threads:?}"
        );
    }
    let calls: u64 = threads.iter().map(|t| t.calls).sum();
    let chunks: u64 = threads.iter().map(|t| t.desk_chunks).sum();
    assert_eq!(calls, c.answered_calls, "cores {cores}: {threads:?}");
    assert!(chunks > 0, "cores {cores}: no desk chunk recorded");
}

#[test]
fn at_most_one_worker_on_one_core() {
    assert_at_most_cores_workers(1);
}

#[test]
fn at_most_two_workers_on_two_cores() {
    assert_at_most_cores_workers(2);
}
