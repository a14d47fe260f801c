//! `verify`'s negative branches: every way a report can be wrong must yield a problem. Two
//! kinds of wrong: a report whose figures were tampered with after the day (wrong accounting,
//! a reply count off by one, a pick-up past patience counted as answered, a duplicate missed
//! id, a made-up early pick-up), and a day done through the public API, the one a strategy
//! has, that acts before its instant (a pick-up before the ring, a reply before the caller
//! stopped talking, a check before it fell due, desk work done ahead) or times itself on a
//! clock other than the office's.

use std::thread;
use workload::entry::run_in_process;
use workload::protocol::{Report, encode_histogram};
use workload::record::{HIST_MAX_US, HIST_SIGFIG};
use workload::reference::{Reference, verify};
use workload::spec::Arrivals;
use workload::{Event, Logbook, Office, Spec};

/// A short, light day: every strategy below gets through it in well under half a second.
fn tiny() -> Spec {
    Spec {
        seed: 21,
        duration_us: 200_000,
        calls_per_s: 100.0,
        exchanges: 2,
        listen_us: 1_000,
        pickup_work: 10,
        reply_work: 20,
        patience_us: 100_000,
        appointments_per_s: 20.0,
        appointment_arrivals: Arrivals::Periodic,
        desk_work: 200,
        chunk: 50,
        lines: workload::spec::Lines::Sim,
    }
}

/// Runs `run` on `spec` in this process and verifies its report.
fn day(spec: Spec, run: workload::RunFn) -> (Report, Vec<String>) {
    let reference = Reference::compute(&spec);
    let office = Office::new(spec, None).expect("valid spec");
    let (report, _) = run_in_process("test", run, &office, 1);
    let problems = verify(&report, &reference).problems;
    (report, problems)
}

/// Verifies a report after `tamper` changed it.
fn tampered(spec: Spec, tamper: impl FnOnce(&mut Report)) -> Vec<String> {
    let reference = Reference::compute(&spec);
    let (mut report, problems) = day(spec, on_time);
    assert!(problems.is_empty(), "before tampering: {problems:?}");
    tamper(&mut report);
    verify(&report, &reference).problems
}

fn assert_problem(problems: &[String], needle: &str) {
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "no problem mentions '{needle}': {problems:?}"
    );
}

/// The sequential secretary: everything on time, in schedule order.
fn on_time(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    for event in office.events() {
        log.wait_until(event.at_us(), &clock);
        match event {
            Event::Ring(call) => {
                log.file_call(office.take_call(&call, &clock, clock.now_ns(), thread::sleep));
            }
            Event::Due(appt) => {
                log.file_appointment(office.check_appointment(&appt, &clock, || ()));
            }
        }
    }
    log
}

#[test]
fn a_day_done_on_time_passes() {
    let (report, problems) = day(tiny(), on_time);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(report.counters.answered_calls > 0 && report.counters.appointments_done > 0);
    assert_eq!(report.counters.integrity, Default::default());
}

#[test]
fn wrong_accounting_is_wrong() {
    let problems = tampered(tiny(), |r| r.counters.answered_calls += 1);
    assert_problem(&problems, "answered");
}

#[test]
fn a_reply_count_off_by_one_is_wrong() {
    let problems = tampered(tiny(), |r| r.counters.replies -= 1);
    assert_problem(&problems, "replies, expected");
}

#[test]
fn a_pick_up_past_patience_counted_as_answered_is_wrong() {
    let spec = tiny();
    let patience = spec.patience_us;
    let problems = tampered(spec, |r| {
        // Same number of pick-ups, one of them twice the patience late.
        let mut h = hdrhistogram::Histogram::<u64>::new_with_bounds(1, HIST_MAX_US, HIST_SIGFIG)
            .expect("bounds");
        h.record_n(10, r.counters.answered_calls - 1)
            .expect("records");
        h.record(2 * patience).expect("records");
        r.histograms
            .insert("pickup".to_owned(), encode_histogram(&h));
    });
    assert_problem(&problems, "patience");
}

#[test]
fn a_duplicate_missed_id_is_wrong() {
    // Patience 0: every caller hangs up, every id is missed.
    let spec = Spec {
        patience_us: 0,
        ..tiny()
    };
    let problems = tampered(spec, |r| {
        assert!(r.missed_ids.len() >= 2);
        r.missed_ids[1] = r.missed_ids[0];
    });
    assert_problem(&problems, "not distinct");
}

#[test]
fn a_made_up_early_pick_up_is_wrong_and_names_the_call() {
    let problems = tampered(tiny(), |r| {
        r.counters.integrity.early_pickups = 1;
        r.counters.integrity.early_pickup_call = Some(3);
    });
    assert_problem(&problems, "call 3 was picked up before it rang");
}

/// Picks up the day's last call as soon as the office opens, then does the rest on time.
fn last_call_first(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    let last = *office.calls().last().expect("calls");
    log.file_call(office.take_call(&last, &clock, clock.now_ns(), thread::sleep));
    for event in office.events() {
        log.wait_until(event.at_us(), &clock);
        match event {
            Event::Ring(call) if call == last => {}
            Event::Ring(call) => {
                log.file_call(office.take_call(&call, &clock, clock.now_ns(), thread::sleep));
            }
            Event::Due(appt) => {
                log.file_appointment(office.check_appointment(&appt, &clock, || ()));
            }
        }
    }
    log
}

#[test]
fn a_pick_up_before_the_ring_is_wrong_and_names_the_call() {
    let spec = tiny();
    let last = Office::new(spec.clone(), None)
        .expect("valid")
        .calls()
        .last()
        .expect("calls")
        .id();
    let (report, problems) = day(spec, last_call_first);
    let i = &report.counters.integrity;
    assert_eq!((i.early_pickups, i.early_pickup_call), (1, Some(last)));
    assert_problem(
        &problems,
        &format!("call {last} was picked up before it rang"),
    );
    // The values were right: only the time gives it away.
    assert!(
        !problems.iter().any(|p| p.contains("digest")),
        "{problems:?}"
    );
}

/// Replies as soon as it has listened, without waiting for the caller to finish talking.
fn does_not_listen(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    for event in office.events() {
        log.wait_until(event.at_us(), &clock);
        match event {
            Event::Ring(call) => {
                log.file_call(office.take_call(&call, &clock, clock.now_ns(), |_| ()));
            }
            Event::Due(appt) => {
                log.file_appointment(office.check_appointment(&appt, &clock, || ()));
            }
        }
    }
    log
}

#[test]
fn a_reply_before_the_caller_stopped_talking_is_wrong() {
    let (report, problems) = day(tiny(), does_not_listen);
    assert_eq!(report.counters.integrity.early_reply_call, Some(0));
    assert_problem(
        &problems,
        "call 0 got a reply before the caller stopped talking",
    );
}

/// Listens once per call, then gives every reply (the caller says one thing, hears all).
fn listens_once(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    for event in office.events() {
        log.wait_until(event.at_us(), &clock);
        match event {
            Event::Ring(call) => {
                let mut sheet = office.pick_up(&call, &clock, clock.now_ns());
                if let Some(talk) = office.listen(&mut sheet, &clock) {
                    thread::sleep(talk);
                    for _ in 0..office.spec().exchanges {
                        office.reply(&mut sheet, &clock);
                    }
                }
                log.file_call(sheet);
            }
            Event::Due(appt) => {
                log.file_appointment(office.check_appointment(&appt, &clock, || ()));
            }
        }
    }
    log
}

#[test]
fn replying_without_listening_is_wrong() {
    let (report, problems) = day(tiny(), listens_once);
    let i = &report.counters.integrity;
    assert_eq!(i.early_replies, report.counters.answered_calls);
    assert_problem(&problems, "got a reply before the caller stopped talking");
}

/// Checks every appointment as soon as the office opens; calls on time.
fn desk_first(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    for appt in office.appointments() {
        log.file_appointment(office.check_appointment(appt, &clock, || ()));
    }
    for call in office.calls() {
        log.wait_until(call.ring_us(), &clock);
        log.file_call(office.take_call(call, &clock, clock.now_ns(), thread::sleep));
    }
    log
}

#[test]
fn a_check_before_it_fell_due_is_wrong_and_names_the_appointment() {
    let (report, problems) = day(tiny(), desk_first);
    let i = &report.counters.integrity;
    assert_eq!(i.early_checks, report.counters.offered_appointments);
    assert_problem(&problems, "appointment 0 was checked before it fell due");
}

/// Works out every appointment's chunks as soon as the office opens, and files them when the
/// appointment falls due (a check that takes no time at all).
fn desk_work_ahead(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    let done: Vec<Vec<_>> = office
        .appointments()
        .iter()
        .map(|a| office.desk_chunks(a).map(|c| c.run(&clock)).collect())
        .collect();
    let mut done = done.into_iter();
    for event in office.events() {
        log.wait_until(event.at_us(), &clock);
        match event {
            Event::Ring(call) => {
                log.file_call(office.take_call(&call, &clock, clock.now_ns(), thread::sleep));
            }
            Event::Due(appt) => {
                let mut sheet = office.open_book(&appt, &clock);
                for chunk in done.next().expect("one list per appointment") {
                    sheet.add(chunk);
                }
                log.file_appointment(sheet);
            }
        }
    }
    log
}

#[test]
fn desk_work_done_ahead_is_wrong() {
    let (report, problems) = day(tiny(), desk_work_ahead);
    assert_eq!(
        report.counters.integrity.early_checks,
        report.counters.offered_appointments
    );
    assert_problem(&problems, "appointment 0 was checked before it fell due");
}

/// Opens the office, then a twin office 20 ms later, and times the whole day on the twin's
/// clock: every wait would look 20 ms shorter.
fn own_clock(office: &Office, _cores: usize) -> Logbook {
    let _ = office.open();
    thread::sleep(std::time::Duration::from_millis(20));
    let twin = Office::new(office.spec().clone(), None).expect("valid");
    let late = twin.open();
    let mut log = office.logbook();
    for event in office.events() {
        log.wait_until(event.at_us(), &late);
        match event {
            Event::Ring(call) => {
                log.file_call(office.take_call(&call, &late, late.now_ns(), thread::sleep));
            }
            Event::Due(appt) => {
                log.file_appointment(office.check_appointment(&appt, &late, || ()));
            }
        }
    }
    log
}

#[test]
fn a_day_timed_on_another_clock_is_wrong() {
    let (report, problems) = day(tiny(), own_clock);
    let c = &report.counters;
    assert_eq!(
        c.integrity.foreign_clock_sheets,
        c.answered_calls + c.missed_calls + c.appointments_done
    );
    assert_problem(&problems, "timed on a clock other than the office's");
}

/// Checks appointments on time, but runs their chunks on a twin office's clock.
fn chunks_on_another_clock(office: &Office, _cores: usize) -> Logbook {
    let clock = office.open();
    let twin = Office::new(office.spec().clone(), None).expect("valid");
    let other = twin.open();
    let mut log = office.logbook();
    for appt in office.appointments() {
        log.wait_until(appt.due_us(), &clock);
        let mut sheet = office.open_book(appt, &clock);
        for chunk in office.desk_chunks(appt) {
            sheet.add(chunk.run(&other));
        }
        log.file_appointment(sheet);
    }
    log
}

#[test]
fn desk_chunks_timed_on_another_clock_are_wrong() {
    let spec = Spec {
        calls_per_s: 0.0,
        ..tiny()
    };
    let chunks_per_check = spec.desk_work.div_ceil(spec.chunk);
    let (report, problems) = day(spec, chunks_on_another_clock);
    assert_eq!(
        report.counters.integrity.foreign_clock_sheets,
        report.counters.appointments_done * chunks_per_check
    );
    assert_problem(&problems, "timed on a clock other than the office's");
}
