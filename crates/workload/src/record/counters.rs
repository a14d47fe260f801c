//! The counters of a day ([`Counters`]) and what filing found about *when* the work was done
//! ([`Integrity`], with the grace it allows, [`EARLY_GRACE_NS`]).

use serde::{Deserialize, Serialize};

/// How far before its instant a step may seem to happen before it counts as early: the
/// schedule's resolution (1 µs). A correct strategy is never early at all (its timers
/// never fire early); this only keeps the check at the resolution the day is written in.
pub const EARLY_GRACE_NS: u64 = 1_000;

/// Counters of a day (or of one worker's part of it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Calls that rang (set by the entry point from the schedule).
    pub offered_calls: u64,
    /// Calls picked up within patience and handled to the end.
    pub answered_calls: u64,
    /// Calls whose caller hung up, plus calls the strategy could not start.
    pub missed_calls: u64,
    /// Appointments in the schedule (set by the entry point).
    pub offered_appointments: u64,
    /// Appointments checked.
    pub appointments_done: u64,
    /// Replies given.
    pub replies: u64,
    /// Calls the strategy could not even start (no thread / coroutine could be created).
    pub start_failures: u64,
    /// Steps taken before their instant, sheets timed on a foreign clock: all must be zero.
    #[serde(default)]
    pub integrity: Integrity,
    /// Over real lines: calls whose caller hung up after the pick-up (the connection closed or
    /// reset mid-call), filed as missed.
    #[serde(default)]
    pub callers_gone: u64,
    /// Over real lines: connections that never said which call they were (closed before the
    /// ring frame, or sent something that is not a frame).
    #[serde(default)]
    pub stray_lines: u64,
    /// Over real lines: calls whose ring never reached the secretary (the caller gave up in
    /// the accept queue or before the connection was made), filed as missed at the day's end.
    #[serde(default)]
    pub never_rang: u64,
    /// When the latest appointment check was done (its last chunk ended), ns after the
    /// opening; 0 before any. Merged by maximum: on a batch day (every check due at the
    /// opening) it is the day's makespan.
    #[serde(default)]
    pub last_check_done_ns: u64,
}

/// What filing found about *when* the work was done. Every count must be zero: anything else
/// is a strategy acting on the future or timing itself on a clock of its own, and
/// [`crate::reference::verify`] reports it (naming the lowest id involved).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Integrity {
    /// Calls picked up, or noticed, before they rang (more than [`EARLY_GRACE_NS`] early).
    pub early_pickups: u64,
    /// The lowest id among them.
    pub early_pickup_call: Option<u32>,
    /// Replies started before the caller had stopped talking.
    pub early_replies: u64,
    /// The lowest id of a call with an early reply.
    pub early_reply_call: Option<u32>,
    /// Appointment checks started before they fell due, or with a chunk run before the check
    /// started.
    pub early_checks: u64,
    /// The lowest id among them.
    pub early_check_appointment: Option<u32>,
    /// Call and desk sheets timed on a clock other than the office's (a strategy that opened
    /// a second office, or passed a clock other than the office's), plus desk chunks timed on
    /// a clock other than their sheet's.
    pub foreign_clock_sheets: u64,
}

pub(super) fn lowest(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    a.into_iter().chain(b).min()
}

impl Integrity {
    pub(super) fn add(&mut self, o: &Integrity) {
        self.early_pickups += o.early_pickups;
        self.early_pickup_call = lowest(self.early_pickup_call, o.early_pickup_call);
        self.early_replies += o.early_replies;
        self.early_reply_call = lowest(self.early_reply_call, o.early_reply_call);
        self.early_checks += o.early_checks;
        self.early_check_appointment =
            lowest(self.early_check_appointment, o.early_check_appointment);
        self.foreign_clock_sheets += o.foreign_clock_sheets;
    }
}
