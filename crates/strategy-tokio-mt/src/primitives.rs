//! What one switch costs for the tokio work-stealing secretaries (`strategy-tokio-mt
//! --primitives`), on tokio's `multi_thread` runtime with `cores` workers as on a day, measured
//! from a task on a worker (as the day's tasks run; `block_on`'s own future runs outside the
//! workers): the unit is a task (`tokio::spawn`), the switch is two tasks passing a message
//! back and forth over tokio's `mpsc` channels, the sleep is `tokio::time::sleep` (a
//! millisecond timer wheel), and an idle task is one waiting on a semaphore.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{Semaphore, mpsc};
use tokio::{runtime, task, time};
use workload::primitives::{
    Memory, SLEEP_1MS, SLEEP_100US, Stopwatch, Timing, per_unit, rss_bytes, sleep_lateness_async,
};
use workload::{Outcome, Primitives, PrimitivesSpec};

/// The primitives of the tokio work-stealing secretaries on `cores` workers.
pub fn primitives(spec: &PrimitivesSpec, cores: usize) -> Primitives {
    let rt = runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .thread_name(crate::WORKER_NAME)
        .enable_time()
        .build()
        .expect("a multi-thread runtime");
    let spec = *spec;
    let measured = rt.block_on(rt.spawn(async move {
        (
            idle_memory(&spec).await,
            spawn_join(spec.spawns).await,
            round_trip(spec.round_trips).await,
            sleep_lateness_async(SLEEP_1MS, spec.sleeps, time::sleep).await,
            sleep_lateness_async(SLEEP_100US, spec.sleeps, time::sleep).await,
        )
    }));
    let (idle_memory, spawn_join, round_trip, sleep_1ms, sleep_100us) = match measured {
        Ok(m) => m,
        Err(e) => {
            let why = format!("the measuring task failed: {e}");
            let timing = || Outcome::Failed(why.clone());
            (
                Outcome::Failed(why.clone()),
                timing(),
                timing(),
                timing(),
                timing(),
            )
        }
    };
    Primitives {
        unit: "tokio task (work-stealing)".into(),
        spawn_join,
        round_trip,
        sleep_1ms,
        sleep_100us,
        idle_memory,
        how: vec![
            format!(
                "tokio multi_thread runtime, {cores} worker{}; measured from a worker's task",
                if cores == 1 { "" } else { "s" }
            ),
            "spawn + join: tokio::spawn then .await the JoinHandle".into(),
            "round trip: two tasks, a message each way over tokio::sync::mpsc (bounded 1)".into(),
            "sleep: tokio::time::sleep (1 ms wheel ticks, deadlines rounded up)".into(),
            "idle: a task waiting on a tokio Semaphore".into(),
        ],
    }
}

async fn spawn_join(n: u64) -> Outcome<Timing> {
    let mut sw = Stopwatch::start();
    for _ in 0..n {
        if tokio::spawn(async {}).await.is_err() {
            return Outcome::Failed("an empty task failed".into());
        }
        sw.tick();
    }
    sw.finish()
}

async fn round_trip(n: u64) -> Outcome<Timing> {
    let (ping, mut pinged) = mpsc::channel::<u64>(1);
    let (pong, mut ponged) = mpsc::channel::<u64>(1);
    let echo = tokio::spawn(async move {
        while let Some(v) = pinged.recv().await {
            if pong.send(v).await.is_err() {
                break;
            }
        }
    });
    let mut sw = Stopwatch::start();
    for i in 0..n {
        if ping.send(i).await.is_err() || ponged.recv().await != Some(i) {
            return Outcome::Failed("the echo task stopped".into());
        }
        sw.tick();
    }
    drop(ping);
    let _ = echo.await;
    sw.finish()
}

async fn idle_memory(spec: &PrimitivesSpec) -> Outcome<Memory> {
    let gate = Arc::new(Semaphore::new(0));
    let idle = Arc::new(AtomicU64::new(0));
    let (warm, measured) = spec.idle_split();
    let mut tasks = Vec::new();
    let mut start = async |n: u64| {
        for _ in 0..n {
            let (gate, idle) = (Arc::clone(&gate), Arc::clone(&idle));
            tasks.push(tokio::spawn(async move {
                idle.fetch_add(1, Ordering::Release);
                let _ = gate.acquire().await; // until the semaphore is closed
            }));
        }
        while idle.load(Ordering::Acquire) < tasks.len() as u64 {
            task::yield_now().await; // let them run up to their wait
        }
    };
    start(warm).await;
    let before = rss_bytes();
    start(measured).await;
    let memory = per_unit(before, rss_bytes(), measured);
    gate.close();
    for t in tasks {
        let _ = t.await;
    }
    memory
}
