//! The named scenarios (`office`, `call-center`, `back-office`, `rush-hour`, `switchboard`,
//! `month-end`):
//! what each is for, its CPU work in µs of CPU ([`Scenario::cpu_us`]) and its timing, and the
//! conversion of that CPU work into work units at a machine's calibration
//! ([`Scenario::spec_for`], [`units_for_us`]).

use super::switchboard::{SWITCHBOARD_CALL_US, SWITCHBOARD_IN_FLIGHT, switchboard_spec};
use super::{Arrivals, Lines, MAX_WORK, Spec};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The ns per work unit at which [`Scenario::spec`] converts a scenario's µs of CPU into work
/// units (the units the presets were first written in: one unit ≈ 1 µs).
pub const REFERENCE_NS_PER_UNIT: f64 = 1_000.0;

/// The nominal day of `month-end`, µs: with 500 checks a second, the batch of 50 checks that
/// are all due at its opening.
const MONTH_END_DAY_US: u64 = 100_000;

/// A scenario's CPU work per step, in µs of CPU: what it means on every machine.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioCpu {
    /// Picking up the phone.
    pub pickup_us: f64,
    /// Each reply.
    pub reply_us: f64,
    /// Checking one appointment.
    pub desk_us: f64,
    /// One uninterrupted desk chunk (so a cooperative secretary's longest stretch away from the
    /// phone is the same time everywhere too).
    pub chunk_us: f64,
}

/// `us` µs of CPU in work units at `ns_per_unit` (rounded, at least 1). A calibration that is
/// not a positive number counts as [`REFERENCE_NS_PER_UNIT`].
#[must_use]
pub fn units_for_us(us: f64, ns_per_unit: f64) -> u64 {
    let ns = if ns_per_unit.is_finite() && ns_per_unit > 0.0 {
        ns_per_unit
    } else {
        REFERENCE_NS_PER_UNIT
    };
    (us * 1_000.0 / ns).round().clamp(1.0, MAX_WORK as f64) as u64
}

/// The named presets. Each one has a purpose ([`Scenario::purpose`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// Balanced default.
    Office,
    /// Many long calls in flight.
    CallCenter,
    /// Desk-heavy.
    BackOffice,
    /// Overload.
    RushHour,
    /// A million long, quiet calls in flight at once.
    Switchboard,
    /// A CPU-heavy batch: every check due at the opening, no calls.
    MonthEnd,
}

impl Scenario {
    /// Every scenario, in display order.
    pub const ALL: [Scenario; 6] = [
        Scenario::Office,
        Scenario::CallCenter,
        Scenario::BackOffice,
        Scenario::RushHour,
        Scenario::Switchboard,
        Scenario::MonthEnd,
    ];

    /// The kebab-case name used on command lines and in file names.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Office => "office",
            Scenario::CallCenter => "call-center",
            Scenario::BackOffice => "back-office",
            Scenario::RushHour => "rush-hour",
            Scenario::Switchboard => "switchboard",
            Scenario::MonthEnd => "month-end",
        }
    }

    /// One line: what the scenario is for.
    #[must_use]
    pub fn purpose(self) -> &'static str {
        match self {
            Scenario::Office => {
                "balanced day, light CPU: one interleaving secretary keeps up, the one who waits through each call cannot"
            }
            Scenario::CallCenter => {
                "~15k long calls in flight at once, little CPU: a thread per call costs many times the memory of a task per call"
            }
            Scenario::BackOffice => {
                "desk-heavy, mostly appointment checks: a check split across two cores is done sooner"
            }
            Scenario::RushHour => {
                "overload, more CPU work than one core has: on one core every secretary falls behind, on two some catch up"
            }
            Scenario::Switchboard => {
                "~1,000,000 quiet calls in flight at once (8 s each, 2 µs of CPU): a thread per call runs out, a task per call holds them all (harness memory: what each call costs)"
            }
            Scenario::MonthEnd => {
                "a CPU-heavy batch: every appointment check is due at the opening and there are no calls; the day lasts until the last check is done — a second core shortens it only for arrangements that split the work"
            }
        }
    }

    /// Names of every scenario, for error messages.
    #[must_use]
    pub fn names() -> String {
        Self::ALL.map(Scenario::name).join(", ")
    }

    /// The CPU work of each step in µs of CPU: the scenario's intended load, the same on every
    /// machine.
    #[must_use]
    pub fn cpu_us(self) -> ScenarioCpu {
        let (pickup_us, reply_us, desk_us, chunk_us) = match self {
            Scenario::Office => (20.0, 50.0, 5_000.0, 100.0),
            Scenario::CallCenter => (5.0, 5.0, 2_000.0, 100.0),
            Scenario::BackOffice => (20.0, 50.0, 15_000.0, 250.0),
            Scenario::RushHour => (50.0, 200.0, 10_000.0, 100.0),
            Scenario::Switchboard => (1.0, 1.0, 100.0, 100.0),
            // No calls: the pick-up and reply costs are never paid.
            Scenario::MonthEnd => (20.0, 50.0, 10_000.0, 100.0),
        };
        ScenarioCpu {
            pickup_us,
            reply_us,
            desk_us,
            chunk_us,
        }
    }

    /// The intended load in cores: µs of CPU offered per second of the day, over 10⁶.
    #[must_use]
    pub fn intended_cores(self) -> f64 {
        let (t, cpu) = (self.timing(), self.cpu_us());
        let call_us = cpu.pickup_us + f64::from(t.exchanges) * cpu.reply_us;
        (t.calls_per_s * call_us + t.appointments_per_s * cpu.desk_us) / 1e6
    }

    /// The preset (seed 1) with its CPU work in work units at `ns_per_unit` (this machine's
    /// calibration): every step costs [`Scenario::cpu_us`] of CPU whatever the machine.
    #[must_use]
    pub fn spec_for(self, ns_per_unit: f64) -> Spec {
        let cpu = self.cpu_us();
        let units = |us| units_for_us(us, ns_per_unit);
        Spec {
            pickup_work: units(cpu.pickup_us),
            reply_work: units(cpu.reply_us),
            desk_work: units(cpu.desk_us),
            chunk: units(cpu.chunk_us),
            ..self.timing()
        }
    }

    /// The preset spec (seed 1) at [`REFERENCE_NS_PER_UNIT`]: for code without a calibration
    /// (tests, `strategy-* --scenario`). The harness uses [`Scenario::spec_for`].
    #[must_use]
    pub fn spec(self) -> Spec {
        self.spec_for(REFERENCE_NS_PER_UNIT)
    }

    /// Everything but the CPU work (set by [`Scenario::spec_for`]): the day, the rates,
    /// listening and patience.
    fn timing(self) -> Spec {
        let office = Spec {
            seed: 1,
            duration_us: 5_000_000,
            calls_per_s: 200.0,
            exchanges: 3,
            listen_us: 2_000,
            pickup_work: 0,
            reply_work: 0,
            patience_us: 20_000,
            appointments_per_s: 20.0,
            appointment_arrivals: Arrivals::Periodic,
            desk_work: 0,
            chunk: 1,
            lines: Lines::Sim,
        };
        match self {
            Scenario::Office => office,
            Scenario::CallCenter => Spec {
                duration_us: 5_000_000, // calls last ~3 s: the day must be longer to fill up
                calls_per_s: 5_000.0,
                exchanges: 6,
                listen_us: 500_000,
                patience_us: 100_000,
                appointments_per_s: 5.0,
                ..office
            },
            Scenario::BackOffice => Spec {
                calls_per_s: 50.0,
                appointments_per_s: 50.0,
                appointment_arrivals: Arrivals::Poisson,
                patience_us: 50_000,
                ..office
            },
            Scenario::RushHour => Spec {
                calls_per_s: 2_500.0,
                exchanges: 2,
                listen_us: 1_000,
                patience_us: 50_000,
                appointments_per_s: 20.0,
                ..office
            },
            // Every call rings within the first SWITCHBOARD_CALL_US and talks for as long, so
            // no call has ended when the last one rings: all of them are in flight at once
            // (see `switchboard_spec`).
            Scenario::Switchboard => {
                switchboard_spec(SWITCHBOARD_IN_FLIGHT as f64, SWITCHBOARD_CALL_US, office)
            }
            // 500 checks a second over a 0.1 s "day" is 50 checks (10 ms each: ~0.5 s of CPU),
            // every one due at the opening: the day lasts until the last is done, ~0.5 s on
            // one core. Its intended load (5 cores over the nominal 0.1 s) says only that
            // there is more work than any core count finishes within it.
            Scenario::MonthEnd => Spec {
                duration_us: MONTH_END_DAY_US,
                calls_per_s: 0.0,
                exchanges: 0,
                listen_us: 0,
                patience_us: 0,
                appointments_per_s: 500.0,
                appointment_arrivals: Arrivals::AtOpening,
                ..office
            },
        }
    }
}

impl std::str::FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|sc| sc.name() == s)
            .ok_or_else(|| format!("unknown scenario '{s}' (valid: {})", Self::names()))
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid() {
        for sc in Scenario::ALL {
            sc.spec().validate().unwrap_or_else(|e| panic!("{sc}: {e}"));
            assert_eq!(sc.name().parse::<Scenario>(), Ok(sc));
        }
    }

    #[test]
    fn the_reference_spec_is_the_presets_as_first_written() {
        let units = |sc: Scenario| {
            let s = sc.spec();
            (s.pickup_work, s.reply_work, s.desk_work, s.chunk)
        };
        assert_eq!(units(Scenario::Office), (20, 50, 5_000, 100));
        assert_eq!(units(Scenario::CallCenter), (5, 5, 2_000, 100));
        assert_eq!(units(Scenario::BackOffice), (20, 50, 15_000, 250));
        assert_eq!(units(Scenario::RushHour), (50, 200, 10_000, 100));
        for sc in Scenario::ALL {
            let at_ref = sc.spec().offered_cores(REFERENCE_NS_PER_UNIT);
            assert!((at_ref - sc.intended_cores()).abs() < 1e-9, "{sc}");
        }
        assert!(
            Scenario::RushHour.intended_cores() > 1.0,
            "rush-hour overloads one core"
        );
        assert!(Scenario::Office.intended_cores() < 0.3);
    }

    #[test]
    fn month_end_is_a_half_second_batch_of_checks_with_no_calls() {
        let s = Scenario::MonthEnd.spec();
        assert!(s.is_batch());
        assert_eq!(s.batch_size(), 50);
        let cpu = Scenario::MonthEnd.cpu_us();
        let total_s = s.batch_size() as f64 * cpu.desk_us / 1e6;
        assert!((0.4..=0.6).contains(&total_s), "{total_s} s of CPU");
        assert!(
            Scenario::ALL
                .into_iter()
                .filter(|&sc| sc != Scenario::MonthEnd)
                .all(|sc| !sc.spec().is_batch()),
            "only month-end is a batch"
        );
    }

    #[test]
    fn a_scenario_offers_the_same_load_on_a_machine_twice_as_fast() {
        // Two VMs measured 682 and 1,026 ns per unit; a desktop ~350. Halving the calibration
        // simulates a machine twice as fast: twice the units, the same µs, the same load.
        for ns in [1_026.0, 682.0, 350.0, REFERENCE_NS_PER_UNIT] {
            // The switchboard's steps are one or two units: rounding moves its load by up to
            // half a unit a step (its own test checks it).
            for sc in Scenario::ALL
                .into_iter()
                .filter(|&s| s != Scenario::Switchboard)
            {
                let intended = sc.intended_cores();
                let (slow, fast) = (sc.spec_for(ns), sc.spec_for(ns / 2.0));
                for (spec, at) in [(&slow, ns), (&fast, ns / 2.0)] {
                    let load = spec.offered_cores(at);
                    assert!(
                        (load / intended - 1.0).abs() < 0.05,
                        "{sc} at {at} ns/unit: {load:.4} cores, intended {intended:.4}"
                    );
                    spec.validate()
                        .unwrap_or_else(|e| panic!("{sc} at {at}: {e}"));
                }
                assert!(
                    fast.desk_work > slow.desk_work * 19 / 10,
                    "{sc}: more units"
                );
                assert_eq!(fast.calls_per_s, slow.calls_per_s);
            }
        }
        // No calibration (or a broken one) is the reference.
        assert_eq!(Scenario::Office.spec_for(f64::NAN), Scenario::Office.spec());
        assert_eq!(units_for_us(0.2, 1_000.0), 1, "at least one unit");
    }

    #[test]
    fn office_fits_one_core_but_not_one_waiting_secretary() {
        let s = Scenario::Office.spec();
        assert!(
            s.offered_cores(1000.0) < 0.3,
            "office CPU {}",
            s.offered_cores(1000.0)
        );
        // The waiting secretary is busy for each whole call, listening included.
        let call_s = (s.exchanges as f64 * s.listen_us as f64) / 1e6;
        assert!(s.calls_per_s * call_s > 1.0, "sequential would keep up");
    }
}
