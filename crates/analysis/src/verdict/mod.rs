//! The verdict: the essay's questions answered per scenario from the rows (and the capacity
//! searches, where the run made them) — does interleaving help on one core, does a second core
//! help, which arrangement did best here, why in the essay's words, and whether the scenario
//! showed what its purpose says. Computed, never typed; a "yes" or "no" only from the claims
//! ([`crate::claims`]): the plan's comparisons, each an exact test corrected over every one the
//! compare planned. The best cell is described (lowest median), never tested after being picked.
//!
//! The baseline — "the secretary who waits through each call" — is found by declaration (one
//! worker, run to completion), never by name.

use crate::claims::{Claim, Claims, Outcome};
use crate::findings::{cores_text, measured};
use lab::capacity::Capacity;
use lab::format::{format_factor, format_mib, format_rate, format_share, format_us};
use lab::plan::claims::Question;
use lab::row::{Row, Status};
use serde::{Deserialize, Serialize};
use workload::Scenario;
use workload::arrangement::Workers;

/// A verdict's answer to one question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Call {
    Yes,
    No,
    /// The runs' ranges overlap, or a cell has one run: no claim.
    Unclear,
    /// A cell the question needs was not run (or failed).
    NotMeasured,
    /// The question does not arise here (interleaving on a day with no calls).
    NotApplicable,
}

impl Call {
    /// The word a table shows.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Call::Yes => "yes",
            Call::No => "no",
            Call::Unclear => "unclear",
            Call::NotMeasured => "not measured",
            Call::NotApplicable => "not applicable",
        }
    }
}

/// One answer: the call and the figures behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub call: Call,
    pub text: String,
}

impl Answer {
    fn new(call: Call, text: impl Into<String>) -> Answer {
        Answer {
            call,
            text: text.into(),
        }
    }
}

/// The verdict on one scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The scenario's label (`office`, `office-tcp`).
    pub scenario: String,
    /// Its preset, as its rows carry it (`None` for rows read back from an older run).
    #[serde(default)]
    pub preset: Option<Scenario>,
    /// Runs per cell (the most among the scenario's rows: the tested cells').
    pub runs: usize,
    /// Does interleaving help on one core: the best 1-core concurrent arrangement against the
    /// one that waits through each call.
    pub interleaving: Answer,
    /// Does a second core help: the best cell on 2+ cores against the best on 1, and which
    /// arrangement gains most.
    pub second_core: Answer,
    /// The best cell on this machine, by missed share, then p99 over all callers.
    pub best: String,
    /// One line in the essay's words.
    pub why: String,
    /// Whether the run showed what the scenario's purpose says.
    pub purpose: Answer,
}

use lab::plan::claims::is_baseline;

pub mod batch;

/// Missed share, then mean wait over all callers: lower is better. (Describes the best cell;
/// whether it is ahead of another is the claims' to say.)
fn rank_key(r: &Row) -> (f64, f64) {
    (r.figures.missed_share, r.figures.wait_all_us.mean)
}

fn best_of<'a>(rows: impl Iterator<Item = &'a Row>) -> Option<&'a Row> {
    rows.min_by(|a, b| {
        let (ka, kb) = (rank_key(a), rank_key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    })
}

/// `event-loop, 1 core: missed 0.0 %, mean wait of all callers 169 µs`.
fn cell(r: &Row) -> String {
    format!(
        "{}, {}: missed {}, mean wait of all callers {}",
        r.strategy,
        cores_text(r.cores),
        format_share(r.figures.missed_share),
        format_us(r.figures.wait_all_us.mean)
    )
}

/// `threads@2c 240 µs against threads@1c 610 µs (2.54× lower, p = 0.0006 ≤ 0.0010)`: one
/// tested comparison in words.
#[must_use]
pub fn claim_text(c: &Claim) -> String {
    let med = |v: &[f64]| {
        let mut v = v.to_vec();
        lab::figures::median(&mut v).unwrap_or(f64::NAN)
    };
    let value = |v: f64| {
        if c.comparison.figure.contains("_us") {
            format_us(v)
        } else {
            format_share(v)
        }
    };
    let mut s = format!(
        "{} {} against {} {}",
        c.comparison.b.label(),
        value(med(&c.b_runs)),
        c.comparison.a.label(),
        value(med(&c.a_runs))
    );
    let test = match (c.p, c.threshold) {
        (Some(p), Some(t)) => format!("p = {} vs {}", format_p(p), format_p(t)),
        _ => String::new(),
    };
    let ratio = c.ratio.map(|r| {
        if r < 1.0 {
            format!("{} lower", format_factor(1.0 / r))
        } else {
            format!("{} higher", format_factor(r))
        }
    });
    let detail = match c.outcome {
        Outcome::Lower | Outcome::Higher | Outcome::Withheld | Outcome::Unrepeated => {
            let mut d = ratio.unwrap_or_default();
            if c.outcome == Outcome::Withheld {
                d.push_str(", withheld: a control of this scenario failed");
            }
            if c.outcome == Outcome::Unrepeated {
                d.push_str(", not repeated on the second run");
            }
            format!("{d}, {test}")
        }
        Outcome::NoDifference => format!("no difference by the rule, {test}"),
        Outcome::BothAtCap => "both at the patience cap: not compared".to_owned(),
        Outcome::NotMeasured => "not measured".to_owned(),
    };
    s.push_str(&format!(" ({detail})"));
    s
}

/// A p-value in four significant digits at most: `0.0006`, `0.1`.
#[must_use]
pub fn format_p(p: f64) -> String {
    if p >= 0.01 {
        format!("{p:.3}")
    } else {
        format!("{p:.1e}")
    }
}

/// The answer a question's claims give: yes where one of them found b clearly better, no
/// where every tested one found b clearly worse, else unclear; not measured where none was
/// planned or tested.
fn answer_from(claims: &[&Claim], none: &str) -> Answer {
    let tested: Vec<&&Claim> = claims
        .iter()
        .filter(|c| c.outcome != Outcome::NotMeasured)
        .collect();
    if tested.is_empty() {
        return Answer::new(Call::NotMeasured, none);
    }
    let lower: Vec<&&Claim> = tested
        .iter()
        .copied()
        .filter(|c| c.outcome == Outcome::Lower)
        .collect();
    let call = if !lower.is_empty() {
        Call::Yes
    } else if tested.iter().all(|c| c.outcome == Outcome::Higher) {
        Call::No
    } else {
        Call::Unclear
    };
    // The claims first, then the rest in one list.
    let mut parts: Vec<String> = tested
        .iter()
        .filter(|c| c.outcome.is_claim() || c.outcome == Outcome::Withheld)
        .map(|c| claim_text(c))
        .collect();
    let rest: Vec<String> = tested
        .iter()
        .filter(|c| !(c.outcome.is_claim() || c.outcome == Outcome::Withheld))
        .map(|c| format!("{} ({})", c.comparison.b.label(), c.outcome.word()))
        .collect();
    if !rest.is_empty() {
        parts.push(format!("no claim for {}", rest.join(", ")));
    }
    Answer::new(call, parts.join("; "))
}

fn of<'a>(claims: &'a Claims, scenario: &str, q: Question) -> Vec<&'a Claim> {
    claims
        .claims
        .iter()
        .filter(|c| c.comparison.scenario == scenario && c.comparison.question == q)
        .collect()
}

fn interleaving(scenario: &str, claims: &Claims) -> Answer {
    answer_from(
        &of(claims, scenario, Question::Interleaving),
        "no comparison planned here (described, not tested; or no baseline and one-worker switching secretary)",
    )
}

fn second_core(
    scenario: &str,
    claims: &Claims,
    capacity: Option<(&str, &Capacity)>,
    best_more: Option<&Row>,
) -> Answer {
    let mut answer = answer_from(
        &of(claims, scenario, Question::SecondCore),
        "no comparison planned here (described, not tested; or not run on 1 core and more)",
    );
    if let Some((scenario, c)) = capacity
        && let Some(sc) = c.scenarios.iter().find(|s| s.scenario == scenario)
    {
        let text = &mut answer.text;
        if let Some(best) = best_more
            && let Some(r) = sc.second_core.iter().find(|r| r.strategy == best.strategy)
            && let (Some(a), Some(b), Some(x)) = (r.capacity_1c, r.capacity_2c, r.ratio)
        {
            text.push_str(&format!(
                "; capacity of {}: {} → {} calls/s ({})",
                best.strategy,
                format_rate(a),
                format_rate(b),
                lab::format::format_speedup_of_limit(x, r.of_limit.limit)
            ));
        }
    }
    answer
}

fn why(
    interleaving: Call,
    second: Call,
    best: Option<&Row>,
    one_core_keeps_up: bool,
    one_run: bool,
) -> String {
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
    let s = match (interleaving, second, one_core_keeps_up) {
        (Call::Yes, Call::Yes, true) => {
            "Concurrency is enough to keep up: one secretary who picks up between chunks of desk work answers every caller; a second secretary at the same time (parallelism) only shortens the waits."
        }
        (Call::Yes, Call::Yes, false) => {
            "Both: switching between phone and desk keeps more callers answered, but on one core even the best falls behind; a second secretary at the same time (parallelism) catches up."
        }
        (Call::Yes, _, _) => {
            "Concurrency is enough: one secretary who picks up between chunks of desk work keeps up; a second secretary at the same time buys nothing clear."
        }
        (_, Call::Yes, _) => {
            "Parallelism, not interleaving: switching between phone and desk does not rescue this day; a second secretary working at the same time does."
        }
        (Call::Unclear, Call::Unclear, _) if one_run => {
            "One run per cell: no claim either way (--runs 2 or more gives a verdict)."
        }
        _ => {
            "Neither interleaving nor a second secretary changes this day beyond the runs' spread."
        }
    };
    format!("{s}{shape}")
}

/// Whether the run showed what the preset's purpose says, with the figure. Over real lines
/// (`office-tcp`) a preset makes the same claim.
fn purpose(preset: Option<Scenario>, plain: &[&Row], scenario: &str, claims: &Claims) -> Answer {
    let Some(sc) = preset else {
        return Answer::new(Call::NotMeasured, "not a preset");
    };
    let yes_no = |b: bool| if b { Call::Yes } else { Call::No };
    match sc {
        Scenario::Office => {
            let one: Vec<&Row> = plain.iter().copied().filter(|r| r.cores == 1).collect();
            let base = one.iter().copied().find(|r| is_baseline(r.arrangement));
            let best = best_of(one.iter().copied().filter(|r| !is_baseline(r.arrangement)));
            match (base, best) {
                (Some(base), Some(best)) => {
                    let shown = best.figures.missed_share <= lab::capacity::MAX_MISSED_SHARE
                        && base.status == Status::Saturated;
                    Answer::new(
                        yes_no(shown),
                        format!(
                            "on 1 core {} missed {}, {} missed {} ({})",
                            best.strategy,
                            format_share(best.figures.missed_share),
                            base.strategy,
                            format_share(base.figures.missed_share),
                            base.status.name()
                        ),
                    )
                }
                _ => Answer::new(
                    Call::NotMeasured,
                    "needs the baseline and a concurrent secretary on 1 core",
                ),
            }
        }
        Scenario::CallCenter => {
            // A worker per call against the leanest other concurrent arrangement, same cores.
            let per_call = plain
                .iter()
                .copied()
                .filter(|r| r.arrangement.is_some_and(|a| a.workers == Workers::PerCall));
            let mut found = None;
            for p in per_call {
                let lean = plain
                    .iter()
                    .copied()
                    .filter(|r| {
                        r.cores == p.cores
                            && r.arrangement.is_some_and(|a| {
                                a.workers != Workers::PerCall && a.is_cooperative()
                            })
                            && r.figures.max_rss_kib > 0.0
                    })
                    .min_by(|a, b| a.figures.max_rss_kib.total_cmp(&b.figures.max_rss_kib));
                if let Some(l) = lean {
                    found = Some((p, l));
                    break;
                }
            }
            match found {
                Some((p, l)) => {
                    let f = p.figures.max_rss_kib / l.figures.max_rss_kib;
                    Answer::new(
                        yes_no(f >= 2.0),
                        format!(
                            "peak memory on {}: {} {}, {} {} ({})",
                            cores_text(p.cores),
                            p.strategy,
                            format_mib(p.figures.max_rss_kib),
                            l.strategy,
                            format_mib(l.figures.max_rss_kib),
                            format_factor(f)
                        ),
                    )
                }
                None => Answer::new(
                    Call::NotMeasured,
                    "needs a worker-per-call and a cooperative secretary on the same cores",
                ),
            }
        }
        Scenario::BackOffice => answer_from(
            &of(claims, scenario, Question::DeskSecondCore),
            "needs a desk split across cores on 1 core and more, tested (a full compare)",
        ),
        Scenario::Switchboard => {
            // A worker per call runs out of threads where a task per call holds every call.
            let per_call = plain
                .iter()
                .copied()
                .find(|r| r.arrangement.is_some_and(|a| a.workers == Workers::PerCall));
            let held = best_of(plain.iter().copied().filter(|r| {
                r.arrangement
                    .is_some_and(|a| a.workers != Workers::PerCall && a.is_cooperative())
                    && r.figures.missed_share <= lab::capacity::MAX_MISSED_SHARE
                    && matches!(r.status, Status::Ok | Status::Invalid)
            }));
            match (per_call, held) {
                (Some(p), Some(h)) => Answer::new(
                    yes_no(p.status == Status::Exhausted),
                    format!(
                        "{} {} ({} of calls missed); {} held every call ({})",
                        p.strategy,
                        p.status.name(),
                        format_share(p.figures.missed_share),
                        h.strategy,
                        cores_text(h.cores)
                    ),
                ),
                _ => Answer::new(
                    Call::NotMeasured,
                    "needs a worker-per-call secretary and a cooperative one that held every call",
                ),
            }
        }
        Scenario::MonthEnd => batch::purpose(scenario, claims),
        Scenario::RushHour => {
            let one: Vec<&Row> = plain.iter().copied().filter(|r| r.cores == 1).collect();
            let behind = one.iter().filter(|r| r.status == Status::Saturated).count();
            let catch_up = best_of(plain.iter().copied().filter(|r| {
                r.cores > 1
                    && r.figures.missed_share <= lab::capacity::MAX_MISSED_SHARE
                    && r.status == Status::Ok
            }));
            if one.is_empty() {
                return Answer::new(Call::NotMeasured, "not run on 1 core");
            }
            let mut text = format!("on 1 core {behind} of {} saturated", one.len());
            match catch_up {
                Some(r) => text.push_str(&format!(
                    "; on more cores {} keeps up ({})",
                    r.strategy,
                    cores_text(r.cores)
                )),
                None => text.push_str("; none keeps up on more cores"),
            }
            Answer::new(yes_no(behind == one.len() && catch_up.is_some()), text)
        }
    }
}

/// The verdict on every scenario of `rows` (first-seen order), from the rows outside sweeps
/// that measured something; `capacity` adds the searched capacities where it covers a
/// scenario.
#[must_use]
pub fn verdicts(rows: &[Row], capacity: Option<&Capacity>, claims: &Claims) -> Vec<Verdict> {
    verdicts_with_env(rows, capacity, claims, &serde_json::Value::Null)
}

/// [`verdicts`], with the results' `env.json` (`env`): a batch day's speedups stand beside
/// what this machine's cores give at most (its `core_limit`).
#[must_use]
pub fn verdicts_with_env(
    rows: &[Row],
    capacity: Option<&Capacity>,
    claims: &Claims,
    env: &serde_json::Value,
) -> Vec<Verdict> {
    let mut scenarios: Vec<&str> = Vec::new();
    for r in rows {
        if r.sweep.is_none() && !scenarios.contains(&r.scenario.as_str()) {
            scenarios.push(&r.scenario);
        }
    }
    scenarios
        .into_iter()
        .map(|scenario| {
            let plain: Vec<&Row> = rows
                .iter()
                .filter(|r| r.scenario == scenario && r.sweep.is_none() && !r.twin)
                .filter(|r| measured(r) || batch::measured(r))
                .collect();
            let preset = plain.first().and_then(|r| r.preset);
            if batch::is_batch_day(&plain) {
                return batch::verdict(scenario, preset, &plain, claims, env);
            }
            let inter = interleaving(scenario, claims);
            let best_more = best_of(plain.iter().copied().filter(|r| r.cores > 1));
            let second = second_core(scenario, claims, capacity.map(|c| (scenario, c)), best_more);
            let best = best_of(plain.iter().copied());
            let one_core_keeps_up = best_of(plain.iter().copied().filter(|r| r.cores == 1))
                .is_some_and(|r| {
                    r.status == Status::Ok
                        && r.figures.missed_share <= lab::capacity::MAX_MISSED_SHARE
                });
            Verdict {
                scenario: scenario.to_owned(),
                preset,
                runs: plain.iter().map(|r| r.runs).max().unwrap_or(0),
                why: why(
                    inter.call,
                    second.call,
                    best,
                    one_core_keeps_up,
                    plain.iter().all(|r| r.runs < 2),
                ),
                best: best.map_or_else(
                    || "–".to_owned(),
                    |b| best_text(b, cell, scenario, claims, "median"),
                ),
                interleaving: inter,
                second_core: second,
                purpose: purpose(preset, &plain, scenario, claims),
            }
        })
        .collect()
}

/// The best cell described: lowest missed share, then lowest median mean wait of all callers
/// (`ranked_by` "median"; a batch day's is "median makespan", `cell` its own description of the
/// row); and the cells the claims rule
/// found it clearly ahead of (only planned comparisons are tested: the best is described, never
/// picked and then tested on the same data).
pub(super) fn best_text(
    b: &Row,
    cell: fn(&Row) -> String,
    scenario: &str,
    claims: &Claims,
    ranked_by: &str,
) -> String {
    let me =
        |c: &lab::plan::claims::CellRef| c.strategy == b.strategy && c.cores == b.cores && !c.twin;
    let ahead: Vec<String> = claims
        .made()
        .filter(|c| c.comparison.scenario == scenario)
        .filter_map(|c| match c.outcome {
            Outcome::Lower if me(&c.comparison.b) => Some(c.comparison.a.label()),
            Outcome::Higher if me(&c.comparison.a) => Some(c.comparison.b.label()),
            _ => None,
        })
        .collect();
    if ahead.is_empty() {
        format!("{} (lowest {ranked_by}; no claim sets it apart)", cell(b))
    } else {
        format!(
            "{} (lowest {ranked_by}; clearly ahead of {})",
            cell(b),
            ahead.join(", ")
        )
    }
}

#[cfg(test)]
pub(crate) mod tests;
