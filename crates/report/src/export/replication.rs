//! The markdown of `harness replicate`: whether a second compare (NEW) repeats the claims of a
//! first (OLD), rendered from the [`Replication`] `analysis::replicate` decided — the counts in
//! one line, OLD's claims with both runs' outcomes, the claims only NEW made, the verdicts'
//! answers side by side, both runs' negative controls, and which commit and calibration each
//! folder was measured at.

use super::markdown::escape as esc;
use analysis::claims::{Outcome, Rule};
use analysis::replicate::{Change, Replication, Side, Status};
use lab::format::{format_factor, format_ns, format_share};
use std::fmt::Write as _;

/// One results folder as the replication names it: where it is and what `env.json` says of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Source {
    /// The folder as given on the command line.
    pub folder: String,
    /// `git_commit_built`.
    pub commit: Option<String>,
    /// `git_dirty_built`: built from a tree with uncommitted changes.
    pub dirty: bool,
    /// `date_utc`.
    pub date: Option<String>,
    /// `ns_per_unit`: the calibration the scenarios' work was converted at.
    pub ns_per_unit: Option<f64>,
}

impl Source {
    /// The folder `folder` with what its environment document (`env.json`) says.
    #[must_use]
    pub fn from_env(folder: impl Into<String>, env: &serde_json::Value) -> Source {
        Source {
            folder: folder.into(),
            commit: env["git_commit_built"].as_str().map(str::to_owned),
            dirty: env["git_dirty_built"].as_bool().unwrap_or(false),
            date: env["date_utc"].as_str().map(str::to_owned),
            ns_per_unit: env["ns_per_unit"].as_f64(),
        }
    }
}

/// `1 claim`, `3 claims`.
fn claims_n(n: usize) -> String {
    format!("{n} claim{}", if n == 1 { "" } else { "s" })
}

/// The counts in one sentence: `Of OLD's 31 claims, 29 repeated (93.5 %), 0 contradicted, 2
/// not repeated; NEW made 3 claims OLD did not.`
#[must_use]
pub fn headline(r: &Replication) -> String {
    let c = &r.counts;
    let mut s = match c.share_repeated {
        Some(share) => format!(
            "Of OLD's {}, {} repeated ({}), {} contradicted, {} not repeated",
            claims_n(c.old_claims),
            c.repeated,
            format_share(share),
            c.contradicted,
            c.not_repeated
        ),
        None => "OLD made no claims".to_owned(),
    };
    if c.missing > 0 {
        let _ = write!(s, ", {} missing (NEW did not plan them)", c.missing);
    }
    let _ = write!(s, "; NEW made {} OLD did not.", claims_n(c.new_only));
    if !r.verdicts.is_empty() {
        let n = |ch: Change| r.verdicts.iter().filter(|v| v.change == ch).count();
        let _ = write!(
            s,
            " Verdict answers: {} same, {} changed, {} flipped yes ↔ no.",
            n(Change::Same),
            n(Change::Changed),
            n(Change::Flipped)
        );
    }
    s
}

/// `lower (0.42×)`.
fn side(s: Option<Side>) -> String {
    match s {
        None => "not planned".to_owned(),
        Some(Side {
            outcome,
            ratio: Some(r),
        }) if outcome != Outcome::NotMeasured => {
            format!("{} ({})", outcome.word(), format_factor(r))
        }
        Some(s) => s.outcome.word().to_owned(),
    }
}

fn status(s: Status) -> String {
    match s {
        Status::Repeated => s.word().to_owned(),
        _ => format!("**{}**", s.word()),
    }
}

fn rule(r: Option<&Rule>) -> String {
    r.map_or_else(
        || "–".to_owned(),
        |r| {
            format!(
                "α {}, ratio ≥ {}, {} comparisons",
                r.alpha,
                format_factor(r.min_ratio),
                r.family
            )
        },
    )
}

fn environment(out: &mut String, old: &Source, new: &Source, r: &Replication) {
    let commit = |s: &Source| {
        s.commit.as_deref().map_or_else(
            || "–".to_owned(),
            |c| {
                format!(
                    "`{}`{}",
                    c.chars().take(10).collect::<String>(),
                    if s.dirty {
                        " (uncommitted changes)"
                    } else {
                        ""
                    }
                )
            },
        )
    };
    let ns = |s: &Source| {
        s.ns_per_unit.map_or_else(
            || "–".to_owned(),
            |n| format!("{} per work unit", format_ns(n)),
        )
    };
    let date = |s: &Source| s.date.as_deref().map_or_else(|| "–".to_owned(), esc);
    out.push_str("| | OLD | NEW |\n|---|---|---|\n");
    let _ = writeln!(
        out,
        "| Folder | `{}` | `{}` |",
        old.folder.replace('`', "'"),
        new.folder.replace('`', "'")
    );
    let _ = writeln!(out, "| Commit | {} | {} |", commit(old), commit(new));
    let _ = writeln!(out, "| Date (UTC) | {} | {} |", date(old), date(new));
    let _ = writeln!(out, "| Calibration | {} | {} |", ns(old), ns(new));
    let _ = writeln!(
        out,
        "| Rule | {} | {} |",
        rule(r.old_rule.as_ref()),
        rule(r.new_rule.as_ref())
    );
}

/// The replication under headings of level `h` (`"##"` in a file of its own, `"###"` inside
/// README's section): the headline, the runs, OLD's claims, NEW's own, the verdicts, the
/// controls.
#[must_use]
pub fn section(r: &Replication, old: &Source, new: &Source, h: &str) -> String {
    let mut out = format!("{}\n\n", headline(r));
    out.push_str(
        "_A claim repeats where NEW tested the same planned comparison (same id) and claimed the same \
         direction; it is contradicted where NEW claimed the opposite one, not repeated where NEW \
         claimed nothing (its outcome shown), missing where NEW did not plan it. Ratios are the \
         Hodges–Lehmann estimates of b / a (below 1: b lower)._\n\n",
    );
    let _ = writeln!(out, "{h} The runs\n");
    environment(&mut out, old, new, r);

    let _ = writeln!(out, "\n{h} OLD's claims\n");
    if r.claims.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(
            "| Scenario | Question | Cells a → b | Figure | OLD | NEW | |\n|---|---|---|---|---|---|---|\n",
        );
        for c in &r.claims {
            let k = &c.comparison;
            let _ = writeln!(
                out,
                "| {} | {} | `{}` → `{}` | `{}` | {} | {} | {} |",
                esc(&k.scenario),
                k.question.name(),
                k.a.label(),
                k.b.label(),
                k.figure,
                side(Some(c.old)),
                side(c.new),
                status(c.status)
            );
        }
    }

    if !r.new_only.is_empty() {
        let _ = writeln!(out, "\n{h} Claims NEW made that OLD did not\n");
        out.push_str(
            "| Scenario | Question | Cells a → b | Figure | OLD | NEW |\n|---|---|---|---|---|---|\n",
        );
        for c in &r.new_only {
            let k = &c.comparison;
            let _ = writeln!(
                out,
                "| {} | {} | `{}` → `{}` | `{}` | {} | {} |",
                esc(&k.scenario),
                k.question.name(),
                k.a.label(),
                k.b.label(),
                k.figure,
                side(c.old),
                side(Some(c.new)),
            );
        }
    }

    if !r.verdicts.is_empty() {
        let _ = writeln!(out, "\n{h} The verdict, side by side\n");
        out.push_str("| Scenario | Question | OLD | NEW | |\n|---|---|---|---|---|\n");
        let call = |c: Option<analysis::verdict::Call>| c.map_or("–", |c| c.word());
        for v in &r.verdicts {
            let change = match v.change {
                Change::Flipped => "**flipped**",
                ch => ch.word(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {change} |",
                esc(&v.scenario),
                v.question.words(),
                call(v.old),
                call(v.new),
            );
        }
    }

    let _ = writeln!(out, "\n{h} Negative controls\n");
    if r.controls.is_empty() {
        out.push_str("Neither run planned any.\n");
    } else {
        out.push_str("| Scenario | Control | Comparison | OLD | NEW |\n|---|---|---|---|---|\n");
        let state = |s: Option<analysis::replicate::ControlState>| {
            s.map_or_else(
                || "not planned".to_owned(),
                |s| match s {
                    analysis::replicate::ControlState::Failed => format!("**{}**", s.word()),
                    _ => s.word().to_owned(),
                },
            )
        };
        for c in &r.controls {
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} | {} |",
                esc(&c.scenario),
                c.question.name(),
                c.id.replace('`', "'"),
                state(c.old),
                state(c.new),
            );
        }
    }
    out
}

/// The replication as a markdown document of its own.
#[must_use]
pub fn markdown(r: &Replication, old: &Source, new: &Source) -> String {
    format!(
        "# Replication\n\nNEW `{}` against OLD `{}`.\n\n{}",
        new.folder.replace('`', "'"),
        old.folder.replace('`', "'"),
        section(r, old, new, "##")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use analysis::claims::{Claim, Claims};
    use analysis::replicate::replicate;
    use lab::plan::claims::{CellRef, Comparison, Question};

    fn claim(strategy: &str, outcome: Outcome, ratio: f64) -> Claim {
        let cell = |cores| CellRef {
            strategy: strategy.to_owned(),
            cores,
            twin: false,
        };
        Claim {
            comparison: Comparison {
                id: format!("office/second-core/{strategy}@1c/{strategy}@2c/wait_all_us.mean"),
                scenario: "office".to_owned(),
                question: Question::SecondCore,
                a: cell(1),
                b: cell(2),
                figure: "wait_all_us.mean".to_owned(),
            },
            a_runs: vec![],
            b_runs: vec![],
            p: None,
            threshold: None,
            side: None,
            ratio: Some(ratio),
            shift: None,
            floor: 0.0,
            outcome,
        }
    }

    #[test]
    fn the_document_counts_and_lists_every_claim() {
        let old = Claims {
            claims: vec![
                claim("threads", Outcome::Lower, 0.5),
                claim("rayon", Outcome::Lower, 0.4),
                claim("tokio", Outcome::NoDifference, 0.9),
            ],
            ..Claims::default()
        };
        let new = Claims {
            claims: vec![
                claim("threads", Outcome::Lower, 0.55),
                claim("rayon", Outcome::NoDifference, 0.95),
                claim("tokio", Outcome::Lower, 0.5),
            ],
            ..Claims::default()
        };
        let r = replicate(&old, &new, &[], &[]);
        let env = serde_json::json!({
            "git_commit_built": "0123456789abcdef",
            "git_dirty_built": true,
            "ns_per_unit": 812.4,
        });
        let md = markdown(
            &r,
            &Source::from_env("results/a", &env),
            &Source::from_env("results/b", &serde_json::Value::Null),
        );
        assert!(
            md.contains(
                "Of OLD's 2 claims, 1 repeated (50.0 %), 0 contradicted, 1 not repeated; NEW made 1 claim OLD did not."
            ),
            "{md}"
        );
        assert!(
            md.contains(
                "| office | second-core | `rayon@1c` → `rayon@2c` | `wait_all_us.mean` | lower (0.40×) | no difference (0.95×) | **not repeated** |"
            ),
            "{md}"
        );
        assert!(
            md.contains("| Commit | `0123456789` (uncommitted changes) | – |"),
            "{md}"
        );
        assert!(
            md.contains("| Calibration | 812 ns per work unit | – |"),
            "{md}"
        );
        assert!(md.contains("## Claims NEW made that OLD did not"), "{md}");
    }
}
