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

/// Pins the calling thread to the `n`-th (wrapping) of the CPUs it may run on now — for a
/// pool of one worker per core, called from each worker as it starts (rayon's
/// `start_handler`), so that worker `i` owns CPU `i` of those the harness gave the process.
/// Returns the CPU, or `None` where the affinity cannot be read or set (the thread then runs
/// wherever the kernel puts it, as before).
///
/// Why a pool that splits one check across its workers wants it: a worker that sleeps
/// between checks is woken when the check is split, and the kernel chooses where it runs. On
/// the 2-vCPU VM of the reference runs it put the woken worker on the waker's own CPU in most
/// checks while the other CPU stayed idle, so the two halves took turns and the split check
/// took as long as on one core (README, "Capacity": the desk speedup).
pub fn pin_to_nth_allowed_cpu(n: usize) -> Option<usize> {
    use rustix::thread::{CpuSet, sched_getaffinity, sched_setaffinity};
    let allowed = sched_getaffinity(None).ok()?;
    let cpus: Vec<usize> = (0..CpuSet::MAX_CPU)
        .filter(|&c| allowed.is_set(c))
        .collect();
    let cpu = *cpus.get(n % cpus.len().max(1))?;
    let mut one = CpuSet::new();
    one.set(cpu);
    sched_setaffinity(None, &one).ok()?;
    Some(cpu)
}

#[cfg(test)]
mod pin_tests {
    use super::pin_to_nth_allowed_cpu;
    use rustix::thread::{CpuSet, sched_getaffinity};

    fn cpus() -> Vec<usize> {
        let set = sched_getaffinity(None).expect("affinity readable on Linux");
        (0..CpuSet::MAX_CPU).filter(|&c| set.is_set(c)).collect()
    }

    #[test]
    fn the_nth_worker_is_pinned_to_the_nth_allowed_cpu_wrapping() {
        let allowed = cpus();
        for n in [0, 1, allowed.len(), allowed.len() + 1] {
            // A thread of its own: the test's thread keeps its affinity.
            let (cpu, after) = std::thread::spawn(move || (pin_to_nth_allowed_cpu(n), cpus()))
                .join()
                .expect("no panic");
            let want = allowed[n % allowed.len()];
            assert_eq!(cpu, Some(want), "worker {n}");
            assert_eq!(after, vec![want], "worker {n} may run only there");
        }
        assert_eq!(cpus(), allowed, "the calling thread is untouched");
    }
}
