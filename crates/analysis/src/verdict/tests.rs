//! Tests of the verdict on fixture rows: each question's answer, no claim where ranges overlap, failed cells left out, the switchboard's purpose.

use super::*;
use lab::fixtures::{declared, sample_results};

fn rows() -> Vec<Row> {
    let mut rows = sample_results().rows;
    for r in &mut rows {
        r.arrangement = declared(&r.strategy);
    }
    rows
}

#[test]
fn interleaving_and_purpose_from_fixture_rows() {
    let v = verdicts(&rows(), None);
    assert_eq!(v.len(), 2, "office and back-office");
    let office = &v[0];
    assert_eq!(office.scenario, "office");
    assert_eq!(office.runs, 3);
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
            .starts_with("threads, 1 core: missed 0.0 %")
    );
    assert!(
        office
            .interleaving
            .text
            .contains("against sequential, 1 core: missed 40")
    );
    assert_eq!(office.purpose.call, Call::Yes, "{:?}", office.purpose);
    assert!(office.best.starts_with("threads"), "{}", office.best);
    assert!(office.why.starts_with("Concurrency is enough") || office.why.starts_with("Both"));
}

#[test]
fn no_claim_where_ranges_overlap_and_none_without_a_baseline() {
    let mut rows = rows();
    // The baseline as good as the best, with overlapping ranges: unclear, not "yes".
    let threads = rows
        .iter()
        .find(|r| r.scenario == "office" && r.strategy == "threads" && r.cores == 1)
        .unwrap()
        .clone();
    for r in rows
        .iter_mut()
        .filter(|r| r.scenario == "office" && r.strategy == "sequential" && r.cores == 1)
    {
        r.figures = threads.figures.clone();
        r.ranges = threads.ranges.clone();
        r.status = Status::Ok;
    }
    let v = verdicts(&rows, None);
    assert_eq!(
        v[0].interleaving.call,
        Call::Unclear,
        "{:?}",
        v[0].interleaving
    );
    assert_eq!(
        v[0].purpose.call,
        Call::No,
        "the baseline kept up: not shown"
    );
    assert!(v[0].best.contains("not clearly ahead"), "{}", v[0].best);
    // Undeclared strategies: no baseline to compare with.
    for r in &mut rows {
        r.arrangement = None;
    }
    let v = verdicts(&rows, None);
    assert_eq!(v[0].interleaving.call, Call::NotMeasured);
}

#[test]
fn failed_cells_are_left_out() {
    let v = verdicts(&rows(), None);
    let back = &v[1];
    assert_eq!(back.scenario, "back-office");
    // threads on 2 cores crashed in the fixture: the second core's best is sequential's.
    assert!(
        !back.second_core.text.contains("threads, 2 cores"),
        "{:?}",
        back.second_core
    );
}

#[test]
fn the_switchboard_purpose_is_a_thread_per_call_exhausted_where_a_task_held_every_call() {
    let mut rows: Vec<Row> = rows()
        .into_iter()
        .filter(|r| r.scenario == "office" && r.cores == 1)
        .collect();
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
    let v = verdicts(&rows, None);
    let p = &v[0].purpose;
    assert_eq!(p.call, Call::Yes, "{p:?}");
    assert!(p.text.starts_with("threads exhausted (84"), "{p:?}");
    assert!(p.text.contains("held every call"), "{p:?}");
    // The thread per call held them too: not shown.
    for r in &mut rows {
        r.status = Status::Ok;
        r.figures.missed_share = 0.0;
    }
    assert_eq!(verdicts(&rows, None)[0].purpose.call, Call::No);
}
