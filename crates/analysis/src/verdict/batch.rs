//! The verdict on a batch day (`month-end`: every appointment check due at the opening, no
//! calls): does a second core help a CPU-heavy batch (from the planned second-core claims on
//! each run's makespan), interleaving not applicable (there is no call to interleave with),
//! the best cell described by its lowest median makespan, and — a description, never a claim
//! — each arrangement's speedup (median makespan on 1 core over the most cores) beside what
//! this machine's cores give at most (`env.json`'s `core_limit.speedup`): an arrangement
//! "reaches the limit" at [`REACHES_LIMIT`] of it or more.

use super::{Answer, Call, Verdict, answer_from, of};
use crate::claims::{Claims, Outcome};
use crate::findings::cores_text;
use lab::format::{format_factor, format_rate, format_us};
use lab::plan::claims::Question;
use lab::row::Row;
use workload::Scenario;
use workload::arrangement::Workers;

/// The share of the machine's limit at which an arrangement's speedup "reaches" it.
pub const REACHES_LIMIT: f64 = 0.9;

/// A row of a batch day: no call offered, and a makespan measured.
#[must_use]
pub fn is_batch_row(r: &Row) -> bool {
    r.offered_calls == 0 && r.figures.makespan_us.is_some()
}

/// One scenario's rows are a batch day: no call offered in any, and a makespan in some (a
/// failed run has none). The one test of it, for the verdict, the tables and the pictures.
#[must_use]
pub fn is_batch_day(rows: &[&Row]) -> bool {
    rows.iter().all(|r| r.offered_calls == 0) && rows.iter().any(|r| is_batch_row(r))
}

/// A batch row that measured something usable: a verified status and a makespan.
#[must_use]
pub fn measured(r: &Row) -> bool {
    is_batch_row(r) && !r.status.is_failure()
}

/// The row's median makespan, µs (infinite where it has none: last in a ranking).
fn makespan(r: &Row) -> f64 {
    r.figures.makespan_us.unwrap_or(f64::INFINITY)
}

/// `rayon, 2 cores: makespan 262 ms, 191 checks/s`.
fn cell(r: &Row) -> String {
    format!(
        "{}, {}: makespan {}, {} checks/s",
        r.strategy,
        cores_text(r.cores),
        format_us(makespan(r)),
        r.figures
            .checks_per_s
            .map_or_else(|| "–".to_owned(), format_rate)
    )
}

/// What `cores` cores give at most on this machine, from the results' `env.json`
/// (`core_limit.speedup["<cores>"]`); `None` where it was not measured.
#[must_use]
pub fn core_limit(env: &serde_json::Value, cores: usize) -> Option<f64> {
    env.get("core_limit")?
        .get("speedup")?
        .get(cores.to_string())?
        .as_f64()
        .filter(|l| l.is_finite() && *l > 0.0)
}

/// One arrangement's speedup on a batch day: its median makespan on 1 core over that on its
/// most cores, beside the machine's limit there.
#[derive(Clone, Debug, PartialEq)]
pub struct Speedup {
    pub strategy: String,
    /// The most cores it ran on.
    pub cores: usize,
    pub speedup: f64,
    /// What those cores give at most here (`None`: not measured).
    pub limit: Option<f64>,
}

impl Speedup {
    /// Whether the speedup is at least [`REACHES_LIMIT`] of the limit (`None`: no limit).
    #[must_use]
    pub fn reaches_limit(&self) -> Option<bool> {
        self.limit.map(|l| self.speedup >= REACHES_LIMIT * l)
    }
}

/// Each strategy's speedup (first-seen order) where it ran on 1 core and on more.
#[must_use]
pub fn speedups(plain: &[&Row], env: &serde_json::Value) -> Vec<Speedup> {
    let mut out: Vec<Speedup> = Vec::new();
    for r in plain {
        if out.iter().any(|s| s.strategy == r.strategy) {
            continue;
        }
        let mine = plain.iter().filter(|x| x.strategy == r.strategy);
        let one = mine.clone().find(|x| x.cores == 1).map(|x| makespan(x));
        let most = mine.max_by_key(|x| x.cores).filter(|x| x.cores > 1);
        if let (Some(one), Some(most)) = (one, most) {
            let speedup = one / makespan(most);
            if speedup.is_finite() && speedup > 0.0 {
                out.push(Speedup {
                    strategy: r.strategy.clone(),
                    cores: most.cores,
                    speedup,
                    limit: core_limit(env, most.cores),
                });
            }
        }
    }
    out
}

/// The speedups in words, and which arrangements reach the machine's limit.
fn speedups_text(speedups: &[Speedup]) -> String {
    if speedups.is_empty() {
        return "no arrangement ran on 1 core and more: no speedup".to_owned();
    }
    let each: Vec<String> = speedups
        .iter()
        .map(|s| {
            let limit = match (s.limit, s.reaches_limit()) {
                (Some(l), Some(true)) => format!("reaches the limit of {}", format_factor(l)),
                (Some(l), _) => format!("limit {}", format_factor(l)),
                (None, _) => "limit not measured".to_owned(),
            };
            format!(
                "{} {} on {} ({limit})",
                s.strategy,
                format_factor(s.speedup),
                cores_text(s.cores)
            )
        })
        .collect();
    let reach: Vec<&str> = speedups
        .iter()
        .filter(|s| s.reaches_limit() == Some(true))
        .map(|s| s.strategy.as_str())
        .collect();
    let tail = if speedups.iter().all(|s| s.limit.is_none()) {
        "the machine's limit not measured".to_owned()
    } else if reach.is_empty() {
        "none reaches the machine's limit".to_owned()
    } else {
        format!("reach the machine's limit: {}", reach.join(", "))
    };
    format!(
        "speedup, median makespan on 1 core over the most cores (described, not tested): {}; {tail}",
        each.join(", ")
    )
}

/// The purpose — "a second core shortens it only for arrangements that split the work" — from
/// the claims: shown where some arrangement's makespan is claimed lower on more cores and the
/// one-worker control found no difference; not shown where that control found one, or every
/// arrangement's makespan was claimed higher; unclear otherwise.
pub(super) fn purpose(scenario: &str, claims: &Claims) -> Answer {
    let second = of(claims, scenario, Question::SecondCore);
    let control = of(claims, scenario, Question::ControlOneWorker);
    let tested = |c: &&&crate::claims::Claim| c.outcome != Outcome::NotMeasured;
    if !second.iter().any(|c| tested(&c)) || !control.iter().any(|c| tested(&c)) {
        return Answer::new(
            Call::NotMeasured,
            "needs the second-core comparisons and the one-worker control, tested (a full compare)",
        );
    }
    let shorter: Vec<String> = second
        .iter()
        .filter(|c| c.outcome == Outcome::Lower)
        .map(|c| c.comparison.a.strategy.clone())
        .collect();
    let not: Vec<String> = second
        .iter()
        .filter(|c| tested(c) && c.outcome != Outcome::Lower)
        .map(|c| c.comparison.a.strategy.clone())
        .collect();
    let one_worker_same = control.iter().all(|c| !c.outcome.is_claim());
    // Shown: a claim that more cores shortened the batch, and one worker unchanged. Not shown:
    // one worker changed by more cores (so the gain is not the split), or every arrangement's
    // batch claimed longer. Otherwise the runs did not decide it.
    let call = if !shorter.is_empty() && one_worker_same {
        Call::Yes
    } else if !one_worker_same
        || second
            .iter()
            .filter(|c| tested(c))
            .all(|c| c.outcome == Outcome::Higher)
    {
        Call::No
    } else {
        Call::Unclear
    };
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.join(", ")
        }
    };
    Answer::new(
        call,
        format!(
            "more cores shortened the batch for {}; not for {}; one worker on more cores: {}",
            list(&shorter),
            list(&not),
            if one_worker_same {
                "no difference"
            } else {
                "a difference (the control failed)"
            }
        ),
    )
}

/// The essay's sentence for a batch day.
fn why(second: Call, best: Option<&Row>, one_run: bool) -> String {
    let shape = best
        .and_then(|r| r.arrangement)
        .map(|a| {
            let who = match a.workers {
                Workers::One => "one secretary",
                Workers::Cores => "one secretary per core",
                Workers::PerCall => "a secretary per call",
            };
            format!(" (best here: {who}, {})", a.describe())
        })
        .unwrap_or_default();
    let s = match second {
        Call::Yes => {
            "Parallelism, not concurrency: with no calls there is nothing to interleave, and only two secretaries working at the same time — splitting the pile between them — finish the batch sooner."
        }
        Call::No => {
            "No calls, nothing to interleave, and a second core did not finish the batch sooner."
        }
        _ if one_run => "One run per cell: no claim either way (--runs 2 or more gives a verdict).",
        _ => {
            "No calls, nothing to interleave; a second core changes the batch no more than the runs' spread."
        }
    };
    format!("{s}{shape}")
}

/// The verdict on a batch scenario from its measured rows outside sweeps (`plain`, twins left
/// out), the claims and the results' `env.json`.
pub(super) fn verdict(
    scenario: &str,
    preset: Option<Scenario>,
    plain: &[&Row],
    claims: &Claims,
    env: &serde_json::Value,
) -> Verdict {
    let mut second = answer_from(
        &of(claims, scenario, Question::SecondCore),
        "no comparison planned here (not run on 1 core and more, or not a full compare)",
    );
    second
        .text
        .push_str(&format!("; {}", speedups_text(&speedups(plain, env))));
    let best = plain
        .iter()
        .copied()
        .min_by(|a, b| makespan(a).total_cmp(&makespan(b)));
    Verdict {
        scenario: scenario.to_owned(),
        preset,
        runs: plain.iter().map(|r| r.runs).max().unwrap_or(0),
        interleaving: Answer::new(
            Call::NotApplicable,
            "no calls — nothing to interleave the checks with",
        ),
        why: why(second.call, best, plain.iter().all(|r| r.runs < 2)),
        second_core: second,
        best: best.map_or_else(
            || "–".to_owned(),
            |b| super::best_text(b, cell, scenario, claims, "median makespan"),
        ),
        purpose: purpose(scenario, claims),
    }
}
