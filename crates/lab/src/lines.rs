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

use crate::runner::{self, Ending, Inherit, Input, Limits, RunOutput, Usage};
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
    pub caller_usage: Usage,
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

/// Runs `bin` on `spec` over real lines pinned to `cpus`, its callers played by `caller`
/// (pinned to what `all_cpus` leaves).
#[allow(clippy::too_many_arguments)]
pub fn run(
    bin: &Path,
    caller: &Path,
    spec: &Spec,
    cpus: &[usize],
    all_cpus: &[usize],
    limits: Limits,
    timeline: Option<(u64, u64)>,
    stop: &AtomicBool,
) -> anyhow::Result<RunOutput> {
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
            usage: Usage::default(),
            wall_s: 0.0,
            stderr_tail: Vec::new(),
            lines: Some(lines(Err(why), Usage::default())),
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
    let mut args = vec![
        "--spec".to_owned(),
        "-".to_owned(),
        "--cores".to_owned(),
        cpus.len().to_string(),
    ];
    if let Some((from, len)) = timeline {
        args.extend(["--timeline".to_owned(), format!("{from}:{len}")]);
    }
    let (strategy, called) = std::thread::scope(|s| {
        let caller_cpus = &caller_cpus;
        let caller_stop = &caller_stop;
        let called = s.spawn(move || {
            runner::run_child_with(
                caller,
                &caller_args,
                Input::Fd(OwnedFd::from(announced)),
                Inherit::default(),
                caller_cpus,
                caller_limits,
                caller_stop,
                || {},
            )
        });
        let inherit = Inherit {
            fds: vec![(listener.as_raw_fd(), 3), (announce.as_raw_fd(), 4)],
            env: vec![(LINE_FDS_ENV.to_owned(), "3,4".to_owned())],
        };
        let strategy = runner::run_child_with(
            bin,
            &args,
            Input::Bytes(serde_json::to_vec(spec).unwrap_or_default()),
            inherit,
            cpus,
            limits,
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
        Ok(Err(e)) => (Err(format!("the caller process: {e}")), Usage::default()),
        Err(_) => (
            Err("the caller's thread panicked".to_owned()),
            Usage::default(),
        ),
    };
    let mut out = runner::into_day(strategy);
    out.lines = Some(lines(caller, caller_usage));
    Ok(out)
}

/// A ring whose median went out later than this after its schedule makes the run `invalid`:
/// the caller, not the strategy, set the pace.
pub const CALLER_LATE_LIMIT_US: f64 = 1_000.0;
/// A strategy whose own pick-up p99 is below half the caller's is `wrong` (it grades itself
/// kindly) — only when the gap is also more than this plus the caller's own lateness p99 in
/// that run. The floor covers loopback transit of the ring and the hello and clock granularity
/// (tens of µs on an idle day: README, "Real phone lines"); the caller's lateness is how late
/// its own wake-ups ran under that run's load — the same scheduler delay that postpones its
/// reading of a hello when it shares a busy strategy's CPUs (2-core cells on a 2-core machine:
/// 1–2 ms at p99 in the reference run).
pub const LIAR_FLOOR_US: f64 = 1_000.0;

/// What the caller process's record changes in a run.
#[derive(Debug)]
pub struct CallersWord {
    /// The strategy's own pick-up histogram (µs), kept beside the caller's.
    pub self_pickup: hdrhistogram::Histogram<u64>,
    /// The caller's lateness (µs), if it reported.
    pub lateness: Option<hdrhistogram::Histogram<u64>>,
    pub peak_connections: u64,
    pub never_connected: u64,
    /// Why the caller's measurement is missing.
    pub failed: Option<String>,
    /// A connection the caller could not open for lack of a resource (descriptors).
    pub connect_error: Option<String>,
}

fn hex(s: &str) -> Option<u64> {
    u64::from_str_radix(s, 16).ok()
}

/// Replaces the strategy's own pick-up, reply and every-caller histograms and its call counts
/// by the caller's, and checks the caller's record against the reference: every call
/// accounted for, the values heard equal to the reference's, no line broken after a pick-up.
pub fn take_callers_word(
    lines: &LinesRun,
    reference: &workload::reference::Reference,
    hists: &mut crate::figures::RunHistograms,
    counters: &mut workload::record::Counters,
    problems: &mut Vec<String>,
) -> CallersWord {
    let mut word = CallersWord {
        self_pickup: hists.pickup.clone(),
        lateness: None,
        peak_connections: 0,
        never_connected: 0,
        failed: None,
        connect_error: None,
    };
    let cr = match &lines.caller {
        Ok(cr) => cr,
        Err(why) => {
            word.failed = Some(format!("no measurement by the caller process: {why}"));
            return word;
        }
    };
    let mut hist = |name: &str| {
        cr.histograms
            .get(name)
            .ok_or_else(|| format!("the caller's report has no '{name}' histogram"))
            .and_then(|b64| {
                workload::protocol::decode_histogram(name, b64).map_err(|e| e.to_string())
            })
            .unwrap_or_else(|e| {
                problems.push(e);
                crate::figures::empty_histogram()
            })
    };
    hists.pickup = hist("pickup");
    hists.reply = hist("reply");
    hists.wait_all = hist("wait_all");
    word.lateness = Some(hist("lateness"));
    word.peak_connections = cr.peak_connections;
    word.never_connected = cr.never_connected;
    word.connect_error.clone_from(&cr.connect_error);
    let offered = reference.offered_calls();
    if cr.offered != offered || cr.answered + cr.missed + cr.broken != offered {
        problems.push(format!(
            "the caller's accounting: {} answered + {} missed + {} broken of {} offered (schedule: {offered})",
            cr.answered, cr.missed, cr.broken, cr.offered
        ));
    }
    if let Some((id, why)) = cr.broken_examples.first() {
        problems.push(format!(
            "{} calls broke after the pick-up (call {id}: {why})",
            cr.broken
        ));
    }
    let unheard = cr.missed_ids.iter().chain(&cr.broken_ids);
    let expected = (0..offered as u32)
        .filter_map(|id| reference.call(id))
        .fold(0u64, u64::wrapping_add);
    let expected = unheard
        .filter_map(|&id| reference.call(id))
        .fold(expected, u64::wrapping_sub);
    if hex(&cr.digest) != Some(expected) {
        problems.push(format!(
            "the callers heard values that differ from the reference (digest {} vs {expected:016x})",
            cr.digest
        ));
    }
    counters.answered_calls = cr.answered;
    counters.missed_calls = cr.missed + cr.broken;
    word
}

/// Fills the figures only tcp rows have; pushes a problem when the strategy graded itself
/// kindly; returns why the run is `invalid` (no caller's measurement, or a late caller).
pub fn fill_figures(
    word: &CallersWord,
    figures: &mut crate::figures::Figures,
    problems: &mut Vec<String>,
) -> Option<String> {
    use crate::figures::ShortUs;
    figures.self_pickup_us = ShortUs::of(&word.self_pickup);
    if let Some(l) = &word.lateness {
        figures.caller_lateness_us = ShortUs::of(l);
    }
    figures.peak_connections = word.peak_connections as f64;
    figures.never_connected = word.never_connected as f64;
    if word.failed.is_some() {
        return word.failed.clone();
    }
    let (own, theirs) = (figures.self_pickup_us.p99, figures.pickup_us.p99);
    let allowance = LIAR_FLOOR_US + figures.caller_lateness_us.p99;
    if own < theirs / 2.0 && theirs - own > allowance {
        problems.push(format!(
            "grades itself kindly: its own pick-up p99 {own:.0} µs, the caller measured {theirs:.0} µs \
             (below half, and {:.0} µs apart: more than the {allowance:.0} µs that transit and the \
             caller's own lateness p99 explain)",
            theirs - own
        ));
    }
    let late = figures.caller_lateness_us.p50;
    (late > CALLER_LATE_LIMIT_US).then(|| {
        format!(
            "the caller was late: its median ring went out {late:.0} µs after the schedule (limit \
             {CALLER_LATE_LIMIT_US:.0} µs): the caller, not the strategy, set the pace"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Figures, ShortUs};

    fn word() -> CallersWord {
        CallersWord {
            self_pickup: crate::figures::empty_histogram(),
            lateness: None,
            peak_connections: 3,
            never_connected: 0,
            failed: None,
            connect_error: None,
        }
    }

    /// Figures with the caller's pick-up p99 and lateness p99 and the strategy's own p99.
    fn judged(own: u64, caller_p99: f64, caller_late_p99: f64) -> (Vec<String>, Option<String>) {
        let mut w = word();
        let _ = w.self_pickup.record_n(own, 100);
        let mut late = crate::figures::empty_histogram();
        let _ = late.record_n(20, 98);
        let _ = late.record_n(caller_late_p99 as u64, 2);
        w.lateness = Some(late);
        let mut f = Figures::default();
        f.pickup_us.p99 = caller_p99;
        let mut problems = Vec::new();
        let invalid = fill_figures(&w, &mut f, &mut problems);
        assert_eq!(f.peak_connections, 3.0);
        assert_eq!(f.self_pickup_us, ShortUs::of(&w.self_pickup));
        (problems, invalid)
    }

    #[test]
    fn a_liar_is_wrong_and_an_honest_strategy_beside_a_slow_caller_is_not() {
        // 30 ms late hellos reported on time: wrong, with both figures.
        let (p, _) = judged(700, 31_000.0, 1_000.0);
        assert!(
            p[0].contains("grades itself kindly") && p[0].contains("700"),
            "{p:?}"
        );
        // The caller sharing a busy strategy's CPUs: its wake-ups 1.1 ms late at p99 explain a
        // 1.7 ms gap (the reference run's threads on 2 cores).
        let (p, _) = judged(674, 2_385.0, 1_100.0);
        assert!(p.is_empty(), "{p:?}");
        // Below half but within transit: not a lie.
        let (p, _) = judged(100, 400.0, 50.0);
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn a_late_or_missing_caller_makes_the_run_invalid() {
        let mut w = word();
        let mut late = crate::figures::empty_histogram();
        let _ = late.record_n(1_500, 10);
        w.lateness = Some(late);
        let mut f = Figures::default();
        let why = fill_figures(&w, &mut f, &mut Vec::new()).expect("invalid");
        assert!(why.contains("the caller was late"), "{why}");
        w.failed = Some("no measurement by the caller process: boom".into());
        let why = fill_figures(&w, &mut f, &mut Vec::new()).expect("invalid");
        assert!(why.contains("boom"), "{why}");
    }

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
