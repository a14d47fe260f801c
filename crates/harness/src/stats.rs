//! From runs to a row: each run is verified and classified, then a cell's runs are combined —
//! latency figures as the median across runs with [min, max] kept, counters as totals (so
//! answered + missed = offered still holds), histograms merged by addition.

use crate::row::{CellHistograms, PickupUs, Row, ShortUs, Status};
use crate::runner::{Ending, RunOutput};
use hdrhistogram::Histogram;
use std::collections::BTreeMap;
use workload::Spec;
use workload::record::{HIST_MAX_US, HIST_SIGFIG};
use workload::reference::{Reference, verify};

/// Share of missed calls above which a row is `saturated`.
pub const SATURATED_MISSED_SHARE: f64 = 0.01;
/// Median timer lateness (µs) above which the strategy's clock did not keep the schedule.
pub const CLOCK_MEDIAN_LIMIT_US: u64 = 1_000;

/// One run, verified and reduced to figures.
#[derive(Clone, Debug)]
pub struct RunRecord {
    pub seed: u64,
    pub status: Status,
    pub reason: Option<String>,
    /// Named figures ("pickup_us.p99", "cpu_per_wall", ...); empty when there was no report.
    pub figures: BTreeMap<String, f64>,
    pub counters: Option<workload::record::Counters>,
    pub digest_ok: bool,
    pub pickup: Option<Histogram<u64>>,
    pub reply: Option<Histogram<u64>>,
    pub appointment_lateness: Option<Histogram<u64>>,
}

fn empty() -> Histogram<u64> {
    #[allow(clippy::expect_used)]
    Histogram::new_with_bounds(1, HIST_MAX_US, HIST_SIGFIG).expect("constant bounds")
}

fn q(h: &Histogram<u64>, p: f64) -> f64 {
    if h.is_empty() {
        0.0
    } else {
        h.value_at_quantile(p) as f64
    }
}

fn put_short(f: &mut BTreeMap<String, f64>, name: &str, h: &Histogram<u64>) {
    f.insert(format!("{name}.p50"), q(h, 0.5));
    f.insert(format!("{name}.p99"), q(h, 0.99));
    f.insert(
        format!("{name}.max"),
        if h.is_empty() { 0.0 } else { h.max() as f64 },
    );
}

/// When the last piece of work of a keeping-up secretary should end, seconds after opening.
fn expected_day_s(spec: &Spec, ns_per_unit: f64) -> f64 {
    let work_s = (spec.call_work() + spec.desk_work) as f64 * ns_per_unit / 1e9;
    (spec.duration_us + u64::from(spec.exchanges) * spec.listen_us + spec.patience_us) as f64 / 1e6
        + work_s
}

/// Verifies and classifies one run.
#[must_use]
pub fn record_run(
    out: &RunOutput,
    spec: &Spec,
    reference: &Reference,
    ns_per_unit: f64,
) -> RunRecord {
    let mut rec = RunRecord {
        seed: spec.seed,
        status: Status::Crashed,
        reason: None,
        figures: BTreeMap::new(),
        counters: None,
        digest_ok: false,
        pickup: None,
        reply: None,
        appointment_lateness: None,
    };
    let report = match &out.ending {
        Ending::Timeout(t) => {
            rec.status = Status::Timeout;
            let last = out
                .stderr_tail
                .last()
                .map(|l| format!("; last stderr: {l}"))
                .unwrap_or_default();
            rec.reason = Some(format!(
                "killed after the {:.0} s timeout{last}",
                t.as_secs_f64()
            ));
            return rec;
        }
        Ending::Crashed(why) => {
            rec.reason = Some(why.clone());
            return rec;
        }
        Ending::Report(r) => r,
    };
    let mut problems = Vec::new();
    if report.spec != *spec {
        problems.push("the report's spec differs from the spec sent".to_owned());
    }
    let verdict = verify(report, reference);
    problems.extend(verdict.problems);
    rec.digest_ok = verdict.digest_ok;
    let hist = |name: &str, problems: &mut Vec<String>| {
        report.histogram(name).unwrap_or_else(|e| {
            problems.push(e.to_string());
            empty()
        })
    };
    let pickup = hist("pickup", &mut problems);
    let reply = hist("reply", &mut problems);
    let appt = hist("appointment_lateness", &mut problems);
    let uncorrected = hist("pickup_uncorrected", &mut problems);
    let ring = hist("ring_lateness", &mut problems);
    let timer = hist("timer_lateness", &mut problems);
    let f = &mut rec.figures;
    for (k, p) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p999", 0.999)] {
        f.insert(format!("pickup_us.{k}"), q(&pickup, p));
    }
    f.insert(
        "pickup_us.max".into(),
        if pickup.is_empty() {
            0.0
        } else {
            pickup.max() as f64
        },
    );
    f.insert(
        "pickup_us.mean".into(),
        if pickup.is_empty() {
            0.0
        } else {
            pickup.mean()
        },
    );
    put_short(f, "reply_us", &reply);
    put_short(f, "appointment_lateness_us", &appt);
    put_short(f, "pickup_uncorrected_us", &uncorrected);
    put_short(f, "ring_lateness_us", &ring);
    put_short(f, "timer_lateness_us", &timer);
    let timer_mean = if timer.is_empty() { 0.0 } else { timer.mean() };
    let pickup_mean = if pickup.is_empty() {
        0.0
    } else {
        pickup.mean()
    };
    f.insert("timer_lateness_us.mean".into(), timer_mean);
    f.insert(
        "pickup_wait_us.mean".into(),
        (pickup_mean - timer_mean).max(0.0),
    );
    let u = &out.usage;
    f.insert("wall_s".into(), out.wall_s);
    f.insert("cpu_user_s".into(), u.user_s);
    f.insert("cpu_sys_s".into(), u.sys_s);
    // The strategy's own VmHWM; rusage's ru_maxrss would include the harness's size at fork.
    f.insert(
        "max_rss_kib".into(),
        report.peak_rss_kib.unwrap_or(u.max_rss_kib) as f64,
    );
    f.insert("ctx_voluntary".into(), u.ctx_voluntary as f64);
    f.insert("ctx_involuntary".into(), u.ctx_involuntary as f64);
    f.insert(
        "cpu_per_wall".into(),
        if out.wall_s > 0.0 {
            (u.user_s + u.sys_s) / out.wall_s
        } else {
            0.0
        },
    );
    f.insert("threads_used".into(), report.threads.len() as f64);
    let c = &report.counters;
    let clock_ok = timer.is_empty() || q(&timer, 0.5) <= CLOCK_MEDIAN_LIMIT_US as f64;
    f.insert("clock_ok".into(), if clock_ok { 1.0 } else { 0.0 });
    let missed_share = if c.offered_calls == 0 {
        0.0
    } else {
        c.missed_calls as f64 / c.offered_calls as f64
    };
    let overran = report.day_s > expected_day_s(spec, ns_per_unit) * 1.25 + 0.25;
    (rec.status, rec.reason) = if !problems.is_empty() {
        (Status::Wrong, Some(problems.join("; ")))
    } else if c.start_failures > 0 {
        let why = report.start_error.clone().unwrap_or_default();
        (
            Status::Exhausted,
            Some(format!(
                "could not start {} of {} calls: {why}",
                c.start_failures, c.offered_calls
            )),
        )
    } else if missed_share > SATURATED_MISSED_SHARE {
        (
            Status::Saturated,
            Some(format!("missed {:.1}% of calls", missed_share * 100.0)),
        )
    } else if overran {
        (
            Status::Saturated,
            Some(format!(
                "day overran: work ended {:.2} s after opening",
                report.day_s
            )),
        )
    } else if !clock_ok {
        (
            Status::Invalid,
            Some(format!(
                "own timers late: median {:.0} µs (limit {CLOCK_MEDIAN_LIMIT_US} µs)",
                q(&timer, 0.5)
            )),
        )
    } else {
        (Status::Ok, None)
    };
    rec.counters = Some(c.clone());
    rec.pickup = Some(pickup);
    rec.reply = Some(reply);
    rec.appointment_lateness = Some(appt);
    rec
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Combines a cell's runs into its row and merged histograms.
#[must_use]
pub fn combine(
    strategy: &str,
    scenario: &str,
    cores: usize,
    sweep: Option<String>,
    runs: &[RunRecord],
) -> (Row, CellHistograms) {
    let mut row = Row {
        strategy: strategy.into(),
        scenario: scenario.into(),
        cores,
        sweep,
        runs: runs.len(),
        ..Row::default()
    };
    let worst = runs.iter().max_by_key(|r| r.status);
    row.status = Some(worst.map_or(Status::Crashed, |r| r.status));
    // The worst run's reason; with several runs, say which one (its counts are that run's,
    // the row's counters are totals).
    row.reason = worst.and_then(|r| {
        let why = r.reason.clone()?;
        Some(if runs.len() > 1 {
            format!("seed {}: {why}", r.seed)
        } else {
            why
        })
    });
    row.seeds = runs.iter().map(|r| r.seed).collect();
    row.digest_ok = !runs.is_empty() && runs.iter().all(|r| r.digest_ok);
    let mut med: BTreeMap<String, f64> = BTreeMap::new();
    let keys: std::collections::BTreeSet<&String> =
        runs.iter().flat_map(|r| r.figures.keys()).collect();
    for k in keys {
        let mut v: Vec<f64> = runs
            .iter()
            .filter_map(|r| r.figures.get(k).copied())
            .collect();
        let (lo, hi) = v
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        med.insert(k.clone(), median(&mut v));
        row.ranges.insert(k.clone(), [lo, hi]);
    }
    let g = |k: &str| med.get(k).copied().unwrap_or(0.0);
    let short = |p: &str| ShortUs {
        p50: g(&format!("{p}.p50")),
        p99: g(&format!("{p}.p99")),
        max: g(&format!("{p}.max")),
    };
    row.pickup_us = PickupUs {
        p50: g("pickup_us.p50"),
        p90: g("pickup_us.p90"),
        p99: g("pickup_us.p99"),
        p999: g("pickup_us.p999"),
        max: g("pickup_us.max"),
        mean: g("pickup_us.mean"),
    };
    row.reply_us = short("reply_us");
    row.appointment_lateness_us = short("appointment_lateness_us");
    row.pickup_uncorrected_us = short("pickup_uncorrected_us");
    row.ring_lateness_us = short("ring_lateness_us");
    row.timer_lateness_us = short("timer_lateness_us");
    row.clock_ok = runs
        .iter()
        .all(|r| r.figures.get("clock_ok").is_none_or(|&v| v > 0.5));
    row.pickup_wait_us_mean = g("pickup_wait_us.mean");
    row.wall_s = g("wall_s");
    row.cpu_user_s = g("cpu_user_s");
    row.cpu_sys_s = g("cpu_sys_s");
    row.max_rss_kib = g("max_rss_kib");
    row.ctx_voluntary = g("ctx_voluntary");
    row.ctx_involuntary = g("ctx_involuntary");
    row.cpu_per_wall = g("cpu_per_wall");
    row.threads_used = g("threads_used");
    for c in runs.iter().filter_map(|r| r.counters.as_ref()) {
        row.offered_calls += c.offered_calls;
        row.answered_calls += c.answered_calls;
        row.missed_calls += c.missed_calls;
        row.appointments_done += c.appointments_done;
        row.start_failures += c.start_failures;
    }
    row.missed_share = if row.offered_calls == 0 {
        0.0
    } else {
        row.missed_calls as f64 / row.offered_calls as f64
    };
    let merge = |pick: fn(&RunRecord) -> &Option<Histogram<u64>>| {
        let mut h = empty();
        for r in runs {
            if let Some(x) = pick(r) {
                let _ = h.add(x); // same bounds: cannot fail
            }
        }
        h
    };
    let hists = CellHistograms {
        cell: row.cell_name(),
        pickup: merge(|r| &r.pickup),
        reply: merge(|r| &r.reply),
        appointment_lateness: merge(|r| &r.appointment_lateness),
    };
    (row, hists)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(status: Status, p99: f64, seed: u64) -> RunRecord {
        let mut figures = BTreeMap::new();
        figures.insert("pickup_us.p99".to_owned(), p99);
        RunRecord {
            seed,
            status,
            reason: (status != Status::Ok).then(|| format!("{status:?}")),
            figures,
            counters: Some(workload::record::Counters {
                offered_calls: 10,
                answered_calls: 9,
                missed_calls: 1,
                ..Default::default()
            }),
            digest_ok: true,
            pickup: None,
            reply: None,
            appointment_lateness: None,
        }
    }

    #[test]
    fn median_and_range_across_runs() {
        let runs = [
            rec(Status::Ok, 30.0, 1),
            rec(Status::Ok, 10.0, 2),
            rec(Status::Ok, 20.0, 3),
        ];
        let (row, _) = combine("s", "office", 1, None, &runs);
        assert_eq!(row.pickup_us.p99, 20.0);
        assert_eq!(row.ranges["pickup_us.p99"], [10.0, 30.0]);
        assert_eq!(
            (row.offered_calls, row.answered_calls, row.missed_calls),
            (30, 27, 3)
        );
        assert_eq!(row.seeds, vec![1, 2, 3]);
    }

    #[test]
    fn worst_run_decides_the_status() {
        let runs = [
            rec(Status::Ok, 1.0, 1),
            rec(Status::Crashed, 1.0, 2),
            rec(Status::Saturated, 1.0, 3),
        ];
        let (row, _) = combine("s", "office", 1, None, &runs);
        assert_eq!(row.status, Some(Status::Crashed));
        assert_eq!(row.reason.as_deref(), Some("seed 2: Crashed"));
    }
}
