//! Capacity: the highest call rate each strategy × cores keeps up with on a scenario, found by
//! a search over short days (`harness capacity`, or `harness compare --capacity`).
//!
//! - **Keeping up** ([`keep_up`]): missed calls ≤ [`MAX_MISSED_SHARE`], the 99th-percentile
//!   wait of every caller (a missed one counted at patience) ≤ [`MAX_P99_OF_PATIENCE`] of the
//!   patience, the digest verified and the status neither a failure nor `saturated` (a day
//!   that overran: the desk fell behind) nor `exhausted` (calls it could not start).
//! - **The search** ([`search`]): multiples of the scenario's call rate (appointments stay at
//!   the scenario's rate), doubling from 1× then bisecting, every rate on the same seeds; the
//!   capacity is the highest rate that kept up, reported with the bracket the search ended on
//!   and the day (row) that decided it.
//! - **What the second core buys** ([`SecondCore`]): capacity on 2 cores / on 1 core.
//! - **Desk speedup** ([`DeskSpeedup`]): the median time of one appointment check on a day
//!   with no calls, 1 core over 2 cores. The report has no histogram of check times, so a
//!   check's time is read off the timeline the strategy records (the day is one timeline
//!   window): from the start of its first desk chunk to the end of its last, wall clock —
//!   preemption inside a chunk included, which is what a caller would wait for. Checks fall
//!   due far enough apart (periodic, at most [`DESK_DUTY`] of one core busy) that none waits
//!   for another.
//!
//! `run` runs the days (through `sweep::run_day` and `stats::record_run`, like every other
//! day); `export::capacity` and `plot::load` turn [`Capacity`] into files.

use crate::core_limit::{CoreLimit, OfLimit};
use crate::discover::Strategy;
use crate::plan::{self, Usage};
use crate::row::{Row, Status};
use crate::spec_flags::SpecFlags;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use workload::{Arrangement, Desk, Scenario, Spec};

mod run;
pub mod search;

pub use crate::figures::median;
pub use run::{Ran, desk_spec, execute};
pub use search::{Bracket, Probe, Search, search};

/// Largest share of missed calls of a day that keeps up.
pub const MAX_MISSED_SHARE: f64 = 0.001;
/// Largest p99 wait of all callers of a day that keeps up, as a share of the patience.
pub const MAX_P99_OF_PATIENCE: f64 = 0.5;
/// Length of each day of the search, seconds (quick: [`QUICK_DAY_S`]).
pub const DAY_S: f64 = 1.0;
/// Length of each day of a quick search, seconds.
pub const QUICK_DAY_S: f64 = 0.5;
/// Bisections after the doubling: the bracket ends 2^(1/8) wide (9 %); quick: 2^(1/4) (19 %).
pub const STEPS: u32 = 3;
/// Bisections of a quick search.
pub const QUICK_STEPS: u32 = 2;
/// Runs per rate (seeds base, base + 1, ...: the same at every rate).
pub const RUNS: usize = 1;
/// The lowest and highest multiple of the scenario's call rate a search tries.
pub const MULTIPLES: (f64, f64) = (1.0 / 256.0, 1024.0);
/// Highest call rate a spec allows (`Spec::validate`).
const MAX_CALLS_PER_S: f64 = 1e6;
/// The scenario of `harness capacity` and `compare --capacity` unless told otherwise.
pub const DEFAULT_SCENARIO: Scenario = Scenario::Office;
/// Core counts unless told otherwise (those this machine allows).
pub const DEFAULT_CORES: [usize; 2] = [1, 2];
/// Checks a desk day aims for (fewer where [`DESK_DUTY`] demands it).
pub const DESK_DAY_CHECKS: f64 = 40.0;
/// Most of one core a desk day's checks may take, so that no check waits for another.
pub const DESK_DUTY: f64 = 0.3;

/// What `harness capacity` was asked for.
#[derive(Clone, Debug, Default)]
pub struct CapacityRequest {
    pub quick: bool,
    /// Strategy names (empty: all found).
    pub strategies: Vec<String>,
    /// Scenario names (empty: [`DEFAULT_SCENARIO`]).
    pub scenarios: Vec<String>,
    /// Core counts (empty: [`DEFAULT_CORES`] this machine allows).
    pub cores: Vec<usize>,
    pub runs: Option<usize>,
    pub timeout_s: Option<f64>,
    pub mem_limit_mib: Option<u64>,
    /// Overrides of the scenario's spec (`--pickup-work` and the like, in work units).
    pub spec: SpecFlags,
    /// This machine's ns per work unit (`None`: the reference).
    pub ns_per_unit: Option<f64>,
}

/// What a capacity run will do.
#[derive(Clone, Debug)]
pub struct CapacityPlan {
    pub strategies: Vec<Strategy>,
    /// Each scenario with its spec at 1× (units at this machine's ns per unit, the search's
    /// day length).
    pub scenarios: Vec<(Scenario, Spec)>,
    pub cores: Vec<usize>,
    pub runs: usize,
    pub steps: u32,
    /// Multiples of the call rate the search may try, per scenario (the highest kept within
    /// what a spec allows).
    pub multiples: (f64, f64),
    pub timeout: Option<Duration>,
    pub mem_limit_mib: u64,
}

impl CapacityPlan {
    /// The plan of a request; bad input is a [`Usage`] error naming the valid choices.
    pub fn new(
        req: &CapacityRequest,
        found: &[Strategy],
        cpus: usize,
    ) -> Result<CapacityPlan, Usage> {
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
        let runs = plan::check_runs(req.runs.unwrap_or(RUNS))?;
        let mut flags = req.spec.clone();
        if !flags.sets_duration() {
            flags.duration_s = Some(if req.quick { QUICK_DAY_S } else { DAY_S });
        }
        let names = if req.scenarios.is_empty() {
            vec![DEFAULT_SCENARIO.name().to_owned()]
        } else {
            req.scenarios.clone()
        };
        let ns = plan::ns_per_unit(req.ns_per_unit);
        let mut scenarios = Vec::new();
        for name in &names {
            let sc = plan::scenario(name)?;
            let spec = flags.apply_at(sc, ns).map_err(Usage)?;
            if spec.calls_per_s <= 0.0 {
                return Err(Usage(format!(
                    "invalid --calls-per-s 0 for capacity: the search scales the call rate, which must be above 0 ({sc})"
                )));
            }
            scenarios.push((sc, spec));
        }
        Ok(CapacityPlan {
            strategies,
            scenarios,
            cores,
            runs,
            steps: if req.quick { QUICK_STEPS } else { STEPS },
            multiples: MULTIPLES,
            timeout: plan::timeout(req.timeout_s)?,
            mem_limit_mib: plan::mem_limit(req.mem_limit_mib)?,
        })
    }

    /// The highest multiple a search of `spec` may try: [`MULTIPLES`]' top, lowered by
    /// powers of two until the rate and the day's size stay valid.
    #[must_use]
    pub fn highest_multiple(&self, spec: &Spec) -> f64 {
        let mut m = self.multiples.1;
        while m > self.multiples.0 {
            let s = Spec {
                calls_per_s: spec.calls_per_s * m,
                ..spec.clone()
            };
            if s.calls_per_s <= MAX_CALLS_PER_S && s.validate().is_ok() {
                break;
            }
            m /= 2.0;
        }
        m
    }
}

/// Whether a day (its combined row) kept up, and if not, why — the rule of the module docs.
pub fn keep_up(row: &Row, patience_us: u64) -> Result<(), String> {
    let status = row.status;
    let because = |what: &str| {
        let why = row.reason.as_deref().unwrap_or_default();
        if why.is_empty() {
            what.to_owned()
        } else {
            format!("{what}: {why}")
        }
    };
    if status.is_failure() {
        return Err(because(status.name()));
    }
    if !row.digest_ok {
        return Err("digest not verified".to_owned());
    }
    if row.figures.missed_share > MAX_MISSED_SHARE {
        return Err(format!(
            "missed {:.2} % of calls (limit {} %)",
            row.figures.missed_share * 100.0,
            MAX_MISSED_SHARE * 100.0
        ));
    }
    let limit = patience_us as f64 * MAX_P99_OF_PATIENCE;
    if row.figures.wait_all_us.p99 > limit {
        return Err(format!(
            "p99 wait of all callers {} above {} (half the patience)",
            crate::format::format_us(row.figures.wait_all_us.p99),
            crate::format::format_us(limit)
        ));
    }
    if matches!(status, Status::Saturated | Status::Exhausted) {
        return Err(because(status.name()));
    }
    Ok(())
}

/// The rule a day is judged by, as recorded in `capacity.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub max_missed_share: f64,
    pub max_p99_wait_all_of_patience: f64,
}

/// Everything a capacity run found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    pub rule: Rule,
    /// Length of each day, seconds.
    pub day_s: f64,
    pub runs_per_rate: usize,
    /// Bisections after the doubling.
    pub steps: u32,
    /// The calibration the scenarios' µs of CPU were converted at.
    pub ns_per_unit: f64,
    pub scenarios: Vec<ScenarioCapacity>,
    /// What N cores of this machine give at most (`env.json`'s `core_limit`), which every
    /// speedup is shown against; filled by `analysis::capacity::derive` (`None`: not measured).
    #[serde(default)]
    pub core_limit: Option<CoreLimit>,
}

/// One scenario's searches, second-core ratios and desk speedups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioCapacity {
    /// The scenario's label: `office`, or `office-tcp` when searched over real lines.
    pub scenario: String,
    /// The spec at 1×, with the work units every strategy got.
    pub spec: Spec,
    /// The scenario's intended load in cores (its µs of CPU).
    pub intended_cores: f64,
    /// The load at 1× on this machine (the units at its ns per unit).
    pub offered_cores: f64,
    pub searches: Vec<StrategyCapacity>,
    /// Filled by `analysis::capacity::derive` (the lab leaves it empty).
    pub second_core: Vec<SecondCore>,
    pub desk: Vec<DeskSpeedup>,
    /// The speedup curve of every strategy searched on more than one core count; filled by
    /// `analysis::capacity::derive`.
    #[serde(default)]
    pub scaling: Vec<Scaling>,
}

/// One strategy × cores: where its search ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyCapacity {
    pub strategy: String,
    pub cores: usize,
    pub arrangement: Option<Arrangement>,
    /// In multiples of the scenario's call rate.
    pub bracket: Bracket,
    /// The capacity: the highest call rate that kept up (`None`: none did).
    pub capacity_calls_per_s: Option<f64>,
    /// The lowest rate above it that did not (`None`: none failed).
    pub failed_calls_per_s: Option<f64>,
    /// The offered CPU at the capacity, cores at this machine's ns per unit.
    pub capacity_offered_cores: Option<f64>,
    /// The row of the day that kept up at the capacity.
    pub decided_by: Option<String>,
    /// The row of the day that failed just above it, and why.
    pub failed_row: Option<String>,
    pub failed_why: Option<String>,
    /// Every day of the search, in the order tried.
    pub probes: Vec<ProbePoint>,
    /// The theory's mean pick-up wait along the load, where a closed form covers the
    /// declared arrangement on these cores.
    pub theory: Option<TheoryCurve>,
}

/// One day of a search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbePoint {
    pub multiple: f64,
    pub calls_per_s: f64,
    /// Offered CPU, cores at this machine's ns per unit.
    pub offered_cores: f64,
    pub keeps_up: bool,
    /// Why it did not keep up.
    pub why: Option<String>,
    pub status: Status,
    pub missed_share: f64,
    pub wait_all_p99_us: f64,
    pub pickup_p99_us: f64,
    /// The row's cell name (`summary.md`, `<row>.hgrm`).
    pub row: String,
    /// Where the first days at this rate did not keep up and these are the confirming ones
    /// (see [`run::CONFIRM`]): the first days' row and why.
    #[serde(default)]
    pub first_days: Option<String>,
}

/// The theory's mean pick-up wait against the offered load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TheoryCurve {
    pub model: String,
    /// `[offered cores, predicted mean wait µs]`, up to where the model saturates.
    pub points: Vec<[f64; 2]>,
    /// The offered load (cores) of the first rate past the last point, where the model has no
    /// steady state (ρ ≥ 1): the curve's asymptote. `None`: not reached in the rates tried.
    #[serde(default)]
    pub saturated_from_cores: Option<f64>,
}

/// What the second core buys a strategy: capacity on 2 cores over capacity on 1 core.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecondCore {
    pub strategy: String,
    pub capacity_1c: Option<f64>,
    pub capacity_2c: Option<f64>,
    /// capacity_2c / capacity_1c, where both kept up somewhere.
    pub ratio: Option<f64>,
    /// The ratio the brackets allow: `[2c pass / 1c fail, 2c fail / 1c pass]` (an end is
    /// `None` where its bracket is open).
    pub ratio_range: [Option<f64>; 2],
    /// The ratio beside the machine's limit on 2 cores.
    #[serde(default)]
    pub of_limit: OfLimit,
}

/// One desk day: the median time of one appointment check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskCheck {
    pub cores: usize,
    pub status: Status,
    pub why: Option<String>,
    /// Checks timed.
    pub checks: usize,
    pub median_us: Option<f64>,
    pub min_us: Option<f64>,
    pub max_us: Option<f64>,
    /// The share of a check's chunks done by threads other than its busiest one, mean over
    /// checks: 0 when one worker does each check, 0.5 for an even split over two.
    #[serde(default)]
    pub split_share: Option<f64>,
}

/// A strategy's desk alone: check times per core count and the speedup of 2 cores over 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskSpeedup {
    pub strategy: String,
    /// How it declared it does a check.
    pub desk: Option<Desk>,
    pub days: Vec<DeskCheck>,
    /// Median check on 1 core / median check on 2 cores; filled by
    /// `analysis::capacity::derive`.
    pub speedup: Option<f64>,
    /// The speedup beside the machine's limit on 2 cores; filled by
    /// `analysis::capacity::derive`.
    #[serde(default)]
    pub of_limit: OfLimit,
}

/// One strategy's capacity at each core count searched, over its capacity on 1 core.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scaling {
    pub strategy: String,
    /// `(cores, capacity in calls/s, capacity / capacity on 1 core)`, by cores; the capacity
    /// is `None` where the search failed even at its lowest rate, the ratio `None` where
    /// either end has no capacity.
    pub points: Vec<(usize, Option<f64>, Option<f64>)>,
    /// Each point's ratio beside the machine's limit at its cores, same order as `points`.
    #[serde(default)]
    pub of_limit: Vec<OfLimit>,
    /// Per point, same order: the search passed even its highest rate, so the capacity is a
    /// lower bound ("≥"), and so is its ratio where the 1-core capacity is not one itself.
    #[serde(default)]
    pub at_least: Vec<bool>,
}

impl StrategyCapacity {
    /// The probe at `multiple`, if tried.
    #[must_use]
    pub fn probe_at(&self, multiple: Option<f64>) -> Option<&ProbePoint> {
        let m = multiple?;
        self.probes.iter().find(|p| p.multiple == m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::Figures;

    fn row(status: Status, missed: f64, p99: f64) -> Row {
        let mut r = crate::fixtures::sample_results().rows[0].clone();
        r.status = status;
        r.reason = None;
        r.digest_ok = true;
        r.figures = Figures {
            missed_share: missed,
            ..r.figures
        };
        r.figures.wait_all_us.p99 = p99;
        r
    }

    #[test]
    fn the_keep_up_rule() {
        assert_eq!(keep_up(&row(Status::Ok, 0.0, 9_000.0), 20_000), Ok(()));
        assert_eq!(
            keep_up(&row(Status::Invalid, 0.001, 10_000.0), 20_000),
            Ok(())
        );
        let e = keep_up(&row(Status::Ok, 0.0011, 100.0), 20_000).unwrap_err();
        assert!(e.contains("missed") && e.contains("limit"), "{e}");
        let e = keep_up(&row(Status::Ok, 0.0, 10_001.0), 20_000).unwrap_err();
        assert!(e.contains("half the patience"), "{e}");
        assert!(keep_up(&row(Status::Saturated, 0.0, 100.0), 20_000).is_err());
        assert!(keep_up(&row(Status::Crashed, 0.0, 100.0), 20_000).is_err());
        let mut wrong = row(Status::Ok, 0.0, 100.0);
        wrong.digest_ok = false;
        assert!(keep_up(&wrong, 20_000).is_err());
    }

    /// `harness capacity --set lines=tcp`: the searched days run over real lines and their
    /// rows say so (labelled `office-tcp`, lines tcp) — never filed as simulated.
    #[test]
    fn a_search_over_real_lines_is_planned_and_labelled_as_such() {
        let found = vec![Strategy {
            name: "threads".into(),
            bin: "/nowhere/strategy-threads".into(),
            arrangement: None,
        }];
        let req = CapacityRequest {
            spec: SpecFlags {
                duration_s: None,
                sets: vec![("lines".into(), "tcp".into())],
            },
            ..CapacityRequest::default()
        };
        let plan = CapacityPlan::new(&req, &found, 2).expect("a plan");
        let (sc, spec) = &plan.scenarios[0];
        assert_eq!(spec.lines, workload::spec::Lines::Tcp);
        let key = crate::row::CellKey {
            lines: spec.lines,
            sweep: Some("calls-per-s=80".into()),
            ..found[0].cell(*sc, 1)
        };
        let (row, _) = crate::stats::combine(&key, &[]);
        assert_eq!(
            (row.scenario.as_str(), row.lines),
            ("office-tcp", workload::spec::Lines::Tcp)
        );
    }

    /// Every spec a capacity search can send survives the trip a day makes — JSON to the
    /// strategy, parsed, echoed in its report, parsed by the harness — equal to the spec sent:
    /// every scenario, calibrations across what VMs show, every multiple the search can probe
    /// (doubling and bisection from every place the verdict can change), the desk day. Before
    /// serde_json's `float_roundtrip`, 8 % of such rates came back one ulp off and the day
    /// was `wrong` ("the report's spec differs from the spec sent").
    #[test]
    fn every_spec_a_search_sends_reads_back_equal() {
        let mut multiples = Vec::new();
        for threshold_e in -80..=100 {
            let threshold = f64::from(threshold_e) / 8.0;
            let found = search(
                |m| Some((m.log2() <= threshold, ())),
                MULTIPLES.0,
                MULTIPLES.1,
                STEPS,
            );
            multiples.extend(found.probes.iter().map(|p| p.multiple));
        }
        multiples.sort_by(f64::total_cmp);
        multiples.dedup();
        let mut checked = 0;
        for sc in plan::FULL_SCENARIOS {
            for ns in [612.5, 700.0, 930.0, 949.3, 1_015.0, 1_155.7, 2_047.9] {
                let base = sc.spec_for(ns);
                let mut specs: Vec<Spec> = multiples
                    .iter()
                    .map(|m| Spec {
                        calls_per_s: base.calls_per_s * m,
                        ..base.clone()
                    })
                    .collect();
                specs.push(run::desk_spec(&base, ns));
                for spec in specs {
                    let sent = serde_json::to_string(&spec).expect("serialises");
                    let theirs: Spec = serde_json::from_str(&sent).expect("the strategy parses it");
                    let echoed = serde_json::json!({ "spec": theirs }).to_string();
                    let doc: serde_json::Value = serde_json::from_str(&echoed).expect("parses");
                    let back: Spec = serde_json::from_value(doc["spec"].clone()).expect("a spec");
                    assert!(
                        back == spec,
                        "{}",
                        crate::stats::spec_difference(&spec, &back)
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 1_000, "{checked} specs checked");
    }

    #[test]
    fn the_median_sorts_and_takes_the_middle() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut []), None);
    }
}
