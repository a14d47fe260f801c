//! Tests of the verdict and the claims on fixture rows: each question answered from the planned
//! comparisons, no claim from three runs, a failing control withholding what it contaminates,
//! both cells at the cap, the switchboard's purpose.

use super::*;
use crate::claims::{self, Outcome};
use lab::discover::Strategy;
use lab::fixtures::sample_results;
use lab::plan::claims::comparisons;
use workload::Arrangement;
use workload::arrangement::{Desk, Switching};

fn strategy(name: &str, arrangement: Arrangement) -> Strategy {
    Strategy {
        name: name.into(),
        bin: format!("/nowhere/strategy-{name}").into(),
        arrangement: Some(arrangement),
    }
}

/// Three declared secretaries, none named by the code: the baseline, one that interleaves on
/// one worker, and a worker per call.
fn strategies() -> Vec<Strategy> {
    vec![
        strategy("base", Arrangement::SEQUENTIAL),
        strategy("switcher", Arrangement::one_cooperative(Some(10))),
        strategy(
            "many",
            Arrangement {
                workers: Workers::PerCall,
                switching: Switching::Preemptive,
                timer_check_polls: None,
                desk: Desk::OneWorker,
            },
        ),
    ]
}

/// One office row per cell the plan needs, `runs` runs each, each run's mean wait `mean(cell)`
/// times a small deterministic wobble; every row ok, nothing missed.
pub(crate) fn office(runs: usize, mean: impl Fn(&str, usize, bool) -> f64) -> Vec<Row> {
    let template = sample_results().rows[0].clone();
    let mut rows = Vec::new();
    for s in strategies() {
        for (cores, twin) in [(1, false), (2, false), (1, true)] {
            if twin && s.name != "switcher" {
                continue;
            }
            let mut r = template.clone();
            r.strategy = s.name.clone();
            r.arrangement = s.arrangement;
            r.scenario = "office".into();
            r.preset = Some(Scenario::Office);
            r.cores = cores;
            r.twin = twin;
            r.runs = runs;
            r.status = Status::Ok;
            r.figures.missed_share = 0.0;
            let m = mean(&s.name, cores, twin);
            r.figures.wait_all_us.mean = m;
            let per: Vec<f64> = (0..runs)
                .map(|i| m * (1.0 + 0.01 * ((i * 7 % 5) as f64 - 2.0)))
                .collect();
            r.per_run = [
                ("wait_all_us.mean".to_owned(), per),
                ("idle_timer_lateness_us".to_owned(), vec![50.0; runs]),
            ]
            .into_iter()
            .collect();
            rows.push(r);
        }
    }
    rows
}

/// The baseline waits longest; the switcher and a worker per call much less; a worker per call
/// less again on 2 cores; the switcher's twin as the switcher, the baseline's 2-core cell as
/// its 1-core one (the controls).
pub(crate) fn clear_means(name: &str, cores: usize, _twin: bool) -> f64 {
    match (name, cores) {
        ("base", _) => 5_000.0,
        ("switcher", _) => 800.0,
        ("many", 1) => 900.0,
        _ => 400.0,
    }
}

pub(crate) fn analyse(rows: &[Row]) -> (Claims, Vec<Verdict>) {
    let plan = comparisons(Scenario::Office, &strategies(), &[1, 2]);
    let c = claims::test(&plan, rows);
    let v = verdicts(rows, None, &c);
    (c, v)
}

#[test]
fn the_questions_are_answered_from_the_planned_comparisons() {
    let (c, v) = analyse(&office(7, clear_means));
    // Planned without names: interleaving for the switcher, second core for the worker per
    // call, and the two controls on the baseline.
    let ids: Vec<&str> = c.claims.iter().map(|c| c.comparison.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "office/interleaving/base@1c/switcher@1c/wait_all_us.mean",
            "office/second-core/many@1c/many@2c/wait_all_us.mean",
            "office/control-a-a/switcher@1c/switcher@1c-twin/wait_all_us.mean",
            "office/control-one-worker/base@1c/base@2c/wait_all_us.mean",
        ]
    );
    assert_eq!(c.rule.as_ref().unwrap().family, 4);
    assert_eq!(c.claims[0].outcome, Outcome::Lower, "{:?}", c.claims[0]);
    assert!(c.claims[0].p.unwrap() <= c.claims[0].threshold.unwrap());
    assert_eq!(c.claims[1].outcome, Outcome::Lower);
    assert!(c.controls.iter().all(|c| c.passed && c.tested));
    let office = &v[0];
    assert_eq!(
        office.interleaving.call,
        Call::Yes,
        "{:?}",
        office.interleaving
    );
    assert!(
        office
            .interleaving
            .text
            .starts_with("switcher@1c 800 µs against base@1c 5,000 µs"),
        "{}",
        office.interleaving.text
    );
    assert_eq!(
        office.second_core.call,
        Call::Yes,
        "{:?}",
        office.second_core
    );
    assert!(office.best.starts_with("many, 2 cores"), "{}", office.best);
    assert!(
        office.best.contains("clearly ahead of many@1c"),
        "{}",
        office.best
    );
    let f = crate::findings::findings(&[], &c);
    assert!(
        f[0].starts_with("Negative controls: 2 of 2 passed"),
        "{f:?}"
    );
}

#[test]
fn three_runs_claim_nothing_under_the_correction() {
    // 3 against 3 at best gives p = 0.1, above any Holm threshold at 5 %.
    let (c, v) = analyse(&office(3, clear_means));
    assert!(c.made().next().is_none(), "{:?}", c.claims);
    assert_eq!(v[0].interleaving.call, Call::Unclear);
    assert!(
        v[0].best.contains("no claim sets it apart"),
        "{}",
        v[0].best
    );
}

#[test]
fn a_small_effect_is_no_difference_however_small_its_p() {
    // Every run of the switcher below every run of the baseline, but by 5 %: under the floor,
    // so the minimum-effect test does not even lean past it (p = 1).
    let (c, v) = analyse(&office(
        7,
        |n, _, _| if n == "switcher" { 950.0 } else { 1_000.0 },
    ));
    assert_eq!(
        c.claims[0].outcome,
        Outcome::NoDifference,
        "{:?}",
        c.claims[0]
    );
    assert_eq!(v[0].interleaving.call, Call::Unclear);
}

#[test]
fn a_failing_control_withholds_the_claims_it_contaminates() {
    // The one-worker control differs (the baseline is faster on 2 cores): second-core claims
    // are withheld, interleaving stands.
    let (c, v) = analyse(&office(7, |n, cores, t| {
        if n == "base" && cores == 2 {
            1_500.0
        } else {
            clear_means(n, cores, t)
        }
    }));
    let failed: Vec<_> = c.failed_controls().map(|c| c.question).collect();
    assert_eq!(failed, [Question::ControlOneWorker]);
    assert_eq!(c.claims[1].outcome, Outcome::Withheld);
    assert_eq!(c.claims[0].outcome, Outcome::Lower);
    assert_eq!(
        v[0].second_core.call,
        Call::Unclear,
        "{:?}",
        v[0].second_core
    );
    assert_eq!(v[0].interleaving.call, Call::Yes);
    let f = crate::findings::findings(&[], &c);
    assert!(f[0].starts_with("Negative controls FAILED"), "{f:?}");
    // The A/A twin differs: every claim of the scenario is withheld.
    let (c, v) = analyse(&office(7, |n, cores, twin| {
        if twin {
            1_000.0
        } else {
            clear_means(n, cores, twin)
        }
    }));
    assert!(c.made().next().is_none());
    assert_eq!(v[0].interleaving.call, Call::Unclear);
}

#[test]
fn two_cells_at_the_cap_are_not_compared() {
    let mut rows = office(7, clear_means);
    for r in rows
        .iter_mut()
        .filter(|r| r.cores == 1 && !r.twin && r.strategy != "many")
    {
        r.figures.missed_share = 0.8;
    }
    let (c, _) = analyse(&rows);
    assert_eq!(c.claims[0].outcome, Outcome::BothAtCap, "{:?}", c.claims[0]);
    assert_eq!(c.claims[0].p, None);
    // A control is tested even at the cap.
    assert!(c.controls.iter().all(|c| c.tested), "{:?}", c.controls);
}

#[test]
fn the_switchboard_purpose_is_a_thread_per_call_exhausted_where_a_task_held_every_call() {
    let mut rows: Vec<Row> = sample_results()
        .rows
        .into_iter()
        .filter(|r| r.scenario == "office" && r.cores == 1)
        .collect();
    for r in &mut rows {
        r.arrangement = lab::fixtures::declared(&r.strategy);
    }
    // A task per call: one cooperative worker.
    let mut tokio = rows[0].clone();
    tokio.strategy = "tokio".into();
    tokio.arrangement = Some(Arrangement::one_cooperative(Some(61)));
    rows.push(tokio);
    for r in &mut rows {
        r.scenario = "switchboard".into();
        r.preset = Some(Scenario::Switchboard);
        r.status = Status::Ok;
        r.figures.missed_share = 0.0;
    }
    let threads = rows.iter_mut().find(|r| r.strategy == "threads").unwrap();
    threads.status = Status::Exhausted;
    threads.figures.missed_share = 0.84;
    let none = Claims::default();
    let v = verdicts(&rows, None, &none);
    let p = &v[0].purpose;
    assert_eq!(p.call, Call::Yes, "{p:?}");
    assert!(p.text.starts_with("threads exhausted (84"), "{p:?}");
    assert!(p.text.contains("held every call"), "{p:?}");
    assert_eq!(v[0].interleaving.call, Call::NotMeasured);
    // The thread per call held them too: not shown.
    for r in &mut rows {
        r.status = Status::Ok;
        r.figures.missed_share = 0.0;
    }
    assert_eq!(verdicts(&rows, None, &none)[0].purpose.call, Call::No);
}

/// month-end rows: every strategy of [`strategies`] plus one whose desk is split across cores,
/// on 1 and 2 cores (and the switcher's A/A twin), no calls, `makespan(cell)` µs per run with a
/// small deterministic wobble.
fn month_end(runs: usize, makespan: impl Fn(&str, usize) -> f64) -> (Vec<Strategy>, Vec<Row>) {
    let mut all = strategies();
    all.push(strategy(
        "split",
        Arrangement {
            workers: Workers::Cores,
            switching: Switching::RunToCompletion,
            timer_check_polls: None,
            desk: Desk::SplitAcrossCores,
        },
    ));
    let template = sample_results().rows[0].clone();
    let mut rows = Vec::new();
    for s in &all {
        for (cores, twin) in [(1, false), (2, false), (1, true)] {
            if twin && s.name != "switcher" {
                continue;
            }
            let mut r = template.clone();
            r.strategy = s.name.clone();
            r.arrangement = s.arrangement;
            r.scenario = "month-end".into();
            r.preset = Some(Scenario::MonthEnd);
            (r.cores, r.twin, r.runs, r.status) = (cores, twin, runs, Status::Ok);
            (r.offered_calls, r.answered_calls, r.missed_calls) = (0, 0, 0);
            r.appointments_done = 50 * runs as u64;
            r.figures.missed_share = 0.0;
            let m = makespan(&s.name, cores);
            r.figures.makespan_us = Some(m);
            r.figures.checks_per_s = Some(50.0 / (m / 1e6));
            let per: Vec<f64> = (0..runs)
                .map(|i| m * (1.0 + 0.01 * ((i * 7 % 5) as f64 - 2.0)))
                .collect();
            r.per_run = [
                ("makespan_us".to_owned(), per),
                ("idle_timer_lateness_us".to_owned(), vec![50.0; runs]),
            ]
            .into_iter()
            .collect();
            rows.push(r);
        }
    }
    (all, rows)
}

#[test]
fn month_end_answers_the_second_core_on_the_makespan_and_names_who_reaches_the_limit() {
    // Only the split desk halves the batch on 2 cores; a worker per call with its desk on one
    // worker does not; the controls are flat.
    let (all, rows) = month_end(7, |n, cores| match (n, cores) {
        ("split", 2) => 255_000.0,
        _ => 500_000.0,
    });
    let plan = comparisons(Scenario::MonthEnd, &all, &[1, 2]);
    assert!(
        plan.iter()
            .all(|c| c.figure == "makespan_us" && c.question != Question::Interleaving),
        "{plan:?}"
    );
    let c = claims::test(&plan, &rows);
    let env = serde_json::json!({"core_limit": {"method": "kernel", "cpus": 2,
        "speedup": {"1": 1.0, "2": 2.0}}});
    let v = verdicts_with_env(&rows, None, &c, &env);
    let me = &v[0];
    assert_eq!(me.scenario, "month-end");
    assert_eq!(me.interleaving.call, Call::NotApplicable);
    assert!(
        me.interleaving.text.contains("no calls"),
        "{:?}",
        me.interleaving
    );
    assert_eq!(me.second_core.call, Call::Yes, "{:?}", me.second_core);
    let t = &me.second_core.text;
    assert!(
        t.starts_with("split@2c 255.0 ms against split@1c 500.0 ms"),
        "{t}"
    );
    assert!(
        t.contains("split 1.96× on 2 cores (reaches the limit of 2.00×)"),
        "{t}"
    );
    assert!(t.contains("many 1.00× on 2 cores (limit 2.00×)"), "{t}");
    assert!(t.contains("reach the machine's limit: split"), "{t}");
    assert!(
        me.best
            .starts_with("split, 2 cores: makespan 255.0 ms, 196 checks/s"),
        "{}",
        me.best
    );
    assert!(me.best.contains("clearly ahead of split@1c"), "{}", me.best);
    assert_eq!(me.purpose.call, Call::Yes, "{:?}", me.purpose);
    assert!(
        me.purpose
            .text
            .contains("shortened the batch for split; not for many"),
        "{:?}",
        me.purpose
    );
    assert!(
        me.why.starts_with("Parallelism, not concurrency"),
        "{}",
        me.why
    );
    // Without a measured limit the speedups stand alone.
    let bare = verdicts(&rows, None, &c);
    assert!(
        bare[0]
            .second_core
            .text
            .contains("split 1.96× on 2 cores (limit not measured)")
    );
    assert!(
        bare[0]
            .second_core
            .text
            .contains("the machine's limit not measured")
    );
    // Under 0.9 of the limit is not reaching it.
    let env = serde_json::json!({"core_limit": {"speedup": {"2": 2.2}}});
    let v = verdicts_with_env(&rows, None, &c, &env);
    assert!(
        v[0].second_core
            .text
            .contains("none reaches the machine's limit")
    );
    // Nobody faster on 2 cores: no claim, and the purpose undecided.
    let (all, rows) = month_end(7, |_, _| 500_000.0);
    let plan = comparisons(Scenario::MonthEnd, &all, &[1, 2]);
    let c = claims::test(&plan, &rows);
    let v = verdicts(&rows, None, &c);
    assert_eq!(v[0].second_core.call, Call::Unclear);
    assert_eq!(v[0].purpose.call, Call::Unclear, "{:?}", v[0].purpose);
    // One worker faster on 2 cores (the control fails): the purpose is not shown.
    let (_, rows) = month_end(7, |n, cores| match (n, cores) {
        ("split" | "base", 2) => 255_000.0,
        _ => 500_000.0,
    });
    let v = verdicts(&rows, None, &claims::test(&plan, &rows));
    assert_eq!(v[0].purpose.call, Call::No, "{:?}", v[0].purpose);
    // A failed batch row (no makespan) leaves the verdict to the rows that measured.
    let (_, mut rows) = month_end(7, |_, _| 500_000.0);
    rows[0].status = Status::Crashed;
    rows[0].figures.makespan_us = None;
    assert_eq!(
        verdicts(&rows, None, &c)[0].interleaving.call,
        Call::NotApplicable
    );
}
