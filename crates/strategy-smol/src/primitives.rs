//! What one switch costs for the smol secretary (`strategy-smol --primitives`), on one thread
//! as on a day (a `LocalExecutor` run by `smol::block_on`): the unit is a task of the executor,
//! the switch is two tasks passing a message back and forth over smol's channels, the sleep is
//! `Timer::after` (async-io's timers), and an idle task is one waiting on a channel.

use smol::{LocalExecutor, Timer, channel, future};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use workload::primitives::{
    Memory, SLEEP_1MS, SLEEP_100US, Stopwatch, Timing, per_unit, rss_bytes, sleep_lateness_async,
};
use workload::{Outcome, Primitives, PrimitivesSpec};

/// The primitives of the smol secretary; `cores` is ignored, as on a day.
pub fn primitives(spec: &PrimitivesSpec, _cores: usize) -> Primitives {
    let ex = LocalExecutor::new();
    let sleep = |d: Duration| async move {
        Timer::after(d).await;
    };
    let (idle_memory, spawn_join, round_trip, sleep_1ms, sleep_100us) =
        smol::block_on(ex.run(async {
            (
                idle_memory(&ex, spec).await,
                spawn_join(&ex, spec.spawns).await,
                round_trip(&ex, spec.round_trips).await,
                sleep_lateness_async(SLEEP_1MS, spec.sleeps, sleep).await,
                sleep_lateness_async(SLEEP_100US, spec.sleeps, sleep).await,
            )
        }));
    Primitives {
        unit: "smol task".into(),
        spawn_join,
        round_trip,
        sleep_1ms,
        sleep_100us,
        idle_memory,
        how: vec![
            "spawn + join: LocalExecutor::spawn then .await the task, in smol::block_on".into(),
            "round trip: two tasks, a message each way over smol::channel".into(),
            "sleep: Timer::after (async-io's timer)".into(),
            "idle: a task waiting on a channel receive".into(),
        ],
    }
}

async fn spawn_join(ex: &LocalExecutor<'_>, n: u64) -> Outcome<Timing> {
    let mut sw = Stopwatch::start();
    for _ in 0..n {
        ex.spawn(async {}).await;
        sw.tick();
    }
    sw.finish()
}

async fn round_trip(ex: &LocalExecutor<'_>, n: u64) -> Outcome<Timing> {
    let (ping, pinged) = channel::bounded::<u64>(1);
    let (pong, ponged) = channel::bounded::<u64>(1);
    let echo = ex.spawn(async move {
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

async fn idle_memory(ex: &LocalExecutor<'_>, spec: &PrimitivesSpec) -> Outcome<Memory> {
    let (release, gate) = channel::bounded::<()>(1);
    let idle = Rc::new(Cell::new(0u64));
    let (warm, measured) = spec.idle_split();
    let mut tasks = Vec::new();
    let mut start = async |n: u64| {
        for _ in 0..n {
            let (gate, idle) = (gate.clone(), Rc::clone(&idle));
            tasks.push(ex.spawn(async move {
                idle.set(idle.get() + 1);
                let _ = gate.recv().await; // until the sender is dropped
            }));
        }
        while idle.get() < tasks.len() as u64 {
            future::yield_now().await; // let them run up to their wait
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
