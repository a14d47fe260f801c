//! The verdict: the essay's questions answered per scenario from the rows (and the capacity
//! searches, where the run made them) — does interleaving help on one core, does a second core
//! help, which arrangement did best here, why in the essay's words, and whether the scenario
//! showed what its purpose says. Computed, never typed; a "yes" or "no" only where it holds
//! across runs (the [`findings::compare`] rule: the runs' ranges do not overlap).
//!
//! The baseline — "the secretary who waits through each call" — is found by declaration (one
//! worker, run to completion), never by name.

use crate::findings::{Diff, compare, cores_text, measured};
use lab::capacity::Capacity;
use lab::format::{format_factor, format_rate, format_share, format_us};
use lab::row::{Row, Status};
use serde::{Deserialize, Serialize};
use workload::arrangement::{Switching, Workers};
use workload::{Arrangement, Scenario};

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
    /// Runs per cell (the fewest among the scenario's rows).
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

/// Whether `a` is the essay's baseline: one worker that runs each job to completion.
fn is_baseline(a: Option<Arrangement>) -> bool {
    a.is_some_and(|a| a.workers == Workers::One && a.switching == Switching::RunToCompletion)
}

/// Missed share, then p99 over all callers: lower is better.
fn rank_key(r: &Row) -> (f64, f64) {
    (r.figures.missed_share, r.figures.wait_all_us.p99)
}

fn best_of<'a>(rows: impl Iterator<Item = &'a Row>) -> Option<&'a Row> {
    rows.min_by(|a, b| {
        let (ka, kb) = (rank_key(a), rank_key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    })
}

/// `event-loop, 1 core: missed 0.0 %, p99 all callers 169 µs`.
fn cell(r: &Row) -> String {
    format!(
        "{}, {}: missed {}, p99 all callers {}",
        r.strategy,
        cores_text(r.cores),
        format_share(r.figures.missed_share),
        format_us(r.figures.wait_all_us.p99)
    )
}

/// Is `a` clearly better than `b` (missed share, else p99 over all callers), clearly worse,
/// or neither across runs?
fn better(a: &Row, b: &Row) -> Diff {
    match compare(a, b, "missed_share") {
        d @ (Diff::Lower | Diff::Higher)
            if (a.figures.missed_share - b.figures.missed_share).abs() > 0.001 =>
        {
            d
        }
        Diff::OneRun => Diff::OneRun,
        _ => compare(a, b, "wait_all_us.p99"),
    }
}

fn call_of(d: Diff) -> Call {
    match d {
        Diff::Lower => Call::Yes,
        Diff::Higher => Call::No,
        Diff::Overlap | Diff::OneRun => Call::Unclear,
    }
}

fn interleaving(plain: &[&Row]) -> Answer {
    let one: Vec<&Row> = plain.iter().copied().filter(|r| r.cores == 1).collect();
    let Some(base) = one.iter().copied().find(|r| is_baseline(r.arrangement)) else {
        return Answer::new(
            Call::NotMeasured,
            "no one-worker run-to-completion secretary on 1 core in this run",
        );
    };
    let Some(best) = best_of(one.iter().copied().filter(|r| !is_baseline(r.arrangement))) else {
        return Answer::new(Call::NotMeasured, "no concurrent secretary on 1 core");
    };
    let d = better(best, base);
    let text = match d {
        Diff::Lower => format!("{} against {}", cell(best), cell(base)),
        Diff::Higher => format!("{}; worse than {}", cell(best), cell(base)),
        Diff::Overlap => format!("{}; ranges overlap with {}", cell(best), cell(base)),
        Diff::OneRun => format!("{} against {} (one run: no claim)", cell(best), cell(base)),
    };
    let call = call_of(d);
    Answer::new(call, text)
}

fn second_core(plain: &[&Row], capacity: Option<(&str, &Capacity)>) -> Answer {
    let one = best_of(plain.iter().copied().filter(|r| r.cores == 1));
    let more = best_of(plain.iter().copied().filter(|r| r.cores > 1));
    let (Some(one), Some(more)) = (one, more) else {
        return Answer::new(Call::NotMeasured, "not run on both 1 core and more");
    };
    let d = better(more, one);
    let call = call_of(d);
    let mut text = format!("best {} against best {}", cell(more), cell(one));
    if d == Diff::OneRun {
        text.push_str(" (one run: no claim)");
    }
    // Who gains most: the largest clear drop of p99 over all callers from 1 core to more.
    let mut gains: Vec<(f64, &Row, &Row)> = Vec::new();
    for a in plain.iter().copied().filter(|r| r.cores == 1) {
        for b in plain
            .iter()
            .copied()
            .filter(|r| r.cores > 1 && r.strategy == a.strategy)
        {
            if better(b, a) == Diff::Lower && b.figures.wait_all_us.p99 > 0.0 {
                gains.push((a.figures.wait_all_us.p99 / b.figures.wait_all_us.p99, a, b));
            }
        }
    }
    gains.sort_by(|x, y| y.0.total_cmp(&x.0));
    match gains.first() {
        Some((f, a, b)) => text.push_str(&format!(
            "; gains most: {} (p99 all callers {} → {}, {} lower)",
            a.strategy,
            format_us(a.figures.wait_all_us.p99),
            format_us(b.figures.wait_all_us.p99),
            format_factor(*f)
        )),
        None => text.push_str("; no arrangement gains clearly"),
    }
    if let Some((scenario, c)) = capacity
        && let Some(sc) = c.scenarios.iter().find(|s| s.scenario == scenario)
    {
        let mut ratios: Vec<_> = sc
            .second_core
            .iter()
            .filter(|r| r.ratio.is_some())
            .collect();
        ratios.sort_by(|a, b| b.ratio.unwrap_or(0.0).total_cmp(&a.ratio.unwrap_or(0.0)));
        let best_name = &more.strategy;
        if let Some(r) = sc.second_core.iter().find(|r| &r.strategy == best_name)
            && let (Some(a), Some(b), Some(x)) = (r.capacity_1c, r.capacity_2c, r.ratio)
        {
            text.push_str(&format!(
                "; capacity of {best_name}: {} → {} calls/s ({})",
                format_rate(a),
                format_rate(b),
                format_factor(x)
            ));
        }
        if let Some(top) = ratios.first()
            && let Some(x) = top.ratio
        {
            text.push_str(&format!(
                "; most capacity gained: {} ({})",
                top.strategy,
                format_factor(x)
            ));
        }
    }
    Answer::new(call, text)
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
fn purpose(preset: Option<Scenario>, plain: &[&Row]) -> Answer {
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
                            "peak memory on {}: {} {:.0} MiB, {} {:.0} MiB ({})",
                            cores_text(p.cores),
                            p.strategy,
                            p.figures.max_rss_kib / 1024.0,
                            l.strategy,
                            l.figures.max_rss_kib / 1024.0,
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
        Scenario::BackOffice => {
            let split = |r: &&Row| {
                r.arrangement
                    .is_some_and(|a| a.desk == workload::arrangement::Desk::SplitAcrossCores)
            };
            let key = "appointment_lateness_us.p99";
            let mut seen = None;
            for a in plain.iter().copied().filter(|r| r.cores == 1).filter(split) {
                for b in plain
                    .iter()
                    .copied()
                    .filter(|r| r.cores > 1 && r.strategy == a.strategy)
                {
                    let d = compare(b, a, key);
                    let text = format!(
                        "{} appointment lateness p99 {} on 1 core → {} on {}",
                        a.strategy,
                        format_us(a.figures.appointment_lateness_us.p99),
                        format_us(b.figures.appointment_lateness_us.p99),
                        cores_text(b.cores)
                    );
                    if d == Diff::Lower {
                        return Answer::new(Call::Yes, text);
                    }
                    seen.get_or_insert(Answer::new(call_of(d), text));
                }
            }
            seen.unwrap_or_else(|| {
                Answer::new(
                    Call::NotMeasured,
                    "needs a desk split across cores on 1 core and more",
                )
            })
        }
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
pub fn verdicts(rows: &[Row], capacity: Option<&Capacity>) -> Vec<Verdict> {
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
                .filter(|r| r.scenario == scenario && r.sweep.is_none() && measured(r))
                .collect();
            let inter = interleaving(&plain);
            let second = second_core(&plain, capacity.map(|c| (scenario, c)));
            let best = best_of(plain.iter().copied());
            let preset = plain.first().and_then(|r| r.preset);
            let one_core_keeps_up = best_of(plain.iter().copied().filter(|r| r.cores == 1))
                .is_some_and(|r| {
                    r.status == Status::Ok
                        && r.figures.missed_share <= lab::capacity::MAX_MISSED_SHARE
                });
            Verdict {
                scenario: scenario.to_owned(),
                preset,
                runs: plain.iter().map(|r| r.runs).min().unwrap_or(0),
                why: why(
                    inter.call,
                    second.call,
                    best,
                    one_core_keeps_up,
                    plain.iter().any(|r| r.runs < 2),
                ),
                best: best.map_or_else(
                    || "–".to_owned(),
                    |b| {
                        let runner_up =
                            best_of(plain.iter().copied().filter(|r| r.strategy != b.strategy));
                        match runner_up.map(|r| (r, better(b, r))) {
                            Some((_, Diff::Lower)) | None => cell(b),
                            Some((r, _)) => format!(
                                "{} (not clearly ahead of {}, {})",
                                cell(b),
                                r.strategy,
                                cores_text(r.cores)
                            ),
                        }
                    },
                ),
                interleaving: inter,
                second_core: second,
                purpose: purpose(preset, &plain),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
