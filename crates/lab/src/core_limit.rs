//! What N cores of this machine give at most, for `env.json`'s `core_limit`: the work kernel's
//! throughput on N threads pinned to N distinct allowed CPUs at once, over its throughput on 1
//! thread on one CPU. A speedup measured by a strategy (capacity on 2 cores over 1, the desk's
//! check on 1 core over 2) means little until it stands beside this figure: a VM's vCPUs may
//! be hyperthread siblings, or shared with neighbours, and then 2 cores give less than 2×.
//!
//! Each N runs [`BLOCKS`] × [`ROUNDS`] rounds, the blocks of every N interleaved (1, 2, …, 1,
//! 2, …) so that a stretch of noise from the host falls on all of them alike rather than on
//! one; in each round, N threads (each pinned to its own CPU, the first N
//! this process may run on: the CPUs a strategy on N cores gets) wait at a barrier, then each
//! runs a fixed batch of work units (~[`BATCH_MS`] ms on one CPU). A round's wall time runs
//! from the first thread leaving the barrier to the last thread's end; its throughput is
//! N × units / wall. The second-best round of each N counts (as the calibration does: the fast
//! rounds are the machine's own speed, the slow ones its noise; the second rather than the
//! best, so one clock glitch cannot set it). A machine where threads cannot be pinned records
//! no limit (`null` in `env.json`), never an error.

use crate::runner;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};
use workload::work;

/// Rounds per block of one core count.
pub const ROUNDS: usize = 3;
/// Blocks per core count, interleaved with the other counts'; the second-best of all
/// `BLOCKS × ROUNDS` rounds counts.
pub const BLOCKS: usize = 5;
/// Work per thread per round, milliseconds on one CPU.
pub const BATCH_MS: f64 = 20.0;

/// What N cores of this machine give at most: the work kernel's throughput on N pinned threads
/// over its throughput on one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoreLimit {
    /// How it was measured, in words.
    pub method: String,
    /// The CPUs this process was allowed to run on.
    pub cpus: usize,
    /// Cores → throughput on that many pinned threads / on one (1 → 1.0). In JSON the keys are
    /// the core counts as strings: `{"1": 1.0, "2": 1.97}`.
    pub speedup: BTreeMap<usize, f64>,
}

impl CoreLimit {
    /// The limit measured at exactly `cores` cores, if it was.
    #[must_use]
    pub fn at(&self, cores: usize) -> Option<f64> {
        self.speedup.get(&cores).copied()
    }

    /// The limit an `env.json` recorded (its `core_limit`), if any: `None` where the key is
    /// missing (results from before it was measured), `null`, or not of this shape.
    #[must_use]
    pub fn from_env(env: &serde_json::Value) -> Option<CoreLimit> {
        let v = env.get("core_limit").filter(|v| !v.is_null())?;
        serde_json::from_value(v.clone()).ok()
    }
}

/// A speedup beside what this machine's cores give at most at the same core count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OfLimit {
    /// The machine's limit at the speedup's core count (`None`: not measured there).
    pub limit: Option<f64>,
    /// The speedup / the limit (`None` where either is unknown).
    pub share: Option<f64>,
}

/// The core counts measured out of `cpus` allowed: 1, 2, 4, 8, ... below `cpus`, then `cpus`.
#[must_use]
pub fn core_counts(cpus: usize) -> Vec<usize> {
    let mut out: Vec<usize> = std::iter::successors(Some(1usize), |n| n.checked_mul(2))
        .take_while(|&n| n < cpus)
        .collect();
    if cpus >= 1 {
        out.push(cpus);
    }
    out
}

/// The second-smallest of `walls` (the smallest where there is one), `None` where empty.
fn second_best(walls: &mut [Duration]) -> Option<Duration> {
    walls.sort_unstable();
    walls.get(1).or_else(|| walls.first()).copied()
}

/// One thread's part of a measurement: pinned to `cpu` (whether that held), then `ROUNDS`
/// rounds, each started at `barrier`, timed from leaving it to the batch's end.
fn worker(cpu: usize, units: u64, barrier: &Barrier) -> (bool, Vec<(Instant, Instant)>) {
    runner::pinned(&[cpu], || {
        let held = runner::allowed_cpus() == [cpu];
        let _ = work::units(cpu as u64, 0..units / 10); // warm-up on this CPU
        let rounds = (0..ROUNDS as u64)
            .map(|round| {
                barrier.wait();
                let start = Instant::now();
                black_box(work::units(round, 0..units));
                (start, Instant::now())
            })
            .collect();
        (held, rounds)
    })
}

/// The wall times of one block of [`ROUNDS`] rounds on the first `n` of `cpus`, each thread
/// running `units`; `None` where a thread could not be pinned.
fn walls_on(cpus: &[usize], n: usize, units: u64) -> Option<Vec<Duration>> {
    let barrier = Barrier::new(n);
    let parts: Vec<(bool, Vec<(Instant, Instant)>)> = std::thread::scope(|s| {
        let handles: Vec<_> = cpus[..n]
            .iter()
            .map(|&cpu| {
                let barrier = &barrier;
                s.spawn(move || worker(cpu, units, barrier))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or((false, Vec::new())))
            .collect()
    });
    if parts
        .iter()
        .any(|(held, rounds)| !held || rounds.len() != ROUNDS)
    {
        return None;
    }
    Some(
        (0..ROUNDS)
            .map(|r| {
                let start = parts.iter().map(|p| p.1[r].0).min().expect("n ≥ 1");
                let end = parts.iter().map(|p| p.1[r].1).max().expect("n ≥ 1");
                end.duration_since(start)
            })
            .collect(),
    )
}

/// The units one thread runs per round: ~[`BATCH_MS`] ms on `cpu`, from a short timed batch.
fn batch_units(cpu: usize) -> u64 {
    runner::pinned(&[cpu], || {
        let _ = work::units(0, 0..2_000); // warm-up: page in the book
        let probe = 2_000u64;
        let t = Instant::now();
        black_box(work::units(1, 0..probe));
        let ns = t.elapsed().as_nanos().max(1) as f64 / probe as f64;
        ((BATCH_MS * 1e6 / ns) as u64).clamp(2_000, 2_000_000)
    })
}

/// Throughput on N pinned threads over throughput on one, for N in [`core_counts`] of the
/// allowed CPUs (~0.6 s on 2 CPUs: 15 rounds of ~20 ms per core count). `speedup` is empty
/// where a thread could not be pinned to its CPU (or a round took no time).
#[must_use]
pub fn measure() -> CoreLimit {
    let cpus = runner::allowed_cpus();
    let method = format!(
        "work kernel on N threads pinned to the first N allowed CPUs, started together at a \
         barrier, ~{BATCH_MS} ms of units each; throughput N × units / wall (first start to last \
         end), second-best of {BLOCKS} blocks of {ROUNDS} rounds interleaved across N, over the same on 1 \
         thread"
    );
    let mut speedup = BTreeMap::new();
    if let Some(&first) = cpus.first() {
        let units = batch_units(first);
        let counts = core_counts(cpus.len());
        // Every block of every count, interleaved; `None` once a thread could not be pinned.
        let mut walls: Option<Vec<Vec<Duration>>> = Some(vec![Vec::new(); counts.len()]);
        for _ in 0..BLOCKS {
            for (i, &n) in counts.iter().enumerate() {
                walls = walls.and_then(|mut all| {
                    all[i].extend(walls_on(&cpus, n, units)?);
                    Some(all)
                });
            }
        }
        let rates: Option<Vec<f64>> = walls.and_then(|all| {
            counts
                .iter()
                .zip(all)
                .map(|(&n, mut w)| {
                    second_best(&mut w)
                        .filter(|w| !w.is_zero())
                        .map(|w| n as f64 * units as f64 / w.as_secs_f64())
                })
                .collect()
        });
        if let Some(rates) = rates {
            for (&n, r) in counts.iter().zip(&rates) {
                speedup.insert(n, r / rates[0]);
            }
        }
    }
    CoreLimit {
        method,
        cpus: cpus.len(),
        speedup,
    }
}

/// `measure()` for `env.json`: `null` where nothing could be measured.
#[must_use]
pub fn measure_json() -> serde_json::Value {
    let limit = measure();
    if limit.speedup.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::to_value(limit).unwrap_or(serde_json::Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_counts_double_then_take_them_all() {
        assert_eq!(core_counts(0), Vec::<usize>::new());
        assert_eq!(core_counts(1), vec![1]);
        assert_eq!(core_counts(2), vec![1, 2]);
        assert_eq!(core_counts(3), vec![1, 2, 3]);
        assert_eq!(core_counts(8), vec![1, 2, 4, 8]);
        assert_eq!(core_counts(12), vec![1, 2, 4, 8, 12]);
    }

    #[test]
    fn the_second_best_wall() {
        let ms = Duration::from_millis;
        assert_eq!(second_best(&mut [ms(30), ms(10), ms(20)]), Some(ms(20)));
        assert_eq!(second_best(&mut [ms(7)]), Some(ms(7)));
        assert_eq!(second_best(&mut []), None);
    }

    #[test]
    fn json_keys_are_core_counts_and_read_back() {
        let limit = CoreLimit {
            method: "m".into(),
            cpus: 2,
            speedup: BTreeMap::from([(1, 1.0), (2, 1.97)]),
        };
        let v = serde_json::to_value(&limit).unwrap();
        assert_eq!(v["speedup"]["1"], 1.0);
        assert_eq!(v["speedup"]["2"], 1.97);
        assert_eq!(v["cpus"], 2);
        let env = serde_json::json!({ "core_limit": v });
        let back = CoreLimit::from_env(&env).unwrap();
        assert_eq!(back, limit);
        assert_eq!(back.at(2), Some(1.97));
        assert_eq!(back.at(3), None);
        assert_eq!(CoreLimit::from_env(&serde_json::json!({})), None);
        assert_eq!(
            CoreLimit::from_env(&serde_json::json!({ "core_limit": null })),
            None
        );
    }

    #[test]
    fn measured_here_one_is_one_and_none_beyond_the_cpus() {
        let before = runner::allowed_cpus();
        let limit = measure();
        assert_eq!(runner::allowed_cpus(), before, "affinity restored");
        assert_eq!(limit.cpus, before.len());
        if limit.speedup.is_empty() {
            return; // no pinning here: nothing measured, and no error either
        }
        assert_eq!(limit.at(1), Some(1.0));
        let keys: Vec<usize> = limit.speedup.keys().copied().collect();
        assert_eq!(keys, core_counts(before.len()));
        for (&n, &s) in &limit.speedup {
            // Generous: N cores give more than nothing and not much more than N.
            assert!(s > 0.0 && s < n as f64 * 1.5, "{n} cores: {s}");
        }
    }
}
