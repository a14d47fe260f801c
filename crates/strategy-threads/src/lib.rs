//! The thread-per-call secretaries: one OS thread for every call, one at the desk.
//!
//! Every ringing phone gets its own secretary (a `std` thread), and one more sits at the desk
//! with the appointment book. Nobody yields on purpose: the operating system's scheduler
//! preempts them, so on ONE core this is concurrency by interleaving (the essay's secretary
//! switching between phone and desk, done by the kernel), and on two or more cores the same
//! code becomes parallelism (two secretaries at work at the same time). `cores` is used only
//! through the harness's CPU pinning: the OS decides who runs where.
//!
//! What it cannot do: have more calls in flight than the OS gives threads. Each thread costs
//! a stack and several memory mappings (about 16k threads under `vm.max_map_count` = 65,530);
//! a refused spawn is reported per call, and running out past that aborts the process, which
//! the harness reports as a crashed row.

mod primitives;

pub use primitives::primitives;
use std::sync::mpsc;
use std::thread;
use workload::{Arrangement, Desk, Logbook, Office, Switching, Workers};

/// A thread per call, preempted by the OS; the desk is one more thread.
pub const ARRANGEMENT: Arrangement = Arrangement {
    workers: Workers::PerCall,
    switching: Switching::Preemptive,
    timer_check_polls: None,
    desk: Desk::OneWorker,
};

/// Runs the day with a thread per call and a desk thread; the calling thread files the sheets.
pub fn run(office: &Office, _cores: usize) -> Logbook {
    let clock = office.open();
    let (sheets, filed) = mpsc::channel();
    thread::scope(|s| {
        let desk = thread::Builder::new()
            .name("desk".into())
            .spawn_scoped(s, || {
                let mut log = office.logbook();
                for appt in office.appointments() {
                    log.wait_until(appt.due_us(), &clock);
                    log.file_appointment(office.check_appointment(appt, &clock, || ()));
                }
                log
            });
        // The phone line: rings each call on time and hands it to a new secretary.
        let line = thread::Builder::new()
            .name("phone-line".into())
            .spawn_scoped(s, move || {
                let mut log = office.logbook();
                for call in office.calls() {
                    log.wait_until(call.ring_us(), &clock);
                    let noticed = clock.now_ns();
                    let sheets = sheets.clone();
                    let secretary =
                        thread::Builder::new()
                            .name("call".into())
                            .spawn_scoped(s, move || {
                                let sheet = office.take_call(call, &clock, noticed, thread::sleep);
                                let _ = sheets.send(sheet); // the receiver lives until every sender is gone
                            });
                    if let Err(e) = secretary {
                        log.could_not_start(
                            call,
                            format!("thread spawn failed for call {}: {e}", call.id()),
                        );
                    }
                }
                log
            });
        let mut log = office.logbook();
        for sheet in filed {
            log.file_call(sheet);
        }
        for role in [desk, line] {
            match role.map(|h| h.join()) {
                Ok(Ok(part)) => log.merge(part),
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                Err(e) => panic!("cannot start the desk or phone-line thread: {e}"),
            }
        }
        log
    })
}
