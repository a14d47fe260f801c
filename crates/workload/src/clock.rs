//! The day's clock: one `Instant` taken when the office opens, and every timestamp as
//! nanoseconds since then. Also the timeline window (which spans are worth keeping).

use std::time::{Duration, Instant};

/// The working day's clock. `Copy`, so every thread and task carries its own.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    start: Instant,
    /// Timeline window `[from_ns, to_ns)`; empty (`(0, 0)`) when the timeline is off. Not an
    /// `Option`: a clock is copied into every task of a call (32 bytes instead of 40).
    window: (u64, u64),
}

impl Clock {
    pub(crate) fn new(start: Instant, window: Option<(u64, u64)>) -> Clock {
        Clock {
            start,
            window: window.unwrap_or((0, 0)),
        }
    }

    /// Nanoseconds since the day started.
    #[inline]
    #[must_use]
    pub fn now_ns(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }

    /// The `Instant` at `us` microseconds into the day.
    #[must_use]
    pub fn instant_at(&self, us: u64) -> Instant {
        self.start + Duration::from_micros(us)
    }

    /// How long from now until `us` microseconds into the day (zero if already past).
    #[must_use]
    pub fn until(&self, us: u64) -> Duration {
        self.instant_at(us)
            .saturating_duration_since(Instant::now())
    }

    /// Blocks the calling OS thread until `us` microseconds into the day (for strategies
    /// built on OS threads; runtimes use their own timers with [`Clock::until`]).
    pub fn sleep_until(&self, us: u64) {
        let d = self.until(us);
        if !d.is_zero() {
            std::thread::sleep(d);
        }
    }

    /// Whether a span `[from_ns, to_ns)` falls in the timeline window (false when off).
    #[inline]
    #[must_use]
    pub fn traced(&self, from_ns: u64, to_ns: u64) -> bool {
        let (a, b) = self.window;
        to_ns > a && from_ns < b
    }

    /// Whether the timeline is on at all.
    #[must_use]
    pub fn timeline_on(&self) -> bool {
        self.window.0 < self.window.1
    }
}

/// `CLOCK_MONOTONIC` now, in ns: the clock `Instant` reads on Linux, as a number another
/// process can be told (the office announces its opening to the caller process in it).
#[must_use]
pub fn monotonic_ns() -> u64 {
    let ts = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    (ts.tv_sec as u64) * 1_000_000_000 + ts.tv_nsec as u64
}

/// An `Instant` and the [`monotonic_ns`] reading of the same moment. Both are read back to back
/// and bracketed by a second `Instant`: a thread preempted between the reads (by the harness
/// sharing its CPU, say) would otherwise pair them a scheduler slice apart and shift every time
/// told to another process by that much; the tightest of a few tries is kept.
#[must_use]
pub fn instant_and_monotonic() -> (Instant, u64) {
    let mut best: Option<(Duration, Instant, u64)> = None;
    for _ in 0..8 {
        let a = Instant::now();
        let ns = monotonic_ns();
        let b = Instant::now();
        let gap = b - a;
        if best.is_none_or(|(g, _, _)| gap < g) {
            best = Some((gap, a + gap / 2, ns));
        }
        if gap < Duration::from_micros(2) {
            break;
        }
    }
    let (_, at, ns) = best.unwrap_or_else(|| (Duration::ZERO, Instant::now(), monotonic_ns()));
    (at, ns)
}

/// The `Instant` of a [`monotonic_ns`] reading (taken in this process or another on the same
/// machine), within the few ns between two clock reads.
#[must_use]
pub fn instant_of_monotonic(ns: u64) -> Instant {
    let (now, now_ns) = instant_and_monotonic();
    if ns <= now_ns {
        now.checked_sub(Duration::from_nanos(now_ns - ns))
            .unwrap_or(now)
    } else {
        now + Duration::from_nanos(ns - now_ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_monotonic_reading_maps_back_to_its_instant() {
        let (at, ns) = instant_and_monotonic();
        let back = instant_of_monotonic(ns);
        let off = if back > at { back - at } else { at - back };
        assert!(off < Duration::from_millis(1), "{off:?}");
        // Later readings map to later instants, by what passed.
        std::thread::sleep(Duration::from_millis(2));
        let later = instant_of_monotonic(monotonic_ns());
        assert!(later >= at + Duration::from_millis(2) - Duration::from_micros(100));
    }
}
