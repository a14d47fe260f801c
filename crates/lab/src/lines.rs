//! A day over real phone lines (`lines = tcp`): the harness binds `127.0.0.1:0` with an explicit
//! listen backlog, starts the strategy with that listening socket and the write end of a pipe
//! as inherited descriptors (`workload::phone`), and starts the `caller` process beside it with
//! the pipe's read end as its standard input — the office announces its opening there, the
//! caller rings from that instant. Both are pinned: the caller on CPUs the strategy does not
//! have when the machine has any left, else on the strategy's own (the row says which).
//!
//! Before anything starts, the connections the day needs (its peak of calls in flight) are
//! checked against the descriptor limit both processes can raise themselves to: a day that
//! cannot fit is `exhausted`, with the limit named. The harness closes its own copies of the
//! socket and the pipe once both children hold theirs: when the strategy dies, nobody listens
//! any more, the caller's connections are refused, and it ends on its own.

use crate::runner::{self, Child, DayRun, Ending, Inherit, Input, Limits, RunOutput, Rusage};
use caller::CallerReport;
use std::os::fd::{AsRawFd as _, OwnedFd};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use workload::Spec;
use workload::phone::LINE_FDS_ENV;
use workload::schedule::Schedule;

/// The listen backlog asked for (the kernel caps it at `net.core.somaxconn`).
pub const BACKLOG: i32 = 4_096;
/// Descriptors each process needs besides one per connection (std streams, epoll, pipes,
/// the runtime's own).
pub const FD_HEADROOM: u64 = 64;
/// How long the caller may take after the strategy ended before it is stopped (its calls in
/// flight end as refused or reset at once; this is for a caller stuck on a dead strategy).
const CALLER_GRACE: Duration = Duration::from_secs(5);

/// The caller's side of one tcp day.
#[derive(Clone, Debug)]
pub struct LinesRun {
    /// The caller's report, or why there is none.
    pub caller: Result<CallerReport, String>,
    pub caller_usage: Rusage,
    /// The listen backlog in effect: min([`BACKLOG`], `net.core.somaxconn`).
    pub backlog: u64,
    /// The CPUs the caller ran on.
    pub caller_cpus: Vec<usize>,
    /// Whether the caller shared the strategy's CPUs (the machine had none left).
    pub shared_cpus: bool,
}

fn read_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// This process's `RLIMIT_NOFILE` hard limit (what a child can raise its soft limit to).
#[must_use]
pub fn nofile_hard_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).maximum
}

/// Why a day over real lines cannot fit in the descriptors a process may hold, if it cannot.
#[must_use]
pub fn fd_shortage(spec: &Spec, hard_limit: Option<u64>) -> Option<String> {
    let limit = hard_limit?;
    let hold = spec.patience_us + u64::from(spec.exchanges) * spec.listen_us;
    let peak = Schedule::generate(spec).peak_in_flight(hold) as u64;
    (peak + FD_HEADROOM > limit).then(|| {
        format!(
            "descriptor limit: RLIMIT_NOFILE hard limit {limit}, the day needs ~{peak} connections \
             at once (+{FD_HEADROOM} spare) in each process"
        )
    })
}

/// The caller's CPUs: those of `all` the strategy's `cpus` leave, else the strategy's own.
#[must_use]
pub fn caller_cpus(all: &[usize], cpus: &[usize]) -> (Vec<usize>, bool) {
    let rest: Vec<usize> = all.iter().copied().filter(|c| !cpus.contains(c)).collect();
    if rest.is_empty() {
        (cpus.to_vec(), true)
    } else {
        (rest, false)
    }
}

/// Runs `day` over real lines, its callers played by `caller` (pinned to what `all_cpus`
/// leaves the strategy).
pub fn run(
    day: &DayRun,
    caller: &Path,
    all_cpus: &[usize],
    stop: &AtomicBool,
) -> anyhow::Result<RunOutput> {
    let (spec, cpus, limits) = (day.spec, day.cpus, day.limits);
    let (caller_cpus, shared_cpus) = caller_cpus(all_cpus, cpus);
    let backlog = read_number("/proc/sys/net/core/somaxconn")
        .unwrap_or(BACKLOG as u64)
        .min(BACKLOG as u64);
    let lines = |caller: Result<CallerReport, String>, caller_usage| LinesRun {
        caller,
        caller_usage,
        backlog,
        caller_cpus: caller_cpus.clone(),
        shared_cpus,
    };
    if let Some(why) = fd_shortage(spec, nofile_hard_limit()) {
        return Ok(RunOutput {
            ending: Ending::Exhausted(why.clone()),
            usage: Rusage::default(),
            wall_s: 0.0,
            stderr_tail: Vec::new(),
            lines: Some(lines(Err(why), Rusage::default())),
        });
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    // listen(2) again on a listening socket sets its backlog.
    rustix::net::listen(&listener, BACKLOG)?;
    let addr = listener.local_addr()?;
    let (announced, announce) = std::io::pipe()?;
    let caller_args = vec![
        "--addr".to_owned(),
        addr.to_string(),
        "--spec".to_owned(),
        serde_json::to_string(spec)?,
    ];
    let caller_limits = Limits {
        timeout: limits.timeout + CALLER_GRACE,
        ..limits
    };
    let caller_stop = AtomicBool::new(false);
    let inherit = Inherit {
        fds: vec![(listener.as_raw_fd(), 3), (announce.as_raw_fd(), 4)],
        env: vec![(LINE_FDS_ENV.to_owned(), "3,4".to_owned())],
    };
    let strategy_child = day.child(inherit)?;
    let (strategy, called) = std::thread::scope(|s| {
        let caller_cpus = &caller_cpus;
        let caller_stop = &caller_stop;
        let called = s.spawn(move || {
            let child = Child {
                bin: caller,
                args: caller_args,
                stdin: Input::Fd(OwnedFd::from(announced)),
                inherit: Inherit::default(),
                cpus: caller_cpus,
                limits: caller_limits,
            };
            runner::run_child_with(child, caller_stop, || {})
        });
        let strategy = runner::run_child_with(
            strategy_child,
            stop,
            // Once the strategy holds them, the harness's copies go: nobody else listens, and
            // the caller sees the pipe close if the office dies before it opens.
            || {
                drop(listener);
                drop(announce);
            },
        );
        // The caller ends on its own once the strategy is gone (its last act is the closing
        // bell); one stuck on a dead strategy is stopped after a grace period.
        let ended = std::time::Instant::now();
        while !called.is_finished() {
            if stop.load(Ordering::SeqCst) || ended.elapsed() > CALLER_GRACE {
                caller_stop.store(true, Ordering::SeqCst);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        (strategy, called.join())
    });
    let strategy = strategy?;
    let (caller, caller_usage) = match called {
        Ok(Ok(c)) => {
            let report = match &c.ended {
                runner::Ended::Exited => serde_json::from_str::<CallerReport>(c.stdout.trim())
                    .map_err(|e| {
                        format!("the caller's report: {}", runner::unreadable(&e, &c.stdout))
                    }),
                other => Err(format!("the caller process: {}", runner::describe(other))),
            };
            (report, c.usage)
        }
        Ok(Err(e)) => (Err(format!("the caller process: {e}")), Rusage::default()),
        Err(_) => (
            Err("the caller's thread panicked".to_owned()),
            Rusage::default(),
        ),
    };
    let mut out = runner::into_day(strategy);
    out.lines = Some(lines(caller, caller_usage));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_descriptor_check_names_the_limit() {
        let mut spec = workload::Scenario::CallCenter.spec();
        spec.duration_us = 1_000_000;
        let why = fd_shortage(&spec, Some(1_024)).expect("thousands of calls in flight");
        assert!(why.contains("RLIMIT_NOFILE hard limit 1024"), "{why}");
        assert!(fd_shortage(&spec, Some(1 << 20)).is_none());
        assert!(fd_shortage(&spec, None).is_none(), "unknown limit: try");
    }

    #[test]
    fn the_caller_gets_the_cpus_the_strategy_lacks_else_shares() {
        assert_eq!(caller_cpus(&[0, 1], &[0]), (vec![1], false));
        assert_eq!(caller_cpus(&[0, 1], &[0, 1]), (vec![0, 1], true));
    }
}
