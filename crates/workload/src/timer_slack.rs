//! Timer slack: Linux may wake a sleeping thread up to its timer slack after the instant it
//! asked for (50 µs by default), to batch wake-ups. The strategy binaries set it to 1 ns
//! before any runtime starts, so every strategy's timers are as exact as the kernel allows;
//! threads inherit the slack of the thread that creates them. The report records the value.

/// Sets the calling thread's timer slack to 1 ns (threads it creates afterwards inherit it).
/// Returns the OS error if the kernel refused; a no-op off Linux.
pub(crate) fn set_to_1ns() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_SET_TIMERSLACK takes one unsigned long by value and touches no memory of
        // ours; the unused trailing arguments are passed as 0 as prctl(2) recommends.
        let rc = unsafe { libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong, 0, 0, 0) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The calling thread's timer slack in ns (`None` off Linux or if the kernel refused).
#[must_use]
pub(crate) fn current_ns() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_GET_TIMERSLACK reads no argument and returns the slack as the result.
        let rc = unsafe { libc::prctl(libc::PR_GET_TIMERSLACK, 0, 0, 0, 0) };
        u64::try_from(rc).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn slack_is_set_to_1ns_and_read_back() {
        // On a thread of its own: the slack is per thread, and the test runner's threads
        // should keep theirs.
        std::thread::spawn(|| {
            assert!(super::current_ns().is_some_and(|ns| ns > 0));
            super::set_to_1ns().expect("prctl(PR_SET_TIMERSLACK)");
            assert_eq!(super::current_ns(), Some(1));
            // Inherited by threads created afterwards.
            let child = std::thread::spawn(super::current_ns).join().expect("joins");
            assert_eq!(child, Some(1));
        })
        .join()
        .expect("joins");
    }
}
