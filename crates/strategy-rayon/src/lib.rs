//! The work-stealing secretaries: a `rayon` pool of exactly `cores` secretaries who all work at
//! once and steal each other's work, but who cannot put a caller on hold.
//!
//! This is the essay's "now we have two secretaries … the work is done in parallel", without
//! the logistics: parallelism without a concurrency model. Rayon does the dividing up well.
//! Each appointment check is split into its chunks with `par_iter`, and an idle secretary
//! steals chunks from a busy one, so a desk-heavy day finishes on N cores about N times faster.
//! Each pool thread is pinned to its own CPU of those the harness gave (rayon's
//! `start_handler`, the hook it offers for this): a pool thread asleep between checks is
//! woken when a check is split, and without the pin the kernel of the reference VM often ran
//! it on the waker's CPU, so the two halves took turns and the check took as long as on one.
//! Rayon cannot wait without using a thread. A call is a rayon task, and while the caller talks
//! it blocks its pool thread in `thread::sleep`: that secretary just stands at the phone. With
//! `cores` = 2, at most two calls can be in progress, every other caller waits in the queue (and
//! hangs up), and a pool thread that is stuck on the phone cannot work at the desk. A thread
//! that waits inside `par_iter` for stolen chunks may take a queued call itself, and the desk
//! check then waits for that call to end. Rings and due times come from one thread outside
//! the pool, on time, so the lateness is measured, not hidden. The pool is never made bigger
//! than `cores` to hide this.
//!
//! Over real lines (`lines = tcp`) a phone-line thread outside the pool is the front desk for
//! calls: it blocks in `accept` and queues each connection as a rayon task, and the pool
//! thread that takes it blocks in `read` while the caller talks, standing at the phone exactly
//! as in `sleep`. The desk's due times still come from their own thread. The closing bell,
//! heard on a pool thread, wakes the blocked `accept`, and the front desk goes home.

mod primitives;

pub use primitives::primitives;
use rayon::prelude::*;
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use workload::phone::{Served, serve_blocking};
use workload::record::DeskSheet;
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
    Call(Served),
    Desk(DeskSheet),
}

/// Runs the day on a pool of `cores` rayon threads; a "front-desk" thread outside the pool
/// delivers rings and due times, and the calling thread files the sheets.
pub fn run(office: &Office, cores: usize) -> Logbook {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .thread_name(|i| format!("rayon-{i}"))
        // Worker i owns CPU i of those the harness gave: see `pin_to_nth_allowed_cpu`.
        .start_handler(|i| _ = workload::threads::pin_to_nth_allowed_cpu(i))
        .build()
        .unwrap_or_else(|e| panic!("cannot build a rayon pool of {cores} threads: {e}"));
    let pool = &pool;
    let clock = office.open();
    let (sheets, filed) = mpsc::channel();
    let listener = office.take_listener();
    let lines = listener.is_some();
    thread::scope(|s| {
        let phone_line = listener.map(|listener| {
            let sheets = sheets.clone();
            thread::Builder::new()
                .name("phone-line".into())
                .spawn_scoped(s, move || {
                    answer_lines(office, &listener, &clock, pool, &sheets)
                })
        });
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
                    // Over real lines the callers ring themselves: only due times here.
                    for event in office.events() {
                        if lines && matches!(event, Event::Ring(_)) {
                            continue;
                        }
                        log.wait_until(event.at_us(), &clock);
                        let noticed = clock.now_ns();
                        tasks.spawn(move |_| {
                            let sheet = match event {
                                Event::Ring(call) => {
                                    let sheet =
                                        office.take_call(&call, &clock, noticed, thread::sleep);
                                    Sheet::Call(Served::Call(sheet))
                                }
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
                Sheet::Call(c) => _ = c.file(&mut log),
                Sheet::Desk(d) => log.file_appointment(d),
            }
        }
        for role in std::iter::once(front_desk).chain(phone_line) {
            match role.map(|h| h.join()) {
                Ok(Ok(part)) => log.merge(part),
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                Err(e) => panic!("cannot start the front-desk or phone-line thread: {e}"),
            }
        }
        log
    })
}

/// Over real lines: accepts each connection and queues it on the pool, where a pool thread
/// serves it whole, until the closing bell shuts the listening socket.
fn answer_lines(
    office: &Office,
    listener: &TcpListener,
    clock: &Clock,
    pool: &rayon::ThreadPool,
    sheets: &mpsc::Sender<Sheet>,
) -> Logbook {
    let mut log = office.logbook();
    pool.in_place_scope(|tasks| {
        for conn in listener.incoming() {
            match conn {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    tasks.spawn(move |_| {
                        let _ = sheets.send(Sheet::Call(serve_blocking(office, clock, stream)));
                    });
                }
                Err(_) if office.closed() => break,
                Err(e) => log.note(format!("accept failed: {e}")),
            }
        }
    });
    log
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
