//! The capacity search as a pure function over an evaluator: start at the scenario's own call
//! rate (multiple 1), double while the day keeps up (halve while it does not) until the first
//! change, then bisect that octave `steps` times in log space. Every rate tried is a power of
//! two with a dyadic exponent (1, 2, 2^1.5, 2^1.25, ...), so two searches try the very same
//! rates wherever they overlap (the harness then computes each reference once).
//!
//! The search assumes keeping up is monotone in the rate. A noisy day can break that; the
//! bracket is then still a rate that kept up next to one that did not, with every day tried
//! listed in [`Search::probes`].

use serde::{Deserialize, Serialize};

/// One rate tried: its multiple of the scenario's call rate, whether the day kept up, and
/// whatever the evaluator reported about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe<T> {
    pub multiple: f64,
    pub keeps_up: bool,
    pub detail: T,
}

/// Where a search ended, in multiples of the scenario's call rate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Bracket {
    /// Kept up at `pass`, not at `fail`, the next rate tried above it: the capacity lies in
    /// between.
    Between { pass: f64, fail: f64 },
    /// Did not keep up even at the lowest rate the search may try.
    FailsAtLowest { lowest: f64 },
    /// Kept up even at the highest rate the search may try.
    PassesAtHighest { highest: f64 },
    /// Stopped before the bracket closed (Ctrl-C, or a day that could not be run).
    Unfinished {
        pass: Option<f64>,
        fail: Option<f64>,
    },
}

impl Bracket {
    /// The highest rate that kept up, if any.
    #[must_use]
    pub fn pass(&self) -> Option<f64> {
        match *self {
            Bracket::Between { pass, .. } => Some(pass),
            Bracket::PassesAtHighest { highest } => Some(highest),
            Bracket::FailsAtLowest { .. } => None,
            Bracket::Unfinished { pass, .. } => pass,
        }
    }

    /// The lowest rate above [`Bracket::pass`] that did not keep up, if any.
    #[must_use]
    pub fn fail(&self) -> Option<f64> {
        match *self {
            Bracket::Between { fail, .. } => Some(fail),
            Bracket::FailsAtLowest { lowest } => Some(lowest),
            Bracket::PassesAtHighest { .. } => None,
            Bracket::Unfinished { fail, .. } => fail,
        }
    }
}

/// A finished (or stopped) search: where it ended and every rate it tried, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Search<T> {
    pub bracket: Bracket,
    pub probes: Vec<Probe<T>>,
}

/// Searches for the highest multiple of the call rate that keeps up. `eval(multiple)` runs
/// one day at that multiple and says whether it kept up (`None`: stop here). Multiples stay
/// within the powers of two in `[lowest, highest]`; `steps` bisections after the doubling
/// narrow the bracket to 2^(1/2^steps) (3 steps: 9 %).
pub fn search<T>(
    mut eval: impl FnMut(f64) -> Option<(bool, T)>,
    lowest: f64,
    highest: f64,
    steps: u32,
) -> Search<T> {
    let e_lo = lowest.log2().ceil();
    let e_hi = highest.log2().floor().max(e_lo);
    let mut probes = Vec::new();
    let mut tried = |e: f64| -> Option<bool> {
        let multiple = e.exp2();
        let (keeps_up, detail) = eval(multiple)?;
        probes.push(Probe {
            multiple,
            keeps_up,
            detail,
        });
        Some(keeps_up)
    };
    let (mut pass, mut fail): (Option<f64>, Option<f64>) = (None, None);
    let unfinished = |pass: Option<f64>, fail: Option<f64>| Bracket::Unfinished {
        pass: pass.map(f64::exp2),
        fail: fail.map(f64::exp2),
    };
    // Doubling (or halving) from 1× until the verdict changes or the limit is reached.
    let mut e = 0f64.clamp(e_lo, e_hi);
    let ended = loop {
        match tried(e) {
            None => break Some(unfinished(pass, fail)),
            Some(true) => {
                pass = Some(e);
                if fail.is_some() {
                    break None;
                }
                if e >= e_hi {
                    break Some(Bracket::PassesAtHighest { highest: e.exp2() });
                }
                e += 1.0;
            }
            Some(false) => {
                fail = Some(e);
                if pass.is_some() {
                    break None;
                }
                if e <= e_lo {
                    break Some(Bracket::FailsAtLowest { lowest: e.exp2() });
                }
                e -= 1.0;
            }
        }
    };
    let bracket = match (ended, pass, fail) {
        (Some(b), _, _) => b,
        (None, Some(mut p), Some(mut f)) => {
            let mut stopped = false;
            for _ in 0..steps {
                let mid = (p + f) / 2.0;
                match tried(mid) {
                    None => {
                        stopped = true;
                        break;
                    }
                    Some(true) => p = mid,
                    Some(false) => f = mid,
                }
            }
            if stopped {
                unfinished(Some(p), Some(f))
            } else {
                Bracket::Between {
                    pass: p.exp2(),
                    fail: f.exp2(),
                }
            }
        }
        (None, p, f) => unfinished(p, f),
    };
    Search { bracket, probes }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake day: keeps up at or below `threshold`; the detail is the call count.
    fn fake(threshold: f64) -> impl FnMut(f64) -> Option<(bool, usize)> {
        let mut calls = 0;
        move |m| {
            calls += 1;
            Some((m <= threshold, calls))
        }
    }

    #[test]
    fn finds_a_known_threshold_within_its_bracket() {
        for threshold in [3.3, 1.0, 0.3, 17.0, 1.01, 200.0] {
            for steps in [0, 2, 3] {
                let s = search(fake(threshold), 1.0 / 256.0, 256.0, steps);
                let Bracket::Between { pass, fail } = s.bracket else {
                    panic!("{threshold}: {:?}", s.bracket)
                };
                assert!(
                    pass <= threshold && threshold < fail,
                    "{threshold}: {pass}–{fail}"
                );
                let width = (fail / pass).log2();
                assert!(
                    (width - 0.5f64.powi(steps as i32)).abs() < 1e-12,
                    "bracket of 2^{width} after {steps} steps"
                );
                // Every probe's verdict agrees with the threshold, and the bracket ends are
                // probes that were tried.
                assert!(
                    s.probes
                        .iter()
                        .all(|p| p.keeps_up == (p.multiple <= threshold))
                );
                assert!(s.probes.iter().any(|p| p.multiple == pass && p.keeps_up));
                assert!(s.probes.iter().any(|p| p.multiple == fail && !p.keeps_up));
                assert_eq!(s.probes[0].multiple, 1.0, "starts at the scenario's rate");
            }
        }
    }

    #[test]
    fn fails_even_at_the_lowest_rate() {
        let s = search(fake(0.001), 0.25, 8.0, 3);
        assert_eq!(s.bracket, Bracket::FailsAtLowest { lowest: 0.25 });
        let tried: Vec<f64> = s.probes.iter().map(|p| p.multiple).collect();
        assert_eq!(
            tried,
            [1.0, 0.5, 0.25],
            "halves down to the limit, no bisection"
        );
        assert_eq!((s.bracket.pass(), s.bracket.fail()), (None, Some(0.25)));
    }

    #[test]
    fn passes_at_the_highest_rate() {
        let s = search(fake(1e9), 0.25, 8.0, 3);
        assert_eq!(s.bracket, Bracket::PassesAtHighest { highest: 8.0 });
        assert_eq!(s.probes.len(), 4, "1, 2, 4, 8");
        assert_eq!((s.bracket.pass(), s.bracket.fail()), (Some(8.0), None));
    }

    #[test]
    fn a_stopped_search_keeps_what_it_knew() {
        let mut n = 0;
        let s = search(
            |m| {
                n += 1;
                (n <= 4).then_some((m <= 5.0, ()))
            },
            1.0 / 64.0,
            64.0,
            3,
        );
        // 1, 2, 4 pass, 8 fails, then the first bisection is refused.
        assert_eq!(
            s.bracket,
            Bracket::Unfinished {
                pass: Some(4.0),
                fail: Some(8.0)
            }
        );
        assert_eq!(s.probes.len(), 4);
    }

    #[test]
    fn two_searches_try_the_same_rates_where_they_overlap() {
        let a = search(fake(3.3), 1.0 / 256.0, 256.0, 3);
        let b = search(fake(3.1), 1.0 / 256.0, 256.0, 3);
        let common = a
            .probes
            .iter()
            .filter(|p| b.probes.iter().any(|q| q.multiple == p.multiple))
            .count();
        assert!(common >= 5, "{common}");
    }
}
