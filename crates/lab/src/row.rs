//! The result row of one cell (strategy × scenario × cores [× sweep value]) and the data a
//! sweep hands to the exporters: rows, merged histograms per cell, timelines, environment.

use crate::figures::Figures;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use theory::Prediction;
use workload::protocol::{ThreadUse, Timeline};
use workload::spec::Lines;
use workload::{Arrangement, Scenario};

/// What became of a cell. Ordered from best to worst: a cell's status is its worst run's.
/// `saturated` outranks `invalid`: a strategy that cannot keep up also wakes late, and then
/// its late timers are a consequence, not a noisy machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Verified, kept up with the load.
    Ok,
    /// Verified and kept up, but its own timers were so late that the load it saw was not the
    /// load offered (a busy or noisy machine): its figures are not a fair measurement.
    Invalid,
    /// Verified, but could not keep up (missed calls above the threshold, or overran the day).
    Saturated,
    /// Verified, but could not create a thread/coroutine for some calls (reported, not crashed).
    Exhausted,
    /// The digest or the accounting is wrong.
    Wrong,
    /// Exited abnormally (signal, non-zero exit, unreadable report).
    Crashed,
    /// Killed after the timeout.
    Timeout,
}

impl Status {
    /// A failure: the strategy did not produce a verified answer (compare exits non-zero).
    #[must_use]
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Wrong | Status::Crashed | Status::Timeout)
    }

    /// The kebab-case name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Saturated => "saturated",
            Status::Invalid => "invalid",
            Status::Exhausted => "exhausted",
            Status::Wrong => "wrong",
            Status::Crashed => "crashed",
            Status::Timeout => "timeout",
        }
    }
}

/// One row of the summary: a cell's figures as medians across runs (`ranges` keeps each
/// one's [min, max] across runs), its counters as totals, its status the worst run's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub strategy: String,
    /// The scenario as files and tables name it: `office`, or `office-tcp` over real lines
    /// ([`CellKey::label`]). Code decides on [`Row::preset`] and [`Row::lines`], never on this.
    pub scenario: String,
    /// The preset the cell ran (`None` only in rows read back from a run written before rows
    /// carried it).
    #[serde(default)]
    pub preset: Option<Scenario>,
    pub cores: usize,
    /// Swept parameter and value, e.g. `chunk=1000` (None outside sweeps).
    pub sweep: Option<String>,
    /// The A/A control's second copy of a cell: same spec and seeds as the cell it twins.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub twin: bool,
    pub runs: usize,
    /// What the strategy declared itself to be (`None`: undeclared or no report).
    #[serde(default)]
    pub arrangement: Option<Arrangement>,
    /// Simulated or real (loopback TCP) phone lines. Over real lines the calls, waits and
    /// replies are the caller process's measurements; the strategy's own pick-ups are
    /// `self_pickup_us`.
    #[serde(default)]
    pub lines: Lines,
    pub status: Status,
    /// Why the status is not `ok` (exit code, signal, last stderr line, problems found).
    pub reason: Option<String>,
    pub offered_calls: u64,
    pub answered_calls: u64,
    pub missed_calls: u64,
    pub digest_ok: bool,
    #[serde(flatten)]
    pub figures: Figures,
    /// The strategy's timers kept the schedule in every run (median lateness within
    /// `stats::CLOCK_MEDIAN_LIMIT_US` beyond their lateness on an idle day).
    pub clock_ok: bool,
    pub appointments_done: u64,
    pub start_failures: u64,
    /// Pick-up samples over all runs (answered calls): a percentile resting on fewer than 10
    /// samples beyond it is marked in the tables.
    #[serde(default)]
    pub samples: u64,
    /// The timer slack the strategy's threads ran with, ns (`strategy_main` sets 1 ns).
    #[serde(default)]
    pub timer_slack_ns: Option<u64>,
    /// Seeds of the runs.
    pub seeds: Vec<u64>,
    /// Dotted figure name (`pickup_us.p99`) → [min, max] across runs, generated from
    /// [`Figures`].
    pub ranges: BTreeMap<String, [f64; 2]>,
    /// The figures the claims are decided on (`plan::claims::PER_RUN_FIGURES`), each run's
    /// value in run order: what a claim in `summary.json` can be recomputed from.
    #[serde(default)]
    pub per_run: BTreeMap<String, Vec<f64>>,
    /// Queueing-theory prediction of the mean pick-up wait, where a closed form fits.
    pub prediction: Option<Prediction>,
    /// `figures.pickup_wait_us_mean` / predicted mean wait.
    pub measured_over_predicted: Option<f64>,
}

impl Row {
    /// The file stem of this cell: `<scenario>-<strategy>-<cores>c[-<sweep>]`.
    #[must_use]
    pub fn cell_name(&self) -> String {
        let mut s = format!("{}-{}-{}c", self.scenario, self.strategy, self.cores);
        if let Some(sw) = &self.sweep {
            s.push('-');
            s.push_str(&sw.replace('=', "-"));
        }
        if self.twin {
            s.push_str("-twin");
        }
        s
    }
}

/// What a cell is — who ran, which preset over which lines, on how many cores, which swept
/// value — typed: rows, labels and file names are built from it, never parsed back.
#[derive(Clone, Debug, PartialEq)]
pub struct CellKey {
    pub strategy: String,
    /// What the strategy declared itself to be.
    pub arrangement: Option<Arrangement>,
    pub scenario: Scenario,
    pub lines: Lines,
    pub cores: usize,
    /// `field=value` when the cell belongs to a parameter sweep.
    pub sweep: Option<String>,
    /// The A/A control's second copy of a cell.
    pub twin: bool,
}

impl CellKey {
    /// An undeclared strategy's plain cell over simulated lines (tests, fixtures).
    #[must_use]
    pub fn new(strategy: &str, scenario: Scenario, cores: usize) -> CellKey {
        CellKey {
            strategy: strategy.to_owned(),
            arrangement: None,
            scenario,
            lines: Lines::Sim,
            cores,
            sweep: None,
            twin: false,
        }
    }

    /// The scenario as rows and files name it: `office`, or `office-tcp` over real lines.
    #[must_use]
    pub fn label(&self) -> String {
        scenario_label(self.scenario, self.lines)
    }
}

/// `scenario` as rows, tables and files name it: `office`, or `office-tcp` over real lines.
#[must_use]
pub fn scenario_label(scenario: Scenario, lines: Lines) -> String {
    match lines {
        Lines::Sim => scenario.name().to_owned(),
        Lines::Tcp => format!("{}-tcp", scenario.name()),
    }
}

/// Histograms of one cell, merged by addition across its runs (µs).
#[derive(Clone, Debug)]
pub struct CellHistograms {
    /// Same as the row's `cell_name()`.
    pub cell: String,
    pub pickup: Histogram<u64>,
    /// Every offered caller's wait (missed ones at patience).
    pub wait_all: Histogram<u64>,
    pub reply: Histogram<u64>,
    pub appointment_lateness: Histogram<u64>,
}

/// A timeline captured for the pictures and the traces (a separate run, not part of the
/// statistics). The recorded window is `timeline.from_us`, `timeline.len_us`; a picture shows
/// a [`slice`](TimelineRun::slice) of it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimelineRun {
    pub strategy: String,
    pub scenario: String,
    pub cores: usize,
    /// Ring instants (µs after the start of the day) inside the window.
    pub rings_us: Vec<u64>,
    /// Appointment due instants inside the window.
    pub dues_us: Vec<u64>,
    pub timeline: Timeline,
    pub threads: Vec<ThreadUse>,
}

/// Longest thread name in a lane or track label, in characters.
const THREAD_LABEL_MAX: usize = 20;

impl TimelineRun {
    /// This run cut to `[from_us, from_us + len_us)`: the spans that overlap it, the rings and
    /// due times inside it.
    #[must_use]
    pub fn slice(&self, from_us: u64, len_us: u64) -> TimelineRun {
        let (a, b) = (from_us, from_us.saturating_add(len_us));
        let inside = |v: &Vec<u64>| v.iter().copied().filter(|t| (a..b).contains(t)).collect();
        TimelineRun {
            strategy: self.strategy.clone(),
            scenario: self.scenario.clone(),
            cores: self.cores,
            rings_us: inside(&self.rings_us),
            dues_us: inside(&self.dues_us),
            timeline: Timeline {
                from_us,
                len_us,
                spans: self
                    .timeline
                    .spans
                    .iter()
                    .filter(|s| {
                        s.end_ns > a.saturating_mul(1_000) && s.start_ns < b.saturating_mul(1_000)
                    })
                    .copied()
                    .collect(),
            },
            threads: self.threads.clone(),
        }
    }

    /// The label of each of `threads` (OS thread indices) in a picture's lane or a trace's
    /// track: the thread's name, cut to 20 characters (`thread N` when it has none), and
    /// `name #N` where two of them share a name.
    #[must_use]
    pub fn thread_labels(&self, threads: &BTreeSet<u32>) -> BTreeMap<u32, String> {
        let names: BTreeMap<u32, &str> = self
            .threads
            .iter()
            .map(|t| (t.index, t.name.as_str()))
            .collect();
        let base: Vec<(u32, String)> = threads
            .iter()
            .map(|t| {
                let n = names.get(t).copied().unwrap_or("");
                let n = if n.is_empty() || n == "unnamed" {
                    format!("thread {t}")
                } else {
                    shorten(n, THREAD_LABEL_MAX)
                };
                (*t, n)
            })
            .collect();
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, n) in &base {
            *count.entry(n.as_str()).or_default() += 1;
        }
        base.iter()
            .map(|(t, n)| {
                let label = if count[n.as_str()] > 1 {
                    format!("{n} #{t}")
                } else {
                    n.clone()
                };
                (*t, label)
            })
            .collect()
    }
}

/// `s`, cut to `max` characters with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// Everything one sweep produced: what the exporters and plots render. An experiment fills
/// its own part and leaves the rest at its default (`..Results::default()`), so a new kind of
/// experiment adds a field here and touches no other constructor.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// The environment (`env.json`).
    pub env: serde_json::Value,
    pub rows: Vec<Row>,
    /// One per row, same order.
    pub hists: Vec<CellHistograms>,
    pub timelines: Vec<TimelineRun>,
    /// The sweep was stopped early (Ctrl-C): rows cover only the runs done.
    pub interrupted: bool,
    /// The capacity searches, when the run made them (`harness capacity`, `compare
    /// --capacity`).
    pub capacity: Option<crate::capacity::Capacity>,
    /// Memory per call in flight (`harness memory`).
    pub memory: Option<crate::memory::Memory>,
    /// The comparisons the plan decided before the run (what analysis tests).
    pub comparisons: Vec<crate::plan::claims::Comparison>,
}
