//! The spec → model mapping: which queue model fits which strategy × cores ([`model_for`],
//! the one place that looks at a strategy's name), the spec turned into that model's rates and
//! service times ([`Times`]), one function per model, and [`predict`].
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
//!   ([`mgc_mean_wait_allen_cunneen`](super::mgc_mean_wait_allen_cunneen)), refined for deterministic service by Cosmetatos'
//!   correction ([`cosmetatos_md_c_wait`]; plain Allen–Cunneen under-predicts M/D/2 by ~11 %
//!   at ρ = 0.3, see the tests). Only where the desk load is negligible: at most
//!   [`NEGLIGIBLE_DESK_LOAD`] of the pool's capacity (a desk check competes with calls for the
//!   same threads, which this model cannot express); otherwise `None`.
//!
//! Everything else has no closed form here and gets `None`: `threads` (preemptive OS time
//! slicing), cooperative runtimes on 2+ cores, and any strategy not named above.
//!
//! The closed forms are in `formulas.rs`; what every model leaves out (timer latency,
//! abandonment) is said in the module docs of `theory`.

use super::Prediction;
use super::formulas::{
    JobClass, cobham_high_priority_wait, cosmetatos_md_c_wait, cut_second_moment, erlang_c, load,
    outwait_fraction, pk_mean_wait,
};
use workload::spec::Arrivals;
use workload::{Arrangement, Desk, Spec, Switching, Workers};

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

/// One server doing every event FIFO to completion.
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

/// One cooperative worker that sees a ring at its next yield point (`poll_budget: None`), or
/// only every `poll_budget` polls while tasks are ready (the note then adds that estimate).
fn cooperative(t: &Times, spec: &Spec, poll_budget: Option<u64>) -> Prediction {
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
    if let Some(budget) = poll_budget
        && n_chunks > 1
        && wait.is_some()
    {
        let cut = [budget_cut_check(t, spec, budget)];
        if let Some(w) = cobham_high_priority_wait(&high, &cut) {
            note.push_str(&format!(
                "; BUT its executor sees timers (rings) only when its queue empties or every {budget} polls, so a ring waits for up to {} of these chunks: ≈ {w:.0} µs while checks seldom run back to back, more when they do — expect the measured wait well above this prediction",
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

/// `c` pool threads, each call holding one for its whole duration; `None` unless the desk is
/// negligible.
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

/// The queue model that fits a strategy on some number of cores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Model {
    /// One server doing every event FIFO to completion: M/G/1 FIFO.
    Sequential,
    /// One cooperative worker, calls' CPU steps before desk chunks: Cobham. `poll_budget`:
    /// how many polls the scheduler makes before it looks at timers while tasks are ready
    /// (`None`: at every yield point).
    Cooperative { poll_budget: Option<u64> },
    /// `c` pool threads, each call holding one while it lasts: M/D/c.
    CallsOnly(usize),
}

/// Which model fits a strategy that declared `arrangement`, on `cores` cores; `None` where no
/// closed form fits or nothing was declared. Selects on the declaration, never on a name:
/// - one worker that runs each job to completion: M/G/1 FIFO (any core count: it uses one);
/// - a cooperative scheduler on one core with the desk on that worker: Cobham's priority
///   model, with the scheduler's timer-check budget when it has one (> 1 poll);
/// - `cores` workers running each call to completion: M/D/c (Erlang C), where the desk is
///   negligible.
fn model_for(arrangement: Option<Arrangement>, cores: usize) -> Option<Model> {
    let a = arrangement?;
    match (a.workers, a.switching) {
        (Workers::One, Switching::RunToCompletion) => Some(Model::Sequential),
        (Workers::One | Workers::Cores, Switching::Cooperative)
            if cores == 1 && a.desk == Desk::OneWorker =>
        {
            Some(Model::Cooperative {
                poll_budget: a.timer_check_polls.filter(|&n| n > 1).map(u64::from),
            })
        }
        (Workers::Cores, Switching::RunToCompletion) if cores >= 1 => Some(Model::CallsOnly(cores)),
        _ => None,
    }
}

/// The predicted mean pick-up wait of a strategy that declared `arrangement`, on `cores` cores
/// for `spec`, one work unit taking `ns_per_unit` ns. `None` where no closed form fits (see the
/// module docs), where nothing was declared, where the spec has no calls, or where
/// `ns_per_unit` is not a positive number. A saturated model gives `Some` with no mean wait.
#[must_use]
pub fn predict(
    arrangement: Option<Arrangement>,
    cores: usize,
    spec: &Spec,
    ns_per_unit: f64,
) -> Option<Prediction> {
    if !(ns_per_unit > 0.0 && ns_per_unit.is_finite()) || spec.calls_per_s <= 0.0 {
        return None;
    }
    let model = model_for(arrangement, cores)?;
    let t = Times::new(spec, ns_per_unit);
    match model {
        Model::Sequential => Some(sequential(&t, spec)),
        Model::Cooperative { poll_budget } => Some(cooperative(&t, spec, poll_budget)),
        Model::CallsOnly(c) => calls_only(&t, c),
    }
}
