//! The measured peak of calls in flight (`Report::peak_calls_in_flight`, call sheets alive at
//! once) against the peak computed from the schedule, on a tiny day of a thread per call.
//! Alone in its file: the count is per process, and this process runs only this day.

use std::thread;
use workload::{Logbook, Office, Scenario, Spec, schedule::Schedule};

/// A thread per call; the calling thread files the sheets once every call has ended.
fn thread_per_call(office: &Office, _cores: usize) -> Logbook {
    let clock = office.open();
    let mut log = office.logbook();
    let sheets = thread::scope(|s| {
        let callers: Vec<_> = office
            .calls()
            .iter()
            .map(|call| {
                log.wait_until(call.ring_us(), &clock);
                let noticed = clock.now_ns();
                s.spawn(move || office.take_call(call, &clock, noticed, thread::sleep))
            })
            .collect();
        callers
            .into_iter()
            .map(|c| c.join().expect("a call"))
            .collect::<Vec<_>>()
    });
    for sheet in sheets {
        log.file_call(sheet);
    }
    for appt in office.appointments() {
        log.file_appointment(office.check_appointment(appt, &clock, || ()));
    }
    log
}

#[test]
fn the_peak_of_sheets_open_is_every_call_of_a_switchboard_day() {
    // 40 calls ringing within 20 ms, each talking 200 ms: all 40 in flight at once.
    let spec = Spec {
        appointments_per_s: 0.0,
        ..Scenario::switchboard(40, 20_000, 1_000.0)
    };
    let spec = Spec {
        listen_us: 200_000,
        ..spec
    };
    let office = Office::new(spec.clone(), None).unwrap();
    let computed = Schedule::generate(&spec).peak_in_flight(spec.talk_us());
    assert_eq!(computed, office.calls().len());
    let (report, _) = workload::entry::run_in_process("threads", thread_per_call, &office, 1);
    let c = &report.counters;
    assert_eq!(c.answered_calls + c.missed_calls, c.offered_calls);
    // Every sheet is filed after every call ended, so all were alive at once.
    assert_eq!(report.peak_calls_in_flight, Some(computed as u64));
    // Filing dropped them: the next office's peak starts afresh, not at the last day's 40.
    let small = Spec {
        listen_us: 200_000,
        appointments_per_s: 0.0,
        ..Scenario::switchboard(8, 20_000, 1_000.0)
    };
    let again = Office::new(small.clone(), None).unwrap();
    let n = Schedule::generate(&small).peak_in_flight(small.talk_us());
    assert!(n < computed, "{n}");
    let (report, _) = workload::entry::run_in_process("threads", thread_per_call, &again, 1);
    assert_eq!(report.peak_calls_in_flight, Some(n as u64));
}
