//! The result row of one cell (strategy × scenario × cores [× sweep value]) and the data a
//! sweep hands to the exporters: rows, merged histograms per cell, timelines, environment.

use crate::theory::Prediction;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use workload::protocol::{ThreadUse, Timeline};

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

/// Pick-up latency percentiles, µs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PickupUs {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
    pub mean: f64,
}

/// A short percentile summary, µs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShortUs {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

/// One row of the summary: medians across runs; `ranges` keeps [min, max] across runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub strategy: String,
    pub scenario: String,
    pub cores: usize,
    /// Swept parameter and value, e.g. `chunk=1000` (None outside sweeps).
    pub sweep: Option<String>,
    pub runs: usize,
    pub status: Option<Status>,
    /// Why the status is not `ok` (exit code, signal, last stderr line, problems found).
    pub reason: Option<String>,
    pub offered_calls: u64,
    pub answered_calls: u64,
    pub missed_calls: u64,
    /// missed / offered.
    pub missed_share: f64,
    pub digest_ok: bool,
    pub pickup_us: PickupUs,
    pub reply_us: ShortUs,
    pub appointment_lateness_us: ShortUs,
    /// Pick-up − when the strategy noticed the ring (what a naive measurement would report).
    pub pickup_uncorrected_us: ShortUs,
    /// When the strategy noticed the ring − scheduled ring.
    pub ring_lateness_us: ShortUs,
    /// Lateness of the strategy's own timer wake-ups.
    pub timer_lateness_us: ShortUs,
    /// The strategy's timers kept the schedule (see `stats::clock_ok`).
    pub clock_ok: bool,
    pub appointments_done: u64,
    pub start_failures: u64,
    /// Process wall time, seconds.
    pub wall_s: f64,
    pub cpu_user_s: f64,
    pub cpu_sys_s: f64,
    pub max_rss_kib: f64,
    pub ctx_voluntary: f64,
    pub ctx_involuntary: f64,
    /// (user + sys) / wall: how many cores were busy on average.
    pub cpu_per_wall: f64,
    /// OS threads that picked up calls or ran desk chunks (median across runs).
    pub threads_used: f64,
    /// Seeds of the runs.
    pub seeds: Vec<u64>,
    /// "field.sub" → [min, max] across runs, for every figure above that is a median.
    pub ranges: BTreeMap<String, [f64; 2]>,
    /// Mean pick-up minus the mean lateness of the strategy's own timer wake-ups: the queueing
    /// part of the wait, which is what the theory predicts (it leaves timer latency out).
    pub pickup_wait_us_mean: f64,
    /// Queueing-theory prediction of the mean pick-up wait, where a closed form fits.
    pub prediction: Option<Prediction>,
    /// `pickup_wait_us_mean` / predicted mean wait.
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
        s
    }

    /// The status, `crashed` if unset.
    #[must_use]
    pub fn status(&self) -> Status {
        self.status.unwrap_or(Status::Crashed)
    }
}

/// Histograms of one cell, merged by addition across its runs (µs).
#[derive(Clone, Debug)]
pub struct CellHistograms {
    /// Same as the row's `cell_name()`.
    pub cell: String,
    pub pickup: Histogram<u64>,
    pub reply: Histogram<u64>,
    pub appointment_lateness: Histogram<u64>,
}

/// A timeline captured for the pictures (a separate short run, not part of the statistics).
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

/// Everything one sweep produced: what the exporters and plots render.
#[derive(Clone, Debug)]
pub struct Results {
    /// The environment (`env.json`).
    pub env: serde_json::Value,
    pub rows: Vec<Row>,
    /// One per row, same order.
    pub hists: Vec<CellHistograms>,
    pub timelines: Vec<TimelineRun>,
    /// Sentences computed from the rows.
    pub findings: Vec<String>,
    /// The sweep was stopped early (Ctrl-C): rows cover only the runs done.
    pub interrupted: bool,
}
