//! Filing into a [`Logbook`]: call and desk sheets (with the checks on *when* each step was
//! done), calls missed, gone or never started, stray lines, and how late timers woke the
//! strategy.

use super::counters::lowest;
use super::{
    CallSheet, DeskSheet, EARLY_GRACE_NS, Logbook, appointment_contribution, call_contribution,
};
use crate::clock::Clock;
use crate::schedule::Call;

fn us(ns: u64) -> u64 {
    ns / 1_000
}

impl Logbook {
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
        self.counters.last_check_done_ns = self.counters.last_check_done_ns.max(sheet.done_ns);
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
}
