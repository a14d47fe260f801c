//! Queueing-theory predictions of the mean pick-up wait (ring → a secretary starts the call),
//! for the strategy × cores cells where a closed form fits; the harness prints them next to the
//! measured wait.
//!
//! - `formulas`: the closed forms themselves (Pollaczek–Khinchine, Cobham, Erlang C,
//!   Allen–Cunneen, Cosmetatos), in any one time unit, knowing nothing of the workload;
//! - `models`: which queue model fits which declared arrangement × cores, the spec turned into
//!   that model's arrival rates and service times, and [`predict_with`] — the module docs there
//!   say what each model assumes and where it is approximate; `cooperative`: the one-worker
//!   cooperative model (when the worker looks at its timers, switch overhead, delivery delay);
//! - `delivery`: the delivery delay taken out of a measured mean pick-up before it is compared
//!   with a prediction;
//! - `sim` and `sim_looks` (tests only): small discrete-event simulations of the same queue
//!   models, the oracle the formulas and predictions are checked against in `tests` (closed
//!   forms and the spec → model mapping), `tests_sim` and `tests_looks` (formulas vs.
//!   simulation).
//!
//! Invariant: the theory knows nothing of rows, runs or files. Where a row gets its
//! prediction is `lab::predict`; how well the theory fits the rows is `analysis::fit`.
//!
//! The models count CPU work, listening and the scheduler's switch overhead ([`Overheads`]);
//! a ring's **delivery delay** — how long it waits when it finds the secretary free (timer and
//! wake-up latency of the runtime and the OS) — is measured apart and taken out: every
//! prediction is the mean wait *beyond* it. They also ignore **abandonment**: a caller who
//! outwaits `patience_us` hangs up and costs no further work, so the real queue is shorter.
//! [`Prediction::reliable`] is false when an exponential-tail estimate says more than
//! [`RELIABLE_OUTWAIT`] of callers would wait longer than their patience. At ρ ≥ 1 there is no
//! steady state: the prediction says saturated and carries no number.

use serde::{Deserialize, Serialize};

mod cooperative;
mod delivery;
#[cfg(any(test, feature = "fixtures"))]
#[doc(hidden)]
pub mod fixtures;
mod formulas;
mod models;
#[cfg(test)]
mod sim;
#[cfg(test)]
mod sim_looks;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_looks;
#[cfg(test)]
mod tests_sim;

pub use delivery::delivery_delay_us;
pub use formulas::{
    JobClass, cobham_high_priority_wait, cosmetatos_md_c_wait, erlang_c,
    mgc_mean_wait_allen_cunneen, pk_mean_wait,
};
pub use models::{NEGLIGIBLE_DESK_LOAD, RELIABLE_OUTWAIT, predict, predict_with};

/// CPU a cooperative scheduler spends per poll (a desk chunk's yield and resumption, a call
/// step), µs, when nothing measured is passed in: an async executor's `yield_now` and re-poll
/// plus the office's bookkeeping per chunk. Measured on the 2-core reference VM as the extra
/// CPU time of a desk-only day in one-unit chunks over the same day in one chunk (400,000
/// yields): async-std and smol 0.4–0.5 µs, tokio 0.5–0.6 µs (its `yield_now` polls the driver),
/// the hand-written event loop 0.03–0.35 µs, green ~2 µs (a coroutine spawned per yield).
pub const DEFAULT_SWITCH_US: f64 = 0.5;

/// What the models need besides the spec: the runtime's own costs, measured apart from the
/// queueing (defaults: [`DEFAULT_SWITCH_US`], no delivery delay).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Overheads {
    /// CPU per poll or task switch, µs: lengthens every desk chunk and call step of a
    /// cooperative worker.
    pub switch_us: f64,
    /// The wait of a ring that finds the secretary free (its timer's lateness and the thread's
    /// wake-up), µs: the predictions are the mean wait beyond it.
    pub delivery_us: f64,
}

impl Default for Overheads {
    fn default() -> Self {
        Overheads {
            switch_us: DEFAULT_SWITCH_US,
            delivery_us: 0.0,
        }
    }
}

impl Overheads {
    /// Negative or non-finite costs count as none.
    fn sane(&self) -> Overheads {
        let ok = |x: f64| if x.is_finite() { x.max(0.0) } else { 0.0 };
        Overheads {
            switch_us: ok(self.switch_us),
            delivery_us: ok(self.delivery_us),
        }
    }
}

/// A predicted mean pick-up wait for one strategy × cores × spec.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The queueing model, e.g. "M/G/1 FIFO (Pollaczek–Khinchine)".
    pub model: String,
    /// Utilisation of one server in the model (≥ 1: saturated).
    pub rho: f64,
    /// Predicted mean pick-up wait beyond [`Prediction::delivery_us`], µs; `None` when
    /// saturated.
    pub mean_pickup_wait_us: Option<f64>,
    /// False when abandonment (ignored by the model) probably matters: more than
    /// [`RELIABLE_OUTWAIT`] of callers would outwait `patience_us`, or the model is saturated.
    pub reliable: bool,
    /// What was assumed, in one human-readable paragraph.
    pub note: String,
    /// The delivery delay the prediction was made with, µs: the measured mean pick-up minus
    /// this is what it predicts ([`Prediction::measured_wait_us`]).
    #[serde(default)]
    pub delivery_us: f64,
    /// A cooperative scheduler with a look budget: the same model if it looked at its timers at
    /// every yield, µs (the other end of what its timers can do).
    #[serde(default)]
    pub every_yield_us: Option<f64>,
}

impl Prediction {
    /// No steady state: the queue grows for as long as the day lasts.
    #[must_use]
    pub fn saturated(&self) -> bool {
        self.mean_pickup_wait_us.is_none()
    }

    /// What this predicts, from a measured mean pick-up: the part beyond the delivery delay.
    #[must_use]
    pub fn measured_wait_us(&self, pickup_mean_us: f64) -> f64 {
        (pickup_mean_us - self.delivery_us).max(0.0)
    }
}
