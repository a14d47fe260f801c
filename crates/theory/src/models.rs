//! The spec → model mapping: which queue model fits which declared arrangement × cores
//! ([`model_for`], the one place that chooses), the spec turned into that model's rates and
//! service times ([`Times`]), one function per model (the cooperative one in
//! `cooperative.rs`), and [`predict_with`].
//!
//! Three models, all in µs, with the spec's CPU work turned into time by `ns_per_unit`:
//!
//! - **`sequential`** (any cores: it ignores them) — one server doing every event FIFO to
//!   completion. A call holds it for `pickup + exchanges × (listen + reply)` (listening
//!   included), an appointment for `desk_work`. Two-class **M/G/1 FIFO**, mean wait by
//!   Pollaczek–Khinchine ([`pk_mean_wait`]). *Approximation:* periodic appointments are treated
//!   as Poisson of the same rate; periodic arrivals are smoother, so this over-predicts
//!   somewhat (~5 % in the tests, with appointments 0.09 of the load).
//! - **one cooperative worker on 1 core** (`green`, `async-std`, `smol`, `tokio`, `tokio-mt`,
//!   `event-loop`) — the calls' CPU steps before the desk's work between two looks at the
//!   timers: **non-preemptive priority M/G/1** (Cobham), with the declared look budget, the
//!   switch overhead and the delivery delay; see `cooperative.rs`, whose docs say what it
//!   assumes and leaves out.
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
//! slicing), cooperative runtimes on 2+ cores, a cooperative phone with the desk elsewhere
//! (`hybrid`: the OS decides when its phone thread gets the core), and anything undeclared.
//!
//! The closed forms are in `formulas.rs`; what every model leaves out (timer latency,
//! abandonment) is said in the module docs of `theory`.

use super::cooperative::{Looks, cooperative};
use super::formulas::{
    JobClass, cosmetatos_md_c_wait, erlang_c, load, outwait_fraction, pk_mean_wait,
};
use super::{Overheads, Prediction};
use workload::spec::Arrivals;
use workload::{Arrangement, Desk, Spec, Switching, Workers};

/// Desk load (busy fraction of the `c` pool threads) under which the `rayon` calls-only model
/// still applies: 1 % of the pool. Beyond it the desk visibly steals threads from callers
/// (at ρ ≈ 0.8 one more percent of load already moves the Erlang C wait by several percent).
pub const NEGLIGIBLE_DESK_LOAD: f64 = 0.01;

/// Largest fraction of callers that may (by estimate) outwait their patience for a prediction
/// to count as reliable: abandonment, which the models ignore, then changes the mean little.
pub const RELIABLE_OUTWAIT: f64 = 0.01;

/// The spec in µs and per-µs rates.
pub(super) struct Times {
    /// µs per work unit.
    pub unit: f64,
    /// Calls per µs.
    pub calls: f64,
    /// Appointments per µs.
    pub appts: f64,
    pub exchanges: f64,
    pub pickup: f64,
    pub reply: f64,
    pub listen: f64,
    pub desk: f64,
    pub patience: f64,
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

/// Builds the prediction from a model's result (no delivery delay, no every-yield variant:
/// the cooperative model sets its own).
pub(super) fn finish(
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
    note.push_str(
        "; the mean wait beyond the delivery delay (timer and wake-up latency of a free secretary)",
    );
    Prediction {
        model: model.to_owned(),
        rho,
        mean_pickup_wait_us: wait,
        reliable,
        note,
        delivery_us: 0.0,
        every_yield_us: None,
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
    /// One cooperative worker, calls' CPU steps before the desk between looks: Cobham.
    Cooperative(Looks),
    /// `c` pool threads, each call holding one while it lasts: M/D/c.
    CallsOnly(usize),
}

/// Which model fits a strategy that declared `arrangement`, on `cores` cores; `None` where no
/// closed form fits or nothing was declared. Selects on the declaration, never on a name:
/// - one worker that runs each job to completion: M/G/1 FIFO (any core count: it uses one);
/// - a cooperative scheduler on one core with the desk on that worker: Cobham's priority
///   model, looking at its timers every `timer_check_polls` polls (its own looks) or, where it
///   declares none, at every yield through a timer thread;
/// - `cores` workers running each call to completion: M/D/c (Erlang C), where the desk is
///   negligible.
fn model_for(arrangement: Option<Arrangement>, cores: usize) -> Option<Model> {
    let a = arrangement?;
    match (a.workers, a.switching) {
        (Workers::One, Switching::RunToCompletion) => Some(Model::Sequential),
        (Workers::One | Workers::Cores, Switching::Cooperative)
            if cores == 1 && a.desk == Desk::OneWorker =>
        {
            Some(Model::Cooperative(match a.timer_check_polls {
                Some(n) => Looks {
                    budget: u64::from(n.max(1)),
                    own: true,
                },
                None => Looks {
                    budget: 1,
                    own: false,
                },
            }))
        }
        (Workers::Cores, Switching::RunToCompletion) if cores >= 1 => Some(Model::CallsOnly(cores)),
        _ => None,
    }
}

/// [`predict_with`] with the default overheads: [`DEFAULT_SWITCH_US`](super::DEFAULT_SWITCH_US)
/// per switch and no delivery delay (the wait of a free secretary counts as queueing).
#[must_use]
pub fn predict(
    arrangement: Option<Arrangement>,
    cores: usize,
    spec: &Spec,
    ns_per_unit: f64,
) -> Option<Prediction> {
    predict_with(arrangement, cores, spec, ns_per_unit, &Overheads::default())
}

/// The predicted mean pick-up wait beyond the delivery delay of a strategy that declared
/// `arrangement`, on `cores` cores for `spec`, one work unit taking `ns_per_unit` ns, with the
/// runtime's measured `overheads`. `None` where no closed form fits (see the module docs),
/// where nothing was declared, where the spec has no calls, or where `ns_per_unit` is not a
/// positive number. A saturated model gives `Some` with no mean wait.
#[must_use]
pub fn predict_with(
    arrangement: Option<Arrangement>,
    cores: usize,
    spec: &Spec,
    ns_per_unit: f64,
    overheads: &Overheads,
) -> Option<Prediction> {
    if !(ns_per_unit > 0.0 && ns_per_unit.is_finite()) || spec.calls_per_s <= 0.0 {
        return None;
    }
    let model = model_for(arrangement, cores)?;
    let t = Times::new(spec, ns_per_unit);
    let o = overheads.sane();
    let mut p = match model {
        Model::Sequential => sequential(&t, spec),
        Model::Cooperative(looks) => cooperative(&t, spec, looks, &o),
        Model::CallsOnly(c) => calls_only(&t, c)?,
    };
    p.delivery_us = o.delivery_us;
    Some(p)
}
