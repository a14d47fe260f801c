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

/// The `Instant` of a [`monotonic_ns`] reading (taken in this process or another on the same
/// machine), within the few ns between two clock reads.
#[must_use]
pub fn instant_of_monotonic(ns: u64) -> Instant {
    let (now, now_ns) = (Instant::now(), monotonic_ns());
    if ns <= now_ns {
        now.checked_sub(Duration::from_nanos(now_ns - ns))
            .unwrap_or(now)
    } else {
        now + Duration::from_nanos(ns - now_ns)
    }
}
