//! Findings: a few plain-text sentences computed only from the result rows (never typed
//! numbers). Their numbers follow the one rule of [`crate::format`], as the markdown summary's
//! and the plots' do.

use crate::claims::{Claims, Outcome};
use lab::format::{format_share, format_us};
use lab::row::{Row, Status};
use lab::select::first_seen;

/// Measured / predicted mean pick-up outside this range is called a disagreement.
pub const PREDICTION_AGREES: [f64; 2] = [0.8, 1.25];

/// `1 core`, `2 cores`.
#[must_use]
pub fn cores_text(cores: usize) -> String {
    if cores == 1 {
        "1 core".to_owned()
    } else {
        format!("{cores} cores")
    }
}

/// The row measured something usable: a verified status and at least one answered call
/// with a finite p99 pick-up.
#[must_use]
pub fn measured(row: &Row) -> bool {
    !row.status.is_failure() && row.answered_calls > 0 && row.figures.pickup_us.p99.is_finite()
}

/// Splits a sweep label `param=value` into its parameter and value (`param` alone if no `=`).
#[must_use]
pub fn sweep_parts(sweep: &str) -> (&str, &str) {
    sweep.split_once('=').unwrap_or((sweep, ""))
}

/// One line of text: newlines and other control characters become spaces.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(if c.is_control() { ' ' } else { c });
    }
    out.trim().to_owned()
}

/// "x" / "x and y" / "x, y and z".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Where a row sits, for sentences: `threads on 2 cores` (+ ` at chunk=1000`).
pub(crate) fn where_text(row: &Row) -> String {
    let mut s = format!("{} on {}", row.strategy, cores_text(row.cores));
    if row.twin {
        s.push_str(" (A/A twin)");
    }
    if let Some(sw) = &row.sweep {
        s.push_str(" at ");
        s.push_str(sw);
    }
    s
}

/// Sentences about the rows, in a fixed order: the controls, per scenario the claims the rule
/// made (and how many it tested), missed calls and saturation, failures, measured vs predicted
/// means, and how p99 pick-up moves along each sweep (described, not tested). Deterministic;
/// the only sentences that compare two cells are the claims'. Empty rows give no findings.
#[must_use]
pub fn findings(rows: &[Row], claims: &Claims) -> Vec<String> {
    let mut out = Vec::new();
    let scenarios = first_seen(rows, |r| r.scenario.as_str());
    out.extend(controls(claims));
    for scenario in &scenarios {
        if let Some(s) = claims_made(scenario, claims) {
            out.push(s);
        }
    }
    for scenario in &scenarios {
        let in_scenario: Vec<&Row> = rows.iter().filter(|r| r.scenario == *scenario).collect();
        if let Some(s) = trouble(scenario, &in_scenario) {
            out.push(s);
        }
    }
    for row in rows.iter().filter(|r| r.status.is_failure()) {
        let verb = match row.status {
            Status::Timeout => "timed out",
            Status::Wrong => "gave a wrong answer",
            _ => "crashed",
        };
        let mut s = format!("{}: {} {verb}", row.scenario, where_text(row));
        match row.reason.as_deref().map(one_line) {
            Some(reason) if !reason.is_empty() => s.push_str(&format!(" ({reason})")),
            _ => {}
        }
        s.push('.');
        out.push(s);
    }
    for row in rows.iter().filter(|r| measured(r)) {
        if let Some(s) = crate::fit::fit_gap(row) {
            out.push(s);
        }
    }
    out.extend(crate::fit::fit_findings(rows));
    out.extend(sweeps(rows));
    out
}

/// The controls in one sentence: passed, or which failed and what it withholds.
fn controls(claims: &Claims) -> Option<String> {
    if claims.controls.is_empty() {
        return None;
    }
    let failed: Vec<String> = claims
        .failed_controls()
        .map(|c| format!("{} ({} withheld)", c.id, c.withholds))
        .collect();
    let untested = claims.controls.iter().filter(|c| !c.tested).count();
    Some(if failed.is_empty() {
        format!(
            "Negative controls: {} of {} passed (no difference where there can be none){}.",
            claims.controls.len() - untested,
            claims.controls.len(),
            if untested > 0 {
                format!("; {untested} could not be tested")
            } else {
                String::new()
            }
        )
    } else {
        format!("Negative controls FAILED: {}.", join_and(&failed))
    })
}

/// A scenario's claims: each one made, then how many comparisons found no difference.
fn claims_made(scenario: &str, claims: &Claims) -> Option<String> {
    let here: Vec<_> = claims
        .claims
        .iter()
        .filter(|c| c.comparison.scenario == scenario && !c.comparison.question.is_control())
        .collect();
    if here.is_empty() {
        return None;
    }
    let made: Vec<String> = here
        .iter()
        .filter(|c| c.outcome.is_claim())
        .map(|c| crate::verdict::claim_text(c))
        .collect();
    let count = |o: Outcome| here.iter().filter(|c| c.outcome == o).count();
    let mut s = format!("{scenario}: ");
    if made.is_empty() {
        s.push_str("no claim");
    } else {
        s.push_str(&made.join("; "));
    }
    let mut rest = Vec::new();
    for o in [
        Outcome::NoDifference,
        Outcome::BothAtCap,
        Outcome::Withheld,
        Outcome::NotMeasured,
    ] {
        let n = count(o);
        if n > 0 {
            rest.push(format!("{n} {}", o.word()));
        }
    }
    s.push_str(&format!(
        " ({} of {} comparisons claimed{}{}).",
        made.len(),
        here.len(),
        if rest.is_empty() { "" } else { "; " },
        rest.join(", ")
    ));
    Some(s)
}

/// Rows of a scenario that missed calls or did not keep up (saturated, invalid, exhausted).
fn trouble(scenario: &str, rows: &[&Row]) -> Option<String> {
    let mut parts = Vec::new();
    for r in rows.iter().filter(|r| !r.status.is_failure()) {
        let missed = r.figures.missed_share.is_finite() && r.figures.missed_share > 0.0;
        let status = r.status;
        if !missed && status == Status::Ok {
            continue;
        }
        let mut p = where_text(r);
        if missed {
            p.push_str(&format!(
                " missed {} of calls",
                format_share(r.figures.missed_share)
            ));
            if status != Status::Ok {
                p.push_str(&format!(" ({})", status.name()));
            }
        } else {
            p.push_str(&format!(" was {}", status.name()));
        }
        parts.push(p);
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!("{scenario}: {}.", join_and(&parts)))
}

/// Sort key of a sweep value: numeric where it parses (`1000`, `1e3`, `2.5`), else text.
fn sweep_key(value: &str) -> (u8, f64, String) {
    match value.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => (0, v, String::new()),
        _ => (1, 0.0, value.to_owned()),
    }
}

/// Order of two sweep values: numbers ascending by value, then other values as text.
#[must_use]
pub fn sweep_value_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (ka, kb) = (sweep_key(a), sweep_key(b));
    ka.0.cmp(&kb.0)
        .then(ka.1.total_cmp(&kb.1))
        .then_with(|| ka.2.cmp(&kb.2))
}

/// How p99 pick-up moves along each sweep (scenario × strategy × cores × parameter).
fn sweeps(rows: &[Row]) -> Vec<String> {
    let swept: Vec<&Row> = rows
        .iter()
        .filter(|r| r.sweep.is_some() && measured(r))
        .collect();
    let mut groups: Vec<(&str, &str, usize, &str)> = Vec::new();
    for r in &swept {
        let param = sweep_parts(r.sweep.as_deref().unwrap_or_default()).0;
        let key = (r.scenario.as_str(), r.strategy.as_str(), r.cores, param);
        if !groups.contains(&key) {
            groups.push(key);
        }
    }
    let mut out = Vec::new();
    for (scenario, strategy, cores, param) in groups {
        let mut points: Vec<(&str, &Row)> = Vec::new();
        for r in &swept {
            let (p, value) = sweep_parts(r.sweep.as_deref().unwrap_or_default());
            if r.scenario == scenario
                && r.strategy == strategy
                && r.cores == cores
                && p == param
                && !points.iter().any(|(v, _)| *v == value)
            {
                points.push((value, *r));
            }
        }
        if points.len() < 2 {
            continue;
        }
        points.sort_by(|a, b| sweep_value_order(a.0, b.0));
        let steps: Vec<String> = points
            .iter()
            .map(|(v, r)| format!("{v} → {}", format_us(r.figures.pickup_us.p99)))
            .collect();
        out.push(format!(
            "{scenario}, {strategy} on {}: p99 pick-up by {param}: {} (described, not tested).",
            cores_text(cores),
            steps.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_values_sort_numerically() {
        let mut v = ["10000", "100", "1000", "x"];
        v.sort_by(|a, b| sweep_value_order(a, b));
        assert_eq!(v, ["100", "1000", "10000", "x"]);
    }
}
