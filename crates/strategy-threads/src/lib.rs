//! The thread-per-call secretaries: one OS thread for every call, one at the desk.
//!
//! Every ringing phone gets its own secretary (a `std` thread), and one more sits at the desk
//! with the appointment book. Nobody yields on purpose: the operating system's scheduler
//! preempts them, so on ONE core this is concurrency by interleaving (the essay's secretary
//! switching between phone and desk, done by the kernel), and on two or more cores the same
//! code becomes parallelism (two secretaries at work at the same time). `cores` is used only
//! through the harness's CPU pinning: the OS decides who runs where.
//!
//! What it cannot do: have more calls in flight than the machine gives threads. Every thread
//! is a task of the kernel (under `kernel.pid_max`, often 32,768 for the WHOLE machine, and
//! `kernel.threads-max`, a cgroup's `pids.max`) and four memory mappings (under
//! `vm.max_map_count` = 65,530: about 15,800 threads). Taking the last of them would starve
//! every other program on the machine and fail this process's own allocations (an abort), so
//! [`Budget`] stops short, keeping [`SPARE_TASKS`] and [`MAP_MARGIN`] free. When a thread cannot be started — the
//! budget is spent, or `std::thread::Builder::spawn` returns the OS's error — the secretary
//! stops taking calls: that call and every later one is reported as not started (missed), with
//! the reason ("could not start thread N: ..."), and the harness's row is `exhausted`, never a
//! crash. The calls already on the line are finished.
//!
//! Over real lines (`lines = tcp`) the phone-line thread is the front desk: it blocks in
//! `accept` and gives every connection a secretary thread of its own, which blocks in `read`
//! while the caller talks (the kernel parks it until bytes arrive) — the classic thread per
//! connection. The closing bell wakes the blocked `accept` and ends the day.

mod primitives;

pub use primitives::primitives;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use workload::phone::{Served, serve_blocking};
use workload::{Arrangement, Desk, Logbook, Office, Switching, Workers};

/// A thread per call, preempted by the OS; the desk is one more thread.
pub const ARRANGEMENT: Arrangement = Arrangement {
    workers: Workers::PerCall,
    switching: Switching::Preemptive,
    timer_check_polls: None,
    desk: Desk::OneWorker,
};

/// Kernel tasks (threads or processes) left to the rest of the machine.
pub const SPARE_TASKS: usize = 4_096;
/// Memory mappings left for everything else in this process (heap, histograms).
pub const MAP_MARGIN: usize = 2_048;
/// Memory mappings per thread: its stack and the stack's guard page, and the alternate
/// signal stack std gives every thread (to report a stack overflow) with its guard page. A
/// thread that cannot map the latter aborts the process (std panics while starting it).
const MAPS_PER_THREAD: usize = 4;

/// How many call threads may run at once, and why; and their stack size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Most call threads alive at once.
    pub max_threads: usize,
    /// The limit that set it, for the report.
    pub why: String,
    /// Stack of each call's thread, bytes (`None`: std's default, 2 MiB of address space, of
    /// which a call touches a few KiB).
    pub stack_bytes: Option<usize>,
}

fn read_number(path: &str) -> Option<usize> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Kernel tasks alive on the machine now (`/proc/loadavg`'s `running/total`).
fn tasks_on_machine() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace()
        .nth(3)?
        .split('/')
        .nth(1)?
        .parse()
        .ok()
}

/// This process's cgroup v2 `pids.max` and `pids.current`, when it has a number as limit.
fn cgroup_pids() -> Option<(usize, usize)> {
    let cgroup = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let path = cgroup.lines().find_map(|l| l.strip_prefix("0::"))?;
    let dir = format!("/sys/fs/cgroup{}", path.trim_end_matches('/'));
    Some((
        read_number(&format!("{dir}/pids.max"))?,
        read_number(&format!("{dir}/pids.current"))?,
    ))
}

impl Budget {
    /// The budget of this machine: the lowest of what `kernel.pid_max` and
    /// `kernel.threads-max` leave after the tasks alive now and [`SPARE_TASKS`], what this
    /// process's cgroup `pids.max` leaves, and what `vm.max_map_count` leaves after the
    /// mappings in use and [`MAP_MARGIN`].
    #[must_use]
    pub fn of_this_machine() -> Budget {
        let tasks = tasks_on_machine().unwrap_or(0);
        let mut limits: Vec<(usize, String)> = Vec::new();
        for (name, path) in [
            ("kernel.pid_max", "/proc/sys/kernel/pid_max"),
            ("kernel.threads-max", "/proc/sys/kernel/threads-max"),
        ] {
            if let Some(max) = read_number(path) {
                limits.push((
                    max.saturating_sub(tasks + SPARE_TASKS),
                    format!("{name} {max}, {tasks} tasks on the machine, {SPARE_TASKS} kept spare"),
                ));
            }
        }
        if let Some((max, current)) = cgroup_pids() {
            let spare = (max / 16).min(SPARE_TASKS);
            limits.push((
                max.saturating_sub(current + spare),
                format!("cgroup pids.max {max}, {current} in use, {spare} kept spare"),
            ));
        }
        let maps = read_number("/proc/sys/vm/max_map_count").unwrap_or(65_530);
        let in_use = std::fs::read_to_string("/proc/self/maps").map_or(0, |s| s.lines().count());
        limits.push((
            maps.saturating_sub(in_use + MAP_MARGIN) / MAPS_PER_THREAD,
            format!(
                "vm.max_map_count {maps}, {in_use} mappings in use, {MAP_MARGIN} kept spare, \
                 {MAPS_PER_THREAD} per thread"
            ),
        ));
        let (max_threads, why) = limits
            .into_iter()
            .min_by_key(|(n, _)| *n)
            .unwrap_or((1, String::new()));
        Budget {
            max_threads: max_threads.max(1),
            why,
            stack_bytes: None,
        }
    }

    /// At most `max_threads` call threads (e.g. a test's small limit).
    #[must_use]
    pub fn at_most(max_threads: usize) -> Budget {
        Budget {
            max_threads,
            why: "asked for".to_owned(),
            stack_bytes: None,
        }
    }
}

/// Runs the day with a thread per call within this machine's [`Budget`].
pub fn run(office: &Office, cores: usize) -> Logbook {
    run_with(office, cores, &Budget::of_this_machine())
}

/// Counts a call thread out when it ends.
struct Leaving<'a>(&'a AtomicUsize);

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Release);
    }
}

/// Runs the day with a thread per call and a desk thread, at most `budget.max_threads` call
/// threads at once; the calling thread files the sheets.
pub fn run_with(office: &Office, _cores: usize, budget: &Budget) -> Logbook {
    let clock = office.open();
    let (sheets, filed) = mpsc::channel();
    let live = &AtomicUsize::new(0);
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
        // The phone line: rings each call on time and hands it to a new secretary, until a
        // secretary cannot be found; from then on every ring goes unanswered.
        let line = thread::Builder::new()
            .name("phone-line".into())
            .spawn_scoped(s, move || {
                if let Some(listener) = office.take_listener() {
                    return answer_lines(office, listener, &clock, budget, live, &sheets);
                }
                let mut log = office.logbook();
                log.note(format!(
                    "threads: at most {} call threads ({}), stack {}",
                    budget.max_threads,
                    budget.why,
                    budget
                        .stack_bytes
                        .map_or("std's default".to_owned(), |b| format!("{b} bytes"))
                ));
                let mut refused: Option<String> = None;
                for call in office.calls() {
                    log.wait_until(call.ring_us(), &clock);
                    if let Some(why) = &refused {
                        log.could_not_start(call, why);
                        continue;
                    }
                    let noticed = clock.now_ns();
                    let sheets = sheets.clone();
                    let n = live.fetch_add(1, Ordering::AcqRel) + 1;
                    let started = if n > budget.max_threads {
                        Err(io::Error::other(format!(
                            "at most {} threads: {}",
                            budget.max_threads, budget.why
                        )))
                    } else {
                        let mut b = thread::Builder::new().name("call".into());
                        if let Some(bytes) = budget.stack_bytes {
                            b = b.stack_size(bytes);
                        }
                        b.spawn_scoped(s, move || {
                            let _leaving = Leaving(live);
                            let sheet = office.take_call(call, &clock, noticed, thread::sleep);
                            let _ = sheets.send(Served::Call(sheet)); // the receiver lives until every sender is gone
                        })
                        .map(drop)
                    };
                    if let Err(e) = started {
                        live.fetch_sub(1, Ordering::AcqRel);
                        let why = format!("could not start thread {n} (call {}): {e}", call.id());
                        log.could_not_start(call, &why);
                        refused = Some(why);
                    }
                }
                log
            });
        let mut log = office.logbook();
        for served in filed {
            served.file(&mut log);
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

/// Over real lines: accepts each connection and starts a secretary thread on it, within the
/// budget, until the closing bell shuts the listening socket. A connection that finds no
/// secretary is closed (its caller hangs up).
fn answer_lines(
    office: &Office,
    listener: std::net::TcpListener,
    clock: &workload::Clock,
    budget: &Budget,
    live: &AtomicUsize,
    sheets: &mpsc::Sender<Served>,
) -> Logbook {
    let mut log = office.logbook();
    thread::scope(|s| {
        for (n, conn) in listener.incoming().enumerate() {
            let stream = match conn {
                Ok(stream) => stream,
                Err(_) if office.closed() => break,
                Err(e) => {
                    log.note(format!("accept failed: {e}"));
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            if live.fetch_add(1, Ordering::AcqRel) >= budget.max_threads {
                live.fetch_sub(1, Ordering::AcqRel);
                log.could_not_answer(format!(
                    "could not start thread {n}: at most {} threads: {}",
                    budget.max_threads, budget.why
                ));
                continue;
            }
            let sheets = sheets.clone();
            let mut b = thread::Builder::new().name("call".into());
            if let Some(bytes) = budget.stack_bytes {
                b = b.stack_size(bytes);
            }
            let started = b.spawn_scoped(s, move || {
                let _leaving = Leaving(live);
                let _ = sheets.send(serve_blocking(office, clock, stream));
            });
            if let Err(e) = started {
                live.fetch_sub(1, Ordering::AcqRel);
                log.could_not_answer(format!("could not start thread {n}: {e}"));
            }
        }
    });
    log
}
