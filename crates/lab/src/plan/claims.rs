//! The claims plan: which cells a compare will compare, on which figure, decided before anything
//! runs — from the strategies' declared arrangements, the scenarios and the core counts, never
//! from the results. Analysis tests exactly these comparisons (and no others) and corrects for
//! all of them at once; the plan gives the cells they need [`CLAIM_RUNS`] runs.
//!
//! Per claim scenario ([`CLAIM_SCENARIOS`]):
//! - **interleaving**: the baseline (one worker, run to completion) on 1 core against each
//!   one-worker arrangement that switches between jobs, on 1 core;
//! - **second core**: each arrangement that can use a second core
//!   ([`Arrangement::can_use_cores`]) on 1 core against the most cores; where the scenario has
//!   desk work and the desk is split across cores, also its appointment lateness;
//! - on a **batch** day (`month-end`: every check due at the opening, no calls) there is no
//!   caller and no interleaving question: the second-core comparisons and the controls are
//!   decided on the day's makespan ([`MAKESPAN_FIGURE`]) instead;
//! - **controls**, which must come out "no difference": an A/A pair (one cell run again as its
//!   twin, same seeds, runs interleaved) and a one-worker arrangement that cannot use a second
//!   core on 1 against the most cores (the A/A pair on the first one-worker switching
//!   arrangement, the one-worker control on the baseline). Controls are tested even where
//!   both cells sit at the patience cap.

use crate::discover::Strategy;
use serde::{Deserialize, Serialize};
use workload::arrangement::{Switching, Workers};
use workload::{Arrangement, Scenario};

/// Runs per cell that a planned comparison uses: 7 against 7 gives an exact two-sided p of
/// 2 / C(14, 7) = 0.00058 when every run of one beats every run of the other, which passes a
/// Holm correction at 5 % over up to 85 comparisons.
pub const CLAIM_RUNS: usize = 7;
/// Runs of a cell no comparison uses (it is described, not tested).
pub const DESCRIBED_RUNS: usize = 1;
/// Scenarios where a full compare plans claims. `call-center` is described, not tested: its
/// calls last seconds, so a day takes ~6 s and seven runs of every cell would not fit the
/// compare's budget; its question (memory per call in flight) is `harness memory`'s.
pub const CLAIM_SCENARIOS: [Scenario; 4] = [
    Scenario::Office,
    Scenario::BackOffice,
    Scenario::RushHour,
    Scenario::MonthEnd,
];
/// The figure every caller-side comparison is decided on: each run's mean wait over all offered
/// callers (missed ones counted at patience). A mean is well estimated by one day (a p99 of
/// ~700 calls rests on 7 samples beyond it), and over all callers a cell cannot look better by
/// dropping calls.
pub const CALLER_FIGURE: &str = "wait_all_us.mean";
/// The figure of a desk comparison: each run's median appointment lateness (a run records
/// lateness percentiles, not its mean; the median of a day's checks is well estimated).
pub const DESK_FIGURE: &str = "appointment_lateness_us.p50";
/// The figure of a batch day's comparisons: each run's makespan, opening → last check done
/// (there are no callers to wait).
pub const MAKESPAN_FIGURE: &str = "makespan_us";
/// Figures each row keeps per run (for the test, and so a claim can be recomputed from
/// `summary.json`).
pub const PER_RUN_FIGURES: [&str; 5] = [
    CALLER_FIGURE,
    DESK_FIGURE,
    MAKESPAN_FIGURE,
    "missed_share",
    "idle_timer_lateness_us",
];

/// What a comparison asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Question {
    /// Does switching between jobs on one core help: baseline (a) against a one-worker
    /// switching arrangement (b), both on 1 core.
    Interleaving,
    /// Does a second core help callers (on a batch day: finish the batch sooner): an
    /// arrangement on 1 core (a) against itself on more (b).
    SecondCore,
    /// Does a second core get the desk done sooner: a desk split across cores, 1 core (a)
    /// against more (b), on appointment lateness.
    DeskSecondCore,
    /// Control: one cell (a) against its twin (b), same seeds. Must show no difference.
    #[serde(rename = "control-a-a")]
    ControlAa,
    /// Control: an arrangement that cannot use a second core, 1 core (a) against more (b).
    /// Must show no difference.
    ControlOneWorker,
}

impl Question {
    /// Whether this is a negative control (must come out "no difference").
    #[must_use]
    pub fn is_control(self) -> bool {
        matches!(self, Question::ControlAa | Question::ControlOneWorker)
    }

    /// The kebab-case name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Question::Interleaving => "interleaving",
            Question::SecondCore => "second-core",
            Question::DeskSecondCore => "desk-second-core",
            Question::ControlAa => "control-a-a",
            Question::ControlOneWorker => "control-one-worker",
        }
    }
}

/// One cell a comparison names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CellRef {
    pub strategy: String,
    pub cores: usize,
    /// The A/A control's second copy of a cell.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub twin: bool,
}

impl CellRef {
    fn new(strategy: &Strategy, cores: usize) -> CellRef {
        CellRef {
            strategy: strategy.name.clone(),
            cores,
            twin: false,
        }
    }

    /// `sequential@1c`, `sequential@1c-twin`.
    #[must_use]
    pub fn label(&self) -> String {
        format!(
            "{}@{}c{}",
            self.strategy,
            self.cores,
            if self.twin { "-twin" } else { "" }
        )
    }
}

/// One planned comparison: figure `figure` of cell `b` against cell `a` in `scenario` (a is the
/// baseline or the fewer cores; lower is better for every figure compared).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Stable across runs of the same plan: `office/second-core/threads@1c/threads@2c/wait_all_us.mean`.
    pub id: String,
    /// The scenario label (`office`).
    pub scenario: String,
    pub question: Question,
    pub a: CellRef,
    pub b: CellRef,
    /// A dotted figure name, one of [`PER_RUN_FIGURES`].
    pub figure: String,
}

impl Comparison {
    fn new(scenario: Scenario, question: Question, a: CellRef, b: CellRef, figure: &str) -> Self {
        Comparison {
            id: format!(
                "{}/{}/{}/{}/{figure}",
                scenario.name(),
                question.name(),
                a.label(),
                b.label()
            ),
            scenario: scenario.name().to_owned(),
            question,
            a,
            b,
            figure: figure.to_owned(),
        }
    }
}

/// The essay's baseline: one worker that runs each job to completion.
#[must_use]
pub fn is_baseline(a: Option<Arrangement>) -> bool {
    a.is_some_and(|a| a.workers == Workers::One && a.switching == Switching::RunToCompletion)
}

/// One worker that switches between jobs (the secretary who picks up between chunks).
fn interleaves(a: Option<Arrangement>) -> bool {
    a.is_some_and(|a| a.workers == Workers::One && a.switching != Switching::RunToCompletion)
}

/// The comparisons of one claim scenario, for `strategies` run on `cores` (simulated lines).
/// Without two core counts there is no second-core question and no one-worker control.
#[must_use]
pub fn comparisons(
    scenario: Scenario,
    strategies: &[Strategy],
    cores: &[usize],
) -> Vec<Comparison> {
    let mut out = Vec::new();
    let (Some(&lo), Some(&hi)) = (cores.iter().min(), cores.iter().max()) else {
        return out;
    };
    let spec = scenario.spec();
    // A batch has no callers: its one figure is the makespan, and there is nothing to
    // interleave with the checks.
    let (batch, figure) = if spec.is_batch() {
        (true, MAKESPAN_FIGURE)
    } else {
        (false, CALLER_FIGURE)
    };
    let baseline = strategies.iter().find(|s| is_baseline(s.arrangement));
    if let Some(base) = baseline.filter(|_| !batch) {
        for s in strategies.iter().filter(|s| interleaves(s.arrangement)) {
            out.push(Comparison::new(
                scenario,
                Question::Interleaving,
                CellRef::new(base, lo),
                CellRef::new(s, lo),
                CALLER_FIGURE,
            ));
        }
    }
    let has_desk = !batch && spec.appointments_per_s > 0.0;
    if hi > lo {
        for s in strategies
            .iter()
            .filter(|s| s.arrangement.is_some_and(|a| a.can_use_cores()))
        {
            out.push(Comparison::new(
                scenario,
                Question::SecondCore,
                CellRef::new(s, lo),
                CellRef::new(s, hi),
                figure,
            ));
            if has_desk
                && s.arrangement
                    .is_some_and(|a| a.desk == workload::arrangement::Desk::SplitAcrossCores)
            {
                out.push(Comparison::new(
                    scenario,
                    Question::DeskSecondCore,
                    CellRef::new(s, lo),
                    CellRef::new(s, hi),
                    DESK_FIGURE,
                ));
            }
        }
    }
    // Controls, chosen by declaration. A/A: the first one-worker arrangement that switches and
    // cannot use a second core (a noisy cell that keeps up, so the pair tests the machine's
    // noise), else the baseline, else the first strategy. One worker on 1 against 2 cores: the
    // baseline (no runtime threads beside its one worker: a one-worker runtime's own reactor
    // or timer threads would be the strategy's parallelism, not the harness's), else the
    // first strategy that cannot use a second core.
    let cannot = |s: &&Strategy| s.arrangement.is_some_and(|a| !a.can_use_cores());
    let switcher = strategies
        .iter()
        .find(|s| interleaves(s.arrangement) && cannot(s));
    let one_worker = baseline.or_else(|| strategies.iter().find(cannot));
    if let Some(aa) = switcher.or(baseline).or(strategies.first()) {
        let mut twin = CellRef::new(aa, lo);
        twin.twin = true;
        out.push(Comparison::new(
            scenario,
            Question::ControlAa,
            CellRef::new(aa, lo),
            twin,
            figure,
        ));
    }
    if hi > lo
        && let Some(s) = one_worker
    {
        out.push(Comparison::new(
            scenario,
            Question::ControlOneWorker,
            CellRef::new(s, lo),
            CellRef::new(s, hi),
            figure,
        ));
    }
    out
}

/// Whether a comparison in `plan` uses the cell.
#[must_use]
pub fn uses(plan: &[Comparison], scenario: &str, cell: &CellRef) -> bool {
    plan.iter()
        .any(|c| c.scenario == scenario && (c.a == *cell || c.b == *cell))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_per_run_figure_is_a_figure_a_run_records() {
        // The optional figures named, as a day with checks records them.
        let dotted = crate::figures::Figures {
            makespan_us: Some(1.0),
            ..crate::figures::Figures::default()
        }
        .dotted();
        for f in PER_RUN_FIGURES {
            assert!(dotted.contains_key(f), "{f} is not a field of Figures");
        }
    }
}
