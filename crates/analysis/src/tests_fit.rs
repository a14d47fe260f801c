//! The measured side of the theory: the delivery delay, the inputs read off timelines, a row's
//! prediction ([`lab::predict::predict_row`]) and the findings' sentences on the fit — on synthetic
//! rows and spans, no timing.

use crate::fit::{fit_findings, fit_gap};
use lab::fixtures::sample_results;
use lab::predict::{Measured, desk_switch_us, desk_unit_ns, measured_inputs, predict_row};
use lab::row::{Row, TimelineRun};
use theory::delivery_delay_us;
use workload::protocol::Timeline;
use workload::record::{Doing, Span};
use workload::{Arrangement, Scenario, Spec};

#[test]
fn delivery_delay_is_the_smaller_of_idle_lateness_and_median_pickup() {
    assert_eq!(delivery_delay_us(125.0, 45.0), 45.0);
    assert_eq!(delivery_delay_us(60.0, 80.0), 60.0);
    assert_eq!(delivery_delay_us(0.0, 45.0), 0.0); // no idle day: nothing taken out
    assert_eq!(delivery_delay_us(60.0, f64::NAN), 60.0);
}

/// `n` checks of `per` chunks, each chunk `chunk_us` long with `gap_us` between two chunks of
/// one check, and a call step after every check.
fn spans(n: u32, per: u32, chunk_us: u64, gap_us: u64) -> Vec<Span> {
    let mut out = Vec::new();
    let mut t = 0u64;
    let span = |doing, id, start: u64, len: u64| Span {
        thread: 0,
        cpu: 0,
        doing,
        id,
        start_ns: start * 1_000,
        end_ns: (start + len) * 1_000,
    };
    for id in 0..n {
        for _ in 0..per {
            out.push(span(Doing::Desk, id, t, chunk_us));
            t += chunk_us + gap_us;
        }
        out.push(span(Doing::Phone, id, t + 50, 20)); // not a gap between chunks
        t += 1_000;
    }
    out
}

#[test]
fn unit_time_and_switch_overhead_come_off_the_timelines() {
    let s = spans(10, 5, 100, 2);
    assert_eq!(desk_unit_ns(&s, 100), Some(1_000.0));
    assert_eq!(desk_unit_ns(&s, 50), Some(2_000.0));
    assert_eq!(desk_switch_us(&s), Some(2.0)); // gaps across checks and calls left out
    // Too few spans for a median: nothing measured.
    let few = spans(2, 5, 100, 2);
    assert_eq!(desk_unit_ns(&few, 100), None);
    assert_eq!(desk_switch_us(&few), None);
    let run = |strategy: &str, cores, spans: Vec<Span>| TimelineRun {
        strategy: strategy.into(),
        scenario: "office".into(),
        cores,
        rings_us: Vec::new(),
        dues_us: Vec::new(),
        timeline: Timeline {
            from_us: 0,
            len_us: 1_000_000,
            spans,
        },
        threads: Vec::new(),
    };
    let m = measured_inputs(
        &[
            run("a", 1, spans(10, 5, 100, 2)),
            run("b", 1, spans(10, 5, 120, 4)),
            run("c", 2, spans(10, 5, 500, 9)), // 2 cores: not the 1-core desk
        ],
        100,
    );
    assert!(
        m.unit_ns.is_some_and(|u| (1_000.0..=1_200.0).contains(&u)),
        "{m:?}"
    );
    assert_eq!(m.switch_us.get("a"), Some(&2.0));
    assert_eq!(m.switch_us.get("b"), Some(&4.0));
    assert_eq!(m.switch_us.get("c"), None);
    assert_eq!(measured_inputs(&[], 100), Measured::default());
}

/// A 1-core row of a cooperative strategy looking at its timers every `budget` polls, with
/// the given mean and median pick-up and idle-day lateness.
fn row(budget: Option<u32>, mean: f64, p50: f64, idle: f64) -> Row {
    let mut r = sample_results().rows[2].clone();
    assert_eq!(r.cores, 1);
    r.strategy = "coop".into();
    r.scenario = "office".into();
    r.status = lab::row::Status::Ok;
    r.arrangement = Some(Arrangement::one_cooperative(budget)); // None: a timer thread
    r.figures.pickup_us.mean = mean;
    r.figures.pickup_us.p50 = p50;
    r.figures.idle_timer_lateness_us = idle;
    lab::fixtures::set_ranges(&mut r, 0.02);
    r
}

fn office(chunk: u64) -> Spec {
    Spec {
        chunk,
        ..Scenario::Office.spec_for(1_000.0)
    }
}

#[test]
fn a_row_is_predicted_beyond_its_delivery_delay() {
    let mut r = row(Some(200), 300.0, 50.0, 120.0);
    predict_row(&mut r, &office(100), 1_000.0, &Measured::default());
    let p = r.prediction.clone().expect("a prediction");
    let w = p.mean_pickup_wait_us.expect("not saturated");
    assert_eq!(p.delivery_us, 50.0);
    assert_eq!(p.measured_wait_us(300.0), 250.0);
    assert!((r.measured_over_predicted.unwrap() - 250.0 / w).abs() < 1e-9);
    assert!(p.note.contains("calibrated 1000 ns"), "{}", p.note);
    // The timelines say a unit took 800 ns: every piece of desk work shorter, W0 ~ 0.64×.
    let faster = Measured {
        unit_ns: Some(800.0),
        ..Measured::default()
    };
    predict_row(&mut r, &office(100), 1_000.0, &faster);
    let w2 = r.prediction.as_ref().unwrap().mean_pickup_wait_us.unwrap();
    assert!(w2 > 0.55 * w && w2 < 0.72 * w, "{w2} vs {w}");
    // A prediction below the delivery delay gets no ratio (tokio's millisecond timers).
    let mut slow_timers = row(Some(200), 1_100.0, 1_000.0, 1_200.0);
    predict_row(&mut slow_timers, &office(10), 1_000.0, &Measured::default());
    assert!(slow_timers.prediction.is_some());
    assert_eq!(slow_timers.measured_over_predicted, None);
}

/// `r` predicted, then its mean pick-up set so that measured / predicted is `ratio`.
fn at_ratio(mut r: Row, spec: &Spec, ratio: f64, spread: f64) -> Row {
    predict_row(&mut r, spec, 1_000.0, &Measured::default());
    let p = r.prediction.clone().unwrap();
    r.figures.pickup_us.mean = p.delivery_us + ratio * p.mean_pickup_wait_us.unwrap();
    lab::fixtures::set_ranges(&mut r, spread);
    predict_row(&mut r, spec, 1_000.0, &Measured::default());
    assert!((r.measured_over_predicted.unwrap() - ratio).abs() < 1e-6);
    r
}

#[test]
fn findings_say_which_assumption_broke() {
    let spec = office(100);
    // Close enough: no sentence.
    let near = at_ratio(row(Some(200), 0.0, 40.0, 60.0), &spec, 1.1, 0.01);
    assert_eq!(fit_gap(&near), None);
    // Between every-yield and the declared budget.
    let between = at_ratio(row(Some(200), 0.0, 40.0, 60.0), &spec, 0.3, 0.01);
    let s = fit_gap(&between).expect("a sentence");
    assert!(
        s.contains("beyond its delivery delay of 40 µs")
            && s.contains("0.30× the predicted")
            && s.contains("more often than its budget"),
        "{s}"
    );
    // A timer thread on one core, above the model.
    let thread = at_ratio(
        row(None, 0.0, 40.0, 60.0),
        &Spec {
            chunk: 2_000,
            ..spec.clone()
        },
        3.0,
        0.01,
    );
    let s = fit_gap(&thread).expect("a sentence");
    assert!(
        s.contains("thread of its own") && s.contains("3.00×"),
        "{s}"
    );
    // Looking at every yield, below the model.
    let below = at_ratio(
        row(Some(1), 0.0, 30.0, 60.0),
        &Spec {
            chunk: 2_000,
            ..spec.clone()
        },
        0.4,
        0.01,
    );
    let s = fit_gap(&below).expect("a sentence");
    assert!(s.contains("below the model"), "{s}");
    // Runs so far apart that the prediction lies among them.
    let spread = at_ratio(
        row(Some(1), 0.0, 30.0, 60.0),
        &Spec {
            chunk: 2_000,
            ..spec.clone()
        },
        0.6,
        0.5,
    );
    let s = fit_gap(&spread).expect("a sentence");
    assert!(s.contains("within its runs' range"), "{s}");
    // The summary: one of five within 1.5×, none at load ≥ 0.3.
    let rows = vec![near, between, thread, below, spread];
    let f = fit_findings(&rows).join("\n");
    assert!(
        f.contains("1 of 5 rows with a ratio within 1.5×") && f.contains("none at load ≥ 0.3"),
        "{f}"
    );
    assert!(fit_findings(&sample_results().rows).is_empty());
}
