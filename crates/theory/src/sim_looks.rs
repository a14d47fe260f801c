//! Test-only oracle for `cooperative.rs`: one worker that looks at its timers every `budget`
//! polls and whenever it runs out of work, pays `switch` µs per poll, and wakes `delivery` µs
//! late for a ring that finds it asleep — the same assumptions as the closed form, but shaped
//! like the workload (each reply ready `listen` after the call's previous step, every
//! appointment a batch of chunks, periodic or Poisson appointments, the look counter running
//! on across checks as async-executor's does).
//!
//! At a look, everything due by then is admitted: rings and replies into the calls' queue (they
//! go before the desk's remaining chunks), due appointments behind the desk's backlog. A ring
//! is due at its instant when the looks are the worker's own, and `delivery` later when a timer
//! thread delivers it (`own: false`). An idle worker sleeps until its next timer and, for a
//! ring, wakes `delivery` late. Times in µs; the first [`WARM_UP`] pick-ups are discarded.

use super::sim::{Arrive, Coop, Rng};
use std::collections::VecDeque;

/// Pick-ups discarded at the start (the queue starts empty).
const WARM_UP: usize = 5_000;

/// When and how the simulated worker looks at its timers.
#[derive(Clone, Copy, Debug)]
pub struct SimLooks {
    /// Polls between two looks while work stays ready (1: at every yield).
    pub budget: u64,
    /// The looks are the worker's own (a busy worker sees a ring at its next look) or a timer
    /// thread's (every ring is due `delivery` after it rang).
    pub own: bool,
    /// CPU per poll, µs.
    pub switch: f64,
    /// How late a sleeping worker wakes for a ring (own looks), or how late the timer thread
    /// delivers every ring, µs.
    pub delivery: f64,
}

/// A call step waiting for the worker: the ring instant, whether it is the pick-up, and the
/// replies still to come after it.
#[derive(Clone, Copy)]
struct Step {
    ring: f64,
    pickup: bool,
    left: u32,
}

/// Mean pick-up wait (ring → pick-up starts) over `pickups` pick-ups after the warm-up.
pub fn looked(m: &Coop, looks: SimLooks, pickups: usize, seed: u64) -> f64 {
    assert!(m.calls > 0.0 && !m.chunks.is_empty() && looks.budget > 0);
    let mut rng = Rng::new(seed);
    let mut next_ring = rng.exp(1.0 / m.calls);
    let appt_rate = match m.appts {
        Arrive::Poisson(r) | Arrive::Periodic(r) => r,
    };
    let mut next_due = match m.appts {
        Arrive::Poisson(r) => rng.exp(1.0 / r),
        Arrive::Periodic(r) => 1.0 / r,
    };
    let advance_due = |next: &mut f64, rng: &mut Rng| {
        *next += match m.appts {
            Arrive::Poisson(_) => rng.exp(1.0 / appt_rate),
            Arrive::Periodic(_) => 1.0 / appt_rate,
        };
    };
    let late = if looks.own { 0.0 } else { looks.delivery };
    // Replies ready at (instant, step), in ready order: `listen` is constant and steps end in
    // time order, so pushing at the back keeps it sorted.
    let mut talking: VecDeque<(f64, Step)> = VecDeque::new();
    let mut calls: VecDeque<Step> = VecDeque::new();
    let mut checks = 0usize; // appointments admitted and not finished
    let mut chunk = 0usize; // next chunk of the check in progress
    let (mut t, mut polls, mut n, mut sum) = (0.0f64, 0u64, 0usize, 0.0f64);
    let mut look = true;
    while n < WARM_UP + pickups {
        if look {
            loop {
                let reply = talking.front().map_or(f64::INFINITY, |r| r.0);
                let next = (next_ring + late).min(reply).min(next_due);
                if next > t {
                    if calls.is_empty() && checks == 0 {
                        // Asleep until the next timer; a ring wakes the worker `delivery` late.
                        t = (next_ring + looks.delivery).min(reply).min(next_due);
                        continue;
                    }
                    break;
                }
                if next == next_ring + late {
                    calls.push_back(Step {
                        ring: next_ring,
                        pickup: true,
                        left: m.exchanges,
                    });
                    next_ring += rng.exp(1.0 / m.calls);
                } else if next == reply {
                    calls.push_back(talking.pop_front().expect("front exists").1);
                } else {
                    checks += 1;
                    advance_due(&mut next_due, &mut rng);
                }
            }
        }
        polls += 1;
        if let Some(s) = calls.pop_front() {
            if s.pickup {
                n += 1;
                if n > WARM_UP {
                    sum += t - s.ring;
                }
            }
            t += looks.switch + if s.pickup { m.pickup } else { m.reply };
            if s.left > 0 {
                let next = Step {
                    ring: s.ring,
                    pickup: false,
                    left: s.left - 1,
                };
                talking.push_back((t + m.listen, next));
            }
        } else {
            t += looks.switch + m.chunks[chunk];
            chunk += 1;
            if chunk == m.chunks.len() {
                chunk = 0;
                checks -= 1;
            }
        }
        look = polls.is_multiple_of(looks.budget) || (calls.is_empty() && checks == 0);
    }
    sum / pickups as f64
}
