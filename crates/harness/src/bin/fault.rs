//! Test-only misbehaving strategy for the harness's failure tests. It is never discovered as a
//! strategy (its name lacks the `strategy-` prefix); tests link it into a temporary folder as
//! `strategy-crash`, `strategy-hang`, `strategy-garbage`, `strategy-wrong`,
//! `strategy-exhausted`, `strategy-hog` (allocates without bound) or `strategy-undeclared` (a
//! correct strategy built before declarations: it does not know `--declare`), and the name it
//! is called by picks the fault.
#![allow(clippy::print_stdout)] // printing garbage to stdout is the point of one fault

use std::process::ExitCode;
use workload::{Event, Logbook, Office};

/// Does the day's work without waiting for anything (timing is irrelevant here).
fn hurried(office: &Office) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    for event in office.events() {
        match event {
            Event::Ring(call) => {
                log.file_call(office.take_call(&call, &clock, clock.now_ns(), |_| ()))
            }
            Event::Due(appt) => {
                log.file_appointment(office.check_appointment(&appt, &clock, || ()))
            }
        }
    }
    log
}

fn wrong(office: &Office, _cores: usize) -> Logbook {
    let mut log = hurried(office);
    log.digest ^= 1; // one bit off: the reference must notice
    log
}

fn exhausted(office: &Office, _cores: usize) -> Logbook {
    let mut log = office.logbook();
    let clock = office.open();
    for call in office.calls() {
        if call.id % 5 == 0 {
            log.could_not_start(call, "no more threads (simulated)");
        } else {
            log.file_call(office.take_call(call, &clock, clock.now_ns(), |_| ()));
        }
    }
    for appt in office.appointments() {
        log.file_appointment(office.check_appointment(appt, &clock, || ()));
    }
    log
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
    hurried(office)
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
        "wrong" => workload::strategy_main("wrong", workload::Arrangement::SEQUENTIAL, wrong),
        "exhausted" => {
            workload::strategy_main("exhausted", workload::Arrangement::SEQUENTIAL, exhausted)
        }
        "hog" => workload::strategy_main("hog", workload::Arrangement::SEQUENTIAL, hog),
        "undeclared" => {
            if std::env::args().any(|a| a == "--declare") {
                eprintln!("error: unexpected argument '--declare' found");
                return ExitCode::from(2);
            }
            workload::strategy_main("undeclared", workload::Arrangement::SEQUENTIAL, |o, _| {
                hurried(o)
            })
        }
        other => {
            eprintln!(
                "error: unknown fault '{other}' (valid: crash, hang, garbage, wrong, exhausted, hog, undeclared)"
            );
            ExitCode::from(2)
        }
    }
}
