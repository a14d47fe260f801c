//! The one table of a [`Spec`]'s fields ([`Spec::FIELDS`], from which command-line flags are
//! generated) and the text overrides ([`Spec::set`]) that set a field by name from a string.

use super::Spec;

impl Spec {
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
        SpecField::new(
            "appointment-arrivals",
            "KIND",
            "periodic, poisson or at-opening",
        ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Arrivals, Scenario};

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
