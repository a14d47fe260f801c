//! What one switch costs for the sequential secretary (`strategy-sequential --primitives`):
//! nothing to spawn and nothing to switch between — one secretary, one thing at a time — so
//! only the sleep, `std::thread::sleep` (how the secretary waits through a caller's talk), is
//! measured.

use std::thread;
use workload::primitives::{SLEEP_1MS, SLEEP_100US, sleep_lateness};
use workload::{Outcome, Primitives, PrimitivesSpec};

/// The primitives of the sequential secretary (`cores` is ignored, as on a day).
pub fn primitives(spec: &PrimitivesSpec, _cores: usize) -> Primitives {
    Primitives {
        unit: "none".into(),
        spawn_join: Outcome::NotApplicable(
            "one secretary doing one thing at a time: there is no second unit to start".into(),
        ),
        round_trip: Outcome::NotApplicable(
            "one secretary: nothing to switch between; the next call waits".into(),
        ),
        sleep_1ms: sleep_lateness(SLEEP_1MS, spec.sleeps, thread::sleep),
        sleep_100us: sleep_lateness(SLEEP_100US, spec.sleeps, thread::sleep),
        idle_memory: Outcome::NotApplicable(
            "no units: a waiting caller is the one secretary waiting on the line".into(),
        ),
        how: vec!["sleep: std::thread::sleep on the one thread".into()],
    }
}
