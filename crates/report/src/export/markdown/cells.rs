//! The cells of one row of a results table: status with its reason, latencies (with `[min–max]`
//! across runs and a dagger where few samples lie beyond), counts, CPU and memory, and the
//! queueing theory's prediction beside the measurement; a batch day's row (no calls) has its
//! own: checks done, makespan and checks per second.

use super::text::{escape, truncate};
use lab::format::{
    format_factor, format_share, format_us, group_thousands, mib_number, us_number_in_unit_of,
};
use lab::row::Row;
use std::fmt::Write as _;

/// Longest failure reason shown in a table cell, in characters.
const REASON_MAX: usize = 240;

/// The status, with the reason where there is one (failures in bold).
fn status_cell(r: &Row) -> String {
    let st = r.status;
    let name = if st.is_failure() {
        format!("**{}**", st.name())
    } else {
        st.name().to_owned()
    };
    match r.reason.as_deref().map(str::trim) {
        Some(reason) if !reason.is_empty() => {
            format!("{name}: {}", escape(&truncate(reason, REASON_MAX)))
        }
        _ => name,
    }
}

/// A latency, or `–` where nothing was measured.
pub(super) fn us_cell(v: f64, has: bool) -> String {
    if has && v.is_finite() {
        format_us(v)
    } else {
        "–".into()
    }
}

/// A dagger where fewer than 10 of the row's samples lie beyond percentile `q` (0.99, 0.999).
fn thin(r: &Row, q: f64) -> &'static str {
    if (r.samples as f64) * (1.0 - q) < 10.0 {
        "†"
    } else {
        ""
    }
}

/// p99 of `key` (`pickup_us.p99`, `wait_all_us.p99`) with `[min–max]` across runs: one unit
/// after the bracket when all three share it.
fn p99_cell(r: &Row, key: &str, has: bool) -> String {
    let p99 = r.figures.dotted().get(key).copied().unwrap_or(f64::NAN);
    if !has || !p99.is_finite() {
        return "–".into();
    }
    let cell = p99_range_text(r, key, p99);
    format!("{cell}{}", thin(r, 0.99))
}

fn p99_range_text(r: &Row, key: &str, p99: f64) -> String {
    match r.ranges.get(key) {
        Some([lo, hi]) if lo.is_finite() && hi.is_finite() => {
            // One unit per cell: the unit of the largest of the three.
            let top = hi.max(p99);
            let (a, unit) = us_number_in_unit_of(p99, top);
            let (b, _) = us_number_in_unit_of(*lo, top);
            let (c, _) = us_number_in_unit_of(*hi, top);
            format!("{a} [{b}–{c}] {unit}")
        }
        _ => format_us(p99),
    }
}

/// The cells of a row after the sweep column and before the prediction column.
pub(super) fn cells_of(r: &Row) -> Vec<String> {
    let answered = r.answered_calls > 0;
    let ran = r.figures.wall_s.is_finite() && r.figures.wall_s > 0.0;
    let number = |v: f64, digits: usize| {
        if ran && v.is_finite() {
            format!("{v:.digits$}")
        } else {
            "–".into()
        }
    };
    vec![
        if r.twin {
            format!("{} (A/A twin)", escape(&r.strategy))
        } else {
            escape(&r.strategy)
        },
        r.cores.to_string(),
        status_cell(r),
        format!(
            "{} / {}",
            group_thousands(r.answered_calls),
            group_thousands(r.offered_calls)
        ),
        if r.offered_calls > 0 {
            format_share(r.figures.missed_share)
        } else {
            "–".into()
        },
        us_cell(r.figures.pickup_us.p50, answered),
        p99_cell(r, "pickup_us.p99", answered),
        p99_cell(r, "wait_all_us.p99", r.offered_calls > 0),
        format!(
            "{}{}",
            us_cell(r.figures.pickup_us.p999, answered),
            if answered { thin(r, 0.999) } else { "" }
        ),
        us_cell(r.figures.pickup_us.max, answered),
        us_cell(r.figures.reply_us.p99, answered),
        us_cell(
            r.figures.appointment_lateness_us.p99,
            r.appointments_done > 0,
        ),
        number(r.figures.cpu_per_wall, 2),
        if ran && r.figures.max_rss_kib.is_finite() {
            mib_number(r.figures.max_rss_kib)
        } else {
            "–".into()
        },
    ]
}

/// The cells of a batch day's row (`month-end`: no calls, every check due at the opening):
/// strategy, cores, status, checks done (over all runs), makespan with `[min–max]` across runs,
/// checks per second, CPU/wall, peak memory.
pub(super) fn batch_cells_of(r: &Row) -> Vec<String> {
    let ran = r.figures.wall_s.is_finite() && r.figures.wall_s > 0.0;
    let number = |v: f64, digits: usize| {
        if ran && v.is_finite() {
            format!("{v:.digits$}")
        } else {
            "–".into()
        }
    };
    vec![
        if r.twin {
            format!("{} (A/A twin)", escape(&r.strategy))
        } else {
            escape(&r.strategy)
        },
        r.cores.to_string(),
        status_cell(r),
        group_thousands(r.appointments_done),
        r.figures
            .makespan_us
            .filter(|v| v.is_finite())
            .map_or_else(|| "–".into(), |v| p99_range_text(r, "makespan_us", v)),
        r.figures
            .checks_per_s
            .filter(|v| v.is_finite())
            .map_or_else(|| "–".into(), |v| format!("{v:.1}")),
        number(r.figures.cpu_per_wall, 2),
        if ran && r.figures.max_rss_kib.is_finite() {
            mib_number(r.figures.max_rss_kib)
        } else {
            "–".into()
        },
    ]
}

/// Measured vs predicted mean pick-up beyond the delivery delay, with the ratio.
pub(super) fn prediction_cell(r: &Row) -> String {
    let Some(p) = &r.prediction else {
        return "–".into();
    };
    match p.mean_pickup_wait_us {
        Some(mean) if r.answered_calls > 0 => {
            let mut s = format!(
                "{} / {}",
                format_us(p.measured_wait_us(r.figures.pickup_us.mean)),
                format_us(mean)
            );
            if let Some(x) = r.measured_over_predicted.filter(|x| x.is_finite()) {
                // The same figure as the findings' sentence on this row's fit.
                let _ = write!(s, " ({})", format_factor(x));
            }
            s
        }
        Some(mean) => format!("– / {}", format_us(mean)),
        None => format!("saturated (ρ = {:.2})", p.rho),
    }
}
