//! The memory run: for each strategy, its idle-timer day (so its own timer lateness is not
//! taken for a busy machine), then one switchboard day per level, smallest first, until a
//! level is not held. Every day runs through `sweep::run_day`, is verified by
//! `stats::record_run` and becomes a row (`in-flight=<level>`) of `summary.md`.

use super::{CORES, FIT, Memory, MemoryDay, MemoryPlan, StrategyMemory, held};
use crate::day::{DayLimits, DayRunner};
use crate::discover::Strategy;
use crate::format::{format_rate, group_thousands};
use crate::plan::units_json;
use crate::row::{CellHistograms, CellKey, Results, Row};
use crate::runner::Ending;
use crate::stats;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use workload::Scenario;
use workload::schedule::Schedule;

/// What a memory run produced: the findings, every day as a row with its histograms, and
/// whether it was stopped early.
pub struct Ran {
    pub memory: Memory,
    pub rows: Vec<Row>,
    pub hists: Vec<CellHistograms>,
    pub interrupted: bool,
}

impl Ran {
    /// The results folder's content: every day as a row, the memory figures, and `env` with
    /// the units the switchboard got (`scenario_units`, as a compare records them).
    #[must_use]
    pub fn into_results(self, mut env: serde_json::Value, plan: &MemoryPlan) -> Results {
        if let (Some(obj), Some(&top)) = (env.as_object_mut(), plan.levels.last()) {
            let sc = Scenario::Switchboard;
            let units = units_json(sc, &plan.spec(top), plan.ns_per_unit);
            obj.insert(
                "scenario_units".into(),
                serde_json::json!({ sc.name(): units }),
            );
        }
        Results {
            env,
            rows: self.rows,
            hists: self.hists,
            timelines: Vec::new(),
            interrupted: self.interrupted,
            memory: Some(self.memory),
            ..Results::default()
        }
    }
}

/// Everything the days of one run share.
struct Days<'a> {
    plan: &'a MemoryPlan,
    days: DayRunner<'a>,
    /// Level → the schedule's peak of calls in flight.
    peaks: BTreeMap<u64, u64>,
    rows: Vec<Row>,
    hists: Vec<CellHistograms>,
}

impl Days<'_> {
    /// One day of `strategy` at `level`. `None` when stopped.
    fn day(
        &mut self,
        strategy: &Strategy,
        level: u64,
        idle_us: Option<f64>,
    ) -> anyhow::Result<Option<MemoryDay>> {
        let spec = self.plan.spec(level);
        let reference = self.days.reference(&spec);
        let peak_scheduled = *self
            .peaks
            .entry(level)
            .or_insert_with(|| Schedule::generate(&spec).peak_in_flight(spec.talk_us()) as u64);
        let Some((out, rec)) = self.days.day(strategy, &spec, CORES, idle_us)? else {
            return Ok(None);
        };
        let (peak_measured, peak_rss_kib) = match &out.ending {
            Ending::Report(r) => (
                r.peak_calls_in_flight,
                Some(r.peak_rss_kib.unwrap_or(out.usage.max_rss_kib)),
            ),
            Ending::OverMemory { rss_mib, .. } => (None, Some(rss_mib * 1024)),
            _ => (None, None),
        };
        let label = format!("in-flight={level}");
        let key = CellKey {
            lines: spec.lines,
            sweep: Some(label),
            ..strategy.cell(Scenario::Switchboard, CORES)
        };
        let (row, h) = stats::combine(&key, std::slice::from_ref(&rec));
        let f = rec.figures.as_ref();
        let day = MemoryDay {
            in_flight: level,
            calls_per_s: spec.calls_per_s,
            offered_calls: reference.offered_calls(),
            peak_scheduled,
            peak_measured,
            peak_rss_kib,
            kernel_kib: out.usage.kernel_peak_kib,
            status: rec.status,
            held: held(rec.status),
            reason: rec.reason.clone(),
            missed_share: f.map_or(0.0, |f| f.missed_share),
            start_failures: rec.counters.as_ref().map_or(0, |c| c.start_failures),
            pickup_p99_us: f.map_or(0.0, |f| f.pickup_us.p99),
            cpu_per_wall: f.map_or(0.0, |f| f.cpu_per_wall),
            wall_s: out.wall_s,
            row: Some(row.cell_name()),
        };
        eprintln!(
            "  {} {} in flight ({} calls/s): {}{} — peak RSS {}, held at once {}",
            strategy.name,
            group_thousands(level),
            format_rate(spec.calls_per_s),
            day.status.name(),
            day.reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default(),
            day.rss_mib()
                .map_or_else(|| "–".to_owned(), |m| format!("{m:.1} MiB")),
            day.peak_measured
                .map_or_else(|| "–".to_owned(), group_thousands),
        );
        self.rows.push(row);
        self.hists.push(h);
        Ok(Some(day))
    }
}

/// Runs the plan on `cpus` (the first [`CORES`] of them). Stops early (keeping what was done)
/// when `stop` becomes true.
pub fn execute(plan: &MemoryPlan, cpus: &[usize], stop: &AtomicBool) -> anyhow::Result<Ran> {
    let limits = DayLimits {
        timeout: plan.timeout,
        mem_limit_mib: plan.mem_limit_mib,
        ns_per_unit: plan.ns_per_unit,
    };
    let mut days = Days {
        plan,
        days: DayRunner::new(cpus, limits, stop),
        peaks: BTreeMap::new(),
        rows: Vec::new(),
        hists: Vec::new(),
    };
    let mut strategies = Vec::new();
    let mut interrupted = false;
    'all: for strategy in &plan.strategies {
        let idle = days.days.idle_timer_lateness_us(strategy, CORES);
        let mut mine = Vec::new();
        for &level in &plan.levels {
            let Some(day) = days.day(strategy, level, idle)? else {
                interrupted = true;
                strategies.push(StrategyMemory::from_days(
                    &strategy.name,
                    strategy.arrangement,
                    mine,
                ));
                break 'all;
            };
            let go_on = day.held;
            mine.push(day);
            if !go_on {
                break; // its limit: a larger level would only fail again
            }
        }
        strategies.push(StrategyMemory::from_days(
            &strategy.name,
            strategy.arrangement,
            mine,
        ));
    }
    Ok(Ran {
        memory: Memory {
            scenario: Scenario::Switchboard.name().to_owned(),
            call_s: plan.call_us as f64 / 1e6,
            cores: CORES,
            levels: plan.levels.clone(),
            ns_per_unit: plan.ns_per_unit,
            mem_limit_mib: plan.mem_limit_mib,
            fit: FIT.to_owned(),
            strategies,
        },
        rows: days.rows,
        hists: days.hists,
        interrupted,
    })
}
