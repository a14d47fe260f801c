//! The timeline's spans: one stretch of CPU work (on the phone or at the desk), on which OS
//! thread and CPU, from when to when.

use crate::clock::Clock;
use serde::{Deserialize, Serialize};

/// What a span of work was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Doing {
    /// On the phone: pick-up or reply work for a call.
    Phone,
    /// At the desk: one chunk of an appointment check.
    Desk,
}

/// One stretch of CPU work, for the timeline. Its start and end are wall-clock instants, so a
/// span also covers any time its thread spent preempted in between: on one core, spans of two
/// threads can seem to overlap when the kernel switched between them mid-span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Index of the OS thread that did it (see [`crate::threads`]).
    pub thread: u32,
    /// CPU it started on.
    pub cpu: u32,
    /// What it was.
    pub doing: Doing,
    /// Call or appointment id.
    pub id: u32,
    /// Start, ns after the start of the day.
    pub start_ns: u64,
    /// End, ns after the start of the day.
    pub end_ns: u64,
}

impl Span {
    /// A span of `doing` from `start_ns` to now, if it falls in the timeline window.
    #[inline]
    pub(crate) fn traced(
        clock: &Clock,
        doing: Doing,
        id: u32,
        start_ns: u64,
        end_ns: u64,
    ) -> Option<Span> {
        clock.traced(start_ns, end_ns).then(|| Span {
            thread: crate::threads::current(),
            cpu: crate::threads::cpu(),
            doing,
            id,
            start_ns,
            end_ns,
        })
    }
}
