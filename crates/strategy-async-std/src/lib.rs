//! The async-std secretary: ONE secretary on ONE thread, switching between phone and desk.
//!
//! This is the essay's concurrency without parallelism: "he needs to stop answering the phone
//! to go to the desk and check the appointments, and then start answering" again. The runtime
//! does the logistics: every ringing phone is a task, the appointment book is one more task,
//! and async-std interleaves them on a single OS thread at `.await` points — a caller's
//! pause (`task::sleep`) or the desk's `task::yield_now` between two chunks of a check.
//!
//! One thread, whatever `cores` is: every task is a local task (`task::spawn_local`, behind
//! async-std's `unstable` feature) of one `task::block_on` on the calling thread, and a local
//! task never leaves the thread that spawned it. (async-std still starts its global pool
//! and the `async-io` reactor thread on first use; no task of ours runs there.) Local tasks
//! must be `'static`, so they share an `Rc` of a twin `Office` built from the same spec —
//! the identical schedule — while the day's clock is the one of the office we were handed.
//!
//! What it cannot do: parallelism of the secretary's work — every call and every desk chunk
//! runs on the one thread (the thread records prove it, `tests/one_thread.rs`). What a second
//! core does buy, measured: async-io's reactor thread (`async-io`) processes the timers while
//! our thread is busy — when `block_on` is not polling the reactor itself, that thread fires
//! expired timers and wakes their tasks — so on two cores rings are noticed sooner and the
//! process shows slightly more than one core busy (rush-hour: ~1.07 cores on 2). That is the
//! runtime's timer thread, not a second secretary. The interleaving is only as fine as the
//! `.await` points: a long chunk of desk work without one blocks every phone.
//! Coarser still for rings: a ring is a timer, and while tasks are ready the executor looks
//! at its timers only every 200 task polls (async-executor's budget), so a ring can wait
//! ~200 desk chunks, not one (`tests/chunk.rs`).
//!
//! async-std is discontinued upstream in favour of smol (its runtime was already built on
//! smol's parts); this crate stays because the comparison was designed around it.

mod primitives;

use async_std::{channel, task};
pub use primitives::primitives;
use std::rc::Rc;
use workload::{Arrangement, Logbook, Office};

/// One executor thread; async-executor looks at its timers every 200 polls while busy.
pub const ARRANGEMENT: Arrangement = Arrangement::one_cooperative(Some(200));

/// Runs the day as local tasks on the calling thread; `cores` is ignored.
pub fn run(office: &Office, _cores: usize) -> Logbook {
    let twin = Office::new(office.spec().clone(), office.timeline_window())
        .expect("the spec was validated when the office was built");
    assert!(twin.schedule() == office.schedule(), "same spec, same day");
    let twin = Rc::new(twin);
    // One logbook per worker (clerk, desk, phone line), allocated before the day starts.
    let (mut log, mut desk_log, mut line_log) =
        (office.logbook(), office.logbook(), office.logbook());
    line_log.note("async-std: one executor thread (block_on + spawn_local on the caller)");
    task::block_on(async {
        let clock = office.open(); // the runtime is up: the day starts now
        let (sheets, filed) = channel::unbounded();
        let book = Rc::clone(&twin);
        let desk = task::spawn_local(async move {
            for appt in book.appointments() {
                desk_log
                    .wait_until_async(appt.due_us(), &clock, task::sleep)
                    .await;
                let sheet = book
                    .check_appointment_async(appt, &clock, task::yield_now)
                    .await;
                desk_log.file_appointment(sheet);
            }
            desk_log
        });
        // The phone line: rings each call on time and starts a task to take it.
        let line = task::spawn_local(async move {
            for &call in twin.calls() {
                line_log
                    .wait_until_async(call.ring_us(), &clock, task::sleep)
                    .await;
                let noticed = clock.now_ns();
                let (office, sheets) = (Rc::clone(&twin), sheets.clone());
                let taken = task::Builder::new().local(async move {
                    let sheet = office
                        .take_call_async(&call, &clock, noticed, task::sleep)
                        .await;
                    let _ = sheets.send(sheet).await; // the clerk reads until every sender is gone
                });
                if let Err(e) = taken {
                    line_log.could_not_start(&call, format!("task spawn failed: {e}"));
                }
            }
            line_log
        });
        // The clerk (the root future, same thread) files each finished call.
        while let Ok(sheet) = filed.recv().await {
            log.file_call(sheet);
        }
        log.merge(desk.await);
        log.merge(line.await);
        log
    })
}
