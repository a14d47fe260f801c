//! Queueing-theory predictions of the mean pick-up wait (ring → a secretary starts the call),
//! for the strategy × cores cells where a closed form fits; the harness prints them next to the
//! measured wait.
//!
//! Three models, all in µs, with the spec's CPU work turned into time by `ns_per_unit`:
//!
//! - **`sequential`** (any cores: it ignores them) — one server doing every event FIFO to
//!   completion. A call holds it for `pickup + exchanges × (listen + reply)` (listening
//!   included), an appointment for `desk_work`. Two-class **M/G/1 FIFO**, mean wait by
//!   Pollaczek–Khinchine ([`pk_mean_wait`]). *Approximation:* periodic appointments are treated
//!   as Poisson of the same rate; periodic arrivals are smoother, so this over-predicts
//!   somewhat (~5 % in the tests, with appointments 0.09 of the load).
//! - **`green`, `async-std` on 1 core** — one cooperative worker. Listening uses no CPU; the
//!   CPU steps of calls (the pick-up, each reply) are the high-priority class, because a woken
//!   call runs at the next yield point ahead of the remaining chunks of a desk check; desk
//!   chunks (`ceil(desk_work / chunk)` per appointment, each run without a yield) are the low
//!   class. **Non-preemptive priority M/G/1** (Cobham, [`cobham_high_priority_wait`]). *The
//!   pick-up wait is `W_high`*: the pick-up is the first high-priority step of a call and,
//!   calls being Poisson, it sees the time-average state (PASTA) that `W_high` describes.
//!   *Approximations:* chunks are treated as Poisson arrivals at
//!   `appointments_per_s × n_chunks` (they really come in a batch per appointment — this does
//!   not matter for the high class, whose wait only sees the time-average residual of the
//!   chunk in service), and reply steps as Poisson at `calls_per_s × exchanges` (they really
//!   become ready `listen_us` after the previous step); a workload-shaped simulation agrees
//!   within 2 %. The ringing call must be runnable at the next yield point; `strategy-green`
//!   is written so (its ringer wakes on may's timer thread and spawns the call coroutine at
//!   ring time, and the desk gets back in line behind it).
//!   **`async-std` is not**: its executor (async-executor) admits timers — rings and ends of
//!   listening — only when its run queue is empty or after every
//!   [`ASYNC_EXECUTOR_POLL_BUDGET`] polls, so a ring during a check waits for up to that many
//!   chunks (for a check of fewer chunks, for the rest of the check), and the phone-line task
//!   that then spawns the call task adds more. Its prediction is still the ideal `W_high`
//!   (what cooperative scheduling at `chunk` granularity gives); the note adds the same model
//!   with each check cut only at budget boundaries (every `budget` chunks, random phase),
//!   which simulation puts within ~10 % while checks seldom run back to back, and far too low
//!   when they often do (the desk then keeps the queue busy across checks: no closed form).
//!   Expect the measured async-std wait well above the prediction: that gap is the
//!   executor's, not the theory's.
//! - **`rayon` on `c` cores, calls only** — each call holds a pool thread for its whole
//!   duration, listening included; `c` servers FIFO, deterministic service: **M/D/c** through
//!   Erlang C ([`erlang_c`]) with the Allen–Cunneen factor `(1 + Cs²)/2`
//!   ([`mgc_mean_wait_allen_cunneen`]), refined for deterministic service by Cosmetatos'
//!   correction ([`cosmetatos_md_c_wait`]; plain Allen–Cunneen under-predicts M/D/2 by ~11 %
//!   at ρ = 0.3, see the tests). Only where the desk load is negligible: at most
//!   [`NEGLIGIBLE_DESK_LOAD`] of the pool's capacity (a desk check competes with calls for the
//!   same threads, which this model cannot express); otherwise `None`.
//!
//! Everything else has no closed form here and gets `None`: `threads` (preemptive OS time
//! slicing), cooperative runtimes on 2+ cores, and any strategy not named above.
//!
//! All models count CPU work and listening only: timer and wake-up latency of the runtime and
//! the OS come on top of the measured wait. They also ignore **abandonment**: a caller who
//! outwaits `patience_us` hangs up and costs no further work, so the real queue is shorter.
//! [`Prediction::reliable`] is false when an exponential-tail estimate says more than
//! [`RELIABLE_OUTWAIT`] of callers would wait longer than their patience. At ρ ≥ 1 there is no
//! steady state: the prediction says saturated and carries no number.
//!
//! The formulas are checked against discrete-event simulations of the same queue models in
//! this module's tests (`theory/sim.rs`).

use serde::{Deserialize, Serialize};
use workload::Spec;
use workload::spec::Arrivals;

#[cfg(test)]
mod sim;

/// Desk load (busy fraction of the `c` pool threads) under which the `rayon` calls-only model
/// still applies: 1 % of the pool. Beyond it the desk visibly steals threads from callers
/// (at ρ ≈ 0.8 one more percent of load already moves the Erlang C wait by several percent).
pub const NEGLIGIBLE_DESK_LOAD: f64 = 0.01;

/// Polls async-executor's run loop makes before it lets `block_on` look at timers again
/// (while its queue is non-empty): the granularity at which `async-std` sees a ring.
pub const ASYNC_EXECUTOR_POLL_BUDGET: u64 = 200;

/// Largest fraction of callers that may (by estimate) outwait their patience for a prediction
/// to count as reliable: abandonment, which the models ignore, then changes the mean little.
pub const RELIABLE_OUTWAIT: f64 = 0.01;

/// A predicted mean pick-up wait for one strategy × cores × spec.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The queueing model, e.g. "M/G/1 FIFO (Pollaczek–Khinchine)".
    pub model: String,
    /// Utilisation of one server in the model (≥ 1: saturated).
    pub rho: f64,
    /// Predicted mean pick-up wait in µs; `None` when saturated.
    pub mean_pickup_wait_us: Option<f64>,
    /// False when abandonment (ignored by the model) probably matters: more than
    /// [`RELIABLE_OUTWAIT`] of callers would outwait `patience_us`, or the model is saturated.
    pub reliable: bool,
    /// What was assumed, in one human-readable paragraph.
    pub note: String,
}

impl Prediction {
    /// No steady state: the queue grows for as long as the day lasts.
    #[must_use]
    pub fn saturated(&self) -> bool {
        self.mean_pickup_wait_us.is_none()
    }
}

/// One class of customers of a single queue: Poisson arrivals at `rate`, service time with
/// mean `mean` and second moment `second_moment` (all in one time unit, e.g. µs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JobClass {
    /// Arrivals per time unit.
    pub rate: f64,
    /// E\[S\].
    pub mean: f64,
    /// E\[S²\].
    pub second_moment: f64,
}

impl JobClass {
    /// A class with constant service time `service`.
    #[must_use]
    pub fn deterministic(rate: f64, service: f64) -> JobClass {
        JobClass {
            rate,
            mean: service,
            second_moment: service * service,
        }
    }

    /// Offered load ρ = λ·E\[S\].
    #[must_use]
    pub fn load(&self) -> f64 {
        self.rate * self.mean
    }
}

fn load(classes: &[JobClass]) -> f64 {
    classes.iter().map(JobClass::load).sum()
}

/// Mean residual work seen by a Poisson arrival: W0 = Σ λᵢ E\[Sᵢ²\] / 2.
fn residual(classes: &[JobClass]) -> f64 {
    classes
        .iter()
        .map(|c| c.rate * c.second_moment)
        .sum::<f64>()
        / 2.0
}

/// Pollaczek–Khinchine: the mean wait in queue of an M/G/1 FIFO server fed by several Poisson
/// classes, `W = Σ λᵢ E[Sᵢ²] / (2 (1 − ρ))` with ρ = Σ λᵢ E\[Sᵢ\]. Every class waits the same
/// on average (PASTA). `None` when ρ ≥ 1 (no steady state).
#[must_use]
pub fn pk_mean_wait(classes: &[JobClass]) -> Option<f64> {
    let rho = load(classes);
    (rho < 1.0).then(|| residual(classes) / (1.0 - rho))
}

/// Cobham: the mean wait of the highest class of a non-preemptive priority M/G/1 server,
/// `W_high = W0 / (1 − ρ_high)` with `W0 = Σ λᵢ E[Sᵢ²] / 2` over ALL classes (`high` and
/// `low`) — a high-priority arrival waits for the job in service, whatever its class, then for
/// the high-priority work ahead of it. Within `high` the order is FIFO. `None` when the total
/// load ρ_high + ρ_low ≥ 1 (no steady state).
#[must_use]
pub fn cobham_high_priority_wait(high: &[JobClass], low: &[JobClass]) -> Option<f64> {
    let rho_high = load(high);
    let rho = rho_high + load(low);
    (rho < 1.0).then(|| (residual(high) + residual(low)) / (1.0 - rho_high))
}

/// Erlang C: the probability that an arrival must wait in an M/M/c queue with offered load
/// `a = λ/μ` erlangs. Computed through the Erlang B recursion (stable for large `c`).
/// `None` when `c == 0` or `a ≥ c` (no steady state) or `a` is not a number ≥ 0.
#[must_use]
pub fn erlang_c(c: usize, a: f64) -> Option<f64> {
    if c == 0 || a.is_nan() || a < 0.0 || a >= c as f64 {
        return None;
    }
    let mut b = 1.0; // Erlang B with 0 servers
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    let rho = a / c as f64;
    Some(b / (1.0 - rho * (1.0 - b)))
}

/// Allen–Cunneen: the mean wait in queue of an M/G/c FIFO queue,
/// `Wq ≈ C(c, a) / (cμ − λ) × (1 + Cs²) / 2` with `a = λ·E[S]`, `μ = 1/E[S]` and `cs2` the
/// squared coefficient of variation of the service time (0 for deterministic service, 1 for
/// exponential, where it is exact: M/M/c). Exact for M/G/1 too (it is Pollaczek–Khinchine).
/// `None` when `λ·E[S] ≥ c`.
#[must_use]
pub fn mgc_mean_wait_allen_cunneen(
    c: usize,
    lambda: f64,
    mean_service: f64,
    cs2: f64,
) -> Option<f64> {
    let a = lambda * mean_service;
    let p_wait = erlang_c(c, a)?;
    if a == 0.0 {
        return Some(0.0);
    }
    Some(p_wait * mean_service / (c as f64 - a) * (1.0 + cs2) / 2.0)
}

/// Cosmetatos' correction of Allen–Cunneen for deterministic service (M/D/c):
/// `Wq(M/D/c) ≈ Wq_AC × [1 + (1 − ρ)(c − 1)(√(4 + 5c) − 2) / (16 ρ c)]`, ρ = λ·S/c.
/// Equal to Allen–Cunneen (exact P–K) for c = 1; matters at low load with c ≥ 2.
/// `None` when `λ·S ≥ c`.
#[must_use]
pub fn cosmetatos_md_c_wait(c: usize, lambda: f64, service: f64) -> Option<f64> {
    let w = mgc_mean_wait_allen_cunneen(c, lambda, service, 0.0)?;
    let cf = c as f64;
    let rho = lambda * service / cf;
    if w == 0.0 || rho == 0.0 {
        return Some(w);
    }
    Some(w * (1.0 + (1.0 - rho) * (cf - 1.0) * ((4.0 + 5.0 * cf).sqrt() - 2.0) / (16.0 * rho * cf)))
}

/// Estimated fraction of callers who wait longer than `patience`: an exponential tail
/// `P(W > t) ≈ p_wait · exp(−t · p_wait / W)` (the conditional wait given a wait has mean
/// `W / p_wait`). Crude, but enough to say when abandonment matters.
fn outwait_fraction(p_wait: f64, mean_wait: f64, patience: f64) -> f64 {
    let p = p_wait.clamp(0.0, 1.0);
    if mean_wait <= 0.0 || p == 0.0 {
        return 0.0;
    }
    p * (-patience * p / mean_wait).exp()
}

/// The spec in µs and per-µs rates.
struct Times {
    /// µs per work unit.
    unit: f64,
    /// Calls per µs.
    calls: f64,
    /// Appointments per µs.
    appts: f64,
    exchanges: f64,
    pickup: f64,
    reply: f64,
    listen: f64,
    desk: f64,
    patience: f64,
}

impl Times {
    fn new(spec: &Spec, ns_per_unit: f64) -> Times {
        let unit = ns_per_unit / 1e3;
        Times {
            unit,
            calls: spec.calls_per_s / 1e6,
            appts: spec.appointments_per_s / 1e6,
            exchanges: f64::from(spec.exchanges),
            pickup: spec.pickup_work as f64 * unit,
            reply: spec.reply_work as f64 * unit,
            listen: spec.listen_us as f64,
            desk: spec.desk_work as f64 * unit,
            patience: spec.patience_us as f64,
        }
    }

    /// CPU of one call, µs.
    fn call_cpu(&self) -> f64 {
        self.pickup + self.exchanges * self.reply
    }

    /// How long a call holds a secretary who waits through the caller's pauses, µs.
    fn call_hold(&self) -> f64 {
        self.call_cpu() + self.exchanges * self.listen
    }
}

/// Builds the prediction from a model's result.
fn finish(
    model: &str,
    rho: f64,
    wait: Option<f64>,
    p_wait: f64,
    patience: f64,
    mut note: String,
) -> Prediction {
    let reliable = match wait {
        None => {
            note.insert_str(
                0,
                &format!(
                    "saturated: ρ = {rho:.3} ≥ 1, the queue grows all day, no finite mean wait; "
                ),
            );
            false
        }
        Some(w) => {
            let out = outwait_fraction(p_wait, w, patience);
            let ok = out <= RELIABLE_OUTWAIT;
            note.push_str(&format!(
                "; abandonment ignored: ~{:.2}% of callers would outwait patience ({} µs){}",
                out * 100.0,
                patience,
                if ok {
                    ""
                } else {
                    ", so the prediction is UNRELIABLE (too high)"
                }
            ));
            ok
        }
    };
    note.push_str("; excludes timer/wake-up latency");
    Prediction {
        model: model.to_owned(),
        rho,
        mean_pickup_wait_us: wait,
        reliable,
        note,
    }
}

fn sequential(t: &Times, spec: &Spec) -> Prediction {
    let calls = JobClass::deterministic(t.calls, t.call_hold());
    let desk = JobClass::deterministic(t.appts, t.desk);
    let classes = [calls, desk];
    let rho = load(&classes);
    let mut note = format!(
        "one server, FIFO, each event to completion: a call holds it {:.0} µs ({:.0} CPU + {:.0} listening), an appointment {:.0} µs; calls {:.3} + desk {:.3} of the server",
        t.call_hold(),
        t.call_cpu(),
        t.exchanges * t.listen,
        t.desk,
        calls.load(),
        desk.load()
    );
    if spec.appointment_arrivals == Arrivals::Periodic && desk.load() > 0.0 {
        note.push_str(
            "; periodic appointments treated as Poisson of the same rate (over-predicts somewhat)",
        );
    }
    finish(
        "M/G/1 FIFO (Pollaczek–Khinchine)",
        rho,
        pk_mean_wait(&classes),
        rho,
        t.patience,
        note,
    )
}

/// The calls' CPU steps: the high-priority classes of a cooperative worker.
fn call_steps(t: &Times) -> [JobClass; 2] {
    [
        JobClass::deterministic(t.calls, t.pickup),
        JobClass::deterministic(t.calls * t.exchanges, t.reply),
    ]
}

/// The desk chunks of a check of `desk_work` units in chunks of `chunk`: the low classes.
fn desk_chunks(t: &Times, desk_work: u64, chunk: u64) -> [JobClass; 2] {
    let q = chunk.max(1);
    let (full, rest) = (desk_work / q, desk_work % q);
    [
        JobClass::deterministic(t.appts * full as f64, q as f64 * t.unit),
        JobClass::deterministic(if rest > 0 { t.appts } else { 0.0 }, rest as f64 * t.unit),
    ]
}

/// E\[Σ s²\] over the pieces a check of length `len` is cut into by boundaries every `period`,
/// at a phase uniform in `[0, period)` (midpoint rule over 256 phases): how a poll budget that
/// runs on across checks cuts them.
fn cut_second_moment(len: f64, period: f64) -> f64 {
    const PHASES: u32 = 256;
    let mut sum = 0.0;
    for k in 0..PHASES {
        let phi = (f64::from(k) + 0.5) / f64::from(PHASES) * period;
        sum += if phi >= len {
            len * len
        } else {
            let after = len - phi;
            let m = (after / period).floor();
            let last = after - m * period;
            phi * phi + m * period * period + last * last
        };
    }
    sum / f64::from(PHASES)
}

/// async-std's executor: the checks cut only at its poll-budget boundaries (one every
/// `budget` chunks, at a random phase). A virtual low class per check: rate λ_a, mean the
/// check, second moment E\[Σ pieces²\] — all Cobham's W0 and ρ need.
fn budget_cut_check(t: &Times, spec: &Spec, budget: u64) -> JobClass {
    let len = spec.desk_work as f64 * t.unit;
    let period = (spec.chunk.max(1).saturating_mul(budget)) as f64 * t.unit;
    JobClass {
        rate: t.appts,
        mean: len,
        second_moment: cut_second_moment(len, period),
    }
}

fn cooperative(t: &Times, spec: &Spec, strategy: &str) -> Prediction {
    let q = spec.chunk.max(1);
    let n_chunks = spec.desk_work.div_ceil(q);
    let (high, low) = (call_steps(t), desk_chunks(t, spec.desk_work, q));
    let wait = cobham_high_priority_wait(&high, &low);
    let (rho_high, rho_low) = (load(&high), load(&low));
    let rho = rho_high + rho_low;
    let mut note = format!(
        "one cooperative worker; high class = calls' CPU steps (pick-up {:.1} µs, {} replies of {:.1} µs; listening uses no CPU), load {rho_high:.3}; low class = {n_chunks} desk chunk(s) per appointment of ≤ {:.1} µs, load {rho_low:.3}; chunks and replies treated as Poisson streams; pick-up wait = W_high (the ringing call runs at the next yield point)",
        t.pickup,
        spec.exchanges,
        t.reply,
        q as f64 * t.unit
    );
    if strategy == "async-std" && n_chunks > 1 && wait.is_some() {
        let budget = ASYNC_EXECUTOR_POLL_BUDGET;
        let cut = [budget_cut_check(t, spec, budget)];
        if let Some(w) = cobham_high_priority_wait(&high, &cut) {
            note.push_str(&format!(
                "; BUT async-std's executor sees timers (rings) only when its queue empties or every {budget} polls, so a ring waits for up to {} of these chunks: ≈ {w:.0} µs while checks seldom run back to back, more when they do — expect the measured wait well above this prediction",
                n_chunks.min(budget)
            ));
        }
    }
    finish(
        "M/G/1 non-preemptive priority (Cobham): call steps over desk chunks",
        rho,
        wait,
        rho,
        t.patience,
        note,
    )
}

fn calls_only(t: &Times, c: usize) -> Option<Prediction> {
    let cf = c as f64;
    let desk_load = t.appts * t.desk / cf;
    if desk_load > NEGLIGIBLE_DESK_LOAD {
        return None;
    }
    let hold = t.call_hold();
    let a = t.calls * hold;
    let rho = a / cf;
    let wait = cosmetatos_md_c_wait(c, t.calls, hold);
    let p_wait = erlang_c(c, a).unwrap_or(1.0);
    let mut note = format!(
        "{c} pool thread(s), each call holds one {hold:.0} µs ({:.0} CPU + {:.0} listening), FIFO; offered {a:.3} erlangs, P(wait) = {p_wait:.3}",
        t.call_cpu(),
        t.exchanges * t.listen
    );
    if desk_load > 0.0 {
        note.push_str(&format!(
            "; desk load {desk_load:.4} of the pool ignored (≤ {NEGLIGIBLE_DESK_LOAD})"
        ));
    }
    Some(finish(
        "M/D/c FIFO (Erlang C, Allen–Cunneen with Cosmetatos' correction)",
        rho,
        wait,
        p_wait,
        t.patience,
        note,
    ))
}

/// The predicted mean pick-up wait of `strategy` (crate name with or without the `strategy-`
/// prefix) on `cores` cores for `spec`, one work unit taking `ns_per_unit` ns. `None` where no
/// closed form fits (see the module docs), where the spec has no calls, or where `ns_per_unit`
/// is not a positive number. A saturated model gives `Some` with no mean wait.
#[must_use]
pub fn predict(strategy: &str, cores: usize, spec: &Spec, ns_per_unit: f64) -> Option<Prediction> {
    if !(ns_per_unit > 0.0 && ns_per_unit.is_finite()) || spec.calls_per_s <= 0.0 {
        return None;
    }
    let t = Times::new(spec, ns_per_unit);
    let name = strategy.strip_prefix("strategy-").unwrap_or(strategy);
    match name {
        "sequential" => Some(sequential(&t, spec)),
        "green" | "async-std" if cores == 1 => Some(cooperative(&t, spec, name)),
        "rayon" if cores >= 1 => calls_only(&t, cores),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::sim::{self, Arrive, Coop, Service};
    use super::*;
    use workload::Scenario;

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
    fn async_std_note_estimate_tracks_a_budgeted_executor() {
        // An executor that admits timers only when idle or every 200 polls, with a phone-line
        // task that spawns each call task: the ideal W_high is far too low; checks cut only at
        // budget boundaries are close while checks seldom run back to back.
        let budget = ASYNC_EXECUTOR_POLL_BUDGET;
        let estimate = |m: &Coop, rate: f64| {
            let high = [
                JobClass::deterministic(m.calls, m.pickup),
                JobClass::deterministic(m.calls * f64::from(m.exchanges), m.reply),
            ];
            let len: f64 = m.chunks.iter().sum();
            let cut = JobClass {
                rate,
                mean: len,
                second_moment: cut_second_moment(len, m.chunks[0] * budget as f64),
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
            eprintln!("  budgeted {what}: ideal W_high {ideal:.1}");
            agree(
                &format!("budgeted executor {what} ρ={rho:.2}: cut-check estimate"),
                est,
                s,
                0.12,
            );
            assert!(s > 5.0 * ideal, "{s} vs {ideal}");
        }
        // Poisson checks, which often run back to back: the desk keeps the queue busy across
        // checks and the estimate falls short — badly when the desk is heavy. Only a note.
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
            eprintln!("budgeted {what}: cut-check estimate {est:.0}, simulation {s:.0}");
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
                predict(strategy, cores, &spec, 930.0).is_some(),
                "{strategy} {cores}"
            );
        }
        for (strategy, cores) in [
            ("threads", 1),
            ("threads", 2),
            ("green", 2),
            ("async-std", 2),
            ("tokio", 1),
            ("rayon", 0),
        ] {
            assert_eq!(
                predict(strategy, cores, &spec, 930.0),
                None,
                "{strategy} {cores}"
            );
        }
        // Rayon only where the desk is negligible.
        assert_eq!(predict("rayon", 2, &spec, 930.0), None);
        let calls_only = Spec {
            desk_work: 0,
            ..spec.clone()
        };
        let p = predict("rayon", 2, &calls_only, 930.0).unwrap();
        assert!(
            p.mean_pickup_wait_us.is_some() && p.model.contains("M/D/c"),
            "{p:?}"
        );
        let light_desk = Spec {
            appointments_per_s: 1.0,
            desk_work: 10_000,
            ..spec.clone()
        };
        assert!(predict("rayon", 2, &light_desk, 930.0).is_some()); // 0.0047 of the pool
        // No calls, or no sensible unit time: nothing to predict.
        assert_eq!(
            predict(
                "sequential",
                1,
                &Spec {
                    calls_per_s: 0.0,
                    ..spec.clone()
                },
                930.0
            ),
            None
        );
        assert_eq!(predict("sequential", 1, &spec, 0.0), None);
        assert_eq!(predict("sequential", 1, &spec, f64::NAN), None);
        // Serialisable into result rows.
        let p = predict("green", 1, &spec, 930.0).unwrap();
        let back: Prediction = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn saturation_is_reported_not_a_number() {
        // Office: each call holds the waiting secretary ~6.2 ms, 200 calls/s → ρ ≈ 1.33.
        let office = Scenario::Office.spec();
        let p = predict("sequential", 1, &office, 930.0).unwrap();
        assert!(
            p.saturated() && p.mean_pickup_wait_us.is_none() && !p.reliable,
            "{p:?}"
        );
        assert!(p.rho > 1.2 && p.rho < 1.4, "{}", p.rho);
        assert!(p.note.starts_with("saturated"), "{}", p.note);
        // The interleaving secretary keeps up: a few µs of CPU ahead of each pick-up.
        let g = predict("async-std", 1, &office, 930.0).unwrap();
        let w = g.mean_pickup_wait_us.unwrap();
        assert!(g.rho < 0.2 && w > 1.0 && w < 20.0 && g.reliable, "{g:?}");
        assert!(g.note.contains("every 200 polls"), "{}", g.note);
        // Rush hour: the calls' own CPU exceeds one core, even for the cooperative secretary.
        let rush = Scenario::RushHour.spec();
        assert!(predict("green", 1, &rush, 930.0).unwrap().saturated());
        // Call center on rayon: 15 000 erlangs on 2 threads.
        let cc = Spec {
            desk_work: 0,
            ..Scenario::CallCenter.spec()
        };
        let r = predict("rayon", 2, &cc, 930.0).unwrap();
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
        let p = predict("sequential", 1, &spec, 930.0).unwrap();
        let w = p.mean_pickup_wait_us.unwrap();
        assert!(!p.reliable && w > 5_000.0, "{p:?}");
        assert!(p.note.contains("UNRELIABLE"), "{}", p.note);
        // Ample patience: reliable.
        let patient = Spec {
            patience_us: 10_000_000,
            ..spec
        };
        assert!(predict("sequential", 1, &patient, 930.0).unwrap().reliable);
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
        let p = predict("sequential", 1, &seq, ns).unwrap();
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
        let pp = predict("sequential", 1, &periodic, ns).unwrap();
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
            let p = predict("rayon", c, &spec, ns).unwrap();
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
}
