//! Tests of the plan: cells, runs, sweeps, timelines and every argument check.

use super::*;
use workload::Arrangement;
use workload::spec::Lines;

fn strategy(name: &str, arrangement: Option<Arrangement>) -> Strategy {
    Strategy {
        name: name.into(),
        bin: format!("/nowhere/strategy-{name}").into(),
        arrangement,
    }
}

fn found() -> Vec<Strategy> {
    let preemptive = Arrangement {
        switching: Switching::Preemptive,
        ..Arrangement::SEQUENTIAL
    };
    vec![
        strategy("seq", Some(Arrangement::SEQUENTIAL)),
        strategy("coop", Some(Arrangement::one_cooperative(Some(200)))),
        strategy("pre", Some(preemptive)),
        strategy("old", None),
    ]
}

#[test]
fn quick_is_two_scenarios_one_run_short_days_no_sweep() {
    let req = CompareRequest {
        quick: true,
        ..Default::default()
    };
    let p = Plan::for_compare(&req, &found(), 2).unwrap();
    assert!(p.cells.iter().all(|c| c.runs == QUICK_RUNS));
    assert!(p.cells.iter().all(|c| c.sweep.is_none()
        && c.spec.duration_us == 500_000
        && QUICK_SCENARIOS.contains(&c.scenario)));
    let (tcp, sim): (Vec<&Cell>, Vec<&Cell>) =
        p.cells.iter().partition(|c| c.spec.lines == Lines::Tcp);
    assert_eq!(sim.len(), 2 * 4 * 2);
    // One real-line cell: office on one core, for the first strategy that switches.
    assert_eq!(tcp.len(), 1, "{tcp:?}");
    assert_eq!(
        (
            tcp[0].label().as_str(),
            tcp[0].cores,
            tcp[0].strategy.name.as_str()
        ),
        ("office-tcp", 1, "coop")
    );
    assert_eq!(p.timelines.len(), 4 * QUICK_TIMELINE_CORES.len());
}

#[test]
fn full_sweeps_the_chunk_for_strategies_that_switch_selected_by_declaration() {
    let p = Plan::for_compare(&CompareRequest::default(), &found(), 2).unwrap();
    let sim = |c: &&Cell| c.spec.lines == Lines::Sim;
    for c in p.cells.iter().filter(sim).filter(|c| c.sweep.is_none()) {
        let me = claims::CellRef {
            strategy: c.strategy.name.clone(),
            cores: c.cores,
            twin: c.twin,
        };
        let runs = if claims::uses(&p.comparisons, c.scenario.name(), &me) {
            claims::CLAIM_RUNS
        } else {
            full_day(c.scenario).1
        };
        assert_eq!((c.spec.duration_us, c.runs), (full_day(c.scenario).0, runs));
    }
    let plain = p
        .cells
        .iter()
        .filter(sim)
        .filter(|c| c.sweep.is_none())
        .count();
    // Every cell, plus the A/A control's twin in each claim scenario.
    assert_eq!(
        plain,
        FULL_SCENARIOS.len() * 4 * 2 + claims::CLAIM_SCENARIOS.len()
    );
    // Real lines: office for all four, call-center for the two that switch, on 1 core only:
    // on 2 CPUs a 2-core cell would leave the caller no CPU of its own.
    let tcp: Vec<String> = p
        .cells
        .iter()
        .filter(|c| c.spec.lines == Lines::Tcp)
        .map(|c| format!("{} {} {}c", c.label(), c.strategy.name, c.cores))
        .collect();
    assert_eq!(tcp.len(), 4 + 2, "{tcp:?}");
    assert!(
        tcp.contains(&"call-center-tcp coop 1c".to_owned()),
        "{tcp:?}"
    );
    assert!(
        !tcp.iter().any(|c| c.starts_with("call-center-tcp seq")),
        "{tcp:?}"
    );
    assert_eq!(tcp_cores(&[1, 2, 4], 4), [1, 2]);
    assert_eq!(tcp_cores(&[1], 1), [1]);
    // Asked for lines explicitly, or scenarios: no extra real-line cells.
    let req = CompareRequest {
        no_sweep: true,
        spec: SpecFlags {
            duration_s: None,
            sets: vec![("lines".into(), "sim".into())],
        },
        ..Default::default()
    };
    let p2 = Plan::for_compare(&req, &found(), 2).unwrap();
    assert!(p2.cells.iter().all(|c| c.spec.lines == Lines::Sim));
    assert!(
        p.cells.iter().all(|c| c.scenario != Scenario::Switchboard),
        "the switchboard's 16 s days stay out of the full compare"
    );
    let all_but_switchboard: Vec<Scenario> = Scenario::ALL
        .into_iter()
        .filter(|&s| s != Scenario::Switchboard)
        .collect();
    assert_eq!(FULL_SCENARIOS.to_vec(), all_but_switchboard);
    // Asked for, it runs (one run on its own day).
    let req = CompareRequest {
        scenarios: vec!["switchboard".into()],
        no_sweep: true,
        ..Default::default()
    };
    let sb = Plan::for_compare(&req, &found(), 2).unwrap();
    assert!(sb.cells.iter().all(|c| c.scenario == Scenario::Switchboard
        && c.runs == 1
        && c.spec.duration_us == Scenario::Switchboard.spec().duration_us));
    let swept: Vec<&Cell> = p.cells.iter().filter(|c| c.sweep.is_some()).collect();
    assert_eq!(swept.len(), 4 * 2, "4 chunk values × coop and pre, 1 core");
    for c in &swept {
        assert!(["coop", "pre"].contains(&c.strategy.name.as_str()));
        assert_eq!((c.cores, c.scenario), (1, DEFAULT_SWEEP_SCENARIO));
        assert_eq!(c.spec.duration_us, DEFAULT_SWEEP_DURATION_US);
        assert_eq!(c.runs, SWEEP_RUNS);
        assert_eq!(
            c.sweep.as_deref(),
            Some(&*format!("chunk={}", c.spec.chunk))
        );
    }
    let no = CompareRequest {
        no_sweep: true,
        no_timelines: true,
        ..Default::default()
    };
    let p = Plan::for_compare(&no, &found(), 2).unwrap();
    assert!(p.cells.iter().all(|c| c.sweep.is_none()) && p.timelines.is_empty());
}

#[test]
fn an_explicit_sweep_covers_the_chosen_strategies_and_cores() {
    let req = CompareRequest {
        quick: true,
        strategies: vec!["seq".into(), "old".into()],
        scenarios: vec!["rush-hour".into()],
        cores: vec![2],
        sweep: Some("listen_us=100,200,300".into()),
        ..Default::default()
    };
    let p = Plan::for_compare(&req, &found(), 2).unwrap();
    let swept: Vec<&Cell> = p.cells.iter().filter(|c| c.sweep.is_some()).collect();
    assert_eq!(swept.len(), 3 * 2);
    assert!(swept.iter().all(|c| c.cores == 2
        && c.scenario == Scenario::RushHour
        && c.spec.duration_us == 500_000));
    assert_eq!(swept[0].spec.listen_us, 100);
}

#[test]
fn bad_requests_are_usage_errors_naming_the_choices() {
    let f = found();
    let bad = |req: CompareRequest| Plan::for_compare(&req, &f, 2).unwrap_err().0;
    let e = bad(CompareRequest {
        strategies: vec!["nope".into()],
        ..Default::default()
    });
    assert!(
        e.contains("unknown strategy 'nope'") && e.contains("seq, coop"),
        "{e}"
    );
    let e = bad(CompareRequest {
        cores: vec![3],
        ..Default::default()
    });
    assert!(e.contains("1..=2"), "{e}");
    let e = bad(CompareRequest {
        runs: Some(0),
        ..Default::default()
    });
    assert!(e.contains("--runs 0"), "{e}");
    let e = bad(CompareRequest {
        sweep: Some("seed=1,2".into()),
        ..Default::default()
    });
    assert!(e.contains("FIELD one of"), "{e}");
    let e = bad(CompareRequest {
        scenarios: vec!["beach".into()],
        ..Default::default()
    });
    assert!(e.contains("office"), "{e}");
    let e = bad(CompareRequest {
        timeout_s: Some(-1.0),
        ..Default::default()
    });
    assert!(e.contains("--timeout"), "{e}");
    let e = bad(CompareRequest {
        mem_limit_mib: Some(1),
        ..Default::default()
    });
    assert!(e.contains("--mem-limit-mib 1"), "{e}");
    assert!(Plan::for_compare(&CompareRequest::default(), &[], 2).is_err());
}

#[test]
fn the_timeline_window_is_the_whole_day_unless_given() {
    let p = Plan::for_compare(&CompareRequest::default(), &found(), 2).unwrap();
    assert_eq!(p.timeline_window_us, (0, TIMELINE_DAY_US));
    let req = CompareRequest {
        timeline_window: Some("500:40".into()),
        ..Default::default()
    };
    let p = Plan::for_compare(&req, &found(), 2).unwrap();
    assert_eq!(p.timeline_window_us, (500_000, 40_000));
    assert_eq!(timeline_window(Some("0.5:2.25")), Ok((500, 2_250)));
    for bad in ["500", "500:0", "-1:40", "1000:40", "a:b", "500:40:1"] {
        let e = timeline_window(Some(bad)).unwrap_err().0;
        assert!(
            e.contains("--timeline-window") && e.contains("FROM_MS:LEN_MS"),
            "{e}"
        );
    }
}

#[test]
fn the_plan_converts_scenarios_at_the_calibration_and_records_the_units() {
    let req = CompareRequest {
        quick: true,
        scenarios: vec!["office".into()],
        ns_per_unit: Some(500.0),
        ..Default::default()
    };
    let p = Plan::for_compare(&req, &found(), 2).unwrap();
    assert!(p.cells.iter().all(|c| c.spec.desk_work == 10_000));
    let u = p.scenario_units(500.0);
    assert_eq!(u["office"]["desk_work"], 10_000);
    let (intended, offered) = (
        u["office"]["intended_cores"].as_f64().unwrap(),
        u["office"]["offered_cores"].as_f64().unwrap(),
    );
    assert!((offered / intended - 1.0).abs() < 0.01, "{u}");
}

#[test]
fn default_cores_double_up_to_all() {
    assert_eq!(default_cores(1), vec![1]);
    assert_eq!(default_cores(2), vec![1, 2]);
    assert_eq!(default_cores(16), vec![1, 2, 4, 8, 16]);
    assert_eq!(default_cores(6), vec![1, 2, 4, 6]);
}

#[test]
fn claims_are_planned_from_declarations_and_their_cells_get_the_runs() {
    // A new arrangement, named nothing the code knows: workers per core.
    let mut all = found();
    all.push(strategy(
        "zz",
        Some(Arrangement {
            workers: workload::arrangement::Workers::Cores,
            ..Arrangement::one_cooperative(None)
        }),
    ));
    let p = Plan::for_compare(&CompareRequest::default(), &all, 2).unwrap();
    let ids: Vec<&str> = p
        .comparisons
        .iter()
        .filter(|c| c.scenario == "office")
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "office/interleaving/seq@1c/coop@1c/wait_all_us.mean",
            "office/interleaving/seq@1c/pre@1c/wait_all_us.mean",
            "office/second-core/zz@1c/zz@2c/wait_all_us.mean",
            "office/control-a-a/coop@1c/coop@1c-twin/wait_all_us.mean",
            "office/control-one-worker/seq@1c/seq@2c/wait_all_us.mean",
        ]
    );
    // call-center is described, not tested.
    assert!(p.comparisons.iter().all(|c| c.scenario != "call-center"));
    let cell = |name: &str, cores: usize, twin: bool| {
        p.cells
            .iter()
            .find(|c| {
                c.scenario == Scenario::Office
                    && c.sweep.is_none()
                    && c.spec.lines == Lines::Sim
                    && c.strategy.name == name
                    && c.cores == cores
                    && c.twin == twin
            })
            .unwrap_or_else(|| panic!("{name} {cores} {twin}"))
    };
    assert_eq!(cell("zz", 2, false).runs, claims::CLAIM_RUNS);
    assert_eq!(
        cell("seq", 2, false).runs,
        claims::CLAIM_RUNS,
        "the one-worker control"
    );
    assert_eq!(cell("coop", 2, false).runs, claims::DESCRIBED_RUNS);
    assert_eq!(cell("pre", 2, false).runs, claims::DESCRIBED_RUNS);
    // The twin is its cell again: same spec and seeds.
    let (a, twin) = (cell("coop", 1, false), cell("coop", 1, true));
    assert_eq!((a.spec.seed, a.runs), (twin.spec.seed, twin.runs));
    assert_ne!(a.key(), twin.key());
    // A quick compare plans no claims (one run each).
    let quick = CompareRequest {
        quick: true,
        ..Default::default()
    };
    assert!(
        Plan::for_compare(&quick, &all, 2)
            .unwrap()
            .comparisons
            .is_empty()
    );
}

#[test]
fn month_end_compares_the_makespan_on_a_second_core_with_the_controls_and_no_interleaving() {
    let mut all = found();
    all.push(strategy(
        "zz",
        Some(Arrangement {
            workers: workload::arrangement::Workers::Cores,
            ..Arrangement::one_cooperative(None)
        }),
    ));
    let p = Plan::for_compare(&CompareRequest::default(), &all, 2).unwrap();
    let ids: Vec<&str> = p
        .comparisons
        .iter()
        .filter(|c| c.scenario == "month-end")
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "month-end/second-core/zz@1c/zz@2c/makespan_us",
            "month-end/control-a-a/coop@1c/coop@1c-twin/makespan_us",
            "month-end/control-one-worker/seq@1c/seq@2c/makespan_us",
        ]
    );
    assert!(
        claims::PER_RUN_FIGURES.contains(&claims::MAKESPAN_FIGURE),
        "each row keeps its runs' makespans"
    );
    // Its cells: every strategy on 1 and 2 cores, simulated lines only, on its own day (the
    // batch of 50 checks), no timeline or sweep of its own.
    let month_end: Vec<&Cell> = p
        .cells
        .iter()
        .filter(|c| c.scenario == Scenario::MonthEnd)
        .collect();
    assert_eq!(month_end.len(), all.len() * 2 + 1, "and the A/A twin");
    assert!(month_end.iter().all(|c| c.spec.lines == Lines::Sim
        && c.sweep.is_none()
        && c.spec.is_batch()
        && c.spec.batch_size() == 50));
    // Within the budget: 7 runs where a claim needs them, else one; each ~0.5 s of CPU on one
    // core (at most ~0.5 s of wall), so under ~90 s on a 2-core machine for ten strategies.
    let runs: usize = month_end.iter().map(|c| c.runs).sum();
    // zz and seq on both, coop and its twin on 1: seven each; the other five cells one.
    assert_eq!(runs, claims::CLAIM_RUNS * 6 + 5);
    // Not in a quick compare; asked for in one, it keeps its batch.
    let quick = CompareRequest {
        quick: true,
        ..Default::default()
    };
    let q = Plan::for_compare(&quick, &all, 2).unwrap();
    assert!(q.cells.iter().all(|c| c.scenario != Scenario::MonthEnd));
    let asked = CompareRequest {
        quick: true,
        scenarios: vec!["month-end".into()],
        ..Default::default()
    };
    let q = Plan::for_compare(&asked, &all, 2).unwrap();
    assert!(!q.cells.is_empty());
    assert!(q.cells.iter().all(|c| c.spec.batch_size() == 50));
}
