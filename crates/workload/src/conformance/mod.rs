//! The conformance checks every strategy crate runs from its own tests: a few tiny days
//! (light load, impatient callers, desk only, a batch of checks all due at the opening, calls
//! without exchanges), each verified against the reference — digest correct, every call
//! accounted for, nobody picked up after hanging up, the latest check done within the day,
//! histograms filled where there was something to measure — also over real loopback lines; a
//! check of the strategy's declared arrangement against the threads that did the work (and,
//! for one secretary on the thread that called `run`, that thread); and
//! [`check_primitives`], the shape of its `--primitives` figures (the figures themselves are
//! the harness's to report, never a test's to judge).
//!
//! A strategy crate does not call them one by one: [`strategy_tests!`] writes its `#[test]`
//! functions from its name and paths. Its whole `tests/conformance.rs`, under a `//!` line
//! saying what it checks:
//!
//! ```
//! # mod strategy_mine {
//! #     use workload::{Arrangement, Logbook, Office, Primitives, PrimitivesSpec};
//! #     pub const ARRANGEMENT: Arrangement = Arrangement::SEQUENTIAL;
//! #     pub fn run(_: &Office, _: usize) -> Logbook { unimplemented!() }
//! #     pub fn primitives(_: &PrimitivesSpec, _: usize) -> Primitives { unimplemented!() }
//! # }
//! workload::conformance::strategy_tests! {
//!     name: "mine",
//!     run: strategy_mine::run,
//!     arrangement: strategy_mine::ARRANGEMENT,
//!     primitives: strategy_mine::primitives,
//! }
//! # fn main() {}
//! ```
//!
//! That is the conformance, declared-arrangement and real-line checks on 1 and 2 cores, and
//! the primitives' shape on 1 core. Optional, in this order after `primitives`:
//! - `cores: [1, 2]`: the core counts of the day checks (a runtime whose settings are fixed
//!   per process, like may's workers, gets one test file per core count: see
//!   `strategy-green`'s `tests/conformance_1core.rs` and `tests/conformance_2cores.rs`);
//! - `primitives_on: [1 lacking ["round_trip"], 2]`: the core counts of the primitives check,
//!   each with the primitives the arrangement lacks there (`spawn_join`, `round_trip`,
//!   `idle_memory`; none where `lacking` is left out); `[]` for none;
//! - `on_calling_thread: true`: a secretary that claims to be ONE secretary on the thread
//!   that called `run` proves it on each core count ([`check_on_calling_thread`]).
//!
//! The tests come out as `conformance::on_1_core::conforms`, `…::declared_arrangement_holds`,
//! `…::conforms_over_tcp`, `…::runs_on_the_calling_thread`, `conformance::on_2_cores::…`, and
//! `primitives::on_1_core::every_figure_or_a_reason`: one macro call is a whole test file.
//!
//! [`chunk_day`] is the day the one-thread crates show their scheduler's chunk effect on, each
//! with its own bounds in its `tests/chunk.rs`.

mod chunk;
mod macros;

#[doc(inline)]
pub use crate::__strategy_tests as strategy_tests;
pub use chunk::{CHECK_US, ChunkDay, DAY_US, check_units, chunk_day, chunk_spec};

use crate::arrangement::{Arrangement, Desk, Workers};
use crate::entry::{RunFn, run_in_process};
use crate::office::Office;
use crate::primitives::{Outcome, Primitives, PrimitivesFn, PrimitivesSpec, Timing};
use crate::protocol::{Report, ThreadUse};
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
        lines: crate::spec::Lines::Sim,
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
            "batch",
            Spec {
                seed: 16,
                duration_us: 50_000,
                calls_per_s: 0.0,
                appointments_per_s: 200.0,
                appointment_arrivals: Arrivals::AtOpening,
                desk_work: 1_000,
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
                "{name} '{label}': appointment lateness histogram holds one entry per offered appointment"
            );
        }
        assert!(
            report.peak_rss_kib.is_some(),
            "{name} '{label}': no peak RSS in the report"
        );
        if c.appointments_done > 0 {
            let done_s = report.makespan_ns.unwrap_or(0) as f64 / 1e9;
            assert!(
                done_s > 0.0 && done_s <= report.day_s + 1e-6,
                "{name} '{label}': the latest check done ({done_s} s) within the day ({} s)",
                report.day_s
            );
        }
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

/// [`check_strategy`] over real lines: every tiny spec with `lines = tcp`, the strategy run in
/// this process on a loopback listener, its callers played by [`crate::test_caller`]. Panics
/// unless the strategy's own report verifies, the callers heard every call they count answered
/// with the reference's values, every call is accounted for on the callers' side (answered +
/// missed = offered), no line broke after a pick-up, and every call the callers heard answered
/// is one the strategy filed answered. Returns the reports.
pub fn check_strategy_tcp(name: &str, run: RunFn, cores: usize) -> Vec<(&'static str, Report)> {
    let mut out = Vec::new();
    for (label, mut spec) in tiny_specs() {
        spec.lines = crate::spec::Lines::Tcp;
        let reference = Reference::compute(&spec);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let (announced, announce) = std::io::pipe().expect("pipe");
        let switchboard = crate::phone::Switchboard::new(
            listener,
            Some(std::fs::File::from(std::os::fd::OwnedFd::from(announce))),
        )
        .expect("switchboard");
        let office = Office::new(spec.clone(), None)
            .unwrap_or_else(|e| panic!("{label}: {e}"))
            .with_switchboard(switchboard);
        let (report, heard) = std::thread::scope(|s| {
            let callers = s.spawn(|| crate::test_caller::call_the_office(&spec, addr, announced));
            let (report, _) = run_in_process(name, run, &office, cores);
            let heard = callers
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
                .unwrap_or_else(|e| panic!("{name} '{label}' over tcp: the callers: {e}"));
            (report, heard)
        });
        let verdict = verify(&report, &reference);
        assert!(
            verdict.ok(),
            "{name} on '{label}' over tcp with {cores} cores: {}",
            verdict.problems.join("; ")
        );
        let c = &report.counters;
        let offered = reference.offered_calls();
        assert_eq!(
            (heard.answered.len() + heard.missed.len() + heard.broken.len()) as u64,
            offered,
            "{name} '{label}' over tcp: the callers account for every call"
        );
        assert!(
            heard.broken.is_empty(),
            "{name} '{label}' over tcp: lines broke after the pick-up: {:?}",
            heard.broken
        );
        let mut filed_missed = report.missed_ids.clone();
        filed_missed.sort_unstable();
        for &(id, value) in &heard.answered {
            assert_eq!(
                Some(crate::record::call_contribution(id, value)),
                reference.call(id),
                "{name} '{label}' over tcp: call {id} was heard with the wrong values"
            );
            assert!(
                filed_missed.binary_search(&id).is_err(),
                "{name} '{label}' over tcp: the callers heard call {id} answered, the strategy filed it missed"
            );
        }
        assert_eq!(c.stray_lines, 0, "{name} '{label}' over tcp: stray lines");
        if label == "light" {
            assert!(
                !heard.answered.is_empty(),
                "{name}: no caller was answered on a light day over tcp"
            );
        }
        if label == "impatient" {
            assert!(
                heard.answered.is_empty(),
                "{name}: patience 0 µs, yet callers were answered"
            );
        }
        out.push((label, report));
    }
    out
}

/// Checks what a strategy declares about its workers against who did the work (the report's
/// thread records) on a short office day with `cores` cores, and panics on a contradiction:
/// - one worker and the desk on it: every call and every desk chunk on ONE thread;
/// - one worker, desk split across cores: every call on one thread, desk chunks on at most
///   `cores` other threads;
/// - `cores` workers: at most `cores` threads did any work;
/// - a worker per call: calls that overlapped ran on more than one thread.
///
/// Returns the report for further checks.
pub fn check_declared(name: &str, arrangement: Arrangement, run: RunFn, cores: usize) -> Report {
    let spec = Spec {
        seed: 16,
        duration_us: 400_000,
        ..Scenario::Office.spec()
    };
    let office = Office::new(spec, None).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = run_in_process(name, run, &office, cores);
    let c = &report.counters;
    assert!(
        c.answered_calls > 1 && c.appointments_done > 0,
        "{name}: the day did no work: {c:?}"
    );
    let calls: Vec<&ThreadUse> = report.threads.iter().filter(|t| t.calls > 0).collect();
    let desk: Vec<&ThreadUse> = report
        .threads
        .iter()
        .filter(|t| t.desk_chunks > 0)
        .collect();
    let seen = format!(
        "{name}, {cores} cores, declared {arrangement}: threads {:?}",
        report.threads
    );
    match (arrangement.workers, arrangement.desk) {
        (Workers::One, Desk::OneWorker) => {
            assert_eq!(report.threads.len(), 1, "one worker, yet {seen}");
        }
        (Workers::One, Desk::SplitAcrossCores) => {
            assert_eq!(calls.len(), 1, "one phone worker, yet {seen}");
            assert!(
                desk.len() <= cores,
                "desk on more than {cores} threads: {seen}"
            );
            assert!(
                desk.iter().all(|d| d.calls == 0),
                "the phone thread ran desk chunks: {seen}"
            );
        }
        (Workers::Cores, _) => {
            assert!(
                report.threads.len() <= cores,
                "more than {cores} workers: {seen}"
            );
        }
        (Workers::PerCall, _) => {
            assert!(calls.len() > 1, "a worker per call, yet {seen}");
        }
    }
    report
}

/// For a strategy that claims to be ONE secretary on the thread that called `run` (a
/// current-thread runtime, a hand-written loop): on a short office day with `cores` cores,
/// every call and every desk chunk ran on that thread. Panics otherwise.
pub fn check_on_calling_thread(name: &str, run: RunFn, cores: usize) {
    let spec = Spec {
        seed: 7,
        duration_us: 400_000,
        ..Scenario::Office.spec()
    };
    let office = Office::new(spec, None).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = run_in_process(name, run, &office, cores);
    let c = &report.counters;
    assert!(c.answered_calls > 0 && c.appointments_done > 0, "{c:?}");
    assert_eq!(
        report.threads.len(),
        1,
        "{name}, cores {cores}: work spread over {:?}",
        report.threads
    );
    let t = &report.threads[0];
    assert_eq!(
        t.index,
        crate::threads::current(),
        "{name}: not the calling thread"
    );
    assert_eq!(t.calls, c.answered_calls, "{name}, cores {cores}");
    assert!(
        t.desk_chunks > 0,
        "{name}, cores {cores}: no desk chunk recorded"
    );
}

/// Runs a crate's primitives function on the quick counts with `cores` cores and checks the
/// shape: the primitives named in `not_applicable` (`spawn_join`, `round_trip`, `idle_memory`)
/// say why they do not exist, every other one is measured (none failed), times are positive
/// where they must be and sleeps are not early by more than half their length. Returns the
/// figures.
pub fn check_primitives(
    primitives: PrimitivesFn,
    cores: usize,
    not_applicable: &[&str],
) -> Primitives {
    let spec = PrimitivesSpec::default().quick();
    let p = primitives(&spec, cores);
    assert!(!p.unit.is_empty() && !p.how.is_empty(), "{p:?}");
    let expect = |name: &str, measured: bool, why: Option<&String>| match why {
        _ if measured => assert!(
            !not_applicable.contains(&name),
            "{name} was measured, expected not applicable"
        ),
        Some(w) => assert!(
            not_applicable.contains(&name) && !w.is_empty(),
            "{name} not measured: {w}"
        ),
        None => unreachable!(),
    };
    let why = |o: &Outcome<Timing>| match o {
        Outcome::NotApplicable(w) => Some(w.clone()),
        Outcome::Failed(w) => Some(format!("FAILED: {w}")),
        Outcome::Measured(_) => None,
    };
    for (name, o, at_least_ns) in [
        ("spawn_join", &p.spawn_join, 0.0),
        ("round_trip", &p.round_trip, 0.0),
        ("sleep_1ms", &p.sleep_1ms, -500_000.0),
        ("sleep_100us", &p.sleep_100us, -50_000.0),
    ] {
        expect(name, o.measured().is_some(), why(o).as_ref());
        if let Some(t) = o.measured() {
            assert!(t.n > 0 && t.mean_ns.is_finite(), "{name}: {t:?}");
            assert!(
                t.p50_ns > at_least_ns && t.p99_ns >= t.p50_ns,
                "{name}: {t:?}"
            );
        }
    }
    let memory_why = match &p.idle_memory {
        Outcome::NotApplicable(w) => Some(w.clone()),
        Outcome::Failed(w) => Some(format!("FAILED: {w}")),
        Outcome::Measured(m) => {
            assert!(m.units > 0 && m.bytes_per_unit.is_finite(), "{m:?}");
            None
        }
    };
    expect("idle_memory", memory_why.is_none(), memory_why.as_ref());
    p
}
