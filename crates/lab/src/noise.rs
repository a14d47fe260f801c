//! The machine's noise over a compare, for `env.json`'s `noise`: the work unit calibrated on
//! one pinned CPU at the start and again at the end (how much the machine's speed drifted),
//! the CPU time the hypervisor stole meanwhile (`/proc/stat`'s `steal`, summed over CPUs), and
//! how often the harness's children were switched out against their will (`RUSAGE_CHILDREN`'s
//! `ru_nivcsw`). A [`Noise`] is one snapshot of all three; [`Noise::since`] the difference.
//! What the machine cannot tell (no `/proc/stat`) is `null`, never an error.

use crate::runner;
use serde_json::{Value, json};
use std::time::Instant;

/// Ticks of the CPUs' time since boot, summed over CPUs: `steal` and all of them (`user`,
/// `nice`, `system`, `idle`, `iowait`, `irq`, `softirq`, `steal`; guests are inside `user`
/// and `nice` already).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuTicks {
    pub steal: u64,
    pub total: u64,
}

/// The ticks of `/proc/stat`'s text: the per-CPU lines (`cpu0`, `cpu1`, ...) summed, else the
/// all-CPU `cpu` line; `None` where neither has the eight fields up to `steal`.
#[must_use]
pub fn parse_stat(text: &str) -> Option<CpuTicks> {
    let ticks = |line: &str| -> Option<CpuTicks> {
        let fields: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .take(8)
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        (fields.len() == 8).then(|| CpuTicks {
            steal: fields[7],
            total: fields.iter().sum(),
        })
    };
    let is_cpu_n = |l: &&str| {
        l.split_whitespace()
            .next()
            .and_then(|name| name.strip_prefix("cpu"))
            .is_some_and(|n| n.parse::<usize>().is_ok())
    };
    let per_cpu: Vec<CpuTicks> = text
        .lines()
        .filter(is_cpu_n)
        .map(ticks)
        .collect::<Option<_>>()?;
    if !per_cpu.is_empty() {
        return Some(per_cpu.iter().fold(CpuTicks::default(), |a, t| CpuTicks {
            steal: a.steal + t.steal,
            total: a.total + t.total,
        }));
    }
    text.lines()
        .find(|l| l.split_whitespace().next() == Some("cpu"))
        .and_then(ticks)
}

fn read_stat() -> Option<CpuTicks> {
    parse_stat(&std::fs::read_to_string("/proc/stat").ok()?)
}

/// Ticks per second of `/proc/stat` (`USER_HZ`).
fn ticks_per_s() -> Option<f64> {
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    (hz > 0).then_some(hz as f64)
}

/// Involuntary context switches of this process's children that were waited for.
fn children_involuntary() -> Option<u64> {
    // SAFETY: a zeroed rusage is valid; getrusage fills it.
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        (libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) == 0)
            .then(|| u64::try_from(ru.ru_nivcsw).unwrap_or(0))
    }
}

/// The CPU a calibration is pinned to: the first this process may run on.
fn calibration_cpu() -> Option<usize> {
    runner::allowed_cpus().first().copied()
}

/// The work unit's ns calibrated with the calling thread pinned to the first allowed CPU (its
/// affinity restored after), so it is not moved between CPUs while it measures.
#[must_use]
pub fn calibrate_pinned() -> f64 {
    match calibration_cpu() {
        Some(cpu) => runner::pinned(&[cpu], workload::work::calibrate_ns_per_unit),
        None => workload::work::calibrate_ns_per_unit(),
    }
}

/// One snapshot: a pinned calibration, then the machine's steal ticks and the children's
/// involuntary switches so far, and when.
#[derive(Clone, Debug)]
pub struct Noise {
    ns_per_unit: f64,
    cpu: Option<usize>,
    ticks: Option<CpuTicks>,
    involuntary: Option<u64>,
    at: Instant,
}

impl Noise {
    /// Calibrates (~0.1 s, pinned: [`calibrate_pinned`]) and reads the counters.
    #[must_use]
    pub fn take() -> Noise {
        let ns_per_unit = calibrate_pinned();
        Noise {
            ns_per_unit,
            cpu: calibration_cpu(),
            ticks: read_stat(),
            involuntary: children_involuntary(),
            at: Instant::now(),
        }
    }

    /// The snapshot's calibration, ns per work unit.
    #[must_use]
    pub fn ns_per_unit(&self) -> f64 {
        self.ns_per_unit
    }

    /// From `start` to this snapshot, for `env.json`: `calibration_start_ns_per_unit`,
    /// `calibration_end_ns_per_unit`, `calibration_drift` (end / start − 1),
    /// `calibration_cpu`, `steal_s` (CPU-seconds stolen, summed over CPUs), `steal_share`
    /// (steal ticks / all ticks), `children_involuntary_switches`, `wall_s`.
    #[must_use]
    pub fn since(&self, start: &Noise) -> Value {
        let ticks = start.ticks.zip(self.ticks).map(|(a, b)| CpuTicks {
            steal: b.steal.saturating_sub(a.steal),
            total: b.total.saturating_sub(a.total),
        });
        let steal_s = ticks.zip(ticks_per_s()).map(|(t, hz)| t.steal as f64 / hz);
        let steal_share = ticks
            .filter(|t| t.total > 0)
            .map(|t| t.steal as f64 / t.total as f64);
        let drift = self.ns_per_unit / start.ns_per_unit - 1.0;
        json!({
            "calibration_start_ns_per_unit": start.ns_per_unit,
            "calibration_end_ns_per_unit": self.ns_per_unit,
            "calibration_drift": drift.is_finite().then_some(drift),
            "calibration_cpu": start.cpu,
            "steal_s": steal_s,
            "steal_share": steal_share,
            "children_involuntary_switches": start
                .involuntary
                .zip(self.involuntary)
                .map(|(a, b)| b.saturating_sub(a)),
            "wall_s": self.at.duration_since(start.at).as_secs_f64(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT: &str = "\
cpu  4705 356 584 3699 23 0 23 40 12 0
cpu0 1393 280 290 1848 12 0 13 15 6 0
cpu1 3312 76 294 1851 11 0 10 25 6 0
intr 114930548 113199788 3 0 5 263 0 4 [... lots more numbers ...]
ctxt 1990473
btime 1062191376
processes 2915
procs_running 1
procs_blocked 0
";

    #[test]
    fn stat_sums_the_cpus_up_to_steal() {
        let t = parse_stat(STAT).unwrap();
        assert_eq!(t.steal, 40);
        // user + nice + system + idle + iowait + irq + softirq + steal; guests not again.
        assert_eq!(t.total, 4705 + 356 + 584 + 3699 + 23 + 23 + 40);
        // The per-CPU lines sum to the all-CPU line.
        let all = parse_stat(STAT.lines().next().unwrap()).unwrap();
        assert_eq!(all, t);
    }

    #[test]
    fn stat_without_steal_or_cpus_is_none() {
        assert_eq!(parse_stat("cpu  1 2 3 4\ncpu0 1 2 3 4\n"), None);
        assert_eq!(parse_stat("intr 1 2 3\n"), None);
        assert_eq!(parse_stat(""), None);
        assert_eq!(parse_stat("cpu0 1 2 3 4 5 6 7 x\n"), None);
    }

    #[test]
    fn since_takes_the_differences() {
        let start = Noise {
            ns_per_unit: 640.0,
            cpu: Some(0),
            ticks: Some(CpuTicks {
                steal: 10,
                total: 1_000,
            }),
            involuntary: Some(5),
            at: Instant::now(),
        };
        let end = Noise {
            ns_per_unit: 652.0,
            ticks: Some(CpuTicks {
                steal: 30,
                total: 2_000,
            }),
            involuntary: Some(1_239),
            ..start.clone()
        };
        let v = end.since(&start);
        assert_eq!(v["calibration_start_ns_per_unit"], 640.0);
        assert_eq!(v["calibration_end_ns_per_unit"], 652.0);
        let drift = v["calibration_drift"].as_f64().unwrap();
        assert!((drift - 12.0 / 640.0).abs() < 1e-12, "{drift}");
        assert_eq!(v["steal_share"], 0.02);
        assert!(v["steal_s"].as_f64().unwrap() > 0.0);
        assert_eq!(v["children_involuntary_switches"], 1_234);
        assert_eq!(v["calibration_cpu"], 0);
        // No /proc/stat: nulls.
        let blind = Noise {
            ticks: None,
            ..end.clone()
        };
        let v = blind.since(&start);
        assert!(v["steal_s"].is_null() && v["steal_share"].is_null(), "{v}");
    }

    #[test]
    fn a_pinned_calibration_restores_the_affinity() {
        let before = runner::allowed_cpus();
        let inside = runner::pinned(&before[..1], runner::allowed_cpus);
        assert_eq!(inside, before[..1]);
        assert_eq!(runner::allowed_cpus(), before);
        let now = Noise::take();
        assert!(now.ns_per_unit() > 0.0);
        assert_eq!(runner::allowed_cpus(), before);
        let v = Noise::take().since(&now);
        assert!(v["wall_s"].as_f64().unwrap() > 0.0, "{v}");
        assert!(v["calibration_drift"].is_f64(), "{v}");
    }
}
