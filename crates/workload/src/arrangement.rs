//! What a strategy says it is: its secretary arrangement, declared once in its `main.rs` and
//! carried in every report. The harness's theory, findings and default sweeps select on this
//! declaration, never on a strategy's name, so a new crate is treated correctly without
//! touching the harness.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Who answers the phone: how many workers (OS threads, or coroutine workers) take calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Workers {
    /// One worker does everything (the essay's one secretary).
    One,
    /// As many workers as cores (a pool).
    Cores,
    /// A worker of its own for every call (a thread per call).
    PerCall,
}

/// How a worker goes from one job to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Switching {
    /// It does not: a job runs to its end, waits included (a blocked call holds the worker).
    RunToCompletion,
    /// Jobs give the worker back at their waits and between desk chunks (`.await`, yields).
    Cooperative,
    /// The operating system takes the CPU away whenever it likes (threads).
    Preemptive,
}

/// How one appointment check is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Desk {
    /// By one worker at a time, chunk after chunk.
    OneWorker,
    /// Its chunks are spread across the cores (a parallel pool).
    SplitAcrossCores,
}

/// A strategy's declared arrangement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Arrangement {
    /// Who answers the phone.
    pub workers: Workers,
    /// How a worker switches between jobs.
    pub switching: Switching,
    /// Cooperative schedulers: how many task polls may pass between two looks at the timers
    /// (where rings come from) while tasks stay ready — async-executor: 200, tokio: 61, a
    /// hand-written loop that checks its deadlines after every step: 1. `None` where timers
    /// are served apart from the workers (a timer thread) or switching is not cooperative.
    pub timer_check_polls: Option<u32>,
    /// How one appointment check is done.
    pub desk: Desk,
}

impl Arrangement {
    /// One secretary, one thing at a time (the sequential baseline).
    pub const SEQUENTIAL: Arrangement = Arrangement {
        workers: Workers::One,
        switching: Switching::RunToCompletion,
        timer_check_polls: None,
        desk: Desk::OneWorker,
    };

    /// One worker interleaving tasks, looking at timers every `polls` polls while busy.
    #[must_use]
    pub const fn one_cooperative(polls: Option<u32>) -> Arrangement {
        Arrangement {
            workers: Workers::One,
            switching: Switching::Cooperative,
            timer_check_polls: polls,
            desk: Desk::OneWorker,
        }
    }

    /// The compact form `harness list` and the tables show, e.g.
    /// `one · cooperative (timers every 200 polls) · desk on one worker`.
    #[must_use]
    pub fn describe(&self) -> String {
        let workers = match self.workers {
            Workers::One => "one worker",
            Workers::Cores => "cores workers",
            Workers::PerCall => "a worker per call",
        };
        let switching = match (self.switching, self.timer_check_polls) {
            (Switching::RunToCompletion, _) => "run to completion".to_owned(),
            (Switching::Preemptive, _) => "preemptive".to_owned(),
            (Switching::Cooperative, None) => "cooperative".to_owned(),
            (Switching::Cooperative, Some(n)) => {
                format!("cooperative (timers every {n} poll{})", plural(n))
            }
        };
        let desk = match self.desk {
            Desk::OneWorker => "desk on one worker",
            Desk::SplitAcrossCores => "desk split across cores",
        };
        format!("{workers} · {switching} · {desk}")
    }

    /// Whether the strategy interleaves calls and desk work on one worker by yielding (the
    /// chunk size then decides how long a ring can wait).
    #[must_use]
    pub fn is_cooperative(&self) -> bool {
        self.switching == Switching::Cooperative
    }

    /// Whether a second core can run secretary work at the same time as the first.
    #[must_use]
    pub fn can_use_cores(&self) -> bool {
        self.workers != Workers::One || self.desk == Desk::SplitAcrossCores
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl fmt::Display for Arrangement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_kebab_case_and_round_trips() {
        let a = Arrangement::one_cooperative(Some(200));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"workers":"one","switching":"cooperative","timer_check_polls":200,"desk":"one-worker"}"#
        );
        assert_eq!(serde_json::from_str::<Arrangement>(&json).unwrap(), a);
    }

    #[test]
    fn describe_names_every_part() {
        assert_eq!(
            Arrangement::one_cooperative(Some(200)).describe(),
            "one worker · cooperative (timers every 200 polls) · desk on one worker"
        );
        assert_eq!(
            Arrangement::SEQUENTIAL.describe(),
            "one worker · run to completion · desk on one worker"
        );
        let pool = Arrangement {
            workers: Workers::Cores,
            switching: Switching::RunToCompletion,
            timer_check_polls: None,
            desk: Desk::SplitAcrossCores,
        };
        assert!(pool.can_use_cores() && !pool.is_cooperative());
        assert!(!Arrangement::SEQUENTIAL.can_use_cores());
    }
}
