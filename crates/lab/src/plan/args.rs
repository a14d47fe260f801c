//! The plan's argument checks: every bad input is a [`Usage`] error, one line naming the problem
//! and the valid choices (exit code 2), decided before anything runs.

use super::{DEFAULT_TIMELINE_WINDOW_US, MIN_MEM_LIMIT_MIB, TIMELINE_DAY_US};
use crate::discover::{self, Strategy};
use std::time::Duration;
use workload::{Scenario, Spec};

/// A usage error: one line naming the problem and the valid choices (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Usage(pub String);

/// The strategies `names` asks for among `found` (every one found when `names` is empty).
pub fn select_strategies(found: &[Strategy], names: &[String]) -> Result<Vec<Strategy>, Usage> {
    if !names.is_empty() {
        return names.iter().map(|n| find_strategy(found, n)).collect();
    }
    if found.is_empty() {
        return Err(Usage(format!(
            "no strategies found in {} (build them with cargo build --release --workspace)",
            discover::default_dir().display()
        )));
    }
    Ok(found.to_vec())
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
pub(super) fn timeline_window(s: Option<&str>) -> Result<(u64, u64), Usage> {
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
