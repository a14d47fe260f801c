//! A strategy process that dies of a fault says where: [`report_fatal_signals`] (called by
//! `strategy_main` before the day) adds a handler for SIGSEGV, SIGBUS, SIGILL and SIGFPE that
//! writes one line to stderr — the signal, the faulting address, the thread's name and id —
//! and then lets the process die of the same signal. The harness quotes the last stderr line
//! in the row's reason, so a crashed row names the thread, never an empty line.
//!
//! Rust's own handler (the one that reports a stack overflow) runs first: on a guard-page hit
//! it prints "thread '…' has overflowed its stack" and aborts, as without this module. Any
//! other fault comes back here. Everything the handler does is async-signal-safe (`write`,
//! `prctl`, `gettid`, `sigaction`, `raise`): no allocation, no lock, and so no backtrace —
//! walking the stack from a signal handler can deadlock in the allocator the fault interrupted.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The signals that mean a fault in the process itself.
const FATAL: [libc::c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];

/// The handlers that were installed before ours (Rust's), by position in [`FATAL`].
static PREVIOUS: [AtomicUsize; 4] = [const { AtomicUsize::new(0) }; 4];
/// The flags of those handlers.
static PREVIOUS_FLAGS: [AtomicUsize; 4] = [const { AtomicUsize::new(0) }; 4];

/// Installs the reporting handler for every fatal signal (once per process is enough; a
/// second call is harmless). Errors are ignored: the process then dies as it would have.
pub fn report_fatal_signals() {
    for (i, &sig) in FATAL.iter().enumerate() {
        // SAFETY: `sigaction` with a zeroed struct, a valid handler of the SA_SIGINFO shape
        // and an empty mask is the documented way to install a handler; `old` receives the
        // previous one, which `on_fatal` calls only through the same shape it was set with.
        unsafe {
            let mut new: libc::sigaction = std::mem::zeroed();
            let mut old: libc::sigaction = std::mem::zeroed();
            new.sa_sigaction = on_fatal as *const () as libc::sighandler_t;
            new.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut new.sa_mask);
            if libc::sigaction(sig, &new, &mut old) != 0 {
                continue;
            }
            if old.sa_sigaction != on_fatal as *const () as libc::sighandler_t {
                PREVIOUS[i].store(old.sa_sigaction, Ordering::SeqCst);
                PREVIOUS_FLAGS[i].store(old.sa_flags as usize, Ordering::SeqCst);
            }
        }
    }
}

/// A fixed buffer and `write(2)`: text out of a signal handler without allocating.
struct Line {
    buf: [u8; 256],
    len: usize,
}

impl Line {
    fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.len < self.buf.len() {
                self.buf[self.len] = b;
                self.len += 1;
            }
        }
    }

    fn number(&mut self, mut n: u64, radix: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b"0123456789abcdef"[(n % radix) as usize];
            n /= radix;
            if n == 0 {
                break;
            }
        }
        self.push(&digits[i..]);
    }
}

fn signal_name(sig: libc::c_int) -> &'static [u8] {
    match sig {
        libc::SIGSEGV => b"SIGSEGV",
        libc::SIGBUS => b"SIGBUS",
        libc::SIGILL => b"SIGILL",
        libc::SIGFPE => b"SIGFPE",
        _ => b"signal",
    }
}

extern "C" fn on_fatal(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    let i = FATAL.iter().position(|&s| s == sig).unwrap_or(0);
    let previous = PREVIOUS[i].load(Ordering::SeqCst);
    let flags = PREVIOUS_FLAGS[i].load(Ordering::SeqCst) as libc::c_int;
    if previous != libc::SIG_DFL && previous != libc::SIG_IGN && flags & libc::SA_SIGINFO != 0 {
        // SAFETY: `previous` was installed with SA_SIGINFO, so it has this signature; it is
        // Rust's stack-overflow handler, which aborts on a guard-page hit and otherwise
        // resets the signal to its default action and returns.
        unsafe {
            let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                std::mem::transmute(previous);
            handler(sig, info, ctx);
        }
    }
    let mut line = Line {
        buf: [0; 256],
        len: 0,
    };
    line.push(b"fatal ");
    line.push(signal_name(sig));
    if !info.is_null() {
        // SAFETY: the kernel passes a valid siginfo_t to an SA_SIGINFO handler.
        let addr = unsafe { (*info).si_addr() } as u64;
        line.push(b" at address 0x");
        line.number(addr, 16);
    }
    line.push(b" in thread '");
    let mut name = [0u8; 17];
    // SAFETY: PR_GET_NAME writes at most 16 bytes and a NUL into a 16+ byte buffer.
    if unsafe { libc::prctl(libc::PR_GET_NAME, name.as_mut_ptr()) } == 0 {
        let n = name.iter().position(|&b| b == 0).unwrap_or(16);
        line.push(&name[..n]);
    }
    line.push(b"' (tid ");
    // SAFETY: gettid has no preconditions.
    line.number(unsafe { libc::gettid() } as u64, 10);
    line.push(b"); no backtrace from a signal handler\n");
    // SAFETY: writing our own buffer to fd 2, then restoring the default action and raising
    // the signal again (blocked while this handler runs, so it is delivered on return): the
    // process dies of it, as it would have without this handler.
    unsafe {
        libc::write(2, line.buf.as_ptr().cast(), line.len);
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}
