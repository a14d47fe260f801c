//! What one switch costs: the runtime-free half of `strategy-<name> --primitives`. Each strategy
//! crate measures its own runtime's primitives (its `primitives.rs`) — spawn + join of one
//! unit, a round trip between two units, how late `sleep(1 ms)` and `sleep(100 µs)` wake, the
//! memory of one idle unit — with the helpers here, and `strategy_main` prints the
//! [`PrimitivesReport`], one JSON line, which `harness primitives` collects.
//!
//! How the figures are taken: spawn + join and the round trip are timed in batches of
//! [`BATCH`] operations (the cheapest units cost less than reading the clock), the first batch
//! is a warm-up and dropped; p50 and p99 are over the batches' per-operation times, the mean
//! over all timed operations. Each sleep is timed on its own: lateness = time asleep − time
//! asked. Memory is marginal: the resident set (`/proc/self/statm`) after the first fifth of
//! the idle units is subtracted from the one after all of them, and divided by the units in
//! between, so a runtime's start-up, pools and arenas are not charged to a unit.

use serde::{Deserialize, Serialize};
use std::future::Future;
use std::time::{Duration, Instant};

/// Version of the primitives document; bumped on any incompatible change.
pub const PRIMITIVES_VERSION: u32 = 1;

/// Operations per timed batch (spawn + join, round trip).
pub const BATCH: u64 = 50;

/// The two sleeps whose lateness is measured.
pub const SLEEP_1MS: Duration = Duration::from_millis(1);
/// See [`SLEEP_1MS`].
pub const SLEEP_100US: Duration = Duration::from_micros(100);

/// How many of each primitive to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrimitivesSpec {
    /// Units spawned and joined one after another.
    pub spawns: u64,
    /// Round trips between two units.
    pub round_trips: u64,
    /// Sleeps of each length.
    pub sleeps: u64,
    /// Idle units alive at once for the memory figure.
    pub idle_units: u64,
}

impl Default for PrimitivesSpec {
    /// Sized so that all ten strategies take well under a minute on two cores.
    fn default() -> Self {
        PrimitivesSpec {
            spawns: 10_000,
            round_trips: 10_000,
            sleeps: 500,
            idle_units: 10_000,
        }
    }
}

impl PrimitivesSpec {
    /// A tenth of each count (at least two batches, ten sleeps, 100 idle units), for tests and
    /// a quick look.
    #[must_use]
    pub fn quick(self) -> Self {
        PrimitivesSpec {
            spawns: (self.spawns / 10).max(2 * BATCH),
            round_trips: (self.round_trips / 10).max(2 * BATCH),
            sleeps: (self.sleeps / 10).max(10),
            idle_units: (self.idle_units / 10).max(100),
        }
    }

    /// The idle units started before the first reading of the resident set, and those started
    /// between the two readings (the ones the figure is divided by).
    #[must_use]
    pub fn idle_split(&self) -> (u64, u64) {
        let warm = self.idle_units / 5;
        (warm, self.idle_units - warm)
    }

    /// Checks the counts (one line naming the problem).
    pub fn validate(&self) -> Result<(), String> {
        let checks = [
            ("spawns", self.spawns, 2 * BATCH),
            ("round_trips", self.round_trips, 2 * BATCH),
            ("sleeps", self.sleeps, 1),
            ("idle_units", self.idle_units, 5),
        ];
        for (name, v, min) in checks {
            if v < min {
                return Err(format!("invalid {name} {v}: must be at least {min}"));
            }
        }
        Ok(())
    }
}

/// One primitive's figure, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome<T> {
    /// Measured.
    Measured(T),
    /// The arrangement has no such thing (e.g. spawning, for the sequential secretary).
    NotApplicable(String),
    /// It exists but the measurement failed (e.g. out of threads).
    Failed(String),
}

impl<T> Outcome<T> {
    /// The figure, if measured.
    pub fn measured(&self) -> Option<&T> {
        match self {
            Outcome::Measured(t) => Some(t),
            _ => None,
        }
    }
}

/// Times of one primitive, ns.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Operations timed.
    pub n: u64,
    /// Median (of batches, or of single sleeps).
    pub p50_ns: f64,
    /// 99th percentile (idem).
    pub p99_ns: f64,
    /// Mean over every operation timed.
    pub mean_ns: f64,
}

/// Resident memory of one idle unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    /// Units started between the two readings.
    pub units: u64,
    /// Resident set growth per unit, bytes (can be slightly negative when the allocator
    /// returned memory between the readings).
    pub bytes_per_unit: f64,
    /// Resident set at the first reading, KiB.
    pub rss_before_kib: u64,
    /// Resident set at the second reading, KiB.
    pub rss_after_kib: u64,
}

/// What a strategy crate's `primitives` function measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Primitives {
    /// What one unit of concurrency is here, in words ("OS thread", "tokio task", ...).
    pub unit: String,
    /// Spawn one unit and wait for it to finish.
    pub spawn_join: Outcome<Timing>,
    /// A message from one unit to another and back (two switches).
    pub round_trip: Outcome<Timing>,
    /// Lateness of the runtime's `sleep(1 ms)`.
    pub sleep_1ms: Outcome<Timing>,
    /// Lateness of the runtime's `sleep(100 µs)`.
    pub sleep_100us: Outcome<Timing>,
    /// Resident memory per idle unit.
    pub idle_memory: Outcome<Memory>,
    /// How each figure was taken, in the crate's words.
    pub how: Vec<String>,
}

/// The signature of every strategy crate's primitives function (`cores`: as for a day).
pub type PrimitivesFn = fn(&PrimitivesSpec, usize) -> Primitives;

/// The document `strategy-<name> --primitives` writes to stdout (one line).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrimitivesReport {
    /// [`PRIMITIVES_VERSION`].
    pub protocol: u32,
    /// Strategy name.
    pub strategy: String,
    /// Cores it was told to use.
    pub cores: usize,
    /// The counts it ran.
    pub spec: PrimitivesSpec,
    /// The process's timer slack, ns (set to 1 ns as for a day).
    pub timer_slack_ns: Option<u64>,
    /// The figures.
    #[serde(flatten)]
    pub primitives: Primitives,
}

impl PrimitivesReport {
    /// Reads a report, checking its version.
    pub fn parse(text: &str) -> Result<PrimitivesReport, String> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        match v.get("protocol").and_then(serde_json::Value::as_u64) {
            Some(p) if p == u64::from(PRIMITIVES_VERSION) => {}
            Some(p) => {
                return Err(format!(
                    "primitives protocol {p}, expected {PRIMITIVES_VERSION}"
                ));
            }
            None => return Err("not a primitives report: no protocol field".into()),
        }
        serde_json::from_value(v).map_err(|e| format!("not a primitives report: {e}"))
    }
}

/// p50, p99 (nearest rank) and mean of `samples` (sorted here).
fn timing(mut samples: Vec<f64>, n: u64, mean_ns: f64) -> Outcome<Timing> {
    if samples.is_empty() {
        return Outcome::Failed("no samples".into());
    }
    samples.sort_by(f64::total_cmp);
    let rank =
        |q: f64| samples[((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    Outcome::Measured(Timing {
        n,
        p50_ns: rank(0.5),
        p99_ns: rank(0.99),
        mean_ns,
    })
}

/// Times a loop of operations in batches of [`BATCH`]: call [`Stopwatch::tick`] after each
/// operation (in sync or async code alike), [`Stopwatch::finish`] at the end. The first batch
/// is a warm-up and not counted.
#[derive(Debug)]
pub struct Stopwatch {
    ops_in_batch: u64,
    batches: u64,
    since: Instant,
    per_op_ns: Vec<f64>,
}

impl Stopwatch {
    /// Starts timing now.
    #[must_use]
    pub fn start() -> Stopwatch {
        Stopwatch {
            ops_in_batch: 0,
            batches: 0,
            since: Instant::now(),
            per_op_ns: Vec::new(),
        }
    }

    /// One operation done.
    #[inline]
    pub fn tick(&mut self) {
        self.ops_in_batch += 1;
        if self.ops_in_batch == BATCH {
            let now = Instant::now();
            if self.batches > 0 {
                let ns = now.duration_since(self.since).as_nanos() as f64;
                self.per_op_ns.push(ns / BATCH as f64);
            }
            self.batches += 1;
            self.ops_in_batch = 0;
            self.since = now;
        }
    }

    /// The timing of the full batches after the first.
    #[must_use]
    pub fn finish(self) -> Outcome<Timing> {
        let n = self.per_op_ns.len() as u64 * BATCH;
        let mean = self.per_op_ns.iter().sum::<f64>() / self.per_op_ns.len().max(1) as f64;
        timing(self.per_op_ns, n, mean)
    }
}

/// Lateness of single sleeps: [`Lateness::woke`] after each.
#[derive(Debug)]
pub struct Lateness {
    asked: Duration,
    late_ns: Vec<f64>,
}

impl Lateness {
    /// For sleeps of `asked`.
    #[must_use]
    pub fn new(asked: Duration) -> Lateness {
        Lateness {
            asked,
            late_ns: Vec::new(),
        }
    }

    /// A sleep that began at `fell_asleep` has just returned.
    pub fn woke(&mut self, fell_asleep: Instant) {
        let slept = fell_asleep.elapsed().as_nanos() as f64;
        self.late_ns.push(slept - self.asked.as_nanos() as f64);
    }

    /// The lateness figures.
    #[must_use]
    pub fn finish(self) -> Outcome<Timing> {
        let n = self.late_ns.len() as u64;
        let mean = self.late_ns.iter().sum::<f64>() / n.max(1) as f64;
        timing(self.late_ns, n, mean)
    }
}

/// Lateness of `n` sleeps of `asked` with a blocking `sleep` (`std::thread::sleep`, may's).
pub fn sleep_lateness(asked: Duration, n: u64, mut sleep: impl FnMut(Duration)) -> Outcome<Timing> {
    let mut late = Lateness::new(asked);
    for _ in 0..n {
        let t = Instant::now();
        sleep(asked);
        late.woke(t);
    }
    late.finish()
}

/// Lateness of `n` sleeps of `asked` with an async runtime's `sleep`
/// (`sleep_lateness_async(SLEEP_1MS, n, tokio::time::sleep).await`).
pub async fn sleep_lateness_async<F, S>(asked: Duration, n: u64, mut sleep: S) -> Outcome<Timing>
where
    S: FnMut(Duration) -> F,
    F: Future<Output = ()>,
{
    let mut late = Lateness::new(asked);
    for _ in 0..n {
        let t = Instant::now();
        sleep(asked).await;
        late.woke(t);
    }
    late.finish()
}

/// Gives the executor a turn: pending once (waking itself at once), ready the next time; for
/// a runtime without a `yield_now` of its own at hand (std only, no runtime).
pub fn yield_now() -> impl Future<Output = ()> {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
}

/// This process's resident set, bytes (`/proc/self/statm`; `None` where unreadable).
#[must_use]
pub fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf reads a configuration value and touches no memory of ours.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok().filter(|&p| p > 0)?)
}

/// The memory figure from the two readings around `units` idle units.
#[must_use]
pub fn per_unit(before: Option<u64>, after: Option<u64>, units: u64) -> Outcome<Memory> {
    match (before, after) {
        (Some(b), Some(a)) if units > 0 => Outcome::Measured(Memory {
            units,
            bytes_per_unit: (a as f64 - b as f64) / units as f64,
            rss_before_kib: b / 1024,
            rss_after_kib: a / 1024,
        }),
        _ => Outcome::Failed("cannot read /proc/self/statm".into()),
    }
}

/// Blocks until `count` has reached `n` (idle units count themselves in), polling every
/// 100 µs; `false` after `timeout`.
pub fn wait_for_count(count: &std::sync::atomic::AtomicU64, n: u64, timeout: Duration) -> bool {
    let start = Instant::now();
    while count.load(std::sync::atomic::Ordering::Acquire) < n {
        if start.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwatch_drops_the_warm_up_batch_and_counts_whole_batches() {
        let mut sw = Stopwatch::start();
        for _ in 0..(3 * BATCH + 7) {
            std::hint::black_box(0);
            sw.tick();
        }
        let t = sw.finish().measured().copied().expect("measured");
        assert_eq!(t.n, 2 * BATCH);
        assert!(t.p50_ns >= 0.0 && t.p99_ns >= t.p50_ns);
    }

    #[test]
    fn blocking_sleeps_are_late_not_early() {
        let t = sleep_lateness(SLEEP_100US, 5, std::thread::sleep);
        let t = t.measured().copied().expect("measured");
        assert_eq!(t.n, 5);
        assert!(t.p50_ns >= 0.0, "{t:?}");
    }

    #[test]
    fn memory_is_the_growth_per_unit() {
        let m = per_unit(Some(1 << 20), Some((1 << 20) + 4096 * 10), 20);
        assert_eq!(m.measured().map(|m| m.bytes_per_unit), Some(2048.0));
        assert!(matches!(per_unit(None, Some(1), 1), Outcome::Failed(_)));
        let before = rss_bytes().expect("statm");
        let hoard = vec![1u8; 8 << 20];
        let after = rss_bytes().expect("statm");
        std::hint::black_box(&hoard);
        assert!(after >= before + (4 << 20), "{before} → {after}");
    }

    #[test]
    fn the_report_is_one_json_line_that_parses_back() {
        let report = PrimitivesReport {
            protocol: PRIMITIVES_VERSION,
            strategy: "x".into(),
            cores: 1,
            spec: PrimitivesSpec::default(),
            timer_slack_ns: Some(1),
            primitives: Primitives {
                unit: "none".into(),
                spawn_join: Outcome::NotApplicable("nothing to spawn".into()),
                round_trip: Outcome::Failed("out of threads".into()),
                sleep_1ms: sleep_lateness(SLEEP_1MS, 2, std::thread::sleep),
                sleep_100us: Outcome::Measured(Timing {
                    n: 1,
                    p50_ns: 1.0,
                    p99_ns: 2.0,
                    mean_ns: 1.5,
                }),
                idle_memory: per_unit(Some(0), Some(4096), 2),
                how: vec!["by hand".into()],
            },
        };
        let line = serde_json::to_string(&report).expect("serialises");
        assert!(!line.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(v["spawn_join"]["not_applicable"], "nothing to spawn");
        assert_eq!(v["idle_memory"]["measured"]["bytes_per_unit"], 2048.0);
        assert_eq!(PrimitivesReport::parse(&line), Ok(report));
        let other = line.replacen("\"protocol\":1", "\"protocol\":9", 1);
        assert!(
            PrimitivesReport::parse(&other)
                .unwrap_err()
                .contains("protocol 9")
        );
        assert!(PrimitivesReport::parse("garbage").is_err());
    }

    #[test]
    fn bad_counts_are_refused_and_quick_is_smaller() {
        assert!(PrimitivesSpec::default().validate().is_ok());
        let q = PrimitivesSpec::default().quick();
        assert!(q.validate().is_ok() && q.spawns < PrimitivesSpec::default().spawns);
        let bad = PrimitivesSpec {
            sleeps: 0,
            ..PrimitivesSpec::default()
        };
        assert!(bad.validate().unwrap_err().contains("sleeps"));
        assert_eq!(PrimitivesSpec::default().idle_split(), (2_000, 8_000));
    }
}
