//! The measured side of the theory: which part of a row's mean pick-up the predictions are
//! compared with, and the findings' sentences on how well they fit — where a prediction misses,
//! which of its assumptions the data says broke. Every figure comes from the rows.
//!
//! The delivery delay taken out of the mean pick-up is `theory::delivery_delay_us`.

use crate::findings::{PREDICTION_AGREES, where_text};
use lab::format::{format_factor, format_us};
use lab::row::Row;
use theory::Prediction;
use workload::Switching;

/// Measured / predicted within this factor either way: the theory fits the row.
pub const FIT_FACTOR: f64 = 1.5;

/// Load (ρ of the model) from which a one-worker cooperative row is expected to fit within
/// [`FIT_FACTOR`]; below it the queueing is a few µs beside the delivery delay's own noise.
pub const FIT_MIN_LOAD: f64 = 0.3;

/// Measured / predicted of a row, where it has one.
fn ratio(row: &Row) -> Option<f64> {
    row.measured_over_predicted.filter(|x| x.is_finite())
}

/// A one-worker cooperative row on one core: what the goal is about.
fn one_cooperative_core(row: &Row) -> bool {
    row.cores == 1
        && row
            .arrangement
            .is_some_and(|a| a.switching == Switching::Cooperative)
}

/// Which assumption the measured wait `m` says broke, against prediction `p` (predicted `w`).
fn broke(row: &Row, p: &Prediction, m: f64, w: f64) -> String {
    let runs = row
        .ranges
        .get("pickup_us.mean")
        .map(|r| [p.measured_wait_us(r[0]), p.measured_wait_us(r[1])]);
    if let Some([lo, hi]) = runs
        && row.runs > 1
        && (lo..=hi).contains(&w)
    {
        return format!(
            "the prediction lies within its runs' range ({}–{}): the runs differ more than measured and predicted do",
            format_us(lo),
            format_us(hi)
        );
    }
    let budget = row.arrangement.and_then(|a| a.timer_check_polls);
    match (p.every_yield_us, budget) {
        (Some(y), Some(n)) if (y.min(w)..=y.max(w)).contains(&m) => {
            return format!(
                "it lies between looking at its timers at every yield ({}) and every {n} polls as declared ({}): while busy, something looked at its timers more often than its budget",
                format_us(y),
                format_us(w)
            );
        }
        _ => {}
    }
    if m < w {
        let y = p.every_yield_us.map_or(String::new(), |y| {
            format!(", and below looking at every yield ({})", format_us(y))
        });
        format!(
            "below the model{y}: the desk kept the phone waiting less than the model's pieces of desk work say (chunks shorter than the unit time taken, or rings seen sooner than its looks)"
        )
    } else if budget.is_none() && one_cooperative_core(row) {
        "above the model: its timers are served by a thread of its own, which on one core must first get the core the busy worker holds, and the model assumes it gets it at once".to_owned()
    } else {
        "above the model: the wait has a part the model leaves out (a woken call queued behind the desk, or more switch overhead than assumed)".to_owned()
    }
}

/// The sentence for a row whose measured mean wait beyond its delivery delay and the prediction
/// disagree (outside [`PREDICTION_AGREES`]), with the assumption that broke.
#[must_use]
pub fn fit_gap(row: &Row) -> Option<String> {
    let ratio = ratio(row)?;
    if (PREDICTION_AGREES[0]..=PREDICTION_AGREES[1]).contains(&ratio) {
        return None;
    }
    let p = row.prediction.as_ref()?;
    let w = p.mean_pickup_wait_us?;
    let m = p.measured_wait_us(row.figures.pickup_us.mean);
    Some(format!(
        "{}: {} measured a mean pick-up wait of {} beyond its delivery delay of {} (the smaller of its idle-day timer lateness and its median pick-up), {} the predicted {} ({}); {}.",
        row.scenario,
        where_text(row),
        format_us(m),
        format_us(p.delivery_us),
        format_factor(ratio),
        format_us(w),
        p.model,
        broke(row, p, m, w)
    ))
}

/// One sentence on how the theory fits the one-worker cooperative rows on one core: how many
/// are within [`FIT_FACTOR`] (and at load ≥ [`FIT_MIN_LOAD`]), and how many were predicted
/// below their delivery delay (no ratio: too small to see through it).
#[must_use]
pub fn fit_findings(rows: &[Row]) -> Vec<String> {
    let coop: Vec<&Row> = rows
        .iter()
        .filter(|r| one_cooperative_core(r) && r.prediction.is_some())
        .collect();
    let rated: Vec<(&Row, f64)> = coop.iter().filter_map(|r| Some((*r, ratio(r)?))).collect();
    if rated.is_empty() {
        return Vec::new();
    }
    let fits = |x: f64| (1.0 / FIT_FACTOR..=FIT_FACTOR).contains(&x);
    let loaded = |r: &Row| r.prediction.as_ref().is_some_and(|p| p.rho >= FIT_MIN_LOAD);
    let (lo, hi) = rated
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), &(_, x)| {
            (lo.min(x), hi.max(x))
        });
    let heavy: Vec<f64> = rated
        .iter()
        .filter(|(r, _)| loaded(r))
        .map(|&(_, x)| x)
        .collect();
    let mut s = format!(
        "Theory, one cooperative worker on 1 core: {} of {} rows with a ratio within {FIT_FACTOR}× of the prediction (measured / predicted {}–{})",
        rated.iter().filter(|&&(_, x)| fits(x)).count(),
        rated.len(),
        format_factor(lo),
        format_factor(hi)
    );
    if heavy.is_empty() {
        s.push_str(&format!("; none at load ≥ {FIT_MIN_LOAD}"));
    } else {
        s.push_str(&format!(
            "; at load ≥ {FIT_MIN_LOAD}: {} of {}",
            heavy.iter().filter(|&&x| fits(x)).count(),
            heavy.len()
        ));
    }
    let below = coop.len() - rated.len();
    if below > 0 {
        s.push_str(&format!(
            "; {below} more without a ratio (predicted below their delivery delay, saturated, or not measured)"
        ));
    }
    s.push('.');
    vec![s]
}
