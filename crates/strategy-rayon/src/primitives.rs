//! What one switch costs for the rayon secretaries (`strategy-rayon --primitives`), on a pool
//! of `cores` threads as on a day. The unit is a job: spawned in a scope and waited for, from a
//! pool thread. A job cannot wait for another without holding its thread, so a round trip
//! needs two pool threads each blocked on a std channel (a thread switch), and on one core
//! there is none. The sleep is `std::thread::sleep` in a job, as a call listens; an idle unit
//! is a job waiting in the queue for a free thread (all of them held), as a call waits when
//! every secretary is on the phone.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{RwLock, mpsc};
use std::thread;
use std::time::Duration;
use workload::primitives::{
    Memory, SLEEP_1MS, SLEEP_100US, Stopwatch, Timing, per_unit, rss_bytes, sleep_lateness,
    wait_for_count,
};
use workload::{Outcome, Primitives, PrimitivesSpec};

/// The primitives of the rayon secretaries on a pool of `cores` threads.
pub fn primitives(spec: &PrimitivesSpec, cores: usize) -> Primitives {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .thread_name(|i| format!("rayon-{i}"))
        .build()
        .unwrap_or_else(|e| panic!("cannot build a rayon pool of {cores} threads: {e}"));
    let idle_memory = idle_memory(&pool, spec);
    let (spawn_join, sleep_1ms, sleep_100us) = pool.install(|| {
        (
            spawn_join(spec.spawns),
            sleep_lateness(SLEEP_1MS, spec.sleeps, thread::sleep),
            sleep_lateness(SLEEP_100US, spec.sleeps, thread::sleep),
        )
    });
    let round_trip = if cores < 2 {
        Outcome::NotApplicable(
            "a job cannot wait without holding its thread: two jobs passing a message need \
             two pool threads, and a pool on 1 core has one"
                .into(),
        )
    } else {
        round_trip(&pool, spec.round_trips)
    };
    Primitives {
        unit: "rayon job".into(),
        spawn_join,
        round_trip,
        sleep_1ms,
        sleep_100us,
        idle_memory,
        how: vec![
            format!(
                "a pool of {cores} thread{} (as on a day)",
                if cores == 1 { "" } else { "s" }
            ),
            "spawn + join: rayon::scope with one spawn, from a pool thread".into(),
            "round trip: two jobs on two pool threads, a message each way over std mpsc".into(),
            "sleep: std::thread::sleep inside a job".into(),
            "idle: a job queued (in_place_scope spawn) while every pool thread is held".into(),
        ],
    }
}

fn spawn_join(n: u64) -> Outcome<Timing> {
    let mut sw = Stopwatch::start();
    for _ in 0..n {
        rayon::scope(|s| s.spawn(|_| ()));
        sw.tick();
    }
    sw.finish()
}

fn round_trip(pool: &rayon::ThreadPool, n: u64) -> Outcome<Timing> {
    let (ping, pinged) = mpsc::channel::<u64>();
    let (pong, ponged) = mpsc::channel::<u64>();
    pool.scope(move |s| {
        s.spawn(move |_| {
            for v in pinged {
                if pong.send(v).is_err() {
                    break;
                }
            }
        });
        let mut sw = Stopwatch::start();
        for i in 0..n {
            if ping.send(i).is_err() || ponged.recv() != Ok(i) {
                return Outcome::Failed("the echo job stopped".into());
            }
            sw.tick();
        }
        drop(ping);
        sw.finish()
    })
}

fn idle_memory(pool: &rayon::ThreadPool, spec: &PrimitivesSpec) -> Outcome<Memory> {
    let gate = RwLock::new(());
    let (held, ran) = (AtomicU64::new(0), AtomicU64::new(0));
    let (warm, measured) = spec.idle_split();
    let threads = pool.current_num_threads() as u64;
    let (gate, held, ran) = (&gate, &held, &ran);
    let closed = gate
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // The scope ends when every job has run: the gate opens when this closure returns.
    pool.in_place_scope(move |s| {
        let _closed = closed;
        for _ in 0..threads {
            s.spawn(move |_| {
                held.fetch_add(1, Ordering::Release);
                drop(gate.read()); // every pool thread held: the jobs below queue
            });
        }
        if !wait_for_count(held, threads, Duration::from_secs(30)) {
            return Outcome::Failed("the pool threads were not all held within 30 s".into());
        }
        let queue = |n: u64| {
            for _ in 0..n {
                s.spawn(move |_| {
                    ran.fetch_add(1, Ordering::Relaxed);
                });
            }
        };
        queue(warm);
        let before = rss_bytes();
        queue(measured);
        per_unit(before, rss_bytes(), measured)
    })
}
