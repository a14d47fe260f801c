//! The sweep: which cells (strategy × scenario × cores [× swept value]) to run, in which order
//! (interleaved: run 1 of every cell, then run 2, ... so drift does not favour one strategy),
//! with which seeds (base + run index), and turning the runs into `Results`.

use crate::discover::Strategy;
use crate::row::{Results, Row, TimelineRun};
use crate::runner;
use crate::stats::{self, RunRecord};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use workload::reference::Reference;
use workload::schedule::Schedule;
use workload::{Scenario, Spec};

/// One cell of the sweep.
#[derive(Clone, Debug)]
pub struct Cell {
    pub strategy: Strategy,
    pub scenario: Scenario,
    pub cores: usize,
    /// The spec of run 0 (run r uses seed + r).
    pub spec: Spec,
    /// `field=value` when the cell belongs to a parameter sweep.
    pub sweep: Option<String>,
}

/// How to run the cells.
#[derive(Clone, Debug)]
pub struct Plan {
    pub cells: Vec<Cell>,
    pub runs: usize,
    /// Per-run timeout; `None`: derived from each spec.
    pub timeout: Option<Duration>,
    /// Capture one timeline per strategy × cores (a separate short `office` run).
    pub timelines: Vec<(Strategy, usize)>,
}

/// The order of runs: `(run index, cell index)`, run-major so every cell's run r happens
/// before any cell's run r + 1; within a run the cell order rotates by one each time.
#[must_use]
pub fn order(cells: usize, runs: usize) -> Vec<(usize, usize)> {
    (0..runs)
        .flat_map(|r| (0..cells).map(move |c| (r, (c + r) % cells.max(1))))
        .collect()
}

/// The default core counts: 1, 2, 4, ... and all allowed CPUs.
#[must_use]
pub fn default_cores(allowed: usize) -> Vec<usize> {
    let mut v: Vec<usize> = std::iter::successors(Some(1usize), |c| Some(c * 2))
        .take_while(|&c| c < allowed)
        .collect();
    v.push(allowed.max(1));
    v.dedup();
    v
}

/// A generous per-run timeout for `spec`: three times the expected day plus 20 s.
#[must_use]
pub fn default_timeout(spec: &Spec, ns_per_unit: f64) -> Duration {
    let day = (spec.duration_us + u64::from(spec.exchanges) * spec.listen_us + spec.patience_us)
        as f64
        / 1e6;
    let work = spec.offered_cores(ns_per_unit) * spec.duration_us as f64 / 1e6;
    Duration::from_secs_f64(3.0 * (day + work) + 20.0)
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

fn progress(total: usize) -> ProgressBar {
    let pb = ProgressBar::new(total as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
    {
        pb.set_style(style);
    }
    pb
}

/// Runs the plan. Stops early (keeping what was done) when `stop` becomes true.
pub fn execute(
    plan: &Plan,
    cpus: &[usize],
    ns_per_unit: f64,
    env: serde_json::Value,
    stop: &AtomicBool,
) -> anyhow::Result<Results> {
    let tty = std::io::stderr().is_terminal();
    let total = plan.cells.len() * plan.runs + plan.timelines.len();
    let pb = progress(total);
    if !tty {
        pb.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut refs = References::default();
    let mut records: Vec<Vec<RunRecord>> = vec![Vec::new(); plan.cells.len()];
    let mut interrupted = false;
    for (done, (r, c)) in order(plan.cells.len(), plan.runs).into_iter().enumerate() {
        if stop.load(Ordering::SeqCst) {
            interrupted = true;
            break;
        }
        let cell = &plan.cells[c];
        let spec = Spec {
            seed: cell.spec.seed + r as u64,
            ..cell.spec.clone()
        };
        let label = format!(
            "{} {} {}c{} run {}",
            cell.scenario,
            cell.strategy.name,
            cell.cores,
            cell.sweep
                .as_deref()
                .map(|s| format!(" {s}"))
                .unwrap_or_default(),
            r + 1
        );
        pb.set_message(label.clone());
        let reference = refs.get(&spec);
        let timeout = plan
            .timeout
            .unwrap_or_else(|| default_timeout(&spec, ns_per_unit));
        let out = runner::run(
            &cell.strategy.bin,
            &spec,
            &cpus[..cell.cores],
            timeout,
            None,
            stop,
        )?;
        if stop.load(Ordering::SeqCst) {
            interrupted = true;
            break;
        }
        let rec = stats::record_run(&out, &spec, &reference, ns_per_unit);
        if !tty {
            eprintln!(
                "[{}/{}] {label}: {}{}",
                done + 1,
                total,
                rec.status.name(),
                rec.reason
                    .as_deref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default()
            );
        }
        records[c].push(rec);
        pb.inc(1);
    }
    let mut timelines = Vec::new();
    for (strategy, cores) in &plan.timelines {
        if interrupted || stop.load(Ordering::SeqCst) {
            interrupted = true;
            break;
        }
        pb.set_message(format!("timeline {} {cores}c", strategy.name));
        match timeline_run(strategy, *cores, cpus, ns_per_unit, &mut refs, stop) {
            Ok(t) => timelines.push(t),
            Err(e) => eprintln!(
                "note: no timeline for {} on {cores} cores: {e}",
                strategy.name
            ),
        }
        pb.inc(1);
    }
    pb.finish_and_clear();
    let mut rows = Vec::new();
    let mut hists = Vec::new();
    for (cell, recs) in plan.cells.iter().zip(&records) {
        if recs.is_empty() {
            continue; // interrupted before this cell ran
        }
        let (mut row, h) = stats::combine(
            &cell.strategy.name,
            cell.scenario.name(),
            cell.cores,
            cell.sweep.clone(),
            recs,
        );
        add_prediction(&mut row, &cell.spec, ns_per_unit);
        rows.push(row);
        hists.push(h);
    }
    let findings = crate::findings::findings(&rows);
    Ok(Results {
        env,
        rows,
        hists,
        timelines,
        findings,
        interrupted,
    })
}

fn add_prediction(row: &mut Row, spec: &Spec, ns_per_unit: f64) {
    row.prediction = crate::theory::predict(&row.strategy, row.cores, spec, ns_per_unit);
    if row.status.is_some_and(|s| !s.is_failure()) && row.answered_calls > 0 {
        row.measured_over_predicted = row
            .prediction
            .as_ref()
            .and_then(|p| p.mean_pickup_wait_us)
            .filter(|&w| w > 0.0)
            .map(|w| row.pickup_wait_us_mean / w);
    }
}

/// The spec, window and duration of timeline runs: one second of `office`, 40 ms shown.
pub const TIMELINE_WINDOW_US: (u64, u64) = (500_000, 40_000);

fn timeline_run(
    strategy: &Strategy,
    cores: usize,
    cpus: &[usize],
    ns_per_unit: f64,
    refs: &mut References,
    stop: &AtomicBool,
) -> anyhow::Result<TimelineRun> {
    let spec = Spec {
        duration_us: 1_000_000,
        ..Scenario::Office.spec()
    };
    let reference = refs.get(&spec);
    let out = runner::run(
        &strategy.bin,
        &spec,
        &cpus[..cores],
        default_timeout(&spec, ns_per_unit),
        Some(TIMELINE_WINDOW_US),
        stop,
    )?;
    let rec = stats::record_run(&out, &spec, &reference, ns_per_unit);
    anyhow::ensure!(
        !rec.status.is_failure(),
        "run {}: {}",
        rec.status.name(),
        rec.reason.unwrap_or_default()
    );
    let runner::Ending::Report(report) = out.ending else {
        anyhow::bail!("no report")
    };
    let timeline = report
        .timeline
        .ok_or_else(|| anyhow::anyhow!("the strategy returned no timeline"))?;
    let (from, to) = (
        TIMELINE_WINDOW_US.0,
        TIMELINE_WINDOW_US.0 + TIMELINE_WINDOW_US.1,
    );
    let schedule = Schedule::generate(&spec);
    Ok(TimelineRun {
        strategy: strategy.name.clone(),
        scenario: Scenario::Office.name().into(),
        cores,
        rings_us: schedule
            .calls
            .iter()
            .map(|c| c.ring_us())
            .filter(|t| (from..to).contains(t))
            .collect(),
        dues_us: schedule
            .appointments
            .iter()
            .map(|a| a.due_us())
            .filter(|t| (from..to).contains(t))
            .collect(),
        timeline,
        threads: report.threads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_interleaved() {
        let o = order(3, 2);
        assert_eq!(o.len(), 6);
        // Every cell's first run comes before any cell's second run.
        let first_second = o.iter().position(|&(r, _)| r == 1).unwrap();
        assert_eq!(first_second, 3);
        let mut cells_run0: Vec<usize> = o[..3].iter().map(|&(_, c)| c).collect();
        cells_run0.sort_unstable();
        assert_eq!(cells_run0, vec![0, 1, 2]);
        // Order rotates, so no cell is always first.
        assert_ne!(o[0].1, o[3].1);
    }

    #[test]
    fn default_cores_double_up_to_all() {
        assert_eq!(default_cores(1), vec![1]);
        assert_eq!(default_cores(2), vec![1, 2]);
        assert_eq!(default_cores(16), vec![1, 2, 4, 8, 16]);
        assert_eq!(default_cores(6), vec![1, 2, 4, 6]);
    }
}
