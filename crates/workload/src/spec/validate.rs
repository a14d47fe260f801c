//! The limits of a [`Spec`] and its validation: [`Spec::validate`] names the first field out
//! of range and what would be accepted ([`SpecError`]).

use super::Spec;
use std::fmt;

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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
