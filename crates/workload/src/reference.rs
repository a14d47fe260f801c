//! The reference: what a correct strategy must report for a spec and its set of missed calls,
//! and `verify`, the are-we-fast-yet style check that a report proves it did the work.
//! Runs outside the timed process (in the harness, or in the conformance tests).

use crate::office::{call_key, desk_key};
use crate::protocol::Report;
use crate::record::{appointment_contribution, call_contribution};
use crate::schedule::Schedule;
use crate::spec::Spec;
use crate::work;

/// Per-call digest contributions and the appointments' total for one spec.
#[derive(Clone, Debug)]
pub struct Reference {
    calls: Vec<u64>,
    appointments: u64,
    offered_appointments: u64,
}

impl Reference {
    /// Recomputes every value of the day (spread over the machine's threads). Public because
    /// the harness is the verifier; it gives a strategy nothing to file: values reach a
    /// logbook only on sheets made by the office's steps.
    #[must_use]
    pub fn compute(spec: &Spec) -> Reference {
        let schedule = Schedule::generate(spec);
        let call_value = |id: u32| {
            let mut v = work::units(call_key(spec.seed, id, 0), 0..spec.pickup_work);
            for x in 1..=spec.exchanges {
                v = v.wrapping_add(work::units(call_key(spec.seed, id, x), 0..spec.reply_work));
            }
            call_contribution(id, v)
        };
        let appt_value = |id: u32| {
            appointment_contribution(id, work::units(desk_key(spec.seed, id), 0..spec.desk_work))
        };
        let n = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (nc, na) = (schedule.calls.len(), schedule.appointments.len());
        // Thread t computes calls t, t+n, ... and appointments t, t+n, ...
        let parts: Vec<(Vec<u64>, u64)> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..n)
                .map(|t| {
                    let (call_value, appt_value) = (&call_value, &appt_value);
                    s.spawn(move || {
                        let calls = (t..nc)
                            .step_by(n)
                            .map(|i| call_value(i as u32))
                            .collect::<Vec<_>>();
                        let appts = (t..na)
                            .step_by(n)
                            .fold(0u64, |a, i| a.wrapping_add(appt_value(i as u32)));
                        (calls, appts)
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        });
        let mut calls = vec![0u64; nc];
        let mut appointments = 0u64;
        for (t, (part, a)) in parts.into_iter().enumerate() {
            for (k, v) in part.into_iter().enumerate() {
                calls[t + k * n] = v;
            }
            appointments = appointments.wrapping_add(a);
        }
        Reference {
            calls,
            appointments,
            offered_appointments: na as u64,
        }
    }

    /// The digest a correct strategy reports when exactly the calls `missed` went unanswered
    /// (`None` if an id is out of range).
    #[must_use]
    pub fn expected_digest(&self, missed: &[u32]) -> Option<u64> {
        let mut d = self
            .calls
            .iter()
            .fold(self.appointments, |a, &c| a.wrapping_add(c));
        for &id in missed {
            d = d.wrapping_sub(*self.calls.get(id as usize)?);
        }
        Some(d)
    }

    /// The digest contribution of call `id` heard whole (its pick-up and every reply value
    /// summed): what a caller who heard the call to its end must have received.
    #[must_use]
    pub fn call(&self, id: u32) -> Option<u64> {
        self.calls.get(id as usize).copied()
    }

    /// Calls in the day.
    #[must_use]
    pub fn offered_calls(&self) -> u64 {
        self.calls.len() as u64
    }
}

/// The outcome of checking a report against the reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The digest matches the reference for the reported missed set.
    pub digest_ok: bool,
    /// Everything found wrong (empty: the report is correct).
    pub problems: Vec<String>,
}

impl Verdict {
    /// No problem found.
    #[must_use]
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// `call 12` / `a call` for a lowest id that may be missing from a made-up report.
fn which(kind: &str, id: Option<u32>) -> String {
    id.map_or_else(|| format!("a {kind}"), |id| format!("{kind} {id}"))
}

/// Checks a report: every call accounted for, missed ids valid, every appointment done,
/// nobody picked up after the caller hung up, nothing done before its instant (pick-up,
/// reply, check) or timed on another clock, and the digest equal to the reference's.
#[must_use]
pub fn verify(report: &Report, reference: &Reference) -> Verdict {
    let mut problems = Vec::new();
    let c = &report.counters;
    let i = &c.integrity;
    if i.early_pickups > 0 {
        problems.push(format!(
            "{} was picked up before it rang ({} calls early)",
            which("call", i.early_pickup_call),
            i.early_pickups
        ));
    }
    if i.early_replies > 0 {
        problems.push(format!(
            "{} got a reply before the caller stopped talking ({} replies early)",
            which("call", i.early_reply_call),
            i.early_replies
        ));
    }
    if i.early_checks > 0 {
        problems.push(format!(
            "{} was checked before it fell due ({} checks early)",
            which("appointment", i.early_check_appointment),
            i.early_checks
        ));
    }
    if i.foreign_clock_sheets > 0 {
        problems.push(format!(
            "{} sheets or chunks were timed on a clock other than the office's",
            i.foreign_clock_sheets
        ));
    }
    if c.offered_calls != reference.offered_calls() {
        problems.push(format!(
            "offered_calls {} but the schedule has {}",
            c.offered_calls,
            reference.offered_calls()
        ));
    }
    if c.answered_calls + c.missed_calls != c.offered_calls {
        problems.push(format!(
            "answered {} + missed {} != offered {}",
            c.answered_calls, c.missed_calls, c.offered_calls
        ));
    }
    if report.missed_ids.len() as u64 != c.missed_calls {
        problems.push(format!(
            "{} missed ids for {} missed calls",
            report.missed_ids.len(),
            c.missed_calls
        ));
    }
    if let Some(w) = report.missed_ids.windows(2).find(|w| w[0] >= w[1]) {
        problems.push(format!(
            "missed ids are not distinct and sorted: {} then {}",
            w[0], w[1]
        ));
    }
    if c.appointments_done != reference.offered_appointments {
        problems.push(format!(
            "{} of {} appointments checked",
            c.appointments_done, reference.offered_appointments
        ));
    }
    let expected_replies = c.answered_calls * u64::from(report.spec.exchanges);
    if c.replies != expected_replies {
        problems.push(format!(
            "{} replies, expected {expected_replies}",
            c.replies
        ));
    }
    match report.histogram("pickup") {
        Ok(h) => {
            if h.len() != c.answered_calls {
                problems.push(format!(
                    "{} pick-ups recorded for {} answered calls",
                    h.len(),
                    c.answered_calls
                ));
            }
            let patience = report.spec.patience_us;
            if !h.is_empty() && h.max() > h.highest_equivalent(patience) {
                problems.push(format!(
                    "a call was picked up after {} µs, patience is {patience} µs",
                    h.max()
                ));
            }
        }
        Err(e) => problems.push(e.to_string()),
    }
    let digest_ok = match (
        report.digest_value(),
        reference.expected_digest(&report.missed_ids),
    ) {
        (Some(got), Some(want)) if got == want => true,
        (Some(got), Some(want)) => {
            problems.push(format!("digest {got:016x}, reference {want:016x}"));
            false
        }
        (None, _) => {
            problems.push(format!("digest '{}' is not 16 hex digits", report.digest));
            false
        }
        (_, None) => {
            problems.push("a missed id is not a call of the schedule".to_owned());
            false
        }
    };
    Verdict {
        digest_ok,
        problems,
    }
}
