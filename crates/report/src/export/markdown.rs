//! `summary.md`: a hyperfine-style markdown report — heading, environment line, one table per
//! scenario (and one per scenario × swept parameter), the findings, and the per-cell files.
//!
//! Numbers follow the one rule of [`crate::format`]: latencies below 10 000 µs in whole µs,
//! from there in ms with one decimal, thousands separators throughout. Latencies are medians
//! across runs; `[min–max]` across runs follows the p99 pick-up where the row has it.

use crate::exporter::{Exporter, Output};
use analysis::Analysed;
use analysis::findings::{sweep_parts, sweep_value_order};
use lab::format::{format_cores, format_share, format_us, group_thousands, us_number_in_unit_of};
use lab::row::Row;
use serde_json::Value;
use std::fmt::Write as _;

/// The markdown exporter.
#[derive(Debug)]
pub struct Markdown;

impl Exporter for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        Ok(vec![Output {
            file: "summary.md".into(),
            bytes: summary(results).into_bytes(),
        }])
    }
}

/// Longest failure reason shown in a table cell, in characters.
const REASON_MAX: usize = 240;

/// Escapes text for a markdown table cell or list item: no line breaks, pipes and markdown
/// punctuation backslash-escaped, angle brackets as entities.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut last_space = false;
    for c in s.trim().chars() {
        if c.is_control() || c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// `s` cut to `max` characters, with `…` when cut.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// A JSON scalar as text (strings without quotes), `None` for null/absent/empty.
fn env_text(v: &Value) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::String(s) => s.trim().to_owned(),
        // Integers as such; floats with at most one decimal (`930.0` → `930`).
        Value::Number(n) if n.is_f64() => n.as_f64().map_or_else(
            || n.to_string(),
            |f| format!("{}", (f * 10.0).round() / 10.0),
        ),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    };
    (!s.is_empty() && s != "unknown").then_some(s)
}

/// The environment in one line: CPU model, cores, ns per work unit, kernel, rustc, commit.
pub(super) fn env_line(env: &Value) -> String {
    let get = |keys: &[&str]| keys.iter().find_map(|k| env_text(&env[*k]));
    let mut parts = Vec::new();
    if let Some(cpu) = get(&["cpu_model"]) {
        parts.push(escape(&cpu));
    }
    if let Some(n) = get(&["logical_cores", "cores"]) {
        let mut p = format!("{} logical cores", escape(&n));
        if let Some(a) = get(&["cpus_allowed"]).filter(|a| *a != n) {
            p.push_str(&format!(" ({} allowed)", escape(&a)));
        }
        parts.push(p);
    }
    if env["virtualised"].as_bool() == Some(true) {
        parts.push("virtualised".into());
    }
    if let Some(ns) = get(&["ns_per_unit"]) {
        parts.push(format!("{} ns per work unit", escape(&ns)));
    }
    if let Some(k) = get(&["kernel"]) {
        parts.push(escape(&k));
    }
    if let Some(r) = get(&["rustc"]) {
        parts.push(escape(&r));
    }
    if let Some(c) = get(&["git_commit_built", "git_commit", "commit", "git_commit_now"]) {
        // Inside a code span nothing needs escaping but the backtick itself.
        let short: String = c
            .chars()
            .filter(|&ch| ch != '`' && !ch.is_control())
            .take(12)
            .collect();
        let dirty = if env["git_dirty_built"].as_bool() == Some(true) {
            " (dirty)"
        } else {
            ""
        };
        parts.push(format!("commit `{short}`{dirty}"));
    }
    if let Some(d) = get(&["date_utc"]) {
        parts.push(escape(&d));
    }
    if parts.is_empty() {
        "not recorded".into()
    } else {
        parts.join(" · ")
    }
}

/// One line per strategy: what it declared, and what the rows measured about concurrency and
/// parallelism — how many OS threads did secretary work, and how many cores were busy at most
/// when it had the most cores. "Parallel" is read off the measurements (more than 1.1 cores
/// busy on average in some verified row), never off the declaration.
#[must_use]
pub fn strategies_table(rows: &[Row]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for r in rows {
        if !names.contains(&r.strategy.as_str()) {
            names.push(&r.strategy);
        }
    }
    let mut out = String::from(
        "| Strategy | Declared arrangement | OS threads that did secretary work (max) | Cores busy on average (max, at the most cores) | Used a second core at once |\n|---|---|---:|---:|---|\n",
    );
    for name in names {
        let mine: Vec<&Row> = rows
            .iter()
            .filter(|r| r.strategy == name && r.sweep.is_none() && !r.status().is_failure())
            .collect();
        let declared = mine
            .iter()
            .find_map(|r| r.arrangement)
            .map_or_else(|| "undeclared".to_owned(), |a| a.describe());
        let most = mine.iter().map(|r| r.cores).max().unwrap_or(0);
        let threads = mine
            .iter()
            .map(|r| r.figures.threads_used)
            .fold(0.0, f64::max);
        let busy = mine
            .iter()
            .filter(|r| r.cores == most)
            .map(|r| r.figures.cpu_per_wall)
            .fold(0.0, f64::max);
        let parallel = if most < 2 {
            "not measured (one core)".to_owned()
        } else if busy > PARALLEL_CPU_PER_WALL {
            format!("yes: up to {busy:.2} cores busy on {most}")
        } else {
            format!("no: at most {busy:.2} cores busy on {most}")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {busy:.2} | {parallel} |",
            escape(name),
            escape(&declared),
            group_thousands(threads.round() as u64),
        );
    }
    out
}

/// Average cores busy above which a strategy did work on two cores at once.
pub const PARALLEL_CPU_PER_WALL: f64 = 1.1;

/// The whole `summary.md` (also the tables and findings of `index.html`).
pub(super) fn summary(results: &Analysed) -> String {
    let mut s = String::from("# Secretary benchmark results\n\n");
    let _ = writeln!(s, "**Environment:** {}\n", env_line(&results.env));
    if results.interrupted {
        s.push_str("> **Interrupted:** the sweep was stopped early; the rows cover only the runs done.\n\n");
    }
    s.push_str(
        "Pick-up is measured from the scheduled ring (no coordinated omission). Figures are medians \
         across runs, `[min–max]` across runs where shown; latencies below 10 000 µs in µs, from \
         there in ms.\n\n",
    );
    if let Some(table) = super::verdict::markdown(&results.verdicts) {
        s.push_str("## Verdict\n\n");
        s.push_str(&table);
        s.push('\n');
    }
    if !results.rows.is_empty() {
        s.push_str("## The secretaries, as measured\n\n");
        s.push_str(&strategies_table(&results.rows));
        s.push('\n');
    }
    s.push_str("## Results\n\n");
    if results.rows.is_empty() {
        s.push_str("No rows.\n\n");
    } else {
        s.push_str(&markdown_table(&results.rows, &results.env));
        s.push('\n');
    }
    if let Some(t) = super::sim_vs_tcp::section(&results.sim_vs_tcp) {
        s.push_str("## Simulated vs real lines\n\n");
        s.push_str(&t);
        s.push('\n');
    }
    if results.capacity.is_some() {
        s.push_str("## Capacity\n\nThe highest call rate each strategy × cores keeps up with, what the second core buys and the desk speedups: [`capacity.md`](capacity.md) (every day of each search in `capacity.json`).\n\n");
    }
    s.push_str("## Findings\n\n");
    if results.findings.is_empty() {
        s.push_str("None.\n");
    } else {
        for f in &results.findings {
            let _ = writeln!(s, "- {}", escape(f));
        }
    }
    s.push_str("\n## Files\n\n");
    s.push_str(
        "`index.html` shows all of it on one page; `summary.csv` and `summary.json` hold every \
         figure of the tables; `env.json` the environment; the `.svg` files the plots; \
         `trace-*.json` each timeline run as a trace for the Perfetto UI. Per cell, the pick-up percentile distribution \
         (µs; loads in [HdrHistogram's plotter](https://hdrhistogram.github.io/HdrHistogram/plotFiles.html)):\n\n",
    );
    if results.hists.is_empty() {
        s.push_str("- none\n");
    }
    for h in &results.hists {
        let file = super::hgrm::file_name(&h.cell);
        let _ = writeln!(s, "- [`{file}`]({file})");
    }
    s
}

/// The table(s) of `rows`: per scenario (first-seen order) a `### <scenario>` heading, the load
/// the scenario offered on this machine (from `env`'s `scenario_units`, where recorded) and one
/// table of the rows outside sweeps, then per swept parameter a `### <scenario> — <param>
/// sweep` table. Rows keep their order, except in sweep tables, which go by strategy (first
/// seen), cores, then swept value (numerically).
#[must_use]
pub fn markdown_table(rows: &[Row], env: &Value) -> String {
    let mut groups: Vec<(&str, Option<&str>)> = Vec::new();
    for r in rows {
        let key = (
            r.scenario.as_str(),
            r.sweep.as_deref().map(|sw| sweep_parts(sw).0),
        );
        if !groups.contains(&key) {
            groups.push(key);
        }
    }
    // Outside-sweep tables first within each scenario.
    let mut scenarios: Vec<&str> = Vec::new();
    for (sc, _) in &groups {
        if !scenarios.contains(sc) {
            scenarios.push(sc);
        }
    }
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
        let _ = writeln!(out, "{}\n", runs_note(&members));
        table(&mut out, &members, param);
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

/// The status, with the reason where there is one (failures in bold).
fn status_cell(r: &Row) -> String {
    let st = r.status();
    let name = if st.is_failure() {
        format!("**{}**", st.name())
    } else {
        st.name().to_owned()
    };
    match r.reason.as_deref().map(str::trim) {
        Some(reason) if !reason.is_empty() => {
            format!("{name}: {}", escape(&truncate(reason, REASON_MAX)))
        }
        _ => name,
    }
}

/// A latency, or `–` where nothing was measured.
fn us_cell(v: f64, has: bool) -> String {
    if has && v.is_finite() {
        format_us(v)
    } else {
        "–".into()
    }
}

/// A dagger where fewer than 10 of the row's samples lie beyond percentile `q` (0.99, 0.999).
fn thin(r: &Row, q: f64) -> &'static str {
    if (r.samples as f64) * (1.0 - q) < 10.0 {
        "†"
    } else {
        ""
    }
}

/// p99 of `key` (`pickup_us.p99`, `wait_all_us.p99`) with `[min–max]` across runs: one unit
/// after the bracket when all three share it.
fn p99_cell(r: &Row, key: &str, has: bool) -> String {
    let p99 = r.figures.dotted().get(key).copied().unwrap_or(f64::NAN);
    if !has || !p99.is_finite() {
        return "–".into();
    }
    let cell = p99_range_text(r, key, p99);
    format!("{cell}{}", thin(r, 0.99))
}

fn p99_range_text(r: &Row, key: &str, p99: f64) -> String {
    match r.ranges.get(key) {
        Some([lo, hi]) if lo.is_finite() && hi.is_finite() => {
            // One unit per cell: the unit of the largest of the three.
            let top = hi.max(p99);
            let (a, unit) = us_number_in_unit_of(p99, top);
            let (b, _) = us_number_in_unit_of(*lo, top);
            let (c, _) = us_number_in_unit_of(*hi, top);
            format!("{a} [{b}–{c}] {unit}")
        }
        _ => format_us(p99),
    }
}

/// The cells of a row after the sweep column and before the prediction column.
fn cells_of(r: &Row) -> Vec<String> {
    let answered = r.answered_calls > 0;
    let ran = r.figures.wall_s.is_finite() && r.figures.wall_s > 0.0;
    let number = |v: f64, digits: usize| {
        if ran && v.is_finite() {
            format!("{v:.digits$}")
        } else {
            "–".into()
        }
    };
    vec![
        escape(&r.strategy),
        r.cores.to_string(),
        status_cell(r),
        format!(
            "{} / {}",
            group_thousands(r.answered_calls),
            group_thousands(r.offered_calls)
        ),
        if r.offered_calls > 0 {
            format_share(r.figures.missed_share)
        } else {
            "–".into()
        },
        us_cell(r.figures.pickup_us.p50, answered),
        p99_cell(r, "pickup_us.p99", answered),
        p99_cell(r, "wait_all_us.p99", r.offered_calls > 0),
        format!(
            "{}{}",
            us_cell(r.figures.pickup_us.p999, answered),
            if answered { thin(r, 0.999) } else { "" }
        ),
        us_cell(r.figures.pickup_us.max, answered),
        us_cell(r.figures.reply_us.p99, answered),
        us_cell(
            r.figures.appointment_lateness_us.p99,
            r.appointments_done > 0,
        ),
        number(r.figures.cpu_per_wall, 2),
        number(r.figures.max_rss_kib / 1024.0, 1),
    ]
}

/// Measured vs predicted mean pick-up beyond the delivery delay, with the ratio.
fn prediction_cell(r: &Row) -> String {
    let Some(p) = &r.prediction else {
        return "–".into();
    };
    match p.mean_pickup_wait_us {
        Some(mean) if r.answered_calls > 0 => {
            let mut s = format!(
                "{} / {}",
                format_us(p.measured_wait_us(r.figures.pickup_us.mean)),
                format_us(mean)
            );
            if let Some(x) = r.measured_over_predicted.filter(|x| x.is_finite()) {
                let _ = write!(s, " (×{x:.2})");
            }
            s
        }
        Some(mean) => format!("– / {}", format_us(mean)),
        None => format!("saturated (ρ = {:.2})", p.rho),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_one_line_and_cells() {
        assert_eq!(escape("a|b\nc  d"), "a\\|b c d");
        assert_eq!(escape("<stack_guard>"), "&lt;stack\\_guard&gt;");
        assert_eq!(escape("x\r\n"), "x");
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

    #[test]
    fn environment_line() {
        let env = serde_json::json!({
            "cpu_model": "Test CPU", "logical_cores": 2, "ns_per_unit": 930.04,
            "git_commit_built": "0123456789abcdef", "git_dirty_built": true, "kernel": null
        });
        assert_eq!(
            env_line(&env),
            "Test CPU · 2 logical cores · 930 ns per work unit · commit `0123456789ab` (dirty)"
        );
        assert_eq!(env_line(&serde_json::json!({})), "not recorded");
    }
}
