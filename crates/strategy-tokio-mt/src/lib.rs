//! The tokio work-stealing secretaries: `cores` secretaries (tokio's `multi_thread` worker
//! threads) sharing one office's ringing phones and its appointment book.
//!
//! Every ringing phone is a task, the appointment book is one more task, a phone-line task
//! rings each call on time, and a clerk task files the finished calls; `Runtime::block_on` on
//! the calling thread only waits for them. Each worker runs its own queue of ready tasks and
//! steals from the others when it runs dry, so on ONE worker this is the essay's single
//! secretary going from phone to desk and back (concurrency without parallelism), and with
//! two or more, one secretary can answer a phone while another is at the desk (parallelism).
//! Spawned tasks must be `'static` and `Send`: they share an `Arc` of a twin of the office
//! (`Office::twin`: the identical schedule and the same real lines) and the day's clock of the
//! office we were handed.
//!
//! What it cannot do: preempt — a chunk or a reply holds its worker until it ends; split one
//! appointment check across workers (the desk is one task, on one worker at a time).
//!
//! What tokio's scheduler does that shows in the numbers:
//! - **Timers round up to whole milliseconds** (1 ms wheel ticks, deadlines rounded up, idle
//!   workers parked for whole ticks): `sleep(1 ms)` takes ≈ 2 ms and rings are noticed 0–2 ms
//!   late, ~1 ms at the median — right on the harness's 1 ms line for an `invalid` row. It
//!   shows in timer lateness, pick-up and reply latency; no workaround here.
//! - A worker looks at the timers when it runs out of tasks, or every `event_interval` = 61
//!   task polls while it stays busy; `yield_now` *defers* the desk until then, so a busy desk
//!   lets every due ring in after about one chunk.
//! - **The LIFO slot.** A task woken or spawned on a worker goes to that worker's LIFO slot
//!   and runs next — a new call starts right after the line task rings it — but another worker
//!   cannot steal it, and the slot gets at most 3 polls in a row (and only within the coop
//!   budget of 128 tokio operations per task poll). The desk lands there too: woken after
//!   the timers, it runs one chunk before the tasks they woke, then yields behind them again.
//!   On one worker the desk cannot starve the phones (`tests/desk_cannot_starve_calls.rs`).
//! - `block_in_place` and `spawn_blocking` (a pool of up to 512 extra threads) would add
//!   secretaries beyond `cores`; neither is used, so only the workers do the work.
//!
//! Over real lines (`lines = tcp`) the phone-line task awaits `accept` on a
//! `tokio::net::TcpListener` and spawns a task per connection, which awaits `read_exact`
//! while the caller talks: parked on an interest registered with tokio's I/O driver (epoll,
//! through mio), which lives inside the runtime and belongs to no thread of its own — the
//! first worker to run out of tasks parks in `epoll_wait` (the others on a condvar), and a
//! busy worker polls it every 61 polls; the woken line goes to that worker's queue, where an
//! idle worker can steal it. The closing bell shuts the listening socket: the parked `accept`
//! wakes with an error, the line task ends, and the clerk's channel closes once the last call
//! is filed.

mod primitives;

pub use primitives::primitives;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::{net, runtime, sync::mpsc, task, time};
use workload::line::FRAME_LEN;
use workload::phone::{AsyncLine, Served, serve_async};
use workload::{Arrangement, Clock, Desk, Logbook, Office, Switching, Workers};

/// `cores` workers switching tasks at their `.await`s; timers every 61 polls while busy.
pub const ARRANGEMENT: Arrangement = Arrangement {
    workers: Workers::Cores,
    switching: Switching::Cooperative,
    timer_check_polls: Some(61),
    desk: Desk::OneWorker,
};

/// The name of tokio's worker threads here (the report's thread list and timeline lanes).
pub const WORKER_NAME: &str = "tokio-mt-worker";

/// Runs the day as tasks of a multi-thread runtime with `cores` worker threads.
pub fn run(office: &Office, cores: usize) -> Logbook {
    let twin = Arc::new(office.twin());
    let lines = office.take_listener();
    // One logbook per worker (clerk, desk, phone line), allocated before the day starts.
    let (mut log, mut desk_log, mut line_log) =
        (office.logbook(), office.logbook(), office.logbook());
    line_log.note(format!(
        "tokio: multi_thread runtime, {cores} worker threads"
    ));
    let mut rt = runtime::Builder::new_multi_thread();
    if lines.is_some() {
        rt.enable_io(); // the I/O driver, inside this runtime
    }
    let rt = rt
        .worker_threads(cores)
        .thread_name(WORKER_NAME)
        .enable_time()
        .build()
        .expect("a multi-thread runtime");
    rt.block_on(async {
        let clock = office.open(); // the workers are up: the day starts now
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
        // The clerk files each finished call, on a worker like everyone else.
        let clerk = tokio::spawn(async move {
            while let Some(served) = filed.recv().await {
                served.file(&mut log);
            }
            log
        });
        let mut log = joined(clerk.await);
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
