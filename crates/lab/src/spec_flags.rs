//! The spec flags of `harness run` and `harness compare`, generated from the one table of
//! spec fields (`workload::Spec::FIELDS`): `--<field> VALUE` for every field, `--duration SECS`
//! (the day in seconds, the friendlier form of `--duration-us`) and `--set FIELD=VALUE`.
//! Adding a field to the spec adds its flag here without a second list.

use clap::{Arg, ArgAction, ArgMatches, Command, FromArgMatches};
use workload::{Scenario, Spec};

/// Spec overrides from the command line, in the order they apply.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpecFlags {
    /// `--duration SECS`.
    pub duration_s: Option<f64>,
    /// `(field, value)` from the named flags (table order), then from `--set` (given order).
    pub sets: Vec<(String, String)>,
}

const SET: &str = "set";
const DURATION: &str = "duration";

impl SpecFlags {
    /// The scenario's spec (at the reference ns per unit) with every override applied,
    /// validated.
    pub fn apply(&self, scenario: Scenario) -> Result<Spec, String> {
        self.apply_at(scenario, workload::REFERENCE_NS_PER_UNIT)
    }

    /// The scenario's spec with its CPU work converted at `ns_per_unit` (this machine's
    /// calibration, see `Scenario::spec_for`), then every override applied — an explicit
    /// `--pickup-work` and the like stay in work units — validated.
    pub fn apply_at(&self, scenario: Scenario, ns_per_unit: f64) -> Result<Spec, String> {
        let mut spec = scenario.spec_for(ns_per_unit);
        if let Some(d) = self.duration_s {
            if !(d.is_finite() && d > 0.0 && d <= 86_400.0) {
                return Err(format!(
                    "invalid --duration {d}: must be a number of seconds in (0, 86400]"
                ));
            }
            spec.duration_us = (d * 1e6).round().max(1.0) as u64;
        }
        for (field, value) in &self.sets {
            spec.set(field, value)?;
        }
        spec.validate().map_err(|e| format!("{scenario}: {e}"))?;
        Ok(spec)
    }

    /// Whether the day's length was given (then plans keep it).
    #[must_use]
    pub fn sets_duration(&self) -> bool {
        self.duration_s.is_some() || self.sets.iter().any(|(f, _)| f == "duration-us")
    }
}

impl FromArgMatches for SpecFlags {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut flags = SpecFlags {
            duration_s: m.get_one::<f64>(DURATION).copied(),
            sets: Vec::new(),
        };
        for f in Spec::FIELDS {
            if let Some(v) = m.get_one::<String>(f.name) {
                flags.sets.push((f.name.to_owned(), v.clone()));
            }
        }
        for kv in m.get_many::<String>(SET).into_iter().flatten() {
            let (k, v) = kv.split_once('=').ok_or_else(|| {
                clap::Error::raw(
                    clap::error::ErrorKind::ValueValidation,
                    format!("--set expects FIELD=VALUE, got '{kv}'"),
                )
            })?;
            if !Spec::is_field(k) {
                return Err(clap::Error::raw(
                    clap::error::ErrorKind::ValueValidation,
                    format!(
                        "unknown spec field '{k}' in --set (valid: {})",
                        Spec::field_names()
                    ),
                ));
            }
            flags.sets.push((k.replace('_', "-"), v.to_owned()));
        }
        Ok(flags)
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl clap::Args for SpecFlags {
    fn augment_args(cmd: Command) -> Command {
        let mut cmd = cmd
            .arg(
                Arg::new(DURATION)
                    .long(DURATION)
                    .value_name("SECS")
                    .value_parser(clap::value_parser!(f64))
                    .allow_negative_numbers(true)
                    .help("Length of the day in seconds (overrides the scenario's)")
                    .help_heading("Spec"),
            )
            .arg(
                Arg::new(SET)
                    .long(SET)
                    .value_name("FIELD=VALUE")
                    .action(ArgAction::Append)
                    .help("Override any spec field (repeatable)")
                    .help_heading("Spec"),
            );
        for f in Spec::FIELDS {
            cmd = cmd.arg(
                Arg::new(f.name)
                    .long(f.name)
                    .value_name(f.value)
                    .allow_negative_numbers(true)
                    .help(f.help)
                    .help_heading("Spec"),
            );
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Cli {
        #[command(flatten)]
        spec: SpecFlags,
    }

    fn parse(args: &[&str]) -> Result<SpecFlags, clap::Error> {
        let mut v = vec!["x"];
        v.extend_from_slice(args);
        Cli::try_parse_from(v).map(|c| c.spec)
    }

    #[test]
    fn every_field_has_a_flag_and_applies() {
        let cmd = <Cli as clap::CommandFactory>::command();
        for f in Spec::FIELDS {
            assert!(
                cmd.get_arguments().any(|a| a.get_long() == Some(f.name)),
                "no --{}",
                f.name
            );
        }
        let flags = parse(&["--chunk", "7", "--set", "patience_us=999", "--seed", "4"]).unwrap();
        let spec = flags.apply(Scenario::Office).unwrap();
        assert_eq!((spec.chunk, spec.patience_us, spec.seed), (7, 999, 4));
    }

    #[test]
    fn bad_values_name_the_problem() {
        let e = parse(&["--set", "speed=3"]).unwrap_err().to_string();
        assert!(
            e.contains("unknown spec field 'speed'") && e.contains("chunk"),
            "{e}"
        );
        assert!(parse(&["--set", "chunk"]).is_err());
        let e = parse(&["--chunk", "x"])
            .unwrap()
            .apply(Scenario::Office)
            .unwrap_err();
        assert!(e.contains("--chunk"), "{e}");
        let e = parse(&["--duration", "-1"])
            .unwrap()
            .apply(Scenario::Office)
            .unwrap_err();
        assert!(e.contains("--duration"), "{e}");
    }

    #[test]
    fn units_follow_the_calibration_unless_given() {
        let f = parse(&["--desk-work", "777"]).unwrap();
        let spec = f.apply_at(Scenario::Office, 500.0).unwrap();
        assert_eq!((spec.pickup_work, spec.desk_work), (40, 777));
        assert_eq!(f.apply(Scenario::Office).unwrap().pickup_work, 20);
    }

    #[test]
    fn duration_in_seconds_and_the_flag_that_set_it() {
        let f = parse(&["--duration", "0.5"]).unwrap();
        assert!(f.sets_duration());
        assert_eq!(f.apply(Scenario::Office).unwrap().duration_us, 500_000);
        assert!(!parse(&[]).unwrap().sets_duration());
        assert!(parse(&["--duration-us", "9"]).unwrap().sets_duration());
    }
}
