//! A strategy process that dies of a fault says where: [`report_fatal_signals`] (called by
//! `strategy_main` before the day) adds a handler for SIGSEGV, SIGBUS, SIGILL and SIGFPE that
//! writes the signal, the faulting address and the thread's name and id to stderr, then its
//! stack as raw frames, and lets the process die of the same signal. The harness turns those
//! lines into the row's reason, naming each frame's function and line from the binary
//! (`lab::symbols`): a crashed row says where, never an empty line.
//!
//! Rust's own handler (the one that reports a stack overflow) runs first: on a guard-page hit
//! it prints "thread '…' has overflowed its stack" and aborts, as without this module. Any
//! other fault comes back here. The first line is written with async-signal-safe calls only
//! (`write`, `prctl`, `gettid`): it always comes out. The stack walk after it
//! (`backtrace::trace_unsynchronized`, libgcc's unwinder, which reads the unwind tables and
//! allocates nothing) is not guaranteed safe in a signal handler, so it is fenced: it runs
//! only where the signal stack has [`WALK_ROOM`] bytes left, an `alarm` ends it if it hangs
//! (the unwinder takes the loader's lock, which the fault may have interrupted), and a fault
//! inside it kills the process at once with the first line already out. Frames are printed
//! as an object's path and an address inside it — no names, which would mean allocating and
//! reading debug info here; the harness, which has the binary, looks them up.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};

/// The signals that mean a fault in the process itself.
const FATAL: [libc::c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];

/// The handlers that were installed before ours (Rust's), by position in [`FATAL`].
static PREVIOUS: [AtomicUsize; 4] = [const { AtomicUsize::new(0) }; 4];
/// The flags of those handlers.
static PREVIOUS_FLAGS: [AtomicUsize; 4] = [const { AtomicUsize::new(0) }; 4];

/// Most frames printed.
const MAX_FRAMES: usize = 48;
/// Bytes of signal stack the walk needs below the handler's frame. std gives each thread a
/// signal stack of 8 KiB or more, of which the kernel's signal frame takes 1 KiB (AVX2) to
/// 3 KiB (AVX-512) and the handler a little; measured on this project's VM, the walk of the
/// `segv` fault's stack used 2.8 KiB (with its symbols bound beforehand, see
/// [`report_fatal_signals`]), with 5.0 KiB free.
pub const WALK_ROOM: usize = 3584;
/// Seconds the walk may take before it is given up.
const WALK_SECONDS: libc::c_uint = 2;

/// The executable code of one loaded object: where it sits in memory and its file.
struct Object {
    /// The file's path (the executable's own from `current_exe`).
    path: Vec<u8>,
    /// Load bias: an address in memory minus this is the address in the file.
    bias: usize,
    /// Executable segments, `[start, end)` in memory.
    text: Vec<(usize, usize)>,
}

/// The objects loaded when the handler was installed (read once, then only looked at).
static OBJECTS: OnceLock<Vec<Object>> = OnceLock::new();
/// Only the first faulting thread walks its stack.
static WALKING: AtomicBool = AtomicBool::new(false);
/// The signal being reported, raised again if the walk hangs.
static DYING_OF: AtomicI32 = AtomicI32::new(libc::SIGSEGV);

/// Installs the reporting handler for every fatal signal (once per process is enough; a
/// second call is harmless). Errors are ignored: the process then dies as it would have.
pub fn report_fatal_signals() {
    let _ = OBJECTS.get_or_init(loaded_objects);
    // One walk now binds every symbol the walk calls (lazy binding in the dynamic linker
    // saves the whole vector state on the stack: more than a signal stack has to spare).
    // SAFETY: a walk of this thread's stack, outside any handler; the callback stops it.
    unsafe { backtrace::trace_unsynchronized(|_| false) };
    for (i, &sig) in FATAL.iter().enumerate() {
        // SAFETY: `sigaction` with a zeroed struct, a valid handler of the SA_SIGINFO shape
        // and a mask of the fatal signals is the documented way to install a handler; `old`
        // receives the previous one, which `on_fatal` calls only through the same shape it
        // was set with.
        unsafe {
            let mut new: libc::sigaction = std::mem::zeroed();
            let mut old: libc::sigaction = std::mem::zeroed();
            new.sa_sigaction = on_fatal as *const () as libc::sighandler_t;
            new.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            // A fault while reporting one is not reported again: the kernel kills the process.
            libc::sigemptyset(&mut new.sa_mask);
            for s in FATAL {
                libc::sigaddset(&mut new.sa_mask, s);
            }
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

/// Every loaded object with executable segments (`dl_iterate_phdr`, outside any handler).
fn loaded_objects() -> Vec<Object> {
    unsafe extern "C" fn each(
        info: *mut libc::dl_phdr_info,
        _size: libc::size_t,
        out: *mut libc::c_void,
    ) -> libc::c_int {
        // SAFETY: dl_iterate_phdr passes a valid info for the duration of this call, whose
        // program headers are `dlpi_phnum` entries at `dlpi_phdr`; `out` is the Vec passed
        // below, not otherwise borrowed while the iteration runs.
        unsafe {
            let info = &*info;
            let out = &mut *out.cast::<Vec<Object>>();
            let bias = info.dlpi_addr as usize;
            let headers = std::slice::from_raw_parts(info.dlpi_phdr, info.dlpi_phnum as usize);
            let text: Vec<(usize, usize)> = headers
                .iter()
                .filter(|h| h.p_type == libc::PT_LOAD && h.p_flags & libc::PF_X != 0)
                .map(|h| {
                    let start = bias + h.p_vaddr as usize;
                    (start, start + h.p_memsz as usize)
                })
                .collect();
            let name = if info.dlpi_name.is_null() {
                Vec::new()
            } else {
                std::ffi::CStr::from_ptr(info.dlpi_name).to_bytes().to_vec()
            };
            let path = if name.is_empty() {
                std::env::current_exe()
                    .map(|p| p.into_os_string().into_encoded_bytes())
                    .unwrap_or_default()
            } else {
                name
            };
            if !text.is_empty() {
                out.push(Object { path, bias, text });
            }
            0
        }
    }
    let mut objects: Vec<Object> = Vec::new();
    // SAFETY: `each` matches the callback type and only reads what it is given; `objects`
    // outlives the call.
    unsafe {
        libc::dl_iterate_phdr(Some(each), (&raw mut objects).cast());
    }
    objects
}

/// A fixed buffer and `write(2)`: text out of a signal handler without allocating.
struct Line {
    buf: [u8; 512],
    len: usize,
}

impl Line {
    fn new() -> Line {
        Line {
            buf: [0; 512],
            len: 0,
        }
    }

    fn push(&mut self, bytes: &[u8]) -> &mut Line {
        for &b in bytes {
            if self.len < self.buf.len() {
                self.buf[self.len] = b;
                self.len += 1;
            }
        }
        self
    }

    fn number(&mut self, mut n: u64, radix: u64) -> &mut Line {
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
        self.push(&digits[i..])
    }

    fn hex(&mut self, n: u64) -> &mut Line {
        self.push(b"0x").number(n, 16)
    }

    /// Writes the line (and a newline) to stderr and empties it.
    fn write(&mut self) {
        self.push(b"\n");
        // SAFETY: writing our own initialised buffer to fd 2.
        unsafe {
            libc::write(2, self.buf.as_ptr().cast(), self.len);
        }
        self.len = 0;
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

/// The instruction that faulted, from the context the kernel saved.
fn fault_pc(ctx: *mut libc::c_void) -> Option<usize> {
    if ctx.is_null() {
        return None;
    }
    let ctx = ctx.cast::<libc::ucontext_t>();
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: the kernel passes a valid ucontext_t to an SA_SIGINFO handler.
        Some(unsafe { (*ctx).uc_mcontext.gregs[libc::REG_RIP as usize] } as usize)
    }
    #[cfg(target_arch = "aarch64")]
    {
        // SAFETY: the kernel passes a valid ucontext_t to an SA_SIGINFO handler.
        Some(unsafe { (*ctx).uc_mcontext.pc } as usize)
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        let _ = ctx;
        None
    }
}

/// Bytes left below the handler's own frame on the signal stack (`None`: not on it).
fn signal_stack_room() -> Option<usize> {
    // SAFETY: sigaltstack with a null new stack only reads the current one into `ss`.
    let ss = unsafe {
        let mut ss: libc::stack_t = std::mem::zeroed();
        if libc::sigaltstack(std::ptr::null(), &mut ss) != 0 {
            return None;
        }
        ss
    };
    let here = &raw const ss as usize;
    (ss.ss_flags & libc::SS_ONSTACK != 0).then(|| here.saturating_sub(ss.ss_sp as usize))
}

/// Ends a walk that hangs: the process dies of the signal it was reporting.
extern "C" fn on_stuck(_sig: libc::c_int) {
    Line::new()
        .push(b"crash frames: the stack walk hung and was given up")
        .write();
    let sig = DYING_OF.load(Ordering::SeqCst);
    // SAFETY: restoring the default action, unblocking the signal on this thread and raising
    // it: the process dies of it here.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
}

/// Walks this thread's stack and prints one line per frame from the faulting one on:
/// `crash frame N: PATH ADDRESS` (the address inside the file; a caller's is its return
/// address less one, inside the call) or `crash frame N: ? ADDRESS` (outside every object).
/// Without `walk`, only the faulting instruction's frame.
fn print_frames(pc: Option<usize>, walk: bool) {
    let mut ips = [0usize; MAX_FRAMES + 16];
    let mut n = 0;
    if walk {
        // SAFETY: the walk only reads this thread's stack and the unwind tables (see the
        // module header for what fences it); the callback stores into a local array.
        unsafe {
            backtrace::trace_unsynchronized(|frame| {
                ips[n] = frame.ip() as usize;
                n += 1;
                n < ips.len()
            });
        }
    }
    // The handler's own frames come first: start at the faulting instruction when found.
    let from = pc.and_then(|pc| ips[..n].iter().position(|&ip| ip == pc));
    let frames = match (from, pc) {
        (Some(i), _) => &ips[i..n],
        (None, Some(_)) => &ips[..0],
        (None, None) => &ips[..n],
    };
    let objects = OBJECTS.get().map_or(&[][..], Vec::as_slice);
    let mut line = Line::new();
    let mut print = |k: usize, ip: usize| {
        line.push(b"crash frame ").number(k as u64, 10).push(b": ");
        match objects
            .iter()
            .find(|o| o.text.iter().any(|&(a, b)| (a..b).contains(&ip)))
        {
            Some(o) => line.push(&o.path).push(b" ").hex((ip - o.bias) as u64),
            None => line.push(b"? ").hex(ip as u64),
        };
        line.write();
    };
    match (frames.is_empty(), pc) {
        (true, Some(pc)) => print(0, pc), // the walk did not reach the fault: its place alone
        _ => {
            for (k, &ip) in frames
                .iter()
                .filter(|&&ip| ip != 0)
                .take(MAX_FRAMES)
                .enumerate()
            {
                // Frame 0 is the fault itself; a caller's address is where it returns to.
                print(
                    k,
                    if k == 0 && from.is_some() {
                        ip
                    } else {
                        ip.saturating_sub(1)
                    },
                );
            }
        }
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
    let mut line = Line::new();
    line.push(b"fatal ").push(signal_name(sig));
    if !info.is_null() {
        // SAFETY: the kernel passes a valid siginfo_t to an SA_SIGINFO handler.
        let addr = unsafe { (*info).si_addr() } as u64;
        line.push(b" at address ").hex(addr);
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
    line.number(unsafe { libc::gettid() } as u64, 10).push(b")");
    line.write();
    if !WALKING.swap(true, Ordering::SeqCst) {
        DYING_OF.store(sig, Ordering::SeqCst);
        let pc = fault_pc(ctx);
        match signal_stack_room() {
            Some(room) if room < WALK_ROOM => {
                line.push(b"crash frames: not walked, ")
                    .number(room as u64, 10)
                    .push(b" bytes left on the signal stack");
                line.write();
                print_frames(pc, false);
            }
            _ => {
                // SAFETY: installing a plain handler for SIGALRM and arming a timer: both
                // async-signal-safe; nothing else in a strategy uses SIGALRM.
                unsafe {
                    libc::signal(libc::SIGALRM, on_stuck as *const () as libc::sighandler_t);
                    libc::alarm(WALK_SECONDS);
                }
                print_frames(pc, true);
                // SAFETY: disarming the timer.
                unsafe {
                    libc::alarm(0);
                }
            }
        }
        line.push(b"crash frames end");
        line.write();
    }
    // SAFETY: restoring the default action and raising the signal again (blocked while this
    // handler runs, so it is delivered on return): the process dies of it, as it would have
    // without this handler.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}
