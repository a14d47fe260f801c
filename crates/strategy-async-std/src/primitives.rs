//! What one switch costs for the async-std secretary (`strategy-async-std --primitives`), on one
//! thread as on a day (local tasks of one `task::block_on`): the unit is a local task
//! (`task::spawn_local`), the switch is two tasks passing a message back and forth over
//! async-std's channels, the sleep is `task::sleep` (async-io's timers), and an idle task is
//! one waiting on a channel.

use async_std::{channel, task};
use std::cell::Cell;
use std::rc::Rc;
use workload::primitives::{
    Memory, SLEEP_1MS, SLEEP_100US, Stopwatch, Timing, per_unit, rss_bytes, sleep_lateness_async,
};
use workload::{Outcome, Primitives, PrimitivesSpec};

/// The primitives of the async-std secretary; `cores` is ignored, as on a day.
pub fn primitives(spec: &PrimitivesSpec, _cores: usize) -> Primitives {
    let spec = *spec;
    let (idle_memory, spawn_join, round_trip, sleep_1ms, sleep_100us) = task::block_on(async {
        (
            idle_memory(&spec).await,
            spawn_join(spec.spawns).await,
            round_trip(spec.round_trips).await,
            sleep_lateness_async(SLEEP_1MS, spec.sleeps, task::sleep).await,
            sleep_lateness_async(SLEEP_100US, spec.sleeps, task::sleep).await,
        )
    });
    Primitives {
        unit: "async-std local task".into(),
        spawn_join,
        round_trip,
        sleep_1ms,
        sleep_100us,
        idle_memory,
        how: vec![
            "spawn + join: task::spawn_local then .await its handle, inside task::block_on".into(),
            "round trip: two local tasks, a message each way over async_std::channel".into(),
            "sleep: task::sleep (async-io's timer)".into(),
            "idle: a local task waiting on a channel receive".into(),
        ],
    }
}

async fn spawn_join(n: u64) -> Outcome<Timing> {
    let mut sw = Stopwatch::start();
    for _ in 0..n {
        task::spawn_local(async {}).await;
        sw.tick();
    }
    sw.finish()
}

async fn round_trip(n: u64) -> Outcome<Timing> {
    let (ping, pinged) = channel::bounded::<u64>(1);
    let (pong, ponged) = channel::bounded::<u64>(1);
    let echo = task::spawn_local(async move {
        while let Ok(v) = pinged.recv().await {
            if pong.send(v).await.is_err() {
                break;
            }
        }
    });
    let mut sw = Stopwatch::start();
    for i in 0..n {
        if ping.send(i).await.is_err() || ponged.recv().await != Ok(i) {
            return Outcome::Failed("the echo task stopped".into());
        }
        sw.tick();
    }
    drop(ping);
    echo.await;
    sw.finish()
}

async fn idle_memory(spec: &PrimitivesSpec) -> Outcome<Memory> {
    let (release, gate) = channel::bounded::<()>(1);
    let idle = Rc::new(Cell::new(0u64));
    let (warm, measured) = spec.idle_split();
    let mut tasks = Vec::new();
    let mut start = async |n: u64| {
        for _ in 0..n {
            let (gate, idle) = (gate.clone(), Rc::clone(&idle));
            tasks.push(task::spawn_local(async move {
                idle.set(idle.get() + 1);
                let _ = gate.recv().await; // until the sender is dropped
            }));
        }
        while idle.get() < tasks.len() as u64 {
            task::yield_now().await; // let them run up to their wait
        }
    };
    start(warm).await;
    let before = rss_bytes();
    start(measured).await;
    let memory = per_unit(before, rss_bytes(), measured);
    drop(release);
    for t in tasks {
        t.await;
    }
    memory
}
