//! Queueing-theory predictions of the mean pick-up wait (ring → a secretary starts the call),
//! for the strategy × cores cells where a closed form fits; the harness prints them next to the
//! measured wait.
//!
//! - `formulas`: the closed forms themselves (Pollaczek–Khinchine, Cobham, Erlang C,
//!   Allen–Cunneen, Cosmetatos), in any one time unit, knowing nothing of the workload;
//! - `models`: which queue model fits which strategy × cores, the spec turned into that
//!   model's arrival rates and service times, and [`predict`] — the module docs there say what
//!   each model assumes and where it is approximate;
//! - `sim` (tests only): small discrete-event simulations of the same queue models, the oracle
//!   the formulas and predictions are checked against in `tests` (closed forms and the
//!   spec → model mapping) and `tests_sim` (formulas vs. simulation).
//!
//! All models count CPU work and listening only: timer and wake-up latency of the runtime and
//! the OS come on top of the measured wait. They also ignore **abandonment**: a caller who
//! outwaits `patience_us` hangs up and costs no further work, so the real queue is shorter.
//! [`Prediction::reliable`] is false when an exponential-tail estimate says more than
//! [`RELIABLE_OUTWAIT`] of callers would wait longer than their patience. At ρ ≥ 1 there is no
//! steady state: the prediction says saturated and carries no number.

use serde::{Deserialize, Serialize};

mod formulas;
mod models;
#[cfg(test)]
mod sim;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_sim;

pub use formulas::{
    JobClass, cobham_high_priority_wait, cosmetatos_md_c_wait, erlang_c,
    mgc_mean_wait_allen_cunneen, pk_mean_wait,
};
pub use models::{ASYNC_EXECUTOR_POLL_BUDGET, NEGLIGIBLE_DESK_LOAD, RELIABLE_OUTWAIT, predict};

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
