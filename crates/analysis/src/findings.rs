//! Findings: a few plain-text sentences computed only from the result rows (never typed
//! numbers). Their numbers follow the one rule of [`crate::format`], as the markdown summary's
//! and the plots' do.

use lab::format::{format_factor, format_share, format_us};
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

/// Keys in order of first appearance.
/// How one row's figure compares with another's across their runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Diff {
    /// Lower in every run than the other in any run: the ranges do not overlap.
    Lower,
    /// Higher in every run than the other in any run.
    Higher,
    /// The [min, max] ranges across runs overlap: no clear difference.
    Overlap,
    /// One of the two has a single run: its spread is unknown, so no claim.
    OneRun,
}

/// Compares figure `key` (a dotted name, e.g. `pickup_us.p99`) of `a` with `b`'s. A claim is
/// made only when it holds across runs: both have at least two runs and the ranges of their
/// runs do not overlap. (A row without a range for `key` counts as the single point of its
/// median.)
#[must_use]
pub fn compare(a: &Row, b: &Row, key: &str) -> Diff {
    if a.runs < 2 || b.runs < 2 {
        return Diff::OneRun;
    }
    let range = |r: &Row| {
        let v = r.figures.dotted().get(key).copied().unwrap_or(f64::NAN);
        r.ranges.get(key).copied().unwrap_or([v, v])
    };
    let (ra, rb) = (range(a), range(b));
    if ra[1] < rb[0] {
        Diff::Lower
    } else if ra[0] > rb[1] {
        Diff::Higher
    } else {
        Diff::Overlap
    }
}

/// What a [`Diff`] lets a sentence say about `a` against `b` (values `va`, `vb`): `2.10× lower`,
/// `no clear difference (ranges overlap)`, ...
fn diff_text(diff: Diff, va: f64, vb: f64) -> String {
    let ratio = |x: f64, y: f64| {
        if x > 0.0 && y > 0.0 && x.is_finite() && y.is_finite() {
            format!("{} ", format_factor(y / x))
        } else {
            String::new()
        }
    };
    match diff {
        Diff::Lower => format!("{}lower", ratio(va, vb)),
        Diff::Higher => format!("{}higher", ratio(vb, va)),
        Diff::Overlap => "no clear difference, ranges overlap".to_owned(),
        Diff::OneRun => "no claim from a single run".to_owned(),
    }
}

/// "before → after (f× lower)" of figure `key` going from row `a` to row `b`, the comparison
/// made only where it holds across runs.
fn change(a: &Row, b: &Row, key: &str) -> String {
    let v = |r: &Row| r.figures.dotted().get(key).copied().unwrap_or(f64::NAN);
    let (before, after) = (v(a), v(b));
    format!(
        "{} → {} ({})",
        format_us(before),
        format_us(after),
        diff_text(compare(b, a, key), after, before)
    )
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
    if let Some(sw) = &row.sweep {
        s.push_str(" at ");
        s.push_str(sw);
    }
    s
}

/// Sentences about the rows, in a fixed order: per scenario the lowest p99 pick-up on the
/// fewest cores, what more cores bought each strategy, missed calls and saturation, failures,
/// measured vs predicted means, and how p99 pick-up moves along each sweep. Deterministic;
/// cells that are missing or failed are left out of comparisons (failures get their own
/// sentence). Empty rows give no findings.
#[must_use]
pub fn findings(rows: &[Row]) -> Vec<String> {
    let mut out = Vec::new();
    let scenarios = first_seen(rows, |r| r.scenario.as_str());
    for scenario in &scenarios {
        let plain: Vec<&Row> = rows
            .iter()
            .filter(|r| r.scenario == *scenario && r.sweep.is_none())
            .collect();
        if let Some(s) = lowest_p99(scenario, &plain) {
            out.push(s);
        }
        if let Some(s) = more_cores(scenario, &plain) {
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

/// Among the measured rows on the fewest cores of a scenario, who kept p99 pick-up lowest,
/// and how it compares with the next across runs. Where any of them missed calls, the ranking
/// is by p99 over all callers (missed ones counted at patience): an answered-only p99 would
/// reward dropping calls.
fn lowest_p99(scenario: &str, rows: &[&Row]) -> Option<String> {
    let ok: Vec<&Row> = rows.iter().copied().filter(|r| measured(r)).collect();
    let cores = ok.iter().map(|r| r.cores).min()?;
    let mut at: Vec<&Row> = Vec::new();
    for r in ok.iter().copied().filter(|r| r.cores == cores) {
        if !at.iter().any(|a| a.strategy == r.strategy) {
            at.push(r);
        }
    }
    let all_callers = at.iter().any(|r| r.missed_calls > 0);
    let key = if all_callers {
        "wait_all_us.p99"
    } else {
        "pickup_us.p99"
    };
    let p99 = |r: &Row| {
        if all_callers {
            r.figures.wait_all_us.p99
        } else {
            r.figures.pickup_us.p99
        }
    };
    at.sort_by(|a, b| {
        p99(a)
            .total_cmp(&p99(b))
            .then(a.figures.missed_share.total_cmp(&b.figures.missed_share))
            .then_with(|| a.strategy.cmp(&b.strategy))
    });
    let best = at[0];
    // A low p99 bought by dropping calls says so.
    let status = |r: &Row| {
        let mut s = match r.status {
            Status::Ok => String::new(),
            st => format!(", {}", st.name()),
        };
        if r.figures.missed_share.is_finite() && r.figures.missed_share > 0.0 {
            s.push_str(&format!(
                ", {} of calls missed",
                format_share(r.figures.missed_share)
            ));
        }
        s
    };
    let over = if all_callers {
        " over all callers (missed ones counted at patience)"
    } else {
        ""
    };
    let mut s = format!(
        "{scenario}, {}: {} kept p99 pick-up lowest{over} ({}{})",
        cores_text(cores),
        best.strategy,
        format_us(p99(best)),
        status(best)
    );
    match at.get(1) {
        None => s.push_str(", the only strategy measured there"),
        Some(next) => {
            let diff = compare(best, next, key);
            let vs = format!(
                "{} ({}{})",
                next.strategy,
                format_us(p99(next)),
                status(next)
            );
            match diff {
                Diff::Lower => s.push_str(&format!(
                    ", {} than {vs}",
                    diff_text(diff, p99(best), p99(next))
                )),
                _ => s.push_str(&format!(
                    "; against {vs}: {}",
                    diff_text(diff, p99(best), p99(next))
                )),
            }
        }
    }
    s.push('.');
    Some(s)
}

/// What more cores bought, per scenario: the strategies whose p99 pick-up or appointment
/// lateness changed beyond the spread of their runs (fewest → most cores), then the ones
/// where neither did, named in one list.
fn more_cores(scenario: &str, rows: &[&Row]) -> Option<String> {
    let ok: Vec<&Row> = rows.iter().copied().filter(|r| measured(r)).collect();
    let lo = ok.iter().map(|r| r.cores).min()?;
    let hi = ok.iter().map(|r| r.cores).max()?;
    if lo == hi {
        return None;
    }
    let clear =
        |a: &Row, b: &Row, key: &str| matches!(compare(b, a, key), Diff::Lower | Diff::Higher);
    let mut parts = Vec::new();
    let mut unclear = Vec::new();
    for strategy in first_seen(ok.iter().copied(), |r| r.strategy.as_str()) {
        let find = |c: usize| ok.iter().find(|r| r.strategy == strategy && r.cores == c);
        let (Some(a), Some(b)) = (find(lo), find(hi)) else {
            continue;
        };
        let desk = a.appointments_done > 0 && b.appointments_done > 0;
        let mut said = Vec::new();
        if clear(a, b, "pickup_us.p99") {
            said.push(format!("p99 pick-up {}", change(a, b, "pickup_us.p99")));
        }
        if desk && clear(a, b, "appointment_lateness_us.p99") {
            said.push(format!(
                "appointment lateness p99 {}",
                change(a, b, "appointment_lateness_us.p99")
            ));
        }
        if said.is_empty() {
            unclear.push(strategy.to_owned());
        } else {
            parts.push(format!("{strategy} {}", said.join(", ")));
        }
    }
    if parts.is_empty() && unclear.is_empty() {
        return None;
    }
    let mut s = format!("{scenario}, {} → {}: ", cores_text(lo), cores_text(hi));
    s.push_str(&parts.join("; "));
    if !unclear.is_empty() {
        if !parts.is_empty() {
            s.push_str("; ");
        }
        s.push_str(&format!(
            "no clear difference (ranges overlap, or one run) for {}",
            join_and(&unclear)
        ));
    }
    s.push('.');
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
        let (first, last) = (points[0].1, points[points.len() - 1].1);
        let key = "pickup_us.p99";
        let diff = compare(last, first, key);
        let text = diff_text(
            diff,
            last.figures.pickup_us.p99,
            first.figures.pickup_us.p99,
        );
        let trend = match diff {
            Diff::Lower | Diff::Higher => format!(", {text} from the smallest to the largest"),
            _ => format!("; smallest against largest: {text}"),
        };
        out.push(format!(
            "{scenario}, {strategy} on {}: p99 pick-up by {param}: {}{trend}.",
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
