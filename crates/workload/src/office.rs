//! The `Office`: what a strategy is handed — the spec, the day's schedule and the clock — and
//! the shared steps of the job (take a call, check an appointment), so that a strategy crate
//! holds only its idea: who does which step, when, on which thread.
//!
//! The steps take the strategy's own way of waiting as an argument (`std::thread::sleep`,
//! `may::coroutine::sleep`, `async_std::task::sleep`, a yield between chunks, ...): this crate
//! depends on no runtime.

use crate::clock::Clock;
use crate::phone::Switchboard;
use crate::record::{
    CallSheet, ChunkDone, DeskSheet, Doing, EARLY_GRACE_NS, Logbook, Replies, Span,
};
use crate::schedule::{Appointment, Call, Event, Schedule};
use crate::spec::{Spec, SpecError};
use crate::work::{self, mix2};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const CALL_SALT: u64 = 0x7E1E_9409_E000_0001;
const DESK_SALT: u64 = 0xDE5C_0000_0000_0002;

/// The work key of exchange `x` of call `id` (x = 0 is the pick-up).
#[must_use]
pub fn call_key(seed: u64, id: u32, x: u32) -> u64 {
    mix2(seed ^ CALL_SALT, (u64::from(id) << 20) | u64::from(x))
}

/// The work key of appointment `id`.
#[must_use]
pub fn desk_key(seed: u64, id: u32) -> u64 {
    mix2(seed ^ DESK_SALT, u64::from(id))
}

/// Everything a strategy gets: spec, schedule and (once opened) the day's clock.
#[derive(Debug)]
pub struct Office {
    spec: Spec,
    schedule: Schedule,
    timeline_us: Option<(u64, u64)>,
    clock: OnceLock<Clock>,
    /// The real lines' switchboard (`lines = tcp` only), shared with the office's twins.
    switchboard: Option<Arc<Switchboard>>,
    /// Over real lines: one bit per call, set when its ring frame reached the secretary.
    rung: Arc<[AtomicU64]>,
}

/// One chunk of an appointment check, ready to run on any thread.
#[derive(Clone, Debug)]
pub struct DeskChunk {
    id: u32,
    key: u64,
    units: std::ops::Range<u64>,
}

impl DeskChunk {
    /// Does the chunk's work now, on the calling thread.
    #[must_use]
    pub fn run(&self, clock: &Clock) -> ChunkDone {
        let t0 = clock.now_ns();
        let value = work::units(self.key, self.units.clone());
        let t1 = clock.now_ns();
        let span = if clock.timeline_on() {
            Span::traced(clock, Doing::Desk, self.id, t0, t1)
        } else {
            None
        };
        ChunkDone {
            value,
            thread: crate::threads::current(),
            span,
            started_ns: t0,
            ended_ns: t1,
            clock: clock.instant_at(0),
        }
    }
}

impl Office {
    /// Validates `spec` and generates its schedule. `timeline_us` = `(from, len)` turns on
    /// span recording for that window of the day.
    pub fn new(spec: Spec, timeline_us: Option<(u64, u64)>) -> Result<Office, SpecError> {
        spec.validate()?;
        let schedule = Schedule::generate(&spec);
        Ok(Office {
            spec,
            schedule,
            timeline_us,
            clock: OnceLock::new(),
            switchboard: None,
            rung: Arc::new([]),
        })
    }

    /// The same day for tasks that must own their office (`'static`: tokio, async-std): the
    /// same spec and schedule, sharing this office's real lines (its switchboard, and which
    /// calls rang), so a line served on the twin counts here. Open `self`, not the twin: the
    /// day's clock is `self`'s.
    #[must_use]
    pub fn twin(&self) -> Office {
        Office {
            spec: self.spec.clone(),
            schedule: self.schedule.clone(),
            timeline_us: self.timeline_us,
            clock: OnceLock::new(),
            switchboard: self.switchboard.clone(),
            rung: Arc::clone(&self.rung),
        }
    }

    /// The office with real phone lines on `switchboard` (`lines = tcp`).
    #[must_use]
    pub fn with_switchboard(mut self, switchboard: Switchboard) -> Office {
        self.switchboard = Some(Arc::new(switchboard));
        self.rung = (0..self.schedule.calls.len().div_ceil(64))
            .map(|_| AtomicU64::new(0))
            .collect();
        self
    }

    /// Over real lines: call `id`'s ring reached the secretary; false if it had already
    /// (always true for an office without a switchboard, as in a unit test of the steps).
    pub(crate) fn mark_rung(&self, id: u32) -> bool {
        if self.rung.is_empty() {
            return true;
        }
        let (word, bit) = (id as usize / 64, 1u64 << (id % 64));
        self.rung
            .get(word)
            .is_some_and(|w| w.fetch_or(bit, Ordering::Relaxed) & bit == 0)
    }

    /// Over real lines: the calls whose ring never reached the secretary (none with simulated
    /// lines).
    pub(crate) fn never_rang(&self) -> Vec<u32> {
        if self.rung.is_empty() {
            return Vec::new();
        }
        (0..self.schedule.calls.len() as u32)
            .filter(|&id| {
                let (word, bit) = (id as usize / 64, 1u64 << (id % 64));
                self.rung[word].load(Ordering::Relaxed) & bit == 0
            })
            .collect()
    }

    /// The listening socket of the real phone lines (a blocking `std` listener: convert it to
    /// the runtime's own), the first time it is asked for; `None` with simulated lines.
    #[must_use]
    pub fn take_listener(&self) -> Option<std::net::TcpListener> {
        self.switchboard.as_ref()?.take_listener()
    }

    /// Whether the closing bell rang (the listening socket is shut: stop accepting).
    #[must_use]
    pub fn closed(&self) -> bool {
        self.switchboard.as_deref().is_some_and(Switchboard::closed)
    }

    pub(crate) fn close_lines(&self) {
        if let Some(s) = &self.switchboard {
            s.close();
        }
    }

    /// The timeline window `(from_us, len_us)`, if any (spans are recorded only inside it).
    #[must_use]
    pub fn timeline_window(&self) -> Option<(u64, u64)> {
        self.timeline_us
    }

    /// The spec.
    #[must_use]
    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// The calls, in ring order. (A strategy may only act on a call once it has rung.)
    #[must_use]
    pub fn calls(&self) -> &[Call] {
        &self.schedule.calls
    }

    /// The appointments, in due order.
    #[must_use]
    pub fn appointments(&self) -> &[Appointment] {
        &self.schedule.appointments
    }

    /// Every event of the day in time order.
    #[must_use]
    pub fn events(&self) -> Vec<Event> {
        self.schedule.events()
    }

    /// The schedule.
    #[must_use]
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// Opens the office: the day's clock starts at the first call of `open` (strategies call it
    /// once their runtime is up, so start-up cost is not charged to the first callers).
    pub fn open(&self) -> Clock {
        *self.clock.get_or_init(|| {
            let window = self
                .timeline_us
                .map(|(from, len)| (from * 1_000, (from + len) * 1_000));
            crate::record::restart_sheet_peak();
            let (start, start_ns) = crate::clock::instant_and_monotonic();
            if let Some(s) = &self.switchboard {
                s.announce_open(start_ns);
            }
            Clock::new(start, window)
        })
    }

    /// The clock, if the office was opened.
    #[must_use]
    pub fn clock(&self) -> Option<Clock> {
        self.clock.get().copied()
    }

    /// A fresh logbook for one worker.
    #[must_use]
    pub fn logbook(&self) -> Logbook {
        Logbook::new()
    }

    /// Picks up `call` now (or finds the caller gone), and does the pick-up work.
    /// `noticed_ns` is when the strategy first saw the ring. A pick-up before the ring is not
    /// a wait of 0 µs: filing the sheet counts it as early, and [`crate::reference::verify`]
    /// makes the run wrong.
    #[must_use]
    pub fn pick_up(&self, call: &Call, clock: &Clock, noticed_ns: u64) -> CallSheet {
        let now = clock.now_ns();
        // Early (now < ring): not missed, and counted as early by `Logbook::file_call`.
        let answered = now.saturating_sub(call.ring_us * 1_000) <= self.spec.patience_us * 1_000;
        if answered {
            crate::record::sheet_opened();
        }
        let mut sheet = CallSheet {
            id: call.id,
            ring_us: call.ring_us,
            noticed_ns,
            picked_up_ns: now,
            answered,
            value: 0,
            exchanges_left: if answered { self.spec.exchanges } else { 0 },
            talk_ends_ns: 0,
            reply_us: Replies::with_capacity(if answered {
                self.spec.exchanges as usize
            } else {
                0
            }),
            listening: false,
            early_replies: 0,
            thread: crate::threads::current(),
            spans: None,
            clock: clock.instant_at(0),
        };
        if answered {
            sheet.value = work::units(
                call_key(self.spec.seed, call.id, 0),
                0..self.spec.pickup_work,
            );
            self.trace(&mut sheet, clock, now);
        }
        sheet
    }

    fn trace(&self, sheet: &mut CallSheet, clock: &Clock, t0: u64) {
        if clock.timeline_on()
            && let Some(s) = Span::traced(clock, Doing::Phone, sheet.id, t0, clock.now_ns())
        {
            sheet.spans.get_or_insert_default().push(s);
        }
    }

    /// If the caller has more to say, starts listening now and returns how long they talk.
    #[must_use]
    pub fn listen(&self, sheet: &mut CallSheet, clock: &Clock) -> Option<Duration> {
        if sheet.exchanges_left == 0 {
            return None;
        }
        sheet.talk_ends_ns = clock.now_ns() + self.spec.listen_us * 1_000;
        sheet.listening = true;
        Some(Duration::from_micros(self.spec.listen_us))
    }

    /// Over a real line: the caller's talk frame just arrived (they stopped talking now).
    pub(crate) fn heard(&self, sheet: &mut CallSheet, clock: &Clock) {
        if sheet.exchanges_left > 0 {
            sheet.talk_ends_ns = clock.now_ns();
            sheet.listening = true;
        }
    }

    /// Replies to what the caller just said (after [`Office::listen`]'s wait). A reply
    /// before the caller stopped talking, or without listening first, is counted as early.
    pub fn reply(&self, sheet: &mut CallSheet, clock: &Clock) {
        let t0 = clock.now_ns();
        if !std::mem::take(&mut sheet.listening) || t0 + EARLY_GRACE_NS < sheet.talk_ends_ns {
            sheet.early_replies += 1;
        }
        let x = self.spec.exchanges - sheet.exchanges_left + 1;
        let v = work::units(
            call_key(self.spec.seed, sheet.id, x),
            0..self.spec.reply_work,
        );
        sheet.value = sheet.value.wrapping_add(v);
        let done = clock.now_ns();
        sheet.reply_us.push(
            ((done.saturating_sub(sheet.talk_ends_ns)) / 1_000).min(u64::from(u32::MAX)) as u32,
        );
        sheet.exchanges_left = sheet.exchanges_left.saturating_sub(1);
        self.trace(sheet, clock, t0);
    }

    /// A whole call on one OS thread or coroutine: pick up, then listen (with `wait`) and
    /// reply until the caller is done.
    pub fn take_call(
        &self,
        call: &Call,
        clock: &Clock,
        noticed_ns: u64,
        mut wait: impl FnMut(Duration),
    ) -> CallSheet {
        let mut sheet = self.pick_up(call, clock, noticed_ns);
        while let Some(talk) = self.listen(&mut sheet, clock) {
            wait(talk);
            self.reply(&mut sheet, clock);
        }
        sheet
    }

    /// [`Office::take_call`] for async runtimes: `wait` returns the runtime's sleep future.
    pub async fn take_call_async<F: Future<Output = ()>>(
        &self,
        call: &Call,
        clock: &Clock,
        noticed_ns: u64,
        mut wait: impl FnMut(Duration) -> F,
    ) -> CallSheet {
        let mut sheet = self.pick_up(call, clock, noticed_ns);
        while let Some(talk) = self.listen(&mut sheet, clock) {
            wait(talk).await;
            self.reply(&mut sheet, clock);
        }
        sheet
    }

    /// Starts checking `appt` now: an empty sheet to add chunks to.
    #[must_use]
    pub fn open_book(&self, appt: &Appointment, clock: &Clock) -> DeskSheet {
        let started_ns = clock.now_ns();
        DeskSheet {
            id: appt.id,
            due_us: appt.due_us,
            started_ns,
            done_ns: started_ns,
            value: 0,
            chunks_by_thread: Vec::new(),
            spans: Vec::new(),
            clock: clock.instant_at(0),
            early_chunks: 0,
            off_clock_chunks: 0,
        }
    }

    /// The chunks of `appt`'s check, `spec.chunk` units each (the last may be shorter).
    pub fn desk_chunks(
        &self,
        appt: &Appointment,
    ) -> impl Iterator<Item = DeskChunk> + Clone + use<> {
        let (id, key) = (appt.id, desk_key(self.spec.seed, appt.id));
        work::chunks(self.spec.desk_work, self.spec.chunk).map(move |units| DeskChunk {
            id,
            key,
            units,
        })
    }

    /// A whole appointment check on one thread, calling `between` between chunks (a
    /// cooperative strategy yields there; a preemptive one passes `|| ()`).
    pub fn check_appointment(
        &self,
        appt: &Appointment,
        clock: &Clock,
        mut between: impl FnMut(),
    ) -> DeskSheet {
        let mut sheet = self.open_book(appt, clock);
        for (i, chunk) in self.desk_chunks(appt).enumerate() {
            if i > 0 {
                between();
            }
            sheet.add(chunk.run(clock));
        }
        sheet
    }

    /// [`Office::check_appointment`] for async runtimes: `between` returns a yield future.
    pub async fn check_appointment_async<F: Future<Output = ()>>(
        &self,
        appt: &Appointment,
        clock: &Clock,
        mut between: impl FnMut() -> F,
    ) -> DeskSheet {
        let mut sheet = self.open_book(appt, clock);
        for (i, chunk) in self.desk_chunks(appt).enumerate() {
            if i > 0 {
                between().await;
            }
            sheet.add(chunk.run(clock));
        }
        sheet
    }
}
