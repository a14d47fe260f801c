//! The event-loop secretary's agenda: a call as a small state machine, and the deadlines the
//! loop waits for. This is the part a runtime writes for you — a `Future` is such a state
//! machine, and a runtime's timer wheel is such a heap — spelled out by hand.
//!
//! A call goes: ringing → picked up → listening until T → replying → listening … → done. The
//! two steps that need the CPU (pick up, reply) are [`Step`]s on the phone's to-do list; the
//! wait in between is a [`Deadline`] in the heap, carrying the call's sheet until the caller
//! has finished talking. What it cannot do: anything while a step runs — a step is never
//! interrupted, so a ring waits for at most one step (a pick-up, a reply or a desk chunk).

use std::cmp::Ordering;
use workload::record::CallSheet;
use workload::{Call, Clock, Office};

/// Phone work that can be done now.
pub(crate) enum Step {
    /// The phone rang (the loop saw it at `noticed_ns`): pick up.
    PickUp { call: Call, noticed_ns: u64 },
    /// The caller stopped talking: reply.
    Reply(CallSheet),
}

/// Where a call stands after a step.
pub(crate) enum Next {
    /// The caller talks until `until_ns`: wait, then reply.
    Listening { until_ns: u64, sheet: CallSheet },
    /// The call is over (or the caller had already hung up): file the sheet.
    Done(CallSheet),
}

impl Step {
    /// Does the step now, then starts listening if the caller has more to say.
    pub(crate) fn run(self, office: &Office, clock: &Clock) -> Next {
        let mut sheet = match self {
            Step::PickUp { call, noticed_ns } => office.pick_up(&call, clock, noticed_ns),
            Step::Reply(mut sheet) => {
                office.reply(&mut sheet, clock);
                sheet
            }
        };
        match office.listen(&mut sheet, clock) {
            // Read the clock after `listen` set the talk's end: never wake before it.
            Some(talk) => Next::Listening {
                until_ns: clock.now_ns() + talk.as_nanos() as u64,
                sheet,
            },
            None => Next::Done(sheet),
        }
    }
}

/// What happens at a deadline.
pub(crate) enum Wake {
    /// Call `i` of the day rings.
    Ring(usize),
    /// Appointment `i` of the day falls due.
    Due(usize),
    /// A caller stops talking.
    TalkEnds(CallSheet),
}

/// An entry of the deadline heap, ordered so that `BinaryHeap` pops the earliest first.
pub(crate) struct Deadline {
    pub(crate) at_ns: u64,
    pub(crate) wake: Wake,
}

impl PartialEq for Deadline {
    fn eq(&self, other: &Self) -> bool {
        self.at_ns == other.at_ns
    }
}

impl Eq for Deadline {}

impl PartialOrd for Deadline {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Deadline {
    /// Reversed: the earliest deadline is the heap's greatest element.
    fn cmp(&self, other: &Self) -> Ordering {
        other.at_ns.cmp(&self.at_ns)
    }
}
