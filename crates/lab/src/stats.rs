//! From runs to a row: each run is verified and classified, then a cell's runs are combined —
//! figures as the median across runs with [min, max] kept (see `figures`), the maximum as the
//! maximum over runs and p99.9 from the histogram merged over runs, counters as totals (so
//! answered + missed = offered still holds), histograms merged by addition.

use crate::figures::{Figures, Percentiles, RunHistograms, ShortUs, empty_histogram, share};
use crate::row::{CellHistograms, CellKey, Row, Status};
use crate::runner::{Ending, RunOutput};
use hdrhistogram::Histogram;
use std::collections::BTreeMap;
use workload::Spec;
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
    /// `None` when there was no report (crash, timeout, garbage).
    pub figures: Option<Figures>,
    pub counters: Option<workload::record::Counters>,
    pub digest_ok: bool,
    pub hists: Option<RunHistograms>,
    /// The strategy's timer slack as its report gave it, ns.
    pub timer_slack_ns: Option<u64>,
}

/// What a run's status is decided from (a run that left a report).
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    /// Verification problems (digest, accounting, early or late pick-ups, bad histograms).
    pub problems: Vec<String>,
    pub offered_calls: u64,
    /// Calls the strategy could not start (no thread, no coroutine, ...).
    pub start_failures: u64,
    pub start_error: Option<String>,
    pub missed_share: f64,
    /// When its last piece of work ended, seconds after opening, and when a keeping-up
    /// secretary's would have.
    pub day_s: f64,
    pub expected_day_s: f64,
    /// The latest appointment check's lateness (due → done), µs: a desk that fell behind.
    pub appointment_lateness_max_us: f64,
    /// Median lateness of its own timer wake-ups, µs (`None`: it never slept).
    pub timer_p50_us: Option<f64>,
    /// Its timers' mean lateness on an idle day, µs: what its runtime's timers cost anyway
    /// (tokio rounds every deadline up to the next millisecond). 0 when not measured.
    pub idle_timer_us: f64,
    /// Over real lines: why the caller process's measurement is missing or cannot be trusted
    /// (it failed, or it was itself late by more than [`crate::lines::CALLER_LATE_LIMIT_US`]).
    pub caller_problem: Option<String>,
    /// A batch day ([`Spec::is_batch`]: every check due at the opening, no calls): the day
    /// lasts until the last check is done, however long that is, so neither the overrun nor
    /// the desk-behind rule applies (a lost or duplicated check is still `wrong`).
    pub batch: bool,
}

/// The status rules, in precedence order: `wrong` (any verification problem) > `exhausted`
/// (calls it could not start) > `saturated` (missed more than [`SATURATED_MISSED_SHARE`], or
/// the day overran by more than 25 % + 0.25 s, or an appointment was checked later than that
/// tolerance after it fell due: the desk fell behind — neither on a batch day, whose length is
/// its measure) > `invalid` (own timers' median lateness more than [`CLOCK_MEDIAN_LIMIT_US`]
/// beyond what they cost on an idle day) > `ok`. (`crashed` and `timeout` come from the
/// process, before there is any evidence.)
#[must_use]
pub fn classify(e: &Evidence) -> (Status, Option<String>) {
    if !e.problems.is_empty() {
        return (Status::Wrong, Some(e.problems.join("; ")));
    }
    if e.start_failures > 0 {
        let why = e.start_error.clone().unwrap_or_default();
        return (
            Status::Exhausted,
            Some(format!(
                "{} of {} calls not started: {why}",
                e.start_failures, e.offered_calls
            )),
        );
    }
    if e.missed_share > SATURATED_MISSED_SHARE {
        return (
            Status::Saturated,
            Some(format!("missed {:.1}% of calls", e.missed_share * 100.0)),
        );
    }
    if !e.batch && e.day_s > e.expected_day_s * 1.25 + 0.25 {
        return (
            Status::Saturated,
            Some(format!(
                "day overran: work ended {:.2} s after opening",
                e.day_s
            )),
        );
    }
    let desk_limit_s = e.expected_day_s * 0.25 + 0.25;
    if !e.batch && e.appointment_lateness_max_us / 1e6 > desk_limit_s {
        return (
            Status::Saturated,
            Some(format!(
                "desk fell behind: an appointment checked {:.2} s after it fell due (limit {desk_limit_s:.2} s)",
                e.appointment_lateness_max_us / 1e6
            )),
        );
    }
    if let Some(why) = &e.caller_problem {
        return (Status::Invalid, Some(why.clone()));
    }
    let idle = e.idle_timer_us.max(0.0);
    if let Some(p50) = e
        .timer_p50_us
        .filter(|&p| p - idle > CLOCK_MEDIAN_LIMIT_US as f64)
    {
        return (
            Status::Invalid,
            Some(format!(
                "own timers late: median {p50:.0} µs, {:.0} µs beyond their idle lateness (limit {CLOCK_MEDIAN_LIMIT_US} µs)",
                p50 - idle
            )),
        );
    }
    (Status::Ok, None)
}

/// When the last piece of work of a keeping-up secretary should end, seconds after opening.
fn expected_day_s(spec: &Spec, ns_per_unit: f64) -> f64 {
    let work_s = (spec.call_work() + spec.desk_work) as f64 * ns_per_unit / 1e9;
    spec.day_with_calls_us() as f64 / 1e6 + work_s
}

/// Verifies and classifies one run. `idle_timer_us`: the strategy's mean timer lateness on an
/// idle day (see `sweep::idle_spec`), subtracted from the mean pick-up to get the queueing wait
/// the theory predicts.
#[must_use]
pub fn record_run(
    out: &RunOutput,
    spec: &Spec,
    reference: &Reference,
    ns_per_unit: f64,
    idle_timer_us: Option<f64>,
) -> RunRecord {
    let mut rec = RunRecord {
        seed: spec.seed,
        status: Status::Crashed,
        reason: None,
        figures: None,
        counters: None,
        digest_ok: false,
        hists: None,
        timer_slack_ns: None,
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
        Ending::OverMemory { limit_mib, rss_mib } => {
            rec.status = Status::Exhausted;
            rec.reason = Some(format!(
                "memory limit {limit_mib} MiB: killed at {rss_mib} MiB resident"
            ));
            return rec;
        }
        Ending::Exhausted(why) => {
            rec.status = Status::Exhausted;
            rec.reason = Some(why.clone());
            return rec;
        }
        Ending::Report(r) => r,
    };
    let mut problems = Vec::new();
    if report.spec != *spec {
        problems.push(format!(
            "the report's spec differs from the spec sent: {}",
            spec_difference(spec, &report.spec)
        ));
    }
    let verdict = verify(report, reference);
    problems.extend(verdict.problems);
    rec.digest_ok = verdict.digest_ok;
    let mut hists = RunHistograms::from_report(report, &mut problems);
    let mut counters = report.counters.clone();
    // Over real lines the published calls and waits are the caller process's.
    let caller = out.lines.as_ref().map(|l| {
        let word = crate::callers_word::take_callers_word(l, reference, &hists.pickup);
        word.apply(&mut hists, &mut counters);
        problems.extend(word.problems.iter().cloned());
        word
    });
    let mut figures = Figures::from_report(report, &hists, out, idle_timer_us);
    figures.missed_share = share(counters.missed_calls, counters.offered_calls);
    let mut caller_problem = None;
    let mut start_error = report.start_error.clone();
    if let Some(word) = caller {
        caller_problem = crate::callers_word::fill_figures(&word, &mut figures, &mut problems);
        if let Some(e) = word.connect_error {
            counters.start_failures += 1;
            start_error = start_error.or(Some(e));
        }
    }
    let c = &counters;
    let evidence = Evidence {
        problems,
        offered_calls: c.offered_calls,
        start_failures: c.start_failures,
        start_error,
        missed_share: share(c.missed_calls, c.offered_calls),
        day_s: report.day_s,
        expected_day_s: expected_day_s(spec, ns_per_unit),
        appointment_lateness_max_us: hists.appointment_lateness.max() as f64,
        timer_p50_us: (!hists.timer_lateness.is_empty())
            .then(|| hists.timer_lateness.value_at_quantile(0.5) as f64),
        idle_timer_us: idle_timer_us.unwrap_or(0.0),
        caller_problem,
        batch: spec.is_batch(),
    };
    (rec.status, rec.reason) = classify(&evidence);
    rec.counters = Some(c.clone());
    rec.figures = Some(figures);
    rec.hists = Some(hists);
    rec.timer_slack_ns = report.timer_slack_ns;
    rec
}

/// The fields where `got` differs from `sent`, each with both values (`calls_per_s 205.48 sent,
/// 205.48000000000002 reported`).
#[must_use]
pub fn spec_difference(sent: &Spec, got: &Spec) -> String {
    let fields = |s: &Spec| match serde_json::to_value(s) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let (a, b) = (fields(sent), fields(got));
    let diffs: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, v)| {
            let other = b
                .get(k)
                .map_or_else(|| "nothing".to_owned(), ToString::to_string);
            format!("{k} {v} sent, {other} reported")
        })
        .collect();
    if diffs.is_empty() {
        "no field differs in JSON (a value lost in a round trip)".to_owned()
    } else {
        diffs.join("; ")
    }
}

/// Each run's value of the figures claims are decided on, in run order.
fn per_run(figs: &[&Figures]) -> BTreeMap<String, Vec<f64>> {
    let dotted: Vec<BTreeMap<String, f64>> = figs.iter().map(|f| f.dotted()).collect();
    crate::plan::claims::PER_RUN_FIGURES
        .iter()
        .map(|k| {
            let v = dotted.iter().filter_map(|d| d.get(*k).copied()).collect();
            ((*k).to_owned(), v)
        })
        .collect()
}

/// Combines a cell's runs into its row and merged histograms.
#[must_use]
pub fn combine(key: &CellKey, runs: &[RunRecord]) -> (Row, CellHistograms) {
    let worst_status = runs
        .iter()
        .map(|r| r.status)
        .max()
        .unwrap_or(Status::Crashed);
    // The reason quoted is the worst run's: among the runs with the worst status, the one that
    // missed most. With several runs, it names that run's seed (its counts are that run's; the
    // row's counters are totals).
    let missed = |r: &RunRecord| r.figures.as_ref().map_or(0.0, |f| f.missed_share);
    let worst = runs
        .iter()
        .filter(|r| r.status == worst_status)
        .max_by(|a, b| missed(a).total_cmp(&missed(b)));
    let reason = worst.and_then(|r| {
        let why = r.reason.clone()?;
        Some(if runs.len() > 1 {
            format!("run with seed {}: {why}", r.seed)
        } else {
            why
        })
    });
    let figs: Vec<&Figures> = runs.iter().filter_map(|r| r.figures.as_ref()).collect();
    let (mut figures, ranges) = Figures::median_and_ranges(&figs);
    let merge = |pick: fn(&RunHistograms) -> &Histogram<u64>| {
        let mut h = empty_histogram();
        for x in runs.iter().filter_map(|r| r.hists.as_ref()) {
            let _ = h.add(pick(x)); // same bounds: cannot fail
        }
        h
    };
    let pickup = merge(|h| &h.pickup);
    let wait_all = merge(|h| &h.wait_all);
    let reply = merge(|h| &h.reply);
    let appointment_lateness = merge(|h| &h.appointment_lateness);
    // Beyond p99, medians across runs would hide the worst run: the tail comes from every
    // sample of every run, and the maximum is the maximum over runs.
    tail_from_merged(&mut figures.pickup_us, &pickup);
    tail_from_merged(&mut figures.wait_all_us, &wait_all);
    for (short, key) in [
        (&mut figures.reply_us, "reply_us"),
        (
            &mut figures.appointment_lateness_us,
            "appointment_lateness_us",
        ),
        (&mut figures.pickup_uncorrected_us, "pickup_uncorrected_us"),
        (&mut figures.ring_lateness_us, "ring_lateness_us"),
        (&mut figures.timer_lateness_us, "timer_lateness_us"),
    ] {
        max_over_runs(short, ranges.get(&format!("{key}.max")));
    }
    let mut row = Row {
        strategy: key.strategy.clone(),
        lines: key.lines,
        scenario: key.label(),
        preset: Some(key.scenario),
        cores: key.cores,
        sweep: key.sweep.clone(),
        twin: key.twin,
        runs: runs.len(),
        arrangement: key.arrangement,
        status: worst_status,
        reason,
        offered_calls: 0,
        answered_calls: 0,
        missed_calls: 0,
        digest_ok: !runs.is_empty() && runs.iter().all(|r| r.digest_ok),
        figures,
        clock_ok: runs.iter().all(|r| {
            r.figures.as_ref().is_none_or(|f| {
                f.timer_lateness_us.p50 - f.idle_timer_lateness_us <= CLOCK_MEDIAN_LIMIT_US as f64
            })
        }),
        appointments_done: 0,
        start_failures: 0,
        samples: pickup.len(),
        timer_slack_ns: runs.iter().find_map(|r| r.timer_slack_ns),
        seeds: runs.iter().map(|r| r.seed).collect(),
        ranges,
        per_run: per_run(&figs),
        prediction: None,
        measured_over_predicted: None,
    };
    for c in runs.iter().filter_map(|r| r.counters.as_ref()) {
        row.offered_calls += c.offered_calls;
        row.answered_calls += c.answered_calls;
        row.missed_calls += c.missed_calls;
        row.appointments_done += c.appointments_done;
        row.start_failures += c.start_failures;
    }
    row.figures.missed_share = share(row.missed_calls, row.offered_calls);
    let hists = CellHistograms {
        cell: row.cell_name(),
        pickup,
        wait_all,
        reply,
        appointment_lateness,
    };
    (row, hists)
}

fn tail_from_merged(p: &mut Percentiles, merged: &Histogram<u64>) {
    if !merged.is_empty() {
        let all = Percentiles::of(merged);
        p.p999 = all.p999;
        p.max = all.max;
    }
}

fn max_over_runs(s: &mut ShortUs, range: Option<&[f64; 2]>) {
    if let Some(&[_, hi]) = range {
        s.max = hi;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use workload::Scenario;
    use workload::spec::Lines;

    #[test]
    fn a_row_carries_the_typed_cell_it_ran_and_is_labelled_from_it() {
        let key = CellKey {
            lines: Lines::Tcp,
            sweep: Some("calls-per-s=80".into()),
            ..CellKey::new("threads", Scenario::Office, 2)
        };
        let (row, h) = combine(&key, &[]);
        assert_eq!(row.preset, Some(Scenario::Office));
        assert_eq!(
            row.lines,
            Lines::Tcp,
            "real-line days are never labelled simulated"
        );
        assert_eq!(row.scenario, "office-tcp");
        assert_eq!(h.cell, "office-tcp-threads-2c-calls-per-s-80");
    }

    fn rec(status: Status, p99: f64, seed: u64, missed: u64) -> RunRecord {
        RunRecord {
            seed,
            status,
            reason: (status != Status::Ok).then(|| format!("{status:?}")),
            figures: Some(Figures {
                pickup_us: Percentiles {
                    p99,
                    ..Percentiles::default()
                },
                reply_us: ShortUs {
                    max: p99 * 2.0,
                    ..ShortUs::default()
                },
                missed_share: missed as f64 / 10.0,
                ..Figures::default()
            }),
            counters: Some(workload::record::Counters {
                offered_calls: 10,
                answered_calls: 10 - missed,
                missed_calls: missed,
                ..Default::default()
            }),
            digest_ok: true,
            hists: None,
            timer_slack_ns: None,
        }
    }

    #[test]
    fn median_and_range_across_runs_max_over_runs() {
        let runs = [
            rec(Status::Ok, 30.0, 1, 1),
            rec(Status::Ok, 10.0, 2, 1),
            rec(Status::Ok, 20.0, 3, 1),
        ];
        let (row, _) = combine(&CellKey::new("s", Scenario::Office, 1), &runs);
        assert_eq!(row.figures.pickup_us.p99, 20.0);
        assert_eq!(row.ranges["pickup_us.p99"], [10.0, 30.0]);
        assert_eq!(
            row.figures.reply_us.max, 60.0,
            "the max of a row is over its runs"
        );
        assert_eq!(
            (row.offered_calls, row.answered_calls, row.missed_calls),
            (30, 27, 3)
        );
        assert_eq!(row.seeds, vec![1, 2, 3]);
        assert!(row.ranges.contains_key("missed_share"));
    }

    #[test]
    fn the_reason_quotes_the_worst_run_of_the_worst_status() {
        let runs = [
            rec(Status::Ok, 1.0, 1, 0),
            rec(Status::Saturated, 1.0, 2, 2),
            rec(Status::Saturated, 1.0, 3, 7),
            rec(Status::Saturated, 1.0, 4, 3),
        ];
        let (row, _) = combine(&CellKey::new("s", Scenario::Office, 1), &runs);
        assert_eq!(row.status, Status::Saturated);
        assert_eq!(row.reason.as_deref(), Some("run with seed 3: Saturated"));
        assert!(
            (row.figures.missed_share - 12.0 / 40.0).abs() < 1e-12,
            "totals"
        );
        let runs = [
            rec(Status::Saturated, 1.0, 1, 9),
            rec(Status::Crashed, 1.0, 2, 0),
        ];
        let (row, _) = combine(&CellKey::new("s", Scenario::Office, 1), &runs);
        assert_eq!(row.status, Status::Crashed);
        assert_eq!(row.reason.as_deref(), Some("run with seed 2: Crashed"));
    }

    fn fine() -> Evidence {
        Evidence {
            offered_calls: 100,
            day_s: 1.0,
            expected_day_s: 1.0,
            timer_p50_us: Some(50.0),
            ..Evidence::default()
        }
    }

    #[test]
    fn each_status_rule() {
        assert_eq!(classify(&fine()), (Status::Ok, None));
        let wrong = Evidence {
            problems: vec!["digest differs".into()],
            ..fine()
        };
        assert_eq!(classify(&wrong).0, Status::Wrong);
        let exhausted = Evidence {
            start_failures: 3,
            start_error: Some("no threads".into()),
            ..fine()
        };
        let (st, why) = classify(&exhausted);
        assert_eq!(st, Status::Exhausted);
        assert!(
            why.unwrap()
                .contains("3 of 100 calls not started: no threads")
        );
        let missed = Evidence {
            missed_share: 0.02,
            ..fine()
        };
        assert_eq!(classify(&missed).0, Status::Saturated);
        let at_limit = Evidence {
            missed_share: SATURATED_MISSED_SHARE,
            ..fine()
        };
        assert_eq!(classify(&at_limit).0, Status::Ok);
        let overran = Evidence {
            day_s: 2.0,
            ..fine()
        };
        assert!(classify(&overran).1.unwrap().contains("overran"));
        let desk_behind = Evidence {
            appointment_lateness_max_us: 600_000.0,
            ..fine()
        };
        let (st, why) = classify(&desk_behind);
        assert_eq!(st, Status::Saturated);
        assert!(why.unwrap().contains("desk fell behind"));
        let desk_fine = Evidence {
            appointment_lateness_max_us: 400_000.0,
            ..fine()
        };
        assert_eq!(classify(&desk_fine).0, Status::Ok, "within 25 % + 0.25 s");
        let late = Evidence {
            timer_p50_us: Some(1_500.0),
            ..fine()
        };
        assert_eq!(classify(&late).0, Status::Invalid);
        let never_slept = Evidence {
            timer_p50_us: None,
            ..fine()
        };
        assert_eq!(classify(&never_slept).0, Status::Ok);
        // A runtime whose timers are a millisecond late even when idle (tokio) is not a noisy
        // machine: only lateness beyond its own idle lateness counts.
        let coarse_timers = Evidence {
            timer_p50_us: Some(1_500.0),
            idle_timer_us: 1_000.0,
            ..fine()
        };
        assert_eq!(classify(&coarse_timers).0, Status::Ok);
        let coarse_and_late = Evidence {
            timer_p50_us: Some(2_100.0),
            idle_timer_us: 1_000.0,
            ..fine()
        };
        assert_eq!(classify(&coarse_and_late).0, Status::Invalid);
    }

    #[test]
    fn a_batch_day_that_lasts_until_its_last_check_is_ok_unless_it_lost_one() {
        // month-end on one core: 50 checks of 10 ms all due at the opening; the nominal day is
        // 0.1 s, the last check starts ~0.49 s after it fell due and the day ends at ~0.5 s.
        let batch = Evidence {
            offered_calls: 0,
            missed_share: 0.0,
            day_s: 2.5,
            expected_day_s: 0.11,
            appointment_lateness_max_us: 2_400_000.0,
            timer_p50_us: None,
            batch: true,
            ..Evidence::default()
        };
        assert_eq!(classify(&batch), (Status::Ok, None));
        // The same evidence on a day that is not a batch is a desk that fell behind.
        let not_batch = Evidence {
            batch: false,
            ..batch.clone()
        };
        assert_eq!(classify(&not_batch).0, Status::Saturated);
        // A check lost or done twice is still wrong.
        let lost = Evidence {
            problems: vec!["appointments: 49 done of 50 offered".into()],
            ..batch.clone()
        };
        assert_eq!(classify(&lost).0, Status::Wrong);
        // And its own timers are still judged.
        let late = Evidence {
            timer_p50_us: Some(5_000.0),
            ..batch
        };
        assert_eq!(classify(&late).0, Status::Invalid);
    }

    #[test]
    fn status_precedence() {
        let all = Evidence {
            problems: vec!["x".into()],
            start_failures: 1,
            missed_share: 0.5,
            day_s: 9.0,
            timer_p50_us: Some(9_999.0),
            ..fine()
        };
        assert_eq!(classify(&all).0, Status::Wrong);
        let no_problem = Evidence {
            problems: vec![],
            ..all.clone()
        };
        assert_eq!(classify(&no_problem).0, Status::Exhausted);
        let started = Evidence {
            start_failures: 0,
            ..no_problem
        };
        assert_eq!(
            classify(&started).0,
            Status::Saturated,
            "saturated outranks invalid"
        );
        let kept_up = Evidence {
            missed_share: 0.0,
            day_s: 1.0,
            ..started
        };
        assert_eq!(classify(&kept_up).0, Status::Invalid);
        // The order of the enum is the order of badness a row takes its status from.
        assert!(Status::Ok < Status::Invalid && Status::Invalid < Status::Saturated);
        assert!(Status::Saturated < Status::Exhausted && Status::Exhausted < Status::Wrong);
        assert!(Status::Wrong < Status::Crashed && Status::Crashed < Status::Timeout);
    }
}
