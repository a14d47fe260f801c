//! Capacity's derived figures, computed once from the searches the lab ran: what the second
//! core buys each strategy (capacity 2c / 1c, with the range its brackets allow), the
//! speedup curve over every core count searched, and the desk speedup (median check on 1 core
//! over 2) — each beside what this machine's cores give at most at the same core count (the
//! `core_limit` of `env.json`: its share of that limit). The report renders them; nothing else
//! computes them.

use lab::capacity::{Bracket, Capacity, DeskCheck, Scaling, SecondCore, StrategyCapacity};
use lab::core_limit::{CoreLimit, OfLimit};

/// `capacity` with its derived figures filled in, every scenario, each speedup beside `limit`
/// (the machine's core limit from the results' `env.json`; `None`: not measured).
#[must_use]
pub fn derive(mut capacity: Capacity, limit: Option<CoreLimit>) -> Capacity {
    let lim = limit.as_ref();
    for sc in &mut capacity.scenarios {
        sc.second_core = second_core(&sc.searches);
        for r in &mut sc.second_core {
            r.of_limit = of_limit(r.ratio, lim, 2);
        }
        sc.scaling = scaling(&sc.searches);
        for s in &mut sc.scaling {
            s.of_limit = s
                .points
                .iter()
                .map(|&(cores, _, ratio)| of_limit(ratio, lim, cores))
                .collect();
        }
        for d in &mut sc.desk {
            d.speedup = desk_speedup(&d.days);
            d.of_limit = of_limit(d.speedup, lim, 2);
        }
    }
    capacity.core_limit = limit;
    capacity
}

/// A speedup on `cores` cores beside the machine's limit there: the limit measured at exactly
/// that core count, and the speedup's share of it.
#[must_use]
pub fn of_limit(speedup: Option<f64>, limit: Option<&CoreLimit>, cores: usize) -> OfLimit {
    let limit = limit
        .and_then(|l| l.at(cores))
        .filter(|l| l.is_finite() && *l > 0.0);
    OfLimit {
        limit,
        share: speedup.zip(limit).map(|(s, l)| s / l),
    }
}

/// What the second core buys each strategy that was searched on 1 and on 2 cores.
#[must_use]
pub fn second_core(searches: &[StrategyCapacity]) -> Vec<SecondCore> {
    let mut out = Vec::new();
    for one in searches.iter().filter(|s| s.cores == 1) {
        let Some(two) = searches
            .iter()
            .find(|s| s.cores == 2 && s.strategy == one.strategy)
        else {
            continue;
        };
        let ratio = |a: Option<f64>, b: Option<f64>| Some(a? / b?);
        out.push(SecondCore {
            strategy: one.strategy.clone(),
            capacity_1c: one.capacity_calls_per_s,
            capacity_2c: two.capacity_calls_per_s,
            ratio: ratio(two.capacity_calls_per_s, one.capacity_calls_per_s),
            ratio_range: [
                ratio(two.capacity_calls_per_s, one.failed_calls_per_s),
                ratio(two.failed_calls_per_s, one.capacity_calls_per_s),
            ],
            of_limit: OfLimit::default(),
        });
    }
    out
}

/// The speedup curve of every strategy searched on more than one core count, in the order
/// the strategies were searched.
#[must_use]
pub fn scaling(searches: &[StrategyCapacity]) -> Vec<Scaling> {
    let mut out: Vec<Scaling> = Vec::new();
    for s in searches {
        if out.iter().any(|x| x.strategy == s.strategy) {
            continue;
        }
        let mut mine: Vec<&StrategyCapacity> = searches
            .iter()
            .filter(|x| x.strategy == s.strategy)
            .collect();
        if mine.len() < 2 {
            continue;
        }
        mine.sort_by_key(|x| x.cores);
        let one = mine
            .iter()
            .find(|x| x.cores == 1)
            .and_then(|x| x.capacity_calls_per_s);
        out.push(Scaling {
            strategy: s.strategy.clone(),
            points: mine
                .iter()
                .map(|x| {
                    let ratio = match (x.capacity_calls_per_s, one) {
                        (Some(c), Some(o)) if o > 0.0 => Some(c / o),
                        _ => None,
                    };
                    (x.cores, x.capacity_calls_per_s, ratio)
                })
                .collect(),
            of_limit: Vec::new(),
            at_least: mine
                .iter()
                .map(|x| matches!(x.bracket, Bracket::PassesAtHighest { .. }))
                .collect(),
        });
    }
    out
}

/// The speedup of 2 cores over 1 from a strategy's desk days.
#[must_use]
pub fn desk_speedup(days: &[DeskCheck]) -> Option<f64> {
    let ok = |c: usize| {
        days.iter()
            .find(|d| d.cores == c && !d.status.is_failure())
            .and_then(|d| d.median_us)
            .filter(|m| *m > 0.0)
    };
    Some(ok(1)? / ok(2)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lab::capacity::search::Bracket;
    use lab::row::Status;

    fn cap(strategy: &str, cores: usize, pass: Option<f64>, fail: Option<f64>) -> StrategyCapacity {
        StrategyCapacity {
            strategy: strategy.into(),
            cores,
            arrangement: None,
            bracket: Bracket::Unfinished { pass, fail },
            capacity_calls_per_s: pass,
            failed_calls_per_s: fail,
            capacity_offered_cores: None,
            decided_by: None,
            failed_row: None,
            failed_why: None,
            probes: Vec::new(),
            theory: None,
        }
    }

    #[test]
    fn the_second_core_ratio_and_what_the_brackets_allow() {
        let v = second_core(&[
            cap("a", 1, Some(100.0), Some(110.0)),
            cap("a", 2, Some(190.0), Some(200.0)),
            cap("b", 1, None, Some(10.0)),
            cap("b", 2, Some(40.0), None),
            cap("c", 1, Some(5.0), None),
        ]);
        assert_eq!(v.len(), 2, "c has no 2-core search");
        assert_eq!(v[0].ratio, Some(1.9));
        assert_eq!(v[0].ratio_range, [Some(190.0 / 110.0), Some(2.0)]);
        assert_eq!((v[1].ratio, v[1].ratio_range), (None, [Some(4.0), None]));
        let day = |cores, median| DeskCheck {
            cores,
            status: Status::Ok,
            why: None,
            checks: 10,
            median_us: Some(median),
            min_us: None,
            max_us: None,
            split_share: None,
        };
        assert_eq!(desk_speedup(&[day(1, 5_000.0), day(2, 2_500.0)]), Some(2.0));
        assert_eq!(desk_speedup(&[day(1, 5_000.0)]), None);
    }

    #[test]
    fn the_speedup_curve_over_one_core() {
        let v = scaling(&[
            cap("a", 4, Some(400.0), None),
            cap("a", 1, Some(100.0), Some(110.0)),
            cap("a", 2, Some(190.0), Some(200.0)),
            cap("b", 1, None, Some(10.0)),
            cap("b", 2, Some(40.0), None),
            cap("c", 1, Some(5.0), None),
        ]);
        assert_eq!(v.len(), 2, "c was searched on one core count only");
        assert_eq!(
            v[0].points,
            vec![
                (1, Some(100.0), Some(1.0)),
                (2, Some(190.0), Some(1.9)),
                (4, Some(400.0), Some(4.0))
            ]
        );
        assert_eq!(v[1].points, vec![(1, None, None), (2, Some(40.0), None)]);
        assert_eq!(v[0].at_least, vec![false, false, false]);
    }

    #[test]
    fn a_search_that_passed_its_highest_rate_is_a_lower_bound() {
        let mut top = cap("a", 16, Some(51_200.0), None);
        top.bracket = Bracket::PassesAtHighest { highest: 51_200.0 };
        let v = scaling(&[
            cap("a", 1, Some(100.0), Some(110.0)),
            cap("a", 2, Some(190.0), Some(200.0)),
            top,
        ]);
        assert_eq!(v[0].at_least, vec![false, false, true]);
        assert_eq!(v[0].points[2], (16, Some(51_200.0), Some(512.0)));
    }

    fn limit() -> CoreLimit {
        CoreLimit {
            method: "test".into(),
            cpus: 4,
            speedup: [(1, 1.0), (2, 1.6), (4, 3.2)].into_iter().collect(),
        }
    }

    #[test]
    fn a_speedup_as_a_share_of_the_machines_limit() {
        let l = limit();
        let x = of_limit(Some(1.2), Some(&l), 2);
        assert_eq!(x.limit, Some(1.6));
        assert!((x.share.unwrap() - 0.75).abs() < 1e-12, "{x:?}");
        // Not measured at 3 cores, nor at all: the speedup stands alone.
        assert_eq!(of_limit(Some(1.2), Some(&l), 3), OfLimit::default());
        assert_eq!(of_limit(Some(1.2), None, 2), OfLimit::default());
        // No speedup: the limit is still known, the share is not.
        let x = of_limit(None, Some(&l), 2);
        assert_eq!((x.limit, x.share), (Some(1.6), None));
    }

    #[test]
    fn derive_puts_every_speedup_beside_the_limit() {
        let day = |cores, median| DeskCheck {
            cores,
            status: Status::Ok,
            why: None,
            checks: 10,
            median_us: Some(median),
            min_us: None,
            max_us: None,
            split_share: None,
        };
        let mut c = lab::fixtures::sample_capacity();
        let sc = &mut c.scenarios[0];
        sc.searches = vec![
            cap("a", 1, Some(100.0), Some(110.0)),
            cap("a", 2, Some(120.0), Some(130.0)),
            cap("a", 4, Some(160.0), None),
        ];
        sc.desk.truncate(1);
        sc.desk[0].days = vec![day(1, 4_000.0), day(2, 2_500.0)];
        let d = derive(c.clone(), Some(limit()));
        let sc = &d.scenarios[0];
        assert_eq!(d.core_limit, Some(limit()));
        let second = &sc.second_core[0].of_limit;
        assert_eq!(second.limit, Some(1.6));
        assert!((second.share.unwrap() - 1.2 / 1.6).abs() < 1e-12);
        let desk = &sc.desk[0].of_limit;
        assert!((desk.share.unwrap() - 1.6 / 1.6).abs() < 1e-12, "{desk:?}");
        let curve = &sc.scaling[0].of_limit;
        assert_eq!(curve.len(), 3);
        assert_eq!(curve[0].share, Some(1.0));
        assert!((curve[2].share.unwrap() - 1.6 / 3.2).abs() < 1e-12);
        // No limit in the env: nothing beside the speedups, which stay.
        let d = derive(c, None);
        let sc = &d.scenarios[0];
        assert_eq!(d.core_limit, None);
        assert_eq!(sc.second_core[0].of_limit, OfLimit::default());
        assert_eq!(sc.second_core[0].ratio, Some(1.2));
        assert!(sc.scaling[0].of_limit.iter().all(|x| x.limit.is_none()));
    }
}
