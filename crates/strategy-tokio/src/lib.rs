//! The tokio secretary: ONE secretary on ONE thread, switching between phone and desk — the
//! essay's concurrency without parallelism, with tokio's `current_thread` runtime doing the
//! logistics.
//!
//! Every ringing phone is a task, the appointment book is one more task, a phone-line task
//! rings each call on time, and one thread — the caller of `run`, inside `Runtime::block_on` —
//! polls them all, switching at `.await` points: a caller's talk (`time::sleep`) or the desk's
//! `task::yield_now` between two chunks. The tasks are `tokio::spawn`ed (their futures are
//! `Send`, so no `LocalSet` is needed); spawned tasks must be `'static`, so they share an `Arc`
//! of a twin of the office (`Office::twin`: the identical schedule and the same real lines),
//! while the day's clock is the one of the office we were handed.
//!
//! What it cannot do: parallelism (a second core buys nothing), nor interleave inside a chunk
//! of desk work or a reply: one long chunk keeps every phone ringing (`tests/chunk.rs`).
//!
//! What tokio's scheduler does that shows in the numbers:
//! - **Timers round up to whole milliseconds.** The timer wheel has 1 ms ticks, a deadline is
//!   rounded up to the next tick, and an idle thread parks for whole ticks counted from the
//!   current (truncated) tick: `sleep(1 ms)` takes ≈ 2 ms, and a ring or a due appointment is
//!   noticed 0–2 ms late (about 1 ms at the median, `tests/timer.rs`). It shows in the timer
//!   lateness, in pick-up (a ring is noticed late) and in reply latency (the caller's talk is
//!   overslept). This crate does not work around it: that is tokio's clock. (The harness calls
//!   a row `invalid` when its timers wake over 1 ms late at the median: measured 1.0–1.1 ms
//!   on the office days, so tokio rows sit right on that line.)
//! - **A busy desk lets a ring in after every chunk.** tokio looks at its timers when the run
//!   queue is empty, or after `event_interval` = 61 task polls while tasks stay ready, and
//!   `yield_now` does not requeue the desk at once: it *defers* it until the timers have been
//!   looked at. So the desk yields to every ready call and to every due ring: a ring waits
//!   about one chunk (plus the millisecond rounding), not up to ~200 as on async-std or smol
//!   (`tests/chunk.rs`).
//! - Each task poll has a coop budget of 128 tokio operations (sleeps, channel receives); the
//!   root future, filing sheets off a channel, gives the thread up after 128 of them.
//! - `block_in_place` would panic on this runtime and `spawn_blocking` would hand the desk to
//!   a separate pool of up to 512 threads — a second secretary — so neither is used.
//!
//! Over real lines (`lines = tcp`) the phone-line task awaits `accept` on a
//! `tokio::net::TcpListener` and spawns a task per connection, which awaits `read_exact`
//! while the caller talks: parked on an interest registered with tokio's I/O driver (epoll,
//! through mio), which lives INSIDE this runtime — no helper thread: the one thread polls it
//! when it runs out of tasks (parking in `epoll_wait`, with the next timer as timeout) or
//! every 61 polls while busy, and wakes the line whose bytes arrived. The closing bell shuts
//! the listening socket: the parked `accept` wakes with an error, the line task ends, and the
//! clerk's channel closes once the last call is filed.

mod primitives;

pub use primitives::primitives;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::{net, runtime, sync::mpsc, task, time};
use workload::line::FRAME_LEN;
use workload::phone::{AsyncLine, Served, serve_async};
use workload::{Arrangement, Clock, Logbook, Office};

/// One thread; tokio looks at its timers every 61 task polls while tasks stay ready.
pub const ARRANGEMENT: Arrangement = Arrangement::one_cooperative(Some(61));

/// Runs the day as tasks of a current-thread runtime on the calling thread; `cores` is ignored.
pub fn run(office: &Office, _cores: usize) -> Logbook {
    let twin = Arc::new(office.twin());
    let lines = office.take_listener();
    // One logbook per worker (clerk, desk, phone line), allocated before the day starts.
    let (mut log, mut desk_log, mut line_log) =
        (office.logbook(), office.logbook(), office.logbook());
    line_log.note("tokio: current_thread runtime (block_on + spawn on the caller's thread)");
    let mut rt = runtime::Builder::new_current_thread();
    if lines.is_some() {
        rt.enable_io(); // the I/O driver, inside this runtime
    }
    let rt = rt.enable_time().build().expect("a current-thread runtime");
    rt.block_on(async {
        let clock = office.open(); // the runtime is up: the day starts now
        let (sheets, mut filed) = mpsc::unbounded_channel();
        let book = Arc::clone(&twin);
        let desk = tokio::spawn(async move {
            for appt in book.appointments() {
                desk_log
                    .wait_until_async(appt.due_us(), &clock, time::sleep)
                    .await;
                let sheet = book
                    .check_appointment_async(appt, &clock, task::yield_now)
                    .await;
                desk_log.file_appointment(sheet);
            }
            desk_log
        });
        // The phone line: rings each call on time and starts a task to take it.
        let line = tokio::spawn(async move {
            if let Some(listener) = lines {
                answer_lines(twin, listener, clock, &sheets, &mut line_log).await;
                return line_log;
            }
            for &call in twin.calls() {
                line_log
                    .wait_until_async(call.ring_us(), &clock, time::sleep)
                    .await;
                let noticed = clock.now_ns();
                let (office, sheets) = (Arc::clone(&twin), sheets.clone());
                tokio::spawn(async move {
                    let sheet = office
                        .take_call_async(&call, &clock, noticed, time::sleep)
                        .await;
                    let _ = sheets.send(Served::Call(sheet)); // the clerk reads until every sender is gone
                });
            }
            line_log
        });
        // The clerk (the root future, same thread) files each finished call.
        while let Some(served) = filed.recv().await {
            served.file(&mut log);
        }
        log.merge(joined(desk.await));
        log.merge(joined(line.await));
        log
    })
}

/// A finished task's output; a task that panicked panics here with its own message.
fn joined<T>(result: Result<T, task::JoinError>) -> T {
    result.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// Over real lines: accepts each connection and spawns a task on it, until the closing bell
/// shuts the listening socket.
async fn answer_lines(
    office: Arc<Office>,
    listener: std::net::TcpListener,
    clock: Clock,
    sheets: &mpsc::UnboundedSender<Served>,
    log: &mut Logbook,
) {
    let listener = listener
        .set_nonblocking(true)
        .and_then(|()| net::TcpListener::from_std(listener))
        .expect("the listening socket registers with tokio");
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
        let (office, sheets) = (Arc::clone(&office), sheets.clone());
        tokio::spawn(async move {
            let _ = sheets.send(serve_async(&office, &clock, &mut Line(stream)).await);
        });
    }
}

/// A phone line: a tokio TCP stream, one whole frame at a time.
struct Line(net::TcpStream);

impl AsyncLine for Line {
    async fn read_frame(&mut self, buf: &mut [u8; FRAME_LEN]) -> std::io::Result<()> {
        self.0.read_exact(buf).await.map(drop)
    }
    async fn write_frame(&mut self, buf: &[u8; FRAME_LEN]) -> std::io::Result<()> {
        self.0.write_all(buf).await
    }
}
