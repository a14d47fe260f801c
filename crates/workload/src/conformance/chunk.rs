//! The chunk day: an appointment check of about 100 ms of CPU work twice a second, calls
//! ringing all through it, and each check cut into chunks of a given size. A secretary that
//! does the desk on the phone's own worker keeps every phone ringing for as long as a chunk
//! lasts — how much longer depends on its scheduler, so each crate bounds the effect itself,
//! with its own reasons, in its `tests/chunk.rs`; `strategy-hybrid`'s `tests/phone_free.rs`
//! shows its phone never waits for the desk on the same day.
//!
//! Nobody hangs up (every wait is in the pick-up histogram) and the timeline covers the whole
//! day, so the length of a check is measured in the run (its desk spans): bounds relative to
//! it stretch with a loaded machine.

use crate::entry::{RunFn, run_in_process};
use crate::office::Office;
use crate::record::Doing;
use crate::spec::{Arrivals, Lines, Spec};

/// Intended length of one appointment check on a chunk day, µs of CPU work.
pub const CHECK_US: f64 = 100_000.0;
/// Length of a chunk day, µs.
pub const DAY_US: u64 = 2_000_000;

/// What one chunk day showed, all in µs.
#[derive(Clone, Copy, Debug)]
pub struct ChunkDay {
    /// Pick-up p99, from the scheduled ring.
    pub pickup_p99_us: u64,
    /// How late the phone line noticed a ring, p99.
    pub ring_p99_us: u64,
    /// Median length of a desk span (a whole check, or one chunk of it).
    pub median_desk_span_us: u64,
    /// Longest desk span.
    pub longest_desk_span_us: u64,
}

/// The work kernel on this machine, calibrated now: its ns per work unit, and the units of one
/// check of [`CHECK_US`].
#[must_use]
pub fn check_units() -> (f64, u64) {
    let ns_per_unit = crate::work::calibrate_ns_per_unit();
    (ns_per_unit, (CHECK_US * 1_000.0 / ns_per_unit) as u64)
}

/// The chunk day's spec, each check of `desk_work` units cut into chunks of `chunk` units.
#[must_use]
pub fn chunk_spec(desk_work: u64, chunk: u64) -> Spec {
    Spec {
        seed: 21,
        duration_us: DAY_US,
        calls_per_s: 400.0, // ~160 calls ring while the desk is busy
        exchanges: 1,
        listen_us: 1_000,
        pickup_work: 10,
        reply_work: 10,
        patience_us: 5_000_000, // nobody hangs up: every wait is in the histogram
        appointments_per_s: 2.0, // 2 × 100 ms per second: a fifth of the one core
        appointment_arrivals: Arrivals::Periodic,
        desk_work,
        chunk,
        lines: Lines::Sim,
    }
}

/// Runs `run` (named `name`) on one chunk day ([`chunk_spec`]) with ONE core, the timeline on
/// for the whole day, and says what it showed. Panics if a call was missed (nobody hangs up).
pub fn chunk_day(name: &str, run: RunFn, desk_work: u64, chunk: u64) -> ChunkDay {
    let spec = chunk_spec(desk_work, chunk);
    let office = Office::new(spec, Some((0, DAY_US))).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = run_in_process(name, run, &office, 1);
    assert_eq!(report.counters.missed_calls, 0, "{:?}", report.counters);
    let p99 = |histogram| {
        report
            .histogram(histogram)
            .unwrap_or_else(|e| panic!("{e}"))
            .value_at_quantile(0.99)
    };
    let mut desk: Vec<u64> = report
        .timeline
        .iter()
        .flat_map(|t| &t.spans)
        .filter(|s| s.doing == Doing::Desk)
        .map(|s| (s.end_ns - s.start_ns) / 1_000)
        .collect();
    desk.sort_unstable();
    ChunkDay {
        pickup_p99_us: p99("pickup"),
        ring_p99_us: p99("ring_lateness"),
        median_desk_span_us: desk.get(desk.len() / 2).copied().unwrap_or(0),
        longest_desk_span_us: desk.last().copied().unwrap_or(0),
    }
}
