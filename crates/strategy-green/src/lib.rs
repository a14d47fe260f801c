//! The green-threads secretaries: a few secretaries (may worker threads, one per core), each
//! switching between many calls and the desk at points the code chose.
//!
//! Every ringing phone gets a coroutine of its own (a stackful `may` coroutine, written as
//! plain blocking code), one more coroutine keeps the appointment book, and a ringer delivers
//! each ring on time. A coroutine gives its worker up only where it waits — while a caller
//! talks (`nap`), and between two chunks of an appointment check (`get_back_in_line`) — so on
//! ONE worker this is the essay's single secretary going from phone to desk and back
//! (concurrency without parallelism); with `cores` workers, several secretaries answer at the
//! same time (parallelism too). may also runs a timer thread, which here only wakes sleepers
//! and hands them back to a worker.
//!
//! What the runtime does for it: a call is straight-line code with its own small stack; tens
//! of thousands of them wait on timers without an OS thread each; may's workers share the
//! ready coroutines (work stealing). What it cannot do: preempt — a chunk or a reply holds its
//! worker until it ends, and in overload the desk, queued first-come first-served with the
//! calls, falls far behind; keep a coroutine without a stack (two memory mappings each, so
//! about 31k live ones under `vm.max_map_count` = 65,530: calls past that are reported as not
//! started, never a crash); use thread-locals or std blocking calls inside a coroutine (see
//! `coroutines::go`). See `coroutines` for two of may's habits this code works around.
//!
//! Over real lines (`lines = tcp`) a switchboard coroutine takes the ringer's place: its
//! `accept` on may's listener parks it until a caller connects (the socket is registered with
//! may's event loop, which the workers poll), and each connection gets a coroutine of its own
//! running the call as plain blocking code. While the caller talks that coroutine is parked in
//! `read`, and its worker goes on with the other calls and the desk. The closing bell shuts the
//! listening socket: the event loop wakes the parked `accept`, which fails, and the switchboard
//! coroutine goes home (`lines`).

mod coroutines;
mod lines;
mod primitives;

pub use primitives::primitives;

use coroutines::{AllDone, KEEP_FOR_DESK, go, nap};
use workload::phone::Served;
use workload::{Arrangement, Desk, Logbook, Office, Switching, Workers};

/// `cores` may workers switching coroutines at their waits and the desk's yields; may's own
/// timer thread wakes sleepers, so rings do not wait for a poll budget.
pub const ARRANGEMENT: Arrangement = Arrangement {
    workers: Workers::Cores,
    switching: Switching::Cooperative,
    timer_check_polls: None,
    desk: Desk::OneWorker,
};

/// Runs the day on `cores` may workers, within the machine's budget of live coroutines.
pub fn run(office: &Office, cores: usize) -> Logbook {
    run_within(office, cores, None)
}

/// [`run`] with at most `max_live` coroutines alive at once (default: the machine's budget).
pub fn run_within(office: &Office, cores: usize, max_live: Option<usize>) -> Logbook {
    let live = &coroutines::budget(cores, max_live); // may configured on the first run
    let _all_done = AllDone(live); // first: no return (or unwind) before every coroutine ends
    coroutines::start_may(live); // its workers, timer thread and stack pool, before the clock
    let clock = office.open();
    let (sheets, filed) = may::sync::mpsc::channel();
    let desk = go(live, 0, move || {
        let (mut log, mut plain_yields) = (office.logbook(), 0u64);
        for appt in office.appointments() {
            if clock.now_ns() < appt.due_us() * 1_000 {
                may::coroutine::sleep(clock.until(appt.due_us()));
                log.woke(appt.due_us(), &clock);
                may::coroutine::yield_now(); // off may's timer thread, back to a worker
            }
            let sheet = office.check_appointment(appt, &clock, || {
                if coroutines::get_back_in_line(live).is_err() {
                    plain_yields += 1;
                    may::coroutine::yield_now();
                }
            });
            log.file_appointment(sheet);
        }
        if plain_yields > 0 {
            log.note(format!(
                "desk: {plain_yields} yields without a spare coroutine"
            ));
        }
        log
    });
    let listener = office.take_listener().map(coroutines::switchboard);
    let lines = listener.is_some();
    // The phone line: rings each call on time (on may's timer thread, where sleepers wake) and
    // hands it to a new coroutine; it does none of the secretary's work itself.
    let ringer = go(live, 0, move || {
        if let Some(listener) = listener {
            return lines::answer(office, &listener, clock, live, &sheets);
        }
        let mut log = office.logbook();
        for &call in office.calls() {
            if clock.now_ns() < call.ring_us() * 1_000 {
                may::coroutine::sleep(clock.until(call.ring_us()));
                log.woke(call.ring_us(), &clock);
            }
            let noticed = clock.now_ns();
            let sheets = sheets.clone();
            let started = go(live, KEEP_FOR_DESK, move || {
                let sheet = office.take_call(&call, &clock, noticed, nap);
                let _ = sheets.send(Served::Call(sheet)); // the receiver outlives every sender
            });
            if let Err(e) = started {
                log.could_not_start(&call, format!("call {}: {e}", call.id()));
            }
        }
        log
    });
    let mut log = office.logbook();
    for served in filed {
        served.file(&mut log);
    }
    for role in [desk, ringer] {
        match role.map(|h| h.join()) {
            Ok(Ok(part)) => log.merge(part),
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(e) => panic!("cannot start the desk or the ringer coroutine: {e}"),
        }
    }
    let accounted = log.counters().answered_calls + log.counters().missed_calls;
    assert!(
        lines || accounted == office.calls().len() as u64, // over lines, some never ring
        "a call ended without its sheet"
    );
    coroutines::add_notes(&mut log, cores, live);
    log
}
