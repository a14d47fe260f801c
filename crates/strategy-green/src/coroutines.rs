//! How the green secretary uses `may`: the runtime settings, the ONE place that starts a
//! coroutine (an `unsafe` of the crate, with its budget of live coroutines), the listening
//! socket handed to may (the other `unsafe`: may takes one only by raw descriptor), the two ways
//! a coroutine waits (`nap`: sleep then get back to a worker; `get_back_in_line`: let everyone
//! already waiting go first). Which OS threads did the work is in the report's thread records
//! (the tests check from them that no work stays on may's timer thread).
//!
//! Two facts about may 0.3.51 shape this file (measured here, see the crate's tests):
//! - a coroutine woken after `sleep` is resumed on may's timer thread, not on a worker; left
//!   there, every reply would run on that one extra thread and delay every other timer;
//! - `yield_now` puts a coroutine back in its worker's LOCAL queue, and a worker looks at its
//!   GLOBAL queue (new coroutines, coroutines woken by another thread) only when the local one
//!   is empty: a desk that yields with `yield_now` keeps every new call waiting until the
//!   whole appointment check is done (a loop of `yield_now` never lets them in at all).

use may::coroutine::{self, Builder, JoinHandle};
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use workload::Logbook;

/// Coroutine stack, in machine words (may's unit): 64 KiB. Deepest use measured (may's
/// footprint check): a call 2 KiB (release) / 5 KiB (debug), the desk and the ringer 6.6 / 12
/// KiB, a panic printing its backtrace 21 KiB — close to may's default of 32 KiB. Only touched
/// pages cost memory (~9 KiB per live coroutine whatever the size), and the size does not
/// change the number of memory mappings, the real limit: a bigger stack costs address space.
pub(crate) const STACK_WORDS: usize = 0x2000;
/// Idle stacks may keeps for reuse (its default is 1,000). may maps and touches them all when
/// it starts; past the pool, a finished coroutine's stack is unmapped and a new one mapped.
/// 1,024 covers every scenario's steady churn: only `call-center`'s ramp to ~15k calls in
/// flight maps fresh stacks. Measured: a pool of 16,384 took `call-center`'s median pick-up
/// from ~115 to ~95 µs, but cost 0.3 s of start-up and +120 MB of RSS in every scenario.
pub(crate) const POOL_CAPACITY: usize = 1_024;
/// Memory mappings per coroutine stack: the stack and its guard page. Stacks mapped at once
/// never exceed max(pool, live coroutines), so budgeting live coroutines bounds them.
const MAPS_PER_STACK: usize = 2;
/// Mappings left for everything else (heap, histograms, thread stacks). Measured without a
/// budget: may failed to map stack number 32,736 of 65,530 mappings; the budget stops at ~31.7k.
const MAP_MARGIN: usize = 2_048;

/// Places in the coroutine budget that calls leave free, so the desk can still get back in
/// line (its helper is one short-lived coroutine) when the phones have taken all the others.
pub(crate) const KEEP_FOR_DESK: usize = 4;

/// The settings chosen on the first run of this process (may's are process-wide, fixed once
/// its scheduler has started).
#[derive(Debug)]
pub(crate) struct Setup {
    pub workers: usize,
    pub max_live: usize,
    pub budget_why: String,
}

/// Configures may (before its first spawn) and sizes the coroutine budget.
pub(crate) fn setup(cores: usize) -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        may::config()
            .set_workers(cores)
            .set_stack_size(STACK_WORDS)
            .set_pool_capacity(POOL_CAPACITY);
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let max_maps = read("/proc/sys/vm/max_map_count")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(65_530usize);
        let in_use = read("/proc/self/maps").map_or(0, |s| s.lines().count());
        let max_live = (max_maps.saturating_sub(in_use + MAP_MARGIN) / MAPS_PER_STACK).max(1);
        let budget_why = format!(
            "at most {max_live} live coroutines: vm.max_map_count {max_maps}, {in_use} mappings \
             in use at start, {MAP_MARGIN} kept spare, {MAPS_PER_STACK} per stack"
        );
        Setup {
            workers: cores,
            max_live,
            budget_why,
        }
    })
}

/// A day's budget of live coroutines: `max_live` if asked for, else the machine's (may is
/// configured for `cores` workers on the first run of the process).
pub(crate) fn budget(cores: usize, max_live: Option<usize>) -> Live {
    let setup = setup(cores);
    match max_live {
        Some(n) => Live::new(n, format!("at most {n} live coroutines (asked for)")),
        None => Live::new(setup.max_live, setup.budget_why.clone()),
    }
}

/// Starts may (its workers, timer thread and stack pool) with one empty coroutine, and waits
/// for it to end.
pub(crate) fn start_may(live: &Live) {
    if let Ok(first) = go(live, 0, || ()) {
        let _ = first.join();
    }
}

/// The coroutines of one day still alive, and how many may be.
#[derive(Debug)]
pub(crate) struct Live {
    count: AtomicUsize,
    limit: usize,
    why: String,
}

impl Live {
    pub(crate) fn new(limit: usize, why: String) -> Live {
        Live {
            count: AtomicUsize::new(0),
            limit,
            why,
        }
    }

    /// Blocks the calling OS thread until every coroutine of the day has finished.
    pub(crate) fn wait_all(&self) {
        while self.count.load(Ordering::Acquire) != 0 {
            std::thread::sleep(Duration::from_micros(100));
        }
    }
}

/// Waits, on the calling OS thread, for every coroutine of `live` — also while unwinding.
pub(crate) struct AllDone<'a>(pub &'a Live);

impl Drop for AllDone<'_> {
    fn drop(&mut self) {
        self.0.wait_all();
    }
}

/// Counts a coroutine out when it ends (normally or by panic).
struct Leaving<'a>(&'a Live);

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        // The coroutine's last touch of anything `run` owns.
        self.0.count.fetch_sub(1, Ordering::Release);
    }
}

/// Starts `f` as a coroutine, or says why not: it would leave fewer than `keep_free` places in
/// the budget of live coroutines, or may could not map a stack (may panics there; the panic is
/// caught and becomes the error).
pub(crate) fn go<'a, T: Send + 'static>(
    live: &'a Live,
    keep_free: usize,
    f: impl FnOnce() -> T + Send + 'a,
) -> io::Result<JoinHandle<T>> {
    go_with(Builder::new(), live, keep_free, f)
}

/// [`go`] with may's `Builder` (e.g. to pick the worker whose queue the coroutine joins).
fn go_with<'a, T: Send + 'static>(
    builder: Builder,
    live: &'a Live,
    keep_free: usize,
    f: impl FnOnce() -> T + Send + 'a,
) -> io::Result<JoinHandle<T>> {
    if live.count.fetch_add(1, Ordering::AcqRel) + keep_free >= live.limit {
        live.count.fetch_sub(1, Ordering::Release);
        return Err(io::Error::other(format!("out of coroutines: {}", live.why)));
    }
    let body: Box<dyn FnOnce() -> T + Send + 'a> = Box::new(move || {
        let _leaving = Leaving(live);
        f()
    });
    // SAFETY: may's two rules for a coroutine, and the borrow:
    // - no thread-local state held across a yield: this crate reads none, and workload reads
    //   one only inside `pick_up`,
    //   `open_book` and span tracing, non-generic functions that never yield and are not
    //   inlined into this crate (no LTO): they read an index and keep nothing;
    // - no std blocking call on a worker: coroutines wait only with may's `sleep`, `park`,
    //   `join`, channel and sockets; the rest is CPU work, allocation and atomics;
    // - `body` borrows from `run` for 'a, longer than may's 'static allows: `run` does not
    //   return or unwind before `AllDone` sees `live` at zero, and `Leaving` is the last thing
    //   a coroutine does with those borrows.
    let started = catch_unwind(AssertUnwindSafe(|| unsafe {
        let body = std::mem::transmute::<
            Box<dyn FnOnce() -> T + Send + 'a>,
            Box<dyn FnOnce() -> T + Send + 'static>,
        >(body);
        builder.spawn(body)
    }));
    let failed = match started {
        Ok(Ok(handle)) => return Ok(handle),
        Ok(Err(e)) => e,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_owned());
            io::Error::other(format!("may could not create a coroutine stack: {why}"))
        }
    };
    live.count.fetch_sub(1, Ordering::Release);
    Err(failed)
}

/// The harness's listening socket as may's: registered with may's event loop (which the
/// workers poll), so an `accept` parks its coroutine instead of blocking a worker. Panics if
/// may cannot register it (epoll refused).
pub(crate) fn switchboard(listener: std::net::TcpListener) -> may::net::TcpListener {
    use std::os::fd::{FromRawFd as _, IntoRawFd as _};
    let fd = listener.into_raw_fd();
    // SAFETY: `into_raw_fd` gave the descriptor up, open, with no owner left: may's listener
    // becomes its only owner.
    unsafe { may::net::TcpListener::from_raw_fd(fd) }
}

/// Sleeps for `d` (may resumes the coroutine on its timer thread), then gets back to a worker:
/// a `yield_now` on the timer thread queues the coroutine in a worker's global queue.
pub(crate) fn nap(d: Duration) {
    if !d.is_zero() {
        coroutine::sleep(d);
        coroutine::yield_now();
    }
}

/// Lets every coroutine already waiting for a worker go first, then carries on: a fresh
/// coroutine that wakes this one is spawned (spawns go to the back of a worker's global queue)
/// and this one parks, so its worker empties its local queue and takes in the global one.
/// The helper always joins worker 0's queue, so the desk stays on one worker instead of
/// bouncing between workers, waking an idle one each time (measured on `back-office` at 30
/// appointments/s, 2 cores: desk lateness p99 28-38 ms instead of 43-123 ms, a third of the
/// system time). `Err` when no coroutine could be spared (the caller then just `yield_now`s).
pub(crate) fn get_back_in_line(live: &Live) -> io::Result<()> {
    let me = coroutine::current();
    go_with(Builder::new().id(0), live, 0, move || me.unpark())?;
    coroutine::park();
    Ok(())
}

/// Notes for the report: may's settings and the coroutine budget.
pub(crate) fn add_notes(log: &mut Logbook, cores: usize, live: &Live) {
    let setup = setup(cores);
    if setup.workers != cores {
        log.note(format!(
            "may's workers are fixed per process: {} (asked for {cores})",
            setup.workers
        ));
    }
    log.note(format!(
        "may: {} workers, {} KiB stacks, pool of {} stacks; {}",
        setup.workers,
        STACK_WORDS * size_of::<usize>() / 1024,
        POOL_CAPACITY,
        live.why
    ));
}
