//! The recorder: call sheets and desk sheets filled in while the work happens, and the
//! `Logbook` that files them into HdrHistograms, counters, a digest and the missed ids.
//!
//! A sheet is small and owned by whoever is doing the work (a thread, a task, a coroutine):
//! it holds timestamps and values, never a histogram. A `Logbook` holds the histograms and
//! is created once per worker, up front (a histogram per call would cost ~150 KiB each and
//! distort the measurement). Logbooks merge by adding histograms, never by averaging
//! percentiles.
//!
//! Sealed: sheets are made only by the office's steps (their fields are private to this crate),
//! and a logbook is filled only by filing sheets, so a strategy cannot write a figure, a count
//! or the digest itself. Filing also checks *when*: a call picked up (or noticed) before it
//! rang, a reply started before the caller stopped talking, a check started before it fell
//! due, or a sheet timed on a clock other than the office's is counted in [`Integrity`], and
//! [`crate::reference::verify`] turns any of them into a wrong run.

use crate::clock::Clock;
use crate::schedule::Call;
use crate::work::mix2;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Largest latency a histogram tracks, in µs (about 17 minutes); larger values are clamped.
pub const HIST_MAX_US: u64 = 1_000_000_000;
/// Significant figures kept by every histogram.
pub const HIST_SIGFIG: u8 = 3;

/// How far before its instant a step may seem to happen before it counts as early: the
/// schedule's resolution (1 µs). A correct strategy is never early at all (its timers
/// never fire early); this only keeps the check at the resolution the day is written in.
pub const EARLY_GRACE_NS: u64 = 1_000;

const TAG_CALL: u64 = 0xCA11_0000_0000_0001;
const TAG_APPT: u64 = 0xA990_0000_0000_0002;

/// Digest contribution of an answered call with combined value `value`.
#[must_use]
pub fn call_contribution(id: u32, value: u64) -> u64 {
    mix2(mix2(TAG_CALL, u64::from(id)), value)
}

/// Digest contribution of a checked appointment with combined value `value`.
#[must_use]
pub fn appointment_contribution(id: u32, value: u64) -> u64 {
    mix2(mix2(TAG_APPT, u64::from(id)), value)
}

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

/// The sheet of one call, filled in by whoever takes the call.
#[derive(Debug)]
pub struct CallSheet {
    pub(crate) id: u32,
    pub(crate) ring_us: u64,
    pub(crate) noticed_ns: u64,
    pub(crate) picked_up_ns: u64,
    pub(crate) answered: bool,
    pub(crate) value: u64,
    pub(crate) exchanges_left: u32,
    pub(crate) talk_ends_ns: u64,
    pub(crate) reply_us: Replies,
    /// A [`crate::office::Office::listen`] is waiting for its reply.
    pub(crate) listening: bool,
    /// Replies started before the caller had stopped talking (or without listening first).
    pub(crate) early_replies: u32,
    pub(crate) thread: u32,
    /// Its spans, only when the timeline is on. Boxed on purpose: 8 bytes on the sheet
    /// instead of a `Vec`'s 24, and a sheet is held per call in flight.
    #[allow(clippy::box_collection)]
    pub(crate) spans: Option<Box<Vec<Span>>>,
    /// Start of the clock the sheet was timed on.
    pub(crate) clock: Instant,
}

/// How many reply latencies a sheet keeps on itself; a call of more exchanges keeps them on
/// the heap.
const INLINE_REPLIES: usize = 3;

/// A call's reply latencies (µs): on the sheet itself for up to [`INLINE_REPLIES`] exchanges,
/// so a short call allocates nothing (a sheet is held per call in flight: a million of them
/// at once on the `switchboard`). The same size as a `Vec`.
#[derive(Debug)]
pub(crate) enum Replies {
    /// The first `len` entries are the latencies.
    Inline { len: u8, us: [u32; INLINE_REPLIES] },
    /// More than [`INLINE_REPLIES`].
    Heap(Vec<u32>),
}

impl Replies {
    /// Room for `n` replies (on the heap only past [`INLINE_REPLIES`]).
    pub(crate) fn with_capacity(n: usize) -> Replies {
        if n <= INLINE_REPLIES {
            Replies::Inline {
                len: 0,
                us: [0; INLINE_REPLIES],
            }
        } else {
            Replies::Heap(Vec::with_capacity(n))
        }
    }

    pub(crate) fn push(&mut self, v: u32) {
        match self {
            Replies::Inline { len, us } if usize::from(*len) < INLINE_REPLIES => {
                us[usize::from(*len)] = v;
                *len += 1;
            }
            Replies::Inline { us, .. } => {
                let mut heap = us.to_vec();
                heap.push(v);
                *self = Replies::Heap(heap);
            }
            Replies::Heap(heap) => heap.push(v),
        }
    }

    pub(crate) fn as_slice(&self) -> &[u32] {
        match self {
            Replies::Inline { len, us } => &us[..usize::from(*len)],
            Replies::Heap(heap) => heap,
        }
    }
}

/// Call sheets of answered calls alive in this process: calls picked up in time and not yet
/// filed (a missed call's sheet holds no caller, and is not counted).
static SHEETS_OPEN: AtomicU64 = AtomicU64::new(0);
/// The most sheets alive at once since [`restart_sheet_peak`].
static SHEETS_PEAK: AtomicU64 = AtomicU64::new(0);

/// Counts a new sheet of an answered call (only [`crate::office::Office::pick_up`] makes
/// one): the calls a strategy holds at once, measured rather than computed. One relaxed add per call, and a
/// `fetch_max` only while the count is at a new high.
pub(crate) fn sheet_opened() {
    let now = SHEETS_OPEN.fetch_add(1, Ordering::Relaxed) + 1;
    if now > SHEETS_PEAK.load(Ordering::Relaxed) {
        SHEETS_PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

/// Starts the peak afresh from the sheets alive now (when an office opens).
pub(crate) fn restart_sheet_peak() {
    SHEETS_PEAK.store(SHEETS_OPEN.load(Ordering::Relaxed), Ordering::Relaxed);
}

/// The most sheets of answered calls alive at once in this process since the last office
/// opened: the peak of calls in flight (picked up in time, not yet filed; a sheet waiting in a
/// channel to be filed still counts). Per process: a strategy binary runs one day; tests that run days
/// side by side in one process see each other's sheets.
#[must_use]
pub fn peak_sheets_open() -> u64 {
    SHEETS_PEAK.load(Ordering::Relaxed)
}

impl CallSheet {
    /// The caller hung up mid-call: the sheet becomes a missed call's (no value, no replies).
    pub(crate) fn hang_up(&mut self) {
        if std::mem::take(&mut self.answered) {
            SHEETS_OPEN.fetch_sub(1, Ordering::Relaxed);
        }
        self.value = 0;
        self.exchanges_left = 0;
        self.reply_us = Replies::with_capacity(0);
        self.listening = false;
    }
}

impl Drop for CallSheet {
    fn drop(&mut self) {
        if self.answered {
            SHEETS_OPEN.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl CallSheet {
    /// Whether the call was picked up in time (false: the caller had hung up).
    #[must_use]
    pub fn answered(&self) -> bool {
        self.answered
    }

    /// The call's id.
    #[must_use]
    pub fn id(&self) -> u32 {
        self.id
    }
}

/// The sheet of one appointment check.
#[derive(Debug)]
pub struct DeskSheet {
    pub(crate) id: u32,
    pub(crate) due_us: u64,
    pub(crate) started_ns: u64,
    pub(crate) value: u64,
    /// Chunks done per OS thread (one entry unless the check was spread over threads).
    pub(crate) chunks_by_thread: Vec<(u32, u64)>,
    pub(crate) spans: Vec<Span>,
    /// Start of the clock the sheet was timed on.
    pub(crate) clock: Instant,
    /// Chunks run before the check started.
    pub(crate) early_chunks: u32,
    /// Chunks timed on a clock other than the sheet's.
    pub(crate) off_clock_chunks: u32,
}

/// The result of one desk chunk: its value, the thread that ran it and, if traced, its span.
/// Made only by [`crate::office::DeskChunk::run`], and neither `Clone` nor `Copy`: a chunk
/// done once is added once.
#[derive(Debug)]
pub struct ChunkDone {
    pub(crate) value: u64,
    pub(crate) thread: u32,
    pub(crate) span: Option<Span>,
    /// When the chunk started, on the clock it ran with.
    pub(crate) started_ns: u64,
    /// Start of that clock.
    pub(crate) clock: Instant,
}

impl DeskSheet {
    /// Adds one finished chunk (any order: values combine commutatively).
    /// A chunk run before the check started (worked out ahead of its due time) counts as an
    /// early check when the sheet is filed.
    pub fn add(&mut self, done: ChunkDone) {
        if done.clock != self.clock {
            self.off_clock_chunks += 1;
        } else if done.started_ns + EARLY_GRACE_NS < self.started_ns {
            self.early_chunks += 1;
        }
        self.value = self.value.wrapping_add(done.value);
        match self
            .chunks_by_thread
            .iter_mut()
            .find(|(t, _)| *t == done.thread)
        {
            Some((_, n)) => *n += 1,
            None => self.chunks_by_thread.push((done.thread, 1)),
        }
        if let Some(s) = done.span {
            self.spans.push(s);
        }
    }
}

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

fn lowest(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    a.into_iter().chain(b).min()
}

impl Integrity {
    fn add(&mut self, o: &Integrity) {
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

/// Per-worker histograms, allocated once.
#[derive(Clone, Debug)]
pub struct Histograms {
    /// Pick-up instant − scheduled ring (corrected for coordinated omission).
    pub pickup: Histogram<u64>,
    /// Pick-up instant − when the strategy noticed the ring (the naive, uncorrected figure).
    pub pickup_uncorrected: Histogram<u64>,
    /// Reply finished − when the caller stopped talking.
    pub reply: Histogram<u64>,
    /// Start of an appointment check − due time.
    pub appointment_lateness: Histogram<u64>,
    /// When the strategy noticed a ring − scheduled ring.
    pub ring_lateness: Histogram<u64>,
    /// How late a timer wake-up was (the strategy asked to wake at a scheduled instant).
    pub timer_lateness: Histogram<u64>,
}

/// Names of the histograms in the protocol, in a fixed order.
pub const HISTOGRAM_NAMES: [&str; 6] = [
    "pickup",
    "pickup_uncorrected",
    "reply",
    "appointment_lateness",
    "ring_lateness",
    "timer_lateness",
];

fn new_hist() -> Histogram<u64> {
    #[allow(clippy::expect_used)]
    Histogram::new_with_bounds(1, HIST_MAX_US, HIST_SIGFIG).expect("constant bounds are valid")
}

impl Histograms {
    fn new() -> Histograms {
        Histograms {
            pickup: new_hist(),
            pickup_uncorrected: new_hist(),
            reply: new_hist(),
            appointment_lateness: new_hist(),
            ring_lateness: new_hist(),
            timer_lateness: new_hist(),
        }
    }

    /// The histograms with their protocol names.
    pub fn named(&self) -> [(&'static str, &Histogram<u64>); 6] {
        [
            (HISTOGRAM_NAMES[0], &self.pickup),
            (HISTOGRAM_NAMES[1], &self.pickup_uncorrected),
            (HISTOGRAM_NAMES[2], &self.reply),
            (HISTOGRAM_NAMES[3], &self.appointment_lateness),
            (HISTOGRAM_NAMES[4], &self.ring_lateness),
            (HISTOGRAM_NAMES[5], &self.timer_lateness),
        ]
    }

    fn named_mut(&mut self) -> [&mut Histogram<u64>; 6] {
        [
            &mut self.pickup,
            &mut self.pickup_uncorrected,
            &mut self.reply,
            &mut self.appointment_lateness,
            &mut self.ring_lateness,
            &mut self.timer_lateness,
        ]
    }
}

fn us(ns: u64) -> u64 {
    ns / 1_000
}

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

    fn timed_on(&mut self, clock: Instant, sheets: u64) {
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

    /// Files a finished (or missed) call.
    pub fn file_call(&mut self, mut sheet: CallSheet) {
        self.timed_on(sheet.clock, 1);
        let ring_ns = sheet.ring_us * 1_000;
        let i = &mut self.counters.integrity;
        if sheet.noticed_ns.min(sheet.picked_up_ns) + EARLY_GRACE_NS < ring_ns {
            i.early_pickups += 1;
            i.early_pickup_call = lowest(i.early_pickup_call, Some(sheet.id));
        }
        if sheet.early_replies > 0 {
            i.early_replies += u64::from(sheet.early_replies);
            i.early_reply_call = lowest(i.early_reply_call, Some(sheet.id));
        }
        let h = &mut self.hist;
        h.ring_lateness
            .saturating_record(us(sheet.noticed_ns.saturating_sub(ring_ns)));
        if !sheet.answered {
            self.counters.missed_calls += 1;
            self.missed_ids.push(sheet.id);
            return;
        }
        h.pickup
            .saturating_record(us(sheet.picked_up_ns.saturating_sub(ring_ns)));
        h.pickup_uncorrected
            .saturating_record(us(sheet.picked_up_ns.saturating_sub(sheet.noticed_ns)));
        for r in sheet.reply_us.as_slice() {
            h.reply.saturating_record(u64::from(*r));
        }
        self.counters.answered_calls += 1;
        self.counters.replies += sheet.reply_us.as_slice().len() as u64;
        self.digest = self
            .digest
            .wrapping_add(call_contribution(sheet.id, sheet.value));
        self.threads.entry(sheet.thread).or_default().0 += 1;
        if let Some(spans) = sheet.spans.take() {
            self.spans.extend(*spans);
        }
    }

    /// Files a finished appointment check.
    pub fn file_appointment(&mut self, sheet: DeskSheet) {
        self.timed_on(sheet.clock, 1);
        let due_ns = sheet.due_us * 1_000;
        let i = &mut self.counters.integrity;
        if sheet.started_ns + EARLY_GRACE_NS < due_ns || sheet.early_chunks > 0 {
            i.early_checks += 1;
            i.early_check_appointment = lowest(i.early_check_appointment, Some(sheet.id));
        }
        i.foreign_clock_sheets += u64::from(sheet.off_clock_chunks);
        self.hist
            .appointment_lateness
            .saturating_record(us(sheet.started_ns.saturating_sub(due_ns)));
        self.counters.appointments_done += 1;
        self.digest = self
            .digest
            .wrapping_add(appointment_contribution(sheet.id, sheet.value));
        for (thread, chunks) in sheet.chunks_by_thread {
            self.threads.entry(thread).or_default().1 += chunks;
        }
        self.spans.extend(sheet.spans);
    }

    /// Records how late a timer woke the strategy for an event due at `due_us` (call this
    /// right after a sleep-until returns, only when the strategy actually slept).
    pub fn woke(&mut self, due_us: u64, clock: &Clock) {
        self.hist
            .timer_lateness
            .saturating_record(us(clock.now_ns().saturating_sub(due_us * 1_000)));
    }

    /// Blocks the calling OS thread until `due_us` into the day and, if it had to wait,
    /// records how late the wake-up was (for strategies built on OS threads; a busy worker
    /// that is already past `due_us` records nothing: its delay is queueing, not the timer).
    pub fn wait_until(&mut self, due_us: u64, clock: &Clock) {
        if clock.now_ns() < due_us * 1_000 {
            clock.sleep_until(due_us);
            self.woke(due_us, clock);
        }
    }

    /// [`Logbook::wait_until`] for async runtimes (and any runtime with its own sleep): if
    /// `due_us` into the day has not come yet, awaits `sleep(time left)` — the runtime's own
    /// timer — and records how late the wake-up was; a task already past `due_us` records
    /// nothing (its delay is queueing, not the timer). Every async strategy waits for a ring or
    /// a due time with this one step:
    /// `log.wait_until_async(call.ring_us(), &clock, tokio::time::sleep).await`.
    pub async fn wait_until_async<F, S>(&mut self, due_us: u64, clock: &Clock, sleep: S)
    where
        S: FnOnce(std::time::Duration) -> F,
        F: std::future::Future<Output = ()>,
    {
        let wait = clock.until(due_us);
        if !wait.is_zero() {
            sleep(wait).await;
            self.woke(due_us, clock);
        }
    }

    /// A call whose caller hung up after the pick-up (over a real line): filed as missed, its
    /// work thrown away (the caller never heard it), counted in `callers_gone`.
    pub(crate) fn file_gone(&mut self, mut sheet: CallSheet) {
        sheet.hang_up();
        self.counters.callers_gone += 1;
        self.file_call(sheet);
    }

    /// A connection that never said which call it was: counted, the first reason noted.
    pub(crate) fn file_stray(&mut self, why: &str) {
        if self.counters.stray_lines == 0 {
            self.note(format!("first stray line: {why}"));
        }
        self.counters.stray_lines += 1;
    }

    /// The strategy could not even start handling `call` (thread or coroutine creation
    /// failed): the call is missed and the failure is counted and reported.
    pub fn could_not_start(&mut self, call: &Call, error: impl std::fmt::Display) {
        self.counters.missed_calls += 1;
        self.counters.start_failures += 1;
        self.missed_ids.push(call.id());
        if self.start_error.is_none() {
            self.start_error = Some(error.to_string());
        }
    }

    /// Over real lines: a connection could not be given a secretary (no thread or task could
    /// be started): closed unanswered — its caller counts it missed, the day's end files it
    /// as never rung — and the failure is counted and reported like
    /// [`Logbook::could_not_start`].
    pub fn could_not_answer(&mut self, error: impl std::fmt::Display) {
        self.counters.start_failures += 1;
        if self.start_error.is_none() {
            self.start_error = Some(error.to_string());
        }
    }

    /// Adds another worker's logbook into this one (histograms add, digests add).
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

// Logbooks and sheets travel between threads (a worker's log is merged by another).
const _: () = {
    const fn is_send<T: Send>() {}
    is_send::<Logbook>();
    is_send::<CallSheet>();
    is_send::<DeskSheet>();
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_is_small_and_a_short_call_allocates_no_replies() {
        // A sheet is held per call in flight: a million at once on the switchboard.
        assert!(size_of::<CallSheet>() <= 112, "{}", size_of::<CallSheet>());
        // And a clock is copied into every task of a call.
        assert!(size_of::<Clock>() <= 32, "{}", size_of::<Clock>());
        assert_eq!(size_of::<Replies>(), size_of::<Vec<u32>>());
        let mut r = Replies::with_capacity(2);
        for v in 1..=6 {
            r.push(v);
            assert_eq!(r.as_slice(), (1..=v).collect::<Vec<_>>());
            assert_eq!(matches!(r, Replies::Inline { .. }), v <= 3);
        }
        assert!(matches!(Replies::with_capacity(4), Replies::Heap(_)));
    }
}
