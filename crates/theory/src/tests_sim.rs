//! The closed forms and the predictions against the discrete-event simulations of `sim.rs`:
//! every formula is checked against a queue that was actually run (M/G/1 FIFO, non-preemptive
//! priority, M/M/c, M/D/c, a FIFO executor with a poll budget), and [`super::predict`] against
//! workload-shaped simulations. Run with `--nocapture` to see formula and simulation side by
//! side.

use super::formulas::{load, looked_pieces_second_moment};
use super::sim::{self, Arrive, Coop, Service};
use super::*;
use crate::fixtures::declared;
use workload::spec::Arrivals;
use workload::{Scenario, Spec};

/// Asserts `formula` within `tol` (relative) of `simulated`, and shows both (`--nocapture`).
fn agree(what: &str, formula: f64, simulated: f64, tol: f64) {
    let err = formula / simulated - 1.0;
    eprintln!(
        "{what}: formula {formula:.4}, simulation {simulated:.4}, {:+.2}%",
        err * 100.0
    );
    assert!(
        err.abs() <= tol,
        "{what}: formula {formula} vs simulation {simulated}"
    );
}

#[test]
fn pollaczek_khinchine_matches_fifo_simulation() {
    // (call rate, call service, desk rate, desk service): ρ = 0.3, 0.6, 0.8.
    let cases = [
        (0.2, 1.0, 0.01, 10.0),
        (0.3, 1.0, 0.03, 10.0),
        (0.05, 6.0, 0.02, 25.0),
    ];
    for (i, &(lc, sc, la, sa)) in cases.iter().enumerate() {
        let classes = [
            JobClass::deterministic(lc, sc),
            JobClass::deterministic(la, sa),
        ];
        let w = pk_mean_wait(&classes).unwrap();
        let streams = [
            (Arrive::Poisson(lc), Service::Fixed(sc)),
            (Arrive::Poisson(la), Service::Fixed(sa)),
        ];
        let (calls, all) = sim::fifo(1, &streams, 600_000, 11 + i as u64);
        let what = format!("M/G/1 ρ={:.2}", load(&classes));
        agree(&format!("{what} calls"), w, calls, 0.05);
        agree(&format!("{what} all"), w, all, 0.05);
    }
}

/// Chunked desk work as the formula builds it from a spec-like description.
fn coop(calls: f64, pickup: f64, ex: u32, reply: f64, appts: f64, desk: u64, q: u64) -> Coop {
    let chunks = workload::work::chunks(desk, q)
        .map(|r| (r.end - r.start) as f64)
        .collect();
    Coop {
        calls,
        pickup,
        exchanges: ex,
        reply,
        listen: 2_000.0,
        appts: Arrive::Poisson(appts),
        chunks,
        independent: true,
    }
}

fn cobham_of(m: &Coop) -> (f64, f64) {
    let rate = match m.appts {
        Arrive::Poisson(r) | Arrive::Periodic(r) => r,
    };
    let high = [
        JobClass::deterministic(m.calls, m.pickup),
        JobClass::deterministic(m.calls * f64::from(m.exchanges), m.reply),
    ];
    let low: Vec<JobClass> = m
        .chunks
        .iter()
        .map(|&s| JobClass::deterministic(rate, s))
        .collect();
    (
        cobham_high_priority_wait(&high, &low).unwrap(),
        load(&high) + load(&low),
    )
}

#[test]
fn cobham_matches_priority_simulation() {
    // Rates per µs, times in µs (work units at 1 µs). Total ρ ≈ 0.3, 0.6, 0.8, 0.7;
    // chunk sizes 100 (even split), 250 of 1 100 (a remainder), one whole check.
    let cases = [
        coop(2e-4, 20.0, 3, 50.0, 5e-5, 5_000, 100),
        coop(1e-3, 20.0, 3, 50.0, 1e-4, 4_300, 250),
        coop(4e-4, 50.0, 2, 200.0, 1.2e-4, 5_000, 1_000),
        coop(5e-3, 10.0, 1, 20.0, 2e-4, 2_000, 2_000),
    ];
    for (i, m) in cases.iter().enumerate() {
        let (w, rho) = cobham_of(m);
        let s = sim::priority(m, 300_000, 21 + i as u64);
        agree(
            &format!(
                "priority ρ={rho:.2} chunks {:.0}×{}",
                m.chunks[0],
                m.chunks.len()
            ),
            w,
            s,
            0.05,
        );
    }
}

#[test]
fn cobham_tracks_workload_shaped_priority_simulation() {
    // Replies ready `listen` after the previous step, appointments as batches of chunks:
    // the Poisson stand-ins of the formula barely matter for the pick-up wait.
    let office = Coop {
        appts: Arrive::Periodic(2e-5),
        independent: false,
        ..coop(2e-4, 18.6, 3, 46.5, 2e-5, 4_650, 93)
    };
    let back = Coop {
        independent: false,
        ..coop(5e-5, 18.6, 3, 46.5, 5e-5, 13_950, 232)
    };
    let busy = Coop {
        appts: Arrive::Periodic(1e-4),
        independent: false,
        ..coop(1e-3, 20.0, 4, 60.0, 1e-4, 5_000, 250)
    };
    for (i, (what, m)) in [
        ("office-like", office),
        ("back-office-like", back),
        ("busy", busy),
    ]
    .into_iter()
    .enumerate()
    {
        let (w, rho) = cobham_of(&m);
        let s = sim::priority(&m, 200_000, 31 + i as u64);
        agree(&format!("workload-shaped {what} ρ={rho:.2}"), w, s, 0.05);
    }
}

#[test]
fn budget_model_tracks_a_relayed_fifo_executor() {
    // A FIFO executor shaped like strategy-async-std (a phone-line task spawns each call task
    // behind the desk; timers admitted when idle or every 200 polls): the budgeted closed form
    // (looks every 200 polls and at a check's end, no relay) is close while checks seldom run
    // back to back; looking at every yield would be far too low.
    let budget = 200u64;
    let estimate = |m: &Coop, rate: f64| {
        let high = [
            JobClass::deterministic(m.calls, m.pickup),
            JobClass::deterministic(m.calls * f64::from(m.exchanges), m.reply),
        ];
        let n = m.chunks.len() as u64;
        let (poll, last) = (m.chunks[0], m.chunks[m.chunks.len() - 1]);
        let cut = JobClass {
            rate,
            mean: m.chunks.iter().sum(),
            second_moment: looked_pieces_second_moment(n, poll, last, budget),
        };
        cobham_high_priority_wait(&high, &[cut]).unwrap()
    };
    let office = Coop {
        appts: Arrive::Periodic(2e-5),
        independent: false,
        ..coop(2e-4, 18.6, 3, 46.5, 2e-5, 4_650, 93)
    };
    let fine = Coop {
        chunks: vec![46.5; 100],
        ..office.clone()
    };
    let finer = Coop {
        appts: Arrive::Periodic(2e-5),
        independent: false,
        ..coop(5e-4, 18.6, 3, 46.5, 2e-5, 10_000, 10)
    };
    for (i, (what, m, rate)) in [
        ("office-like, 50 chunks", office, 2e-5),
        ("100 chunks", fine, 2e-5),
        ("1000 chunks", finer, 2e-5),
    ]
    .into_iter()
    .enumerate()
    {
        let (ideal, rho) = cobham_of(&m);
        let est = estimate(&m, rate);
        let s = sim::relayed_executor(&m, budget as usize, 100_000, 81 + i as u64);
        eprintln!("  budgeted {what}: every-yield W_high {ideal:.1}");
        agree(
            &format!("relayed FIFO executor {what} ρ={rho:.2}: budgeted closed form"),
            est,
            s,
            0.12,
        );
        assert!(s > 5.0 * ideal, "{s} vs {ideal}");
    }
    // Poisson checks, which often run back to back: the desk keeps the queue busy across
    // checks, no look comes at a check's end, and the closed form falls short — badly when the
    // desk is heavy. Its docs say so.
    let poisson = Coop {
        independent: false,
        ..coop(5e-4, 18.6, 3, 46.5, 4e-5, 10_000, 10)
    };
    let back = Coop {
        independent: false,
        ..coop(5e-5, 18.6, 3, 46.5, 5e-5, 13_950, 232)
    };
    for (i, (what, m, rate, short)) in [
        ("Poisson desk 0.4, 1000 chunks", poisson, 4e-5, 1.1),
        ("back-office-like", back, 5e-5, 1.5),
    ]
    .into_iter()
    .enumerate()
    {
        let est = estimate(&m, rate);
        let s = sim::relayed_executor(&m, budget as usize, 100_000, 91 + i as u64);
        eprintln!("relayed {what}: budgeted closed form {est:.0}, simulation {s:.0}");
        assert!(s > short * est, "{s} vs {est}");
    }
}

#[test]
fn erlang_c_matches_mmc_simulation() {
    for (i, &(c, rho)) in [(2usize, 0.3), (2, 0.6), (2, 0.8), (3, 0.7)]
        .iter()
        .enumerate()
    {
        let lambda = rho * c as f64;
        let w = mgc_mean_wait_allen_cunneen(c, lambda, 1.0, 1.0).unwrap();
        let (s, _) = sim::fifo(
            c,
            &[(Arrive::Poisson(lambda), Service::Exp(1.0))],
            600_000,
            41 + i as u64,
        );
        agree(&format!("M/M/{c} ρ={rho}"), w, s, 0.05);
    }
}

#[test]
fn cosmetatos_matches_mdc_simulation() {
    for (i, &(c, rho)) in [(2usize, 0.3), (2, 0.5), (2, 0.8), (4, 0.6), (4, 0.85)]
        .iter()
        .enumerate()
    {
        let lambda = rho * c as f64;
        let w = cosmetatos_md_c_wait(c, lambda, 1.0).unwrap();
        let ac = mgc_mean_wait_allen_cunneen(c, lambda, 1.0, 0.0).unwrap();
        let (s, _) = sim::fifo(
            c,
            &[(Arrive::Poisson(lambda), Service::Fixed(1.0))],
            600_000,
            51 + i as u64,
        );
        eprintln!(
            "M/D/{c} ρ={rho}: plain Allen–Cunneen {ac:.4} ({:+.1}%)",
            (ac / s - 1.0) * 100.0
        );
        agree(&format!("M/D/{c} ρ={rho} Cosmetatos"), w, s, 0.05);
    }
}

#[test]
fn predictions_match_workload_shaped_simulations() {
    let ns = 930.0;
    let u = ns / 1e3;
    // Sequential, Poisson appointments: exactly the M/G/1 model.
    let seq = Spec {
        calls_per_s: 80.0,
        appointments_per_s: 20.0,
        appointment_arrivals: Arrivals::Poisson,
        desk_work: 5_000,
        ..Scenario::Office.spec()
    };
    let p = predict(declared("sequential"), 1, &seq, ns).unwrap();
    let hold = (seq.call_work() as f64) * u + 3.0 * seq.listen_us as f64;
    let streams = [
        (Arrive::Poisson(80e-6), Service::Fixed(hold)),
        (Arrive::Poisson(20e-6), Service::Fixed(5_000.0 * u)),
    ];
    let (s, _) = sim::fifo(1, &streams, 300_000, 61);
    agree(
        &format!("sequential Poisson desk ρ={:.2}", p.rho),
        p.mean_pickup_wait_us.unwrap(),
        s,
        0.05,
    );
    // Periodic appointments: the Poisson stand-in over-predicts; say by how much.
    let periodic = Spec {
        appointment_arrivals: Arrivals::Periodic,
        ..seq.clone()
    };
    let pp = predict(declared("sequential"), 1, &periodic, ns).unwrap();
    let streams = [streams[0], (Arrive::Periodic(20e-6), streams[1].1)];
    let (s, _) = sim::fifo(1, &streams, 300_000, 62);
    let w = pp.mean_pickup_wait_us.unwrap();
    eprintln!(
        "sequential periodic desk ρ={:.2}: formula {w:.1}, simulation {s:.1}, {:+.1}%",
        pp.rho,
        (w / s - 1.0) * 100.0
    );
    assert!(w >= s && w <= 1.25 * s, "{w} vs {s}");
    // Rayon, calls only, 2 and 3 threads: M/D/c.
    for (i, (c, rate)) in [(2usize, 250.0), (3, 340.0)].into_iter().enumerate() {
        let spec = Spec {
            calls_per_s: rate,
            desk_work: 0,
            ..Scenario::Office.spec()
        };
        let p = predict(declared("rayon"), c, &spec, ns).unwrap();
        let hold = spec.call_work() as f64 * u + 3.0 * spec.listen_us as f64;
        let (s, _) = sim::fifo(
            c,
            &[(Arrive::Poisson(rate / 1e6), Service::Fixed(hold))],
            400_000,
            71 + i as u64,
        );
        agree(
            &format!("rayon {c} threads ρ={:.2}", p.rho),
            p.mean_pickup_wait_us.unwrap(),
            s,
            0.05,
        );
    }
}
