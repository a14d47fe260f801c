//! Small, stable indices for the OS threads that did the work, with their names, so a report
//! can say "3 OS threads answered calls" and a timeline can draw one lane per thread.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);
static NAMES: Mutex<Vec<(u32, String)>> = Mutex::new(Vec::new());

thread_local! {
    static INDEX: u32 = {
        let i = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = std::thread::current().name().unwrap_or("unnamed").to_owned();
        if let Ok(mut names) = NAMES.lock() {
            names.push((i, name));
        }
        i
    };
}

/// This OS thread's index (0, 1, 2, ... in order of first use).
#[inline]
#[must_use]
pub fn current() -> u32 {
    INDEX.with(|i| *i)
}

/// The CPU this thread is running on now (`sched_getcpu`), or `u32::MAX` if unknown.
#[inline]
#[must_use]
pub fn cpu() -> u32 {
    // SAFETY: sched_getcpu takes no arguments and only reads the calling thread's state.
    let c = unsafe { libc::sched_getcpu() };
    u32::try_from(c).unwrap_or(u32::MAX)
}

/// Name of the thread with index `i` (as it was when first seen).
#[must_use]
pub fn name(i: u32) -> String {
    NAMES
        .lock()
        .ok()
        .and_then(|n| n.iter().find(|(j, _)| *j == i).map(|(_, s)| s.clone()))
        .unwrap_or_else(|| format!("thread-{i}"))
}
