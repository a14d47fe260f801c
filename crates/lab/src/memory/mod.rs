//! How many calls can be in flight, and what each costs in memory (`harness memory`).
//!
//! For every strategy, on ONE core, the `switchboard` (long quiet calls, see
//! `workload::Scenario::Switchboard`) is run at each level of calls in flight
//! ([`LEVELS`]: 1k, 10k, 100k, 1M), its call rate scaled to the level (level / call length;
//! every call rings before the first one ends, so at the end of the ringing the whole day's
//! calls are in flight at once). Per level: the peak RSS (the strategy's own `VmHWM`), the
//! calls in flight at once computed from the schedule and measured by the strategy (call
//! sheets alive at once), the status. Levels run from the smallest up, and a strategy stops at
//! the first level it does not hold: that level is its **limit**, with the row's reason (a
//! thread or coroutine it could not start, the memory guard, calls missed).
//!
//! - **Held** ([`held`]): the day was verified and kept up — status `ok`, or `invalid` (its
//!   own timers woke late on a busy machine, which says nothing about its memory).
//! - **Bytes per call in flight** ([`fit`]): the least-squares slope of peak RSS against calls
//!   in flight (measured where the report has it, else computed) over the levels held — at
//!   least two; its intercept is the base RSS of a day with no calls. Least squares over
//!   1k…1M leans on the largest levels, which is where the per-call cost shows.
//!
//! `run` runs the days (through `sweep::run_day` and `stats::record_run`, like every other
//! day); `export::memory` turns [`Memory`] into files.

use crate::discover::Strategy;
use crate::plan::{self, Usage};
use crate::row::Status;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use workload::spec::SWITCHBOARD_CALL_US;
use workload::{Arrangement, Scenario, Spec};

mod run;

pub use run::{Ran, execute};

/// Levels of calls in flight of a full run.
pub const LEVELS: [u64; 4] = [1_000, 10_000, 100_000, 1_000_000];
/// Levels of a quick run.
pub const QUICK_LEVELS: [u64; 3] = [1_000, 10_000, 100_000];
/// How long each call talks (and how long the phones ring) in a full run, seconds: the
/// switchboard's own (8 s: 1M calls in flight at 125,000 calls/s).
pub const CALL_S: f64 = SWITCHBOARD_CALL_US as f64 / 1e6;
/// The same in a quick run (100k in flight at 100,000 calls/s; a day lasts 2 s).
pub const QUICK_CALL_S: f64 = 1.0;
/// Longest call a run may ask for, seconds.
pub const MAX_CALL_S: f64 = 600.0;
/// The cores every day runs on: one, where a task per call is all that can hold a call.
pub const CORES: usize = 1;
/// The target of a task-per-call strategy: 1M calls in flight within this peak RSS, MiB.
pub const TARGET_MIB: f64 = 512.0;
/// The level the target is about.
pub const TARGET_IN_FLIGHT: u64 = 1_000_000;

/// What `harness memory` was asked for.
#[derive(Clone, Debug, Default)]
pub struct MemoryRequest {
    pub quick: bool,
    /// Strategy names (empty: all found).
    pub strategies: Vec<String>,
    /// `--in-flight` as typed (`None`: [`LEVELS`] or [`QUICK_LEVELS`]).
    pub in_flight: Option<String>,
    /// `--call-s` (`None`: [`CALL_S`] or [`QUICK_CALL_S`]).
    pub call_s: Option<f64>,
    pub timeout_s: Option<f64>,
    pub mem_limit_mib: Option<u64>,
    /// This machine's ns per work unit (`None`: the reference).
    pub ns_per_unit: Option<f64>,
}

/// What a memory run will do.
#[derive(Clone, Debug)]
pub struct MemoryPlan {
    pub strategies: Vec<Strategy>,
    /// Calls in flight, ascending.
    pub levels: Vec<u64>,
    /// Each call's talk and the phones' ringing, µs.
    pub call_us: u64,
    pub ns_per_unit: f64,
    pub timeout: Option<Duration>,
    pub mem_limit_mib: u64,
}

/// `--in-flight 1000,10k,1M` → the levels, ascending and without repeats. A level is a
/// positive integer, with an optional `k` (thousand) or `M` (million).
pub fn parse_levels(s: &str) -> Result<Vec<u64>, Usage> {
    let bad = |v: &str| {
        Usage(format!(
            "invalid --in-flight '{v}': expected comma-separated positive counts of calls, e.g. 1000,10000,100000,1000000 (or 1k,10k,100k,1M)"
        ))
    };
    let mut levels = Vec::new();
    for v in s.split(',').map(str::trim) {
        let (digits, times) = match v.strip_suffix(['k', 'K']) {
            Some(d) => (d, 1_000),
            None => match v.strip_suffix('M') {
                Some(d) => (d, 1_000_000),
                None => (v, 1),
            },
        };
        let n = digits
            .replace('_', "")
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(times))
            .filter(|&n| n > 0)
            .ok_or_else(|| bad(v))?;
        levels.push(n);
    }
    levels.sort_unstable();
    levels.dedup();
    Ok(levels)
}

impl MemoryPlan {
    /// The plan of a request; bad input is a [`Usage`] error naming the valid choices.
    pub fn new(req: &MemoryRequest, found: &[Strategy], cpus: usize) -> Result<MemoryPlan, Usage> {
        let strategies = plan::select_strategies(found, &req.strategies)?;
        plan::check_cores(&[CORES], cpus)?;
        let call_s = req
            .call_s
            .unwrap_or(if req.quick { QUICK_CALL_S } else { CALL_S });
        if !(call_s.is_finite() && call_s > 0.0 && call_s <= MAX_CALL_S) {
            return Err(Usage(format!(
                "invalid --call-s {call_s}: must be a number of seconds in (0, {MAX_CALL_S}]"
            )));
        }
        let levels = match &req.in_flight {
            Some(s) => parse_levels(s)?,
            None if req.quick => QUICK_LEVELS.to_vec(),
            None => LEVELS.to_vec(),
        };
        let plan = MemoryPlan {
            strategies,
            levels,
            call_us: ((call_s * 1e6).round() as u64).max(1),
            ns_per_unit: plan::ns_per_unit(req.ns_per_unit),
            timeout: plan::timeout(req.timeout_s)?,
            mem_limit_mib: plan::mem_limit(req.mem_limit_mib)?,
        };
        for &level in &plan.levels {
            plan.spec(level).validate().map_err(|e| {
                Usage(format!(
                    "invalid --in-flight {level}: with {call_s} s calls that is {} calls/s: {e} (a longer --call-s holds more calls at the same rate)",
                    crate::format::format_rate(level as f64 / call_s)
                ))
            })?;
        }
        Ok(plan)
    }

    /// The day of one level: the switchboard with `level` calls in flight.
    #[must_use]
    pub fn spec(&self, level: u64) -> Spec {
        Scenario::switchboard(level, self.call_us, self.ns_per_unit)
    }
}

/// Whether a day held its calls: verified and kept up (`invalid` counts: its own timers were
/// late on a busy machine, its memory is what it is).
#[must_use]
pub fn held(status: Status) -> bool {
    matches!(status, Status::Ok | Status::Invalid)
}

/// The least-squares line through `(calls in flight, peak RSS bytes)`: `(slope in bytes per
/// call, intercept in bytes)`. `None` with fewer than two distinct call counts.
#[must_use]
pub fn fit(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx <= 0.0 || !sxx.is_finite() {
        return None;
    }
    let slope = sxy / sxx;
    Some((slope, my - slope * mx))
}

/// How the slope is computed, as `memory.json` and `memory.md` say it.
pub const FIT: &str = "least-squares slope of peak RSS against calls in flight (measured: call sheets alive at once) over the levels held (at least two); intercept = base RSS";

/// Everything a memory run found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    pub scenario: String,
    /// Each call's talk, seconds (the phones ring as long).
    pub call_s: f64,
    pub cores: usize,
    /// Calls in flight asked for, ascending.
    pub levels: Vec<u64>,
    /// The calibration the switchboard's µs of CPU were converted at.
    pub ns_per_unit: f64,
    /// The memory guard: a day whose resident memory passes it is killed (`exhausted`).
    pub mem_limit_mib: u64,
    /// How the slope is computed ([`FIT`]).
    pub fit: String,
    pub strategies: Vec<StrategyMemory>,
}

/// One strategy's days and what they add up to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyMemory {
    pub strategy: String,
    pub arrangement: Option<Arrangement>,
    /// Its days, by level, up to its limit.
    pub days: Vec<MemoryDay>,
    /// Bytes of peak RSS per call in flight ([`fit`] over the levels held).
    pub bytes_per_call: Option<f64>,
    /// Bytes of kernel memory per call in flight (the same fit over the days' `kernel_kib`):
    /// what a thread or a socket costs the kernel beside the process's own RSS.
    #[serde(default)]
    pub kernel_bytes_per_call: Option<f64>,
    /// The fit's intercept, MiB: the RSS of a day with no call in flight.
    pub base_mib: Option<f64>,
    /// Levels the fit used.
    pub fitted_levels: usize,
    /// The largest level held.
    pub held_up_to: Option<u64>,
    /// The first level not held, and why (`None`: held every level asked).
    pub limit: Option<Limit>,
}

/// Where a strategy stopped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Limit {
    pub in_flight: u64,
    pub status: Status,
    pub reason: String,
}

/// One day: one strategy at one level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemoryDay {
    /// Calls in flight asked for.
    pub in_flight: u64,
    pub calls_per_s: f64,
    pub offered_calls: u64,
    /// The most calls in flight at once by the schedule, each held from its ring for its talk.
    pub peak_scheduled: u64,
    /// The most calls the strategy held at once (call sheets alive at once), when it reported.
    pub peak_measured: Option<u64>,
    /// Peak resident memory, KiB: the strategy's own `VmHWM`; for a day the memory guard
    /// killed, the resident memory it was caught at.
    pub peak_rss_kib: Option<u64>,
    /// Kernel memory the day added, KiB (`runner::Rusage::kernel_peak_kib`: kernel stacks,
    /// task structs, page tables, socket buffers — not in `VmHWM`).
    #[serde(default)]
    pub kernel_kib: Option<u64>,
    pub status: Status,
    pub held: bool,
    pub reason: Option<String>,
    pub missed_share: f64,
    pub start_failures: u64,
    pub pickup_p99_us: f64,
    /// CPU busy (user + system) over the day's wall time, cores.
    pub cpu_per_wall: f64,
    pub wall_s: f64,
    /// The day's row in `summary.md` (`None`: no row, e.g. interrupted).
    pub row: Option<String>,
}

impl MemoryDay {
    /// The calls in flight the fit uses: measured where reported, else the schedule's.
    #[must_use]
    pub fn in_flight_x(&self) -> u64 {
        self.peak_measured.unwrap_or(self.peak_scheduled)
    }

    /// Peak RSS in MiB.
    #[must_use]
    pub fn rss_mib(&self) -> Option<f64> {
        self.peak_rss_kib.map(|k| k as f64 / 1024.0)
    }
}

impl StrategyMemory {
    /// A strategy's summary from its days (in level order): the fit over the days held, the
    /// largest level held and the first one not held.
    #[must_use]
    pub fn from_days(
        strategy: &str,
        arrangement: Option<Arrangement>,
        days: Vec<MemoryDay>,
    ) -> StrategyMemory {
        let points: Vec<(f64, f64)> = days
            .iter()
            .filter(|d| d.held)
            .filter_map(|d| Some((d.in_flight_x() as f64, d.peak_rss_kib? as f64 * 1024.0)))
            .collect();
        let line = fit(&points);
        let kernel: Vec<(f64, f64)> = days
            .iter()
            .filter(|d| d.held)
            .filter_map(|d| Some((d.in_flight_x() as f64, d.kernel_kib? as f64 * 1024.0)))
            .collect();
        let limit = days.iter().find(|d| !d.held).map(|d| Limit {
            in_flight: d.in_flight,
            status: d.status,
            reason: d
                .reason
                .clone()
                .unwrap_or_else(|| d.status.name().to_owned()),
        });
        StrategyMemory {
            strategy: strategy.to_owned(),
            arrangement,
            held_up_to: days.iter().filter(|d| d.held).map(|d| d.in_flight).max(),
            bytes_per_call: line.map(|l| l.0),
            kernel_bytes_per_call: fit(&kernel).map(|l| l.0),
            base_mib: line.map(|l| l.1 / 1_048_576.0),
            fitted_levels: if line.is_some() { points.len() } else { 0 },
            limit,
            days,
        }
    }

    /// The day at `level`, if run.
    #[must_use]
    pub fn day(&self, level: u64) -> Option<&MemoryDay> {
        self.days.iter().find(|d| d.in_flight == level)
    }
}

impl Memory {
    /// The strategies that held [`TARGET_IN_FLIGHT`] calls: `(name, peak RSS MiB, within
    /// [`TARGET_MIB`])`.
    #[must_use]
    pub fn target(&self) -> Vec<(String, f64, bool)> {
        self.strategies
            .iter()
            .filter_map(|s| {
                let d = s.day(TARGET_IN_FLIGHT).filter(|d| d.held)?;
                let mib = d.rss_mib()?;
                Some((s.strategy.clone(), mib, mib <= TARGET_MIB))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
