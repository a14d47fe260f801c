//! `harness primitives`: what one switch costs, per runtime. Each strategy binary measures its
//! own runtime (`strategy-<name> --primitives`, see `workload::primitives`), so runtimes stay in
//! the strategy crates; this module plans which binaries on which core counts, runs each as a
//! pinned child process through [`runner::run_child`] (the process a day runs in, with a
//! timeout and the memory guard), and turns each into a row — a crash, a hang or garbage
//! included, with its reason. `export/primitives.rs` writes the files.

use crate::discover::Strategy;
use crate::plan::{self, Usage};
use crate::runner::{self, Ended};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use workload::PrimitivesSpec;
use workload::primitives::PrimitivesReport;

/// Core counts when `--cores` is not given.
pub const DEFAULT_CORES: [usize; 1] = [1];
/// How long one binary may take, seconds, when `--timeout` is not given (one takes ~1-3 s).
pub const DEFAULT_TIMEOUT_S: f64 = 60.0;

/// What was asked for on the command line.
#[derive(Clone, Debug, Default)]
pub struct PrimitivesRequest {
    pub strategies: Vec<String>,
    pub cores: Vec<usize>,
    pub quick: bool,
    pub timeout_s: Option<f64>,
    pub mem_limit_mib: Option<u64>,
}

/// What will run: every strategy on every core count, with these counts and limits.
#[derive(Clone, Debug)]
pub struct PrimitivesPlan {
    pub strategies: Vec<Strategy>,
    pub cores: Vec<usize>,
    pub spec: PrimitivesSpec,
    pub limits: runner::Limits,
}

impl PrimitivesPlan {
    /// The plan of a request on a machine with `cpus` allowed CPUs; bad input is a [`Usage`]
    /// error naming the valid choices.
    pub fn new(
        req: &PrimitivesRequest,
        found: &[Strategy],
        cpus: usize,
    ) -> Result<PrimitivesPlan, Usage> {
        let strategies = plan::select_strategies(found, &req.strategies)?;
        let cores = if req.cores.is_empty() {
            DEFAULT_CORES.to_vec()
        } else {
            req.cores.clone()
        };
        plan::check_cores(&cores, cpus)?;
        let timeout =
            plan::timeout(req.timeout_s)?.unwrap_or(Duration::from_secs_f64(DEFAULT_TIMEOUT_S));
        let spec = if req.quick {
            PrimitivesSpec::default().quick()
        } else {
            PrimitivesSpec::default()
        };
        Ok(PrimitivesPlan {
            strategies,
            cores,
            spec,
            limits: runner::Limits {
                timeout,
                mem_limit_mib: plan::mem_limit(req.mem_limit_mib)?,
            },
        })
    }
}

/// How a binary's measurement went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryStatus {
    /// A readable report (some primitives may still be not applicable or failed: see them).
    Ok,
    /// A signal, a non-zero exit, or stdout that is not a primitives report.
    Crashed,
    /// Still running at the timeout: killed.
    Timeout,
    /// Its memory passed the limit: killed.
    Exhausted,
}

/// One binary on one core count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrimitivesRow {
    pub strategy: String,
    pub cores: usize,
    pub status: BinaryStatus,
    /// Why it failed (`None` when ok).
    pub reason: Option<String>,
    /// Its report, when it wrote one.
    pub report: Option<PrimitivesReport>,
    /// The child's wall time, s.
    pub wall_s: f64,
    /// Its peak resident set, KiB (from `wait4`).
    pub max_rss_kib: u64,
}

/// Everything `harness primitives` measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PrimitivesResults {
    /// The environment (`env.json`).
    pub env: serde_json::Value,
    /// The counts every binary was given.
    pub spec: PrimitivesSpec,
    pub rows: Vec<PrimitivesRow>,
    /// Stopped by Ctrl-C before every binary ran.
    pub interrupted: bool,
}

/// Runs one binary's primitives pinned to `cpus` (telling it `cpus.len()` cores) into a row.
pub fn run_one(
    strategy: &Strategy,
    spec: &PrimitivesSpec,
    cpus: &[usize],
    limits: runner::Limits,
    stop: &AtomicBool,
) -> anyhow::Result<PrimitivesRow> {
    let args = vec![
        "--primitives".to_owned(),
        "--cores".to_owned(),
        cpus.len().to_string(),
        "--primitives-spec".to_owned(),
        serde_json::to_string(spec)?,
    ];
    let child = runner::run_child(&strategy.bin, &args, &[], cpus, limits, stop)?;
    let (status, reason, report) = match child.ended {
        Ended::Exited => match PrimitivesReport::parse(child.stdout.trim()) {
            Ok(r) => (BinaryStatus::Ok, None, Some(r)),
            Err(e) => (
                BinaryStatus::Crashed,
                Some(runner::unreadable(&e, &child.stdout)),
                None,
            ),
        },
        Ended::Failed(why) => (BinaryStatus::Crashed, Some(why), None),
        Ended::Timeout(t) => (
            BinaryStatus::Timeout,
            Some(format!("no report within {:.0} s: killed", t.as_secs_f64())),
            None,
        ),
        Ended::OverMemory { limit_mib, rss_mib } => (
            BinaryStatus::Exhausted,
            Some(format!(
                "resident memory {rss_mib} MiB passed the memory limit {limit_mib} MiB: killed"
            )),
            None,
        ),
    };
    Ok(PrimitivesRow {
        strategy: strategy.name.clone(),
        cores: cpus.len(),
        status,
        reason,
        report,
        wall_s: child.wall_s,
        max_rss_kib: child.usage.max_rss_kib,
    })
}

/// Runs the plan, one binary at a time (core count by core count), each pinned to the first
/// CPUs of `cpus`; `progress` sees each row as it is done. Stops early when `stop` is set.
pub fn execute(
    plan: &PrimitivesPlan,
    cpus: &[usize],
    env: serde_json::Value,
    stop: &AtomicBool,
    mut progress: impl FnMut(&PrimitivesRow),
) -> anyhow::Result<PrimitivesResults> {
    let mut rows = Vec::new();
    let mut interrupted = false;
    'all: for &cores in &plan.cores {
        for strategy in &plan.strategies {
            if stop.load(Ordering::SeqCst) {
                interrupted = true;
                break 'all;
            }
            let row = run_one(strategy, &plan.spec, &cpus[..cores], plan.limits, stop)?;
            if stop.load(Ordering::SeqCst) {
                interrupted = true; // killed by Ctrl-C, not a failure of its own
                break 'all;
            }
            progress(&row);
            rows.push(row);
        }
    }
    Ok(PrimitivesResults {
        env,
        spec: plan.spec,
        rows,
        interrupted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn found() -> Vec<Strategy> {
        ["threads", "tokio"]
            .iter()
            .map(|n| Strategy {
                name: (*n).to_owned(),
                bin: PathBuf::from(format!("/nonexistent/strategy-{n}")),
                arrangement: None,
            })
            .collect()
    }

    #[test]
    fn defaults_are_every_strategy_on_one_core() {
        let p = PrimitivesPlan::new(&PrimitivesRequest::default(), &found(), 2).expect("plan");
        assert_eq!(p.strategies.len(), 2);
        assert_eq!(p.cores, vec![1]);
        assert_eq!(p.spec, PrimitivesSpec::default());
        assert_eq!(p.limits.timeout, Duration::from_secs(60));
    }

    #[test]
    fn bad_requests_name_the_valid_choices() {
        let bad = |req: PrimitivesRequest| PrimitivesPlan::new(&req, &found(), 2).unwrap_err().0;
        let e = bad(PrimitivesRequest {
            strategies: vec!["nope".into()],
            ..PrimitivesRequest::default()
        });
        assert!(
            e.contains("unknown strategy 'nope'") && e.contains("threads, tokio"),
            "{e}"
        );
        let e = bad(PrimitivesRequest {
            cores: vec![3],
            ..PrimitivesRequest::default()
        });
        assert!(e.contains("1..=2"), "{e}");
        let e = bad(PrimitivesRequest {
            timeout_s: Some(0.0),
            ..PrimitivesRequest::default()
        });
        assert!(e.contains("--timeout"), "{e}");
        let e = PrimitivesPlan::new(&PrimitivesRequest::default(), &[], 2)
            .unwrap_err()
            .0;
        assert!(e.contains("no strategies found"), "{e}");
    }
}
