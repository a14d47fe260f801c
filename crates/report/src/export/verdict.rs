//! The verdict table of `summary.md` and README: one row per scenario, rendered from the
//! verdicts `analysis::verdict` decided.

use super::markdown::escape as esc;
use analysis::verdict::{Answer, Call, Verdict};

/// The verdict as a markdown table, one row per scenario; `None` when there is none.
#[must_use]
pub fn markdown(verdicts: &[Verdict]) -> Option<String> {
    if verdicts.is_empty() {
        return None;
    }
    let answer = |a: &Answer| format!("**{}**: {}", a.call.word(), esc(&a.text));
    let purpose = |a: &Answer| {
        let word = match a.call {
            Call::Yes => "shown",
            Call::No => "NOT shown",
            Call::Unclear => "unclear",
            Call::NotMeasured => "not measured",
            Call::NotApplicable => "not applicable",
        };
        format!("**{word}**: {}", esc(&a.text))
    };
    let mut s = String::from(
        "| Scenario | Does interleaving help on 1 core? | Does a second core help? | Best on this machine (described: missed, then mean wait of all callers; on a batch day, makespan) | Why | Did the scenario show its purpose? |\n|---|---|---|---|---|---|\n",
    );
    for v in verdicts {
        let purpose_line = v
            .preset
            .map(|sc| format!("_{}_ — ", esc(sc.purpose())))
            .unwrap_or_default();
        s.push_str(&format!(
            "| {} (up to {} run{} per cell) | {} | {} | {} | {} | {purpose_line}{} |\n",
            esc(&v.scenario),
            v.runs,
            if v.runs == 1 { "" } else { "s" },
            answer(&v.interleaving),
            answer(&v.second_core),
            esc(&v.best),
            esc(&v.why),
            purpose(&v.purpose),
        ));
    }
    s.push_str(
        "\n_Yes/no only from the claims (below): yes where a planned comparison found the switching (or \
         more-cores) cell clearly better, no where every one found it clearly worse, otherwise unclear. \
         Interleaving: the one-worker run-to-completion secretary against each one-worker secretary that \
         switches, on 1 core (found by declared arrangement). Second core: each arrangement that can use one, \
         1 core against more. The best cell is described by its median, not tested after being picked._\n",
    );
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use analysis::verdict::verdicts;
    use lab::fixtures::{declared, sample_results};
    use lab::row::Row;

    #[test]
    fn one_row_per_scenario_with_the_calls_in_bold() {
        let mut rows = sample_results().rows;
        for r in &mut rows {
            r.arrangement = declared(&r.strategy);
        }
        let table = markdown(&verdicts(&rows, None, &Default::default())).unwrap();
        assert!(
            table.contains(
                "| office (up to 3 runs per cell) | **not measured**: no comparison planned"
            ),
            "{table}"
        );
        assert!(markdown(&[]).is_none());
    }

    /// Prints the verdict of a committed results folder: `VERDICT_OF=results/<run> cargo test
    /// -p report --lib export::verdict::tests::print -- --ignored --nocapture`.
    #[test]
    #[ignore = "reads a results folder named by VERDICT_OF"]
    fn print() {
        let dir = std::env::var("VERDICT_OF").expect("VERDICT_OF");
        let text = std::fs::read_to_string(format!("{dir}/summary.json")).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let rows: Vec<Row> = serde_json::from_value(doc["rows"].clone()).unwrap();
        let claims = serde_json::from_value(doc["claims"].clone()).unwrap_or_default();
        eprintln!("{}", markdown(&verdicts(&rows, None, &claims)).unwrap());
    }
}
