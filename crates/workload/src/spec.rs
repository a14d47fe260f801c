//! `Spec`: every parameter of the secretary workload, its defaults, its validation, and the
//! named scenarios (`office`, `call-center`, `back-office`, `rush-hour`, `switchboard`).
//!
//! Times are integers in microseconds (`*_us`) so a spec means the same thing on every
//! platform; CPU work is in work units (see [`crate::work`]), whose cost differs from machine to
//! machine (≈350 ns on a desktop CPU, 680–1,090 ns on small VMs). A scenario therefore gives its
//! CPU work in µs of CPU ([`Scenario::cpu_us`], its intended load in cores), and
//! [`Scenario::spec_for`] turns that into units at a machine's calibrated ns per unit, so a
//! scenario offers the same load everywhere; [`Scenario::spec`] is the preset at
//! [`REFERENCE_NS_PER_UNIT`], for code that has no calibration.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How appointments fall due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arrivals {
    /// Every `1 / appointments_per_s` seconds, the first one after one period.
    Periodic,
    /// A Poisson process of rate `appointments_per_s`.
    Poisson,
}

impl Arrivals {
    /// Valid names, for error messages.
    pub const NAMES: &'static str = "periodic, poisson";
}

impl std::str::FromStr for Arrivals {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "periodic" => Ok(Self::Periodic),
            "poisson" => Ok(Self::Poisson),
            _ => Err(format!("unknown arrivals '{s}' (valid: {})", Self::NAMES)),
        }
    }
}

/// What a phone line is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lines {
    /// Simulated: a call is a schedule entry, the caller's talk a sleep inside the strategy,
    /// and the strategy times its own pick-ups.
    #[default]
    Sim,
    /// A real loopback TCP connection per call: the callers are played and timed by a separate
    /// caller process (`harness`'s `caller` binary); the strategy waits on real readiness.
    Tcp,
}

impl Lines {
    /// Valid names, for error messages.
    pub const NAMES: &'static str = "sim, tcp";

    /// The name as the command line and the JSON spell it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Lines::Sim => "sim",
            Lines::Tcp => "tcp",
        }
    }
}

impl fmt::Display for Lines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Lines {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sim" => Ok(Self::Sim),
            "tcp" => Ok(Self::Tcp),
            _ => Err(format!("unknown lines '{s}' (valid: {})", Self::NAMES)),
        }
    }
}

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
    /// Whether appointments are periodic or Poisson.
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

/// A spec field outside its allowed range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid {field} = {value}: {allowed}")]
pub struct SpecError {
    /// The offending field (snake_case, as in the JSON spec).
    pub field: &'static str,
    /// Its value, as given.
    pub value: String,
    /// What would be accepted.
    pub allowed: String,
}

/// Most events a schedule may hold (calls + appointments): about 24 bytes each, so 50 M is
/// ~1.2 GB for the schedule alone, the most a 24 GiB machine should give one run.
pub const MAX_EVENTS: f64 = 50_000_000.0;
/// Longest working day (one day: longer specs are typos).
pub const MAX_DURATION_US: u64 = 86_400_000_000;
/// Largest work amount of a single item (about 10 minutes of CPU).
pub const MAX_WORK: u64 = 600_000_000;
/// Most exchanges in one call.
pub const MAX_EXCHANGES: u32 = 10_000;

fn err(field: &'static str, value: impl fmt::Display, allowed: impl Into<String>) -> SpecError {
    SpecError {
        field,
        value: value.to_string(),
        allowed: allowed.into(),
    }
}

impl Spec {
    /// Checks every field; the error names the field and the allowed range.
    pub fn validate(&self) -> Result<(), SpecError> {
        let rate = |field, v: f64, allow_zero: bool| {
            let ok = v.is_finite() && (v > 0.0 || (allow_zero && v == 0.0)) && v <= 1e6;
            if ok {
                Ok(())
            } else {
                let lo = if allow_zero { "0 <=" } else { "0 <" };
                Err(err(
                    field,
                    v,
                    format!("must be a number with {lo} value <= 1000000 per second"),
                ))
            }
        };
        if self.duration_us == 0 || self.duration_us > MAX_DURATION_US {
            return Err(err(
                "duration_us",
                self.duration_us,
                format!("must be 1..={MAX_DURATION_US} µs (at most one day)"),
            ));
        }
        rate("calls_per_s", self.calls_per_s, true)?;
        rate("appointments_per_s", self.appointments_per_s, true)?;
        if self.exchanges > MAX_EXCHANGES {
            return Err(err(
                "exchanges",
                self.exchanges,
                format!("must be 0..={MAX_EXCHANGES}"),
            ));
        }
        for (field, v) in [
            ("listen_us", self.listen_us),
            ("patience_us", self.patience_us),
        ] {
            if v > MAX_DURATION_US {
                return Err(err(field, v, format!("must be 0..={MAX_DURATION_US} µs")));
            }
        }
        for (field, v) in [
            ("pickup_work", self.pickup_work),
            ("reply_work", self.reply_work),
            ("desk_work", self.desk_work),
        ] {
            if v > MAX_WORK {
                return Err(err(field, v, format!("must be 0..={MAX_WORK} work units")));
            }
        }
        if self.chunk == 0 || self.chunk > MAX_WORK {
            return Err(err(
                "chunk",
                self.chunk,
                format!("must be 1..={MAX_WORK} work units"),
            ));
        }
        let secs = self.duration_us as f64 / 1e6;
        let events = (self.calls_per_s + self.appointments_per_s) * secs;
        if events > MAX_EVENTS {
            return Err(err(
                "duration_us",
                self.duration_us,
                format!(
                    "schedule too large: about {events:.0} events expected, at most {MAX_EVENTS:.0} (lower the rates or the duration)"
                ),
            ));
        }
        Ok(())
    }

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

    /// Offered CPU load in cores (work units per second × `ns_per_unit`).
    #[must_use]
    pub fn offered_cores(&self, ns_per_unit: f64) -> f64 {
        let units = self.calls_per_s * self.call_work() as f64
            + self.appointments_per_s * self.desk_work as f64;
        units * ns_per_unit / 1e9
    }

    /// Sets one field by its kebab-case or snake_case name from a string (command-line
    /// overrides). The error names the field and the valid choices.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        fn num<T: std::str::FromStr>(name: &str, v: &str, what: &str) -> Result<T, String> {
            v.parse()
                .map_err(|_| format!("invalid value '{v}' for --{name}: expected {what}"))
        }
        let u = "a non-negative integer";
        let f = "a number";
        match name.replace('_', "-").as_str() {
            "seed" => self.seed = num(name, value, u)?,
            "duration-us" => self.duration_us = num(name, value, u)?,
            "calls-per-s" => self.calls_per_s = num(name, value, f)?,
            "exchanges" => self.exchanges = num(name, value, u)?,
            "listen-us" => self.listen_us = num(name, value, u)?,
            "pickup-work" => self.pickup_work = num(name, value, u)?,
            "reply-work" => self.reply_work = num(name, value, u)?,
            "patience-us" => self.patience_us = num(name, value, u)?,
            "appointments-per-s" => self.appointments_per_s = num(name, value, f)?,
            "appointment-arrivals" => self.appointment_arrivals = value.parse()?,
            "desk-work" => self.desk_work = num(name, value, u)?,
            "chunk" => self.chunk = num(name, value, u)?,
            "lines" => self.lines = value.parse()?,
            other => {
                return Err(format!(
                    "unknown spec field '{other}' (valid: {})",
                    Self::field_names()
                ));
            }
        }
        Ok(())
    }

    /// Every field, once: kebab-case name (as [`Spec::set`] and the command lines accept it),
    /// the kind of value, and one line of help. Command-line flags are generated from this.
    pub const FIELDS: &'static [SpecField] = &[
        SpecField::new("seed", "N", "Seed of the schedule and of every work key"),
        SpecField::new("duration-us", "US", "Length of the day"),
        SpecField::new(
            "calls-per-s",
            "RATE",
            "Mean rate of the Poisson process of calls",
        ),
        SpecField::new("exchanges", "N", "Rounds of (listen, reply) in each call"),
        SpecField::new("listen-us", "US", "How long the caller talks in each round"),
        SpecField::new("pickup-work", "UNITS", "CPU work to pick up the phone"),
        SpecField::new("reply-work", "UNITS", "CPU work of each reply"),
        SpecField::new(
            "patience-us",
            "US",
            "A caller not picked up within this hangs up",
        ),
        SpecField::new(
            "appointments-per-s",
            "RATE",
            "Rate of appointments to check",
        ),
        SpecField::new("appointment-arrivals", "KIND", "periodic or poisson"),
        SpecField::new("desk-work", "UNITS", "CPU work of checking one appointment"),
        SpecField::new(
            "chunk",
            "UNITS",
            "Work units per uninterrupted desk chunk (cooperative strategies yield between chunks)",
        ),
        SpecField::new(
            "lines",
            "KIND",
            "sim (the caller's talk is a sleep in the strategy) or tcp (a loopback connection per call, callers played and timed by a separate process)",
        ),
    ];

    /// The field names, comma-separated, for error messages.
    #[must_use]
    pub fn field_names() -> String {
        Self::FIELDS
            .iter()
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether `name` (kebab- or snake-case) is a field.
    #[must_use]
    pub fn is_field(name: &str) -> bool {
        let name = name.replace('_', "-");
        Self::FIELDS.iter().any(|f| f.name == name)
    }
}

/// One row of [`Spec::FIELDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpecField {
    /// Kebab-case name.
    pub name: &'static str,
    /// What its value is (`US`, `UNITS`, `RATE`, `N`, `KIND`).
    pub value: &'static str,
    /// One line of help.
    pub help: &'static str,
}

impl SpecField {
    const fn new(name: &'static str, value: &'static str, help: &'static str) -> SpecField {
        SpecField { name, value, help }
    }
}

/// The ns per work unit at which [`Scenario::spec`] converts a scenario's µs of CPU into work
/// units (the units the presets were first written in: one unit ≈ 1 µs).
pub const REFERENCE_NS_PER_UNIT: f64 = 1_000.0;

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
}

impl Scenario {
    /// Every scenario, in display order.
    pub const ALL: [Scenario; 5] = [
        Scenario::Office,
        Scenario::CallCenter,
        Scenario::BackOffice,
        Scenario::RushHour,
        Scenario::Switchboard,
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
        }
    }
}

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
fn switchboard_spec(in_flight: f64, call_us: u64, base: Spec) -> Spec {
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
    fn the_field_table_is_every_json_field_and_set_accepts_each() {
        let spec = Scenario::BackOffice.spec();
        let json = serde_json::to_value(&spec).unwrap();
        let keys: Vec<String> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.replace('_', "-"))
            .collect();
        let mut table: Vec<String> = Spec::FIELDS.iter().map(|f| f.name.to_owned()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        table.sort();
        assert_eq!(table, sorted, "FIELDS must list every spec field once");
        // Setting each field to the value it has in the JSON gives the same spec back.
        let mut copy = Scenario::Office.spec();
        for f in Spec::FIELDS {
            let v = &json[f.name.replace('-', "_")];
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            copy.set(f.name, &text).unwrap();
            assert!(Spec::is_field(f.name) && Spec::is_field(&f.name.replace('-', "_")));
        }
        assert_eq!(copy, spec);
        assert!(!Spec::is_field("speed"));
    }

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

    #[test]
    fn validation_names_the_field_and_range() {
        let bad = [
            (
                Spec {
                    chunk: 0,
                    ..Spec::default()
                },
                "chunk",
                "1..=",
            ),
            (
                Spec {
                    duration_us: 0,
                    ..Spec::default()
                },
                "duration_us",
                "1..=",
            ),
            (
                Spec {
                    calls_per_s: -1.0,
                    ..Spec::default()
                },
                "calls_per_s",
                "0 <=",
            ),
            (
                Spec {
                    calls_per_s: f64::NAN,
                    ..Spec::default()
                },
                "calls_per_s",
                "per second",
            ),
            (
                Spec {
                    appointments_per_s: f64::INFINITY,
                    ..Spec::default()
                },
                "appointments_per_s",
                "per second",
            ),
            (
                Spec {
                    desk_work: u64::MAX,
                    ..Spec::default()
                },
                "desk_work",
                "work units",
            ),
            (
                Spec {
                    exchanges: u32::MAX,
                    ..Spec::default()
                },
                "exchanges",
                "0..=",
            ),
            (
                Spec {
                    calls_per_s: 1e6,
                    duration_us: MAX_DURATION_US,
                    ..Spec::default()
                },
                "duration_us",
                "too large",
            ),
        ];
        for (spec, field, needle) in bad {
            let e = spec.validate().expect_err(field);
            assert_eq!(e.field, field);
            assert!(e.to_string().contains(needle), "{e}");
            assert!(e.to_string().contains(field), "{e}");
        }
    }

    #[test]
    fn set_parses_fields_and_rejects_unknown_ones() {
        let mut s = Spec::default();
        s.set("chunk", "7").unwrap();
        s.set("calls_per_s", "12.5").unwrap();
        s.set("appointment-arrivals", "poisson").unwrap();
        assert_eq!(
            (s.chunk, s.calls_per_s, s.appointment_arrivals),
            (7, 12.5, Arrivals::Poisson)
        );
        let e = s.set("chunk", "-3").unwrap_err();
        assert!(
            e.contains("--chunk") && e.contains("non-negative integer"),
            "{e}"
        );
        let e = s.set("colour", "red").unwrap_err();
        assert!(e.contains("valid:") && e.contains("desk-work"), "{e}");
    }
}
