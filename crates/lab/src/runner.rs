//! Runs one strategy binary as a child process: pinned to the requested CPUs before it starts
//! (`sched_setaffinity` in `pre_exec`, so its runtime sees only those cores), in its own
//! process group (a Ctrl-C reaches the harness, not the child), with a timeout and a memory
//! limit, its report read from stdout, its stderr kept for the reason of a failure, and its
//! rusage from `wait4`. [`run_child`] is that process for any arguments (`harness primitives`
//! uses it directly); [`run`] is a day: the spec on stdin, the report read from stdout.
//!
//! The memory guard polls the child's resident set (`VmRSS` in `/proc/<pid>/status`) every
//! [`POLL`] and kills its process group once it passes the limit, so a strategy that allocates
//! without bound becomes an `exhausted` row instead of taking the machine down. (A cgroup's
//! `memory.max` would be exact, but needs a delegated cgroup the harness cannot count on; at
//! 20 polls a second the child can overshoot by what it allocates in 50 ms.)

use std::io::{Read as _, Write as _};
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use workload::Spec;
use workload::protocol::Report;

/// What the child cost, from `wait4`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rusage {
    pub user_s: f64,
    pub sys_s: f64,
    pub max_rss_kib: u64,
    /// Kernel memory the day added, KiB: the peak over the memory guard's polls of the
    /// machine's `KernelStack + PageTables + SUnreclaim` (`/proc/meminfo`) over its value
    /// just before the child started — what the kernel holds for the child's threads (their
    /// kernel stacks, task structs, page tables) and sockets, which `VmHWM` does not count.
    /// Machine-wide, so anything else running adds to it; `None` where unreadable.
    pub kernel_peak_kib: Option<u64>,
    pub ctx_voluntary: u64,
    pub ctx_involuntary: u64,
}

/// How the child ended.
#[derive(Clone, Debug)]
pub enum Ending {
    /// Exit 0 with a readable report.
    Report(Box<Report>),
    /// Killed by a signal, non-zero exit, or exit 0 without a readable report.
    Crashed(String),
    /// Still running at the deadline: killed.
    Timeout(Duration),
    /// Its resident memory passed the limit: killed.
    OverMemory {
        /// The limit, MiB.
        limit_mib: u64,
        /// What it had when it was caught, MiB.
        rss_mib: u64,
    },
    /// Never started: the day cannot fit a limit of the machine (named in the reason).
    Exhausted(String),
}

/// How often the deadline, Ctrl-C and the memory guard are checked.
pub const POLL: Duration = Duration::from_millis(50);

/// The default memory limit of a child: half of physical memory, at most 8 GiB.
#[must_use]
pub fn default_mem_limit_mib() -> u64 {
    let total_kib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .unwrap_or(4 << 20);
    (total_kib / 1024 / 2).min(8 << 10)
}

/// Resident memory of process `pid`, KiB (`None` once it is gone).
/// The kernel's own memory now, KiB: `KernelStack + PageTables + SUnreclaim` of
/// `/proc/meminfo`.
fn kernel_kib() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
    };
    Some(field("KernelStack:")? + field("PageTables:")? + field("SUnreclaim:")?)
}

fn rss_kib(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One finished child run.
#[derive(Clone, Debug)]
pub struct RunOutput {
    pub ending: Ending,
    pub usage: Rusage,
    pub wall_s: f64,
    /// The last lines the child wrote to stderr.
    pub stderr_tail: Vec<String>,
    /// Over real lines: the caller process's side (`None` with simulated lines).
    pub lines: Option<crate::lines::LinesRun>,
}

/// The CPUs this process may run on (its affinity mask), in order.
#[must_use]
pub fn allowed_cpus() -> Vec<usize> {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; sched_getaffinity writes at most
    // size_of::<cpu_set_t>() bytes into it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return (0..std::thread::available_parallelism().map_or(1, |n| n.get())).collect();
        }
        (0..libc::CPU_SETSIZE as usize)
            .filter(|&c| libc::CPU_ISSET(c, &set))
            .collect()
    }
}

/// The CPU set holding `cpus` (numbers past `CPU_SETSIZE` are left out). Builds on the stack
/// only, so a forked child may call it before `exec`.
fn cpu_set(cpus: &[usize]) -> libc::cpu_set_t {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; CPU_SET writes one bit inside it for a
    // CPU number below CPU_SETSIZE.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for &c in cpus.iter().filter(|&&c| c < libc::CPU_SETSIZE as usize) {
            libc::CPU_SET(c, &mut set);
        }
        set
    }
}

/// Sets the calling thread's affinity to `set` (async-signal-safe).
fn set_thread_affinity(set: &libc::cpu_set_t) -> std::io::Result<()> {
    // SAFETY: `set` is a valid cpu_set_t of the size passed; pid 0 is the calling thread.
    if unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), set) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// The calling thread's affinity, restored when dropped.
struct RestoreAffinity(libc::cpu_set_t);

impl Drop for RestoreAffinity {
    fn drop(&mut self) {
        let _ = set_thread_affinity(&self.0);
    }
}

/// `f` run with the calling thread pinned to `cpus`, its affinity restored after (also if `f`
/// panics). Where the affinity cannot be read or set, `f` runs unpinned.
pub fn pinned<T>(cpus: &[usize], f: impl FnOnce() -> T) -> T {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; sched_getaffinity writes at most
    // size_of::<cpu_set_t>() bytes into it; pid 0 is the calling thread.
    let before = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        (libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0)
            .then_some(set)
    };
    let _restore = before
        .filter(|_| set_thread_affinity(&cpu_set(cpus)).is_ok())
        .map(RestoreAffinity);
    f()
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGABRT => "SIGABRT",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGKILL => "SIGKILL (killed: out of memory?)",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        libc::SIGFPE => "SIGFPE",
        _ => "signal",
    }
}

fn tv(t: libc::timeval) -> f64 {
    t.tv_sec as f64 + t.tv_usec as f64 / 1e6
}

/// The limits a child runs under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub timeout: Duration,
    /// Resident memory, MiB.
    pub mem_limit_mib: u64,
}

/// One day of a strategy binary: the spec it is sent, the CPUs it is pinned to (it is told
/// `cpus.len()` cores), its limits and the timeline window it records.
#[derive(Clone, Copy, Debug)]
pub struct DayRun<'a> {
    pub bin: &'a Path,
    pub spec: &'a Spec,
    pub cpus: &'a [usize],
    pub limits: Limits,
    pub timeline: Option<(u64, u64)>,
}

impl DayRun<'_> {
    /// The strategy's arguments: the spec on standard input, the cores, the window.
    #[must_use]
    pub fn args(&self) -> Vec<String> {
        let mut args = vec![
            "--spec".to_owned(),
            "-".to_owned(),
            "--cores".to_owned(),
            self.cpus.len().to_string(),
        ];
        if let Some((from, len)) = self.timeline {
            args.extend(["--timeline".to_owned(), format!("{from}:{len}")]);
        }
        args
    }

    /// The strategy's process: the spec on its standard input, inheriting `inherit`.
    pub fn child(&self, inherit: Inherit) -> anyhow::Result<Child<'_>> {
        Ok(Child {
            bin: self.bin,
            args: self.args(),
            stdin: Input::Bytes(serde_json::to_vec(self.spec)?),
            inherit,
            cpus: self.cpus,
            limits: self.limits,
        })
    }
}

/// Runs `day` over simulated lines.
pub fn run(day: &DayRun, stop: &AtomicBool) -> anyhow::Result<RunOutput> {
    let child = run_child_with(day.child(Inherit::default())?, stop, || {})?;
    Ok(into_day(child))
}

/// A finished strategy process as a day's output: its report read from stdout.
#[must_use]
pub fn into_day(child: ChildRun) -> RunOutput {
    let ending = match child.ended {
        Ended::Exited => match Report::parse(child.stdout.trim()) {
            Ok(rep) => Ending::Report(Box::new(rep)),
            Err(e) => Ending::Crashed(unreadable(&e, &child.stdout)),
        },
        Ended::Failed(why) => Ending::Crashed(why),
        Ended::Timeout(t) => Ending::Timeout(t),
        Ended::OverMemory { limit_mib, rss_mib } => Ending::OverMemory { limit_mib, rss_mib },
    };
    RunOutput {
        ending,
        usage: child.usage,
        wall_s: child.wall_s,
        stderr_tail: child.stderr_tail,
        lines: None,
    }
}

/// How a process that did not exit cleanly ended, in words.
#[must_use]
pub fn describe(ended: &Ended) -> String {
    match ended {
        Ended::Exited => "exited".to_owned(),
        Ended::Failed(why) => why.clone(),
        Ended::Timeout(t) => format!("killed after the {:.0} s timeout", t.as_secs_f64()),
        Ended::OverMemory { limit_mib, rss_mib } => {
            format!("memory limit {limit_mib} MiB: killed at {rss_mib} MiB resident")
        }
    }
}

/// The reason of a run whose stdout was not the document expected.
#[must_use]
pub fn unreadable(e: &dyn std::fmt::Display, stdout: &str) -> String {
    let head: String = stdout.chars().take(80).collect();
    format!("unreadable report ({e}); stdout began {head:?}")
}

/// How a child process ended, before its stdout is read as anything.
#[derive(Clone, Debug)]
pub enum Ended {
    /// Exit code 0.
    Exited,
    /// Killed by a signal, a non-zero exit or a failed wait: the reason, with the last line of
    /// its stderr.
    Failed(String),
    /// Still running at the deadline: killed.
    Timeout(Duration),
    /// Its resident memory passed the limit: killed.
    OverMemory {
        /// The limit, MiB.
        limit_mib: u64,
        /// What it had when it was caught, MiB.
        rss_mib: u64,
    },
}

/// One finished child process: how it ended, all of its stdout, what it cost.
#[derive(Clone, Debug)]
pub struct ChildRun {
    pub ended: Ended,
    pub stdout: String,
    pub usage: Rusage,
    pub wall_s: f64,
    /// The last lines the child wrote to stderr.
    pub stderr_tail: Vec<String>,
}

/// A child process to start: the binary and its arguments, its standard input, the
/// descriptors and environment it inherits, the CPUs it is pinned to and its limits.
#[derive(Debug)]
pub struct Child<'a> {
    pub bin: &'a Path,
    pub args: Vec<String>,
    pub stdin: Input,
    pub inherit: Inherit,
    pub cpus: &'a [usize],
    pub limits: Limits,
}

/// Runs `bin args` pinned to `cpus` in its own process group, `stdin` on its standard input,
/// under `limits` (a day through [`run`], the primitives directly).
pub fn run_child(
    bin: &Path,
    args: &[String],
    stdin: &[u8],
    cpus: &[usize],
    limits: Limits,
    stop: &AtomicBool,
) -> anyhow::Result<ChildRun> {
    let child = Child {
        bin,
        args: args.to_vec(),
        stdin: Input::Bytes(stdin.to_vec()),
        inherit: Inherit::default(),
        cpus,
        limits,
    };
    run_child_with(child, stop, || {})
}

/// What a child reads on its standard input.
#[derive(Debug)]
pub enum Input {
    /// These bytes, then end of file.
    Bytes(Vec<u8>),
    /// This descriptor (e.g. the read end of a pipe another child writes).
    Fd(std::os::fd::OwnedFd),
}

/// Descriptors a child inherits at fixed numbers, and its extra environment.
#[derive(Debug, Default)]
pub struct Inherit {
    /// (the harness's descriptor, the number it gets in the child). Kept open in the harness
    /// until the child has started; the caller drops them afterwards.
    pub fds: Vec<(std::os::fd::RawFd, std::os::fd::RawFd)>,
    pub env: Vec<(String, String)>,
}

/// Where descriptors are parked in the child before they move to their numbers (above any
/// the harness could have open, so moving one cannot clobber another).
const PARK_FD: libc::c_int = 900;

/// Starts `child` (the one place a strategy or caller process is started) and waits for it;
/// `on_start` runs once the child exists (to close what only the child should hold now).
pub fn run_child_with(
    child: Child<'_>,
    stop: &AtomicBool,
    on_start: impl FnOnce(),
) -> anyhow::Result<ChildRun> {
    let Child {
        bin,
        args,
        stdin,
        inherit,
        cpus,
        limits,
    } = child;
    let timeout = limits.timeout;
    let mut cmd = Command::new(bin);
    cmd.args(&args);
    cmd.envs(inherit.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let stdin_bytes = match stdin {
        Input::Bytes(b) => {
            cmd.stdin(Stdio::piped());
            Some(b)
        }
        Input::Fd(fd) => {
            cmd.stdin(Stdio::from(fd));
            None
        }
    };
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let cpus_owned: Vec<usize> = cpus.to_vec();
    let fds = inherit.fds.clone();
    // SAFETY: the closure runs in the forked child before exec and only calls
    // async-signal-safe functions (fcntl, dup2, close, setpgid, sched_setaffinity) on stack
    // data and the copied descriptor list.
    unsafe {
        cmd.pre_exec(move || {
            // Park every inherited descriptor high first, then move each to its number (dup2
            // leaves the new descriptor open across exec).
            for (i, &(from, _)) in fds.iter().enumerate() {
                if libc::dup2(from, PARK_FD + i as libc::c_int) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            for (i, &(_, to)) in fds.iter().enumerate() {
                let parked = PARK_FD + i as libc::c_int;
                if libc::dup2(parked, to) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::close(parked);
            }
            set_thread_affinity(&cpu_set(&cpus_owned))?;
            libc::setpgid(0, 0);
            Ok(())
        });
    }
    let kernel_before = kernel_kib();
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot start {}: {e}", bin.display()))?;
    drop(cmd); // the child's copy of a piped stdin descriptor is the child's alone now
    on_start();
    let pid = child.id() as libc::pid_t;
    if let (Some(mut pipe), Some(bytes)) = (child.stdin.take(), stdin_bytes) {
        let _ = pipe.write_all(&bytes); // a child that died early shows up below
    }
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout pipe"))?;
    let mut stderr = child
        .stderr
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stderr pipe"))?;
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    // wait4 blocks in its own thread; the deadline is kept here.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut status = 0;
        // SAFETY: a zeroed rusage is valid; wait4 fills it for our own child.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: pid is our child; status and ru are valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
        let _ = tx.send((r, status, ru, Instant::now()));
    });
    let mut timed_out = None;
    let mut over_memory = None;
    let deadline = started + timeout;
    let limit_kib = limits.mem_limit_mib.saturating_mul(1024);
    let mut kernel_peak = None;
    let exited = loop {
        // Wake up every POLL to notice a Ctrl-C and to check the memory; otherwise wait for
        // the exit or the deadline.
        let now = Instant::now();
        let slice = deadline.saturating_duration_since(now).min(POLL);
        match rx.recv_timeout(slice) {
            Ok(v) => break v,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                anyhow::bail!("lost the child's exit status")
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let interrupted = stop.load(Ordering::SeqCst);
                kernel_peak = kernel_peak.max(kernel_kib());
                let rss = rss_kib(pid).filter(|&r| r > limit_kib);
                if Instant::now() >= deadline || interrupted || rss.is_some() {
                    if let Some(r) = rss {
                        over_memory = Some(r / 1024);
                    } else if !interrupted {
                        timed_out = Some(timeout);
                    }
                    // SAFETY: kill the child's whole process group (it called setpgid(0, 0)).
                    unsafe {
                        libc::kill(-pid, libc::SIGKILL);
                        libc::kill(pid, libc::SIGKILL);
                    }
                    break rx
                        .recv()
                        .map_err(|_| anyhow::anyhow!("lost the child's exit status"))?;
                }
            }
        }
    };
    let (r, status, ru, ended) = exited;
    let wall_s = ended.duration_since(started).as_secs_f64();
    let stdout_text = out_reader.join().unwrap_or_default();
    let stderr_text = err_reader.join().unwrap_or_default();
    let stderr_tail: Vec<String> = stderr_text
        .lines()
        .rev()
        .take(5)
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let usage = Rusage {
        user_s: tv(ru.ru_utime),
        sys_s: tv(ru.ru_stime),
        max_rss_kib: ru.ru_maxrss.max(0) as u64,
        ctx_voluntary: ru.ru_nvcsw.max(0) as u64,
        ctx_involuntary: ru.ru_nivcsw.max(0) as u64,
        kernel_peak_kib: kernel_before
            .zip(kernel_peak)
            .map(|(before, peak)| peak.saturating_sub(before)),
    };
    let last = stderr_tail.last().cloned().unwrap_or_default();
    let ended = if let Some(rss_mib) = over_memory {
        Ended::OverMemory {
            limit_mib: limits.mem_limit_mib,
            rss_mib,
        }
    } else if let Some(t) = timed_out {
        Ended::Timeout(t)
    } else if r < 0 {
        Ended::Failed(format!("wait4 failed: {}", std::io::Error::last_os_error()))
    } else if libc::WIFSIGNALED(status) {
        let sig = libc::WTERMSIG(status);
        // A fault the strategy's handler reported: its headline and named frames.
        let said = crate::symbols::crash_reason(&stderr_text).unwrap_or(last);
        Ended::Failed(format!(
            "killed by signal {sig} ({}): {said}",
            signal_name(sig)
        ))
    } else if libc::WEXITSTATUS(status) != 0 {
        Ended::Failed(format!("exit code {}: {last}", libc::WEXITSTATUS(status)))
    } else {
        Ended::Exited
    };
    Ok(ChildRun {
        ended,
        stdout: stdout_text,
        usage,
        wall_s,
        stderr_tail,
    })
}
