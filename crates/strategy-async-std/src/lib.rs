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
//! must be `'static`, so they share an `Rc` of a twin of the office (`Office::twin`: the
//! identical schedule and the same real lines), while the day's clock is the one of the office
//! we were handed.
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
//! Over real lines (`lines = tcp`) the phone-line task awaits `accept` on an
//! `async_std::net::TcpListener` and spawns a local task per connection, which awaits
//! `read_exact` while the caller talks: parked on an interest registered in async-io's
//! reactor (epoll), polled by this thread's `block_on` when it has nothing to run or by the
//! "async-io" thread while it is busy, which wakes the line whose bytes arrived. The closing
//! bell shuts the listening socket: the parked `accept` wakes with an error, the line task
//! ends, and the clerk's channel closes once the last call is filed.
//!
//! async-std is discontinued upstream in favour of smol (its runtime was already built on
//! smol's parts); this crate stays because the comparison was designed around it.

mod primitives;

use async_std::io::{ReadExt, WriteExt};
use async_std::{channel, net, task};
pub use primitives::primitives;
use std::rc::Rc;
use workload::line::FRAME_LEN;
use workload::phone::{AsyncLine, Served, serve_async};
use workload::{Arrangement, Clock, Logbook, Office};

/// One executor thread; async-executor looks at its timers every 200 polls while busy.
pub const ARRANGEMENT: Arrangement = Arrangement::one_cooperative(Some(200));

/// Runs the day as local tasks on the calling thread; `cores` is ignored.
pub fn run(office: &Office, _cores: usize) -> Logbook {
    let twin = Rc::new(office.twin());
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
            if let Some(listener) = twin.take_listener() {
                answer_lines(twin, listener, clock, &sheets, &mut line_log).await;
                return line_log;
            }
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
                    let _ = sheets.send(Served::Call(sheet)).await; // the clerk reads until every sender is gone
                });
                if let Err(e) = taken {
                    line_log.could_not_start(&call, format!("task spawn failed: {e}"));
                }
            }
            line_log
        });
        // The clerk (the root future, same thread) files each finished call.
        while let Ok(served) = filed.recv().await {
            served.file(&mut log);
        }
        log.merge(desk.await);
        log.merge(line.await);
        log
    })
}

/// Over real lines: accepts each connection and spawns a local task on it, until the closing
/// bell shuts the listening socket. A connection whose task cannot be spawned is closed.
async fn answer_lines(
    office: Rc<Office>,
    listener: std::net::TcpListener,
    clock: Clock,
    sheets: &channel::Sender<Served>,
    log: &mut Logbook,
) {
    let listener = net::TcpListener::from(listener);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) if office.closed() => return, // the closing bell
            Err(e) => {
                log.note(format!("accept failed: {e}"));
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let (office, sheets) = (Rc::clone(&office), sheets.clone());
        let taken = task::Builder::new().local(async move {
            let _ = sheets
                .send(serve_async(&office, &clock, &mut Line(stream)).await)
                .await;
        });
        if let Err(e) = taken {
            log.could_not_answer(format!("task spawn failed: {e}"));
        }
    }
}

/// A phone line: an async-std TCP stream, one whole frame at a time.
struct Line(net::TcpStream);

impl AsyncLine for Line {
    async fn read_frame(&mut self, buf: &mut [u8; FRAME_LEN]) -> std::io::Result<()> {
        self.0.read_exact(buf).await
    }
    async fn write_frame(&mut self, buf: &[u8; FRAME_LEN]) -> std::io::Result<()> {
        self.0.write_all(buf).await
    }
}
