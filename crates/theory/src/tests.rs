//! Unit tests of the theory that need no simulation: the closed forms against textbook
//! values, and [`super::predict`]'s spec → model mapping (which cells get a prediction,
//! saturation, the patience check, serialisation). The formulas against simulated queues are
//! in `tests_sim.rs`.

use super::*;
use crate::fixtures::declared;
use workload::{Scenario, Spec};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn formulas_give_textbook_values() {
    // M/D/1, ρ = 0.5, S = 1: W = λS²/(2(1−ρ)) = 0.5.
    let md1 = pk_mean_wait(&[JobClass::deterministic(0.5, 1.0)]).unwrap();
    assert!(close(md1, 0.5));
    // M/M/1, ρ = 0.5, S = 1: W = ρ/(μ−λ) = 1.
    let mm1 = JobClass {
        rate: 0.5,
        mean: 1.0,
        second_moment: 2.0,
    };
    assert!(close(pk_mean_wait(&[mm1]).unwrap(), 1.0));
    assert_eq!(pk_mean_wait(&[JobClass::deterministic(1.0, 1.0)]), None);
    // Erlang C: c = 1 gives ρ; c = 2, a = 1 gives 1/3.
    assert!(close(erlang_c(1, 0.7).unwrap(), 0.7));
    assert!(close(erlang_c(2, 1.0).unwrap(), 1.0 / 3.0));
    assert_eq!(erlang_c(2, 0.0), Some(0.0));
    assert_eq!(erlang_c(2, 2.0), None);
    assert_eq!(erlang_c(0, 0.1), None);
    assert_eq!(erlang_c(3, f64::NAN), None);
    // Large c stays finite and in [0, 1].
    let big = erlang_c(20_000, 19_900.0).unwrap();
    assert!(big > 0.0 && big < 1.0, "{big}");
    // M/M/2, λ = 1, S = 1: Wq = C/(cμ−λ) = (1/3)/1.
    assert!(close(
        mgc_mean_wait_allen_cunneen(2, 1.0, 1.0, 1.0).unwrap(),
        1.0 / 3.0
    ));
    // c = 1: Allen–Cunneen and Cosmetatos are Pollaczek–Khinchine.
    assert!(close(
        mgc_mean_wait_allen_cunneen(1, 0.5, 1.0, 0.0).unwrap(),
        md1
    ));
    assert!(close(cosmetatos_md_c_wait(1, 0.5, 1.0).unwrap(), md1));
    assert_eq!(mgc_mean_wait_allen_cunneen(2, 0.0, 1.0, 0.0), Some(0.0));
    assert_eq!(cosmetatos_md_c_wait(2, 2.0, 1.0), None);
    // Cobham with no low class is P–K; the low class adds only its residual.
    let h = [
        JobClass::deterministic(0.2, 1.0),
        JobClass::deterministic(0.1, 2.0),
    ];
    assert!(close(
        cobham_high_priority_wait(&h, &[]).unwrap(),
        pk_mean_wait(&h).unwrap()
    ));
    let l = [JobClass::deterministic(0.1, 3.0)];
    // W0 = (0.2 + 0.4 + 0.9)/2 = 0.75; ρ_high = 0.4 → 1.25.
    assert!(close(cobham_high_priority_wait(&h, &l).unwrap(), 1.25));
    assert_eq!(
        cobham_high_priority_wait(&h, &[JobClass::deterministic(0.2, 3.0)]),
        None
    );
}

#[test]
fn predict_covers_the_closed_form_cells_only() {
    let spec = Spec {
        calls_per_s: 100.0,
        listen_us: 1_000,
        ..Scenario::BackOffice.spec()
    };
    for (strategy, cores) in [
        ("sequential", 1),
        ("sequential", 2),
        ("green", 1),
        ("async-std", 1),
        ("strategy-green", 1),
    ] {
        assert!(
            predict(declared(strategy), cores, &spec, 930.0).is_some(),
            "{strategy} {cores}"
        );
    }
    for (strategy, cores) in [
        ("threads", 1),
        ("threads", 2),
        ("green", 2),
        ("async-std", 2),
        ("undeclared", 1),
        ("rayon", 0),
    ] {
        assert_eq!(
            predict(declared(strategy), cores, &spec, 930.0),
            None,
            "{strategy} {cores}"
        );
    }
    // Rayon only where the desk is negligible.
    assert_eq!(predict(declared("rayon"), 2, &spec, 930.0), None);
    let calls_only = Spec {
        desk_work: 0,
        ..spec.clone()
    };
    let p = predict(declared("rayon"), 2, &calls_only, 930.0).unwrap();
    assert!(
        p.mean_pickup_wait_us.is_some() && p.model.contains("M/D/c"),
        "{p:?}"
    );
    let light_desk = Spec {
        appointments_per_s: 1.0,
        desk_work: 10_000,
        ..spec.clone()
    };
    assert!(predict(declared("rayon"), 2, &light_desk, 930.0).is_some()); // 0.0047 of the pool
    // No calls, or no sensible unit time: nothing to predict.
    assert_eq!(
        predict(
            declared("sequential"),
            1,
            &Spec {
                calls_per_s: 0.0,
                ..spec.clone()
            },
            930.0
        ),
        None
    );
    assert_eq!(predict(declared("sequential"), 1, &spec, 0.0), None);
    assert_eq!(predict(declared("sequential"), 1, &spec, f64::NAN), None);
    // Serialisable into result rows.
    let p = predict(declared("green"), 1, &spec, 930.0).unwrap();
    let back: Prediction = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(back, p);
}

#[test]
fn saturation_is_reported_not_a_number() {
    // Office: each call holds the waiting secretary ~6.2 ms, 200 calls/s → ρ ≈ 1.33.
    let office = Scenario::Office.spec();
    let p = predict(declared("sequential"), 1, &office, 930.0).unwrap();
    assert!(
        p.saturated() && p.mean_pickup_wait_us.is_none() && !p.reliable,
        "{p:?}"
    );
    assert!(p.rho > 1.2 && p.rho < 1.4, "{}", p.rho);
    assert!(p.note.starts_with("saturated"), "{}", p.note);
    // The interleaving secretary keeps up: a few µs of CPU ahead of each pick-up where it sees
    // a ring at its next yield (green's timer thread, the event loop's look at every step)...
    let event_loop = Some(workload::Arrangement::one_cooperative(Some(1)));
    for yields in [declared("green"), event_loop] {
        let g = predict(yields, 1, &office, 930.0).unwrap();
        let w = g.mean_pickup_wait_us.unwrap();
        assert!(g.rho < 0.2 && w > 1.0 && w < 20.0 && g.reliable, "{g:?}");
        assert_eq!(g.every_yield_us, None);
    }
    // ... but async-std looks at its timers only every 200 polls or when its queue empties, so
    // a ring during a check of 50 chunks waits for the rest of the check (λ_a·S²/2), unless a
    // look after 200 polls falls inside it (one check in four).
    let g = predict(declared("async-std"), 1, &office, 930.0).unwrap();
    let w = g.mean_pickup_wait_us.unwrap();
    let check = office.desk_work as f64 * 0.93;
    let rest = office.appointments_per_s / 1e6 * check * check / 2.0;
    assert!(
        w > 0.75 * rest && w < 1.1 * rest && g.reliable,
        "{w} vs {rest}: {g:?}"
    );
    assert!(g.note.contains("every 200 polls"), "{}", g.note);
    assert!(g.every_yield_us.is_some_and(|y| y < 20.0), "{g:?}");
    // Rush hour: the calls' own CPU exceeds one core, even for the cooperative secretary.
    let rush = Scenario::RushHour.spec();
    assert!(
        predict(declared("green"), 1, &rush, 930.0)
            .unwrap()
            .saturated()
    );
    // Call center on rayon: 15 000 erlangs on 2 threads.
    let cc = Spec {
        desk_work: 0,
        ..Scenario::CallCenter.spec()
    };
    let r = predict(declared("rayon"), 2, &cc, 930.0).unwrap();
    assert!(r.saturated() && r.rho > 1_000.0, "{r:?}");
}

#[test]
fn patience_marks_unreliable_predictions() {
    // Sequential at ρ ≈ 0.8 with 6 ms calls: mean wait ~12 ms vs 20 ms patience.
    let spec = Spec {
        calls_per_s: 120.0,
        appointments_per_s: 5.0,
        desk_work: 1_000,
        ..Scenario::Office.spec()
    };
    let p = predict(declared("sequential"), 1, &spec, 930.0).unwrap();
    let w = p.mean_pickup_wait_us.unwrap();
    assert!(!p.reliable && w > 5_000.0, "{p:?}");
    assert!(p.note.contains("UNRELIABLE"), "{}", p.note);
    // Ample patience: reliable.
    let patient = Spec {
        patience_us: 10_000_000,
        ..spec
    };
    assert!(
        predict(declared("sequential"), 1, &patient, 930.0)
            .unwrap()
            .reliable
    );
}
