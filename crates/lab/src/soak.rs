//! `harness soak`: day after day for every strategy, round after round on new seeds, until the
//! time is up — overload on simulated lines (`rush-hour`, where a call thread once died of
//! SIGSEGV) and real lines (`office` over loopback TCP, where the liar rule judges) on each core
//! count — to meet what a compare meets too rarely to see: crashes, hangs and the harness's own
//! false `wrong`s. Every day goes through the day runner and is verified exactly as in a
//! compare; the days are the data (`analysis::soak` summarises them).

use crate::day::{DayLimits, DayRunner};
use crate::discover::Strategy;
use crate::plan::{self, Usage};
use crate::row::{Status, scenario_label};
use crate::runner::Ending;
use serde::{Deserialize, Serialize};
use std::io::IsTerminal as _;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use workload::spec::Lines;
use workload::{Scenario, Spec};

/// Minutes of a soak when none is asked for.
pub const DEFAULT_MINUTES: f64 = 30.0;
/// Core counts of a soak when none is asked for (those this machine allows).
pub const DEFAULT_CORES: [usize; 2] = [1, 2];
/// The days of a round, for each strategy × cores: overload, and real lines.
pub const DAYS: [(Scenario, Lines); 2] = [
    (Scenario::RushHour, Lines::Sim),
    (Scenario::Office, Lines::Tcp),
];
/// The seed of round 0 when none is asked for (round r runs seed `first + r`): apart from a
/// compare's seeds.
pub const FIRST_SEED: u64 = 1_000;

/// What `harness soak` was asked for.
#[derive(Clone, Debug, Default)]
pub struct SoakRequest {
    pub minutes: Option<f64>,
    /// Strategy names (empty: all found).
    pub strategies: Vec<String>,
    /// Core counts (empty: [`DEFAULT_CORES`] this machine allows).
    pub cores: Vec<usize>,
    pub timeout_s: Option<f64>,
    pub mem_limit_mib: Option<u64>,
    /// The seed of round 0 (`None`: [`FIRST_SEED`]).
    pub first_seed: Option<u64>,
    /// This machine's ns per work unit (`None`: the reference).
    pub ns_per_unit: Option<f64>,
}

/// What a soak will run: rounds of every strategy × cores × day until `minutes` are up.
#[derive(Clone, Debug)]
pub struct SoakPlan {
    pub strategies: Vec<Strategy>,
    pub cores: Vec<usize>,
    /// Each day of a round: its preset and spec (units at this machine's ns per unit).
    pub days: Vec<(Scenario, Spec)>,
    pub minutes: f64,
    pub timeout: Option<Duration>,
    pub mem_limit_mib: u64,
}

impl SoakPlan {
    /// The plan of a request; bad input is a [`Usage`] error naming the valid choices.
    pub fn new(req: &SoakRequest, found: &[Strategy], cpus: usize) -> Result<SoakPlan, Usage> {
        let strategies = plan::select_strategies(found, &req.strategies)?;
        let cores = if req.cores.is_empty() {
            DEFAULT_CORES
                .into_iter()
                .filter(|&c| c <= cpus.max(1))
                .collect()
        } else {
            req.cores.clone()
        };
        plan::check_cores(&cores, cpus)?;
        let minutes = req.minutes.unwrap_or(DEFAULT_MINUTES);
        if !(minutes.is_finite() && minutes > 0.0) {
            return Err(Usage(format!(
                "invalid --minutes {minutes}: must be a positive number of minutes"
            )));
        }
        let ns = plan::ns_per_unit(req.ns_per_unit);
        let days = DAYS
            .into_iter()
            .map(|(sc, lines)| {
                let spec = Spec {
                    duration_us: plan::full_day(sc).0,
                    lines,
                    seed: req.first_seed.unwrap_or(FIRST_SEED),
                    ..sc.spec_for(ns)
                };
                (sc, spec)
            })
            .collect();
        Ok(SoakPlan {
            strategies,
            cores,
            days,
            minutes,
            timeout: plan::timeout(req.timeout_s)?,
            mem_limit_mib: plan::mem_limit(req.mem_limit_mib)?,
        })
    }
}

/// One day of a soak, as it ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SoakDay {
    pub strategy: String,
    pub cores: usize,
    /// `rush-hour`, `office-tcp`.
    pub scenario: String,
    pub preset: Scenario,
    pub lines: Lines,
    pub round: usize,
    pub seed: u64,
    pub status: Status,
    pub reason: Option<String>,
    pub missed_share: f64,
    /// p99 of every caller's wait (missed ones at patience), µs.
    pub wait_all_p99_us: f64,
    /// p99 of pick-up: the caller's measurement over real lines, µs.
    pub pickup_p99_us: f64,
    /// Over real lines: the strategy's own pick-up p99, µs.
    pub self_pickup_p99_us: Option<f64>,
    /// Over real lines: the caller's own lateness p99, µs.
    pub caller_lateness_p99_us: Option<f64>,
    /// Over real lines: the caller ran on the strategy's CPUs (the liar rule does not judge).
    pub caller_shares_cpus: Option<bool>,
    pub wall_s: f64,
}

/// Everything a soak ran.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Soak {
    pub minutes_planned: f64,
    pub seconds_run: f64,
    /// Rounds begun (the last may be cut short by the clock).
    pub rounds: usize,
    pub ns_per_unit: f64,
    /// Each day of a round: its label and spec at round 0.
    pub specs: Vec<(String, Spec)>,
    pub days: Vec<SoakDay>,
    /// Stopped early (Ctrl-C).
    pub interrupted: bool,
}

/// Runs the plan on `cpus` until its minutes are up (a day begun is finished) or `stop` is
/// set, keeping every day done.
pub fn execute(
    plan: &SoakPlan,
    cpus: &[usize],
    ns_per_unit: f64,
    stop: &AtomicBool,
) -> anyhow::Result<Soak> {
    let limits = DayLimits {
        timeout: plan.timeout,
        mem_limit_mib: plan.mem_limit_mib,
        ns_per_unit,
    };
    let mut runner = DayRunner::new(cpus, limits, stop);
    let started = Instant::now();
    let budget = Duration::from_secs_f64(plan.minutes * 60.0);
    let tty = std::io::stderr().is_terminal();
    let mut idle = std::collections::HashMap::new();
    let mut days = Vec::new();
    let mut rounds = 0;
    let mut interrupted = false;
    'all: for round in 0.. {
        rounds = round + 1;
        for strategy in &plan.strategies {
            for &cores in &plan.cores {
                let idle_us = *idle
                    .entry((strategy.name.clone(), cores))
                    .or_insert_with(|| runner.idle_timer_lateness_us(strategy, cores));
                for (sc, base) in &plan.days {
                    if started.elapsed() >= budget {
                        break 'all;
                    }
                    let spec = Spec {
                        seed: base.seed + round as u64,
                        ..base.clone()
                    };
                    let Some((out, rec)) = runner.day(strategy, &spec, cores, idle_us)? else {
                        interrupted = true;
                        break 'all;
                    };
                    let f = rec.figures.clone().unwrap_or_default();
                    let tcp = spec.lines == Lines::Tcp;
                    let day = SoakDay {
                        strategy: strategy.name.clone(),
                        cores,
                        scenario: scenario_label(*sc, spec.lines),
                        preset: *sc,
                        lines: spec.lines,
                        round,
                        seed: spec.seed,
                        status: rec.status,
                        reason: rec.reason.clone(),
                        missed_share: f.missed_share,
                        wait_all_p99_us: f.wait_all_us.p99,
                        pickup_p99_us: f.pickup_us.p99,
                        self_pickup_p99_us: tcp.then_some(f.self_pickup_us.p99),
                        caller_lateness_p99_us: tcp.then_some(f.caller_lateness_us.p99),
                        caller_shares_cpus: (tcp && matches!(out.ending, Ending::Report(_)))
                            .then_some(f.caller_shares_cpus > 0.5),
                        wall_s: out.wall_s,
                    };
                    if !tty || day.status.is_failure() {
                        eprintln!(
                            "[soak {:>4.0} s] round {round} {} {cores}c {} seed {}: {}{}",
                            started.elapsed().as_secs_f64(),
                            day.strategy,
                            day.scenario,
                            day.seed,
                            day.status.name(),
                            day.reason
                                .as_deref()
                                .map(|r| format!(" ({r})"))
                                .unwrap_or_default()
                        );
                    }
                    days.push(day);
                }
            }
        }
    }
    Ok(Soak {
        minutes_planned: plan.minutes,
        seconds_run: started.elapsed().as_secs_f64(),
        rounds,
        ns_per_unit,
        specs: plan
            .days
            .iter()
            .map(|(sc, s)| (scenario_label(*sc, s.lines), s.clone()))
            .collect(),
        days,
        interrupted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found() -> Vec<Strategy> {
        ["threads", "tokio"]
            .into_iter()
            .map(|name| Strategy {
                name: name.into(),
                bin: format!("/nowhere/strategy-{name}").into(),
                arrangement: None,
            })
            .collect()
    }

    #[test]
    fn a_round_is_overload_and_real_lines_on_each_core_count() {
        let plan = SoakPlan::new(&SoakRequest::default(), &found(), 2).expect("a plan");
        assert_eq!(plan.cores, [1, 2]);
        assert_eq!(plan.minutes, DEFAULT_MINUTES);
        let kinds: Vec<(Scenario, Lines)> =
            plan.days.iter().map(|(sc, s)| (*sc, s.lines)).collect();
        assert_eq!(kinds, DAYS);
        assert!(
            plan.days
                .iter()
                .all(|(sc, s)| s.duration_us == plan::full_day(*sc).0)
        );
        let one = SoakPlan::new(&SoakRequest::default(), &found(), 1).expect("a plan");
        assert_eq!(one.cores, [1], "only the core counts this machine allows");
    }

    #[test]
    fn bad_requests_are_usage_errors_naming_the_choices() {
        let bad = |req: SoakRequest| SoakPlan::new(&req, &found(), 2).unwrap_err().0;
        let e = bad(SoakRequest {
            minutes: Some(0.0),
            ..SoakRequest::default()
        });
        assert!(e.contains("--minutes 0") && e.contains("positive"), "{e}");
        let e = bad(SoakRequest {
            strategies: vec!["nope".into()],
            ..SoakRequest::default()
        });
        assert!(
            e.contains("unknown strategy 'nope'") && e.contains("threads"),
            "{e}"
        );
        let e = bad(SoakRequest {
            cores: vec![3],
            ..SoakRequest::default()
        });
        assert!(e.contains("--cores 3"), "{e}");
    }
}
