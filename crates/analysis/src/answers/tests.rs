//! Tests of the answers on the verdict's fixture days: each lead follows the claims (yes where
//! they claim, unclear where they cannot), the memory answer follows the fitted slopes, and the
//! sources say whether everything came from one commit.

use super::*;
use crate::verdict::tests::{analyse, clear_means, office};
use lab::memory::{Limit, StrategyMemory};
use serde_json::json;

fn env(commit: &str) -> Value {
    json!({"git_commit_built": commit, "date_utc": "2026-12-07T00:00:00Z", "cpu_model": "Test CPU",
           "logical_cores": 2, "git_dirty_built": false,
           "core_limit": {"method": "m", "cpus": 2, "speedup": {"1": 1.0, "2": 1.9}}})
}

fn answers_of(rows: &[Row], memory: Option<&Memory>, memory_commit: &str) -> Answers {
    let (claims, _) = analyse(rows);
    let e = env("abc");
    let m_env = env(memory_commit);
    answers(&Inputs {
        compare: CompareRun {
            folder: "results/x",
            env: &e,
            rows,
            claims: &claims,
        },
        replication: None,
        second_rows: None,
        capacity: None,
        memory: memory.map(|m| ("results/memory/x", &m_env, m)),
    })
}

fn memory() -> Memory {
    let s = |name: &str, bytes: Option<f64>, limit: Option<(u64, Status)>| StrategyMemory {
        strategy: name.into(),
        arrangement: None,
        days: Vec::new(),
        bytes_per_call: bytes,
        kernel_bytes_per_call: None,
        base_mib: Some(4.0),
        fitted_levels: 2,
        held_up_to: Some(if limit.is_some() { 1_000 } else { 100_000 }),
        limit: limit.map(|(in_flight, status)| Limit {
            in_flight,
            status,
            reason: "could not start thread".into(),
        }),
    };
    Memory {
        scenario: "switchboard".into(),
        call_s: 8.0,
        cores: 1,
        levels: vec![1_000, 100_000],
        ns_per_unit: 1.0,
        mem_limit_mib: 8192,
        fit: lab::memory::FIT.into(),
        strategies: vec![
            s("many", Some(9_000.0), Some((100_000, Status::Exhausted))),
            s("switcher", Some(150.0), None),
        ],
    }
}

#[test]
fn clear_days_answer_yes_from_the_claims() {
    let rows = office(7, clear_means);
    let a = answers_of(&rows, Some(&memory()), "abc");
    assert!(a.one_commit);
    assert_eq!(a.answers.len(), QUESTIONS.len());
    let q1 = &a.answers[0];
    assert!(q1.lead.starts_with("Yes on office"), "{}", q1.lead);
    assert!(
        q1.details[0].contains("yes for 1 of 1") && q1.details[0].contains("switcher"),
        "{:?}",
        q1.details
    );
    let q2 = &a.answers[1];
    assert!(
        q2.lead.contains("many (a worker per call) on office"),
        "{}",
        q2.lead
    );
    let q3 = &a.answers[2];
    assert!(
        q3.lead.contains("switcher held 100,000") && q3.lead.contains("many ran out"),
        "{}",
        q3.lead
    );
    assert!(
        a.answers[3].lead.starts_with("Not measured"),
        "{}",
        a.answers[3].lead
    );
    let q5 = &a.answers[4];
    assert!(
        q5.lead.contains("on 2 cores: base, switcher, many"),
        "{}",
        q5.lead
    );
    assert_eq!(
        a.core_limit.as_deref(),
        Some("2 cores give at most 1.90× the work of one here (the work kernel on pinned threads)")
    );
}

#[test]
fn three_runs_answer_unclear_never_yes() {
    let rows = office(3, clear_means);
    let a = answers_of(&rows, None, "abc");
    assert!(
        a.answers[0].lead.starts_with("unclear on office"),
        "{}",
        a.answers[0].lead
    );
    assert!(!a.answers[0].lead.contains("Yes"), "{}", a.answers[0].lead);
    assert!(
        a.answers[1].lead.contains("no claim anywhere for many"),
        "{}",
        a.answers[1].lead
    );
    assert!(
        a.answers[2].lead.starts_with("Not measured"),
        "{}",
        a.answers[2].lead
    );
}

#[test]
fn sources_from_two_commits_are_not_one_reference() {
    let rows = office(7, clear_means);
    let a = answers_of(&rows, Some(&memory()), "def");
    assert!(!a.one_commit);
    assert_eq!(a.sources.len(), 2);
    assert_eq!(a.sources[1].commit, "def");
}

#[test]
fn a_claim_the_second_run_did_not_repeat_answers_no_yes() {
    let rows = office(7, clear_means);
    let (claims, _) = analyse(&rows);
    let e = env("abc");
    let answers_with = |second: &Claims| {
        let r = crate::replicate::replicate(&claims, second, &[], &[]);
        answers(&Inputs {
            compare: CompareRun {
                folder: "results/x",
                env: &e,
                rows: &rows,
                claims: &claims,
            },
            replication: Some(("results/y", &e, &r)),
            second_rows: Some(&rows),
            capacity: None,
            memory: None,
        })
    };
    // The same claims again: the answers are those of the first run alone.
    let same = answers_with(&claims);
    assert!(
        same.answers[0].lead.starts_with("Yes on office"),
        "{}",
        same.answers[0].lead
    );
    assert!(
        same.replication
            .as_deref()
            .is_some_and(|r| r.contains("only the repeated claims answer yes")),
        "{:?}",
        same.replication
    );
    // A second run that claimed nothing: not one yes survives, and the details say why.
    let mut none = claims.clone();
    for c in &mut none.claims {
        if c.outcome.is_claim() {
            c.outcome = Outcome::NoDifference;
        }
    }
    let a = answers_with(&none);
    assert!(!a.answers[0].lead.contains("Yes"), "{}", a.answers[0].lead);
    assert!(
        a.answers[0].details[0].contains("not repeated on the second run"),
        "{:?}",
        a.answers[0].details
    );
    assert!(
        !a.answers[1].details.iter().any(|d| d.contains("yes for")),
        "{:?}",
        a.answers[1].details
    );
}

#[test]
fn the_core_limit_is_the_highest_the_reference_runs_measured() {
    let rows = office(7, clear_means);
    let (claims, _) = analyse(&rows);
    let mut low = env("abc");
    low["core_limit"]["speedup"]["2"] = json!(1.5);
    let high = env("abc");
    let r = crate::replicate::replicate(&claims, &claims, &[], &[]);
    let a = answers(&Inputs {
        compare: CompareRun {
            folder: "results/x",
            env: &low,
            rows: &rows,
            claims: &claims,
        },
        replication: Some(("results/y", &high, &r)),
        second_rows: None,
        capacity: None,
        memory: None,
    });
    let text = a.core_limit.unwrap();
    assert!(
        text.starts_with("2 cores give at most 1.90× the work of one here")
            && text.contains("the highest of 2 measurements in these runs, the lowest 1.50×"),
        "{text}"
    );
}

#[test]
fn an_arrangement_keeps_up_only_where_it_kept_up_in_both_compares() {
    let rows = office(7, clear_means);
    let (claims, _) = analyse(&rows);
    let e = env("abc");
    let r = crate::replicate::replicate(&claims, &claims, &[], &[]);
    let mut second = rows.clone();
    for row in second
        .iter_mut()
        .filter(|r| r.strategy == "many" && r.cores == 2)
    {
        row.status = Status::Saturated;
    }
    let a = answers(&Inputs {
        compare: CompareRun {
            folder: "results/x",
            env: &e,
            rows: &rows,
            claims: &claims,
        },
        replication: Some(("results/y", &e, &r)),
        second_rows: Some(&second),
        capacity: None,
        memory: None,
    });
    let q5 = &a.answers[4].lead;
    assert!(q5.contains("on every mixed day in both compares"), "{q5}");
    // `many` kept up on 2 cores in the first compare only: it is not offered there.
    assert!(
        q5.contains("on 1 core: base, switcher, many; on 2 cores: base, switcher;"),
        "{q5}"
    );
}
