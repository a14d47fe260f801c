//! Synthetic results for the exporters' and plots' tests: a believable sweep (two strategies,
//! two scenarios, 1 and 2 cores, one failed cell, one timeline) with real histograms.

use crate::figures::{Figures, Percentiles, ShortUs};
use crate::row::{CellHistograms, Results, Row, Status, TimelineRun};
use hdrhistogram::Histogram;
use std::collections::BTreeMap;
use workload::protocol::{ThreadUse, Timeline};
use workload::record::{Doing, HIST_MAX_US, HIST_SIGFIG, Span};

fn hist(base: u64, spread: u64, n: u64) -> Histogram<u64> {
    let mut h = Histogram::new_with_bounds(1, HIST_MAX_US, HIST_SIGFIG).expect("valid bounds");
    for i in 0..n {
        // A long-tailed, deterministic shape.
        let v = base + (spread * i * i) / (n * n) + workload::work::mix64(i) % (base / 4 + 1);
        h.record(v).expect("in range");
    }
    h
}

fn short(h: &Histogram<u64>) -> ShortUs {
    ShortUs {
        p50: h.value_at_quantile(0.5) as f64,
        p99: h.value_at_quantile(0.99) as f64,
        max: h.max() as f64,
    }
}

/// A synthetic sweep.
#[must_use]
pub fn sample_results() -> Results {
    let mut rows = Vec::new();
    let mut hists = Vec::new();
    for (si, scenario) in ["office", "back-office"].into_iter().enumerate() {
        for (ti, strategy) in ["sequential", "threads"].into_iter().enumerate() {
            for cores in [1usize, 2] {
                let k = (si * 4 + ti * 2 + cores) as u64 + ti as u64 * 7;
                let pickup = hist(20 * k, 5_000 * (2 - ti as u64) * k, 2_000);
                let reply = hist(60 + k, 900, 1_000);
                let appt = hist(100 * k, 20_000, 200);
                let failed = scenario == "back-office" && strategy == "threads" && cores == 2;
                let figures = Figures {
                    missed_share: if ti == 0 { 0.4 } else { 0.0 },
                    pickup_us: Percentiles::of(&pickup),
                    wait_all_us: Percentiles::of(&pickup),
                    reply_us: short(&reply),
                    appointment_lateness_us: short(&appt),
                    pickup_uncorrected_us: ShortUs {
                        p50: 3.0,
                        p99: 40.0,
                        max: 90.0,
                    },
                    ring_lateness_us: ShortUs {
                        p50: 60.0,
                        p99: 120.0,
                        max: 400.0,
                    },
                    timer_lateness_us: ShortUs {
                        p50: 60.0,
                        p99: 110.0,
                        max: 300.0,
                    },
                    wall_s: 10.2,
                    cpu_user_s: 1.1 * cores as f64,
                    cpu_sys_s: 0.2,
                    max_rss_kib: 5_000.0,
                    ctx_voluntary: 4_000.0,
                    ctx_involuntary: 30.0,
                    cpu_per_wall: 0.13 * cores as f64,
                    threads_used: if ti == 0 { 1.0 } else { 40.0 },
                    pickup_wait_us_mean: pickup.mean() * 0.9,
                    idle_timer_lateness_us: 40.0,
                    ..Figures::default()
                };
                let row = Row {
                    strategy: strategy.into(),
                    lines: workload::spec::Lines::Sim,
                    scenario: scenario.into(),
                    preset: scenario.parse().ok(),
                    cores,
                    sweep: None,
                    twin: false,
                    runs: 3,
                    arrangement: None,
                    status: if failed {
                        Status::Crashed
                    } else if ti == 0 {
                        Status::Saturated
                    } else {
                        Status::Ok
                    },
                    reason: failed.then(|| "killed by signal 6 (SIGABRT): failed to set up alternative stack guard page".into()),
                    offered_calls: 2_000,
                    answered_calls: if ti == 0 { 1_200 } else { 2_000 },
                    missed_calls: if ti == 0 { 800 } else { 0 },
                    digest_ok: !failed,
                    figures,
                    clock_ok: true,
                    appointments_done: 200,
                    start_failures: 0,
                    samples: pickup.len(),
                    timer_slack_ns: Some(1),
                    seeds: vec![1, 2, 3],
                    ranges: BTreeMap::new(),
                    per_run: BTreeMap::new(),
                    prediction: None,
                    measured_over_predicted: None,
                };
                let mut row = row;
                set_ranges(&mut row, 0.1);
                let share = row.figures.missed_share;
                row.ranges
                    .insert("missed_share".to_owned(), [0.8 * share, 1.2 * share]);
                hists.push(CellHistograms {
                    cell: row.cell_name(),
                    wait_all: pickup.clone(),
                    pickup,
                    reply,
                    appointment_lateness: appt,
                });
                rows.push(row);
            }
        }
    }
    let timelines = [1usize, 2].into_iter().map(timeline).collect();
    Results {
        rows: rows.clone(),
        env: serde_json::json!({ "cpu_model": "Test CPU", "logical_cores": 2, "ns_per_unit": 930.0 }),
        hists,
        timelines,
        interrupted: false,
        ..Results::default()
    }
}

/// A 40 ms window of the threads secretary: on 1 core the desk and the calls take turns on one
/// CPU; on 2 cores desk chunks overlap calls in time.
fn timeline(cores: usize) -> TimelineRun {
    let from_us = 500_000u64;
    let mut spans = Vec::new();
    let mut t = from_us * 1_000;
    for i in 0..30u32 {
        let desk = i % 3 == 0;
        let (thread, len) = if desk {
            (0, 600_000)
        } else {
            (1 + i % 2, 300_000)
        };
        let cpu = if cores == 1 { 0 } else { u32::from(!desk) };
        spans.push(Span {
            thread,
            cpu,
            doing: if desk { Doing::Desk } else { Doing::Phone },
            id: i,
            start_ns: t,
            end_ns: t + len,
        });
        // One core: one span after another. Two cores: the next span starts before this ends.
        t += if cores == 1 {
            len + 200_000
        } else {
            len / 2 + 300_000
        };
    }
    TimelineRun {
        strategy: "threads".into(),
        scenario: "office".into(),
        cores,
        rings_us: vec![500_100, 505_000, 512_345, 530_000],
        dues_us: vec![520_000],
        timeline: Timeline {
            from_us,
            len_us: 40_000,
            spans,
        },
        threads: vec![
            ThreadUse {
                index: 0,
                name: "desk".into(),
                calls: 0,
                desk_chunks: 10,
            },
            ThreadUse {
                index: 1,
                name: "call".into(),
                calls: 10,
                desk_chunks: 0,
            },
            ThreadUse {
                index: 2,
                name: "call".into(),
                calls: 10,
                desk_chunks: 0,
            },
        ],
    }
}

pub use theory::fixtures::declared;

/// Gives every figure of `row` a range of ± `spread` (a share) around its value, as a run-to-run
/// spread would.
pub fn set_ranges(row: &mut Row, spread: f64) {
    row.ranges = row
        .figures
        .dotted()
        .into_iter()
        .map(|(k, v)| (k, [(1.0 - spread) * v, (1.0 + spread) * v]))
        .collect();
}

/// A synthetic capacity run on office, as the lab produces it (derived figures empty:
/// `analysis::capacity::derive` fills them): sequential fails even at the lowest rate on 1 core and
/// keeps up to 0.25× on 2; threads keeps up to 8× on 1 core and 16× on 2; desk days for both.
#[must_use]
pub fn sample_capacity() -> crate::capacity::Capacity {
    use crate::capacity::{
        Bracket, Capacity, DeskCheck, DeskSpeedup, ProbePoint, Rule, ScenarioCapacity,
        StrategyCapacity, TheoryCurve,
    };
    let spec = workload::Scenario::Office.spec();
    let point = |strategy: &str, cores: usize, m: f64, keeps_up: bool| {
        let calls = spec.calls_per_s * m;
        let load = workload::Spec {
            calls_per_s: calls,
            ..spec.clone()
        }
        .offered_cores(1_000.0);
        ProbePoint {
            multiple: m,
            calls_per_s: calls,
            offered_cores: load,
            keeps_up,
            why: (!keeps_up).then(|| "missed 2.00 % of calls (limit 0.1 %)".to_owned()),
            status: if keeps_up {
                Status::Ok
            } else {
                Status::Saturated
            },
            missed_share: if keeps_up { 0.0 } else { 0.02 },
            wait_all_p99_us: if keeps_up { 300.0 * m } else { 20_000.0 },
            pickup_p99_us: 250.0 * m,
            row: format!("office-{strategy}-{cores}c-calls-per-s-{calls}"),
            first_days: None,
        }
    };
    let search = |strategy: &str, cores: usize, tried: &[(f64, bool)], bracket: Bracket| {
        let probes: Vec<ProbePoint> = tried
            .iter()
            .map(|&(m, ok)| point(strategy, cores, m, ok))
            .collect();
        let at = |m: Option<f64>| m.and_then(|m| probes.iter().find(|p| p.multiple == m));
        let (pass, fail) = (at(bracket.pass()).cloned(), at(bracket.fail()).cloned());
        StrategyCapacity {
            strategy: strategy.into(),
            cores,
            arrangement: declared(strategy),
            bracket,
            capacity_calls_per_s: pass.as_ref().map(|p| p.calls_per_s),
            failed_calls_per_s: fail.as_ref().map(|p| p.calls_per_s),
            capacity_offered_cores: pass.as_ref().map(|p| p.offered_cores),
            decided_by: pass.as_ref().map(|p| p.row.clone()),
            failed_row: fail.as_ref().map(|p| p.row.clone()),
            failed_why: fail.and_then(|p| p.why),
            theory: (strategy == "sequential").then(|| TheoryCurve {
                model: "M/G/1 FIFO (Pollaczek–Khinchine)".into(),
                points: vec![[0.1, 800.0], [0.11, 2_000.0], [0.12, 9_000.0]],
                saturated_from_cores: Some(0.125),
            }),
            probes,
        }
    };
    let step = 0.125f64.exp2();
    let searches = vec![
        search(
            "sequential",
            1,
            &[(1.0, false), (0.5, false), (1.0 / 256.0, false)],
            Bracket::FailsAtLowest {
                lowest: 1.0 / 256.0,
            },
        ),
        search(
            "sequential",
            2,
            &[(1.0, false), (0.5, false), (0.25, true)],
            Bracket::Between {
                pass: 0.25,
                fail: 0.5,
            },
        ),
        search(
            "threads",
            1,
            &[(1.0, true), (8.0, true), (16.0, false), (8.0 * step, false)],
            Bracket::Between {
                pass: 8.0,
                fail: 8.0 * step,
            },
        ),
        search(
            "threads",
            2,
            &[(1.0, true), (16.0, true), (32.0, false)],
            Bracket::Between {
                pass: 16.0,
                fail: 32.0,
            },
        ),
    ];
    let day = |cores: usize, median: f64| DeskCheck {
        cores,
        status: Status::Ok,
        why: None,
        checks: 40,
        median_us: Some(median),
        min_us: Some(median * 0.9),
        max_us: Some(median * 1.3),
        split_share: Some(0.0),
    };
    let desk = ["sequential", "threads"]
        .into_iter()
        .map(|s| {
            let days = vec![day(1, 5_000.0), day(2, 4_900.0)];
            DeskSpeedup {
                strategy: s.into(),
                desk: declared(s).map(|a| a.desk),
                speedup: None,
                days,
                of_limit: Default::default(),
            }
        })
        .collect();
    Capacity {
        rule: Rule {
            max_missed_share: 0.001,
            max_p99_wait_all_of_patience: 0.5,
        },
        day_s: 1.0,
        runs_per_rate: 1,
        steps: 3,
        ns_per_unit: 1_000.0,
        core_limit: None,
        scenarios: vec![ScenarioCapacity {
            scenario: "office".into(),
            intended_cores: workload::Scenario::Office.intended_cores(),
            offered_cores: spec.offered_cores(1_000.0),
            spec: spec.clone(),
            second_core: Vec::new(),
            searches,
            desk,
            scaling: Vec::new(),
        }],
    }
}

/// A synthetic `harness memory` run on the switchboard: `threads` holds 1,000 and 10,000
/// calls at ≈ 10 KiB each and runs out of threads at 100,000; `event-loop` holds every level
/// at ≈ 150 B a call.
#[must_use]
pub fn sample_memory() -> crate::memory::Memory {
    use crate::memory::{Limit, Memory, MemoryDay, StrategyMemory};
    let day = |in_flight: u64, bytes: f64, held: bool| MemoryDay {
        in_flight,
        calls_per_s: in_flight as f64 / 8.0,
        offered_calls: in_flight * 2,
        peak_scheduled: in_flight,
        peak_measured: held.then_some(in_flight),
        peak_rss_kib: Some(((4.0 * 1024.0 * 1024.0 + in_flight as f64 * bytes) / 1024.0) as u64),
        kernel_kib: Some(in_flight * 2),
        status: if held { Status::Ok } else { Status::Exhausted },
        held,
        reason: (!held).then(|| "could not start thread 15862".to_owned()),
        missed_share: 0.0,
        start_failures: 0,
        pickup_p99_us: 100.0,
        cpu_per_wall: 0.1,
        wall_s: 16.0,
        row: None,
    };
    let levels = vec![1_000, 10_000, 100_000, 1_000_000];
    let strategy = |name: &str, bytes: f64, held_up_to: u64| StrategyMemory {
        strategy: name.to_owned(),
        arrangement: None,
        days: levels
            .iter()
            .filter(|&&l| l <= held_up_to * 10)
            .map(|&l| day(l, bytes, l <= held_up_to))
            .collect(),
        bytes_per_call: Some(bytes),
        kernel_bytes_per_call: Some(2_048.0),
        base_mib: Some(4.0),
        fitted_levels: 2,
        held_up_to: Some(held_up_to),
        limit: (held_up_to < 1_000_000).then(|| Limit {
            in_flight: held_up_to * 10,
            status: Status::Exhausted,
            reason: "could not start thread 15862".to_owned(),
        }),
    };
    Memory {
        scenario: "switchboard".into(),
        call_s: 8.0,
        cores: 1,
        levels: levels.clone(),
        ns_per_unit: 1_000.0,
        mem_limit_mib: 8_192,
        fit: crate::memory::FIT.into(),
        strategies: vec![
            strategy("threads", 10_000.0, 10_000),
            strategy("event-loop", 150.0, 1_000_000),
        ],
    }
}
