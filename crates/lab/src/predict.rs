//! The models' inputs as a compare measured them, and the one place a result row gets its
//! prediction ([`predict_row`]):
//!
//! - **the unit time** — how long a work unit took at the desk, from the compare's own
//!   timeline days (the median desk chunk span over the chunk's units, 1-core timelines
//!   pooled). The calibration ran minutes earlier, and a shared VM's speed drifts (on the
//!   reference run the timelines' chunks ran faster than calibrated), and Cobham's W0 goes
//!   with the square of a piece of desk work. Without timelines, the calibration;
//! - **the switch overhead** of each strategy, from its own 1-core timeline: the median gap
//!   between two chunks of one check on one thread (its yield, the scheduler's pick and the
//!   office's bookkeeping per chunk). Without one, [`DEFAULT_SWITCH_US`];
//! - **the delivery delay** of a row ([`delivery_delay_us`]).

use crate::row::{Row, TimelineRun};
use std::collections::BTreeMap;
use theory::{DEFAULT_SWITCH_US, Overheads, delivery_delay_us, predict_with};
use workload::Spec;
use workload::record::{Doing, Span};

/// Fewest spans (or gaps) a median is taken over.
const MIN_SAMPLES: usize = 20;

/// What the compare's timelines measured (empty: no timelines).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measured {
    /// ns per work unit at the desk.
    pub unit_ns: Option<f64>,
    /// Strategy name → µs between two chunks of one check.
    pub switch_us: BTreeMap<String, f64>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.len() < MIN_SAMPLES {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

/// ns per unit: the median desk span over `chunk_units` (the last chunk of a check, a
/// remainder, is one span in many, so the median is a full chunk).
#[must_use]
pub fn desk_unit_ns<'a>(
    spans: impl IntoIterator<Item = &'a Span>,
    chunk_units: u64,
) -> Option<f64> {
    let d: Vec<f64> = spans
        .into_iter()
        .filter(|s| s.doing == Doing::Desk && s.end_ns > s.start_ns)
        .map(|s| (s.end_ns - s.start_ns) as f64)
        .collect();
    (chunk_units > 0)
        .then(|| median(d))
        .flatten()
        .map(|m| m / chunk_units as f64)
}

/// µs between two chunks of one check on one thread, nothing else recorded in between: the
/// median over `spans`.
#[must_use]
pub fn desk_switch_us(spans: &[Span]) -> Option<f64> {
    let mut s: Vec<&Span> = spans.iter().collect();
    s.sort_by_key(|s| (s.thread, s.start_ns));
    let gaps = s
        .windows(2)
        .filter(|w| {
            w[0].thread == w[1].thread
                && w[0].doing == Doing::Desk
                && w[1].doing == Doing::Desk
                && w[0].id == w[1].id
                && w[1].start_ns >= w[0].end_ns
        })
        .map(|w| (w[1].start_ns - w[0].end_ns) as f64 / 1e3)
        .collect();
    median(gaps)
}

/// The inputs from a compare's timeline runs, whose desk chunks are `chunk_units` long.
#[must_use]
pub fn measured_inputs(timelines: &[TimelineRun], chunk_units: u64) -> Measured {
    let one_core = || timelines.iter().filter(|t| t.cores == 1);
    let unit_ns = desk_unit_ns(one_core().flat_map(|t| &t.timeline.spans), chunk_units);
    let switch_us = one_core()
        .filter_map(|t| Some((t.strategy.clone(), desk_switch_us(&t.timeline.spans)?)))
        .collect();
    Measured { unit_ns, switch_us }
}

/// Sets `row.prediction` (for `spec`, at the measured unit time or else `calibrated_ns`, with
/// the strategy's measured switch overhead and the row's delivery delay) and, where the
/// comparison means something, `row.measured_over_predicted`: the mean pick-up beyond the
/// delivery delay over the prediction. A predicted wait shorter than the delay cannot be seen
/// through it (tokio's timers round up to a millisecond), so no ratio is given there.
pub fn predict_row(row: &mut Row, spec: &Spec, calibrated_ns: f64, measured: &Measured) {
    let overheads = Overheads {
        delivery_us: delivery_delay_us(
            row.figures.idle_timer_lateness_us,
            row.figures.pickup_us.p50,
        ),
        switch_us: measured
            .switch_us
            .get(&row.strategy)
            .copied()
            .unwrap_or(DEFAULT_SWITCH_US),
    };
    let unit_ns = measured.unit_ns.unwrap_or(calibrated_ns);
    row.prediction = predict_with(row.arrangement, row.cores, spec, unit_ns, &overheads);
    if let Some(p) = row.prediction.as_mut() {
        p.note.push_str(&match measured.unit_ns {
            Some(u) => format!(
                "; a work unit taken as {u:.0} ns, as the timelines' desk chunks ran (calibrated: {calibrated_ns:.0} ns)"
            ),
            None => format!("; a work unit taken as the calibrated {calibrated_ns:.0} ns"),
        });
    }
    row.measured_over_predicted = None;
    if !row.status.is_failure() && row.answered_calls > 0 {
        let floor = overheads.delivery_us.max(1.0);
        let mean = row.figures.pickup_us.mean;
        row.measured_over_predicted = row.prediction.as_ref().and_then(|p| {
            let w = p.mean_pickup_wait_us.filter(|&w| w >= floor)?;
            Some(p.measured_wait_us(mean) / w)
        });
    }
}
