//! What one switch costs for the hybrid secretaries' phone (`strategy-hybrid --primitives`):
//! smol's parts on one thread as on a day (`async-executor`'s `LocalExecutor` run by
//! `async_io::block_on`): the unit is a phone task, the switch is two tasks passing a message
//! back and forth over `async-channel`, the sleep is `async_io::Timer::after`, and an idle task
//! is one waiting on a channel. The desk is a rayon pool: its primitives are `rayon`'s row.

use async_executor::LocalExecutor;
use async_io::Timer;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use workload::primitives::{
    Memory, SLEEP_1MS, SLEEP_100US, Stopwatch, Timing, per_unit, rss_bytes, sleep_lateness_async,
    yield_now,
};
use workload::{Outcome, Primitives, PrimitivesSpec};

/// The primitives of the hybrid's phone thread; `cores` sizes only the desk, not measured here.
pub fn primitives(spec: &PrimitivesSpec, _cores: usize) -> Primitives {
    let phone = LocalExecutor::new();
    let sleep = |d: Duration| async move {
        Timer::after(d).await;
    };
    let (idle_memory, spawn_join, round_trip, sleep_1ms, sleep_100us) =
        async_io::block_on(phone.run(async {
            (
                idle_memory(&phone, spec).await,
                spawn_join(&phone, spec.spawns).await,
                round_trip(&phone, spec.round_trips).await,
                sleep_lateness_async(SLEEP_1MS, spec.sleeps, sleep).await,
                sleep_lateness_async(SLEEP_100US, spec.sleeps, sleep).await,
            )
        }));
    Primitives {
        unit: "async-executor task (the phone)".into(),
        spawn_join,
        round_trip,
        sleep_1ms,
        sleep_100us,
        idle_memory,
        how: vec![
            "spawn + join: LocalExecutor::spawn then .await the task, in async_io::block_on".into(),
            "round trip: two phone tasks, a message each way over async-channel".into(),
            "sleep: async_io::Timer::after".into(),
            "idle: a phone task waiting on a channel receive".into(),
            "the desk's rayon pool is not measured here: see the rayon row".into(),
        ],
    }
}

async fn spawn_join(phone: &LocalExecutor<'_>, n: u64) -> Outcome<Timing> {
    let mut sw = Stopwatch::start();
    for _ in 0..n {
        phone.spawn(async {}).await;
        sw.tick();
    }
    sw.finish()
}

async fn round_trip(phone: &LocalExecutor<'_>, n: u64) -> Outcome<Timing> {
    let (ping, pinged) = async_channel::bounded::<u64>(1);
    let (pong, ponged) = async_channel::bounded::<u64>(1);
    let echo = phone.spawn(async move {
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

async fn idle_memory(phone: &LocalExecutor<'_>, spec: &PrimitivesSpec) -> Outcome<Memory> {
    let (release, gate) = async_channel::bounded::<()>(1);
    let idle = Rc::new(Cell::new(0u64));
    let (warm, measured) = spec.idle_split();
    let mut tasks = Vec::new();
    let mut start = async |n: u64| {
        for _ in 0..n {
            let (gate, idle) = (gate.clone(), Rc::clone(&idle));
            tasks.push(phone.spawn(async move {
                idle.set(idle.get() + 1);
                let _ = gate.recv().await; // until the sender is dropped
            }));
        }
        while idle.get() < tasks.len() as u64 {
            yield_now().await; // let them run up to their wait
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
