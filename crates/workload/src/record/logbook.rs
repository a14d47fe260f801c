//! The [`Logbook`]: what one worker (or the whole office, once merged) did during the day —
//! its fields, its accessors, the clocks that timed its sheets, notes, and [`Logbook::merge`]
//! (histograms add, digests add, never an average of percentiles).

use super::{Counters, Histograms, Span};
use crate::clock::Clock;
use std::collections::BTreeMap;
use std::time::Instant;

/// What one worker (or the whole office, once merged) did during the day. Sealed: its fields
/// are private to this crate; a strategy fills it only by filing the sheets the office's steps
/// made ([`Logbook::file_call`], [`Logbook::file_appointment`]), reporting a call it could not
/// start, merging another logbook, timing its own wake-ups ([`Logbook::woke`]) and adding
/// notes. Not `Clone`: a logbook is filed once.
#[derive(Debug)]
pub struct Logbook {
    /// Latency histograms (µs).
    pub(crate) hist: Histograms,
    /// Counters.
    pub(crate) counters: Counters,
    /// Order-independent digest of every value computed (wrapping sum of contributions).
    pub(crate) digest: u64,
    /// Ids of calls that were not answered.
    pub(crate) missed_ids: Vec<u32>,
    /// First error met while starting a call (e.g. thread creation failed).
    pub(crate) start_error: Option<String>,
    /// OS thread index → (calls picked up, desk chunks done) on that thread.
    pub(crate) threads: BTreeMap<u32, (u64, u64)>,
    /// Timeline spans (empty unless the timeline is on).
    pub(crate) spans: Vec<Span>,
    /// Free-form notes from the strategy (runtime settings it chose, limits it met).
    pub(crate) notes: Vec<String>,
    /// Start of each clock that timed a filed sheet → sheets it timed (one entry in a
    /// correct day: the office's clock).
    pub(crate) clocks: Vec<(Instant, u64)>,
}

impl Default for Logbook {
    fn default() -> Self {
        Logbook::new()
    }
}

impl Logbook {
    /// An empty logbook; allocates its histograms now (once per worker, never per call).
    #[must_use]
    pub fn new() -> Logbook {
        Logbook {
            hist: Histograms::new(),
            counters: Counters::default(),
            digest: 0,
            missed_ids: Vec::new(),
            start_error: None,
            threads: BTreeMap::new(),
            spans: Vec::new(),
            notes: Vec::new(),
            clocks: Vec::new(),
        }
    }

    /// The counters so far.
    #[must_use]
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// The histograms so far.
    #[must_use]
    pub fn histograms(&self) -> &Histograms {
        &self.hist
    }

    /// The digest so far.
    #[must_use]
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// Ids of the calls missed so far (in filing order).
    #[must_use]
    pub fn missed_ids(&self) -> &[u32] {
        &self.missed_ids
    }

    /// The notes so far.
    #[must_use]
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    pub(super) fn timed_on(&mut self, clock: Instant, sheets: u64) {
        match self.clocks.iter_mut().find(|(c, _)| *c == clock) {
            Some((_, n)) => *n += sheets,
            None => self.clocks.push((clock, sheets)),
        }
    }

    /// Sheets timed on a clock other than `day`'s (all of them when the office never opened).
    pub(crate) fn sheets_off_clock(&self, day: Option<&Clock>) -> u64 {
        let day = day.map(|c| c.instant_at(0));
        self.clocks
            .iter()
            .filter(|(c, _)| Some(*c) != day)
            .map(|(_, n)| n)
            .sum()
    }

    /// Adds another worker's logbook into this one (histograms add, digests add, the latest
    /// check done is the later of the two).
    pub fn merge(&mut self, other: Logbook) {
        for (mine, theirs) in self.hist.named_mut().into_iter().zip(other.hist.named()) {
            // Same bounds on both sides: `add` cannot fail.
            let _ = mine.add(theirs.1);
        }
        let c = &mut self.counters;
        let o = other.counters;
        c.answered_calls += o.answered_calls;
        c.missed_calls += o.missed_calls;
        c.appointments_done += o.appointments_done;
        c.replies += o.replies;
        c.start_failures += o.start_failures;
        c.integrity.add(&o.integrity);
        c.callers_gone += o.callers_gone;
        c.stray_lines += o.stray_lines;
        c.last_check_done_ns = c.last_check_done_ns.max(o.last_check_done_ns);
        self.digest = self.digest.wrapping_add(other.digest);
        self.missed_ids.extend(other.missed_ids);
        if self.start_error.is_none() {
            self.start_error = other.start_error;
        }
        for (t, (calls, chunks)) in other.threads {
            let e = self.threads.entry(t).or_default();
            e.0 += calls;
            e.1 += chunks;
        }
        self.spans.extend(other.spans);
        self.notes.extend(other.notes);
        for (clock, sheets) in other.clocks {
            self.timed_on(clock, sheets);
        }
    }

    /// Adds a note for the report (e.g. a runtime setting the strategy chose).
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }
}
