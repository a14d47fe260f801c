//! The sheets: a [`CallSheet`] per call and a [`DeskSheet`] per appointment check, filled in
//! by whoever does the work (timestamps and values, never a histogram), and [`ChunkDone`], one
//! desk chunk's result. Sealed: made only by the office's steps.

use super::peak::SHEETS_OPEN;
use super::{EARLY_GRACE_NS, Span};
use std::sync::atomic::Ordering;
use std::time::Instant;

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
    /// When its last chunk (on the sheet's clock) ended, ns after the opening: when the check
    /// was done, whichever thread ran which chunk (its start while no chunk has been added).
    pub(crate) done_ns: u64,
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
    /// When it ended, on the same clock.
    pub(crate) ended_ns: u64,
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
        } else {
            if done.started_ns + EARLY_GRACE_NS < self.started_ns {
                self.early_chunks += 1;
            }
            self.done_ns = self.done_ns.max(done.ended_ns);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;

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
