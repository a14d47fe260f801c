//! Capacity's derived figures, computed once from the searches the lab ran: what the second
//! core buys each strategy (capacity 2c / 1c, with the range its brackets allow), the
//! speedup curve over every core count searched, and the desk speedup (median check on 1 core
//! over 2). The report renders them; nothing else computes them.

use lab::capacity::{Capacity, DeskCheck, Scaling, SecondCore, StrategyCapacity};

/// `capacity` with its derived figures filled in, every scenario.
#[must_use]
pub fn derive(mut capacity: Capacity) -> Capacity {
    for sc in &mut capacity.scenarios {
        sc.second_core = second_core(&sc.searches);
        sc.scaling = scaling(&sc.searches);
        for d in &mut sc.desk {
            d.speedup = desk_speedup(&d.days);
        }
    }
    capacity
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
    }
}
