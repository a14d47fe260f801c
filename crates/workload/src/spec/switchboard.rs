//! The `switchboard` scenario's timing: about [`SWITCHBOARD_IN_FLIGHT`] long, quiet calls in
//! flight at once by construction, and [`Scenario::switchboard`], the same day scaled to any
//! number of calls in flight (one per level of `harness memory`).

use super::{Scenario, Spec};

/// The calls in flight `switchboard` is built for (its peak, by construction).
pub const SWITCHBOARD_IN_FLIGHT: u64 = 1_000_000;
/// How long a `switchboard` call talks, and how long its phones ring, µs. With
/// [`SWITCHBOARD_IN_FLIGHT`] calls that is 125,000 calls/s: measured on a 2-core VM
/// (≈950 ns per work unit), tokio, smol and the event loop each picked up 1,000,605 calls at
/// that rate on one core with a p99 pick-up under 5 ms (0.4–0.86 of the core busy); 8 s keeps
/// a day (ringing + talking) at 16 s, so `harness memory` runs every strategy on every level
/// in about 10 minutes on two cores.
pub const SWITCHBOARD_CALL_US: u64 = 8_000_000;

/// The switchboard's timing for `in_flight` calls at once: one exchange of `call_us`, phones
/// ringing for `call_us` at `in_flight / call_us` calls per second. The first call ends
/// `call_us` after it rang, after the last ring: at the end of the ringing every call of the
/// day is in flight, about `in_flight` of them (a Poisson count). Patience is generous (2 s):
/// a strategy misses calls only when it cannot take them at all.
#[must_use]
pub(super) fn switchboard_spec(in_flight: f64, call_us: u64, base: Spec) -> Spec {
    Spec {
        duration_us: call_us,
        calls_per_s: in_flight * 1e6 / call_us as f64,
        exchanges: 1,
        listen_us: call_us,
        patience_us: 2_000_000,
        appointments_per_s: 1.0,
        ..base
    }
}

impl Scenario {
    /// The switchboard with `in_flight` calls at once, each talking `call_us` (the call rate
    /// scaled to match), its CPU work in units at `ns_per_unit`: the day `harness memory` runs
    /// for each level. `switchboard(SWITCHBOARD_IN_FLIGHT, SWITCHBOARD_CALL_US, ns)` is
    /// `Scenario::Switchboard.spec_for(ns)`.
    #[must_use]
    pub fn switchboard(in_flight: u64, call_us: u64, ns_per_unit: f64) -> Spec {
        let preset = Scenario::Switchboard.spec_for(ns_per_unit);
        switchboard_spec(in_flight as f64, call_us.max(1), preset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switchboard_holds_a_million_calls_at_its_peak_by_construction() {
        use crate::schedule::Schedule;
        let spec = Scenario::Switchboard.spec();
        spec.validate().unwrap();
        assert_eq!(
            Scenario::switchboard(SWITCHBOARD_IN_FLIGHT, SWITCHBOARD_CALL_US, 1_000.0),
            spec
        );
        // Computed from the ring times, not timed: every call rings before the first one ends.
        let day = Schedule::generate(&spec);
        let peak = day.peak_in_flight(spec.talk_us());
        assert_eq!(peak, day.calls.len(), "all of the day's calls at once");
        let want = SWITCHBOARD_IN_FLIGHT as f64;
        assert!((peak as f64 - want).abs() < 5.0 * want.sqrt(), "{peak}");
        // Each level of `harness memory`: the rate scaled, the peak where it was asked.
        for level in [1_000, 10_000, 100_000] {
            let s = Scenario::switchboard(level, SWITCHBOARD_CALL_US, 700.0);
            s.validate().unwrap();
            assert_eq!((s.exchanges, s.listen_us), (1, SWITCHBOARD_CALL_US));
            let peak = Schedule::generate(&s).peak_in_flight(s.talk_us()) as f64;
            let want = level as f64;
            assert!((peak - want).abs() < 5.0 * want.sqrt(), "{level}: {peak}");
        }
        // Long quiet calls: a couple of µs of CPU each, generous patience, hardly any desk.
        let cpu = Scenario::Switchboard.cpu_us();
        assert!(cpu.pickup_us + cpu.reply_us <= 2.0);
        assert!(Scenario::Switchboard.intended_cores() < 0.3);
        assert!(spec.patience_us >= 1_000_000 && spec.appointments_per_s <= 1.0);
        // Half a unit of rounding a step at most, at any calibration.
        for ns in [1_026.0, 682.0, 350.0, 175.0] {
            let s = Scenario::Switchboard.spec_for(ns);
            let off = (s.pickup_work as f64 * ns - cpu.pickup_us * 1_000.0).abs();
            assert!(off <= ns / 2.0 + 1e-9, "{ns}: {} units", s.pickup_work);
        }
    }
}
