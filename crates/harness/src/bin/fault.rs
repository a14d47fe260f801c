//! Test-only misbehaving strategy for the harness's failure tests. It is never discovered as a
//! strategy (its name lacks the `strategy-` prefix); tests link it into a temporary folder as
//! `strategy-crash`, `strategy-hang`, `strategy-garbage`, `strategy-wrong`,
//! `strategy-exhausted`, `strategy-early` (answers before the ring), `strategy-hog` (allocates
//! without bound), `strategy-undeclared` (a correct strategy built before declarations: it
//! does not know `--declare`), `strategy-liar` (over real lines: picks up on time by its own
//! clock, then keeps the caller waiting [`LIE`] before saying hello) or `strategy-crash-midday`
//! (over real lines: answers correctly, then aborts half a second into the day) or
//! `strategy-segv` (a thread named `call` dies of SIGSEGV) or `strategy-liar-sometimes` (lies
//! on one line in [`LIE_EVERY`]), and the name
//! it is called by picks the fault. The faults that
//! report use only the public `workload` API, the one a strategy has: what they get away
//! with, a strategy could too.
#![allow(clippy::print_stdout)] // printing garbage to stdout is the point of one fault

use std::process::ExitCode;
use std::thread;
use workload::Arrangement;
use workload::{Call, Event, Logbook, Office, Outcome, Primitives, PrimitivesSpec, Spec};

const SEQUENTIAL: Arrangement = Arrangement::SEQUENTIAL;
/// A thread per call, preempted (the line-answering faults).
const THREADS: Arrangement = Arrangement {
    workers: workload::Workers::PerCall,
    switching: workload::Switching::Preemptive,
    timer_check_polls: None,
    desk: workload::Desk::OneWorker,
};

/// The sequential secretary's day, on time (every ring, due time and pause of the caller
/// waited for) on `office`'s clock, doing the steps of `steps` (`office` itself, or a twin);
/// the calls `cannot_start` picks are reported as not started.
fn on_time(office: &Office, steps: &Office, cannot_start: impl Fn(&Call) -> bool) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    for event in steps.events() {
        log.wait_until(event.at_us(), &clock);
        match event {
            Event::Ring(call) if cannot_start(&call) => {
                log.could_not_start(&call, "no more threads (simulated)");
            }
            Event::Ring(call) => {
                log.file_call(steps.take_call(&call, &clock, clock.now_ns(), thread::sleep));
            }
            Event::Due(appt) => {
                log.file_appointment(steps.check_appointment(&appt, &clock, || ()));
            }
        }
    }
    log
}

/// Computes the wrong values: every call's pick-up does one work unit more than the spec
/// says (the steps of a twin office), on time and on the office's clock. Only the digest can
/// tell.
fn wrong(office: &Office, _cores: usize) -> Logbook {
    let spec = Spec {
        pickup_work: office.spec().pickup_work + 1,
        ..office.spec().clone()
    };
    let twin = Office::new(spec, None).expect("one more unit of pick-up work is a valid spec");
    on_time(office, &twin, |_| false)
}

/// Cannot start every fifth call (as if out of threads); everything else is done right.
fn exhausted(office: &Office, _cores: usize) -> Logbook {
    on_time(office, office, |call| call.id() % 5 == 0)
}

/// Answers every call as soon as the office opens, without waiting for it to ring (listening
/// properly and checking the appointments on time).
fn early(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    for call in office.calls() {
        log.file_call(office.take_call(call, &clock, clock.now_ns(), thread::sleep));
    }
    for appt in office.appointments() {
        log.wait_until(appt.due_us(), &clock);
        log.file_appointment(office.check_appointment(appt, &clock, || ()));
    }
    log
}

/// The faults' `--primitives`: nothing measured (the faults are about days).
fn unmeasured(_: &PrimitivesSpec, _: usize) -> Primitives {
    const WHY: &str = "a fault, not a runtime";
    let none = || Outcome::NotApplicable(WHY.into());
    Primitives {
        unit: "fault".into(),
        spawn_join: none(),
        round_trip: none(),
        sleep_1ms: none(),
        sleep_100us: none(),
        idle_memory: Outcome::NotApplicable(WHY.into()),
        how: Vec::new(),
    }
}

/// Allocates and touches memory without bound (16 MiB every 5 ms, up to 2 GiB, which the
/// memory guard of a test must stop well before), then does the day.
fn hog(office: &Office, _cores: usize) -> Logbook {
    let mut hoard: Vec<Vec<u8>> = Vec::new();
    for _ in 0..128 {
        hoard.push(vec![1u8; 16 << 20]);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::hint::black_box(&hoard);
    on_time(office, office, |_| false)
}

/// How long the liar sits on a hello it has already timed.
const LIE: std::time::Duration = std::time::Duration::from_millis(30);

/// `strategy-liar-sometimes` lies on one line in this many.
const LIE_EVERY: u32 = 20;

/// A line whose first word (the hello) leaves [`LIE`] late, after the pick-up was timed.
struct Late(std::net::TcpStream, bool);

impl std::io::Read for Late {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl std::io::Write for Late {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if std::mem::take(&mut self.1) {
            thread::sleep(LIE);
        }
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// A thread per line; on every `lie_every`-th line (never: 0), the hello waits [`LIE`] after the
/// pick-up was timed. The desk is checked on time on another thread. Simulated lines: the plain
/// on-time day.
fn lines(office: &Office, lie_every: u32) -> Logbook {
    let Some(listener) = office.take_listener() else {
        return on_time(office, office, |_| false);
    };
    let clock = office.open();
    let serve = |stream, lie| workload::phone::serve_blocking(office, &clock, Late(stream, lie));
    let mut accepted = 0u32;
    thread::scope(|s| {
        let desk = s.spawn(|| {
            let mut log = office.logbook();
            for appt in office.appointments() {
                log.wait_until(appt.due_us(), &clock);
                log.file_appointment(office.check_appointment(appt, &clock, || ()));
            }
            log
        });
        let mut callers = Vec::new();
        for conn in listener.incoming() {
            match conn {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    accepted += 1;
                    let lie = lie_every > 0 && accepted.is_multiple_of(lie_every);
                    callers.push(s.spawn(move || serve(stream, lie)));
                }
                Err(_) if office.closed() => break,
                Err(_) => {}
            }
        }
        let mut log = desk.join().expect("the desk thread");
        for c in callers {
            c.join().expect("a call thread").file(&mut log);
        }
        log
    })
}

/// A call thread dies of SIGSEGV as the day starts: it reads address 16, which is never
/// mapped (safe Rust cannot fault; this strategy exists to die where a backtrace can say so).
fn segv(office: &Office, _cores: usize) -> Logbook {
    let t = thread::Builder::new()
        .name("call".into())
        .spawn(read_nowhere)
        .expect("a thread");
    let _ = t.join();
    office.logbook()
}

/// The faulting read, in a function of its own so the crashed row's backtrace names it.
#[inline(never)]
fn read_nowhere() -> u8 {
    // SAFETY: none, on purpose: the kernel never maps the first page, so this volatile read
    // (which the compiler must emit) faults and the process dies of SIGSEGV.
    unsafe { std::ptr::read_volatile(std::ptr::without_provenance::<u8>(16)) }
}

/// Answers real lines correctly and aborts half a second into the day.
fn crash_midday(office: &Office, _cores: usize) -> Logbook {
    thread::spawn(|| {
        thread::sleep(std::time::Duration::from_millis(500));
        eprintln!("fault: crashing mid-day on purpose");
        std::process::abort();
    });
    lines(office, 0)
}

fn main() -> ExitCode {
    let me = std::env::args().next().unwrap_or_default();
    let fault = me
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_start_matches("strategy-")
        .to_owned();
    match fault.as_str() {
        "crash" => {
            eprintln!("fault: crashing on purpose");
            std::process::abort();
        }
        "hang" => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        "garbage" => {
            println!("this is not a report");
            ExitCode::SUCCESS
        }
        "wrong" => workload::strategy_main("wrong", SEQUENTIAL, wrong, unmeasured),
        "exhausted" => workload::strategy_main("exhausted", SEQUENTIAL, exhausted, unmeasured),
        "early" => workload::strategy_main("early", SEQUENTIAL, early, unmeasured),
        "hog" => workload::strategy_main("hog", SEQUENTIAL, hog, unmeasured),
        "liar" => workload::strategy_main("liar", THREADS, |o, _| lines(o, 1), unmeasured),
        "liar-sometimes" => workload::strategy_main(
            "liar-sometimes",
            THREADS,
            |o, _| lines(o, LIE_EVERY),
            unmeasured,
        ),
        "segv" => workload::strategy_main("segv", SEQUENTIAL, segv, unmeasured),
        "crash-midday" => {
            workload::strategy_main("crash-midday", THREADS, crash_midday, unmeasured)
        }
        "undeclared" => {
            if std::env::args().any(|a| a == "--declare") {
                eprintln!("error: unexpected argument '--declare' found");
                return ExitCode::from(2);
            }
            workload::strategy_main(
                "undeclared",
                SEQUENTIAL,
                |o, _| on_time(o, o, |_| false),
                unmeasured,
            )
        }
        other => {
            eprintln!(
                "error: unknown fault '{other}' (valid: crash, hang, garbage, wrong, exhausted, early, hog, undeclared, liar, liar-sometimes, crash-midday, segv)"
            );
            ExitCode::from(2)
        }
    }
}
