//! The conformance check every strategy crate runs from its own tests: a few tiny days
//! (light load, impatient callers, desk only, calls without exchanges), each verified
//! against the reference — digest correct, every call accounted for, nobody picked up
//! after hanging up, histograms filled where there was something to measure.

use crate::entry::{RunFn, run_in_process};
use crate::office::Office;
use crate::protocol::Report;
use crate::reference::{Reference, verify};
use crate::spec::{Arrivals, Scenario, Spec};

/// The tiny specs, each well under half a second.
#[must_use]
pub fn tiny_specs() -> Vec<(&'static str, Spec)> {
    let light = Spec {
        seed: 11,
        duration_us: 300_000,
        calls_per_s: 150.0,
        exchanges: 2,
        listen_us: 1_000,
        pickup_work: 10,
        reply_work: 20,
        patience_us: 100_000,
        appointments_per_s: 20.0,
        appointment_arrivals: Arrivals::Periodic,
        desk_work: 500,
        chunk: 50,
    };
    vec![
        ("light", light.clone()),
        (
            "impatient",
            Spec {
                seed: 12,
                patience_us: 0,
                calls_per_s: 300.0,
                ..light.clone()
            },
        ),
        (
            "desk-only",
            Spec {
                seed: 13,
                calls_per_s: 0.0,
                appointments_per_s: 60.0,
                desk_work: 1_000,
                chunk: 7,
                appointment_arrivals: Arrivals::Poisson,
                ..light.clone()
            },
        ),
        (
            "no-exchanges",
            Spec {
                seed: 14,
                exchanges: 0,
                appointments_per_s: 0.0,
                ..light.clone()
            },
        ),
        (
            "office-slice",
            Spec {
                seed: 15,
                duration_us: 250_000,
                ..Scenario::Office.spec()
            },
        ),
    ]
}

/// Runs `run` on every tiny spec with `cores` cores and panics with a precise message on the
/// first problem. Returns the reports for further, strategy-specific checks.
pub fn check_strategy(name: &str, run: RunFn, cores: usize) -> Vec<(&'static str, Report)> {
    let mut out = Vec::new();
    for (label, spec) in tiny_specs() {
        let reference = Reference::compute(&spec);
        let office = Office::new(spec, None).unwrap_or_else(|e| panic!("{label}: {e}"));
        let (report, _) = run_in_process(name, run, &office, cores);
        let verdict = verify(&report, &reference);
        assert!(
            verdict.ok(),
            "{name} on '{label}' with {cores} cores: {}",
            verdict.problems.join("; ")
        );
        let c = &report.counters;
        if c.answered_calls > 0 {
            let h = report.histogram("pickup").unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                h.len(),
                c.answered_calls,
                "{name} '{label}': pick-up histogram"
            );
        }
        if c.offered_appointments > 0 {
            let h = report
                .histogram("appointment_lateness")
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                h.len(),
                c.offered_appointments,
                "{name} '{label}': appointment histogram empty"
            );
        }
        assert!(
            report.peak_rss_kib.is_some(),
            "{name} '{label}': no peak RSS in the report"
        );
        if label == "impatient" {
            assert_eq!(
                c.answered_calls, 0,
                "{name}: patience 0 µs, yet calls were answered"
            );
        }
        out.push((label, report));
    }
    out
}
