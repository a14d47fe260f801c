//! What one switch costs for the green-threads secretaries (`strategy-green --primitives`),
//! with may configured as on a day (`coroutines::setup`: `cores` workers, the crate's stack size
//! and pool): the unit is a stackful coroutine started with the crate's `go`, the switch is two
//! coroutines passing a message back and forth over may's channels, the sleep is the crate's
//! `nap` (may's `sleep`, then back to a worker, as a call listens), and an idle coroutine is one
//! parked on may's `RwLock`.

use crate::coroutines::{
    AllDone, Live, POOL_CAPACITY, STACK_WORDS, budget, go, nap, setup, start_may,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use workload::primitives::{
    Memory, SLEEP_1MS, SLEEP_100US, Stopwatch, Timing, per_unit, rss_bytes, sleep_lateness,
    wait_for_count,
};
use workload::{Outcome, Primitives, PrimitivesSpec};

/// The primitives of the green-threads secretaries on `cores` may workers.
pub fn primitives(spec: &PrimitivesSpec, cores: usize) -> Primitives {
    let live = &budget(cores, None);
    let setup = setup(cores);
    let _all_done = AllDone(live); // no return before every coroutine has ended
    start_may(live); // may's workers, timer thread and stack pool are up
    let idle_memory = idle_memory(live, spec);
    let spec = *spec;
    // may's join, channels and sleep are for coroutines: measure from one.
    let measured = go(live, 0, move || {
        (
            spawn_join(live, spec.spawns),
            round_trip(live, spec.round_trips),
            sleep_lateness(SLEEP_1MS, spec.sleeps, nap),
            sleep_lateness(SLEEP_100US, spec.sleeps, nap),
        )
    })
    .map(|h| h.join());
    let why = match &measured {
        Ok(Ok(_)) => String::new(),
        Ok(Err(_)) => "the measuring coroutine panicked".to_owned(),
        Err(e) => format!("cannot start the measuring coroutine: {e}"),
    };
    let failed = || Outcome::Failed(why.clone());
    let (spawn_join, round_trip, sleep_1ms, sleep_100us) = measured
        .ok()
        .and_then(Result::ok)
        .unwrap_or_else(|| (failed(), failed(), failed(), failed()));
    Primitives {
        unit: "may coroutine".into(),
        spawn_join,
        round_trip,
        sleep_1ms,
        sleep_100us,
        idle_memory,
        how: vec![
            format!(
                "may: {} worker{}, {} KiB stacks, a pool of {POOL_CAPACITY} stacks (as on a day)",
                setup.workers,
                if setup.workers == 1 { "" } else { "s" },
                STACK_WORDS * size_of::<usize>() / 1024
            ),
            "spawn + join: go (may's Builder::spawn) then join, from a coroutine".into(),
            "round trip: two coroutines, a message each way over may::sync::mpsc".into(),
            "sleep: may::coroutine::sleep then yield_now back to a worker (the crate's nap)".into(),
            "idle: a coroutine parked on may::sync::RwLock; past the pool, each maps its stack"
                .into(),
        ],
    }
}

fn spawn_join(live: &Live, n: u64) -> Outcome<Timing> {
    let mut sw = Stopwatch::start();
    for _ in 0..n {
        match go(live, 0, || ()).map(|h| h.join()) {
            Ok(Ok(())) => sw.tick(),
            Ok(Err(_)) => return Outcome::Failed("an empty coroutine panicked".into()),
            Err(e) => return Outcome::Failed(e.to_string()),
        }
    }
    sw.finish()
}

fn round_trip(live: &Live, n: u64) -> Outcome<Timing> {
    let (ping, pinged) = may::sync::mpsc::channel::<u64>();
    let (pong, ponged) = may::sync::mpsc::channel::<u64>();
    let echo = go(live, 0, move || {
        while let Ok(v) = pinged.recv() {
            if pong.send(v).is_err() {
                break;
            }
        }
    });
    let Ok(echo) = echo else {
        return Outcome::Failed("cannot start the echo coroutine".into());
    };
    let mut sw = Stopwatch::start();
    for i in 0..n {
        if ping.send(i).is_err() || ponged.recv() != Ok(i) {
            return Outcome::Failed("the echo coroutine stopped".into());
        }
        sw.tick();
    }
    drop(ping);
    let _ = echo.join();
    sw.finish()
}

fn idle_memory(live: &Live, spec: &PrimitivesSpec) -> Outcome<Memory> {
    let gate = Arc::new(may::sync::RwLock::new(()));
    let idle = Arc::new(AtomicU64::new(0));
    let closed = gate
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (warm, measured) = spec.idle_split();
    let mut parked = Vec::new();
    let mut start = |n: u64| -> Result<(), String> {
        for _ in 0..n {
            let (gate, idle) = (Arc::clone(&gate), Arc::clone(&idle));
            let h = go(live, 0, move || {
                idle.fetch_add(1, Ordering::Release);
                drop(gate.read());
            })
            .map_err(|e| format!("after {} coroutines: {e}", parked.len()))?;
            parked.push(h);
        }
        if wait_for_count(&idle, parked.len() as u64, Duration::from_secs(30)) {
            Ok(())
        } else {
            Err("the coroutines did not all start within 30 s".into())
        }
    };
    let result = start(warm).and_then(|()| {
        let before = rss_bytes();
        start(measured).map(|()| per_unit(before, rss_bytes(), measured))
    });
    drop(closed);
    for h in parked {
        let _ = h.join();
    }
    result.unwrap_or_else(Outcome::Failed)
}
