//! The capacity run: for each scenario, strategy and core count, a [`search`] whose
//! evaluator runs real days (`sweep::run_day`, verified by `stats::record_run` and combined by
//! `stats::combine`, exactly as a compare's), then the desk days. Each day becomes a row
//! (`calls-per-s=<rate>`, a sweep of the call rate) so every day of a search can be read in
//! `summary.md`.

use super::search::{Bracket, search};
use super::{
    Capacity, CapacityPlan, DESK_DAY_CHECKS, DESK_DUTY, DeskCheck, DeskSpeedup, ProbePoint, Rule,
    ScenarioCapacity, StrategyCapacity, TheoryCurve, keep_up, median,
};
use crate::day::{DayLimits, DayRunner};
use crate::discover::Strategy;
use crate::format::{format_rate, format_share, format_us};
use crate::plan::units_json;
use crate::row::{CellHistograms, CellKey, Results, Row};
use crate::runner::Ending;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use workload::record::Doing;
use workload::spec::Arrivals;
use workload::{Scenario, Spec};

/// What a capacity run produced: the capacities, every day as a row with its histograms, and
/// whether it was stopped early.
pub struct Ran {
    pub capacity: Capacity,
    pub rows: Vec<Row>,
    pub hists: Vec<CellHistograms>,
    pub interrupted: bool,
}

impl Ran {
    /// The results folder's content: every day as a row, the capacities, and `env` with the
    /// units each scenario got (`scenario_units`, as a compare records them).
    #[must_use]
    pub fn into_results(self, mut env: serde_json::Value, plan: &CapacityPlan) -> Results {
        let ns = self.capacity.ns_per_unit;
        if let Some(obj) = env.as_object_mut() {
            let units: serde_json::Map<String, serde_json::Value> = plan
                .scenarios
                .iter()
                .map(|(sc, spec)| (sc.name().to_owned(), units_json(*sc, spec, ns)))
                .collect();
            obj.insert("scenario_units".into(), units.into());
        }
        Results {
            env,
            rows: self.rows,
            hists: self.hists,
            timelines: Vec::new(),
            interrupted: self.interrupted,
            capacity: Some(self.capacity),
            ..Results::default()
        }
    }
}

/// Whether a rate whose days did not keep up gets a second set of days on the next seeds,
/// whose verdict stands: one stall of the machine (a hypervisor pausing the vCPU for 10 ms
/// touches a percent of a short day's calls) must not decide a capacity, while a rate that
/// truly overloads fails both times.
pub const CONFIRM: bool = true;

/// The sweep label of a day at `calls_per_s`.
fn label(calls_per_s: f64) -> String {
    let r = (calls_per_s * 10.0).round() / 10.0;
    format!("calls-per-s={r}")
}

/// Everything the days of one run share.
struct Days<'a> {
    plan: &'a CapacityPlan,
    ns: f64,
    days: DayRunner<'a>,
    rows: Vec<Row>,
    hists: Vec<CellHistograms>,
}

impl Days<'_> {
    /// `runs` days at `spec`'s rate on seeds `first_seed`, `first_seed + 1`, ... combined into
    /// a row labelled `sweep`. `None` when stopped.
    fn days_at(
        &mut self,
        strategy: &Strategy,
        scenario: Scenario,
        cores: usize,
        spec: &Spec,
        first_seed: u64,
        sweep: String,
    ) -> anyhow::Result<Option<(Row, CellHistograms)>> {
        let key = CellKey {
            lines: spec.lines,
            sweep: Some(sweep),
            ..strategy.cell(scenario, cores)
        };
        let first = Spec {
            seed: first_seed,
            ..spec.clone()
        };
        self.days.cell(strategy, &key, &first, self.plan.runs)
    }

    /// One rate: `runs` days on seeds base, base + 1, ... combined into a row; where they do
    /// not keep up, [`CONFIRM`] says whether `runs` more days on the next seeds get the last
    /// word (both rows are kept). `None` when stopped.
    fn probe(
        &mut self,
        strategy: &Strategy,
        scenario: Scenario,
        cores: usize,
        base: &Spec,
        multiple: f64,
    ) -> anyhow::Result<Option<ProbePoint>> {
        let spec = Spec {
            calls_per_s: base.calls_per_s * multiple,
            ..base.clone()
        };
        let name = label(spec.calls_per_s);
        let Some((mut row, mut h)) =
            self.days_at(strategy, scenario, cores, &spec, spec.seed, name.clone())?
        else {
            return Ok(None);
        };
        let mut verdict = keep_up(&row, spec.patience_us);
        let mut first_days = None;
        if let Err(why) = &verdict
            && CONFIRM
        {
            let again = spec.seed + self.plan.runs as u64;
            let Some((row2, h2)) = self.days_at(
                strategy,
                scenario,
                cores,
                &spec,
                again,
                format!("{name}-again"),
            )?
            else {
                return Ok(None);
            };
            eprintln!(
                "  {} {} {cores}c ×{}: the first day did not keep up ({why}); once more on seed {again}",
                scenario,
                strategy.name,
                crate::format::fmt_num(multiple),
            );
            first_days = Some(format!("`{}`: {why}", row.cell_name()));
            self.rows.push(std::mem::replace(&mut row, row2));
            self.hists.push(std::mem::replace(&mut h, h2));
            verdict = keep_up(&row, spec.patience_us);
        }
        let point = ProbePoint {
            multiple,
            calls_per_s: spec.calls_per_s,
            offered_cores: spec.offered_cores(self.ns),
            keeps_up: verdict.is_ok(),
            why: verdict.err(),
            status: row.status,
            missed_share: row.figures.missed_share,
            wait_all_p99_us: row.figures.wait_all_us.p99,
            pickup_p99_us: row.figures.pickup_us.p99,
            row: row.cell_name(),
            first_days,
        };
        eprintln!(
            "  {} {} {cores}c ×{} ({} calls/s): {} — p99 all callers {}, missed {}",
            scenario,
            strategy.name,
            crate::format::fmt_num(multiple),
            format_rate(spec.calls_per_s),
            point
                .why
                .as_deref()
                .map_or("keeps up", |_| "does not keep up"),
            format_us(point.wait_all_p99_us),
            format_share(point.missed_share),
        );
        self.rows.push(row);
        self.hists.push(h);
        Ok(Some(point))
    }

    /// The search of one strategy × cores.
    fn search(
        &mut self,
        strategy: &Strategy,
        scenario: Scenario,
        cores: usize,
        base: &Spec,
    ) -> anyhow::Result<(StrategyCapacity, bool)> {
        let mut error = None;
        let (lowest, highest) = (self.plan.multiples.0, self.plan.highest_multiple(base));
        let steps = self.plan.steps;
        let found = search(
            |m| match self.probe(strategy, scenario, cores, base, m) {
                Ok(Some(p)) => Some((p.keeps_up, p)),
                Ok(None) => None,
                Err(e) => {
                    error = Some(e);
                    None
                }
            },
            lowest,
            highest,
            steps,
        );
        if let Some(e) = error {
            return Err(e);
        }
        let stopped = matches!(found.bracket, Bracket::Unfinished { .. });
        let probes: Vec<ProbePoint> = found.probes.into_iter().map(|p| p.detail).collect();
        let at = |m: Option<f64>| m.and_then(|m| probes.iter().find(|p| p.multiple == m));
        let (pass, fail) = (at(found.bracket.pass()), at(found.bracket.fail()));
        let theory = theory_curve(strategy, cores, base, self.ns, &probes);
        Ok((
            StrategyCapacity {
                strategy: strategy.name.clone(),
                cores,
                arrangement: strategy.arrangement,
                bracket: found.bracket,
                capacity_calls_per_s: pass.map(|p| p.calls_per_s),
                failed_calls_per_s: fail.map(|p| p.calls_per_s),
                capacity_offered_cores: pass.map(|p| p.offered_cores),
                decided_by: pass.map(|p| p.row.clone()),
                failed_row: fail.map(|p| p.row.clone()),
                failed_why: fail.and_then(|p| p.why.clone()),
                probes,
                theory,
            },
            stopped,
        ))
    }

    /// The desk day of `strategy` on `cores`: no calls, the scenario's checks far apart, the
    /// whole day one timeline window; each check's time from its chunks' spans.
    fn desk_day(
        &mut self,
        strategy: &Strategy,
        cores: usize,
        base: &Spec,
    ) -> anyhow::Result<DeskCheck> {
        let spec = desk_spec(base, self.ns);
        let window = (0, spec.duration_us.saturating_mul(2) + 1_000_000);
        let out = self.days.run(strategy, &spec, cores, Some(window))?;
        let rec = self.days.verify(&out, &spec, None);
        // Per check: first chunk start, last chunk end, chunks per thread.
        let mut checks: BTreeMap<u32, (u64, u64, BTreeMap<u32, u32>)> = BTreeMap::new();
        if let Ending::Report(report) = &out.ending
            && let Some(t) = &report.timeline
        {
            for s in t.spans.iter().filter(|s| s.doing == Doing::Desk) {
                let e = checks.entry(s.id).or_insert((u64::MAX, 0, BTreeMap::new()));
                e.0 = e.0.min(s.start_ns);
                e.1 = e.1.max(s.end_ns);
                *e.2.entry(s.thread).or_insert(0) += 1;
            }
        }
        let mut us: Vec<f64> = checks
            .values()
            .map(|(a, b, _)| b.saturating_sub(*a) as f64 / 1e3)
            .collect();
        let splits: Vec<f64> = checks
            .values()
            .map(|(_, _, by)| {
                let all: u32 = by.values().sum();
                let most = by.values().copied().max().unwrap_or(0);
                1.0 - f64::from(most) / f64::from(all.max(1))
            })
            .collect();
        let verified = !rec.status.is_failure();
        let why = match (&rec.reason, verified, us.is_empty()) {
            (Some(r), _, _) => Some(r.clone()),
            (None, true, true) => Some("no desk spans in the timeline".to_owned()),
            _ => None,
        };
        let day = DeskCheck {
            cores,
            status: rec.status,
            why,
            checks: us.len(),
            median_us: if verified { median(&mut us) } else { None },
            min_us: us.first().copied(),
            max_us: us.last().copied(),
            split_share: (!splits.is_empty())
                .then(|| splits.iter().sum::<f64>() / splits.len() as f64),
        };
        eprintln!(
            "  desk {} {cores}c: {} checks, median {}, {} of chunks off the busiest thread",
            strategy.name,
            day.checks,
            day.median_us.map_or_else(|| "–".to_owned(), format_us),
            day.split_share.map_or_else(|| "–".to_owned(), format_share)
        );
        Ok(day)
    }
}

/// The desk day of `base`: no calls, periodic checks, about [`DESK_DAY_CHECKS`] of them but
/// at most [`DESK_DUTY`] of one core busy (at this machine's ns per unit).
#[must_use]
pub fn desk_spec(base: &Spec, ns_per_unit: f64) -> Spec {
    let day_s = base.duration_us as f64 / 1e6;
    let check_s = (base.desk_work as f64 * ns_per_unit / 1e9).max(1e-6);
    Spec {
        calls_per_s: 0.0,
        appointments_per_s: (DESK_DAY_CHECKS / day_s).min(DESK_DUTY / check_s),
        appointment_arrivals: Arrivals::Periodic,
        ..base.clone()
    }
}

/// Points of the theory's curve per octave of the call rate.
const THEORY_POINTS_PER_OCTAVE: f64 = 16.0;

/// The theory's mean pick-up wait from the lowest to the highest rate tried, where a model
/// covers the declared arrangement on `cores`; it ends where the model saturates.
fn theory_curve(
    strategy: &Strategy,
    cores: usize,
    base: &Spec,
    ns: f64,
    probes: &[ProbePoint],
) -> Option<TheoryCurve> {
    let (lo, hi) = probes.iter().fold((f64::INFINITY, 0f64), |(a, b), p| {
        (a.min(p.multiple), b.max(p.multiple))
    });
    if !(lo.is_finite() && hi > 0.0) {
        return None;
    }
    let mut model = None;
    let mut points = Vec::new();
    let mut saturated_from_cores = None;
    let n = ((hi / lo).log2() * THEORY_POINTS_PER_OCTAVE).ceil() as i32;
    for k in 0..=n {
        let m = lo * (f64::from(k) / THEORY_POINTS_PER_OCTAVE).exp2();
        let spec = Spec {
            calls_per_s: base.calls_per_s * m,
            ..base.clone()
        };
        let p = theory::predict(strategy.arrangement, cores, &spec, ns)?;
        let Some(w) = p.mean_pickup_wait_us else {
            saturated_from_cores = Some(spec.offered_cores(ns));
            break;
        };
        model.get_or_insert(p.model);
        points.push([spec.offered_cores(ns), w]);
    }
    Some(TheoryCurve {
        model: model?,
        points,
        saturated_from_cores,
    })
}

/// Runs the capacity plan on `cpus` at `ns_per_unit`. Stops early (keeping what was found)
/// when `stop` becomes true.
pub fn execute(
    plan: &CapacityPlan,
    cpus: &[usize],
    ns_per_unit: f64,
    stop: &AtomicBool,
) -> anyhow::Result<Ran> {
    let limits = DayLimits {
        timeout: plan.timeout,
        mem_limit_mib: plan.mem_limit_mib,
        ns_per_unit,
    };
    let mut days = Days {
        plan,
        ns: ns_per_unit,
        days: DayRunner::new(cpus, limits, stop),
        rows: Vec::new(),
        hists: Vec::new(),
    };
    let mut scenarios = Vec::new();
    let mut interrupted = false;
    'all: for (sc, base) in &plan.scenarios {
        let mut out = ScenarioCapacity {
            scenario: crate::row::scenario_label(*sc, base.lines),
            spec: base.clone(),
            intended_cores: sc.intended_cores(),
            offered_cores: base.offered_cores(ns_per_unit),
            searches: Vec::new(),
            second_core: Vec::new(),
            desk: Vec::new(),
            scaling: Vec::new(),
        };
        for strategy in &plan.strategies {
            for &cores in &plan.cores {
                let (found, stopped) = days.search(strategy, *sc, cores, base)?;
                out.searches.push(found);
                if stopped {
                    interrupted = true;
                    scenarios.push(out);
                    break 'all;
                }
            }
            if base.desk_work > 0 && base.appointments_per_s > 0.0 {
                let mut desk = Vec::new();
                for &cores in &plan.cores {
                    desk.push(days.desk_day(strategy, cores, base)?);
                    if stop.load(Ordering::SeqCst) {
                        interrupted = true;
                        break;
                    }
                }
                out.desk.push(DeskSpeedup {
                    strategy: strategy.name.clone(),
                    desk: strategy.arrangement.map(|a| a.desk),
                    speedup: None,
                    days: desk,
                    of_limit: Default::default(),
                });
                if interrupted {
                    scenarios.push(out);
                    break 'all;
                }
            }
        }
        scenarios.push(out);
    }
    let day_s = plan
        .scenarios
        .first()
        .map_or(0.0, |(_, s)| s.duration_us as f64 / 1e6);
    Ok(Ran {
        capacity: Capacity {
            rule: Rule {
                max_missed_share: super::MAX_MISSED_SHARE,
                max_p99_wait_all_of_patience: super::MAX_P99_OF_PATIENCE,
            },
            day_s,
            runs_per_rate: plan.runs,
            steps: plan.steps,
            ns_per_unit,
            scenarios,
            core_limit: None,
        },
        rows: days.rows,
        hists: days.hists,
        interrupted,
    })
}
