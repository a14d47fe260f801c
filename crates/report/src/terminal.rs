//! What the harness prints on the terminal: one row in detail (`harness run`) and the
//! strategies found with their declared arrangements (`harness list`). Files get the full
//! tables; the terminal gets what a person reads at a glance.

use lab::discover::Strategy;
use lab::row::Row;
use std::fmt::Write as _;
use workload::Scenario;

/// `harness list`: strategies with their arrangement, then scenarios and spec fields.
#[must_use]
pub fn list(dir: &std::path::Path, found: &[Strategy]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Strategies (binaries named strategy-* in {}):",
        dir.display()
    );
    if found.is_empty() {
        let _ = writeln!(
            s,
            "  none found: build them with `cargo build --release --workspace`"
        );
    }
    for st in found {
        let _ = writeln!(s, "  {:<12} {}", st.name, st.arrangement_text());
    }
    let _ = writeln!(
        s,
        "\nScenarios (intended load: their CPU work is set in µs and converted to work units at this machine's calibration):"
    );
    for sc in Scenario::ALL {
        let load = format!("~{}", lab::format::format_cores(sc.intended_cores()));
        let _ = writeln!(s, "  {:<12} {load:<12} {}", sc.name(), sc.purpose());
    }
    let _ = writeln!(
        s,
        "\nSpec fields (override with --<field> VALUE or --set FIELD=VALUE): {}",
        workload::Spec::field_names()
    );
    s
}

/// `harness list --json`: one object per strategy with its arrangement (`null`: undeclared).
#[must_use]
pub fn list_json(found: &[Strategy]) -> serde_json::Value {
    serde_json::Value::Array(
        found
            .iter()
            .map(|s| {
                serde_json::json!({
                    "name": s.name,
                    "bin": s.bin,
                    "arrangement": s.arrangement,
                    "arrangement_text": s.arrangement_text(),
                })
            })
            .collect(),
    )
}

/// `harness run`: one row in detail.
#[must_use]
pub fn row_detail(row: &Row) -> String {
    let mut out = String::new();
    let st = row.status;
    let _ = writeln!(
        out,
        "{} on {} with {} core(s), {} run(s): {}",
        row.strategy,
        row.scenario,
        row.cores,
        row.runs,
        st.name()
    );
    if let Some(r) = &row.reason {
        let _ = writeln!(out, "  why:           {r}");
    }
    let _ = writeln!(
        out,
        "  calls:         {} answered + {} missed = {} offered ({:.1}% missed)",
        row.answered_calls,
        row.missed_calls,
        row.offered_calls,
        row.figures.missed_share * 100.0
    );
    let _ = writeln!(
        out,
        "  pick-up µs:    p50 {:.0}  p90 {:.0}  p99 {:.0}  p99.9 {:.0}  max {:.0}  mean {:.0}",
        row.figures.pickup_us.p50,
        row.figures.pickup_us.p90,
        row.figures.pickup_us.p99,
        row.figures.pickup_us.p999,
        row.figures.pickup_us.max,
        row.figures.pickup_us.mean
    );
    let _ = writeln!(
        out,
        "  reply µs:      p50 {:.0}  p99 {:.0}  max {:.0}",
        row.figures.reply_us.p50, row.figures.reply_us.p99, row.figures.reply_us.max
    );
    let _ = writeln!(
        out,
        "  appointments:  {} done, lateness µs p50 {:.0}  p99 {:.0}  max {:.0}",
        row.appointments_done,
        row.figures.appointment_lateness_us.p50,
        row.figures.appointment_lateness_us.p99,
        row.figures.appointment_lateness_us.max
    );
    if let Some(m) = row.figures.makespan_us {
        let _ = writeln!(
            out,
            "  batch:         makespan {} µs (the last check done), {:.1} checks/s",
            whole(m),
            row.figures.checks_per_s.unwrap_or(f64::NAN)
        );
    }
    let _ = writeln!(
        out,
        "  cost:          wall {:.2} s, cpu {:.2}+{:.2} s, {:.2} cores busy, max RSS {:.1} MiB, {} OS threads did work",
        row.figures.wall_s,
        row.figures.cpu_user_s,
        row.figures.cpu_sys_s,
        row.figures.cpu_per_wall,
        row.figures.max_rss_kib / 1024.0,
        row.figures.threads_used
    );
    let _ = writeln!(
        out,
        "  clock:         timer lateness p50 {:.0} µs p99 {:.0} µs ({}); digest {}",
        row.figures.timer_lateness_us.p50,
        row.figures.timer_lateness_us.p99,
        if row.clock_ok { "ok" } else { "late" },
        if row.digest_ok {
            "verified"
        } else {
            "NOT verified"
        }
    );
    if let Some(p) = &row.prediction {
        let _ = match (p.mean_pickup_wait_us, row.measured_over_predicted) {
            (Some(w), Some(ratio)) => writeln!(
                out,
                "  theory:        {}: mean wait {w:.0} µs predicted, {:.0} µs measured (mean pick-up − {:.0} µs delivery delay; ×{ratio:.2})",
                p.model,
                p.measured_wait_us(row.figures.pickup_us.mean),
                p.delivery_us
            ),
            _ => writeln!(out, "  theory:        {}: {}", p.model, p.note),
        };
    }
    out
}

/// The compact table printed after a compare (hyperfine's summary is the model): per
/// scenario, one line per strategy × cores with status, missed share, p99 pick-up with its
/// range across runs, p99 over all callers, and CPU per wall second. Sweep rows are counted,
/// not listed; `summary.md` has everything.
#[must_use]
pub fn compact(rows: &[Row]) -> String {
    let mut out = String::new();
    let mut scenarios: Vec<&str> = Vec::new();
    for r in rows {
        if !scenarios.contains(&r.scenario.as_str()) {
            scenarios.push(&r.scenario);
        }
    }
    for sc in scenarios {
        let runs = rows
            .iter()
            .find(|r| r.scenario == sc && r.sweep.is_none())
            .map_or(0, |r| r.runs);
        let _ = writeln!(
            out,
            "\n{sc} ({runs} run{} per cell; µs)",
            if runs == 1 { "" } else { "s" }
        );
        let cells: Vec<&Row> = rows
            .iter()
            .filter(|r| r.scenario == sc && r.sweep.is_none())
            .collect();
        // A batch day (no calls, a makespan): its own columns, not empty pick-ups.
        if analysis::verdict::batch::is_batch_day(&cells) {
            let _ = writeln!(
                out,
                "  {:<12} {:>5}  {:<10} {:>7}  {:>26}  {:>9}  {:>8}",
                "strategy",
                "cores",
                "status",
                "checks",
                "makespan [min–max]",
                "checks/s",
                "CPU/wall"
            );
            for r in cells {
                let f = &r.figures;
                let range = r
                    .ranges
                    .get("makespan_us")
                    .map_or_else(String::new, |[lo, hi]| {
                        format!(" [{}–{}]", whole(*lo), whole(*hi))
                    });
                let _ = writeln!(
                    out,
                    "  {:<12} {:>5}  {:<10} {:>7}  {:>26}  {:>9.1}  {:>8.2}",
                    r.strategy,
                    r.cores,
                    r.status.name(),
                    r.appointments_done,
                    format!("{}{range}", whole(f.makespan_us.unwrap_or(f64::NAN))),
                    f.checks_per_s.unwrap_or(f64::NAN),
                    f.cpu_per_wall
                );
            }
            continue;
        }
        let _ = writeln!(
            out,
            "  {:<12} {:>5}  {:<10} {:>7}  {:>26}  {:>12}  {:>8}",
            "strategy", "cores", "status", "missed", "p99 pick-up [min–max]", "p99 all", "CPU/wall"
        );
        for r in rows
            .iter()
            .filter(|r| r.scenario == sc && r.sweep.is_none())
        {
            let f = &r.figures;
            let range = r
                .ranges
                .get("pickup_us.p99")
                .map_or_else(String::new, |[lo, hi]| {
                    format!(" [{}–{}]", whole(*lo), whole(*hi))
                });
            let _ = writeln!(
                out,
                "  {:<12} {:>5}  {:<10} {:>6.1}%  {:>26}  {:>12}  {:>8.2}",
                r.strategy,
                r.cores,
                r.status.name(),
                f.missed_share * 100.0,
                format!("{}{range}", whole(f.pickup_us.p99)),
                whole(f.wait_all_us.p99),
                f.cpu_per_wall
            );
        }
    }
    let swept = rows.iter().filter(|r| r.sweep.is_some()).count();
    if swept > 0 {
        let _ = writeln!(out, "\n+ {swept} sweep rows (see summary.md)");
    }
    out
}

/// A whole number with thousands separators.
fn whole(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_owned();
    }
    let digits = format!("{:.0}", v.abs());
    let mut s = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            s.push(',');
        }
        s.push(ch);
    }
    if v < 0.0 { format!("-{s}") } else { s }
}

/// The capacities after `harness capacity` (or `compare --capacity`): per scenario, one line
/// per strategy × cores with the capacity and the bracket the search ended on, then what the
/// second core buys and the desk speedups, each beside what this machine's cores give at most
/// ("of a possible 1.95× here", or "limit not measured"). `capacity.md` has the rest.
#[must_use]
pub fn capacity(c: &lab::capacity::Capacity) -> String {
    use lab::capacity::Bracket;
    use lab::format::{format_rate, format_share, format_speedup_of_limit, format_us};
    let mut out = String::new();
    let rate = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), format_rate);
    let _ = writeln!(out, "\n{}", core_limit(c.core_limit.as_ref()));
    for sc in &c.scenarios {
        let _ = writeln!(
            out,
            "\ncapacity on {} (calls/s; the scenario's own rate {}; keeps up: missed ≤ {} %, p99 all callers ≤ {})",
            sc.scenario,
            format_rate(sc.spec.calls_per_s),
            c.rule.max_missed_share * 100.0,
            format_us(sc.spec.patience_us as f64 * c.rule.max_p99_wait_all_of_patience),
        );
        let _ = writeln!(
            out,
            "  {:<12} {:>5}  {:>10}  {:>21}  {:>8}",
            "strategy", "cores", "capacity", "bracket", "× rate"
        );
        for s in &sc.searches {
            let (cap, bracket) = match s.bracket {
                Bracket::Between { .. } => (
                    rate(s.capacity_calls_per_s),
                    format!(
                        "[{}, {})",
                        rate(s.capacity_calls_per_s),
                        rate(s.failed_calls_per_s)
                    ),
                ),
                Bracket::FailsAtLowest { .. } => (
                    format!("< {}", rate(s.failed_calls_per_s)),
                    "fails at the lowest".to_owned(),
                ),
                Bracket::PassesAtHighest { .. } => (
                    format!("≥ {}", rate(s.capacity_calls_per_s)),
                    "passes at the highest".to_owned(),
                ),
                Bracket::Unfinished { .. } => (rate(s.capacity_calls_per_s), "stopped".to_owned()),
            };
            let multiple = s
                .bracket
                .pass()
                .map_or_else(|| "–".to_owned(), lab::format::fmt_num);
            let _ = writeln!(
                out,
                "  {:<12} {:>5}  {cap:>10}  {bracket:>21}  {multiple:>8}",
                s.strategy, s.cores
            );
        }
        for r in &sc.second_core {
            let _ = writeln!(
                out,
                "  second core, {}: {}",
                r.strategy,
                r.ratio.map_or_else(
                    || "not measurable (a bracket is open)".to_owned(),
                    |x| format!(
                        "the capacity {}",
                        format_speedup_of_limit(x, r.of_limit.limit)
                    )
                )
            );
        }
        for d in &sc.desk {
            let medians: Vec<String> = d
                .days
                .iter()
                .map(|day| {
                    let split = match day.split_share {
                        Some(x) if day.cores > 1 => {
                            format!(" ({} of chunks off the busiest thread)", format_share(x))
                        }
                        _ => String::new(),
                    };
                    format!(
                        "{}c {}{split}",
                        day.cores,
                        day.median_us.map_or_else(|| "–".to_owned(), format_us)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "  desk speedup, {}: {} (median check {})",
                d.strategy,
                d.speedup.map_or_else(
                    || "–".to_owned(),
                    |x| format_speedup_of_limit(x, d.of_limit.limit)
                ),
                medians.join(", ")
            );
        }
    }
    out
}

/// One line on what this machine's cores give at most: `core limit here (work kernel, N pinned
/// threads over 1): 1.97× on 2 cores`, or that it was not measured.
#[must_use]
pub fn core_limit(limit: Option<&lab::core_limit::CoreLimit>) -> String {
    let at: Vec<String> = limit
        .map(|l| {
            l.speedup
                .iter()
                .filter(|(n, _)| **n > 1)
                .map(|(n, x)| format!("{} on {n} cores", lab::format::format_factor(*x)))
                .collect()
        })
        .unwrap_or_default();
    match limit {
        None => "core limit here: limit not measured".to_owned(),
        Some(l) if at.is_empty() => format!(
            "core limit here: {} CPU allowed, nothing to compare",
            l.cpus
        ),
        Some(_) => format!(
            "core limit here (work kernel, N pinned threads over 1): {}",
            at.join(", ")
        ),
    }
}

/// `harness memory`'s table: per strategy, peak RSS at each level of calls in flight (or the
/// status where it was not held), bytes per call in flight and the limit reached.
#[must_use]
pub fn memory(m: &lab::memory::Memory) -> String {
    use lab::format::group_thousands;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\npeak RSS by calls in flight ({}, {} core, {} s calls; bytes per call: least squares over the levels held)",
        m.scenario,
        m.cores,
        lab::format::fmt_num(m.call_s)
    );
    let _ = write!(out, "  {:<12}", "strategy");
    for &l in &m.levels {
        let _ = write!(out, " {:>12}", group_thousands(l));
    }
    let _ = writeln!(out, " {:>10} {:>10}  limit reached", "B/call", "kernel B");
    for s in &m.strategies {
        let _ = write!(out, "  {:<12}", s.strategy);
        for &l in &m.levels {
            let cell = match s.day(l) {
                None => "–".to_owned(),
                Some(d) if d.held => d
                    .rss_mib()
                    .map_or_else(|| "held".to_owned(), |v| format!("{v:.1} MiB")),
                Some(d) => d.status.name().to_owned(),
            };
            let _ = write!(out, " {cell:>12}");
        }
        let per_call = s
            .bytes_per_call
            .map_or_else(|| "–".to_owned(), |b| format!("{b:.0}"));
        let limit = match &s.limit {
            Some(l) => {
                let why: String = l.reason.chars().take(100).collect();
                format!("{}: {}", group_thousands(l.in_flight), why)
            }
            None if s.days.is_empty() => "not run".to_owned(),
            None => "none".to_owned(),
        };
        let kernel = s
            .kernel_bytes_per_call
            .map_or_else(|| "–".to_owned(), |b| format!("{b:.0}"));
        let _ = writeln!(out, " {per_call:>10} {kernel:>10}  {limit}");
    }
    out
}

/// One line on the claims of a compare: how many of the planned comparisons were claimed, and
/// the controls (empty when none was planned).
#[must_use]
pub fn claims(c: &analysis::claims::Claims) -> String {
    let Some(rule) = &c.rule else {
        return String::new();
    };
    let failed: Vec<&str> = c.failed_controls().map(|c| c.id.as_str()).collect();
    format!(
        "Claims: {} of {} planned comparisons (family-wise error ≤ {}); controls: {}\n",
        c.made().count(),
        rule.family,
        lab::format::format_share(rule.alpha),
        if failed.is_empty() {
            let untested = c.controls.iter().filter(|c| !c.tested).count();
            format!(
                "{} of {} passed{}",
                c.controls.len() - untested,
                c.controls.len(),
                if untested > 0 {
                    format!(", {untested} could not be tested")
                } else {
                    String::new()
                }
            )
        } else {
            format!("FAILED {} (claims withheld)", failed.join(", "))
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_has_one_line_per_cell_and_no_links() {
        let res = lab::fixtures::sample_results();
        let text = compact(&res.rows);
        assert!(text.contains("office (3 runs per cell; µs)"), "{text}");
        let lines = text
            .lines()
            .filter(|l| l.starts_with("  sequential"))
            .count();
        assert_eq!(lines, 4, "2 scenarios × 2 core counts:\n{text}");
        assert!(!text.contains(".hgrm") && !text.contains("]("), "{text}");
        assert!(text.contains("crashed"));
        assert_eq!(whole(1_234_567.4), "1,234,567");
        assert_eq!(whole(f64::NAN), "—");
    }

    #[test]
    fn a_batch_day_shows_its_makespan_not_empty_pick_ups() {
        let res = lab::fixtures::sample_results();
        let mut batch = res.rows[0].clone();
        batch.scenario = "month-end".into();
        batch.offered_calls = 0;
        batch.answered_calls = 0;
        batch.missed_calls = 0;
        batch.appointments_done = 50;
        batch.figures.makespan_us = Some(505_700.0);
        batch.figures.checks_per_s = Some(98.9);
        let text = compact(std::slice::from_ref(&batch));
        assert!(text.contains("makespan [min–max]"), "{text}");
        assert!(text.contains("505,700"), "{text}");
        assert!(!text.contains("p99 pick-up"), "{text}");
        let detail = row_detail(&batch);
        assert!(
            detail.contains("makespan 505,700 µs (the last check done), 98.9 checks/s"),
            "{detail}"
        );
        // A day with calls keeps the pick-up columns.
        assert!(compact(&res.rows).contains("p99 pick-up"));
    }

    #[test]
    fn capacity_speedups_stand_beside_the_core_limit() {
        let mut res = lab::fixtures::sample_results();
        res.capacity = Some(lab::fixtures::sample_capacity());
        let text = capacity(analysis::analyse(res.clone()).capacity.as_ref().unwrap());
        assert!(
            text.contains("core limit here: limit not measured"),
            "{text}"
        );
        assert!(
            text.contains("second core, threads: the capacity 2.00× (limit not measured)"),
            "{text}"
        );
        res.env["core_limit"] = serde_json::json!({
            "method": "test", "cpus": 2, "speedup": { "1": 1.0, "2": 1.9 }
        });
        let text = capacity(analysis::analyse(res).capacity.as_ref().unwrap());
        assert!(text.contains("1.90× on 2 cores"), "{text}");
        assert!(
            text.contains("second core, threads: the capacity 2.00× of a possible 1.90× here"),
            "{text}"
        );
        assert!(
            text.contains("desk speedup, threads: 1.02× of a possible 1.90× here"),
            "{text}"
        );
    }
}
