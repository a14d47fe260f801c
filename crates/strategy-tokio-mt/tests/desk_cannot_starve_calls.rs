//! The desk cannot starve the phones: with ONE tokio worker, long appointment checks in small
//! chunks, and calls ringing all through them, every call is picked up long before a check
//! ends. The risk is tokio's LIFO slot: a task woken on a worker runs next, ahead of the
//! worker's queue, and the desk, woken there after every look at the timers, could keep
//! taking it. It does not: `yield_now` defers the desk behind every ready task, and the slot
//! is capped at 3 polls in a row. Its own file: its own process, with nobody else's day on the
//! worker.

use std::sync::mpsc;
use std::time::Duration;
use workload::entry::run_in_process;
use workload::reference::{Reference, verify};
use workload::spec::Arrivals;
use workload::{Office, Spec};

#[test]
fn every_call_is_picked_up_during_long_desk_checks() {
    let ns_per_unit = workload::work::calibrate_ns_per_unit();
    let check_ms = 150.0;
    let spec = Spec {
        seed: 31,
        duration_us: 1_000_000,
        calls_per_s: 200.0,
        exchanges: 1,
        listen_us: 1_000,
        pickup_work: 5,
        reply_work: 5,
        patience_us: 2_000_000,
        appointments_per_s: 4.0,
        appointment_arrivals: Arrivals::Periodic,
        desk_work: (check_ms * 1e6 / ns_per_unit) as u64,
        chunk: 10,
        lines: workload::spec::Lines::Sim,
    };
    let reference = Reference::compute(&spec);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let office = Office::new(spec, None).expect("valid spec");
        let _ = tx.send(run_in_process("tokio-mt", strategy_tokio_mt::run, &office, 1).0);
    });
    let report = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the day did not end within 120 s: starved or hung");
    let verdict = verify(&report, &reference);
    assert!(verdict.ok(), "{}", verdict.problems.join("; "));
    let c = &report.counters;
    assert_eq!((c.missed_calls, c.appointments_done), (0, 3), "{c:?}");
    let h = |name| report.histogram(name).expect("histogram");
    let (pickup, waited, rang) = (h("pickup"), h("pickup_uncorrected"), h("ring_lateness"));
    eprintln!(
        "ns/unit {ns_per_unit:.0}, desk checks of {check_ms} ms in chunks of 10 units, calls \
         picked up after the ring was delivered: p50 {} µs, p99 {} µs, max {} µs (after the \
         scheduled ring: max {} µs; ring delivery max {} µs late)",
        waited.value_at_quantile(0.5),
        waited.value_at_quantile(0.99),
        waited.max(),
        pickup.max(),
        rang.max()
    );
    // Generous: a third of a check. A desk that kept its worker shows ~ a whole check. (The
    // ring's own lateness is left out: it is tokio's millisecond timer.)
    assert!(
        waited.max() < 50_000,
        "a call waited {} µs to be picked up during a {check_ms} ms desk check",
        waited.max()
    );
}
