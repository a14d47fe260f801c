//! What the harness prints on the terminal: one row in detail (`harness run`) and the
//! strategies found with their declared arrangements (`harness list`). Files get the full
//! tables; the terminal gets what a person reads at a glance.

use crate::discover::Strategy;
use crate::row::Row;
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
    let _ = writeln!(s, "\nScenarios:");
    for sc in Scenario::ALL {
        let _ = writeln!(s, "  {:<12} {}", sc.name(), sc.purpose());
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
    let st = row.status();
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
                "  theory:        {}: mean wait {w:.0} µs predicted, {:.0} µs measured (pick-up − timer lateness; ×{ratio:.2})",
                p.model, row.figures.pickup_wait_us_mean
            ),
            _ => writeln!(out, "  theory:        {}: {}", p.model, p.note),
        };
    }
    out
}
