//! The sweep: runs a plan's cells (see `plan`) in an order that is fair to every strategy
//! (interleaved: run 1 of every cell, then run 2, ... so drift does not favour one strategy),
//! with which seeds (base + run index), and turning the runs into `Results`.

use crate::day::{DayLimits, DayRunner, run_day};
use crate::discover::Strategy;
use crate::plan::Plan;
use crate::row::{Results, TimelineRun};
use crate::runner;
use crate::stats::{self, RunRecord};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, Ordering};
use workload::schedule::Schedule;
use workload::{Scenario, Spec};

/// The order of runs: `(run index, cell index)`, run-major so every cell's run r happens
/// before any cell's run r + 1; within a run the cell order rotates by one each time.
/// Cells may have different run counts: a cell takes part in round r while it has runs left.
#[must_use]
pub fn order(runs_per_cell: &[usize]) -> Vec<(usize, usize)> {
    let cells = runs_per_cell.len();
    let rounds = runs_per_cell.iter().copied().max().unwrap_or(0);
    (0..rounds)
        .flat_map(|r| (0..cells).map(move |c| (r, (c + r) % cells.max(1))))
        .filter(|&(r, c)| r < runs_per_cell[c])
        .collect()
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
    let runs: Vec<usize> = plan.cells.iter().map(|c| c.runs).collect();
    let total = runs.iter().sum::<usize>() + plan.timelines.len();
    let pb = progress(total);
    if !tty {
        pb.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut days = DayRunner::new(cpus, DayLimits::of(plan, ns_per_unit), stop);
    let mut records: Vec<Vec<RunRecord>> = vec![Vec::new(); plan.cells.len()];
    let mut interrupted = false;
    // Each strategy × cores: how late its timers fire when it has nothing else to do.
    let mut idle: HashMap<(String, usize), Option<f64>> = HashMap::new();
    for (done, (r, c)) in order(&runs).into_iter().enumerate() {
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
            "{} {} {}c{}{} run {}",
            cell.scenario,
            cell.strategy.name,
            cell.cores,
            cell.sweep
                .as_deref()
                .map(|s| format!(" {s}"))
                .unwrap_or_default(),
            if cell.twin { " twin" } else { "" },
            r + 1
        );
        pb.set_message(label.clone());
        // Run r on the CPUs rotated by r: a cell on fewer cores does not always get CPU 0.
        let out = days.run_turn(&cell.strategy, &spec, cell.cores, r, None)?;
        if days.stopped() {
            interrupted = true;
            break;
        }
        // Measured once per strategy × cores, after its first run that left a report.
        let idle_us = if matches!(out.ending, runner::Ending::Report(_)) {
            *idle
                .entry((cell.strategy.name.clone(), cell.cores))
                .or_insert_with(|| {
                    pb.set_message(format!(
                        "idle timers {} {}c",
                        cell.strategy.name, cell.cores
                    ));
                    days.idle_timer_lateness_us(&cell.strategy, cell.cores)
                })
        } else {
            None
        };
        let rec = days.verify(&out, &spec, idle_us);
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
        match timeline_run(strategy, *cores, cpus, plan, &mut days, stop) {
            Ok(t) => timelines.push(t),
            Err(e) => eprintln!(
                "note: no timeline for {} on {cores} cores: {e}",
                strategy.name
            ),
        }
        pb.inc(1);
    }
    pb.finish_and_clear();
    // The theory's inputs as this compare measured them (unit time, switch overheads).
    let office_chunk = Scenario::Office.spec_for(ns_per_unit).chunk;
    let measured = crate::predict::measured_inputs(&timelines, office_chunk);
    let mut rows = Vec::new();
    let mut hists = Vec::new();
    for (cell, recs) in plan.cells.iter().zip(&records) {
        if recs.is_empty() {
            continue; // interrupted before this cell ran
        }
        let (mut row, h) = stats::combine(&cell.key(), recs);
        crate::predict::predict_row(&mut row, &cell.spec, ns_per_unit, &measured);
        rows.push(row);
        hists.push(h);
    }
    let mut env = env;
    let mut slacks: Vec<u64> = rows.iter().filter_map(|r| r.timer_slack_ns).collect();
    slacks.sort_unstable();
    slacks.dedup();
    if let Some(obj) = env.as_object_mut() {
        obj.insert("strategy_timer_slack_ns".into(), serde_json::json!(slacks));
        obj.insert("scenario_units".into(), plan.scenario_units(ns_per_unit));
    }
    Ok(Results {
        env,
        rows,
        hists,
        timelines,
        interrupted,
        comparisons: plan.comparisons.clone(),
        ..Results::default()
    })
}

fn timeline_run(
    strategy: &Strategy,
    cores: usize,
    cpus: &[usize],
    plan: &Plan,
    days: &mut DayRunner,
    stop: &AtomicBool,
) -> anyhow::Result<TimelineRun> {
    let ns_per_unit = days.ns_per_unit();
    let spec = Spec {
        duration_us: crate::plan::TIMELINE_DAY_US,
        ..Scenario::Office.spec_for(ns_per_unit)
    };
    let reference = days.reference(&spec);
    let limits = DayLimits {
        timeout: None,
        ..DayLimits::of(plan, ns_per_unit)
    };
    let out = run_day(
        strategy,
        &spec,
        &cpus[..cores],
        limits,
        Some(plan.timeline_window_us),
        stop,
    )?;
    let rec = stats::record_run(&out, &spec, &reference, ns_per_unit, None);
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
    let (from, len) = plan.timeline_window_us;
    let to = from + len;
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
        let o = order(&[2, 2, 2]);
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
    fn cells_with_fewer_runs_drop_out_of_later_rounds() {
        let o = order(&[3, 1, 2]);
        assert_eq!(o.len(), 6);
        for c in 0..3 {
            let mine: Vec<usize> = o.iter().filter(|x| x.1 == c).map(|x| x.0).collect();
            assert_eq!(mine, (0..[3, 1, 2][c]).collect::<Vec<_>>());
        }
        assert!(o[..3].iter().all(|x| x.0 == 0));
    }
}
