//! The spec fields that name a kind rather than a number: how appointments fall due
//! ([`Arrivals`]: periodic, Poisson, or all at the opening — a batch) and what a phone line is
//! ([`Lines`]), with the names the command line and the JSON spell them by.

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
    /// A batch: `appointments_per_s × duration` appointments, every one due at the opening
    /// (0 µs), in id order.
    AtOpening,
}

impl Arrivals {
    /// Valid names, for error messages.
    pub const NAMES: &'static str = "periodic, poisson, at-opening";
}

impl std::str::FromStr for Arrivals {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "periodic" => Ok(Self::Periodic),
            "poisson" => Ok(Self::Poisson),
            "at-opening" => Ok(Self::AtOpening),
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
