//! The one-worker cooperative model: one worker interleaves the calls' CPU steps and the desk's
//! chunks, and a ring waits for the worker's next **look at its timers**, then for the call
//! steps already admitted. Cobham's non-preemptive priority formula
//! ([`cobham_high_priority_wait`]) with the calls' steps as the high class and, as the low
//! class, the desk work **between two looks** — what a ring that arrives during a check has to
//! sit out.
//!
//! The declared arrangement says when the worker looks
//! ([`Arrangement::timer_check_polls`](workload::Arrangement)):
//!
//! - **every `budget` polls while tasks stay ready, and whenever its queue empties**
//!   (`Some(budget)`: a hand-written loop 1, tokio 61, async-executor 200). A check of `n`
//!   chunks is cut into pieces of `budget` polls at a phase uniform in `0..budget` (the look
//!   counter runs on across checks) and at its end
//!   ([`looked_pieces_second_moment`]); with `budget` ≥ `n` a ring that arrives during a check
//!   waits for the rest of the check, not for the chunk in progress. The look is the worker's
//!   own, so a ring that finds it busy needs no waking.
//! - **at every yield, through a timer thread of its own** (`None`): the pieces are the
//!   chunks, but every ring goes through that thread, busy worker or not.
//!
//! Two costs, measured apart and passed in ([`Overheads`]):
//!
//! - **switch overhead** `s`: every poll (a desk chunk, a call step) costs `s` µs more CPU —
//!   the scheduler's switch plus the office's bookkeeping per chunk; it lengthens the pieces
//!   and adds to the load;
//! - **delivery delay** `D`: how long a ring waits when it finds the worker free (its timer's
//!   lateness and the thread's wake-up). The prediction is the mean wait *beyond* `D` — what
//!   the harness measures as mean pick-up − `D`. A ring that finds the worker busy (probability
//!   ρ, PASTA) is seen at the worker's next look without a wake-up, and one that finds it asleep
//!   is seen when the delay is over or when any other timer wakes it sooner, so with looks of
//!   its own the prediction is `W_high − ρ·D − (1 − ρ)·(D − E[min(D, T)])`, `T` exponential at
//!   the rate of the other timers (rings, ends of listening, due checks), and never below 0;
//!   through a timer thread every ring pays `D` and it is `W_high`.
//!
//! *Approximations* (checked against the simulation in `tests_looks.rs`): replies and chunks
//! as Poisson streams (the formula's; they really come `listen_us` apart and in a batch per
//! appointment); a check's pieces as if no call step fell inside it (call polls shift the look
//! counter by one each); a look when a check ends even if the next one is already due (with
//! back-to-back checks and a budget longer than a check, the real pieces are longer: the
//! prediction is then too low). Not modelled: how a woken call is queued (behind the desk in a
//! FIFO executor: one more chunk), a timer thread that must wait for the one core the busy
//! worker holds, a second thread that looks at the timers for the worker (async-io's, during
//! long busy stretches), a yield that parks the task until the timers were looked at (tokio's
//! `yield_now`: while only the desk is ready, tokio looks at every yield, whatever its budget).

use super::formulas::{JobClass, cobham_high_priority_wait, load, looked_pieces_second_moment};
use super::models::{Times, finish};
use super::{Overheads, Prediction};
use workload::Spec;

/// When a one-worker cooperative scheduler looks at its timers (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Looks {
    /// Polls between two looks while tasks stay ready (1: at every yield).
    pub budget: u64,
    /// The looks are the worker's own (`true`) or a timer thread's (`false`).
    pub own: bool,
}

/// The calls' CPU steps, each with the switch overhead: the high class.
fn call_steps(t: &Times, s: f64) -> [JobClass; 2] {
    [
        JobClass::deterministic(t.calls, t.pickup + s),
        JobClass::deterministic(t.calls * t.exchanges, t.reply + s),
    ]
}

/// One appointment check as a class of its own: rate λ_a, mean the whole check, second moment
/// E\[Σ p²\] over its pieces between looks — all Cobham's W0 and ρ need.
fn desk_check(t: &Times, spec: &Spec, s: f64, budget: u64) -> JobClass {
    let q = spec.chunk.max(1);
    let polls = spec.desk_work.div_ceil(q);
    let last_units = spec.desk_work - (polls.max(1) - 1) * q;
    let (poll, last) = (q as f64 * t.unit + s, last_units as f64 * t.unit + s);
    JobClass {
        rate: if polls > 0 { t.appts } else { 0.0 },
        mean: if polls > 0 {
            (polls - 1) as f64 * poll + last
        } else {
            0.0
        },
        second_moment: looked_pieces_second_moment(polls, poll, last, budget),
    }
}

/// The mean wait beyond the delivery delay, with looks every `budget` polls; `None` when
/// saturated.
fn wait_beyond_delivery(
    t: &Times,
    spec: &Spec,
    o: &Overheads,
    budget: u64,
    own: bool,
) -> Option<f64> {
    let high = call_steps(t, o.switch_us);
    let desk = [desk_check(t, spec, o.switch_us, budget)];
    let w = cobham_high_priority_wait(&high, &desk)?;
    if !own {
        return Some(w);
    }
    // Own looks: a ring that finds the worker busy (ρ) skips the delay; one that finds it
    // asleep waits for it, or for any other timer (a ring, an end of listening, a due check)
    // that wakes the worker sooner: E[min(D, Exp(λ_other))].
    let rho = load(&high) + load(&desk);
    let d = o.delivery_us;
    let others = t.calls * (1.0 + t.exchanges) + t.appts;
    let asleep = if others * d > 1e-9 {
        (1.0 - (-others * d).exp()) / others
    } else {
        d
    };
    Some((w - rho * d - (1.0 - rho) * (d - asleep)).max(0.0))
}

/// The prediction for one cooperative worker that looks at its timers as `looks` says.
pub(super) fn cooperative(t: &Times, spec: &Spec, looks: Looks, o: &Overheads) -> Prediction {
    let s = o.switch_us;
    let q = spec.chunk.max(1);
    let n_chunks = spec.desk_work.div_ceil(q);
    let high = call_steps(t, s);
    let desk = desk_check(t, spec, s, looks.budget);
    let (rho_high, rho_low) = (load(&high), desk.load());
    let rho = rho_high + rho_low;
    let wait = wait_beyond_delivery(t, spec, o, looks.budget, looks.own);
    let cut = if looks.budget <= 1 || n_chunks <= 1 {
        "at every yield, so a ring waits for the chunk in progress".to_owned()
    } else if looks.budget >= n_chunks {
        format!(
            "every {} polls and when its queue empties, so a ring during a check of {n_chunks} chunks waits for the rest of the check",
            looks.budget
        )
    } else {
        format!(
            "every {} polls and when its queue empties, so a ring during a check of {n_chunks} chunks waits for up to {} of them",
            looks.budget, looks.budget
        )
    };
    let who = if looks.own {
        format!(
            "its own looks, so a ring that finds it busy (ρ = {rho:.3}) skips the {:.0} µs delivery delay",
            o.delivery_us
        )
    } else {
        "a timer thread's, so every ring pays the delivery delay".to_owned()
    };
    let mut note = format!(
        "one cooperative worker; high class = calls' CPU steps (pick-up {:.1} µs, {} replies of {:.1} µs, + {s:.2} µs switch each; listening uses no CPU), load {rho_high:.3}; low class = the desk between two looks at the timers ({n_chunks} chunk(s) of ≤ {:.1} µs + {s:.2} µs per appointment), load {rho_low:.3}; the worker looks {cut}; the looks are {who}; predicted: the mean wait beyond that delay (W_high of Cobham's formula{})",
        t.pickup,
        spec.exchanges,
        t.reply,
        q as f64 * t.unit,
        if looks.own {
            " − what the rings that skip or shorten the delay save"
        } else {
            ""
        },
    );
    let every_yield = (looks.budget > 1 && n_chunks > 1 && wait.is_some())
        .then(|| wait_beyond_delivery(t, spec, o, 1, looks.own))
        .flatten();
    if let Some(y) = every_yield {
        note.push_str(&format!(
            "; looking at every yield instead would give {y:.1} µs"
        ));
    }
    let mut p = finish(
        "M/G/1 non-preemptive priority (Cobham): call steps over the desk between looks at the timers",
        rho,
        wait,
        rho,
        t.patience,
        note,
    );
    p.delivery_us = o.delivery_us;
    p.every_yield_us = every_yield;
    p
}
