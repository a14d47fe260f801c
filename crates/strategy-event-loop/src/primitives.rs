//! What one switch costs for the event-loop secretary (`strategy-event-loop --primitives`):
//! no runtime, so the primitives are the loop's own parts. A unit is a state machine on the
//! to-do list (a `VecDeque`, as the phone's steps); spawning is pushing one and joining is the
//! loop running it to its end; a round trip is two machines each pushing the other's next step;
//! the sleep is a deadline in the crate's heap of `Deadline`s, the loop sleeping until the
//! earliest with `std::thread::sleep` (as `Logbook::wait_until` does); an idle unit is a
//! `Deadline` waiting in the heap, as a talking caller waits on a day. Everything runs on the
//! calling thread.

use crate::agenda::{Deadline, Wake};
use std::collections::{BinaryHeap, VecDeque};
use std::hint::black_box;
use std::time::{Duration, Instant};
use workload::primitives::{
    Lateness, Memory, SLEEP_1MS, SLEEP_100US, Stopwatch, Timing, per_unit, rss_bytes,
};
use workload::{Outcome, Primitives, PrimitivesSpec};

/// A state machine of the measurements: its next step.
enum Machine {
    /// Does nothing and ends.
    Empty,
    /// One side of a round trip: hands `ball` to the other side.
    Ping { ball: u64 },
    /// The other side: hands it back.
    Pong { ball: u64 },
}

/// One step of `machine`; the step it starts, if any.
fn step(machine: Machine) -> Option<Machine> {
    match machine {
        Machine::Empty => None,
        Machine::Ping { ball } => Some(Machine::Pong {
            ball: black_box(ball),
        }),
        Machine::Pong { ball } => Some(Machine::Ping { ball: ball + 1 }),
    }
}

/// The primitives of the event-loop secretary; `cores` is ignored, as on a day.
pub fn primitives(spec: &PrimitivesSpec, _cores: usize) -> Primitives {
    Primitives {
        unit: "event-loop state machine".into(),
        idle_memory: idle_memory(spec),
        spawn_join: spawn_join(spec.spawns),
        round_trip: round_trip(spec.round_trips),
        sleep_1ms: sleep_lateness(SLEEP_1MS, spec.sleeps),
        sleep_100us: sleep_lateness(SLEEP_100US, spec.sleeps),
        how: vec![
            "spawn + join: push a machine on the to-do list (VecDeque), the loop runs it to its end"
                .into(),
            "round trip: two machines, each step pushing the other's next step".into(),
            "sleep: a Deadline in the heap, std::thread::sleep until the earliest".into(),
            format!(
                "idle: a Deadline in the heap ({} bytes; a talking caller's sheet adds its reply \
                 times on top)",
                size_of::<Deadline>()
            ),
        ],
    }
}

fn spawn_join(n: u64) -> Outcome<Timing> {
    let mut todo = VecDeque::new();
    let mut sw = Stopwatch::start();
    for _ in 0..n {
        todo.push_back(Machine::Empty);
        while let Some(m) = todo.pop_front() {
            todo.extend(step(black_box(m)));
        }
        sw.tick();
    }
    sw.finish()
}

fn round_trip(n: u64) -> Outcome<Timing> {
    let mut todo = VecDeque::from([Machine::Ping { ball: 0 }]);
    let mut sw = Stopwatch::start();
    for _ in 0..n {
        for _ in 0..2 {
            if let Some(m) = todo.pop_front() {
                todo.extend(step(black_box(m)));
            }
        }
        sw.tick();
    }
    sw.finish()
}

fn sleep_lateness(asked: Duration, n: u64) -> Outcome<Timing> {
    let start = Instant::now();
    let ns = |t: Instant| t.duration_since(start).as_nanos() as u64;
    let mut deadlines = BinaryHeap::new();
    let mut late = Lateness::new(asked);
    for i in 0..n as usize {
        let fell_asleep = Instant::now();
        deadlines.push(Deadline {
            at_ns: ns(fell_asleep) + asked.as_nanos() as u64,
            wake: Wake::Ring(i),
        });
        // Nothing else to do: sleep until the earliest deadline, then take it.
        while let Some(d) = deadlines.peek() {
            let now = ns(Instant::now());
            if d.at_ns <= now {
                deadlines.pop();
                break;
            }
            std::thread::sleep(Duration::from_nanos(d.at_ns - now));
        }
        late.woke(fell_asleep);
    }
    late.finish()
}

fn idle_memory(spec: &PrimitivesSpec) -> Outcome<Memory> {
    let (warm, measured) = spec.idle_split();
    let far = u64::MAX / 2; // never due while measured
    let mut deadlines = BinaryHeap::new();
    let mut wait = |from: u64, n: u64| {
        for i in from..from + n {
            deadlines.push(Deadline {
                at_ns: far - i,
                wake: Wake::Ring(i as usize),
            });
        }
    };
    wait(0, warm);
    let before = rss_bytes();
    wait(warm, measured);
    let memory = per_unit(before, rss_bytes(), measured);
    black_box(&deadlines);
    memory
}
