//! What a `compare` or a `run` will do, decided before anything runs: which cells (strategy ×
//! scenario × cores [× swept value]), how many runs each, which parameter sweep, which
//! timeline runs. The command line only parses; every default lives here as a named constant,
//! and strategies are selected by their declared arrangement, never by name.

use crate::discover::{self, Strategy};
use crate::row::CellKey;
use crate::spec_flags::SpecFlags;
use std::time::Duration;
use workload::{Scenario, Spec, Switching};

/// A usage error: one line naming the problem and the valid choices (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Usage(pub String);

/// Scenarios of a quick compare.
pub const QUICK_SCENARIOS: [Scenario; 2] = [Scenario::Office, Scenario::BackOffice];
/// Scenarios of a full compare: every scenario but `switchboard`, whose day lasts 16 s
/// (a million calls ringing for 8 s and talking for 8 s) and which `harness memory` runs; a
/// compare runs it only when asked (`--scenarios switchboard`).
pub const FULL_SCENARIOS: [Scenario; 4] = [
    Scenario::Office,
    Scenario::CallCenter,
    Scenario::BackOffice,
    Scenario::RushHour,
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
/// runs per cell (each with its own seed). Chosen so that the whole compare of ten strategies
/// on 1 and 2 cores stays within 12 minutes on a 2-core machine: short days with three runs,
/// so a difference can be checked against the spread across runs; call-center's calls last
/// seconds (~15k in flight once the day is 3 s old), so its day is longer and it gets two runs.
#[must_use]
pub fn full_day(scenario: Scenario) -> (u64, usize) {
    match scenario {
        Scenario::CallCenter => (3_000_000, 2),
        // Its own day: all calls ring within it, and every one is in flight at its end.
        Scenario::Switchboard => (Scenario::Switchboard.spec().duration_us, 1),
        Scenario::Office | Scenario::BackOffice | Scenario::RushHour => (1_200_000, 3),
    }
}
/// Runs per cell of the default sweep.
pub const SWEEP_RUNS: usize = 3;
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

/// The strategy called `name` among `all`.
pub fn find_strategy(all: &[Strategy], name: &str) -> Result<Strategy, Usage> {
    all.iter().find(|s| s.name == name).cloned().ok_or_else(|| {
        let valid: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        Usage(format!(
            "unknown strategy '{name}' (valid: {}; looked in {})",
            if valid.is_empty() {
                "none found — build them with cargo build --release".to_owned()
            } else {
                valid.join(", ")
            },
            discover::default_dir().display()
        ))
    })
}

pub(crate) fn scenario(name: &str) -> Result<Scenario, Usage> {
    name.parse().map_err(Usage)
}

pub(crate) fn check_cores(cores: &[usize], allowed: usize) -> Result<(), Usage> {
    match cores.iter().find(|&&c| c == 0 || c > allowed) {
        Some(c) => Err(Usage(format!(
            "invalid --cores {c}: this machine allows 1..={allowed}"
        ))),
        None => Ok(()),
    }
}

pub(crate) fn check_runs(runs: usize) -> Result<usize, Usage> {
    if runs == 0 {
        return Err(Usage("invalid --runs 0: must be at least 1".into()));
    }
    Ok(runs)
}

pub(crate) fn mem_limit(mib: Option<u64>) -> Result<u64, Usage> {
    match mib {
        None => Ok(crate::runner::default_mem_limit_mib()),
        Some(m) if m >= MIN_MEM_LIMIT_MIB => Ok(m),
        Some(m) => Err(Usage(format!(
            "invalid --mem-limit-mib {m}: must be at least {MIN_MEM_LIMIT_MIB}"
        ))),
    }
}

pub(crate) fn timeout(secs: Option<f64>) -> Result<Option<Duration>, Usage> {
    secs.map(|s| {
        if s.is_finite() && s > 0.0 {
            Ok(Duration::from_secs_f64(s))
        } else {
            Err(Usage(format!(
                "invalid --timeout {s}: must be a positive number of seconds"
            )))
        }
    })
    .transpose()
}

/// `FIELD=V1,V2,...` → the field (kebab-case) and its values.
pub fn parse_sweep(s: &str) -> Result<(String, Vec<String>), Usage> {
    let bad = || {
        Usage(format!(
            "invalid --sweep '{s}': expected FIELD=V1,V2,... with FIELD one of {}",
            Spec::field_names()
        ))
    };
    let (field, values) = s.split_once('=').ok_or_else(bad)?;
    let field = field.replace('_', "-");
    if !Spec::is_field(&field) || field == "seed" {
        return Err(bad());
    }
    let values: Vec<String> = values
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect();
    if values.is_empty() {
        return Err(bad());
    }
    Ok((field, values))
}

/// `--timeline-window FROM_MS:LEN_MS` in µs: a window of at least 1 µs that starts within
/// the timeline day ([`TIMELINE_DAY_US`]); milliseconds may have decimals.
fn timeline_window(s: Option<&str>) -> Result<(u64, u64), Usage> {
    let Some(s) = s else {
        return Ok(DEFAULT_TIMELINE_WINDOW_US);
    };
    let bad = || {
        Usage(format!(
            "invalid --timeline-window '{s}': expected FROM_MS:LEN_MS with FROM_MS below {} and LEN_MS above 0",
            TIMELINE_DAY_US / 1_000
        ))
    };
    let us = |v: &str| {
        v.trim()
            .parse::<f64>()
            .ok()
            .filter(|ms| ms.is_finite() && *ms >= 0.0)
            .map(|ms| (ms * 1_000.0).round() as u64)
    };
    let (a, b) = s.split_once(':').ok_or_else(bad)?;
    match (us(a), us(b)) {
        (Some(from), Some(len)) if from < TIMELINE_DAY_US && len > 0 => Ok((from, len)),
        _ => Err(bad()),
    }
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
            }],
            timeout: timeout(req.timeout_s)?,
            timelines: Vec::new(),
            timeline_window_us: DEFAULT_TIMELINE_WINDOW_US,
            mem_limit_mib: mem_limit(req.mem_limit_mib)?,
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
        let strategies: Vec<Strategy> = if req.strategies.is_empty() {
            if found.is_empty() {
                return Err(Usage(format!(
                    "no strategies found in {} (build them with cargo build --release --workspace)",
                    discover::default_dir().display()
                )));
            }
            found.to_vec()
        } else {
            req.strategies
                .iter()
                .map(|n| find_strategy(found, n))
                .collect::<Result<_, _>>()?
        };
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
        let mut cells = Vec::new();
        for &sc in &scenarios {
            let mut spec = flags
                .apply_at(sc, ns_per_unit(req.ns_per_unit))
                .map_err(Usage)?;
            let (day_us, full_runs) = full_day(sc);
            if !req.quick && !flags.sets_duration() {
                spec.duration_us = day_us;
            }
            let runs = req
                .runs
                .unwrap_or(if req.quick { QUICK_RUNS } else { full_runs });
            for s in &strategies {
                for &c in &cores {
                    cells.push(Cell {
                        strategy: s.clone(),
                        scenario: sc,
                        cores: c,
                        spec: spec.clone(),
                        sweep: None,
                        runs,
                    });
                }
            }
        }
        if req.scenarios.is_empty() && !flags.sets.iter().any(|(f, _)| f == "lines") {
            cells.extend(tcp_cells(req, &flags, &strategies, &cores)?);
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
        })
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
                    });
                }
            }
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use workload::Arrangement;
    use workload::spec::Lines;

    fn strategy(name: &str, arrangement: Option<Arrangement>) -> Strategy {
        Strategy {
            name: name.into(),
            bin: format!("/nowhere/strategy-{name}").into(),
            arrangement,
        }
    }

    fn found() -> Vec<Strategy> {
        let preemptive = Arrangement {
            switching: Switching::Preemptive,
            ..Arrangement::SEQUENTIAL
        };
        vec![
            strategy("seq", Some(Arrangement::SEQUENTIAL)),
            strategy("coop", Some(Arrangement::one_cooperative(Some(200)))),
            strategy("pre", Some(preemptive)),
            strategy("old", None),
        ]
    }

    #[test]
    fn quick_is_two_scenarios_one_run_short_days_no_sweep() {
        let req = CompareRequest {
            quick: true,
            ..Default::default()
        };
        let p = Plan::for_compare(&req, &found(), 2).unwrap();
        assert!(p.cells.iter().all(|c| c.runs == QUICK_RUNS));
        assert!(p.cells.iter().all(|c| c.sweep.is_none()
            && c.spec.duration_us == 500_000
            && QUICK_SCENARIOS.contains(&c.scenario)));
        let (tcp, sim): (Vec<&Cell>, Vec<&Cell>) =
            p.cells.iter().partition(|c| c.spec.lines == Lines::Tcp);
        assert_eq!(sim.len(), 2 * 4 * 2);
        // One real-line cell: office on one core, for the first strategy that switches.
        assert_eq!(tcp.len(), 1, "{tcp:?}");
        assert_eq!(
            (
                tcp[0].label().as_str(),
                tcp[0].cores,
                tcp[0].strategy.name.as_str()
            ),
            ("office-tcp", 1, "coop")
        );
        assert_eq!(p.timelines.len(), 4 * QUICK_TIMELINE_CORES.len());
    }

    #[test]
    fn full_sweeps_the_chunk_for_strategies_that_switch_selected_by_declaration() {
        let p = Plan::for_compare(&CompareRequest::default(), &found(), 2).unwrap();
        let sim = |c: &&Cell| c.spec.lines == Lines::Sim;
        for c in p.cells.iter().filter(sim).filter(|c| c.sweep.is_none()) {
            assert_eq!((c.spec.duration_us, c.runs), full_day(c.scenario));
        }
        assert!(p.cells.iter().filter(sim).all(|c| c.runs >= 2));
        let plain = p
            .cells
            .iter()
            .filter(sim)
            .filter(|c| c.sweep.is_none())
            .count();
        assert_eq!(plain, FULL_SCENARIOS.len() * 4 * 2);
        // Real lines: office for all four, call-center for the two that switch, 1 and 2 cores.
        let tcp: Vec<String> = p
            .cells
            .iter()
            .filter(|c| c.spec.lines == Lines::Tcp)
            .map(|c| format!("{} {} {}c", c.label(), c.strategy.name, c.cores))
            .collect();
        assert_eq!(tcp.len(), 4 * 2 + 2 * 2, "{tcp:?}");
        assert!(
            tcp.contains(&"call-center-tcp coop 2c".to_owned()),
            "{tcp:?}"
        );
        assert!(
            !tcp.iter().any(|c| c.starts_with("call-center-tcp seq")),
            "{tcp:?}"
        );
        // Asked for lines explicitly, or scenarios: no extra real-line cells.
        let req = CompareRequest {
            no_sweep: true,
            spec: SpecFlags {
                duration_s: None,
                sets: vec![("lines".into(), "sim".into())],
            },
            ..Default::default()
        };
        let p2 = Plan::for_compare(&req, &found(), 2).unwrap();
        assert!(p2.cells.iter().all(|c| c.spec.lines == Lines::Sim));
        assert!(
            p.cells.iter().all(|c| c.scenario != Scenario::Switchboard),
            "the switchboard's 16 s days stay out of the full compare"
        );
        let all_but_switchboard: Vec<Scenario> = Scenario::ALL
            .into_iter()
            .filter(|&s| s != Scenario::Switchboard)
            .collect();
        assert_eq!(FULL_SCENARIOS.to_vec(), all_but_switchboard);
        // Asked for, it runs (one run on its own day).
        let req = CompareRequest {
            scenarios: vec!["switchboard".into()],
            no_sweep: true,
            ..Default::default()
        };
        let sb = Plan::for_compare(&req, &found(), 2).unwrap();
        assert!(sb.cells.iter().all(|c| c.scenario == Scenario::Switchboard
            && c.runs == 1
            && c.spec.duration_us == Scenario::Switchboard.spec().duration_us));
        let swept: Vec<&Cell> = p.cells.iter().filter(|c| c.sweep.is_some()).collect();
        assert_eq!(swept.len(), 4 * 2, "4 chunk values × coop and pre, 1 core");
        for c in &swept {
            assert!(["coop", "pre"].contains(&c.strategy.name.as_str()));
            assert_eq!((c.cores, c.scenario), (1, DEFAULT_SWEEP_SCENARIO));
            assert_eq!(c.spec.duration_us, DEFAULT_SWEEP_DURATION_US);
            assert_eq!(c.runs, SWEEP_RUNS);
            assert_eq!(
                c.sweep.as_deref(),
                Some(&*format!("chunk={}", c.spec.chunk))
            );
        }
        let no = CompareRequest {
            no_sweep: true,
            no_timelines: true,
            ..Default::default()
        };
        let p = Plan::for_compare(&no, &found(), 2).unwrap();
        assert!(p.cells.iter().all(|c| c.sweep.is_none()) && p.timelines.is_empty());
    }

    #[test]
    fn an_explicit_sweep_covers_the_chosen_strategies_and_cores() {
        let req = CompareRequest {
            quick: true,
            strategies: vec!["seq".into(), "old".into()],
            scenarios: vec!["rush-hour".into()],
            cores: vec![2],
            sweep: Some("listen_us=100,200,300".into()),
            ..Default::default()
        };
        let p = Plan::for_compare(&req, &found(), 2).unwrap();
        let swept: Vec<&Cell> = p.cells.iter().filter(|c| c.sweep.is_some()).collect();
        assert_eq!(swept.len(), 3 * 2);
        assert!(swept.iter().all(|c| c.cores == 2
            && c.scenario == Scenario::RushHour
            && c.spec.duration_us == 500_000));
        assert_eq!(swept[0].spec.listen_us, 100);
    }

    #[test]
    fn bad_requests_are_usage_errors_naming_the_choices() {
        let f = found();
        let bad = |req: CompareRequest| Plan::for_compare(&req, &f, 2).unwrap_err().0;
        let e = bad(CompareRequest {
            strategies: vec!["nope".into()],
            ..Default::default()
        });
        assert!(
            e.contains("unknown strategy 'nope'") && e.contains("seq, coop"),
            "{e}"
        );
        let e = bad(CompareRequest {
            cores: vec![3],
            ..Default::default()
        });
        assert!(e.contains("1..=2"), "{e}");
        let e = bad(CompareRequest {
            runs: Some(0),
            ..Default::default()
        });
        assert!(e.contains("--runs 0"), "{e}");
        let e = bad(CompareRequest {
            sweep: Some("seed=1,2".into()),
            ..Default::default()
        });
        assert!(e.contains("FIELD one of"), "{e}");
        let e = bad(CompareRequest {
            scenarios: vec!["beach".into()],
            ..Default::default()
        });
        assert!(e.contains("office"), "{e}");
        let e = bad(CompareRequest {
            timeout_s: Some(-1.0),
            ..Default::default()
        });
        assert!(e.contains("--timeout"), "{e}");
        let e = bad(CompareRequest {
            mem_limit_mib: Some(1),
            ..Default::default()
        });
        assert!(e.contains("--mem-limit-mib 1"), "{e}");
        assert!(Plan::for_compare(&CompareRequest::default(), &[], 2).is_err());
    }

    #[test]
    fn the_timeline_window_is_the_whole_day_unless_given() {
        let p = Plan::for_compare(&CompareRequest::default(), &found(), 2).unwrap();
        assert_eq!(p.timeline_window_us, (0, TIMELINE_DAY_US));
        let req = CompareRequest {
            timeline_window: Some("500:40".into()),
            ..Default::default()
        };
        let p = Plan::for_compare(&req, &found(), 2).unwrap();
        assert_eq!(p.timeline_window_us, (500_000, 40_000));
        assert_eq!(timeline_window(Some("0.5:2.25")), Ok((500, 2_250)));
        for bad in ["500", "500:0", "-1:40", "1000:40", "a:b", "500:40:1"] {
            let e = timeline_window(Some(bad)).unwrap_err().0;
            assert!(
                e.contains("--timeline-window") && e.contains("FROM_MS:LEN_MS"),
                "{e}"
            );
        }
    }

    #[test]
    fn the_plan_converts_scenarios_at_the_calibration_and_records_the_units() {
        let req = CompareRequest {
            quick: true,
            scenarios: vec!["office".into()],
            ns_per_unit: Some(500.0),
            ..Default::default()
        };
        let p = Plan::for_compare(&req, &found(), 2).unwrap();
        assert!(p.cells.iter().all(|c| c.spec.desk_work == 10_000));
        let u = p.scenario_units(500.0);
        assert_eq!(u["office"]["desk_work"], 10_000);
        let (intended, offered) = (
            u["office"]["intended_cores"].as_f64().unwrap(),
            u["office"]["offered_cores"].as_f64().unwrap(),
        );
        assert!((offered / intended - 1.0).abs() < 0.01, "{u}");
    }

    #[test]
    fn default_cores_double_up_to_all() {
        assert_eq!(default_cores(1), vec![1]);
        assert_eq!(default_cores(2), vec![1, 2]);
        assert_eq!(default_cores(16), vec![1, 2, 4, 8, 16]);
        assert_eq!(default_cores(6), vec![1, 2, 4, 6]);
    }
}
