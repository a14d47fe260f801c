//! The smol secretary: ONE secretary on ONE thread, switching between phone and desk — the
//! essay's concurrency without parallelism, as async-std did it, with the parts async-std was
//! built on and is now discontinued in favour of.
//!
//! Every ringing phone is a task of a `LocalExecutor`, the appointment book is one more task,
//! a phone-line task rings each call on time, and one thread — the caller of `run`, inside
//! `smol::block_on` — polls them, switching at `.await` points: a caller's talk
//! (`Timer::after`) or the desk's `future::yield_now` between two chunks; the root future is
//! the clerk who files finished calls. A `LocalExecutor<'a>` runs tasks that borrow anything
//! living longer than it, so the tasks borrow the `Office` we were handed (no twin office, no
//! `'static`); the line shares the executor through an `Rc` to spawn the calls.
//!
//! What it cannot do: parallelism (a second core buys nothing), nor interleave inside a chunk
//! of desk work or a reply: one long chunk keeps every phone ringing (`tests/chunk.rs`).
//!
//! What smol does that shows in the numbers:
//! - **Precise timers.** async-io keeps exact `Instant` deadlines and waits with a timerfd: on
//!   a quiet thread a ring is noticed some tens of µs late (tokio's millisecond wheel: ~1 ms).
//! - **Rings wait for the executor's budget.** While tasks stay ready, `LocalExecutor::run`
//!   polls 200 of them before it yields to `block_on`, which only then looks at the reactor
//!   (where timers fire); the desk's `yield_now` just requeues it. So a busy desk in tiny
//!   chunks lets a ring in only every ~200 of them (`tests/chunk.rs`).
//! - **A second thread fires timers.** smol starts async-io's "async-io" thread; while this
//!   thread is busy it polls the reactor after a back-off (50 µs growing to 10 ms, then it
//!   blocks on it), fires due timers and wakes the phone line, which then queues behind a few
//!   chunks: a check in 100 chunks (fewer than one batch) still lets rings in after ~5-10 of
//!   them. It does none of the secretary's work, so the work stays on one thread. (That is why
//!   the phone line is a task and not part of the root future, which `run` polls only between
//!   batches: tried that way, `back-office` pick-up p99 was 47 ms instead of 11-14 ms.)
//!
//! Over real lines (`lines = tcp`) the phone-line task is the front desk: it awaits `accept`
//! on a `smol::net::TcpListener` and spawns a local task per connection, which awaits
//! `read_exact` while the caller talks. Neither blocks the thread: each task is parked on an
//! interest registered in async-io's reactor (epoll), and the reactor is polled by this
//! thread's `block_on` when it has nothing to run, or by the "async-io" thread while it is
//! busy, which wakes the task when bytes arrive. The closing bell shuts the listening socket:
//! the parked `accept` wakes with an error and the line task ends, so the clerk's channel
//! closes once the last call is filed.

mod primitives;

pub use primitives::primitives;
use smol::io::{AsyncReadExt, AsyncWriteExt};
use smol::{LocalExecutor, Timer, channel, future, net};
use std::rc::Rc;
use workload::line::FRAME_LEN;
use workload::phone::{AsyncLine, Served, serve_async};
use workload::{Arrangement, Logbook, Office};

/// One executor thread; async-executor looks at its timers every 200 polls while busy.
pub const ARRANGEMENT: Arrangement = Arrangement::one_cooperative(Some(200));

/// Runs the day as local tasks on the calling thread; `cores` is ignored.
pub fn run(office: &Office, _cores: usize) -> Logbook {
    // One logbook per worker (clerk, desk, phone line), allocated before the day starts.
    let (mut log, mut desk_log, mut line_log) =
        (office.logbook(), office.logbook(), office.logbook());
    line_log.note("smol: one LocalExecutor on the caller's thread (smol::block_on)");
    // Shared with the phone-line task, which spawns the calls; the tasks borrow `office`.
    let ex = Rc::new(LocalExecutor::new());
    smol::block_on(ex.run(async {
        let clock = office.open(); // the executor is running: the day starts now
        let (sheets, filed) = channel::unbounded();
        let desk = ex.spawn(async move {
            for appt in office.appointments() {
                desk_log
                    .wait_until_async(appt.due_us(), &clock, |d| async move {
                        Timer::after(d).await;
                    })
                    .await;
                let sheet = office
                    .check_appointment_async(appt, &clock, future::yield_now)
                    .await;
                desk_log.file_appointment(sheet);
            }
            desk_log
        });
        // The phone line: rings each call on time and starts a task to take it.
        let spawner = Rc::clone(&ex);
        let line = ex.spawn(async move {
            if let Some(listener) = office.take_listener() {
                let listener = net::TcpListener::try_from(listener)
                    .expect("the listening socket registers with async-io");
                loop {
                    let stream = match listener.accept().await {
                        Ok((stream, _)) => stream,
                        Err(_) if office.closed() => break, // the closing bell
                        Err(e) => {
                            line_log.note(format!("accept failed: {e}"));
                            continue;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    let sheets = sheets.clone();
                    spawner
                        .spawn(async move {
                            let served = serve_async(office, &clock, &mut Line(stream)).await;
                            let _ = sheets.send(served).await;
                        })
                        .detach();
                }
                return line_log;
            }
            for &call in office.calls() {
                line_log
                    .wait_until_async(call.ring_us(), &clock, |d| async move {
                        Timer::after(d).await;
                    })
                    .await;
                let noticed = clock.now_ns();
                let sheets = sheets.clone();
                spawner
                    .spawn(async move {
                        let talk = |d| async move {
                            Timer::after(d).await;
                        };
                        let sheet = office.take_call_async(&call, &clock, noticed, talk).await;
                        // The clerk reads until every sender is gone.
                        let _ = sheets.send(Served::Call(sheet)).await;
                    })
                    .detach();
            }
            line_log
        });
        // The clerk (the root future, same thread) files each finished call.
        let clerk = async {
            while let Ok(served) = filed.recv().await {
                served.file(&mut log);
            }
            log
        };
        let mut log = clerk.await;
        log.merge(desk.await);
        log.merge(line.await);
        log
    }))
}

/// A phone line: a smol TCP stream, one whole frame at a time.
struct Line(net::TcpStream);

impl AsyncLine for Line {
    async fn read_frame(&mut self, buf: &mut [u8; FRAME_LEN]) -> std::io::Result<()> {
        self.0.read_exact(buf).await
    }
    async fn write_frame(&mut self, buf: &[u8; FRAME_LEN]) -> std::io::Result<()> {
        self.0.write_all(buf).await
    }
}
