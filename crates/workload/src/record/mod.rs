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
//!
//! By concern: `sheets.rs` the call and desk sheets (and a desk chunk's result); `peak.rs` the
//! count of call sheets alive at once ([`peak_sheets_open`]); `span.rs` the timeline's spans;
//! `histograms.rs` a worker's latency histograms; `counters.rs` the day's counters and the
//! [`Integrity`] counts; `digest.rs` each answer's contribution to the digest; `logbook.rs` the
//! [`Logbook`], its accessors and [`Logbook::merge`]; `filing.rs` filing sheets (and missed
//! calls, start failures, timer wake-ups) into a logbook.

mod counters;
mod digest;
mod filing;
mod histograms;
mod logbook;
mod peak;
mod sheets;
mod span;

pub use counters::{Counters, EARLY_GRACE_NS, Integrity};
pub use digest::{appointment_contribution, call_contribution};
pub use histograms::{HIST_MAX_US, HIST_SIGFIG, HISTOGRAM_NAMES, Histograms};
pub use logbook::Logbook;
pub use peak::peak_sheets_open;
pub(crate) use peak::{restart_sheet_peak, sheet_opened};
pub(crate) use sheets::Replies;
pub use sheets::{CallSheet, ChunkDone, DeskSheet};
pub use span::{Doing, Span};

// Logbooks and sheets travel between threads (a worker's log is merged by another).
const _: () = {
    const fn is_send<T: Send>() {}
    is_send::<Logbook>();
    is_send::<CallSheet>();
    is_send::<DeskSheet>();
};
