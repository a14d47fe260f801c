//! The sequential secretary: ONE secretary who does ONE thing at a time, in schedule order.
//!
//! This is the essay's secretary without logistics: "he would wait until the time of the
//! appointment and do the necessary things and then go to the ringing phone". Whatever is
//! next in the day — a ringing phone or an appointment falling due — gets the secretary's full
//! attention until it is finished, listening pauses included: while a caller talks, the
//! secretary just waits on the line, and every other phone rings unanswered. No concurrency,
//! no parallelism: the baseline every other arrangement is measured against. Extra cores are
//! no help (`cores` is ignored).

mod primitives;

pub use primitives::primitives;
use std::thread;
use workload::{Arrangement, Event, Logbook, Office};

/// One secretary, one thing at a time.
pub const ARRANGEMENT: Arrangement = Arrangement::SEQUENTIAL;

/// Works through the day in schedule order on the calling thread.
pub fn run(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
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
