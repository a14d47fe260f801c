//! Claims: the plan's comparisons (`lab::plan::claims`) tested, one way, with a stated error
//! rate. Each comparison is a minimum-effect test: an exact two-sided Mann–Whitney test of the
//! b cell's per-run figures (runs are the independent unit) against the a cell's scaled by
//! [`MIN_RATIO`] — so a claim says "at least 1.2× lower (or higher)", and an effect sitting at
//! the floor is not claimed in one run and missed in the next — corrected over every comparison
//! the compare planned (Holm, family-wise error ≤ [`ALPHA`]); the Hodges–Lehmann shift must
//! also pass both strategies' own idle timer lateness. Two cells
//! where most callers hit their patience are "both at the cap", never a difference. The negative
//! controls go through the same rule; one that comes out "different" withholds the claims it
//! would contaminate.

use crate::stat;
use lab::plan::claims::{Comparison, Question};
use lab::row::Row;
use serde::{Deserialize, Serialize};

/// Family-wise error rate of one compare's claims.
pub const ALPHA: f64 = 0.05;
/// The smallest effect claimed: a claim says b is at least this many times lower (or higher)
/// than a, tested as such (see the module header).
pub const MIN_RATIO: f64 = 1.2;
/// Missed share at or above which a cell is "at the cap": most of its callers waited their
/// whole patience, so its wait is the patience, not the arrangement.
pub const AT_CAP_MISSED: f64 = 0.5;

/// What the test decided about one comparison (b against a; lower is better).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Claimed: b's figure is lower than a's.
    Lower,
    /// Claimed: b's figure is higher than a's.
    Higher,
    /// Tested; the test or the effect floor did not pass.
    NoDifference,
    /// Both cells missed most calls: both at the patience cap, not compared.
    BothAtCap,
    /// A cell the comparison needs did not run, failed, or has fewer than two runs.
    NotMeasured,
    /// It would have been claimed, but a negative control of its scenario failed.
    Withheld,
    /// Claimed in this run, but a second run of the same plan did not repeat it (set only
    /// where a replication is read: the published answers then say no more than both runs).
    Unrepeated,
}

impl Outcome {
    /// A published directional claim.
    #[must_use]
    pub fn is_claim(self) -> bool {
        matches!(self, Outcome::Lower | Outcome::Higher)
    }

    /// The kebab-case word.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Lower => "lower",
            Outcome::Higher => "higher",
            Outcome::NoDifference => "no difference",
            Outcome::BothAtCap => "both at the cap",
            Outcome::NotMeasured => "not measured",
            Outcome::Withheld => "withheld",
            Outcome::Unrepeated => "not repeated on the second run",
        }
    }
}

/// One tested comparison, with everything needed to recompute it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    #[serde(flatten)]
    pub comparison: Comparison,
    /// Cell a's per-run values of the figure (run order).
    pub a_runs: Vec<f64>,
    pub b_runs: Vec<f64>,
    /// Exact two-sided p-value of the minimum-effect test (`None`: not tested): b's runs
    /// against a's scaled by [`MIN_RATIO`] toward b (a / 1.2 where b leans lower, a × 1.2 where
    /// it leans higher); 1 where b does not lean past the floor either way.
    pub p: Option<f64>,
    /// The direction the p-value tests (`lower`: b at least 1.2× lower than a).
    #[serde(default)]
    pub side: Option<Outcome>,
    /// The Holm threshold this comparison's p had to be at or below (α / (k − rank + 1)).
    pub threshold: Option<f64>,
    /// Hodges–Lehmann estimate of b / a (median of the pairwise ratios).
    pub ratio: Option<f64>,
    /// Hodges–Lehmann estimate of b − a (median of the pairwise differences), in the figure's
    /// unit.
    pub shift: Option<f64>,
    /// The shift a claim must exceed: the larger of the two strategies' idle timer lateness.
    pub floor: f64,
    pub outcome: Outcome,
}

/// The rule every claim of a compare was decided by, as `summary.json` states it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub test: String,
    pub correction: String,
    pub alpha: f64,
    pub min_ratio: f64,
    pub at_cap_missed: f64,
    /// Comparisons in the family (every planned one, controls included).
    pub family: usize,
}

/// A negative control's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Control {
    pub id: String,
    pub scenario: String,
    pub question: Question,
    /// True when the rule found no difference (or could not test it: then `tested` is false).
    pub passed: bool,
    pub tested: bool,
    /// Which claims its failure withholds (`second-core` claims, or every claim of the scenario).
    pub withholds: String,
}

/// Every comparison of a compare, tested.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub rule: Option<Rule>,
    pub claims: Vec<Claim>,
    pub controls: Vec<Control>,
}

impl Claims {
    /// The claims made (directional), controls excluded.
    pub fn made(&self) -> impl Iterator<Item = &Claim> {
        self.claims
            .iter()
            .filter(|c| !c.comparison.question.is_control() && c.outcome.is_claim())
    }

    /// The controls that failed.
    pub fn failed_controls(&self) -> impl Iterator<Item = &Control> {
        self.controls.iter().filter(|c| !c.passed)
    }
}

/// The cell a [`lab::plan::claims::CellRef`] names among `rows` (simulated, outside sweeps).
fn find<'a>(rows: &'a [Row], scenario: &str, cell: &lab::plan::claims::CellRef) -> Option<&'a Row> {
    rows.iter().find(|r| {
        r.scenario == scenario
            && r.sweep.is_none()
            && r.strategy == cell.strategy
            && r.cores == cell.cores
            && r.twin == cell.twin
    })
}

/// Tests every planned comparison against `rows`.
#[must_use]
pub fn test(plan: &[Comparison], rows: &[Row]) -> Claims {
    if plan.is_empty() {
        return Claims::default();
    }
    let family = plan.len();
    // First pass: p-values and effects.
    let mut claims: Vec<Claim> = plan
        .iter()
        .map(|c| {
            let a = find(rows, &c.scenario, &c.a);
            let b = find(rows, &c.scenario, &c.b);
            evaluate(c, a, b)
        })
        .collect();
    // Holm over the family: every planned comparison counts, tested or not.
    let ps: Vec<f64> = claims.iter().map(|c| c.p.unwrap_or(1.0)).collect();
    let holm = stat::holm(&ps, ALPHA);
    for (c, h) in claims.iter_mut().zip(holm) {
        c.threshold = c.p.map(|_| h.threshold);
        if c.outcome != Outcome::NoDifference || !h.rejected {
            continue;
        }
        let (Some(side), Some(shift)) = (c.side, c.shift) else {
            continue;
        };
        // The test already put the effect beyond the ratio floor; the shift must also pass
        // the strategies' own timer lateness, in the same direction.
        let same_way = (side == Outcome::Lower) == (shift < 0.0);
        if same_way && shift.abs() > c.floor {
            c.outcome = side;
        }
    }
    // Controls: a difference found where there can be none withholds what it contaminates.
    let mut controls = Vec::new();
    for c in claims.iter().filter(|c| c.comparison.question.is_control()) {
        let q = c.comparison.question;
        controls.push(Control {
            id: c.comparison.id.clone(),
            scenario: c.comparison.scenario.clone(),
            question: q,
            passed: !c.outcome.is_claim(),
            tested: c.p.is_some(),
            withholds: match q {
                Question::ControlAa => "every claim of the scenario".to_owned(),
                _ => "the scenario's second-core claims".to_owned(),
            },
        });
    }
    for ctl in controls.iter().filter(|c| !c.passed) {
        for c in claims.iter_mut().filter(|c| {
            c.comparison.scenario == ctl.scenario
                && !c.comparison.question.is_control()
                && c.outcome.is_claim()
                && (ctl.question == Question::ControlAa
                    || matches!(
                        c.comparison.question,
                        Question::SecondCore | Question::DeskSecondCore
                    ))
        }) {
            c.outcome = Outcome::Withheld;
        }
    }
    Claims {
        rule: Some(Rule {
            test: "exact two-sided Mann–Whitney on per-run values (runs are the unit), of b against a scaled by the effect floor (a / 1.2 for a lower claim, a × 1.2 for a higher one)".to_owned(),
            correction: "Holm over every planned comparison, controls included".to_owned(),
            alpha: ALPHA,
            min_ratio: MIN_RATIO,
            at_cap_missed: AT_CAP_MISSED,
            family,
        }),
        claims,
        controls,
    }
}

/// The test's inputs and p-value for one comparison (outcome `NoDifference` when tested; the
/// correction and the floor decide later).
fn evaluate(c: &Comparison, a: Option<&Row>, b: Option<&Row>) -> Claim {
    let runs = |r: Option<&Row>| {
        r.and_then(|r| r.per_run.get(&c.figure).cloned())
            .unwrap_or_default()
    };
    let mut claim = Claim {
        comparison: c.clone(),
        a_runs: runs(a),
        b_runs: runs(b),
        p: None,
        threshold: None,
        side: None,
        ratio: None,
        shift: None,
        floor: 0.0,
        outcome: Outcome::NotMeasured,
    };
    let (Some(a), Some(b)) = (a, b) else {
        return claim;
    };
    if a.status.is_failure()
        || b.status.is_failure()
        || claim.a_runs.len() < 2
        || claim.b_runs.len() < 2
    {
        return claim;
    }
    let idle = |r: &Row| {
        r.per_run
            .get("idle_timer_lateness_us")
            .and_then(|v| v.iter().copied().reduce(f64::max))
            .unwrap_or(r.figures.idle_timer_lateness_us)
    };
    claim.floor = if c.figure.ends_with("_us.mean") || c.figure.contains("_us.") {
        idle(a).max(idle(b)).max(0.0)
    } else {
        0.0
    };
    // Two cells at the cap are not compared; a control is tested all the same (a harness that
    // favoured one side would still show in how many callers each kept).
    if !c.question.is_control()
        && a.figures.missed_share >= AT_CAP_MISSED
        && b.figures.missed_share >= AT_CAP_MISSED
    {
        claim.outcome = Outcome::BothAtCap;
        return claim;
    }
    // The minimum-effect test: "b is at least MIN_RATIO× lower" is b against a / MIN_RATIO,
    // "at least MIN_RATIO× higher" is b against a × MIN_RATIO; the side b's runs lean to is
    // tested (an effect at the floor gives p ≈ 1, not a coin toss at the threshold).
    let scaled = |f: f64| claim.a_runs.iter().map(|v| v * f).collect::<Vec<f64>>();
    let (down, up) = (scaled(1.0 / MIN_RATIO), scaled(MIN_RATIO));
    let (p, side) = if stat::hodges_lehmann_shift(&down, &claim.b_runs) < 0.0 {
        (
            stat::mann_whitney_exact(&down, &claim.b_runs),
            Some(Outcome::Lower),
        )
    } else if stat::hodges_lehmann_shift(&up, &claim.b_runs) > 0.0 {
        (
            stat::mann_whitney_exact(&up, &claim.b_runs),
            Some(Outcome::Higher),
        )
    } else {
        (1.0, None)
    };
    claim.p = Some(p);
    claim.side = side;
    claim.ratio = stat::hodges_lehmann_ratio(&claim.a_runs, &claim.b_runs);
    claim.shift = Some(stat::hodges_lehmann_shift(&claim.a_runs, &claim.b_runs));
    claim.outcome = Outcome::NoDifference;
    claim
}
