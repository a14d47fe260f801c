//! Simultaneity, read off the timelines: did two of a strategy's threads work at the same
//! instant on two CPUs? Average cores busy cannot say: at low load (back-office offers ~0.76
//! cores) it stays under one whatever the strategy does. The timeline can: a sweep over its
//! spans' starts and ends finds the instants at which spans of two or more threads on two or
//! more CPUs were open together.
//!
//! A span's start and end are wall-clock instants and its CPU is the one it started on, so a
//! span covers any time its thread spent preempted or migrated: on one CPU two threads' spans
//! can seem to overlap (counted here as not simultaneous, since they share the CPU), and a
//! thread preempted on one CPU while another works on a second still reads as two at once. The
//! share is an upper bound on true parallelism within the window, and zero means none was
//! seen.

use lab::row::TimelineRun;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one timeline run says about two at work at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Simultaneity {
    pub strategy: String,
    pub scenario: String,
    pub cores: usize,
    /// Length of the recorded window, ns.
    pub window_ns: u64,
    /// Share of the window (0..=1) during which spans of two or more distinct threads on two
    /// or more distinct CPUs were open at the same instant.
    pub two_at_once: f64,
    /// Share of the window during which at least one span was open (to compare with).
    pub any_at_work: f64,
    /// The busiest moment: the most distinct CPUs with a span open at once…
    pub busiest_cpus: usize,
    /// …and the most distinct threads with a span open at such a moment.
    pub busiest_threads: usize,
}

impl Simultaneity {
    /// Two threads worked at once on two CPUs at some instant of the window.
    #[must_use]
    pub fn two_ever(&self) -> bool {
        self.two_at_once > 0.0
    }
}

/// Every timeline run's simultaneity, in the runs' order (runs with no span left out).
#[must_use]
pub fn all(timelines: &[TimelineRun]) -> Vec<Simultaneity> {
    timelines.iter().filter_map(of).collect()
}

/// The entry a strategy is judged by: its timeline at its most cores, if that is 2 or more
/// (of several scenarios there, the one with the largest share two at once). `None`: no
/// timeline of `strategy` on two cores or more.
#[must_use]
pub fn at_most_cores<'a>(all: &'a [Simultaneity], strategy: &str) -> Option<&'a Simultaneity> {
    let mine = all.iter().filter(|s| s.strategy == strategy);
    let most = mine.clone().map(|s| s.cores).max()?;
    if most < 2 {
        return None;
    }
    mine.filter(|s| s.cores == most)
        .max_by(|a, b| a.two_at_once.total_cmp(&b.two_at_once))
}

/// One timeline run's simultaneity; `None` when its window is empty or holds no span.
#[must_use]
pub fn of(run: &TimelineRun) -> Option<Simultaneity> {
    let tl = &run.timeline;
    let from = tl.from_us.saturating_mul(1_000);
    let to = tl.from_us.saturating_add(tl.len_us).saturating_mul(1_000);
    // (instant, +1 opens / -1 closes, thread, cpu), each span cut to the window.
    let mut events: Vec<(u64, i32, u32, u32)> = Vec::with_capacity(tl.spans.len() * 2);
    for s in &tl.spans {
        let (a, b) = (s.start_ns.max(from), s.end_ns.min(to));
        if a < b {
            events.push((a, 1, s.thread, s.cpu));
            events.push((b, -1, s.thread, s.cpu));
        }
    }
    if events.is_empty() || to <= from {
        return None;
    }
    events.sort_unstable_by_key(|e| e.0);
    // Open spans per thread and per CPU: a thread (or CPU) counts once however many of its
    // spans are open.
    let mut threads: BTreeMap<u32, u32> = BTreeMap::new();
    let mut cpus: BTreeMap<u32, u32> = BTreeMap::new();
    let bump = |m: &mut BTreeMap<u32, u32>, k: u32, d: i32| {
        let n = m.entry(k).or_insert(0);
        *n = n.saturating_add_signed(d);
        if *n == 0 {
            m.remove(&k);
        }
    };
    let (mut two_ns, mut any_ns) = (0u64, 0u64);
    let mut busiest = (0usize, 0usize); // (cpus, threads)
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        // Every event at this instant first: a span ending where another starts is not open
        // with it.
        while i < events.len() && events[i].0 == t {
            let (_, d, thread, cpu) = events[i];
            bump(&mut threads, thread, d);
            bump(&mut cpus, cpu, d);
            i += 1;
        }
        let Some(&(next, ..)) = events.get(i) else {
            break;
        };
        let len = next - t;
        if !threads.is_empty() {
            any_ns += len;
        }
        if threads.len() >= 2 && cpus.len() >= 2 {
            two_ns += len;
        }
        busiest = busiest.max((cpus.len(), threads.len()));
    }
    let window = to - from;
    Some(Simultaneity {
        strategy: run.strategy.clone(),
        scenario: run.scenario.clone(),
        cores: run.cores,
        window_ns: window,
        two_at_once: two_ns as f64 / window as f64,
        any_at_work: any_ns as f64 / window as f64,
        busiest_cpus: busiest.0,
        busiest_threads: busiest.1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use workload::protocol::Timeline;
    use workload::record::{Doing, Span};

    fn span(thread: u32, cpu: u32, start_us: u64, end_us: u64) -> Span {
        Span {
            thread,
            cpu,
            doing: Doing::Phone,
            id: 0,
            start_ns: start_us * 1_000,
            end_ns: end_us * 1_000,
        }
    }

    fn run(cores: usize, spans: Vec<Span>) -> TimelineRun {
        TimelineRun {
            strategy: "s".into(),
            scenario: "office".into(),
            cores,
            rings_us: vec![],
            dues_us: vec![],
            timeline: Timeline {
                from_us: 0,
                len_us: 1_000_000,
                spans,
            },
            threads: vec![],
        }
    }

    #[test]
    fn two_threads_on_two_cpus_overlapping_at_low_load_are_two_at_once() {
        // 2 % busy: thread 0 works 15 ms, thread 1 works 5 ms inside it on the other CPU.
        let s = of(&run(
            2,
            vec![span(0, 0, 100_000, 115_000), span(1, 1, 105_000, 110_000)],
        ))
        .unwrap();
        assert!((s.any_at_work - 0.015).abs() < 1e-9, "{s:?}");
        assert!((s.two_at_once - 0.005).abs() < 1e-9, "{s:?}");
        assert!(s.two_ever());
        assert_eq!((s.busiest_threads, s.busiest_cpus), (2, 2));
        assert_eq!(s.window_ns, 1_000_000_000);
    }

    #[test]
    fn two_threads_overlapping_on_one_cpu_are_not_two_at_once() {
        let s = of(&run(2, vec![span(0, 3, 100, 300), span(1, 3, 200, 400)])).unwrap();
        assert_eq!(s.two_at_once, 0.0);
        assert!(!s.two_ever());
        assert_eq!((s.busiest_threads, s.busiest_cpus), (2, 1));
        assert!((s.any_at_work - 300e-6).abs() < 1e-12, "{s:?}");
    }

    #[test]
    fn strictly_alternating_spans_are_never_two_at_once() {
        // Each span ends exactly where the next, on the other thread and CPU, starts.
        let spans = (0..10)
            .map(|k| span(k % 2, k % 2, k as u64 * 100, (k as u64 + 1) * 100))
            .collect();
        let s = of(&run(2, spans)).unwrap();
        assert_eq!(s.two_at_once, 0.0);
        assert_eq!((s.busiest_threads, s.busiest_cpus), (1, 1));
        assert!((s.any_at_work - 1e-3).abs() < 1e-12, "{s:?}");
    }

    #[test]
    fn one_threads_overlapping_spans_count_once() {
        // Thread 0 has two spans open on two CPUs: still one thread, so not two at once.
        let s = of(&run(2, vec![span(0, 0, 100, 300), span(0, 1, 200, 400)])).unwrap();
        assert_eq!(s.two_at_once, 0.0);
        assert_eq!(s.busiest_threads, 1);
    }

    #[test]
    fn an_empty_timeline_says_nothing() {
        assert_eq!(of(&run(2, vec![])), None);
        // A span wholly outside the window, or of no length, is not in it either.
        assert_eq!(
            of(&run(
                2,
                vec![span(0, 0, 2_000_000, 2_000_100), span(1, 1, 5, 5)]
            )),
            None
        );
    }

    #[test]
    fn spans_are_cut_to_the_window() {
        let mut r = run(2, vec![span(0, 0, 0, 1_000), span(1, 1, 0, 1_000)]);
        r.timeline.from_us = 500;
        r.timeline.len_us = 1_000;
        let s = of(&r).unwrap();
        assert!((s.two_at_once - 0.5).abs() < 1e-12, "{s:?}");
        assert!((s.any_at_work - 0.5).abs() < 1e-12, "{s:?}");
    }

    #[test]
    fn a_strategy_is_judged_at_its_most_cores() {
        let mut one = of(&run(1, vec![span(0, 0, 0, 10), span(1, 1, 0, 10)])).unwrap();
        assert!(at_most_cores(std::slice::from_ref(&one), "s").is_none());
        let two = of(&run(2, vec![span(0, 0, 0, 10)])).unwrap();
        let v = vec![one.clone(), two.clone()];
        assert_eq!(at_most_cores(&v, "s"), Some(&two));
        assert!(at_most_cores(&v, "other").is_none());
        one.strategy = "other".into();
        assert!(at_most_cores(&[one], "other").is_none());
    }
}
