//! The files of `harness soak`: `soak.json` (every day and the summary) and `soak.md` (the
//! summary as tables: how each strategy × cores × day ended, the failures with their seeds,
//! the p99 spread, and the liar rule's headroom on honest real-line days).

use super::markdown::escape as esc;
use crate::exporter::{Format, Kind, Output};
use analysis::soak::SoakSummary;
use lab::format::{format_us, group_thousands};
use lab::soak::Soak;
use std::fmt::Write as _;

/// `soak.json` and `soak.md`.
pub fn files(soak: &Soak, summary: &SoakSummary) -> anyhow::Result<Vec<Output>> {
    let mut json =
        serde_json::to_vec_pretty(&serde_json::json!({ "summary": summary, "soak": soak }))?;
    json.push(b'\n');
    Ok(vec![
        Output::new("soak.json", json, Kind::Soak(Format::Json)),
        Output::new(
            "soak.md",
            markdown(soak, summary).into_bytes(),
            Kind::Soak(Format::Markdown),
        ),
    ])
}

/// The headline: days, failures, the liar rule's false positives.
#[must_use]
pub fn headline(soak: &Soak, s: &SoakSummary) -> String {
    format!(
        "{} days in {:.1} min ({} rounds, {}): {} crashed, {} timed out, {} wrong; the liar \
         rule judged {} honest real-line days and flagged {}",
        group_thousands(s.days as u64),
        soak.seconds_run / 60.0,
        soak.rounds,
        if soak.interrupted {
            "stopped by Ctrl-C"
        } else {
            "to the end of its time"
        },
        s.crashed,
        s.timeout,
        s.wrong,
        s.liar_judged,
        s.liar_flagged,
    )
}

/// The section `harness soak --readme` writes into `docs/soak.md`: which soak (linked from
/// `link`, the folder as seen from that file; its date, commit and machine from `env`), what
/// ran, how the days ended, and the liar rule's measured false-positive rate.
#[must_use]
pub fn readme_section(soak: &Soak, s: &SoakSummary, link: &str, env: &serde_json::Value) -> String {
    let list = |v: &[String]| v.join(", ");
    let cores: Vec<String> = s.cores.iter().map(ToString::to_string).collect();
    let seeds = s
        .seeds
        .map_or_else(String::new, |(a, b)| format!(", seeds {a} to {b}"));
    let mut out = format!(
        "{}.\n\n",
        super::reference_source(
            "Reference soak",
            &format!("{link}/soak.md"),
            env,
            "harness soak --readme"
        )
    );
    let _ = writeln!(
        out,
        "- **{} day{} in {:.1} min: {} crashed, {} timed out, {} wrong** ({} round{}{seeds}{}). \
         Strategies {}; days {}; cores {}.",
        group_thousands(s.days as u64),
        if s.days == 1 { "" } else { "s" },
        soak.seconds_run / 60.0,
        s.crashed,
        s.timeout,
        s.wrong,
        soak.rounds,
        if soak.rounds == 1 { "" } else { "s" },
        if soak.interrupted {
            "; stopped by Ctrl-C"
        } else {
            ""
        },
        list(&s.strategies),
        list(&s.scenarios),
        cores.join(", "),
    );
    let rate = if s.liar_judged == 0 {
        "no real-line day was judged, so this soak measures no false-positive rate".to_owned()
    } else {
        format!(
            "its measured false-positive rate is {} in {} honest days",
            s.liar_flagged, s.liar_judged
        )
    };
    let _ = write!(out, "- The liar rule: {rate}");
    if let Some(gap) = s.liar_largest_gap_us {
        let _ = write!(
            out,
            "; the largest gap between the caller's pick-up p99 and an honest strategy's own \
             was {}",
            format_us(gap)
        );
    }
    if let Some(h) = s.liar_closest_us {
        let _ = write!(
            out,
            ", and the closest day came {} under the line",
            format_us(h)
        );
    }
    out.push_str(".\n");
    out
}

/// The table of every cell.
#[must_use]
pub fn table(s: &SoakSummary) -> String {
    let mut out = String::from(
        "| Strategy | Cores | Day | Days | How they ended | p99 all callers [min, median, max] | Liar rule: judged days, closest headroom |\n|---|---:|---|---:|---|---|---|\n",
    );
    for c in &s.cells {
        let ended: Vec<String> = c.statuses.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let liar = if c.scenario.ends_with("-tcp") || c.liar_judged > 0 {
            match (c.liar_judged, c.liar_closest_us) {
                (0, _) => "not judged (the caller shared the strategy's CPUs)".to_owned(),
                (n, Some(h)) => format!("{n}, {} under the line", format_us(h)),
                (n, None) => format!("{n}, never below half"),
            }
        } else {
            "–".to_owned()
        };
        let [lo, mid, hi] = c.wait_all_p99_us;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} [{}, {}] | {liar} |",
            esc(&c.strategy),
            c.cores,
            esc(&c.scenario),
            c.days,
            ended.join(", "),
            format_us(mid),
            format_us(lo),
            format_us(hi),
        );
    }
    out
}

fn markdown(soak: &Soak, s: &SoakSummary) -> String {
    let mut out = String::from("# Soak\n\n");
    let _ = writeln!(out, "{}.\n", headline(soak, s));
    out.push_str(
        "Round after round on new seeds (round r: the first seed + r), every strategy × cores ran each \
         day below, verified exactly as in a compare, until the time was up. A `crashed`, \
         `timeout` or `wrong` day of a strategy in this workspace is a bug of the strategy or of \
         the harness. The liar rule judges a real-line day only where the caller had CPUs of its \
         own; its headroom is the allowance (",
    );
    let _ = write!(
        out,
        "{} + the caller's own lateness p99) minus the gap between the caller's pick-up p99 and \
         the strategy's own, on days where the strategy's own p99 was below half the caller's.\n\n",
        format_us(lab::callers_word::LIAR_FLOOR_US)
    );
    for (label, spec) in &soak.specs {
        let _ = writeln!(
            out,
            "- `{}`: {} s, {} calls/s, {} appointments/s, lines {}",
            esc(label),
            spec.duration_us as f64 / 1e6,
            spec.calls_per_s,
            spec.appointments_per_s,
            spec.lines.name()
        );
    }
    out.push('\n');
    out.push_str(&table(s));
    let failures: Vec<String> = s
        .cells
        .iter()
        .flat_map(|c| {
            c.failures.iter().map(move |(seed, status, why)| {
                format!(
                    "- {} {}c {} seed {seed}: **{status}**: {}",
                    esc(&c.strategy),
                    c.cores,
                    esc(&c.scenario),
                    esc(why)
                )
            })
        })
        .collect();
    out.push_str("\n## Failures\n\n");
    if failures.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(&failures.join("\n"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lab::row::Status;
    use lab::soak::SoakDay;
    use workload::Scenario;
    use workload::spec::Lines;

    #[test]
    fn the_files_name_every_failure_and_the_headline_counts() {
        let day = |status: Status| SoakDay {
            strategy: "threads".into(),
            cores: 1,
            scenario: "rush-hour".into(),
            preset: Scenario::RushHour,
            lines: Lines::Sim,
            round: 0,
            seed: 1_003,
            status,
            reason: (status == Status::Crashed).then(|| "killed by signal 11 (SIGSEGV)".into()),
            missed_share: 0.3,
            wait_all_p99_us: 50_000.0,
            pickup_p99_us: 40_000.0,
            self_pickup_p99_us: None,
            caller_lateness_p99_us: None,
            caller_shares_cpus: None,
            wall_s: 1.3,
        };
        let soak = Soak {
            minutes_planned: 1.0,
            seconds_run: 61.0,
            rounds: 2,
            ns_per_unit: 1_000.0,
            specs: vec![("rush-hour".into(), Scenario::RushHour.spec())],
            days: vec![day(Status::Saturated), day(Status::Crashed)],
            interrupted: false,
        };
        let summary = analysis::soak::summarise(&soak);
        let files = files(&soak, &summary).unwrap();
        let md = String::from_utf8(files[1].bytes.clone()).unwrap();
        assert!(md.contains("2 days in 1.0 min (2 rounds"), "{md}");
        assert!(md.contains("1 crashed, 0 timed out, 0 wrong"), "{md}");
        assert!(
            md.contains("- threads 1c rush-hour seed 1003: **crashed**: killed by signal 11"),
            "{md}"
        );
        assert!(
            md.contains("| threads | 1 | rush-hour | 2 | crashed 1, saturated 1 |"),
            "{md}"
        );
        let json: serde_json::Value = serde_json::from_slice(&files[0].bytes).unwrap();
        assert_eq!(json["summary"]["crashed"], 1);
        assert_eq!(json["soak"]["days"].as_array().unwrap().len(), 2);
    }
}
