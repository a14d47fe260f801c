//! The peak of calls in flight, measured: how many sheets of answered calls are alive at once
//! in this process ([`peak_sheets_open`]), counted as sheets are opened, hung up and dropped.

use super::CallSheet;
use std::sync::atomic::{AtomicU64, Ordering};

/// Call sheets of answered calls alive in this process: calls picked up in time and not yet
/// filed (a missed call's sheet holds no caller, and is not counted).
pub(super) static SHEETS_OPEN: AtomicU64 = AtomicU64::new(0);
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

impl Drop for CallSheet {
    fn drop(&mut self) {
        if self.answered {
            SHEETS_OPEN.fetch_sub(1, Ordering::Relaxed);
        }
    }
}
