//! The work-stealing secretaries: a `rayon` pool of exactly `cores` secretaries who all work at
//! once and steal each other's work, but who cannot put a caller on hold.
//!
//! This is the essay's "now we have two secretaries … the work is done in parallel", without
//! the logistics: parallelism without a concurrency model. Rayon does the dividing up well.
//! Each appointment check is split into its chunks with `par_iter`, and an idle secretary
//! steals chunks from a busy one, so a desk-heavy day finishes on N cores about N times faster.
//! Rayon cannot wait without using a thread. A call is a rayon task, and while the caller talks
//! it blocks its pool thread in `thread::sleep`: that secretary just stands at the phone. With
//! `cores` = 2, at most two calls can be in progress, every other caller waits in the queue (and
//! hangs up), and a pool thread that is stuck on the phone cannot work at the desk. A thread
//! that waits inside `par_iter` for stolen chunks may take a queued call itself, and the desk
//! check then waits for that call to end. Rings and due times come from one thread outside
//! the pool, on time, so the lateness is measured, not hidden. The pool is never made bigger
//! than `cores` to hide this.

mod primitives;

pub use primitives::primitives;
use rayon::prelude::*;
use std::sync::mpsc;
use std::thread;
use workload::record::{CallSheet, DeskSheet};
use workload::{Appointment, Arrangement, Clock, Desk, Event, Logbook, Office, Switching, Workers};

/// A pool of `cores` threads; a call holds its thread while listening; checks split across
/// the pool with `par_iter`.
pub const ARRANGEMENT: Arrangement = Arrangement {
    workers: Workers::Cores,
    switching: Switching::RunToCompletion,
    timer_check_polls: None,
    desk: Desk::SplitAcrossCores,
};

/// What a secretary hands to the filing clerk.
enum Sheet {
    Call(CallSheet),
    Desk(DeskSheet),
}

/// Runs the day on a pool of `cores` rayon threads; a "front-desk" thread outside the pool
/// delivers rings and due times, and the calling thread files the sheets.
pub fn run(office: &Office, cores: usize) -> Logbook {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .thread_name(|i| format!("rayon-{i}"))
        .build()
        .unwrap_or_else(|e| panic!("cannot build a rayon pool of {cores} threads: {e}"));
    let clock = office.open();
    let (sheets, filed) = mpsc::channel();
    thread::scope(|s| {
        let front_desk = thread::Builder::new()
            .name("front-desk".into())
            .spawn_scoped(s, move || {
                let mut log = office.logbook();
                log.note(format!(
                    "rayon pool of {cores} threads; a call blocks its pool thread while listening"
                ));
                let sheets = &sheets;
                // `in_place_scope` runs this loop HERE, outside the pool, and its `spawn` only
                // queues a task and returns: a ring is never delivered late because a desk
                // check is running. (`pool.install` would block this thread until the check
                // was done; `pool.scope` would run the loop on, and take, a pool thread.)
                pool.in_place_scope(|tasks| {
                    for event in office.events() {
                        log.wait_until(event.at_us(), &clock);
                        let noticed = clock.now_ns();
                        tasks.spawn(move |_| {
                            let sheet = match event {
                                Event::Ring(call) => Sheet::Call(office.take_call(
                                    &call,
                                    &clock,
                                    noticed,
                                    thread::sleep,
                                )),
                                Event::Due(appt) => Sheet::Desk(check(office, &appt, &clock)),
                            };
                            let _ = sheets.send(sheet); // the receiver lives until every sender is gone
                        });
                    }
                });
                log
            });
        let mut log = office.logbook();
        for sheet in filed {
            match sheet {
                Sheet::Call(c) => log.file_call(c),
                Sheet::Desk(d) => log.file_appointment(d),
            }
        }
        match front_desk.map(|h| h.join()) {
            Ok(Ok(part)) => log.merge(part),
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(e) => panic!("cannot start the front-desk thread: {e}"),
        }
        log
    })
}

/// One appointment check, its chunks spread over the whole pool (runs on a pool thread).
fn check(office: &Office, appt: &Appointment, clock: &Clock) -> DeskSheet {
    let mut sheet = office.open_book(appt, clock);
    let chunks: Vec<_> = office.desk_chunks(appt).collect();
    let done: Vec<_> = chunks.par_iter().map(|c| c.run(clock)).collect();
    for d in done {
        sheet.add(d); // any order: chunk values combine commutatively
    }
    sheet
}
