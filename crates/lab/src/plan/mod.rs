//! What a `compare` or a `run` will do, decided before anything runs: which cells (strategy ×
//! scenario × cores [× swept value]), how many runs each, which parameter sweep, which
//! timeline runs. The command line only parses; every default lives here as a named constant,
//! and strategies are selected by their declared arrangement, never by name.

use crate::discover::Strategy;
use crate::row::CellKey;
use crate::spec_flags::SpecFlags;

mod args;
pub mod claims;
use args::timeline_window;
pub use args::{Usage, find_strategy, parse_sweep, select_strategies};
pub(crate) use args::{check_cores, check_runs, mem_limit, scenario, timeout};
use std::time::Duration;
use workload::{Scenario, Spec, Switching};

/// Scenarios of a quick compare.
pub const QUICK_SCENARIOS: [Scenario; 2] = [Scenario::Office, Scenario::BackOffice];
/// Scenarios of a full compare: every scenario but `switchboard`, whose day lasts 16 s
/// (a million calls ringing for 8 s and talking for 8 s) and which `harness memory` runs; a
/// compare runs it only when asked (`--scenarios switchboard`). `month-end` (a ~0.5 s batch of
/// CPU per run on one core: about a minute in all on 1 and 2 cores) is not in a quick compare,
/// where it would cost ~10 s of its ~20 s.
pub const FULL_SCENARIOS: [Scenario; 5] = [
    Scenario::Office,
    Scenario::CallCenter,
    Scenario::BackOffice,
    Scenario::RushHour,
    Scenario::MonthEnd,
];
/// Real-line cells a compare adds when neither `--lines` nor `--scenarios` is given: each
/// scenario over loopback TCP with its day (µs) and runs per cell, shorter than the simulated
/// ones to keep the full compare within its budget. `office` for every strategy;
/// `call-center` (thousands of calls in flight) for the strategies that hold many calls at
/// once ([`holds_many_calls`]). A quick compare adds one cell: `office` over tcp on one core
/// for one such strategy.
pub const TCP_CELLS: [(Scenario, u64, usize); 2] = [
    (Scenario::Office, 1_200_000, 2),
    (Scenario::CallCenter, 1_500_000, 1),
];

/// Whether a declared arrangement holds many calls in flight at once (a task, coroutine or
/// thread per call, or a hand-written state machine per call): anything that switches. A
/// run-to-completion secretary holds one call per worker.
#[must_use]
pub fn holds_many_calls(a: Option<workload::Arrangement>) -> bool {
    a.is_some_and(|a| a.switching != workload::Switching::RunToCompletion)
}

/// Length of every day of a quick compare, seconds.
pub const QUICK_DURATION_S: f64 = 0.5;
/// Core counts of a quick compare's timeline runs (enough for the office traces).
pub const QUICK_TIMELINE_CORES: [usize; 1] = [1];
/// Runs per cell of a quick compare.
pub const QUICK_RUNS: usize = 1;
/// How a full compare runs a scenario unless told otherwise: the day's length (µs) and the
/// runs of a cell no planned comparison uses (cells a comparison uses get
/// [`claims::CLAIM_RUNS`]). Chosen so that the whole compare of ten strategies on 1 and 2
/// cores stays within ~13 minutes on a 2-core machine; call-center's calls last seconds (~15k
/// in flight once the day is 3 s old), so its day is longer, and it is described, not tested.
#[must_use]
pub fn full_day(scenario: Scenario) -> (u64, usize) {
    match scenario {
        Scenario::CallCenter => (3_000_000, claims::DESCRIBED_RUNS),
        // Its own day: all calls ring within it, and every one is in flight at its end.
        Scenario::Switchboard => (Scenario::Switchboard.spec().duration_us, 1),
        Scenario::Office | Scenario::BackOffice | Scenario::RushHour => {
            (1_200_000, claims::DESCRIBED_RUNS)
        }
        // A batch: its nominal day fixes how many checks are due at the opening (50), and the
        // day lasts until the last is done.
        Scenario::MonthEnd => (
            Scenario::MonthEnd.spec().duration_us,
            claims::DESCRIBED_RUNS,
        ),
    }
}
/// Runs per cell of the default sweep (described, not tested: no claim rests on it).
pub const SWEEP_RUNS: usize = 2;
/// The parameter a full compare sweeps by default, and its values.
pub const DEFAULT_SWEEP: (&str, [&str; 4]) = ("chunk", ["10", "100", "1000", "5000"]);
/// The scenario of the default sweep.
pub const DEFAULT_SWEEP_SCENARIO: Scenario = Scenario::Office;
/// The day of the default sweep, µs.
pub const DEFAULT_SWEEP_DURATION_US: u64 = 1_000_000;
/// The smallest memory limit accepted: below it no strategy starts.
pub const MIN_MEM_LIMIT_MIB: u64 = 16;
/// Core counts of a sweep when `--cores` is not given: one, where the chunk matters most.
pub const DEFAULT_SWEEP_CORES: [usize; 1] = [1];

/// The day of a timeline run, µs: one second of `office` (the spec is fixed, so what a
/// timeline records is bounded by one day's work whatever the window).
pub const TIMELINE_DAY_US: u64 = 1_000_000;
/// The window a timeline run records, µs (from, length): the whole day. The pictures show 40 ms
/// of it (`plot::timeline::SHOWN_US`), the traces all of it.
pub const DEFAULT_TIMELINE_WINDOW_US: (u64, u64) = (0, TIMELINE_DAY_US);

/// One cell of a plan.
#[derive(Clone, Debug)]
pub struct Cell {
    pub strategy: Strategy,
    pub scenario: Scenario,
    pub cores: usize,
    /// The spec of run 0 (run r uses seed + r).
    pub spec: Spec,
    /// `field=value` when the cell belongs to a parameter sweep.
    pub sweep: Option<String>,
    /// Runs of this cell.
    pub runs: usize,
    /// The A/A control's second copy of a cell (same spec and seeds, its runs interleaved
    /// with the first's).
    pub twin: bool,
}

impl Cell {
    /// The cell, typed, as its row carries it.
    #[must_use]
    pub fn key(&self) -> CellKey {
        CellKey {
            strategy: self.strategy.name.clone(),
            arrangement: self.strategy.arrangement,
            scenario: self.scenario,
            lines: self.spec.lines,
            cores: self.cores,
            sweep: self.sweep.clone(),
            twin: self.twin,
        }
    }

    /// The scenario as rows and files name it: `office`, or `office-tcp` over real lines.
    #[must_use]
    pub fn label(&self) -> String {
        self.key().label()
    }
}

/// How to run the cells.
#[derive(Clone, Debug)]
pub struct Plan {
    pub cells: Vec<Cell>,
    /// Per-run timeout; `None`: derived from each spec.
    pub timeout: Option<Duration>,
    /// Capture one timeline per strategy × cores (a separate short `office` run).
    pub timelines: Vec<(Strategy, usize)>,
    /// The window the timeline runs record, µs (from, length).
    pub timeline_window_us: (u64, u64),
    /// A child whose resident memory passes this (MiB) is killed: an `exhausted` row.
    pub mem_limit_mib: u64,
    /// The comparisons analysis will test, decided here (see [`claims`]).
    pub comparisons: Vec<claims::Comparison>,
}

/// What `harness compare` was asked for.
#[derive(Clone, Debug, Default)]
pub struct CompareRequest {
    pub quick: bool,
    /// Strategy names (empty: all found).
    pub strategies: Vec<String>,
    /// Scenario names (empty: all, or [`QUICK_SCENARIOS`]).
    pub scenarios: Vec<String>,
    /// Core counts (empty: [`default_cores`]).
    pub cores: Vec<usize>,
    pub runs: Option<usize>,
    /// `FIELD=V1,V2,...`.
    pub sweep: Option<String>,
    pub no_sweep: bool,
    pub no_timelines: bool,
    /// `FROM_MS:LEN_MS` (`None`: [`DEFAULT_TIMELINE_WINDOW_US`]).
    pub timeline_window: Option<String>,
    pub timeout_s: Option<f64>,
    /// `None`: [`crate::runner::default_mem_limit_mib`].
    pub mem_limit_mib: Option<u64>,
    pub spec: SpecFlags,
    /// This machine's calibrated ns per work unit: scenarios' µs of CPU become units at it
    /// (`None`: the reference, [`workload::REFERENCE_NS_PER_UNIT`]).
    pub ns_per_unit: Option<f64>,
}

/// What `harness run` was asked for.
#[derive(Clone, Debug)]
pub struct RunRequest {
    pub strategy: String,
    pub scenario: String,
    pub cores: usize,
    pub runs: usize,
    pub timeout_s: Option<f64>,
    pub mem_limit_mib: Option<u64>,
    pub spec: SpecFlags,
    /// As in [`CompareRequest::ns_per_unit`].
    pub ns_per_unit: Option<f64>,
}

/// The ns per work unit a request converts scenarios at.
#[must_use]
pub fn ns_per_unit(requested: Option<f64>) -> f64 {
    requested.unwrap_or(workload::REFERENCE_NS_PER_UNIT)
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

/// Whether the default chunk sweep includes `s`: every strategy that switches between jobs
/// (cooperative ones, where the chunk decides how long a ring waits, and preemptive ones as the
/// control). Run-to-completion and undeclared strategies are left out.
#[must_use]
pub fn in_default_sweep(s: &Strategy) -> bool {
    s.arrangement
        .is_some_and(|a| a.switching != Switching::RunToCompletion)
}

impl Plan {
    /// The plan of one `harness run`.
    pub fn for_run(req: &RunRequest, found: &[Strategy], cpus: usize) -> Result<Plan, Usage> {
        let strategy = find_strategy(found, &req.strategy)?;
        let scenario = scenario(&req.scenario)?;
        let spec = req
            .spec
            .apply_at(scenario, ns_per_unit(req.ns_per_unit))
            .map_err(Usage)?;
        check_cores(&[req.cores], cpus)?;
        Ok(Plan {
            cells: vec![Cell {
                strategy,
                scenario,
                cores: req.cores,
                spec,
                sweep: None,
                runs: check_runs(req.runs)?,
                twin: false,
            }],
            timeout: timeout(req.timeout_s)?,
            timelines: Vec::new(),
            timeline_window_us: DEFAULT_TIMELINE_WINDOW_US,
            mem_limit_mib: mem_limit(req.mem_limit_mib)?,
            comparisons: Vec::new(),
        })
    }

    /// The plan of one `harness compare`: every chosen strategy × scenario × core count, then
    /// the parameter sweep (explicit, or the default chunk sweep of a full compare), then one
    /// timeline run per strategy × core count.
    pub fn for_compare(
        req: &CompareRequest,
        found: &[Strategy],
        cpus: usize,
    ) -> Result<Plan, Usage> {
        let strategies = select_strategies(found, &req.strategies)?;
        let scenarios: Vec<Scenario> = if !req.scenarios.is_empty() {
            req.scenarios
                .iter()
                .map(|s| scenario(s))
                .collect::<Result<_, _>>()?
        } else if req.quick {
            QUICK_SCENARIOS.to_vec()
        } else {
            FULL_SCENARIOS.to_vec()
        };
        let cores = if req.cores.is_empty() {
            default_cores(cpus)
        } else {
            req.cores.clone()
        };
        check_cores(&cores, cpus)?;
        if let Some(r) = req.runs {
            check_runs(r)?;
        }
        let mut flags = req.spec.clone();
        if req.quick && flags.duration_s.is_none() {
            flags.duration_s = Some(QUICK_DURATION_S);
        }
        // The claims are planned before anything runs: a quick compare (one run) makes none.
        let sim = !flags.sets.iter().any(|(f, v)| f == "lines" && v != "sim");
        let comparisons: Vec<claims::Comparison> = if req.quick || !sim {
            Vec::new()
        } else {
            scenarios
                .iter()
                .filter(|sc| claims::CLAIM_SCENARIOS.contains(sc))
                .flat_map(|&sc| claims::comparisons(sc, &strategies, &cores))
                .collect()
        };
        let mut cells = Vec::new();
        for &sc in &scenarios {
            let mut spec = flags
                .apply_at(sc, ns_per_unit(req.ns_per_unit))
                .map_err(Usage)?;
            let (day_us, full_runs) = full_day(sc);
            // A batch's day is its size: a quick compare's short day would change it.
            if !req.spec.sets_duration() && (!req.quick || spec.is_batch()) {
                spec.duration_us = day_us;
            }
            for s in &strategies {
                for &c in &cores {
                    let me = claims::CellRef {
                        strategy: s.name.clone(),
                        cores: c,
                        twin: false,
                    };
                    let claimed = claims::uses(&comparisons, sc.name(), &me);
                    let runs = req.runs.unwrap_or(if req.quick {
                        QUICK_RUNS
                    } else if claimed {
                        claims::CLAIM_RUNS
                    } else {
                        full_runs
                    });
                    let cell = Cell {
                        strategy: s.clone(),
                        scenario: sc,
                        cores: c,
                        spec: spec.clone(),
                        sweep: None,
                        runs,
                        twin: false,
                    };
                    // The A/A control's twin runs right beside its cell, same spec and seeds.
                    let twin = claims::CellRef { twin: true, ..me };
                    let has_twin = claims::uses(&comparisons, sc.name(), &twin);
                    cells.push(cell.clone());
                    if has_twin {
                        cells.push(Cell { twin: true, ..cell });
                    }
                }
            }
        }
        if req.scenarios.is_empty() && !flags.sets.iter().any(|(f, _)| f == "lines") {
            cells.extend(tcp_cells(
                req,
                &flags,
                &strategies,
                &tcp_cores(&cores, cpus),
            )?);
        }
        cells.extend(sweep_cells(req, &flags, &strategies, &scenarios, &cores)?);
        let timeline_cores: Vec<usize> = if req.quick && req.cores.is_empty() {
            QUICK_TIMELINE_CORES.to_vec()
        } else {
            cores.clone()
        };
        let timelines = if req.no_timelines {
            Vec::new()
        } else {
            strategies
                .iter()
                .flat_map(|s| timeline_cores.iter().map(move |&c| (s.clone(), c)))
                .collect()
        };
        Ok(Plan {
            cells,
            timeout: timeout(req.timeout_s)?,
            timelines,
            timeline_window_us: timeline_window(req.timeline_window.as_deref())?,
            mem_limit_mib: mem_limit(req.mem_limit_mib)?,
            comparisons,
        })
    }
}

/// The core counts of the real-line cells: those that leave the caller process a CPU of its
/// own (a cell on every CPU would share them with the caller, whose readings then wait for the
/// strategy's threads — and a 1-vs-more-cores difference would be the caller's). On a machine
/// with one CPU, the fewest cores (shared, and the tables say so).
#[must_use]
pub fn tcp_cores(cores: &[usize], cpus: usize) -> Vec<usize> {
    let own: Vec<usize> = cores.iter().copied().filter(|&c| c < cpus).collect();
    if own.is_empty() {
        cores.iter().copied().min().into_iter().collect()
    } else {
        own
    }
}

impl Plan {
    /// Per scenario, the work units its cells use (the first cell outside sweeps: every
    /// strategy of a scenario gets the same) and its load — intended (the scenario's µs of
    /// CPU) and offered here (those units at `ns_per_unit`) — for `env.json` and the tables.
    #[must_use]
    pub fn scenario_units(&self, ns_per_unit: f64) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        for c in self.cells.iter().filter(|c| c.sweep.is_none()) {
            out.entry(c.label())
                .or_insert_with(|| units_json(c.scenario, &c.spec, ns_per_unit));
        }
        serde_json::Value::Object(out)
    }
}

/// One scenario's entry of [`Plan::scenario_units`].
#[must_use]
pub fn units_json(scenario: Scenario, spec: &Spec, ns_per_unit: f64) -> serde_json::Value {
    serde_json::json!({
        "pickup_work": spec.pickup_work,
        "reply_work": spec.reply_work,
        "desk_work": spec.desk_work,
        "chunk": spec.chunk,
        "intended_cores": scenario.intended_cores(),
        "offered_cores": spec.offered_cores(ns_per_unit),
    })
}

/// The real-line cells of [`TCP_CELLS`] (quick: one).
fn tcp_cells(
    req: &CompareRequest,
    flags: &SpecFlags,
    strategies: &[Strategy],
    cores: &[usize],
) -> Result<Vec<Cell>, Usage> {
    let mut flags = flags.clone();
    flags.sets.push(("lines".to_owned(), "tcp".to_owned()));
    let mut cells = Vec::new();
    for (sc, day_us, runs) in TCP_CELLS {
        let mut spec = flags
            .apply_at(sc, ns_per_unit(req.ns_per_unit))
            .map_err(Usage)?;
        if !req.quick && !flags.sets_duration() {
            spec.duration_us = day_us;
        }
        for s in strategies {
            if sc != Scenario::Office && !holds_many_calls(s.arrangement) {
                continue;
            }
            for &c in cores {
                cells.push(Cell {
                    strategy: s.clone(),
                    scenario: sc,
                    cores: c,
                    spec: spec.clone(),
                    sweep: None,
                    runs: req
                        .runs
                        .unwrap_or(if req.quick { QUICK_RUNS } else { runs }),
                    twin: false,
                });
            }
        }
    }
    if req.quick {
        // One cell: office over tcp, on the fewest cores, for a strategy that holds many
        // calls (else the first).
        let first = cells
            .iter()
            .position(|c| holds_many_calls(c.strategy.arrangement))
            .or((!cells.is_empty()).then_some(0));
        let fewest = cores.iter().copied().min().unwrap_or(1);
        cells = first
            .map(|i| Cell {
                cores: fewest,
                ..cells[i].clone()
            })
            .into_iter()
            .collect();
    }
    Ok(cells)
}

/// The cells of the parameter sweep: an explicit `--sweep` covers the chosen scenarios and
/// strategies; the default one (full compare only) covers [`DEFAULT_SWEEP_SCENARIO`] with the
/// strategies [`in_default_sweep`] selects, on 2 s days.
fn sweep_cells(
    req: &CompareRequest,
    flags: &SpecFlags,
    strategies: &[Strategy],
    scenarios: &[Scenario],
    cores: &[usize],
) -> Result<Vec<Cell>, Usage> {
    let explicit = req.sweep.is_some();
    let (field, values) = match (&req.sweep, req.quick || req.no_sweep) {
        (Some(s), _) => parse_sweep(s)?,
        (None, false) => (
            DEFAULT_SWEEP.0.to_owned(),
            DEFAULT_SWEEP.1.iter().map(|v| (*v).to_owned()).collect(),
        ),
        (None, true) => return Ok(Vec::new()),
    };
    let runs = req
        .runs
        .unwrap_or(if req.quick { QUICK_RUNS } else { SWEEP_RUNS });
    let sweep_cores = if req.cores.is_empty() {
        DEFAULT_SWEEP_CORES.to_vec()
    } else {
        cores.to_vec()
    };
    let (sweep_scenarios, swept): (Vec<Scenario>, Vec<&Strategy>) = if explicit {
        (scenarios.to_vec(), strategies.iter().collect())
    } else {
        (
            vec![DEFAULT_SWEEP_SCENARIO],
            strategies.iter().filter(|s| in_default_sweep(s)).collect(),
        )
    };
    let mut cells = Vec::new();
    for sc in sweep_scenarios {
        let mut base = flags
            .apply_at(sc, ns_per_unit(req.ns_per_unit))
            .map_err(Usage)?;
        if !explicit && !flags.sets_duration() {
            base.duration_us = DEFAULT_SWEEP_DURATION_US;
        }
        for v in &values {
            let mut spec = base.clone();
            spec.set(&field, v).map_err(Usage)?;
            spec.validate()
                .map_err(|e| Usage(format!("--sweep {field}={v}: {e}")))?;
            for s in &swept {
                for &c in &sweep_cores {
                    cells.push(Cell {
                        strategy: (*s).clone(),
                        scenario: sc,
                        cores: c,
                        spec: spec.clone(),
                        sweep: Some(format!("{field}={v}")),
                        runs,
                        twin: false,
                    });
                }
            }
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests;
