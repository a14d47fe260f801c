//! The results tables of `summary.md`: per scenario one table of the rows outside sweeps (with
//! the load the scenario offered here and a note on the runs), then one table per swept
//! parameter; a batch day (`month-end`: no calls) gets the batch's columns — makespan and
//! checks per second — instead of the empty pick-up ones. The cells of a row are in `cells.rs`.

use super::cells::{batch_cells_of, cells_of, prediction_cell, us_cell};
use super::text::escape;
use analysis::findings::{sweep_parts, sweep_value_order};
use lab::format::{format_cores, group_thousands};
use lab::row::Row;
use lab::select::first_seen;
use serde_json::Value;
use std::fmt::Write as _;

/// The table(s) of `rows`: per scenario (first-seen order) a `### <scenario>` heading, the load
/// the scenario offered on this machine (from `env`'s `scenario_units`, where recorded) and one
/// table of the rows outside sweeps, then per swept parameter a `### <scenario> — <param>
/// sweep` table. Rows keep their order, except in sweep tables, which go by strategy (first
/// seen), cores, then swept value (numerically).
#[must_use]
pub fn markdown_table(rows: &[Row], env: &Value) -> String {
    let groups: Vec<(&str, Option<&str>)> = first_seen(rows, |r| {
        (
            r.scenario.as_str(),
            r.sweep.as_deref().map(|sw| sweep_parts(sw).0),
        )
    });
    // Outside-sweep tables first within each scenario.
    let scenarios = first_seen(&groups, |g| g.0);
    let mut ordered: Vec<(&str, Option<&str>)> = Vec::new();
    for sc in scenarios {
        ordered.extend(
            groups
                .iter()
                .copied()
                .filter(|(s, p)| *s == sc && p.is_none()),
        );
        ordered.extend(
            groups
                .iter()
                .copied()
                .filter(|(s, p)| *s == sc && p.is_some()),
        );
    }
    let mut out = String::new();
    for (scenario, param) in ordered {
        let mut members: Vec<&Row> = rows
            .iter()
            .filter(|r| {
                r.scenario == scenario && r.sweep.as_deref().map(|sw| sweep_parts(sw).0) == param
            })
            .collect();
        if param.is_some() {
            // A sweep reads along its values: by strategy (first seen), cores, then value.
            let strategies: Vec<&str> = members.iter().map(|r| r.strategy.as_str()).collect();
            let first = |s: &str| strategies.iter().position(|x| *x == s);
            let value = |r: &Row| {
                sweep_parts(r.sweep.as_deref().unwrap_or_default())
                    .1
                    .to_owned()
            };
            members.sort_by(|a, b| {
                first(&a.strategy)
                    .cmp(&first(&b.strategy))
                    .then(a.cores.cmp(&b.cores))
                    .then_with(|| sweep_value_order(&value(a), &value(b)))
            });
        }
        match param {
            None => {
                let _ = writeln!(out, "### {}\n", escape(scenario));
                if members
                    .iter()
                    .any(|r| r.lines == workload::spec::Lines::Tcp)
                {
                    let _ = writeln!(
                        out,
                        "Over real loopback TCP lines: calls, pick-ups, every caller's wait, replies \
                         and missed calls are the caller process's measurements (from the schedule); \
                         *own pick-up* is what the strategy timed itself. The caller ran on CPUs the \
                         strategy did not have where the machine had any left, else on the same \
                         ones.\n"
                    );
                }
                if let Some(line) = load_line(env, scenario) {
                    let _ = writeln!(out, "{line}\n");
                }
            }
            Some(p) => {
                let _ = writeln!(out, "### {} — {} sweep\n", escape(scenario), escape(p));
            }
        }
        if param.is_none() && analysis::verdict::batch::is_batch_day(&members) {
            let _ = writeln!(out, "{}\n", batch_note(&members));
            batch_table(&mut out, &members);
        } else {
            let _ = writeln!(out, "{}\n", runs_note(&members));
            table(&mut out, &members, param);
        }
        out.push('\n');
    }
    out
}

/// The load a scenario offered here, from `env.json`'s `scenario_units` (recorded by the
/// sweep): intended (its µs of CPU) and at this machine's ns per unit, with the work units
/// every strategy got.
fn load_line(env: &Value, scenario: &str) -> Option<String> {
    let u = &env["scenario_units"][scenario];
    let offered = u["offered_cores"].as_f64()?;
    let intended = u["intended_cores"].as_f64()?;
    let units = |k: &str| {
        u[k].as_u64()
            .map_or_else(|| "?".to_owned(), group_thousands)
    };
    let ns = env["ns_per_unit"]
        .as_f64()
        .map_or_else(String::new, |n| format!(" at {n:.0} ns per unit"));
    // A batch day has no rate to offer: its work is the pile, all due at the opening.
    if let Some(spec) = scenario
        .parse::<workload::Scenario>()
        .ok()
        .map(workload::Scenario::spec)
        .filter(workload::Spec::is_batch)
    {
        let check_us = u["desk_work"]
            .as_f64()
            .zip(env["ns_per_unit"].as_f64())
            .map(|(w, n)| w * n / 1e3);
        let n = spec.batch_size();
        return Some(format!(
            "_The batch here: {n} appointment checks of {} work units each{}{ns}, all due at the opening, no calls._",
            units("desk_work"),
            check_us.map_or_else(String::new, |us| format!(
                " (≈{} of CPU each, ≈{} for the pile on one core)",
                lab::format::format_us(us),
                lab::format::format_us(us * n as f64)
            )),
        ));
    }
    Some(format!(
        "_Load here: {} of CPU offered (intended ~{}; pick-up {}, reply {}, desk {}, chunk {} work units{ns})._",
        format_cores(offered),
        format_cores(intended),
        units("pickup_work"),
        units("reply_work"),
        units("desk_work"),
        units("chunk"),
    ))
}

/// The line under a table's heading: how many runs its cells have, what the figures are, and
/// what a dagger means.
fn runs_note(rows: &[&Row]) -> String {
    let mut runs: Vec<usize> = rows.iter().map(|r| r.runs).collect();
    runs.sort_unstable();
    runs.dedup();
    let runs = match runs.as_slice() {
        [one] => format!("{one} run{} per cell", if *one == 1 { "" } else { "s" }),
        many => format!(
            "{}–{} runs per cell",
            many.first().unwrap_or(&0),
            many.last().unwrap_or(&0)
        ),
    };
    let theory = if rows.iter().any(|r| r.prediction.is_some()) {
        " Mean wait beyond delivery delay: the mean pick-up minus the smaller of the strategy's idle-day timer lateness and its median pick-up, beside the queueing theory's prediction of that part (no ratio where the prediction is below the delay)."
    } else {
        ""
    };
    format!(
        "_{runs}, each with its own seed. p50 and p99 are medians across runs with [min–max] of the runs; p99.9 and max come from every sample of every run. All callers: a missed caller counted at the moment they hung up. † rests on fewer than 10 samples beyond it.{theory}_"
    )
}

/// The line under a batch day's heading.
fn batch_note(rows: &[&Row]) -> String {
    let runs = runs_note(rows);
    let runs = runs
        .split(", each with its own seed.")
        .next()
        .unwrap_or_default()
        .trim_start_matches('_');
    format!(
        "_{runs}, each with its own seed. A batch: every check is due at the opening and there are no calls. Makespan: from the opening to the moment the last check was done, the median across runs with [min–max] of the runs; checks/s: the checks over that makespan; checks done: over all runs._"
    )
}

/// A batch day's table: its own columns.
fn batch_table(out: &mut String, rows: &[&Row]) {
    let _ = writeln!(
        out,
        "| Strategy | Cores | Status | Checks done | Makespan [min–max] | Checks/s | CPU/wall | Max RSS MiB |"
    );
    let _ = writeln!(out, "|---|---:|---|---:|---:|---:|---:|---:|");
    for r in rows {
        let _ = writeln!(out, "| {} |", batch_cells_of(r).join(" | "));
    }
}

/// One table; `param` adds a first column with the swept value.
fn table(out: &mut String, rows: &[&Row], param: Option<&str>) {
    let predicted = rows.iter().any(|r| r.prediction.is_some());
    let tcp = rows.iter().any(|r| r.lines == workload::spec::Lines::Tcp);
    let mut head: Vec<String> = Vec::new();
    let mut align: Vec<&str> = Vec::new();
    if let Some(p) = param {
        head.push(escape(p));
        align.push("---:");
    }
    for (h, a) in [
        ("Strategy", "---"),
        ("Cores", "---:"),
        ("Status", "---"),
        ("Answered / offered", "---:"),
        ("Missed", "---:"),
        ("Pick-up p50", "---:"),
        ("Pick-up p99 [min–max]", "---:"),
        ("All callers p99 [min–max]", "---:"),
        ("Pick-up p99.9", "---:"),
        ("Pick-up max", "---:"),
        ("Reply p99", "---:"),
        ("Appt lateness p99", "---:"),
        ("CPU/wall", "---:"),
        ("Max RSS MiB", "---:"),
    ] {
        head.push(h.into());
        align.push(a);
    }
    if tcp {
        for h in [
            "Own pick-up p99",
            "Caller late p50",
            "Peak connections",
            "Never connected",
        ] {
            head.push(h.into());
            align.push("---:");
        }
    }
    if predicted {
        head.push("Mean wait beyond delivery delay: measured / predicted".into());
        align.push("---:");
    }
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}|", align.join("|"));
    for r in rows {
        let mut cells: Vec<String> = Vec::new();
        if param.is_some() {
            cells.push(escape(
                r.sweep
                    .as_deref()
                    .map(|sw| sweep_parts(sw).1)
                    .unwrap_or_default(),
            ));
        }
        cells.extend(cells_of(r));
        if tcp {
            let answered = r.answered_calls > 0;
            cells.push(us_cell(r.figures.self_pickup_us.p99, answered));
            cells.push(us_cell(
                r.figures.caller_lateness_us.p50,
                r.offered_calls > 0,
            ));
            cells.push(format!("{:.0}", r.figures.peak_connections));
            cells.push(format!("{:.0}", r.figures.never_connected));
        }
        if predicted {
            cells.push(prediction_cell(r));
        }
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_day_states_its_pile_not_a_load_in_cores() {
        let env = serde_json::json!({"ns_per_unit": 634.0, "scenario_units": {"month-end": {
            "pickup_work": 32, "reply_work": 79, "desk_work": 15782, "chunk": 158,
            "intended_cores": 5.0, "offered_cores": 4.9998}}});
        let line = load_line(&env, "month-end").unwrap_or_default();
        assert_eq!(
            line,
            "_The batch here: 50 appointment checks of 15,782 work units each (≈10.0 ms of CPU each, ≈500.3 ms for the pile on one core) at 634 ns per unit, all due at the opening, no calls._"
        );
        assert!(!line.contains("cores"), "{line}");
    }

    #[test]
    fn tables_per_scenario_and_sweep() {
        let r = lab::fixtures::sample_results();
        let mut rows = r.rows.clone();
        let mut sw = rows[0].clone();
        sw.sweep = Some("chunk=1000".into());
        rows.push(sw);
        let env = serde_json::json!({"ns_per_unit": 1026.4, "scenario_units": {"office": {
            "pickup_work": 19, "reply_work": 49, "desk_work": 4871, "chunk": 97,
            "intended_cores": 0.134, "offered_cores": 0.1339}}});
        let t = markdown_table(&rows, &env);
        assert!(t.contains("_Load here: 0.13 core of CPU offered (intended ~0.13 core; pick-up 19, reply 49, desk 4,871, chunk 97 work units at 1026 ns per unit)._"), "{t}");
        assert_eq!(
            t.matches("_Load here").count(),
            1,
            "back-office has no units recorded"
        );
        assert_eq!(t.matches("### ").count(), 3, "{t}");
        assert!(t.contains("### office — chunk sweep"));
        assert!(t.contains("| chunk | Strategy |"));
        // One header, one alignment row, one row per member.
        let office = t.split("### ").nth(1).unwrap_or_default();
        assert_eq!(office.lines().filter(|l| l.starts_with('|')).count(), 2 + 4);
    }

    #[test]
    fn a_batch_day_shows_its_makespan_and_checks_per_second_not_pick_ups() {
        let mut r = lab::fixtures::sample_results().rows[0].clone();
        r.scenario = "month-end".into();
        (r.offered_calls, r.answered_calls, r.missed_calls) = (0, 0, 0);
        r.appointments_done = 150;
        r.runs = 3;
        r.figures.makespan_us = Some(262_000.0);
        r.figures.checks_per_s = Some(190.8);
        r.ranges
            .insert("makespan_us".into(), [255_000.0, 270_000.0]);
        let t = markdown_table(&[r.clone()], &Value::Null);
        assert!(
            t.contains(
                "| Strategy | Cores | Status | Checks done | Makespan [min–max] | Checks/s |"
            ),
            "{t}"
        );
        assert!(
            t.contains("| 150 | 262.0 [255.0–270.0] ms | 190.8 |"),
            "{t}"
        );
        assert!(!t.contains("Pick-up p50"), "{t}");
        assert!(
            t.contains("_3 runs per cell, each with its own seed. A batch"),
            "{t}"
        );
        // A day with calls keeps the callers' columns.
        let office = lab::fixtures::sample_results().rows[0].clone();
        assert!(markdown_table(&[office], &Value::Null).contains("Pick-up p50"));
    }

    #[test]
    fn failure_reason_is_shown_escaped() {
        let mut r = lab::fixtures::sample_results().rows[0].clone();
        r.status = lab::row::Status::Wrong;
        r.reason = Some("digest | mismatch\nsecond line".into());
        let t = markdown_table(&[r], &Value::Null);
        assert!(
            t.contains("**wrong**: digest \\| mismatch second line"),
            "{t}"
        );
        assert_eq!(t.lines().filter(|l| l.starts_with('|')).count(), 3);
    }
}
