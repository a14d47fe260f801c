//! The caller's word on a day over real lines: the caller process's record checked against
//! the reference and put in place of the strategy's own figures, and the two rules it decides —
//! a strategy whose own pick-ups are far kinder than the caller's is `wrong` (the liar rule),
//! and a caller that fell behind its schedule makes the run `invalid`.

use crate::figures::{Figures, RunHistograms, ShortUs};
use crate::lines::LinesRun;
use workload::record::Counters;
use workload::reference::Reference;

/// A ring whose median went out later than this after its schedule makes the run `invalid`:
/// the caller, not the strategy, set the pace.
pub const CALLER_LATE_LIMIT_US: f64 = 1_000.0;
/// A strategy whose own pick-up p99 is below half the caller's is `wrong` (it grades itself
/// kindly) — only when the gap is also more than this plus the caller's own lateness p99 in
/// that run. An honest strategy's own figure and the caller's differ by loopback transit, clock
/// granularity and — measured — by the scheduler: on one core a strategy's other thread (a
/// desk pool, a timer thread) can preempt the one that timed a pick-up before it writes the
/// hello. Over 375 honest real-line days judged in the soak of 2026-12-07 (every strategy,
/// office over tcp on 1 core, the caller on a CPU of its own) the caller's p99 exceeded the
/// strategy's own by up to 2.5 ms, and with a 1 ms floor one honest hybrid day was flagged
/// (own 438 µs, caller 2,929 µs). 10 ms is four times that largest honest gap and a third of
/// the test liars' 30 ms lie: the rule catches a lie of ≥ 10 ms on ≥ 1 % of the calls, and
/// says nothing about smaller ones.
pub const LIAR_FLOOR_US: f64 = 10_000.0;

/// The caller process's record of a run, checked against the reference: what replaces the
/// strategy's own figures, and what is wrong with it.
#[derive(Debug)]
pub struct CallersWord {
    /// The caller's pick-up, reply and every-caller histograms (µs), to replace the strategy's
    /// (`None`: no report from the caller; the strategy's stay).
    pub heard: Option<Heard>,
    /// What the caller's record shows wrong: accounting, broken lines, values heard.
    pub problems: Vec<String>,
    /// The strategy's own pick-up histogram (µs), kept beside the caller's.
    pub self_pickup: hdrhistogram::Histogram<u64>,
    /// The caller's lateness (µs), if it reported.
    pub lateness: Option<hdrhistogram::Histogram<u64>>,
    pub peak_connections: u64,
    pub never_connected: u64,
    /// Why the caller's measurement is missing.
    pub failed: Option<String>,
    /// A connection the caller could not open for lack of a resource (descriptors).
    pub connect_error: Option<String>,
    /// The caller ran on the strategy's CPUs (none of its own was left).
    pub shared_cpus: bool,
}

/// What the callers heard: their histograms and counts.
#[derive(Debug)]
pub struct Heard {
    pub pickup: hdrhistogram::Histogram<u64>,
    pub reply: hdrhistogram::Histogram<u64>,
    pub wait_all: hdrhistogram::Histogram<u64>,
    pub answered: u64,
    /// Missed and broken calls.
    pub missed: u64,
}

impl CallersWord {
    /// The run's histograms and counts with the caller's in place of the strategy's.
    pub fn apply(&self, hists: &mut RunHistograms, counters: &mut Counters) {
        if let Some(h) = &self.heard {
            hists.pickup.clone_from(&h.pickup);
            hists.reply.clone_from(&h.reply);
            hists.wait_all.clone_from(&h.wait_all);
            counters.answered_calls = h.answered;
            counters.missed_calls = h.missed;
        }
    }
}

fn hex(s: &str) -> Option<u64> {
    u64::from_str_radix(s, 16).ok()
}

/// The caller's record of a day over real lines (`own_pickup`: the strategy's own pick-up
/// histogram), checked against the reference: every call accounted for, the values heard
/// equal to the reference's, no line broken after a pick-up.
#[must_use]
pub fn take_callers_word(
    lines: &LinesRun,
    reference: &Reference,
    own_pickup: &hdrhistogram::Histogram<u64>,
) -> CallersWord {
    let mut problems = Vec::new();
    let mut word = CallersWord {
        heard: None,
        problems: Vec::new(),
        self_pickup: own_pickup.clone(),
        lateness: None,
        peak_connections: 0,
        never_connected: 0,
        failed: None,
        connect_error: None,
        shared_cpus: lines.shared_cpus,
    };
    let cr = match &lines.caller {
        Ok(cr) => cr,
        Err(why) => {
            word.failed = Some(format!("no measurement by the caller process: {why}"));
            return word;
        }
    };
    let mut hist = |name: &str| {
        cr.histograms
            .get(name)
            .ok_or_else(|| format!("the caller's report has no '{name}' histogram"))
            .and_then(|b64| {
                workload::protocol::decode_histogram(name, b64).map_err(|e| e.to_string())
            })
            .unwrap_or_else(|e| {
                problems.push(e);
                crate::figures::empty_histogram()
            })
    };
    let (pickup, reply, wait_all) = (hist("pickup"), hist("reply"), hist("wait_all"));
    word.lateness = Some(hist("lateness"));
    word.peak_connections = cr.peak_connections;
    word.never_connected = cr.never_connected;
    word.connect_error.clone_from(&cr.connect_error);
    let offered = reference.offered_calls();
    if cr.offered != offered || cr.answered + cr.missed + cr.broken != offered {
        problems.push(format!(
            "the caller's accounting: {} answered + {} missed + {} broken of {} offered (schedule: {offered})",
            cr.answered, cr.missed, cr.broken, cr.offered
        ));
    }
    if let Some((id, why)) = cr.broken_examples.first() {
        problems.push(format!(
            "{} calls broke after the pick-up (call {id}: {why})",
            cr.broken
        ));
    }
    let unheard = cr.missed_ids.iter().chain(&cr.broken_ids);
    let expected = (0..offered as u32)
        .filter_map(|id| reference.call(id))
        .fold(0u64, u64::wrapping_add);
    let expected = unheard
        .filter_map(|&id| reference.call(id))
        .fold(expected, u64::wrapping_sub);
    if hex(&cr.digest) != Some(expected) {
        problems.push(format!(
            "the callers heard values that differ from the reference (digest {} vs {expected:016x})",
            cr.digest
        ));
    }
    word.heard = Some(Heard {
        pickup,
        reply,
        wait_all,
        answered: cr.answered,
        missed: cr.missed + cr.broken,
    });
    word.problems = problems;
    word
}

/// Fills the figures only tcp rows have; pushes a problem when the strategy graded itself
/// kindly — judged only where the caller had CPUs of its own: sharing the strategy's, its
/// reading of a hello waits behind the strategy's threads for a scheduler slice, which the
/// rule cannot tell from a lie (an honest green 2-core day came within 2 µs of the line) —
/// and returns why the run is `invalid` (no caller's measurement, or a late caller).
pub fn fill_figures(
    word: &CallersWord,
    figures: &mut Figures,
    problems: &mut Vec<String>,
) -> Option<String> {
    figures.self_pickup_us = ShortUs::of(&word.self_pickup);
    if let Some(l) = &word.lateness {
        figures.caller_lateness_us = ShortUs::of(l);
    }
    figures.peak_connections = word.peak_connections as f64;
    figures.never_connected = word.never_connected as f64;
    figures.caller_shares_cpus = if word.shared_cpus { 1.0 } else { 0.0 };
    if word.failed.is_some() {
        return word.failed.clone();
    }
    let (own, theirs) = (figures.self_pickup_us.p99, figures.pickup_us.p99);
    let allowance = LIAR_FLOOR_US + figures.caller_lateness_us.p99;
    if !word.shared_cpus && own < theirs / 2.0 && theirs - own > allowance {
        problems.push(format!(
            "grades itself kindly: its own pick-up p99 {own:.0} µs, the caller measured {theirs:.0} µs \
             (below half, and {:.0} µs apart: more than the {allowance:.0} µs that transit, \
             scheduling and the caller's own lateness p99 explain)",
            theirs - own
        ));
    }
    let late = figures.caller_lateness_us.p50;
    (late > CALLER_LATE_LIMIT_US).then(|| {
        format!(
            "the caller was late: its median ring went out {late:.0} µs after the schedule (limit \
             {CALLER_LATE_LIMIT_US:.0} µs): the caller, not the strategy, set the pace"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word() -> CallersWord {
        CallersWord {
            heard: None,
            problems: Vec::new(),
            self_pickup: crate::figures::empty_histogram(),
            lateness: None,
            peak_connections: 3,
            never_connected: 0,
            failed: None,
            connect_error: None,
            shared_cpus: false,
        }
    }

    /// Figures with the caller's pick-up p99 and lateness p99 and the strategy's own p99.
    fn judged(own: u64, caller_p99: f64, caller_late_p99: f64) -> (Vec<String>, Option<String>) {
        let mut w = word();
        let _ = w.self_pickup.record_n(own, 100);
        let mut late = crate::figures::empty_histogram();
        let _ = late.record_n(20, 98);
        let _ = late.record_n(caller_late_p99 as u64, 2);
        w.lateness = Some(late);
        let mut f = Figures::default();
        f.pickup_us.p99 = caller_p99;
        let mut problems = Vec::new();
        let invalid = fill_figures(&w, &mut f, &mut problems);
        assert_eq!(f.peak_connections, 3.0);
        assert_eq!(f.self_pickup_us, ShortUs::of(&w.self_pickup));
        (problems, invalid)
    }

    #[test]
    fn a_liar_is_wrong_and_an_honest_strategy_beside_a_slow_caller_is_not() {
        // 30 ms late hellos reported on time: wrong, with both figures.
        let (p, _) = judged(700, 31_000.0, 1_000.0);
        assert!(
            p[0].contains("grades itself kindly") && p[0].contains("700"),
            "{p:?}"
        );
        // The caller sharing a busy strategy's CPUs: its wake-ups 1.1 ms late at p99 explain a
        // 1.7 ms gap (the reference run's threads on 2 cores).
        let (p, _) = judged(674, 2_385.0, 1_100.0);
        assert!(p.is_empty(), "{p:?}");
        // Below half but within transit: not a lie.
        let (p, _) = judged(100, 400.0, 50.0);
        assert!(p.is_empty(), "{p:?}");
        // The soak's honest hybrid day on 1 core (its desk thread preempted the phone's
        // between the pick-up and the hello): flagged under a 1 ms floor, not a lie.
        let (p, _) = judged(438, 2_929.0, 83.0);
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn a_caller_on_the_strategys_own_cpus_is_not_a_judge() {
        let mut w = word();
        w.shared_cpus = true;
        let _ = w.self_pickup.record_n(700, 100);
        let mut f = Figures::default();
        f.pickup_us.p99 = 31_000.0;
        let mut problems = Vec::new();
        let _ = fill_figures(&w, &mut f, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(f.caller_shares_cpus, 1.0);
    }

    #[test]
    fn a_late_or_missing_caller_makes_the_run_invalid() {
        let mut w = word();
        let mut late = crate::figures::empty_histogram();
        let _ = late.record_n(1_500, 10);
        w.lateness = Some(late);
        let mut f = Figures::default();
        let why = fill_figures(&w, &mut f, &mut Vec::new()).expect("invalid");
        assert!(why.contains("the caller was late"), "{why}");
        w.failed = Some("no measurement by the caller process: boom".into());
        let why = fill_figures(&w, &mut f, &mut Vec::new()).expect("invalid");
        assert!(why.contains("boom"), "{why}");
    }
}
