//! What a soak says: per strategy × cores × day, how its days ended, the failures with their
//! seeds and reasons, the run-to-run spread of its p99, and how close the honest real-line
//! days came to the liar rule's line — the rule's measured false-positive rate is the number
//! of honest days it flagged over the days it judged.

use lab::callers_word::LIAR_FLOOR_US;
use lab::row::Status;
use lab::soak::{Soak, SoakDay};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One strategy × cores × day of the soak.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SoakCell {
    pub strategy: String,
    pub cores: usize,
    pub scenario: String,
    pub days: usize,
    /// Status name → days.
    pub statuses: BTreeMap<String, usize>,
    /// Every crashed, timed-out or wrong day: (seed, status, reason).
    pub failures: Vec<(u64, String, String)>,
    /// p99 of every caller's wait over the days, µs: [min, median, max].
    pub wait_all_p99_us: [f64; 3],
    /// Over real lines, the days the liar rule judged (the caller had CPUs of its own).
    pub liar_judged: usize,
    /// Over real lines, the smallest headroom under the liar rule's line among the judged
    /// days, µs (the allowance minus the gap, where the strategy's own p99 was below half the
    /// caller's; negative: flagged). `None`: no judged day came below half.
    pub liar_closest_us: Option<f64>,
}

/// The whole soak, summed up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SoakSummary {
    pub days: usize,
    pub crashed: usize,
    pub timeout: usize,
    pub wrong: usize,
    /// Real-line days the liar rule judged, and how many of them it flagged (every strategy
    /// in the workspace is honest: each flag is a false positive).
    pub liar_judged: usize,
    pub liar_flagged: usize,
    /// The smallest headroom under the liar rule's line over every judged day, µs (see
    /// [`SoakCell::liar_closest_us`]).
    #[serde(default)]
    pub liar_closest_us: Option<f64>,
    /// The largest gap between the caller's pick-up p99 and the strategy's own on a judged
    /// day, µs: how far an honest strategy's own clock and the caller's came apart.
    #[serde(default)]
    pub liar_largest_gap_us: Option<f64>,
    /// The strategies, core counts and days that ran, in the order they first ran.
    #[serde(default)]
    pub strategies: Vec<String>,
    #[serde(default)]
    pub cores: Vec<usize>,
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// The first and last seed run.
    #[serde(default)]
    pub seeds: Option<(u64, u64)>,
    pub cells: Vec<SoakCell>,
}

/// The liar rule's headroom on `day`, µs, where it applies (see [`SoakCell::liar_closest_us`]).
fn liar_headroom_us(day: &SoakDay) -> Option<f64> {
    let own = day.self_pickup_p99_us?;
    let late = day.caller_lateness_p99_us?;
    let theirs = day.pickup_p99_us;
    (own < theirs / 2.0).then_some(LIAR_FLOOR_US + late - (theirs - own))
}

fn judged(day: &SoakDay) -> bool {
    day.caller_shares_cpus == Some(false) && day.self_pickup_p99_us.is_some()
}

fn flagged(day: &SoakDay) -> bool {
    day.status == Status::Wrong
        && day
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("grades itself kindly"))
}

/// [min, median, max] of `v`; zeros when empty.
fn spread(mut v: Vec<f64>) -> [f64; 3] {
    v.sort_by(f64::total_cmp);
    match (v.first(), v.last()) {
        (Some(&lo), Some(&hi)) => [lo, lab::figures::median_sorted(&v), hi],
        _ => [0.0; 3],
    }
}

/// The summary of `soak`, cells in the order their first day ran.
#[must_use]
pub fn summarise(soak: &Soak) -> SoakSummary {
    let keys = lab::select::first_seen(&soak.days, |d| {
        (d.strategy.as_str(), d.cores, d.scenario.as_str())
    });
    let cells: Vec<SoakCell> = keys
        .into_iter()
        .map(|(strategy, cores, scenario)| {
            let mine: Vec<&SoakDay> = soak
                .days
                .iter()
                .filter(|d| d.strategy == strategy && d.cores == cores && d.scenario == scenario)
                .collect();
            let mut statuses = BTreeMap::new();
            for d in &mine {
                *statuses.entry(d.status.name().to_owned()).or_insert(0) += 1;
            }
            let judged_days: Vec<&&SoakDay> = mine.iter().filter(|d| judged(d)).collect();
            SoakCell {
                strategy: strategy.to_owned(),
                cores,
                scenario: scenario.to_owned(),
                days: mine.len(),
                statuses,
                failures: mine
                    .iter()
                    .filter(|d| d.status.is_failure())
                    .map(|d| {
                        (
                            d.seed,
                            d.status.name().to_owned(),
                            d.reason.clone().unwrap_or_default(),
                        )
                    })
                    .collect(),
                wait_all_p99_us: spread(mine.iter().map(|d| d.wait_all_p99_us).collect()),
                liar_judged: judged_days.len(),
                liar_closest_us: judged_days
                    .iter()
                    .filter_map(|d| liar_headroom_us(d))
                    .min_by(f64::total_cmp),
            }
        })
        .collect();
    let count = |s: Status| soak.days.iter().filter(|d| d.status == s).count();
    let judged_days = || soak.days.iter().filter(|d| judged(d));
    let seeds = soak.days.iter().map(|d| d.seed);
    SoakSummary {
        liar_closest_us: judged_days()
            .filter_map(liar_headroom_us)
            .min_by(f64::total_cmp),
        liar_largest_gap_us: judged_days()
            .filter_map(|d| Some(d.pickup_p99_us - d.self_pickup_p99_us?))
            .max_by(f64::total_cmp),
        strategies: lab::select::first_seen(&soak.days, |d| d.strategy.clone()),
        cores: lab::select::first_seen(&soak.days, |d| d.cores),
        scenarios: lab::select::first_seen(&soak.days, |d| d.scenario.clone()),
        seeds: seeds.clone().min().zip(seeds.max()),
        days: soak.days.len(),
        crashed: count(Status::Crashed),
        timeout: count(Status::Timeout),
        wrong: count(Status::Wrong),
        liar_judged: soak.days.iter().filter(|d| judged(d)).count(),
        liar_flagged: soak.days.iter().filter(|d| judged(d) && flagged(d)).count(),
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use workload::Scenario;
    use workload::spec::Lines;

    fn day(strategy: &str, status: Status, own: Option<f64>, shared: Option<bool>) -> SoakDay {
        SoakDay {
            strategy: strategy.into(),
            cores: 1,
            scenario: "office-tcp".into(),
            preset: Scenario::Office,
            lines: Lines::Tcp,
            round: 0,
            seed: 1_000,
            status,
            reason: (status == Status::Wrong).then(|| "grades itself kindly: …".to_owned()),
            missed_share: 0.0,
            wait_all_p99_us: 2_000.0,
            pickup_p99_us: 2_000.0,
            self_pickup_p99_us: own,
            caller_lateness_p99_us: own.map(|_| 100.0),
            caller_shares_cpus: shared,
            wall_s: 1.0,
        }
    }

    fn soak(days: Vec<SoakDay>) -> Soak {
        Soak {
            minutes_planned: 1.0,
            seconds_run: 60.0,
            rounds: 1,
            ns_per_unit: 1_000.0,
            specs: Vec::new(),
            days,
            interrupted: false,
        }
    }

    #[test]
    fn failures_are_counted_and_the_liar_headroom_is_the_closest_judged_day() {
        let s = summarise(&soak(vec![
            // Below half: headroom floor + 100 - (2,000 - 900) µs.
            day("a", Status::Ok, Some(900.0), Some(false)),
            // Above half: not near the line.
            day("a", Status::Ok, Some(1_500.0), Some(false)),
            // Shared CPUs: not judged, however low.
            day("a", Status::Ok, Some(10.0), Some(true)),
            day("b", Status::Wrong, Some(10.0), Some(false)),
            day("b", Status::Crashed, None, None),
        ]));
        assert_eq!((s.days, s.crashed, s.wrong, s.timeout), (5, 1, 1, 0));
        assert_eq!((s.liar_judged, s.liar_flagged), (3, 1));
        let a = &s.cells[0];
        assert_eq!((a.strategy.as_str(), a.days, a.liar_judged), ("a", 3, 2));
        assert_eq!(a.liar_closest_us, Some(LIAR_FLOOR_US + 100.0 - 1_100.0));
        assert_eq!(a.statuses["ok"], 3);
        let b = &s.cells[1];
        assert_eq!(b.failures.len(), 2, "{b:?}");
        assert_eq!(b.liar_closest_us, Some(LIAR_FLOOR_US + 100.0 - 1_990.0));
        // Over the whole soak: the closest judged day, the widest judged gap (shared-CPU days
        // are not judged, so their 1,990 µs gap counts only where judged: b's wrong day).
        assert_eq!(s.liar_closest_us, b.liar_closest_us);
        assert_eq!(s.liar_largest_gap_us, Some(1_990.0));
        assert_eq!(
            (s.strategies.clone(), s.cores.clone(), s.seeds),
            (
                vec!["a".to_owned(), "b".to_owned()],
                vec![1],
                Some((1_000, 1_000))
            )
        );
    }
}
