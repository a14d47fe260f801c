//! The sequential secretary: ONE secretary who does ONE thing at a time, in schedule order.
//!
//! This is the essay's secretary without logistics: "he would wait until the time of the
//! appointment and do the necessary things and then go to the ringing phone". Whatever is
//! next in the day — a ringing phone or an appointment falling due — gets the secretary's full
//! attention until it is finished, listening pauses included: while a caller talks, the
//! secretary just waits on the line, and every other phone rings unanswered. No concurrency,
//! no parallelism: the baseline every other arrangement is measured against. Extra cores are
//! no help (`cores` is ignored).
//!
//! Over real lines (`lines = tcp`) the secretary waits at the switchboard (a blocking `poll`
//! on the listening socket, then `accept`), but only until the next appointment falls due;
//! then checks it to the end. A call it picks up it serves whole: while the caller talks it is
//! blocked in `read` on that one line, and every other caller waits in the kernel's accept
//! queue (and hangs up). It is the secretary who hears the closing bell (no one
//! else is there); then it finishes the appointments left and goes home.

mod primitives;

pub use primitives::primitives;
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use std::net::TcpListener;
use std::thread;
use workload::phone::serve_blocking;
use workload::{Appointment, Arrangement, Clock, Event, Logbook, Office};

/// One secretary, one thing at a time.
pub const ARRANGEMENT: Arrangement = Arrangement::SEQUENTIAL;

/// Works through the day in schedule order on the calling thread.
pub fn run(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    if let Some(listener) = office.take_listener() {
        answer_lines(office, &listener, &clock, &mut log);
        return log;
    }
    for event in office.events() {
        // Idle until the next thing happens (the phone rings when it rings).
        log.wait_until(event.at_us(), &clock);
        let noticed = clock.now_ns();
        match event {
            // The whole call, waiting through every pause of the caller.
            Event::Ring(call) => {
                log.file_call(office.take_call(&call, &clock, noticed, thread::sleep))
            }
            // The whole check, never looking up from the book.
            Event::Due(appt) => {
                log.file_appointment(office.check_appointment(&appt, &clock, || ()))
            }
        }
    }
    log
}

/// Over real lines: appointments due are checked first, then the secretary waits for a line
/// until the next one falls due (`poll`, whose timeout is to the nanosecond; an accept's
/// `SO_RCVTIMEO` counts in kernel ticks, 4-12 ms late here), and serves the line it gets to the
/// last reply.
fn answer_lines(office: &Office, listener: &TcpListener, clock: &Clock, log: &mut Logbook) {
    let mut appts = office.appointments().iter().peekable();
    let due = |a: &Appointment| clock.now_ns() >= a.due_us() * 1_000;
    while !office.closed() {
        while let Some(appt) = appts.next_if(|a| due(a)) {
            log.file_appointment(office.check_appointment(appt, clock, || ()));
        }
        let wait = appts
            .peek()
            .and_then(|a| Timespec::try_from(clock.until(a.due_us())).ok());
        match poll(&mut [PollFd::new(listener, PollFlags::IN)], wait.as_ref()) {
            Ok(0) => {
                if let Some(appt) = appts.peek().filter(|a| due(a)) {
                    log.woke(appt.due_us(), clock);
                }
            }
            Ok(_) => match listener.accept() {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    serve_blocking(office, clock, stream).file(log); // the bell sets `closed`
                }
                Err(_) if office.closed() => break,
                Err(e) => log.note(format!("accept failed: {e}")),
            },
            Err(e) => log.note(format!("poll failed: {e}")),
        }
    }
    for appt in appts {
        log.wait_until(appt.due_us(), clock);
        log.file_appointment(office.check_appointment(appt, clock, || ()));
    }
}
