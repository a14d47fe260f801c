//! Replication: whether a second compare (NEW) repeats the claims of a first (OLD). Each claim
//! OLD published (a directional outcome, controls excluded) is matched by its stable id among
//! NEW's tested comparisons: repeated (same direction), contradicted (the opposite direction),
//! not repeated (NEW tested it and claimed nothing: its outcome kept) or missing (NEW did not
//! plan it). NEW's claims that OLD did not make are listed too. The verdicts' answers are set
//! side by side per scenario and question, a yes turned no (or back) being a flip; the negative
//! controls of both runs are listed. A replication is [`Replication::ok`] when nothing was
//! contradicted and no answer flipped.

use crate::claims::{Claim, Claims, Control, Outcome, Rule};
use crate::verdict::{Call, Verdict};
use lab::plan::claims::{Comparison, Question};
use serde::{Deserialize, Serialize};

/// What became of one of OLD's claims in NEW.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// NEW claims the same direction.
    Repeated,
    /// NEW claims the opposite direction.
    Contradicted,
    /// NEW tested it and claimed nothing (its outcome says why).
    NotRepeated,
    /// NEW did not plan the comparison.
    Missing,
}

impl Status {
    /// The word a table shows.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Status::Repeated => "repeated",
            Status::Contradicted => "contradicted",
            Status::NotRepeated => "not repeated",
            Status::Missing => "missing",
        }
    }
}

/// One run's result for a comparison: its outcome and Hodges–Lehmann ratio b / a.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Side {
    pub outcome: Outcome,
    pub ratio: Option<f64>,
}

impl Side {
    fn of(c: &Claim) -> Side {
        Side {
            outcome: c.outcome,
            ratio: c.ratio,
        }
    }
}

/// One of OLD's claims and what NEW says of the same comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimReplication {
    #[serde(flatten)]
    pub comparison: Comparison,
    pub old: Side,
    /// `None`: NEW did not plan it.
    pub new: Option<Side>,
    pub status: Status,
}

/// A claim NEW made that OLD did not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewOnly {
    #[serde(flatten)]
    pub comparison: Comparison,
    pub new: Side,
    /// OLD's result for the same comparison (`None`: OLD did not plan it).
    pub old: Option<Side>,
}

/// A verdict's question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictQuestion {
    Interleaving,
    SecondCore,
    Purpose,
}

impl VerdictQuestion {
    /// Every question, in the verdict's order.
    pub const ALL: [VerdictQuestion; 3] = [
        VerdictQuestion::Interleaving,
        VerdictQuestion::SecondCore,
        VerdictQuestion::Purpose,
    ];

    /// The words a table shows.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            VerdictQuestion::Interleaving => "interleaving",
            VerdictQuestion::SecondCore => "second core",
            VerdictQuestion::Purpose => "purpose",
        }
    }

    fn call(self, v: &Verdict) -> Call {
        match self {
            VerdictQuestion::Interleaving => v.interleaving.call,
            VerdictQuestion::SecondCore => v.second_core.call,
            VerdictQuestion::Purpose => v.purpose.call,
        }
    }
}

/// How an answer moved from OLD to NEW.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    Same,
    /// Different, but not yes ↔ no (or the scenario is in one run only).
    Changed,
    /// Yes became no, or no became yes.
    Flipped,
}

impl Change {
    /// The word a table shows.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Change::Same => "same",
            Change::Changed => "changed",
            Change::Flipped => "flipped",
        }
    }
}

/// One verdict answer of both runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerPair {
    pub scenario: String,
    pub question: VerdictQuestion,
    /// `None`: the run has no verdict for the scenario.
    pub old: Option<Call>,
    pub new: Option<Call>,
    pub change: Change,
}

/// How a negative control came out in one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ControlState {
    Passed,
    Failed,
    /// Not tested (a cell missing or short of runs): passed by default.
    NotTested,
}

impl ControlState {
    fn of(c: &Control) -> ControlState {
        if !c.passed {
            ControlState::Failed
        } else if c.tested {
            ControlState::Passed
        } else {
            ControlState::NotTested
        }
    }

    /// The word a table shows.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            ControlState::Passed => "passed",
            ControlState::Failed => "failed",
            ControlState::NotTested => "not tested",
        }
    }
}

/// One negative control in both runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ControlPair {
    pub id: String,
    pub scenario: String,
    pub question: Question,
    /// `None`: the run did not plan it.
    pub old: Option<ControlState>,
    pub new: Option<ControlState>,
}

/// The counts of a replication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub old_claims: usize,
    pub repeated: usize,
    pub contradicted: usize,
    pub not_repeated: usize,
    pub missing: usize,
    pub new_only: usize,
    /// Repeated / OLD's claims (`None`: OLD made none).
    pub share_repeated: Option<f64>,
    /// Verdict answers that flipped yes ↔ no.
    pub flipped: usize,
}

/// NEW against OLD: every claim of OLD, NEW's own, the verdicts and the controls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replication {
    pub counts: Counts,
    /// OLD's claims, in OLD's order.
    pub claims: Vec<ClaimReplication>,
    /// NEW's claims that OLD did not make, in NEW's order.
    pub new_only: Vec<NewOnly>,
    /// OLD's scenarios in its order, then those only NEW has.
    pub verdicts: Vec<AnswerPair>,
    /// OLD's controls in its order, then those only NEW planned.
    pub controls: Vec<ControlPair>,
    /// The rule each run's claims were decided by.
    pub old_rule: Option<Rule>,
    pub new_rule: Option<Rule>,
}

impl Replication {
    /// No claim contradicted and no verdict answer flipped.
    #[must_use]
    pub fn ok(&self) -> bool {
        self.counts.contradicted == 0 && self.counts.flipped == 0
    }
}

fn find<'a>(claims: &'a Claims, id: &str) -> Option<&'a Claim> {
    claims.claims.iter().find(|c| c.comparison.id == id)
}

/// Compares NEW's claims, verdicts and controls with OLD's.
#[must_use]
pub fn replicate(
    old: &Claims,
    new: &Claims,
    old_verdicts: &[Verdict],
    new_verdicts: &[Verdict],
) -> Replication {
    let claims: Vec<ClaimReplication> = old
        .made()
        .map(|c| {
            let theirs = find(new, &c.comparison.id);
            let status = match theirs.map(|n| n.outcome) {
                None => Status::Missing,
                Some(o) if o == c.outcome => Status::Repeated,
                Some(o) if o.is_claim() => Status::Contradicted,
                Some(_) => Status::NotRepeated,
            };
            ClaimReplication {
                comparison: c.comparison.clone(),
                old: Side::of(c),
                new: theirs.map(Side::of),
                status,
            }
        })
        .collect();
    let new_only: Vec<NewOnly> = new
        .made()
        .filter_map(|c| {
            let ours = find(old, &c.comparison.id);
            (!ours.is_some_and(|o| o.outcome.is_claim())).then(|| NewOnly {
                comparison: c.comparison.clone(),
                new: Side::of(c),
                old: ours.map(Side::of),
            })
        })
        .collect();

    let mut scenarios: Vec<&str> = old_verdicts.iter().map(|v| v.scenario.as_str()).collect();
    for v in new_verdicts {
        if !scenarios.contains(&v.scenario.as_str()) {
            scenarios.push(&v.scenario);
        }
    }
    let mut verdicts = Vec::new();
    for s in scenarios {
        let o = old_verdicts.iter().find(|v| v.scenario == s);
        let n = new_verdicts.iter().find(|v| v.scenario == s);
        for q in VerdictQuestion::ALL {
            let (old, new) = (o.map(|v| q.call(v)), n.map(|v| q.call(v)));
            let change = match (old, new) {
                (Some(Call::Yes), Some(Call::No)) | (Some(Call::No), Some(Call::Yes)) => {
                    Change::Flipped
                }
                (a, b) if a == b => Change::Same,
                _ => Change::Changed,
            };
            verdicts.push(AnswerPair {
                scenario: s.to_owned(),
                question: q,
                old,
                new,
                change,
            });
        }
    }

    let mut controls: Vec<ControlPair> = old
        .controls
        .iter()
        .map(|c| ControlPair {
            id: c.id.clone(),
            scenario: c.scenario.clone(),
            question: c.question,
            old: Some(ControlState::of(c)),
            new: new
                .controls
                .iter()
                .find(|n| n.id == c.id)
                .map(ControlState::of),
        })
        .collect();
    for c in &new.controls {
        if !old.controls.iter().any(|o| o.id == c.id) {
            controls.push(ControlPair {
                id: c.id.clone(),
                scenario: c.scenario.clone(),
                question: c.question,
                old: None,
                new: Some(ControlState::of(c)),
            });
        }
    }

    let count = |s: Status| claims.iter().filter(|c| c.status == s).count();
    let repeated = count(Status::Repeated);
    let counts = Counts {
        old_claims: claims.len(),
        repeated,
        contradicted: count(Status::Contradicted),
        not_repeated: count(Status::NotRepeated),
        missing: count(Status::Missing),
        new_only: new_only.len(),
        share_repeated: (!claims.is_empty()).then(|| repeated as f64 / claims.len() as f64),
        flipped: verdicts
            .iter()
            .filter(|v| v.change == Change::Flipped)
            .count(),
    };
    Replication {
        counts,
        claims,
        new_only,
        verdicts,
        controls,
        old_rule: old.rule.clone(),
        new_rule: new.rule.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Answer;
    use lab::plan::claims::CellRef;

    fn cell(strategy: &str, cores: usize) -> CellRef {
        CellRef {
            strategy: strategy.to_owned(),
            cores,
            twin: false,
        }
    }

    /// A second-core comparison of `strategy` in `office` with `outcome`.
    fn claim(strategy: &str, question: Question, outcome: Outcome, ratio: f64) -> Claim {
        let (a, b) = (cell(strategy, 1), cell(strategy, 2));
        Claim {
            comparison: Comparison {
                id: format!(
                    "office/{}/{}/{}/wait_all_us.mean",
                    question.name(),
                    a.label(),
                    b.label()
                ),
                scenario: "office".to_owned(),
                question,
                a,
                b,
                figure: "wait_all_us.mean".to_owned(),
            },
            a_runs: vec![1.0; 7],
            b_runs: vec![1.0; 7],
            p: Some(0.0006),
            threshold: Some(0.001),
            side: None,
            ratio: Some(ratio),
            shift: Some(-1.0),
            floor: 0.0,
            outcome,
        }
    }

    fn claims(v: Vec<Claim>) -> Claims {
        let controls = v
            .iter()
            .filter(|c| c.comparison.question.is_control())
            .map(|c| Control {
                id: c.comparison.id.clone(),
                scenario: c.comparison.scenario.clone(),
                question: c.comparison.question,
                passed: !c.outcome.is_claim(),
                tested: c.p.is_some(),
                withholds: "every claim of the scenario".to_owned(),
            })
            .collect();
        Claims {
            rule: None,
            claims: v,
            controls,
        }
    }

    fn verdict(scenario: &str, interleaving: Call, second_core: Call, purpose: Call) -> Verdict {
        let a = |call| Answer {
            call,
            text: String::new(),
        };
        Verdict {
            scenario: scenario.to_owned(),
            preset: None,
            runs: 7,
            interleaving: a(interleaving),
            second_core: a(second_core),
            best: String::new(),
            why: String::new(),
            purpose: a(purpose),
        }
    }

    const SC: Question = Question::SecondCore;

    #[test]
    fn a_claim_made_again_the_same_way_is_repeated() {
        let old = claims(vec![claim("threads", SC, Outcome::Lower, 0.5)]);
        let new = claims(vec![claim("threads", SC, Outcome::Lower, 0.6)]);
        let r = replicate(&old, &new, &[], &[]);
        assert_eq!(r.claims[0].status, Status::Repeated);
        assert_eq!(r.claims[0].new.and_then(|s| s.ratio), Some(0.6));
        assert_eq!(r.counts.repeated, 1);
        assert_eq!(r.counts.share_repeated, Some(1.0));
        assert!(r.ok());
    }

    #[test]
    fn the_opposite_direction_contradicts() {
        let old = claims(vec![claim("threads", SC, Outcome::Lower, 0.5)]);
        let new = claims(vec![claim("threads", SC, Outcome::Higher, 1.5)]);
        let r = replicate(&old, &new, &[], &[]);
        assert_eq!(r.claims[0].status, Status::Contradicted);
        assert_eq!(r.counts.contradicted, 1);
        assert_eq!(r.counts.share_repeated, Some(0.0));
        assert!(!r.ok());
    }

    #[test]
    fn no_claim_in_new_is_not_repeated_and_keeps_its_outcome() {
        let old = claims(vec![
            claim("threads", SC, Outcome::Lower, 0.5),
            claim("rayon", SC, Outcome::Lower, 0.5),
        ]);
        let new = claims(vec![
            claim("threads", SC, Outcome::NoDifference, 0.9),
            claim("rayon", SC, Outcome::Withheld, 0.5),
        ]);
        let r = replicate(&old, &new, &[], &[]);
        assert_eq!(r.claims[0].status, Status::NotRepeated);
        assert_eq!(
            r.claims[0].new.map(|s| s.outcome),
            Some(Outcome::NoDifference)
        );
        assert_eq!(r.claims[1].new.map(|s| s.outcome), Some(Outcome::Withheld));
        assert_eq!(r.counts.not_repeated, 2);
        assert!(r.ok(), "not repeating is not contradicting");
    }

    #[test]
    fn a_comparison_new_did_not_plan_is_missing() {
        let old = claims(vec![claim("threads", SC, Outcome::Lower, 0.5)]);
        let r = replicate(&old, &Claims::default(), &[], &[]);
        assert_eq!(r.claims[0].status, Status::Missing);
        assert_eq!(r.claims[0].new, None);
        assert_eq!(r.counts.missing, 1);
        assert!(r.ok());
    }

    #[test]
    fn only_old_claims_count_and_new_ones_are_listed_apart() {
        let old = claims(vec![
            claim("threads", SC, Outcome::Lower, 0.5),
            claim("rayon", SC, Outcome::NoDifference, 0.9),
            claim(
                "sequential",
                Question::ControlOneWorker,
                Outcome::Lower,
                0.5,
            ),
        ]);
        let new = claims(vec![
            claim("threads", SC, Outcome::Lower, 0.5),
            claim("rayon", SC, Outcome::Lower, 0.5),
            claim("tokio", SC, Outcome::Higher, 1.5),
            claim(
                "sequential",
                Question::ControlOneWorker,
                Outcome::Lower,
                0.5,
            ),
        ]);
        let r = replicate(&old, &new, &[], &[]);
        assert_eq!(
            r.counts.old_claims, 1,
            "a no-difference and a control are no claims"
        );
        assert_eq!(r.counts.new_only, 2);
        assert_eq!(
            r.new_only[0].old.map(|s| s.outcome),
            Some(Outcome::NoDifference)
        );
        assert_eq!(r.new_only[1].old, None);
        assert_eq!(r.controls.len(), 1);
        assert_eq!(r.controls[0].old, Some(ControlState::Failed));
        assert!(r.ok());
    }

    #[test]
    fn yes_to_no_flips_and_yes_to_unclear_changes() {
        let old = [
            verdict("office", Call::Yes, Call::Yes, Call::Yes),
            verdict("rush-hour", Call::No, Call::No, Call::No),
        ];
        let new = [
            verdict("office", Call::Yes, Call::Unclear, Call::No),
            verdict("back-office", Call::Yes, Call::Yes, Call::Yes),
        ];
        let r = replicate(&Claims::default(), &Claims::default(), &old, &new);
        let change = |s: &str, q: VerdictQuestion| {
            r.verdicts
                .iter()
                .find(|v| v.scenario == s && v.question == q)
                .map(|v| v.change)
        };
        assert_eq!(
            change("office", VerdictQuestion::Interleaving),
            Some(Change::Same)
        );
        assert_eq!(
            change("office", VerdictQuestion::SecondCore),
            Some(Change::Changed)
        );
        assert_eq!(
            change("office", VerdictQuestion::Purpose),
            Some(Change::Flipped)
        );
        assert_eq!(
            change("rush-hour", VerdictQuestion::Purpose),
            Some(Change::Changed)
        );
        assert_eq!(
            change("back-office", VerdictQuestion::Purpose),
            Some(Change::Changed)
        );
        assert_eq!(r.verdicts.len(), 9);
        assert_eq!(r.counts.flipped, 1);
        assert_eq!(r.counts.share_repeated, None);
        assert!(!r.ok());
    }
}
