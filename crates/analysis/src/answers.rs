//! The answers: the essay's three questions answered in a few sentences from the reference
//! runs — a compare (its claims and rows), optionally its replication, a capacity run and a
//! memory run. When does interleaving on one core help; what does a second core buy, and for
//! which arrangements; which arrangement for many idle connections, for a CPU-heavy batch and
//! for a mixed service with latency targets.
//!
//! Nothing here is new analysis: a "yes", "no" or "unclear" is the claims' (each planned
//! comparison's outcome under the claims rule, [`crate::claims`]); every other figure is
//! described (a median, a capacity, a fitted slope) and says so. Sentences only: the report
//! adds the markup.

use crate::claims::{Claim, Claims, Outcome};
use crate::findings::cores_text;
use crate::replicate::Replication;
use crate::verdict::batch;
use lab::capacity::Capacity;
use lab::format::{format_bytes, format_factor, format_share, format_speedup_of_limit, format_us};
use lab::memory::Memory;
use lab::plan::claims::Question;
use lab::row::{Row, Status};
use serde_json::Value;

/// Where a figure comes from: one results folder.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// What made it: `compare`, `replication`, `capacity`, `memory`.
    pub kind: &'static str,
    /// The folder, as given (a path the report links to).
    pub folder: String,
    /// `git_commit_built`, shortened to 10 characters (`?` where unknown).
    pub commit: String,
    /// `date_utc`.
    pub date: String,
    /// `AMD EPYC (2 cores)`.
    pub machine: String,
    /// Whether the binaries were built from a tree with uncommitted changes.
    pub dirty: bool,
}

impl Source {
    /// The source described by a results folder's `env.json`.
    #[must_use]
    pub fn from_env(kind: &'static str, folder: &str, env: &Value) -> Source {
        let s = |k: &str| env[k].as_str().unwrap_or("?").to_owned();
        Source {
            kind,
            folder: folder.to_owned(),
            commit: s("git_commit_built").chars().take(10).collect(),
            date: s("date_utc"),
            machine: format!("{} ({} cores)", s("cpu_model"), env["logical_cores"]),
            dirty: env["git_dirty_built"].as_bool().unwrap_or(false),
        }
    }
}

/// One question answered: a lead sentence and the figures behind it, one line each.
#[derive(Clone, Debug, PartialEq)]
pub struct Answered {
    pub question: &'static str,
    pub lead: String,
    pub details: Vec<String>,
}

/// Everything the answers say, and what they come from.
#[derive(Clone, Debug, PartialEq)]
pub struct Answers {
    pub sources: Vec<Source>,
    /// Every source was built from one commit (and none from a dirty tree).
    pub one_commit: bool,
    /// The rule every yes/no comes from, in words (`None`: the compare recorded none).
    pub rule: Option<String>,
    /// `20 of 21 claims repeated, 0 contradicted` (`None`: no replication given).
    pub replication: Option<String>,
    /// What this machine's cores give at most, in words.
    pub core_limit: Option<String>,
    pub answers: Vec<Answered>,
}

/// The compare the answers rest on.
#[derive(Clone, Copy, Debug)]
pub struct CompareRun<'a> {
    pub folder: &'a str,
    pub env: &'a Value,
    pub rows: &'a [Row],
    pub claims: &'a Claims,
}

/// The reference runs.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    pub compare: CompareRun<'a>,
    /// The second compare and what it repeated.
    pub replication: Option<(&'a str, &'a Value, &'a Replication)>,
    /// The second compare's rows: with them, an arrangement kept up on a day only where it
    /// kept up in both compares.
    pub second_rows: Option<&'a [Row]>,
    /// A capacity run (its figures derived: `crate::capacity::derive`).
    pub capacity: Option<(&'a str, &'a Value, &'a Capacity)>,
    pub memory: Option<(&'a str, &'a Value, &'a Memory)>,
}

/// The three questions (the third in three parts).
pub const QUESTIONS: [&str; 5] = [
    "When does interleaving on one core help?",
    "What does a second core buy, and for which arrangements?",
    "Which arrangement for many idle connections?",
    "Which arrangement for a CPU-heavy batch?",
    "Which arrangement for a mixed service with latency targets?",
];

/// The answers the reference runs give.
#[must_use]
pub fn answers(i: &Inputs) -> Answers {
    let mut sources = vec![Source::from_env("compare", i.compare.folder, i.compare.env)];
    if let Some((f, env, _)) = i.replication {
        sources.push(Source::from_env("replication", f, env));
    }
    if let Some((f, env, _)) = i.capacity {
        sources.push(Source::from_env("capacity", f, env));
    }
    if let Some((f, env, _)) = i.memory {
        sources.push(Source::from_env("memory", f, env));
    }
    let one_commit = sources
        .iter()
        .all(|s| s.commit == sources[0].commit && !s.dirty)
        && sources[0].commit != "?";
    let rule = i.compare.claims.rule.as_ref().map(|r| {
        format!(
            "an exact test on each run's figure that b is at least {} lower or higher than a, \
             Holm-corrected over the {} comparisons planned before the runs: at most a {} chance \
             that a compare publishes any false claim",
            format_factor(r.min_ratio),
            r.family,
            format_share(r.alpha)
        )
    });
    let replication = i.replication.map(|(_, _, r)| {
        let c = &r.counts;
        format!(
            "{} of the first run's {} claims repeated, {} contradicted; {} verdict answers flipped yes ↔ no; \
             only the repeated claims answer yes below",
            c.repeated, c.old_claims, c.contradicted, c.flipped
        )
    });
    // With a second run, a yes needs both: a claim the second run did not repeat is answered
    // as not repeated, never as a yes.
    let repeated_only = i
        .replication
        .map(|(_, _, r)| only_repeated(i.compare.claims, r));
    // What the cores give at most: the highest of the runs' measurements (anything else on
    // the machine only lowers one), put where the batch answer reads it.
    let envs: Vec<&Value> = std::iter::once(i.compare.env)
        .chain(i.replication.map(|r| r.1))
        .chain(i.capacity.map(|c| c.1))
        .collect();
    let (env, measured) = highest_core_limit(i.compare.env, &envs);
    let compare = CompareRun {
        claims: repeated_only.as_ref().unwrap_or(i.compare.claims),
        env: &env,
        ..i.compare
    };
    let limit = lab::core_limit::CoreLimit::from_env(&env);
    let core_limit = limit.as_ref().and_then(|l| {
        let (&cores, &x) = l.speedup.iter().next_back()?;
        let at: Vec<f64> = measured.iter().filter_map(|m| m.get(&cores).copied()).collect();
        let lo = at.iter().copied().fold(f64::INFINITY, f64::min);
        let of = if at.len() > 1 {
            format!(
                "; the highest of {} measurements in these runs, the lowest {}: anything else on \
                 the machine only lowers one",
                at.len(),
                format_factor(lo)
            )
        } else {
            String::new()
        };
        (cores > 1).then(|| {
            format!(
                "{} cores give at most {} the work of one here (the work kernel on pinned threads{of})",
                cores,
                format_factor(x)
            )
        })
    });
    Answers {
        sources,
        one_commit,
        rule,
        replication,
        core_limit,
        answers: vec![
            interleaving(compare),
            second_core(compare, i.capacity.map(|c| c.2)),
            idle_connections(compare, i.memory.map(|m| m.2)),
            batch_answer(compare),
            mixed(compare, i.second_rows),
        ],
    }
}

/// `base` with its `core_limit` raised, core count by core count, to the highest that any of
/// `envs` measured; and each env's measurement (cores → speedup).
fn highest_core_limit(
    base: &Value,
    envs: &[&Value],
) -> (Value, Vec<std::collections::BTreeMap<usize, f64>>) {
    let measured: Vec<std::collections::BTreeMap<usize, f64>> = envs
        .iter()
        .filter_map(|e| lab::core_limit::CoreLimit::from_env(e))
        .map(|l| l.speedup)
        .collect();
    let mut env = base.clone();
    if let Some(speedup) = env
        .get_mut("core_limit")
        .and_then(|l| l.get_mut("speedup"))
        .and_then(Value::as_object_mut)
    {
        for (cores, x) in speedup.iter_mut() {
            let best = cores
                .parse::<usize>()
                .ok()
                .map(|n| {
                    measured
                        .iter()
                        .filter_map(|m| m.get(&n).copied())
                        .fold(f64::NAN, f64::max)
                })
                .filter(|b| b.is_finite());
            if let Some(b) = best {
                *x = serde_json::json!(b);
            }
        }
    }
    (env, measured)
}

/// `claims` with every claim `replication` did not find repeated turned
/// [`Outcome::Unrepeated`].
fn only_repeated(claims: &Claims, replication: &Replication) -> Claims {
    let unrepeated: Vec<&str> = replication
        .claims
        .iter()
        .filter(|c| c.status != crate::replicate::Status::Repeated)
        .map(|c| c.comparison.id.as_str())
        .collect();
    let mut out = claims.clone();
    for c in &mut out.claims {
        if c.outcome.is_claim() && unrepeated.contains(&c.comparison.id.as_str()) {
            c.outcome = Outcome::Unrepeated;
        }
    }
    out
}

/// The scenarios in the compare's order (first row first), plain days only.
fn scenarios(rows: &[Row]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for r in rows.iter().filter(|r| plain(r)) {
        if !out.contains(&r.scenario.as_str()) {
            out.push(&r.scenario);
        }
    }
    out
}

/// A cell of the compare proper: no sweep, no twin.
fn plain(r: &Row) -> bool {
    r.sweep.is_none() && !r.twin
}

/// The planned comparisons of `q` in `scenario` that were tested.
fn tested<'a>(claims: &'a Claims, scenario: &str, q: &[Question]) -> Vec<&'a Claim> {
    claims
        .claims
        .iter()
        .filter(|c| {
            c.comparison.scenario == scenario
                && q.contains(&c.comparison.question)
                && c.outcome != Outcome::NotMeasured
        })
        .collect()
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    lab::figures::median(&mut v).unwrap_or(f64::NAN)
}

/// The claim's effect as a factor above one: its Hodges–Lehmann estimate of b / a (the figure
/// `summary.md`'s claims table gives), turned round where b is lower; the medians' ratio where
/// the claim has no estimate.
fn factor(c: &Claim) -> f64 {
    let r = c
        .ratio
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or_else(|| median(&c.b_runs) / median(&c.a_runs));
    if r <= 1.0 { 1.0 / r } else { r }
}

fn value(c: &Claim, v: f64) -> String {
    if c.comparison.figure.contains("_us") {
        format_us(v)
    } else {
        format_share(v)
    }
}

/// `threads, green (no difference); rayon (both at the cap)`: the comparisons that claimed
/// nothing, grouped by outcome.
fn unclaimed(cs: &[&Claim], name: impl Fn(&Claim) -> String) -> Option<String> {
    let mut groups: Vec<(Outcome, Vec<String>)> = Vec::new();
    for c in cs.iter().filter(|c| !c.outcome.is_claim()) {
        let n = name(c);
        match groups.iter_mut().find(|g| g.0 == c.outcome) {
            Some(g) => {
                if !g.1.contains(&n) {
                    g.1.push(n);
                }
            }
            None => groups.push((c.outcome, vec![n])),
        }
    }
    (!groups.is_empty()).then(|| {
        groups
            .iter()
            .map(|(o, names)| {
                let why = match o {
                    Outcome::BothAtCap => "both cells missed most calls: at the cap, not compared",
                    o => o.word(),
                };
                format!("{} ({why})", names.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// `office (0.13 core of work offered)`, `month-end (a batch of 50 checks, no calls)`.
fn scenario_text(rows: &[Row], scenario: &str) -> String {
    let Some(preset) = rows
        .iter()
        .find(|r| r.scenario == scenario)
        .and_then(|r| r.preset)
    else {
        return scenario.to_owned();
    };
    let spec = preset.spec();
    if spec.is_batch() {
        format!(
            "{scenario} (a batch of {} checks, no calls)",
            spec.batch_size()
        )
    } else {
        format!(
            "{scenario} ({} of work offered)",
            lab::format::format_cores(preset.intended_cores())
        )
    }
}

fn interleaving(run: CompareRun) -> Answered {
    let mut details = Vec::new();
    let (mut all, mut some, mut none_, mut na) = (vec![], vec![], vec![], vec![]);
    for s in scenarios(run.rows) {
        let cs = tested(run.claims, s, &[Question::Interleaving]);
        let rows: Vec<&Row> = run
            .rows
            .iter()
            .filter(|r| r.scenario == s && plain(r))
            .collect();
        if batch::is_batch_day(&rows) {
            na.push(s);
            details.push(format!(
                "{s}: not applicable — no calls, nothing to interleave the desk with."
            ));
            continue;
        }
        if cs.is_empty() {
            continue;
        }
        let lower: Vec<&&Claim> = cs.iter().filter(|c| c.outcome == Outcome::Lower).collect();
        let n = cs
            .iter()
            .map(|c| &c.comparison.b.strategy)
            .collect::<Vec<_>>();
        let base = &cs[0].comparison.a;
        let base_row = rows
            .iter()
            .find(|r| r.strategy == base.strategy && r.cores == base.cores);
        let mut line = format!("{}: ", scenario_text(run.rows, s));
        if lower.is_empty() {
            line.push_str("unclear — no one-worker switching secretary claimed apart from ");
            line.push_str(&base.strategy);
            none_.push(s);
        } else {
            let lo = lower
                .iter()
                .min_by(|a, b| median(&a.b_runs).total_cmp(&median(&b.b_runs)))
                .expect("non-empty");
            let hi = lower
                .iter()
                .max_by(|a, b| median(&a.b_runs).total_cmp(&median(&b.b_runs)))
                .expect("non-empty");
            line.push_str(&format!(
                "yes for {} of {} one-worker switching secretaries ({}) — mean wait of all callers {} ({}) to {} ({}) against {} ({}, waiting through each call{})",
                lower.len(),
                n.len(),
                lower
                    .iter()
                    .map(|c| c.comparison.b.strategy.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                value(lo, median(&lo.b_runs)),
                lo.comparison.b.strategy,
                value(hi, median(&hi.b_runs)),
                hi.comparison.b.strategy,
                value(lo, median(&lo.a_runs)),
                base.strategy,
                base_row.map_or_else(String::new, |r| format!(
                    ", missing {}",
                    format_share(r.figures.missed_share)
                )),
            ));
            if lower.len() == cs.len() {
                all.push(s);
            } else {
                some.push(format!("{s} ({} of {})", lower.len(), cs.len()));
            }
        }
        if let Some(u) = unclaimed(&cs, |c| c.comparison.b.strategy.clone()) {
            line.push_str(&format!("; no claim for {u}"));
        }
        line.push('.');
        details.push(line);
    }
    let mut lead = Vec::new();
    if !all.is_empty() {
        lead.push(format!(
            "Yes on {} — every one-worker secretary who switches between phone and desk keeps callers waiting less than the one who finishes each job first",
            all.join(", ")
        ));
    }
    if !some.is_empty() {
        lead.push(format!(
            "only for some on {} — an overloaded core falls behind whatever the switching",
            some.join(", ")
        ));
    }
    if !none_.is_empty() {
        lead.push(format!("unclear on {}", none_.join(", ")));
    }
    if !na.is_empty() {
        lead.push(format!("not applicable on {} (no calls)", na.join(", ")));
    }
    Answered {
        question: QUESTIONS[0],
        lead: sentence(
            &lead,
            "Not measured: the compare planned no interleaving comparison",
        ),
        details,
    }
}

/// Joins lead parts into one sentence ("A; b; c.").
fn sentence(parts: &[String], none: &str) -> String {
    if parts.is_empty() {
        return format!("{none}.");
    }
    format!("{}.", parts.join("; "))
}

fn second_core(run: CompareRun, capacity: Option<&Capacity>) -> Answered {
    let mut details = Vec::new();
    // Strategy → the scenarios where more cores were claimed lower.
    let mut gained: Vec<(String, Vec<String>)> = Vec::new();
    let mut tested_any: Vec<String> = Vec::new();
    for s in scenarios(run.rows) {
        let cs = tested(
            run.claims,
            s,
            &[Question::SecondCore, Question::DeskSecondCore],
        );
        if cs.is_empty() {
            continue;
        }
        let mut claimed: Vec<String> = Vec::new();
        for c in cs.iter().filter(|c| c.outcome == Outcome::Lower) {
            let what = if c.comparison.question == Question::DeskSecondCore {
                "appointment lateness"
            } else if c.comparison.figure.contains("makespan") {
                "the batch's makespan (opening to last check done)"
            } else {
                "mean wait"
            };
            claimed.push(format!(
                "{} {} → {} on {} ({} lower{})",
                c.comparison.b.strategy,
                value(c, median(&c.a_runs)),
                value(c, median(&c.b_runs)),
                what,
                format_factor(factor(c)),
                if c.comparison.question == Question::DeskSecondCore {
                    ", desk"
                } else {
                    ""
                }
            ));
            let name = c.comparison.b.strategy.clone();
            match gained.iter_mut().find(|g| g.0 == name) {
                Some(g) => {
                    if !g.1.iter().any(|x| x == s) {
                        g.1.push(s.to_owned());
                    }
                }
                None => gained.push((name, vec![s.to_owned()])),
            }
        }
        for c in &cs {
            if !tested_any.contains(&c.comparison.b.strategy) {
                tested_any.push(c.comparison.b.strategy.clone());
            }
        }
        let most = cs[0].comparison.b.cores;
        let mut line = format!("{}, 1 → {most} cores: ", scenario_text(run.rows, s));
        if claimed.is_empty() {
            line.push_str("unclear for every arrangement that could use it");
        } else {
            line.push_str(&format!("yes for {}", claimed.join(", ")));
        }
        let no_claim: Vec<&Claim> = cs
            .iter()
            .copied()
            .filter(|c| c.comparison.question == Question::SecondCore)
            .collect();
        if let Some(u) = unclaimed(&no_claim, |c| c.comparison.b.strategy.clone()) {
            line.push_str(&format!("; no claim for {u}"));
        }
        line.push('.');
        details.push(line);
    }
    if let Some(cap) = capacity {
        let limit = cap.core_limit.as_ref().and_then(|l| l.at(2));
        let possible = limit.map_or_else(
            || "limit not measured".to_owned(),
            |l| format!("of a possible {} here", format_factor(l)),
        );
        // Highest first; `None` last.
        let ranked = |mut v: Vec<(String, f64)>| {
            v.sort_by(|a, b| b.1.total_cmp(&a.1));
            v.iter()
                .map(|(s, x)| format!("{s} {}", format_factor(*x)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for sc in &cap.scenarios {
            let ratios: Vec<(String, f64)> = sc
                .second_core
                .iter()
                .filter_map(|r| Some((r.strategy.clone(), r.ratio?)))
                .collect();
            let desk: Vec<(String, f64)> = sc
                .desk
                .iter()
                .filter_map(|d| Some((d.strategy.clone(), d.speedup?)))
                .collect();
            if !ratios.is_empty() {
                details.push(format!(
                    "Capacity on {}, the highest call rate kept up, 2 cores over 1 ({possible}; described, one search each; a ratio past the limit is a 1-core capacity set by waiting in one queue, not by the CPU): {}.",
                    sc.scenario,
                    ranked(ratios)
                ));
            }
            if !desk.is_empty() {
                details.push(format!(
                    "One appointment check alone, its time on 1 core over its time on 2 (above 1×: done sooner on 2; {possible}; described, one desk day each): {}.",
                    ranked(desk)
                ));
            }
        }
    }
    let declared = |name: &str| -> String {
        run.rows
            .iter()
            .find(|r| r.strategy == name)
            .and_then(|r| r.arrangement)
            .map_or_else(String::new, |a| format!(" ({})", short_arrangement(a)))
    };
    let mut lead = Vec::new();
    if !gained.is_empty() {
        lead.push(format!(
            "Only arrangements with more than one worker or a split desk gain: {}",
            gained
                .iter()
                .map(|(s, sc)| format!("{s}{} on {}", declared(s), sc.join(", ")))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let never: Vec<&String> = tested_any
        .iter()
        .filter(|s| !gained.iter().any(|g| &&g.0 == s))
        .collect();
    if !never.is_empty() {
        lead.push(format!(
            "no claim anywhere for {}",
            never
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Answered {
        question: QUESTIONS[1],
        lead: sentence(
            &lead,
            "Not measured: the compare planned no second-core comparison",
        ),
        details,
    }
}

/// `a worker per call`, `cores workers`, `desk split across cores`: what lets an arrangement
/// use a core.
fn short_arrangement(a: workload::Arrangement) -> &'static str {
    use workload::arrangement::{Desk, Workers};
    match (a.workers, a.desk) {
        (_, Desk::SplitAcrossCores) => "desk split across cores",
        (Workers::PerCall, _) => "a worker per call",
        (Workers::Cores, _) => "a worker per core",
        (Workers::One, _) => "one worker",
    }
}

fn idle_connections(run: CompareRun, memory: Option<&Memory>) -> Answered {
    let mut details = Vec::new();
    let mut lead = String::new();
    if let Some(m) = memory {
        let mut fitted: Vec<_> = m
            .strategies
            .iter()
            .filter_map(|s| Some((s, s.bytes_per_call?)))
            .collect();
        fitted.sort_by(|a, b| a.1.total_cmp(&b.1));
        let top = m.levels.iter().copied().max().unwrap_or(0);
        let held_all: Vec<&str> = m
            .strategies
            .iter()
            .filter(|s| s.limit.is_none() && s.held_up_to == Some(top))
            .map(|s| s.strategy.as_str())
            .collect();
        let per = |s: &lab::memory::StrategyMemory, b: f64| {
            let kernel = s
                .kernel_bytes_per_call
                .filter(|k| k.is_finite() && *k > 0.0)
                .map_or_else(String::new, |k| format!(" + {} kernel", format_bytes(k)));
            format!("{} {}{kernel}", s.strategy, format_bytes(b))
        };
        details.push(format!(
            "Memory per call in flight ({}, {}, calls of {} s; the slope of peak RSS over {} levels up to {}; described, one day per level): {}.",
            m.scenario,
            cores_text(m.cores),
            m.call_s,
            m.levels.len(),
            lab::format::group_thousands(top),
            fitted
                .iter()
                .map(|(s, b)| per(s, *b))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let stopped: Vec<String> = m
            .strategies
            .iter()
            .filter_map(|s| {
                let l = s.limit.as_ref()?;
                Some(format!(
                    "{} at {} ({})",
                    s.strategy,
                    lab::format::group_thousands(l.in_flight),
                    l.status.name()
                ))
            })
            .collect();
        if !stopped.is_empty() {
            details.push(format!(
                "Stopped before {}: {}.",
                lab::format::group_thousands(top),
                stopped.join(", ")
            ));
        }
        if !held_all.is_empty() {
            lead = format!(
                "A task per call, not a thread per call: {} held {} quiet calls in flight on one core",
                held_all.join(", "),
                lab::format::group_thousands(top)
            );
            if let Some((s, b)) = fitted.first() {
                lead.push_str(&format!(
                    ", the fewest bytes per call {} ({})",
                    s.strategy,
                    format_bytes(*b)
                ));
            }
            let threads: Vec<&str> = m
                .strategies
                .iter()
                .filter(|s| {
                    s.limit
                        .as_ref()
                        .is_some_and(|l| l.status == Status::Exhausted)
                })
                .map(|s| s.strategy.as_str())
                .collect();
            if !threads.is_empty() {
                lead.push_str(&format!(
                    "; {} ran out of threads or stacks first",
                    threads.join(", ")
                ));
            }
            lead.push('.');
        }
    }
    // The compare's own many-calls day, as corroboration: peak memory on 1 core.
    if let Some(line) = call_center_memory(run.rows) {
        details.push(line);
    }
    if lead.is_empty() {
        lead = "Not measured: no memory run given (harness memory).".to_owned();
    }
    Answered {
        question: QUESTIONS[2],
        lead,
        details,
    }
}

/// `call-center (… in flight), 1 core, peak RSS: event-loop 7 MiB … threads 150 MiB`.
fn call_center_memory(rows: &[Row]) -> Option<String> {
    let scenario = rows
        .iter()
        .find(|r| r.preset == Some(workload::Scenario::CallCenter) && plain(r))?
        .scenario
        .clone();
    let mut cells: Vec<(&str, f64)> = rows
        .iter()
        .filter(|r| r.scenario == scenario && plain(r) && r.cores == 1 && !r.status.is_failure())
        .map(|r| (r.strategy.as_str(), r.figures.max_rss_kib))
        .filter(|c| c.1.is_finite() && c.1 > 0.0)
        .collect();
    if cells.len() < 2 {
        return None;
    }
    cells.sort_by(|a, b| a.1.total_cmp(&b.1));
    Some(format!(
        "{scenario}, 1 core, peak RSS of one day (described): {}.",
        cells
            .iter()
            .map(|(s, kib)| format!("{s} {}", lab::format::format_mib(*kib)))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn batch_answer(run: CompareRun) -> Answered {
    let mut details = Vec::new();
    let mut lead = "Not measured: no batch day (month-end) in the compare.".to_owned();
    for s in scenarios(run.rows) {
        let rows: Vec<&Row> = run
            .rows
            .iter()
            .filter(|r| r.scenario == s && plain(r))
            .collect();
        if !batch::is_batch_day(&rows) {
            continue;
        }
        let cs = tested(run.claims, s, &[Question::SecondCore]);
        let lower: Vec<&&Claim> = cs.iter().filter(|c| c.outcome == Outcome::Lower).collect();
        let measured: Vec<&Row> = rows
            .iter()
            .copied()
            .filter(|r| batch::measured(r))
            .collect();
        let speedups = batch::speedups(&measured, run.env);
        let of = |name: &str| {
            speedups
                .iter()
                .find(|x| x.strategy == name)
                .map(|x| {
                    format!(
                        "; the medians' ratio {}",
                        format_speedup_of_limit(x.speedup, x.limit)
                    )
                })
                .unwrap_or_default()
        };
        if lower.is_empty() {
            lead = format!(
                "Unclear on {s}: no arrangement finished the batch claimably sooner on more cores."
            );
        } else {
            lead = format!(
                "One that splits the work across cores: on {s} only {} finished the batch sooner on {} (claimed); one worker, or a worker per job that is a single check, gains nothing.",
                lower
                    .iter()
                    .map(|c| c.comparison.b.strategy.as_str())
                    .collect::<Vec<_>>()
                    .join(" and "),
                cores_text(lower[0].comparison.b.cores)
            );
        }
        for c in &lower {
            details.push(format!(
                "{}: makespan {} on 1 core → {} on {} ({} sooner, the claim's estimate{}).",
                c.comparison.b.strategy,
                value(c, median(&c.a_runs)),
                value(c, median(&c.b_runs)),
                cores_text(c.comparison.b.cores),
                format_factor(factor(c)),
                of(&c.comparison.b.strategy)
            ));
        }
        if let Some(u) = unclaimed(&cs, |c| c.comparison.b.strategy.clone()) {
            details.push(format!("No claim for {u}."));
        }
        let reach: Vec<&str> = speedups
            .iter()
            .filter(|x| x.reaches_limit() == Some(true))
            .map(|x| x.strategy.as_str())
            .collect();
        if !reach.is_empty() {
            details.push(format!(
                "Within {} of what this machine's cores give at most (described): {}.",
                format_share(batch::REACHES_LIMIT),
                reach.join(", ")
            ));
        }
        break;
    }
    Answered {
        question: QUESTIONS[3],
        lead,
        details,
    }
}

/// A cell that kept up: verified and `ok` (missed calls under the saturation threshold, its
/// own timers on time).
fn kept_up(r: &Row) -> bool {
    r.status == Status::Ok
}

fn mixed(run: CompareRun, second: Option<&[Row]>) -> Answered {
    let mut details = Vec::new();
    // The days with calls and desk work that the claims test: the compare's mixed days.
    let days: Vec<&str> = scenarios(run.rows)
        .into_iter()
        .filter(|s| {
            !tested(
                run.claims,
                s,
                &[Question::Interleaving, Question::SecondCore],
            )
            .is_empty()
        })
        .filter(|s| {
            let rows: Vec<&Row> = run
                .rows
                .iter()
                .filter(|r| &r.scenario == s && plain(r))
                .collect();
            !batch::is_batch_day(&rows)
        })
        .collect();
    let cores: Vec<usize> = {
        let mut c: Vec<usize> = run.rows.iter().map(|r| r.cores).collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let mut lead = Vec::new();
    for &n in &cores {
        let strategies: Vec<&str> = {
            let mut v: Vec<&str> = Vec::new();
            for r in run.rows.iter().filter(|r| plain(r) && r.cores == n) {
                if !v.contains(&r.strategy.as_str()) {
                    v.push(&r.strategy);
                }
            }
            v
        };
        // Each strategy's days kept up, grouped by the same set of days.
        let kept_in = |rows: &[Row], s: &str, d: &str| {
            rows.iter().any(|r| {
                r.scenario == d && plain(r) && r.cores == n && r.strategy == s && kept_up(r)
            })
        };
        let kept = |s: &str, d: &str| {
            kept_in(run.rows, s, d) && second.is_none_or(|rows| kept_in(rows, s, d))
        };
        let mut groups: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
        for &s in &strategies {
            let on: Vec<&str> = days.iter().copied().filter(|d| kept(s, d)).collect();
            match groups.iter_mut().find(|g| g.0 == on) {
                Some(g) => g.1.push(s),
                None => groups.push((on, vec![s])),
            }
        }
        groups.sort_by_key(|g| std::cmp::Reverse(g.0.len()));
        let everywhere: Vec<&str> = groups
            .iter()
            .find(|g| !days.is_empty() && g.0.len() == days.len())
            .map(|g| g.1.clone())
            .unwrap_or_default();
        if !everywhere.is_empty() {
            lead.push(format!("on {}: {}", cores_text(n), everywhere.join(", ")));
        }
        let mut line = format!(
            "{}: {}",
            cores_text(n),
            groups
                .iter()
                .map(|(on, who)| {
                    let days_text = if on.is_empty() {
                        "on no mixed day".to_owned()
                    } else if on.len() == days.len() {
                        format!("kept up on all of {}", on.join(", "))
                    } else {
                        format!("kept up on {} only", on.join(", "))
                    };
                    format!("{days_text}: {}", who.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; ")
        );
        // The hardest day (the most work offered): its mean waits, described.
        if let Some(hard) = days.iter().max_by(|a, b| {
            let load = |s: &str| {
                run.rows
                    .iter()
                    .find(|r| r.scenario == s)
                    .and_then(|r| r.preset)
                    .map_or(0.0, |p| p.intended_cores())
            };
            load(a).total_cmp(&load(b))
        }) {
            let mut cells: Vec<&Row> = run
                .rows
                .iter()
                .filter(|r| &r.scenario == hard && plain(r) && r.cores == n && kept_up(r))
                .collect();
            cells.sort_by(|a, b| {
                a.figures
                    .wait_all_us
                    .mean
                    .total_cmp(&b.figures.wait_all_us.mean)
            });
            if !cells.is_empty() {
                line.push_str(&format!(
                    "; on {hard}, mean wait of all callers (medians, described): {}",
                    cells
                        .iter()
                        .map(|r| format!(
                            "{} {} (p99 {})",
                            r.strategy,
                            format_us(r.figures.wait_all_us.mean),
                            format_us(r.figures.wait_all_us.p99)
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        line.push('.');
        details.push(line);
    }
    Answered {
        question: QUESTIONS[4],
        lead: if days.is_empty() {
            "Not measured: the compare has no mixed day that the claims test.".to_owned()
        } else if lead.is_empty() {
            format!(
                "None here: no arrangement kept up on all of {} at any core count.",
                days.join(", ")
            )
        } else {
            format!(
                "Pick from the arrangements that kept up (status ok: verified, at most 1 % of calls missed, the desk not fallen behind, the day not overrun, its own timers on time) on every mixed day{} — {}; which of those is fastest is described, not claimed (no comparison between arrangements is planned).",
                if second.is_some() {
                    " in both compares"
                } else {
                    ""
                },
                lead.join("; ")
            )
        },
        details,
    }
}

#[cfg(test)]
mod tests;
