//! The one-worker cooperative model with a timer budget, switch overhead and delivery delay
//! ([`super::predict_with`] on a declared `one_cooperative(Some(budget))` or a timer thread)
//! against `sim_looks`, the simulated worker with the same looks, shaped like the workload.
//! Run with `--nocapture` to see both side by side.

use super::sim::{Arrive, Coop};
use super::sim_looks::{SimLooks, looked};
use super::{Overheads, predict_with};
use workload::spec::Arrivals;
use workload::{Arrangement, Desk, Scenario, Spec, Switching, Workers};

/// 1 µs per work unit: the spec's units are the simulation's µs.
const NS: f64 = 1_000.0;

/// Relative tolerance of formula against simulation: the formula's Poisson stand-ins for
/// replies and chunks, its uniform look phase at a check's start and its look at every
/// check's end are approximations of the simulated worker.
const TOLERANCE: f64 = 0.08;

/// An office-like spec at 1 µs per unit.
fn spec(appts: f64, arrivals: Arrivals, desk: u64, chunk: u64) -> Spec {
    Spec {
        calls_per_s: 200.0,
        exchanges: 3,
        listen_us: 2_000,
        pickup_work: 17,
        reply_work: 43,
        appointments_per_s: appts,
        appointment_arrivals: arrivals,
        desk_work: desk,
        chunk,
        ..Scenario::Office.spec()
    }
}

/// The simulated worker for `spec`.
fn coop(spec: &Spec) -> Coop {
    let rate = spec.appointments_per_s / 1e6;
    Coop {
        calls: spec.calls_per_s / 1e6,
        pickup: spec.pickup_work as f64,
        exchanges: spec.exchanges,
        reply: spec.reply_work as f64,
        listen: spec.listen_us as f64,
        appts: match spec.appointment_arrivals {
            Arrivals::Periodic => Arrive::Periodic(rate),
            Arrivals::Poisson => Arrive::Poisson(rate),
            Arrivals::AtOpening => panic!("a batch day is not simulated here"),
        },
        chunks: workload::work::chunks(spec.desk_work, spec.chunk)
            .map(|r| (r.end - r.start) as f64)
            .collect(),
        independent: false,
    }
}

/// What a cooperative strategy declares: its own looks every `budget` polls, or (`None`) a
/// timer thread.
fn declared(budget: Option<u32>) -> Arrangement {
    Arrangement {
        workers: Workers::One,
        switching: Switching::Cooperative,
        timer_check_polls: budget,
        desk: Desk::OneWorker,
    }
}

/// Formula against simulation for one case; returns the formula's wait.
fn check(what: &str, spec: &Spec, budget: Option<u32>, o: Overheads, seed: u64) -> f64 {
    let p = predict_with(Some(declared(budget)), 1, spec, NS, &o).expect("a cooperative model");
    let w = p.mean_pickup_wait_us.expect("not saturated");
    let looks = SimLooks {
        budget: budget.map_or(1, u64::from),
        own: budget.is_some(),
        switch: o.switch_us,
        delivery: o.delivery_us,
    };
    let s = looked(&coop(spec), looks, 120_000, seed) - o.delivery_us;
    if w == 0.0 {
        // The rings that skip the delay save more than the others queue: the formula says 0
        // (a mean wait is not negative), the simulated mean pick-up is below the delay.
        eprintln!("{what} (budget {budget:?}): formula 0 (clamped), simulation {s:.1}");
        assert!(s < 0.5, "{what}: formula 0 vs simulation {s}");
        return w;
    }
    let err = w / s - 1.0;
    eprintln!(
        "{what} (ρ = {:.2}, budget {budget:?}, switch {} µs, delivery {} µs): formula {w:.1}, simulation {s:.1}, {:+.1}%",
        p.rho,
        o.switch_us,
        o.delivery_us,
        err * 100.0
    );
    assert!(
        err.abs() <= TOLERANCE,
        "{what}: formula {w} vs simulation {s}"
    );
    assert!((p.delivery_us - o.delivery_us).abs() < 1e-9);
    w
}

#[test]
fn timer_budgets_1_61_200_match_the_simulated_worker() {
    let none = Overheads {
        switch_us: 0.0,
        delivery_us: 0.0,
    };
    let costs = Overheads {
        switch_us: 0.5,
        delivery_us: 40.0,
    };
    // The office at 10-unit chunks (433 per check): a budget cuts each check into pieces of
    // up to 61 or 200 chunks; looking at every yield leaves the chunk in progress.
    let office = spec(20.0, Arrivals::Periodic, 4_328, 10);
    let mut by_budget = Vec::new();
    for (i, budget) in [1, 61, 200].into_iter().enumerate() {
        let w = check(
            "office, chunk 10",
            &office,
            Some(budget),
            none,
            101 + i as u64,
        );
        check(
            "office, chunk 10",
            &office,
            Some(budget),
            costs,
            111 + i as u64,
        );
        by_budget.push(w);
    }
    assert!(
        by_budget[0] < by_budget[1] && by_budget[1] < by_budget[2],
        "{by_budget:?}"
    );
    // Load ≥ 0.3: 50 chunks of 100 per check, so a budget of 61 or 200 waits out the check.
    let busy = spec(60.0, Arrivals::Periodic, 5_000, 100);
    for (i, budget) in [1, 61, 200].into_iter().enumerate() {
        check(
            "load 0.33, chunk 100",
            &busy,
            Some(budget),
            costs,
            121 + i as u64,
        );
    }
    // Poisson appointments and a remainder chunk (5 chunks: 4 × 1 000 + 328).
    let poisson = spec(30.0, Arrivals::Poisson, 4_328, 1_000);
    for (i, budget) in [1, 200].into_iter().enumerate() {
        check(
            "Poisson desk, chunk 1000",
            &poisson,
            Some(budget),
            costs,
            131 + i as u64,
        );
    }
}

#[test]
fn switch_overhead_and_timer_thread_match_the_simulated_worker() {
    // A switch overhead of 2 µs on 10-unit chunks adds a fifth to every piece of desk work.
    let office = spec(20.0, Arrivals::Periodic, 4_328, 10);
    let slow = Overheads {
        switch_us: 2.0,
        delivery_us: 0.0,
    };
    let fast = Overheads {
        switch_us: 0.0,
        ..slow
    };
    let w_slow = check("office, 2 µs switches", &office, Some(200), slow, 141);
    let w_fast = check("office, free switches", &office, Some(200), fast, 142);
    assert!(w_slow > 1.3 * w_fast, "{w_slow} vs {w_fast}");
    // A timer thread: every ring pays the delivery delay, busy worker or not, so nothing of it
    // is taken off the queueing (own looks take ρ·delay off).
    let desk = spec(40.0, Arrivals::Periodic, 5_000, 250);
    let thread = Overheads {
        switch_us: 0.5,
        delivery_us: 60.0,
    };
    let apart = check("timer thread, chunk 250", &desk, None, thread, 151);
    let own = check("own looks, chunk 250", &desk, Some(1), thread, 152);
    assert!(apart > own, "{apart} vs {own}");
}
