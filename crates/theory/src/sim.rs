//! Test-only oracle for [`super`]: small deterministic discrete-event simulations of the queue
//! models behind the formulas (seeded Poisson arrivals, known service times), so that every
//! closed form is checked against a queue that was actually run, not against itself.
//!
//! - [`fifo`]: `c` servers, one FIFO queue, several arrival streams (c = 1 is the sequential
//!   secretary's M/G/1, c ≥ 2 the rayon pool's M/G/c);
//! - [`priority`]: one non-preemptive server, calls' CPU steps before desk chunks, either
//!   exactly as Cobham's formula assumes (every class an independent Poisson stream) or shaped
//!   like the workload (replies ready `listen` after the previous step, chunks in a batch per
//!   appointment, periodic or Poisson appointments);
//! - [`relayed_executor`]: a single-threaded FIFO run queue shaped like `strategy-async-std`
//!   (a phone-line task spawns each call task; timers join the queue by a poll budget).
//!
//! Times are in µs, rates per µs. The first [`WARM_UP`] measured customers are discarded.

use std::collections::VecDeque;
use workload::work::mix64;

/// Customers discarded at the start (the queue starts empty).
const WARM_UP: usize = 5_000;

/// SplitMix64: a tiny, seeded, portable generator.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(mix64(seed ^ 0x5EED))
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        (mix64(self.0) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Exponential with the given mean.
    pub fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.uniform()).ln()
    }
}

/// When the customers of one stream arrive.
#[derive(Clone, Copy, Debug)]
pub enum Arrive {
    /// Poisson at this rate per µs (0: never).
    Poisson(f64),
    /// Every `1 / rate` µs, the first after one period.
    Periodic(f64),
}

/// How long one customer of a stream is served.
#[derive(Clone, Copy, Debug)]
pub enum Service {
    /// Always this long.
    Fixed(f64),
    /// Exponential with this mean.
    Exp(f64),
}

/// An arrival stream with its next arrival instant.
struct Stream {
    arrive: Arrive,
    next: f64,
}

impl Stream {
    fn new(arrive: Arrive, rng: &mut Rng) -> Stream {
        let mut s = Stream { arrive, next: 0.0 };
        s.advance(rng);
        s
    }

    fn advance(&mut self, rng: &mut Rng) {
        self.next += match self.arrive {
            Arrive::Poisson(r) if r > 0.0 => rng.exp(1.0 / r),
            Arrive::Periodic(r) if r > 0.0 => 1.0 / r,
            _ => f64::INFINITY,
        };
    }
}

/// `c` servers sharing one FIFO queue, fed by `streams`; runs until `customers` customers of
/// stream 0 have started service. Returns the mean wait of stream 0's customers and of all.
pub fn fifo(c: usize, streams: &[(Arrive, Service)], customers: usize, seed: u64) -> (f64, f64) {
    let mut rng = Rng::new(seed);
    let mut arrivals: Vec<Stream> = streams.iter().map(|s| Stream::new(s.0, &mut rng)).collect();
    let mut free = vec![0.0f64; c]; // when each server is next free
    let (mut n0, mut sum0, mut n_all, mut sum_all) = (0usize, 0.0, 0usize, 0.0);
    while n0 < WARM_UP + customers {
        let (k, t) = arrivals
            .iter()
            .enumerate()
            .map(|(k, s)| (k, s.next))
            .fold((0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
        arrivals[k].advance(&mut rng);
        let (server, at) = free
            .iter()
            .copied()
            .enumerate()
            .fold((0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
        let start = at.max(t);
        free[server] = start
            + match streams[k].1 {
                Service::Fixed(s) => s,
                Service::Exp(m) => rng.exp(m),
            };
        if k == 0 {
            n0 += 1;
        }
        if n0 > WARM_UP {
            n_all += 1;
            sum_all += start - t;
            if k == 0 {
                sum0 += start - t;
            }
        }
    }
    (sum0 / customers as f64, sum_all / n_all as f64)
}

/// One cooperative worker: what it serves and how the work arrives.
#[derive(Clone, Debug)]
pub struct Coop {
    /// Calls per µs (Poisson).
    pub calls: f64,
    /// CPU of the pick-up, µs.
    pub pickup: f64,
    /// Replies per call.
    pub exchanges: u32,
    /// CPU of one reply, µs.
    pub reply: f64,
    /// Caller's talk before each reply, µs (workload-shaped mode only).
    pub listen: f64,
    /// When appointments fall due.
    pub appts: Arrive,
    /// The chunks of one appointment, µs each, run one per turn.
    pub chunks: Vec<f64>,
    /// true: the model exactly as Cobham's formula sees it — pick-ups Poisson at `calls`,
    /// replies an independent Poisson stream at `calls × exchanges`, chunks an independent
    /// Poisson stream at `rate(appts) × chunks.len()` of uniformly drawn sizes from `chunks`.
    /// false: shaped like the workload — each reply ready `listen` after the call's previous
    /// step ends, each appointment a batch of `chunks` served in order.
    pub independent: bool,
}

/// Where a high-priority step comes from.
#[derive(Clone, Copy)]
struct Step {
    ready: f64,
    /// Replies still to come after this step.
    left: u32,
    pickup: bool,
}

/// Non-preemptive priority: at each turn the oldest ready call step, else the next desk chunk
/// (oldest appointment first). Runs until `pickups` pick-ups have started; returns their mean
/// wait (ready → start).
pub fn priority(m: &Coop, pickups: usize, seed: u64) -> f64 {
    let mut rng = Rng::new(seed);
    let appt_rate = match m.appts {
        Arrive::Poisson(r) | Arrive::Periodic(r) => r,
    };
    let n_chunks = m.chunks.len();
    let mut calls = Stream::new(Arrive::Poisson(m.calls), &mut rng);
    // Workload-shaped: appointments; independent: chunks (one per arrival).
    let mut desk = Stream::new(
        if m.independent {
            Arrive::Poisson(appt_rate * n_chunks as f64)
        } else {
            m.appts
        },
        &mut rng,
    );
    // Independent replies (model) — or never.
    let mut replies = Stream::new(
        Arrive::Poisson(if m.independent {
            m.calls * f64::from(m.exchanges)
        } else {
            0.0
        }),
        &mut rng,
    );
    // Workload-shaped replies, ready in completion order (+ constant listen): sorted.
    let mut talking: VecDeque<Step> = VecDeque::new();
    let mut high: VecDeque<Step> = VecDeque::new();
    // Low queue: (chunk index to run next, or a chunk size in independent mode).
    let mut low: VecDeque<(usize, f64)> = VecDeque::new();
    let (mut t, mut n, mut sum) = (0.0f64, 0usize, 0.0f64);
    while n < WARM_UP + pickups {
        // Admit everything ready by `t`, in time order.
        loop {
            let tk = talking.front().map_or(f64::INFINITY, |s| s.ready);
            let next = calls.next.min(desk.next).min(replies.next).min(tk);
            if next > t {
                if high.is_empty() && low.is_empty() {
                    t = next; // idle until the next event
                    continue;
                }
                break;
            }
            if next == calls.next {
                high.push_back(Step {
                    ready: next,
                    left: if m.independent { 0 } else { m.exchanges },
                    pickup: true,
                });
                calls.advance(&mut rng);
            } else if next == tk {
                let s = talking.pop_front().expect("front exists");
                high.push_back(s);
            } else if next == replies.next {
                high.push_back(Step {
                    ready: next,
                    left: 0,
                    pickup: false,
                });
                replies.advance(&mut rng);
            } else {
                if m.independent {
                    let i = ((rng.uniform() * n_chunks as f64) as usize).min(n_chunks - 1);
                    low.push_back((0, m.chunks[i]));
                } else if n_chunks > 0 {
                    low.push_back((0, 0.0));
                }
                desk.advance(&mut rng);
            }
        }
        if let Some(s) = high.pop_front() {
            if s.pickup {
                n += 1;
                if n > WARM_UP {
                    sum += t - s.ready;
                }
            }
            t += if s.pickup { m.pickup } else { m.reply };
            if s.left > 0 {
                talking.push_back(Step {
                    ready: t + m.listen,
                    left: s.left - 1,
                    pickup: false,
                });
            }
        } else if let Some(front) = low.front_mut() {
            if m.independent {
                t += front.1;
                low.pop_front();
            } else {
                t += m.chunks[front.0];
                front.0 += 1;
                if front.0 == n_chunks {
                    low.pop_front();
                }
            }
        }
    }
    sum / pickups as f64
}

/// A single-threaded executor with one FIFO run queue, shaped like `strategy-async-std`: a
/// phone-line task that wakes at each ring and spawns a call task (which joins the back of the
/// queue); call tasks that sleep `listen` between steps; one desk task that works through the
/// appointments in order, yielding (to the back of the queue) between two chunks of a check but
/// not between checks when the next one is already due. Returns the mean pick-up wait.
///
/// Timers (rings, ends of listening, due times) join the queue only when it is empty or after
/// every `budget` polls, as in async-executor's run loop, whose poll counter runs on across
/// idle waits; a task that yields joins the queue at once.
pub fn relayed_executor(m: &Coop, budget: usize, pickups: usize, seed: u64) -> f64 {
    #[derive(Clone, Copy)]
    enum Task {
        Line,
        Desk,
        /// A call task: ring instant, replies left, whether picked up.
        Call(f64, u32, bool),
    }
    assert!(m.calls > 0.0 && !m.chunks.is_empty() && budget > 0);
    let mut rng = Rng::new(seed);
    let mut rings = Stream::new(Arrive::Poisson(m.calls), &mut rng);
    let mut dues = Stream::new(m.appts, &mut rng);
    let mut runq: VecDeque<Task> = VecDeque::new();
    // Timers: the line's (next ring), the desk's (next due, when idle), calls' (sorted).
    let mut line_timer = rings.next;
    let mut desk_timer = dues.next;
    dues.advance(&mut rng);
    let mut desk_chunk: Option<usize> = None; // next chunk of the check in progress
    let mut call_timers: VecDeque<(f64, Task)> = VecDeque::new();
    let mut polls = 0usize;
    let (mut t, mut n, mut sum) = (0.0f64, 0usize, 0.0f64);
    while n < WARM_UP + pickups {
        if runq.is_empty() || polls.is_multiple_of(budget) {
            loop {
                let tc = call_timers.front().map_or(f64::INFINITY, |c| c.0);
                let next = line_timer.min(desk_timer).min(tc);
                if next > t {
                    if runq.is_empty() {
                        t = next; // idle until the next timer
                        continue;
                    }
                    break;
                }
                if next == line_timer {
                    runq.push_back(Task::Line);
                    line_timer = f64::INFINITY;
                } else if next == desk_timer {
                    runq.push_back(Task::Desk);
                    desk_timer = f64::INFINITY;
                } else {
                    let (_, task) = call_timers.pop_front().expect("front exists");
                    runq.push_back(task);
                }
            }
        }
        polls += 1;
        match runq.pop_front().expect("not empty") {
            Task::Line => {
                while rings.next <= t {
                    runq.push_back(Task::Call(rings.next, m.exchanges, false));
                    rings.advance(&mut rng);
                }
                line_timer = rings.next;
            }
            Task::Call(ring, left, picked) => {
                let left = if picked {
                    t += m.reply;
                    left - 1
                } else {
                    n += 1;
                    if n > WARM_UP {
                        sum += t - ring;
                    }
                    t += m.pickup;
                    left
                };
                if left > 0 {
                    call_timers.push_back((t + m.listen, Task::Call(ring, left, true)));
                }
            }
            Task::Desk => loop {
                let i = desk_chunk.unwrap_or(0);
                t += m.chunks[i];
                if i + 1 < m.chunks.len() {
                    desk_chunk = Some(i + 1);
                    runq.push_back(Task::Desk); // yield_now
                    break;
                }
                desk_chunk = None;
                if dues.next <= t {
                    dues.advance(&mut rng); // next check already due: no yield before it
                    continue;
                }
                desk_timer = dues.next;
                dues.advance(&mut rng);
                break;
            },
        }
    }
    sum / pickups as f64
}
