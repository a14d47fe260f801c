//! The makespan of a batch day: every check's finish (its last chunk's end) is recorded, the
//! logbooks of several workers merge it by maximum, and the report carries it (`None` on a
//! day with no checks; an older report without it still parses).

use std::thread;
use workload::entry::run_in_process;
use workload::protocol::Report;
use workload::reference::{Reference, verify};
use workload::spec::Arrivals;
use workload::{Logbook, Office, Spec};

/// 12 checks of 400 units, every one due at the opening; no calls.
fn batch() -> Spec {
    Spec {
        seed: 31,
        duration_us: 60_000,
        calls_per_s: 0.0,
        exchanges: 0,
        listen_us: 0,
        pickup_work: 1,
        reply_work: 1,
        patience_us: 0,
        appointments_per_s: 200.0,
        appointment_arrivals: Arrivals::AtOpening,
        desk_work: 400,
        chunk: 50,
        lines: workload::spec::Lines::Sim,
    }
}

/// Two workers, the even checks on one and the odd on the other, each with its own logbook.
fn two_workers(office: &Office, _cores: usize) -> Logbook {
    let clock = office.open();
    let logs: Vec<Logbook> = thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                s.spawn(move || {
                    let mut log = office.logbook();
                    for appt in office.appointments().iter().skip(w).step_by(2) {
                        log.wait_until(appt.due_us(), &clock);
                        log.file_appointment(office.check_appointment(appt, &clock, || ()));
                    }
                    log
                })
            })
            .collect();
        workers.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let latest: Vec<u64> = logs
        .iter()
        .map(|l| l.counters().last_check_done_ns)
        .collect();
    assert!(
        latest.iter().all(|&ns| ns > 0),
        "each worker recorded a finish"
    );
    let mut merged = office.logbook();
    for log in logs {
        merged.merge(log);
    }
    assert_eq!(
        merged.counters().last_check_done_ns,
        *latest.iter().max().unwrap(),
        "merged by maximum, not added"
    );
    merged
}

#[test]
fn a_batch_days_makespan_is_its_latest_check_done() {
    let spec = batch();
    let reference = Reference::compute(&spec);
    let office = Office::new(spec, None).expect("valid spec");
    assert_eq!(office.appointments().len(), 12);
    let (report, wall) = run_in_process("two", two_workers, &office, 2);
    let v = verify(&report, &reference);
    assert!(v.ok(), "{:?}", v.problems);
    let makespan = report
        .makespan_ns
        .expect("a day with checks has a makespan");
    assert_eq!(makespan, report.counters.last_check_done_ns);
    assert!(makespan > 0);
    assert!(
        makespan as f64 / 1e9 <= report.day_s + 1e-6,
        "the last check was done within the day ({makespan} ns, day {} s)",
        report.day_s
    );
    assert!(makespan as f64 / 1e9 <= wall + 1e-6);
    // It survives the protocol.
    let line = serde_json::to_string(&report).unwrap();
    assert_eq!(Report::parse(&line).unwrap().makespan_ns, Some(makespan));
}

#[test]
fn no_check_no_makespan_and_an_older_report_parses() {
    let spec = Spec {
        appointments_per_s: 0.0,
        ..batch()
    };
    let office = Office::new(spec, None).expect("valid spec");
    let (report, _) = run_in_process("two", two_workers_or_none, &office, 1);
    assert_eq!(report.makespan_ns, None);
    assert_eq!(report.counters.last_check_done_ns, 0);
    // A report written before the field existed.
    let mut v = serde_json::to_value(&report).unwrap();
    let obj = v.as_object_mut().unwrap();
    obj.remove("makespan_ns");
    obj["counters"]
        .as_object_mut()
        .unwrap()
        .remove("last_check_done_ns");
    let old = Report::parse(&v.to_string()).expect("an older report parses");
    assert_eq!(old.makespan_ns, None);
    assert_eq!(old.counters.last_check_done_ns, 0);
}

/// A day with nothing to do: opens the office and files nothing.
fn two_workers_or_none(office: &Office, _cores: usize) -> Logbook {
    let _clock = office.open();
    office.logbook()
}
