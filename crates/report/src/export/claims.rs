//! The claims section of `summary.md`: the rule and its error rate, the negative controls, and
//! every planned comparison with the per-run medians, the effect, the p-value and the threshold
//! it had to pass — rendered from what `analysis::claims` decided, nothing recomputed.

use super::markdown::escape as esc;
use analysis::claims::{Claims, Outcome};
use analysis::verdict::format_p;
use lab::format::{format_factor, format_share, format_us};

/// A warning for the top of the summary when a control failed; `None` when all passed.
#[must_use]
pub fn control_warning(claims: &Claims) -> Option<String> {
    let failed: Vec<String> = claims
        .failed_controls()
        .map(|c| format!("`{}` ({} withheld)", esc(&c.id), esc(&c.withholds)))
        .collect();
    (!failed.is_empty()).then(|| {
        format!(
            "> **A negative control failed**: the rule found a difference where there can be none, so this machine or harness made the difference: {}.\n\n",
            failed.join("; ")
        )
    })
}

/// The section; `None` when the compare planned no comparison (a quick compare).
#[must_use]
pub fn markdown(claims: &Claims) -> Option<String> {
    let rule = claims.rule.as_ref()?;
    let mut s = format!(
        "Every cell-against-cell claim comes from a comparison planned before the run from the \
         declared arrangements (never picked from the results), decided by an {}, \
         corrected by {}: family-wise error ≤ {} over the {} comparisons of this compare. A claim says b is at least {}× lower (or higher) than a: the \
         test compares b with a scaled by that floor, and the Hodges–Lehmann shift must also pass \
         both strategies' idle timer lateness; two cells that each missed ≥ {} of calls are \"both at the cap\", not \
         compared. The figure is each run's mean wait over all callers (missed ones at \
         patience), or its median appointment lateness for the desk.\n\n",
        rule.test,
        rule.correction,
        format_share(rule.alpha),
        rule.family,
        rule.min_ratio,
        format_share(rule.at_cap_missed),
    );
    let passed = claims
        .controls
        .iter()
        .filter(|c| c.passed && c.tested)
        .count();
    s.push_str(&format!(
        "**Negative controls:** {passed} of {} passed ({}).\n\n",
        claims.controls.len(),
        claims
            .controls
            .iter()
            .map(|c| format!(
                "`{}` {}",
                esc(&c.id),
                if !c.tested {
                    "not tested"
                } else if c.passed {
                    "no difference"
                } else {
                    "FAILED"
                }
            ))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    s.push_str("| Scenario | Question | b against a | Figure | a (median) | b (median) | b against a (HL) | p | Holm threshold | Outcome |\n|---|---|---|---|---|---|---|---|---|---|\n");
    let med = |v: &[f64]| {
        let mut v = v.to_vec();
        lab::figures::median(&mut v).unwrap_or(f64::NAN)
    };
    for c in &claims.claims {
        let cmp = &c.comparison;
        let outcome = match c.outcome {
            o @ (Outcome::Lower | Outcome::Higher) => format!("**{}**", o.word()),
            o => o.word().to_owned(),
        };
        s.push_str(&format!(
            "| {} | {} | {} against {} | `{}` | {} | {} | {} | {} | {} | {} |\n",
            esc(&cmp.scenario),
            cmp.question.name(),
            esc(&cmp.b.label()),
            esc(&cmp.a.label()),
            cmp.figure,
            format_us(med(&c.a_runs)),
            format_us(med(&c.b_runs)),
            c.ratio.map_or("–".to_owned(), |r| if r < 1.0 {
                format!("{} lower", format_factor(1.0 / r))
            } else {
                format!("{} higher", format_factor(r))
            }),
            c.p.map_or("–".to_owned(), format_p),
            c.threshold.map_or("–".to_owned(), format_p),
            outcome
        ));
    }
    s.push_str(
        "\n_Each claim's per-run values, p, threshold and effect are in `summary.json` (`claims`), \
         so it can be recomputed from that file alone; `harness replicate OLD NEW` checks \
         whether a second run repeats them._\n",
    );
    Some(s)
}
