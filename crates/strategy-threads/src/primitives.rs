//! What one switch costs for the threads secretaries (`strategy-threads --primitives`): the
//! unit is an OS thread, started as the day starts a call's thread (`thread::Builder` with a
//! name), the switch is the kernel's (two threads passing a message back and forth over
//! `std::sync::mpsc` channels), the sleep is `std::thread::sleep`, and an idle thread is one
//! blocked on a lock, as a call's thread is blocked while the caller talks.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, mpsc};
use std::thread;
use std::time::Duration;
use workload::primitives::{
    Memory, SLEEP_1MS, SLEEP_100US, Stopwatch, Timing, per_unit, rss_bytes, sleep_lateness,
    wait_for_count,
};
use workload::{Outcome, Primitives, PrimitivesSpec};

fn call_thread() -> thread::Builder {
    thread::Builder::new().name("call".into())
}

/// The primitives of the threads secretaries (`cores` only pins, as on a day).
pub fn primitives(spec: &PrimitivesSpec, _cores: usize) -> Primitives {
    Primitives {
        unit: "OS thread".into(),
        idle_memory: idle_memory(spec),
        spawn_join: spawn_join(spec.spawns),
        round_trip: round_trip(spec.round_trips),
        sleep_1ms: sleep_lateness(SLEEP_1MS, spec.sleeps, thread::sleep),
        sleep_100us: sleep_lateness(SLEEP_100US, spec.sleeps, thread::sleep),
        how: vec![
            "spawn + join: thread::Builder::spawn (named, as a call's thread) then join".into(),
            "round trip: two threads, a message each way over std::sync::mpsc".into(),
            "sleep: std::thread::sleep".into(),
            "idle: a thread blocked on a std RwLock (default 2 MiB stack, touched pages count)"
                .into(),
        ],
    }
}

fn spawn_join(n: u64) -> Outcome<Timing> {
    let mut sw = Stopwatch::start();
    for _ in 0..n {
        match call_thread().spawn(|| ()).map(thread::JoinHandle::join) {
            Ok(Ok(())) => sw.tick(),
            Ok(Err(_)) => return Outcome::Failed("an empty thread panicked".into()),
            Err(e) => return Outcome::Failed(format!("thread spawn failed: {e}")),
        }
    }
    sw.finish()
}

fn round_trip(n: u64) -> Outcome<Timing> {
    let (ping, pinged) = mpsc::channel::<u64>();
    let (pong, ponged) = mpsc::channel::<u64>();
    let echo = call_thread().spawn(move || {
        for v in pinged {
            if pong.send(v).is_err() {
                break;
            }
        }
    });
    let Ok(echo) = echo else {
        return Outcome::Failed("cannot start the echo thread".into());
    };
    let mut sw = Stopwatch::start();
    for i in 0..n {
        if ping.send(i).is_err() || ponged.recv() != Ok(i) {
            return Outcome::Failed("the echo thread stopped".into());
        }
        sw.tick();
    }
    drop(ping);
    let _ = echo.join();
    sw.finish()
}

fn idle_memory(spec: &PrimitivesSpec) -> Outcome<Memory> {
    let gate = Arc::new(RwLock::new(()));
    let idle = Arc::new(AtomicU64::new(0));
    let closed = gate
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (warm, measured) = spec.idle_split();
    let mut threads = Vec::new();
    let mut start = |n: u64| -> Result<(), String> {
        for _ in 0..n {
            let (gate, idle) = (Arc::clone(&gate), Arc::clone(&idle));
            let t = call_thread()
                .spawn(move || {
                    idle.fetch_add(1, Ordering::Release);
                    drop(gate.read());
                })
                .map_err(|e| format!("thread spawn failed after {} threads: {e}", threads.len()))?;
            threads.push(t);
        }
        if wait_for_count(&idle, threads.len() as u64, Duration::from_secs(30)) {
            Ok(())
        } else {
            Err("the threads did not all start within 30 s".into())
        }
    };
    let result = start(warm).and_then(|()| {
        let before = rss_bytes();
        start(measured).map(|()| per_unit(before, rss_bytes(), measured))
    });
    drop(closed);
    for t in threads {
        let _ = t.join();
    }
    result.unwrap_or_else(Outcome::Failed)
}
