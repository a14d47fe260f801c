//! The event-loop secretary: ONE secretary on ONE thread with a to-do list, and no runtime.
//!
//! This is the essay's concurrency with the logistics written out by hand: "he needs to stop
//! answering the phone to go to the desk and check the appointments, and then start answering"
//! again. Every call is a small state machine (`agenda.rs`); a binary heap of deadlines holds
//! every wait — the next ring, the next appointment, each caller who is talking. The loop:
//! turn every passed deadline into work, do ONE step (a pick-up or a reply first, else one
//! chunk of the appointment being checked), look at the deadlines again; with nothing to do,
//! sleep until the earliest one (`Logbook::wait_until`: timer lateness is recorded only when
//! the thread really slept). It is what every async runtime automates — futures are such state
//! machines, timer wheels such heaps — written out once, so its numbers are the floor of what
//! interleaving costs: it looks at its deadlines after every step (a runtime after up to 61 or
//! 200 polls), it gives the phone priority over the desk, and there is no waker, task or queue
//! beyond a `VecDeque` and a `BinaryHeap`. It depends on `workload`, and for real lines on
//! `mio` and `rustix` alone.
//!
//! Over real phone lines (`lines = tcp`, `lines.rs`) its phone line is a registered interest in
//! epoll (through mio): the listening socket and every caller's connection sit in one poll, so
//! nobody is blocked while a caller talks — a caller's talk is no longer a deadline, it is their
//! socket becoming readable. The loop takes a look at the sockets (epoll with no wait) before
//! every step; each frame a caller sent joins the phone's to-do list, and hearing it (the
//! pick-up's or the reply's work) and writing the answer is ONE step, still before the desk.
//! With nothing to do, the one thread sleeps in `epoll_wait` until a socket is ready or the next
//! deadline (an appointment), which a timerfd in the same poll marks to the microsecond
//! (epoll's own timeout counts whole milliseconds). The day ends at the closing bell: the
//! caller's last connection shuts the listening socket, its accept errs, the loop stops
//! watching it, finishes the calls in progress and the appointments, and returns.
//!
//! What it cannot do: parallelism — a second core buys nothing (`cores` is ignored) — or
//! interrupt a step: a ring waits for the step in progress, at worst one desk chunk. In the
//! numbers: on `office` nine calls in ten are picked up within about a desk chunk plus the
//! wake-up, and nobody hangs up unless the OS stalls the thread for longer than the callers'
//! patience. Its typical pick-up is a few tens of µs above the async runtimes': it sleeps
//! with `std::thread::sleep`, which carries the kernel's timer slack (50 µs by default),
//! where async-io (under async-std and smol) waits on a timerfd.

mod agenda;
mod lines;
mod primitives;

pub use primitives::primitives;

use agenda::{Deadline, Next, Step, Wake};
use lines::Lines;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Duration;
use workload::{Arrangement, Desk, Logbook, Office, Switching, Workers};

/// One thread, cooperative by construction; it checks its deadlines after every step.
pub const ARRANGEMENT: Arrangement = Arrangement {
    workers: Workers::One,
    switching: Switching::Cooperative,
    timer_check_polls: Some(1),
    desk: Desk::OneWorker,
};

/// Runs the day on the calling thread; `cores` is ignored.
pub fn run(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    log.note("event-loop: one thread, a deadline heap and a to-do list; no runtime");
    // Over real lines the callers ring themselves: no ring (or talk) is a deadline.
    let mut lines = office.take_listener().map(|listener| {
        Lines::open(listener).unwrap_or_else(|e| panic!("the listening socket: {e}"))
    });
    let (calls, appointments) = (office.calls(), office.appointments());
    let ring = |i: usize| {
        calls.get(i).map(|c| Deadline {
            at_ns: c.ring_us() * 1_000,
            wake: Wake::Ring(i),
        })
    };
    let due = |i: usize| {
        appointments.get(i).map(|a| Deadline {
            at_ns: a.due_us() * 1_000,
            wake: Wake::Due(i),
        })
    };
    // Only the NEXT ring and the NEXT due time are in the heap: the phone rings when it rings.
    let first_ring = ring(0).filter(|_| lines.is_none());
    let mut deadlines: BinaryHeap<Deadline> = first_ring.into_iter().chain(due(0)).collect();
    let mut phone: VecDeque<Step> = VecDeque::new();
    let mut book = VecDeque::new(); // appointments that fell due, not yet checked
    let mut desk = None; // the check in progress: its sheet and the chunks still to do
    let clock = office.open();
    loop {
        // 0. Over real lines: a look at the sockets (no wait): new callers, what they said.
        if let Some(lines) = &mut lines {
            lines.look(Some(Duration::ZERO), office, &mut log);
        }
        // 1. Every deadline that has passed becomes work to do.
        let now = clock.now_ns();
        while deadlines.peek().is_some_and(|d| d.at_ns <= now) {
            let Some(d) = deadlines.pop() else { break };
            match d.wake {
                Wake::Ring(i) => {
                    phone.push_back(Step::PickUp {
                        call: calls[i],
                        noticed_ns: now,
                    });
                    deadlines.extend(ring(i + 1));
                }
                Wake::Due(i) => {
                    book.push_back(appointments[i]);
                    deadlines.extend(due(i + 1));
                }
                Wake::TalkEnds(sheet) => phone.push_back(Step::Reply(sheet)),
            }
        }
        // 2. One step on the phone, if a caller is waiting for one ...
        if let Some(step) = phone.pop_front() {
            match step.run(office, &clock) {
                Next::Listening { until_ns, sheet } => deadlines.push(Deadline {
                    at_ns: until_ns,
                    wake: Wake::TalkEnds(sheet),
                }),
                Next::Done(sheet) => log.file_call(sheet),
            }
            continue;
        }
        //    (over real lines: one frame a caller sent, heard and answered)
        if lines
            .as_mut()
            .is_some_and(|l| l.answer(office, &clock, &mut log))
        {
            continue;
        }
        // 3. ... else one chunk at the desk (opening the book for the next check if needed) ...
        let next_check = || {
            book.pop_front()
                .map(|a| (office.open_book(&a, &clock), office.desk_chunks(&a)))
        };
        if let Some((mut sheet, mut chunks)) = desk.take().or_else(next_check) {
            match chunks.next() {
                Some(chunk) => {
                    sheet.add(chunk.run(&clock));
                    desk = Some((sheet, chunks));
                }
                None => log.file_appointment(sheet),
            }
            continue;
        }
        // 4. ... else nothing to do: sleep until the earliest deadline, or the day is over.
        //    Over real lines the wait is epoll's: until a socket is ready or the deadline.
        let due_us = deadlines.peek().map(|d| d.at_ns.div_ceil(1_000));
        match (&mut lines, due_us) {
            (None, Some(due)) => log.wait_until(due, &clock),
            (None, None) => break,
            (Some(lines), None) if lines.closed() => break,
            (Some(lines), due) => {
                let wait = due.map(|due| clock.until(due));
                let socket = lines.look(wait, office, &mut log);
                let slept = !socket && wait.is_some_and(|w| !w.is_zero());
                if let Some(due) = due.filter(|&due| slept && clock.now_ns() >= due * 1_000) {
                    log.woke(due, &clock); // a timer wake: record its lateness
                }
            }
        }
    }
    log
}
