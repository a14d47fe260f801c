//! `Spec`: every parameter of the secretary workload, its defaults, its validation, and the
//! named scenarios (`office`, `call-center`, `back-office`, `rush-hour`, `switchboard`,
//! `month-end`).
//!
//! Times are integers in microseconds (`*_us`) so a spec means the same thing on every
//! platform; CPU work is in work units (see [`crate::work`]), whose cost differs from machine to
//! machine (≈350 ns on a desktop CPU, 680–1,090 ns on small VMs). A scenario therefore gives its
//! CPU work in µs of CPU ([`Scenario::cpu_us`], its intended load in cores), and
//! [`Scenario::spec_for`] turns that into units at a machine's calibrated ns per unit, so a
//! scenario offers the same load everywhere; [`Scenario::spec`] is the preset at
//! [`REFERENCE_NS_PER_UNIT`], for code that has no calibration.
//!
//! By concern: this file holds the [`Spec`] struct and the quantities derived from it;
//! `validate.rs` its limits and validation ([`SpecError`]); `fields.rs` the table of its fields
//! ([`Spec::FIELDS`]) and the text overrides ([`Spec::set`]); `kinds.rs` the fields that name a
//! kind ([`Arrivals`], [`Lines`]); `scenario.rs` the named presets ([`Scenario`]) and their CPU
//! work in µs; `switchboard.rs` the `switchboard` preset's timing, scaled for `harness memory`.

mod fields;
mod kinds;
mod scenario;
mod switchboard;
mod validate;

pub use fields::SpecField;
pub use kinds::{Arrivals, Lines};
pub use scenario::{REFERENCE_NS_PER_UNIT, Scenario, ScenarioCpu, units_for_us};
pub use switchboard::{SWITCHBOARD_CALL_US, SWITCHBOARD_IN_FLIGHT};
pub use validate::{MAX_DURATION_US, MAX_EVENTS, MAX_EXCHANGES, MAX_WORK, SpecError};

use serde::{Deserialize, Serialize};

/// Every workload parameter. Same spec + same seed ⇒ the same schedule and the same answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Seed of the schedule and of every work key.
    pub seed: u64,
    /// Length of the working day: no call rings and no appointment falls due after it.
    pub duration_us: u64,
    /// Mean rate of the Poisson process of calls.
    pub calls_per_s: f64,
    /// Rounds of (listen, reply) in each call.
    pub exchanges: u32,
    /// How long the caller talks in each round: the secretary waits without using the CPU.
    pub listen_us: u64,
    /// CPU work to pick up the phone (greeting, looking the caller up).
    pub pickup_work: u64,
    /// CPU work of each reply.
    pub reply_work: u64,
    /// A caller not picked up within this time hangs up: a missed call.
    pub patience_us: u64,
    /// Rate of appointments to check.
    pub appointments_per_s: f64,
    /// Whether appointments are periodic, Poisson or all due at the opening (a batch).
    pub appointment_arrivals: Arrivals,
    /// CPU work of checking one appointment against the book.
    pub desk_work: u64,
    /// Work units in one uninterrupted desk chunk: cooperative strategies yield between
    /// chunks, parallel ones may spread chunks over cores.
    pub chunk: u64,
    /// Simulated phone lines or real loopback TCP ones (absent in older specs: simulated).
    #[serde(default)]
    pub lines: Lines,
}

impl Default for Spec {
    fn default() -> Self {
        Scenario::Office.spec()
    }
}

impl Spec {
    /// The CPU work of one whole call, in units.
    #[must_use]
    pub fn call_work(&self) -> u64 {
        self.pickup_work + u64::from(self.exchanges) * self.reply_work
    }

    /// How long a call talks in all (its exchanges of listening), µs: the least time a
    /// strategy holds a call it picked up.
    #[must_use]
    pub fn talk_us(&self) -> u64 {
        u64::from(self.exchanges) * self.listen_us
    }

    /// The day until the last call can be over: the last ring, plus its exchanges of
    /// listening, plus its caller's patience, µs (the CPU work comes on top).
    #[must_use]
    pub fn day_with_calls_us(&self) -> u64 {
        self.duration_us + self.talk_us() + self.patience_us
    }

    /// The checks of a batch day ([`Arrivals::AtOpening`]): `appointments_per_s × duration`,
    /// rounded, every one due at the opening. (Other kinds draw their count.)
    #[must_use]
    pub fn batch_size(&self) -> usize {
        (self.appointments_per_s * self.duration_us as f64 / 1e6)
            .round()
            .max(0.0) as usize
    }

    /// A batch day: every appointment due at the opening and no calls. The day lasts until the
    /// last check is done (its makespan), not `duration_us`.
    #[must_use]
    pub fn is_batch(&self) -> bool {
        self.appointment_arrivals == Arrivals::AtOpening && self.calls_per_s == 0.0
    }

    /// Offered CPU load in cores (work units per second × `ns_per_unit`).
    #[must_use]
    pub fn offered_cores(&self, ns_per_unit: f64) -> f64 {
        let units = self.calls_per_s * self.call_work() as f64
            + self.appointments_per_s * self.desk_work as f64;
        units * ns_per_unit / 1e9
    }
}
