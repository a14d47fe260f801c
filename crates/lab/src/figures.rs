//! The typed figures of a run, and how a cell's runs reduce to one set: the median of each
//! field across runs, its [min, max] kept under the field's dotted name (`pickup_us.p99`).
//! Both walk the struct through serde, so a field cannot be forgotten or misspelt: a figure
//! that is missing is an error, never a silent zero. An optional figure that a run did not
//! have (`None`: the makespan of a day without checks) has no dotted name at all.

use crate::runner::RunOutput;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use workload::protocol::Report;

/// Latency percentiles of every call, µs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
    pub mean: f64,
}

/// A short percentile summary, µs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShortUs {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

/// Everything measured in one run (or, in a row, the median of its runs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Scheduled ring → picked up, answered calls only.
    pub pickup_us: Percentiles,
    /// Every offered caller's wait: answered ones at pick-up, missed ones at the moment they
    /// hung up (patience). What a caller experiences, lucky or not.
    pub wait_all_us: Percentiles,
    /// Caller stops talking → reply done.
    pub reply_us: ShortUs,
    /// Appointment due → check done.
    pub appointment_lateness_us: ShortUs,
    /// Pick-up − when the strategy noticed the ring (what a naive measurement would report).
    pub pickup_uncorrected_us: ShortUs,
    /// When the strategy noticed the ring − scheduled ring.
    pub ring_lateness_us: ShortUs,
    /// Lateness of the strategy's own timer wake-ups.
    pub timer_lateness_us: ShortUs,
    /// Mean pick-up minus the mean lateness of the strategy's timers on an idle day (the
    /// runtime's own timer latency, measured apart): the queueing part of the wait. The day's
    /// own timer lateness is not subtracted: on a one-thread runtime a ring's timer fires late
    /// *because* the thread is busy with our work. (The theory compares its prediction with
    /// the mean pick-up minus the smaller of this idle lateness and the median pick-up:
    /// `theory::delivery_delay_us`, `Prediction::delivery_us`.)
    pub pickup_wait_us_mean: f64,
    /// The idle day's mean timer lateness, µs (0 when it was not measured).
    pub idle_timer_lateness_us: f64,
    /// Missed / offered calls. In a row: over all runs (totals); its range is per run.
    pub missed_share: f64,
    /// Process wall time, seconds.
    pub wall_s: f64,
    pub cpu_user_s: f64,
    pub cpu_sys_s: f64,
    /// The strategy's own peak resident set (`VmHWM`), KiB.
    pub max_rss_kib: f64,
    pub ctx_voluntary: f64,
    pub ctx_involuntary: f64,
    /// (user + sys) / wall: how many cores were busy on average.
    pub cpu_per_wall: f64,
    /// OS threads that picked up calls or ran desk chunks.
    pub threads_used: f64,
    /// Over real lines: the strategy's own pick-up times (scheduled ring → picked up, by its
    /// clock), beside `pickup_us`, which the caller process measured. Zero with simulated
    /// lines (there the strategy's own figures are `pickup_us`).
    #[serde(default)]
    pub self_pickup_us: ShortUs,
    /// Over real lines: the caller process's own lateness (scheduled ring → connect issued).
    #[serde(default)]
    pub caller_lateness_us: ShortUs,
    /// Over real lines: the most connections open at once (the caller's count).
    #[serde(default)]
    pub peak_connections: f64,
    /// Over real lines: callers who hung up before their connection was made (a full accept
    /// queue drops SYNs; the client retries after ~1 s).
    #[serde(default)]
    pub never_connected: f64,
    /// Over real lines: 1 when the caller process ran on the strategy's own CPUs (no CPU of its
    /// own left), 0 when it had CPUs apart. Where it shared, the liar rule is not judged
    /// (`callers_word`): the caller's readings wait for the strategy's threads.
    #[serde(default)]
    pub caller_shares_cpus: f64,
    /// From the opening to the moment the latest appointment check was done, µs: on a batch
    /// day (every check due at the opening, no calls: `month-end`), the day's makespan. `None`
    /// when the day had no checks (or the report came from an older build).
    #[serde(default)]
    pub makespan_us: Option<f64>,
    /// Checks done per second of that makespan. `None` where the makespan is.
    #[serde(default)]
    pub checks_per_s: Option<f64>,
}

/// The decoded histograms of one run, µs.
#[derive(Clone, Debug)]
pub struct RunHistograms {
    pub pickup: Histogram<u64>,
    pub wait_all: Histogram<u64>,
    pub reply: Histogram<u64>,
    pub appointment_lateness: Histogram<u64>,
    pub pickup_uncorrected: Histogram<u64>,
    pub ring_lateness: Histogram<u64>,
    pub timer_lateness: Histogram<u64>,
}

/// An empty histogram with the recorder's bounds.
#[must_use]
pub fn empty_histogram() -> Histogram<u64> {
    #[allow(clippy::expect_used)]
    Histogram::new_with_bounds(
        1,
        workload::record::HIST_MAX_US,
        workload::record::HIST_SIGFIG,
    )
    .expect("constant bounds")
}

fn q(h: &Histogram<u64>, p: f64) -> f64 {
    if h.is_empty() {
        0.0
    } else {
        h.value_at_quantile(p) as f64
    }
}

fn max(h: &Histogram<u64>) -> f64 {
    if h.is_empty() { 0.0 } else { h.max() as f64 }
}

impl Percentiles {
    /// The percentiles of `h` (all zero when it is empty).
    #[must_use]
    pub fn of(h: &Histogram<u64>) -> Percentiles {
        Percentiles {
            p50: q(h, 0.5),
            p90: q(h, 0.9),
            p99: q(h, 0.99),
            p999: q(h, 0.999),
            max: max(h),
            mean: if h.is_empty() { 0.0 } else { h.mean() },
        }
    }
}

impl ShortUs {
    /// The short summary of `h`.
    #[must_use]
    pub fn of(h: &Histogram<u64>) -> ShortUs {
        ShortUs {
            p50: q(h, 0.5),
            p99: q(h, 0.99),
            max: max(h),
        }
    }
}

impl RunHistograms {
    /// Decodes a report's histograms; a histogram that is missing or does not decode is a
    /// problem (pushed to `problems`) and reads as empty.
    pub fn from_report(report: &Report, problems: &mut Vec<String>) -> RunHistograms {
        let mut hist = |name: &str| {
            report.histogram(name).unwrap_or_else(|e| {
                problems.push(e.to_string());
                empty_histogram()
            })
        };
        let pickup = hist("pickup");
        let mut wait_all = pickup.clone();
        let patience = report.spec.patience_us.max(1);
        // A missed caller waited until they hung up. Saturate at the histogram's top.
        let missed = report.counters.missed_calls;
        if missed > 0 {
            let _ = wait_all.record_n(patience.min(workload::record::HIST_MAX_US), missed);
        }
        RunHistograms {
            pickup,
            wait_all,
            reply: hist("reply"),
            appointment_lateness: hist("appointment_lateness"),
            pickup_uncorrected: hist("pickup_uncorrected"),
            ring_lateness: hist("ring_lateness"),
            timer_lateness: hist("timer_lateness"),
        }
    }
}

impl Figures {
    /// The figures of one run from its report, its histograms, the process's usage and the
    /// strategy's idle timer lateness.
    #[must_use]
    pub fn from_report(
        report: &Report,
        h: &RunHistograms,
        out: &RunOutput,
        idle_timer_us: Option<f64>,
    ) -> Figures {
        let idle = idle_timer_us.unwrap_or(0.0);
        let pickup = Percentiles::of(&h.pickup);
        let u = &out.usage;
        let c = &report.counters;
        Figures {
            pickup_us: pickup,
            wait_all_us: Percentiles::of(&h.wait_all),
            reply_us: ShortUs::of(&h.reply),
            appointment_lateness_us: ShortUs::of(&h.appointment_lateness),
            pickup_uncorrected_us: ShortUs::of(&h.pickup_uncorrected),
            ring_lateness_us: ShortUs::of(&h.ring_lateness),
            timer_lateness_us: ShortUs::of(&h.timer_lateness),
            pickup_wait_us_mean: (pickup.mean - idle).max(0.0),
            idle_timer_lateness_us: idle,
            missed_share: share(c.missed_calls, c.offered_calls),
            wall_s: out.wall_s,
            cpu_user_s: u.user_s,
            cpu_sys_s: u.sys_s,
            // The strategy's own VmHWM; rusage's ru_maxrss would include the harness's size
            // at fork.
            max_rss_kib: report.peak_rss_kib.unwrap_or(u.max_rss_kib) as f64,
            ctx_voluntary: u.ctx_voluntary as f64,
            ctx_involuntary: u.ctx_involuntary as f64,
            cpu_per_wall: if out.wall_s > 0.0 {
                (u.user_s + u.sys_s) / out.wall_s
            } else {
                0.0
            },
            threads_used: report.threads.len() as f64,
            makespan_us: makespan_us(report),
            checks_per_s: checks_per_s(report),
            ..Figures::default()
        }
    }

    /// Every figure under its dotted name (`pickup_us.p99`), generated from the struct.
    #[must_use]
    pub fn dotted(&self) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        if let Ok(v) = serde_json::to_value(self) {
            flatten("", &v, &mut out);
        }
        out
    }

    /// Rebuilds figures from dotted names; `None` if any field is missing.
    #[must_use]
    pub fn from_dotted(map: &BTreeMap<String, f64>) -> Option<Figures> {
        let mut root = serde_json::Map::new();
        for (k, &v) in map {
            let mut obj = &mut root;
            let mut parts = k.split('.').peekable();
            while let Some(p) = parts.next() {
                if parts.peek().is_none() {
                    obj.insert(p.to_owned(), serde_json::json!(v));
                } else {
                    obj = obj
                        .entry(p.to_owned())
                        .or_insert_with(|| serde_json::json!({}))
                        .as_object_mut()?;
                }
            }
        }
        serde_json::from_value(serde_json::Value::Object(root)).ok()
    }

    /// The median of each field across `runs`, and each field's [min, max] under its dotted
    /// name. No runs: all zero, no ranges.
    #[must_use]
    pub fn median_and_ranges(runs: &[&Figures]) -> (Figures, BTreeMap<String, [f64; 2]>) {
        let per_run: Vec<BTreeMap<String, f64>> = runs.iter().map(|f| f.dotted()).collect();
        if per_run.is_empty() {
            return (Figures::default(), BTreeMap::new());
        }
        let mut med = BTreeMap::new();
        let mut ranges = BTreeMap::new();
        // Every run's names: an optional figure some run lacks is the median of those that
        // have it.
        let mut keys: Vec<&String> = per_run.iter().flat_map(BTreeMap::keys).collect();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            let mut v: Vec<f64> = per_run.iter().filter_map(|m| m.get(k).copied()).collect();
            v.sort_by(f64::total_cmp);
            ranges.insert(k.clone(), [v[0], v[v.len() - 1]]);
            med.insert(k.clone(), median_sorted(&v));
        }
        // Every key came from the same struct: rebuilding cannot miss a field.
        let figures = Figures::from_dotted(&med).unwrap_or_default();
        (figures, ranges)
    }
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, f64>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        // An optional figure the run did not have: no name, no value.
        serde_json::Value::Null => {}
        other => {
            out.insert(prefix.to_owned(), other.as_f64().unwrap_or(f64::NAN));
        }
    }
}

/// The makespan of a day (opening → latest check done), µs; `None` without checks.
fn makespan_us(report: &Report) -> Option<f64> {
    report
        .makespan_ns
        .filter(|_| report.counters.appointments_done > 0)
        .map(|ns| ns as f64 / 1e3)
}

/// Checks done per second of the makespan; `None` without checks (or a zero makespan).
fn checks_per_s(report: &Report) -> Option<f64> {
    makespan_us(report)
        .filter(|&us| us > 0.0)
        .map(|us| report.counters.appointments_done as f64 / (us / 1e6))
}

/// The median of `v` (sorted here), `None` when empty.
#[must_use]
pub fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(median_sorted(v))
}

/// The median of sorted values (mean of the middle two for an even count).
#[must_use]
pub fn median_sorted(v: &[f64]) -> f64 {
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// `part / whole`, 0 when `whole` is 0.
#[must_use]
pub fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(p99: f64, missed: f64) -> Figures {
        Figures {
            pickup_us: Percentiles {
                p99,
                ..Percentiles::default()
            },
            missed_share: missed,
            cpu_per_wall: p99 / 10.0,
            ..Figures::default()
        }
    }

    #[test]
    fn dotted_names_come_from_the_struct_and_round_trip() {
        let f = fig(20.0, 0.5);
        let d = f.dotted();
        assert_eq!(d["pickup_us.p99"], 20.0);
        assert_eq!(d["missed_share"], 0.5);
        assert!(d.contains_key("wait_all_us.max") && d.contains_key("timer_lateness_us.p50"));
        assert_eq!(Figures::from_dotted(&d), Some(f));
        let mut missing = d.clone();
        missing.remove("reply_us.p99");
        assert_eq!(
            Figures::from_dotted(&missing),
            None,
            "a missing field is an error"
        );
    }

    #[test]
    fn median_field_by_field_with_ranges() {
        let runs = [fig(30.0, 0.0), fig(10.0, 0.2), fig(20.0, 0.1)];
        let refs: Vec<&Figures> = runs.iter().collect();
        let (m, r) = Figures::median_and_ranges(&refs);
        assert_eq!(m.pickup_us.p99, 20.0);
        assert_eq!(m.cpu_per_wall, 2.0);
        assert_eq!(r["pickup_us.p99"], [10.0, 30.0]);
        assert_eq!(r["missed_share"], [0.0, 0.2]);
        assert_eq!(median_sorted(&[1.0, 2.0, 3.0, 10.0]), 2.5);
        assert_eq!(Figures::median_and_ranges(&[]).0, Figures::default());
    }

    #[test]
    fn a_makespan_is_a_figure_only_where_the_day_had_checks() {
        let none = Figures::default();
        assert!(
            !none.dotted().contains_key("makespan_us"),
            "no name, no NaN"
        );
        assert_eq!(Figures::from_dotted(&none.dotted()), Some(none.clone()));
        let batch = |us: f64| Figures {
            makespan_us: Some(us),
            checks_per_s: Some(50.0 / (us / 1e6)),
            ..Figures::default()
        };
        let runs = [batch(500_000.0), batch(260_000.0), batch(510_000.0)];
        let refs: Vec<&Figures> = runs.iter().collect();
        let (m, r) = Figures::median_and_ranges(&refs);
        assert_eq!(m.makespan_us, Some(500_000.0));
        assert_eq!(m.checks_per_s, Some(100.0));
        assert_eq!(r["makespan_us"], [260_000.0, 510_000.0]);
        // A cell whose runs had no checks has no makespan, and no range of NaN.
        let (m, r) = Figures::median_and_ranges(&[&none, &none]);
        assert_eq!(m.makespan_us, None);
        assert!(!r.contains_key("makespan_us"));
        assert!(r.values().all(|[lo, hi]| lo.is_finite() && hi.is_finite()));
    }

    #[test]
    fn missed_callers_wait_until_they_hang_up() {
        let mut pickup = empty_histogram();
        for v in [100, 200, 300] {
            pickup.record(v).unwrap();
        }
        let mut wait_all = pickup.clone();
        wait_all.record_n(20_000, 1).unwrap();
        let p = Percentiles::of(&wait_all);
        assert!(p.max >= 19_990.0 && Percentiles::of(&pickup).max < 400.0);
        assert_eq!(share(1, 4), 0.25);
        assert_eq!(share(1, 0), 0.0);
    }
}
