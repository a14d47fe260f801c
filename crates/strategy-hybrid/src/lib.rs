//! The hybrid secretaries: one secretary on the phone, the others at the desk, each doing
//! the kind of work their tool is good at.
//!
//! This is where the essay ends: "parallelism is a subclass of concurrency — before
//! performing several concurrent tasks, you must first organize them correctly". The work is
//! *structured* concurrently — every ringing phone is an async task on ONE phone thread, and
//! every appointment check is a task too — and then *executed* in parallel: when an
//! appointment falls due, the phone secretary hands the check to a `rayon` pool of `cores`
//! desk secretaries (`ScopeFifo::spawn_fifo`, the sheet comes back through a one-slot
//! channel) and goes straight back to the phone. A pool thread splits the check with
//! `par_iter` across the pool, as `strategy-rayon` does. Nothing on the phone thread ever
//! blocks on the pool: no `par_iter` or `install` inside a task, only an `.await` on the
//! channel. One check at a time, as in the one-thread async strategies (the desk task awaits
//! a check before it hands over the next), so the comparison with them shows what the
//! parallel hands buy and nothing else.
//!
//! The phone runs on smol's parts (`async-executor`'s `LocalExecutor`, `async-io`'s timers and
//! `block_on`), not tokio: async-io's timers are not rounded to the millisecond, it is the
//! reactor the one-thread `async-std` row runs on (so the two differ only in where the desk
//! is), and a `LocalExecutor` lets tasks borrow the office, so no twin office is needed.
//!
//! The pool has `cores` threads, each pinned to its own CPU as in `strategy-rayon` (so a desk
//! thread woken to take half a check runs beside the other, not on its CPU), and the phone
//! thread comes on top, unpinned: on 1 core the phone and
//! the one desk thread share the core and the kernel preempts between them, on 2 cores the
//! phone shares a core with one of the two desk threads. What it cannot do: make the desk
//! faster than `cores` free hands, or a ring cheaper than a wake-up of the phone thread; and a
//! check split in two waits for its slower half, so when other processes take the cores the
//! second hand buys nothing. In the numbers: on a desk-heavy day with 2 cores a check takes
//! about half as long as on one, and appointment lateness falls well below a one-thread async
//! secretary's; pick-up stays at or below theirs, because no desk chunk stands in its way.
//!
//! Over real lines (`lines = tcp`) the phone line awaits `accept` on an
//! `async_io::Async<TcpListener>` and spawns a task per connection on the phone thread, which
//! awaits `read_exact` on its `Async<TcpStream>` while the caller talks: parked on an interest
//! registered in async-io's reactor (epoll), polled by the phone thread's `block_on` when it
//! is idle or by the "async-io" thread while it is busy. The desk never sees a socket. The
//! closing bell shuts the listening socket: the parked `accept` wakes with an error, the line
//! stops taking calls, and the day ends once the last call is filed.

mod primitives;

use async_executor::LocalExecutor;
use async_io::{Async, Timer};
use futures_lite::{AsyncReadExt, AsyncWriteExt};
pub use primitives::primitives;
use rayon::prelude::*;
use std::net::{TcpListener, TcpStream};
use workload::line::FRAME_LEN;
use workload::phone::{AsyncLine, Served, serve_async};
use workload::record::DeskSheet;
use workload::{Appointment, Arrangement, Clock, Desk, Logbook, Office, Switching, Workers};

/// The phone: one smol executor thread, which looks at its timers every 200 polls while
/// busy; the desk: checks split across a pool of `cores` threads.
pub const ARRANGEMENT: Arrangement = Arrangement {
    workers: Workers::One,
    switching: Switching::Cooperative,
    timer_check_polls: Some(200),
    desk: Desk::SplitAcrossCores,
};

/// Runs the phone on the calling thread and the desk on a pool of `cores` rayon threads.
pub fn run(office: &Office, cores: usize) -> Logbook {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .thread_name(|i| format!("desk-{i}"))
        // Worker i owns CPU i of those the harness gave: see `pin_to_nth_allowed_cpu`.
        .start_handler(|i| _ = workload::threads::pin_to_nth_allowed_cpu(i))
        .build()
        .unwrap_or_else(|e| panic!("cannot build a rayon pool of {cores} threads: {e}"));
    // `in_place_scope_fifo` keeps the phone on THIS thread (outside the pool) and lets a
    // handed-over check borrow the office; the scope ends once every check has come back.
    pool.in_place_scope_fifo(|desk| {
        let phone = LocalExecutor::new();
        let (mut line_log, mut desk_log, mut log) =
            (office.logbook(), office.logbook(), office.logbook());
        line_log.note(format!(
            "hybrid: phone on one async-executor thread, desk on a rayon pool of {cores}"
        ));
        async_io::block_on(phone.run(async {
            let clock = office.open(); // the runtime and the pool are up: the day starts now
            let (sheets, filed) = async_channel::unbounded::<Served>();
            let desk_task = phone.spawn(async move {
                for &appt in office.appointments() {
                    sleep_until(appt.due_us(), &clock, &mut desk_log).await;
                    let (done, sheet) = async_channel::bounded(1);
                    desk.spawn_fifo(move |_| {
                        let _ = done.try_send(check(office, &appt, &clock)); // one slot: never full
                    });
                    match sheet.recv().await {
                        Ok(sheet) => desk_log.file_appointment(sheet),
                        Err(_) => break, // the check panicked; the scope re-raises it
                    }
                }
                desk_log
            });
            // The clerk files each finished call (same thread, its own task).
            let clerk = phone.spawn(async move {
                while let Ok(served) = filed.recv().await {
                    served.file(&mut log);
                }
                log
            });
            // The phone line (the root future): rings each call on time, a task takes it; or,
            // over real lines, a task takes each connection.
            if let Some(listener) = office.take_listener() {
                answer_lines(office, clock, listener, &phone, &sheets, &mut line_log).await;
            } else {
                for &call in office.calls() {
                    sleep_until(call.ring_us(), &clock, &mut line_log).await;
                    let noticed = clock.now_ns();
                    let sheets = sheets.clone();
                    phone
                        .spawn(async move {
                            let wait = |d| async move {
                                Timer::after(d).await;
                            };
                            let sheet = office.take_call_async(&call, &clock, noticed, wait).await;
                            let _ = sheets.send(Served::Call(sheet)).await; // the clerk reads until all senders are gone
                        })
                        .detach();
                }
            }
            drop(sheets);
            let mut log = clerk.await;
            log.merge(desk_task.await);
            log.merge(line_log);
            log
        }))
    })
}

/// Over real lines: accepts each connection and spawns a task on it, until the closing bell
/// shuts the listening socket.
async fn answer_lines<'a>(
    office: &'a Office,
    clock: Clock,
    listener: TcpListener,
    phone: &LocalExecutor<'a>,
    sheets: &async_channel::Sender<Served>,
    log: &mut Logbook,
) {
    let listener = Async::new(listener).expect("the listening socket registers with async-io");
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) if office.closed() => return, // the closing bell
            Err(e) => {
                log.note(format!("accept failed: {e}"));
                continue;
            }
        };
        let _ = stream.get_ref().set_nodelay(true);
        let sheets = sheets.clone();
        phone
            .spawn(async move {
                let served = serve_async(office, &clock, &mut Line(stream)).await;
                let _ = sheets.send(served).await;
            })
            .detach();
    }
}

/// A phone line: an async-io TCP stream, one whole frame at a time.
struct Line(Async<TcpStream>);

impl AsyncLine for Line {
    async fn read_frame(&mut self, buf: &mut [u8; FRAME_LEN]) -> std::io::Result<()> {
        self.0.read_exact(buf).await
    }
    async fn write_frame(&mut self, buf: &[u8; FRAME_LEN]) -> std::io::Result<()> {
        self.0.write_all(buf).await
    }
}

/// Sleeps on the reactor's timer until `due_us` into the day; records the wake-up's lateness
/// only when it really slept (workload's shared step, with async-io's timer).
async fn sleep_until(due_us: u64, clock: &Clock, log: &mut Logbook) {
    log.wait_until_async(due_us, clock, |d| async move {
        Timer::after(d).await;
    })
    .await;
}

/// One appointment check, its chunks spread over the whole pool (runs on a pool thread).
fn check(office: &Office, appt: &Appointment, clock: &Clock) -> DeskSheet {
    let mut sheet = office.open_book(appt, clock);
    let chunks: Vec<_> = office.desk_chunks(appt).collect();
    let done: Vec<_> = chunks.par_iter().map(|c| c.run(clock)).collect();
    for d in done {
        sheet.add(d); // any order: chunk values combine commutatively
    }
    sheet
}
