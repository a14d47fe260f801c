//! The day runner: the one place a strategy's day is started (pinned, under its limits — the
//! timeout, the memory guard — over simulated or real lines) and verified against the
//! reference of its spec, and where a cell's days are combined into its row. The compare's
//! sweep, the capacity search, the memory levels and the timeline runs all go through it.

use crate::discover::Strategy;
use crate::plan::Plan;
use crate::row::{CellHistograms, CellKey, Row};
use crate::runner;
use crate::stats::{self, RunRecord};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use workload::reference::Reference;
use workload::spec::Lines;
use workload::{Scenario, Spec};

/// A generous per-run timeout for `spec`: three times the expected day plus 20 s.
#[must_use]
pub fn default_timeout(spec: &Spec, ns_per_unit: f64) -> Duration {
    let day = spec.day_with_calls_us() as f64 / 1e6;
    let work = spec.offered_cores(ns_per_unit) * spec.duration_us as f64 / 1e6;
    Duration::from_secs_f64(3.0 * (day + work) + 20.0)
}

/// What every day runs under: a timeout (`None`: [`default_timeout`] of its spec), the memory
/// limit, and the calibration the timeout is derived at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DayLimits {
    pub timeout: Option<Duration>,
    pub mem_limit_mib: u64,
    pub ns_per_unit: f64,
}

impl DayLimits {
    /// The limits of `plan`'s days.
    #[must_use]
    pub fn of(plan: &Plan, ns_per_unit: f64) -> DayLimits {
        DayLimits {
            timeout: plan.timeout,
            mem_limit_mib: plan.mem_limit_mib,
            ns_per_unit,
        }
    }
}

/// One day of `strategy` on `spec`, pinned to `cpus` (the child process under `limits`,
/// `timeline`: the window to record). The one place a sweep, an idle-timer day, a timeline run
/// and a capacity probe start a strategy; the caller verifies it (`stats::record_run`).
pub fn run_day(
    strategy: &Strategy,
    spec: &Spec,
    cpus: &[usize],
    limits: DayLimits,
    timeline: Option<(u64, u64)>,
    stop: &AtomicBool,
) -> anyhow::Result<runner::RunOutput> {
    let limits = runner::Limits {
        timeout: limits
            .timeout
            .unwrap_or_else(|| default_timeout(spec, limits.ns_per_unit)),
        mem_limit_mib: limits.mem_limit_mib,
    };
    let day = runner::DayRun {
        bin: &strategy.bin,
        spec,
        cpus,
        limits,
        timeline,
    };
    if spec.lines == Lines::Tcp {
        let caller = crate::discover::caller_bin(&strategy.bin).ok_or_else(|| {
            anyhow::anyhow!(
                "lines = tcp needs the `caller` binary beside {} or the harness \
                 (cargo build --release -p harness)",
                strategy.bin.display()
            )
        })?;
        let all = runner::allowed_cpus();
        return crate::lines::run(&day, &caller, &all, stop);
    }
    runner::run(&day, stop)
}

/// The placement rule of a compare's cells, in words (for `env.json`).
pub const PLACEMENT: &str =
    "a cell on fewer cores than the machine's runs its run r on the allowed CPUs rotated by r";

/// The `cores` CPUs of `cpus` that run `turn` of a cell uses: `cpus` rotated left by `turn`,
/// the first `cores` of them (turn 0: `cpus[..cores]`, turn 1: `cpus[1..=cores]`, wrapping
/// round). A cell on all of `cpus` gets them in their order whatever the turn.
///
/// # Panics
/// If `cores` is more than `cpus.len()` (the plan checks a cell's cores against the CPUs).
#[must_use]
pub fn rotated_cpus(cpus: &[usize], cores: usize, turn: usize) -> Vec<usize> {
    assert!(cores <= cpus.len(), "{cores} cores of {} CPUs", cpus.len());
    if cores == cpus.len() {
        return cpus.to_vec();
    }
    (0..cores).map(|i| cpus[(turn + i) % cpus.len()]).collect()
}

/// Reference digests, computed once per spec and shared by every strategy and core count.
#[derive(Default)]
pub struct References(HashMap<String, Arc<Reference>>);

impl References {
    /// The reference of `spec`.
    pub fn get(&mut self, spec: &Spec) -> Arc<Reference> {
        let key = serde_json::to_string(spec).unwrap_or_default();
        self.0
            .entry(key)
            .or_insert_with(|| Arc::new(Reference::compute(spec)))
            .clone()
    }
}

/// Runs and verifies days on a set of CPUs under one set of limits, computing each spec's
/// reference once. Stops (returns `None`) once `stop` is set.
pub struct DayRunner<'a> {
    cpus: &'a [usize],
    limits: DayLimits,
    stop: &'a AtomicBool,
    refs: References,
}

impl<'a> DayRunner<'a> {
    /// Days on `cpus` (a day on N cores takes the first N, a turn of a cell the first N of
    /// them rotated: [`DayRunner::run_turn`]) under `limits`.
    #[must_use]
    pub fn new(cpus: &'a [usize], limits: DayLimits, stop: &'a AtomicBool) -> DayRunner<'a> {
        DayRunner {
            cpus,
            limits,
            stop,
            refs: References::default(),
        }
    }

    /// The calibration the days run at.
    #[must_use]
    pub fn ns_per_unit(&self) -> f64 {
        self.limits.ns_per_unit
    }

    /// Whether the run was asked to stop.
    #[must_use]
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// The reference of `spec` (computed once per spec).
    pub fn reference(&mut self, spec: &Spec) -> Arc<Reference> {
        self.refs.get(spec)
    }

    /// One day of `strategy` on `spec` on `cores` cores (the first of the runner's CPUs), not
    /// yet verified (`window`: the part of the day to record as a timeline).
    pub fn run(
        &mut self,
        strategy: &Strategy,
        spec: &Spec,
        cores: usize,
        window: Option<(u64, u64)>,
    ) -> anyhow::Result<runner::RunOutput> {
        self.run_turn(strategy, spec, cores, 0, window)
    }

    /// Run `turn` of a cell: one day on `cores` cores taken from the runner's CPUs rotated by
    /// `turn` ([`rotated_cpus`]), so a cell on fewer cores than the machine's does not always
    /// run on the same CPUs. Over real lines the caller still gets the CPUs the day leaves.
    pub fn run_turn(
        &mut self,
        strategy: &Strategy,
        spec: &Spec,
        cores: usize,
        turn: usize,
        window: Option<(u64, u64)>,
    ) -> anyhow::Result<runner::RunOutput> {
        let cpus = rotated_cpus(self.cpus, cores, turn);
        run_day(strategy, spec, &cpus, self.limits, window, self.stop)
    }

    /// `out`, a day on `spec`, verified against its reference (`idle_us`: the strategy's
    /// timers' idle lateness, for the figures).
    pub fn verify(
        &mut self,
        out: &runner::RunOutput,
        spec: &Spec,
        idle_us: Option<f64>,
    ) -> RunRecord {
        let reference = self.refs.get(spec);
        stats::record_run(out, spec, &reference, self.limits.ns_per_unit, idle_us)
    }

    /// One day, run and verified. `None` when stopped.
    pub fn day(
        &mut self,
        strategy: &Strategy,
        spec: &Spec,
        cores: usize,
        idle_us: Option<f64>,
    ) -> anyhow::Result<Option<(runner::RunOutput, RunRecord)>> {
        let out = self.run(strategy, spec, cores, None)?;
        if self.stopped() {
            return Ok(None);
        }
        let rec = self.verify(&out, spec, idle_us);
        Ok(Some((out, rec)))
    }

    /// `runs` days of the cell `key` at `spec` on seeds `spec.seed`, `spec.seed + 1`, ...
    /// combined into its row. `None` when stopped.
    pub fn cell(
        &mut self,
        strategy: &Strategy,
        key: &CellKey,
        spec: &Spec,
        runs: usize,
    ) -> anyhow::Result<Option<(Row, CellHistograms)>> {
        let mut recs = Vec::new();
        for r in 0..runs {
            let day = Spec {
                seed: spec.seed + r as u64,
                ..spec.clone()
            };
            let Some((_, rec)) = self.day(strategy, &day, key.cores, None)? else {
                return Ok(None);
            };
            recs.push(rec);
        }
        Ok(Some(stats::combine(key, &recs)))
    }

    /// The mean lateness of `strategy`'s timers on [`idle_spec`] on `cores` cores.
    pub fn idle_timer_lateness_us(&self, strategy: &Strategy, cores: usize) -> Option<f64> {
        idle_timer_lateness_us(strategy, &self.cpus[..cores], self.limits, self.stop)
    }
}

/// The idle day: a few calls far apart and one appointment, so the strategy is idle whenever
/// a timer is due. Its timer lateness is the runtime's own, with no queueing behind our work.
#[must_use]
pub fn idle_spec() -> Spec {
    Spec {
        duration_us: 300_000,
        calls_per_s: 30.0,
        appointments_per_s: 2.5,
        desk_work: 100,
        ..Scenario::Office.spec()
    }
}

/// The mean lateness (µs) of `strategy`'s timer wake-ups on [`idle_spec`], pinned to `cpus`;
/// `None` if the run failed or never slept.
pub(crate) fn idle_timer_lateness_us(
    strategy: &Strategy,
    cpus: &[usize],
    limits: DayLimits,
    stop: &AtomicBool,
) -> Option<f64> {
    let spec = idle_spec();
    let out = run_day(strategy, &spec, cpus, limits, None, stop).ok()?;
    let runner::Ending::Report(report) = out.ending else {
        return None;
    };
    let h = report.histogram("timer_lateness").ok()?;
    (!h.is_empty()).then(|| h.mean())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_on_fewer_cores_rotates_through_the_cpus() {
        let cpus = [0, 1, 2, 3];
        let one: Vec<Vec<usize>> = (0..5).map(|r| rotated_cpus(&cpus, 1, r)).collect();
        assert_eq!(one, [vec![0], vec![1], vec![2], vec![3], vec![0]]);
        assert_eq!(rotated_cpus(&cpus, 2, 0), [0, 1]);
        assert_eq!(rotated_cpus(&cpus, 2, 1), [1, 2]);
        assert_eq!(rotated_cpus(&cpus, 3, 3), [3, 0, 1]);
        // All of the CPUs: the same set in its order, every turn.
        assert_eq!(rotated_cpus(&cpus, 4, 2), cpus);
        // The allowed CPUs need not start at 0 nor be contiguous.
        assert_eq!(rotated_cpus(&[2, 5, 7], 1, 4), [5]);
        // Over real lines the caller gets what the turn leaves.
        let day = rotated_cpus(&[0, 1], 1, 1);
        assert_eq!(crate::lines::caller_cpus(&[0, 1], &day), (vec![0], false));
    }
}
