//! The files of `harness primitives`: `primitives.json` (every row with its report),
//! `primitives.csv` (one line per strategy × cores, the figures flat) and `primitives.md` (the
//! table, what was not measured and why, how each runtime was measured, and beside it the
//! published figures of jimblandy/context-switch, quoted with their source). A failed binary
//! is a row with its reason in all three. Numbers follow [`lab::format`].

use super::markdown::{env_line, escape};
use crate::exporter::{Format, Kind, Output};
use lab::format::{format_bytes, format_ns, format_us, group_thousands};
use lab::primitives::{BinaryStatus, PrimitivesResults, PrimitivesRow};
use std::fmt::Write as _;
use workload::Outcome;
use workload::primitives::{BATCH, Memory, Primitives, Timing};

/// Where the published figures come from.
pub const PUBLISHED_SOURCE: &str = "https://github.com/jimblandy/context-switch";

/// jimblandy/context-switch's README, summary and brigade sections: (what, async task, kernel
/// thread). Quoted, never measured here.
pub const PUBLISHED: [(&str, &str, &str); 3] = [
    ("Create a task", "~0.3 µs", "~17 µs"),
    (
        "One context switch (one hop of a 500-task pipe brigade)",
        "~0.2 µs",
        "~1.7 µs",
    ),
    (
        "Resident memory per task",
        "~0.4 KiB",
        "~9.5 KiB (user space; ~20 KiB with the kernel's)",
    ),
];

/// The three files.
pub fn files(r: &PrimitivesResults) -> anyhow::Result<Vec<Output>> {
    let mut doc = serde_json::to_value(r)?;
    if let Some(o) = doc.as_object_mut() {
        o.remove("env"); // env.json has it
        o.insert(
            "published".into(),
            serde_json::json!({
                "source": PUBLISHED_SOURCE,
                "note": "on its author's machine, not measured here",
                "figures": PUBLISHED.iter().map(|(what, task, thread)| serde_json::json!({
                    "what": what, "async_task": task, "kernel_thread": thread,
                })).collect::<Vec<_>>(),
            }),
        );
    }
    let mut json = serde_json::to_vec_pretty(&doc)?;
    json.push(b'\n');
    Ok(vec![
        Output::new("primitives.json", json, Kind::Primitives(Format::Json)),
        Output::new("primitives.csv", csv(r)?, Kind::Primitives(Format::Csv)),
        Output::new(
            "primitives.md",
            markdown(r).into_bytes(),
            Kind::Primitives(Format::Markdown),
        ),
    ])
}

/// The columns of `primitives.csv`: times in ns (sleep lateness in µs), memory in bytes; a
/// primitive not measured is empty, its reason in `not_measured`.
pub const COLUMNS: &[&str] = &[
    "strategy",
    "cores",
    "status",
    "reason",
    "unit",
    "spawn_join_p50_ns",
    "spawn_join_mean_ns",
    "round_trip_p50_ns",
    "round_trip_mean_ns",
    "sleep_1ms_late_p50_us",
    "sleep_1ms_late_p99_us",
    "sleep_100us_late_p50_us",
    "sleep_100us_late_p99_us",
    "bytes_per_idle_unit",
    "idle_units",
    "not_measured",
];

fn num(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map(|x| format!("{x}"))
        .unwrap_or_default()
}

/// The primitives of a row, named as in the tables.
fn named(p: &Primitives) -> [(&'static str, Option<&str>); 5] {
    fn why<T>(o: &Outcome<T>) -> Option<&str> {
        match o {
            Outcome::Measured(_) => None,
            Outcome::NotApplicable(w) | Outcome::Failed(w) => Some(w),
        }
    }
    [
        ("spawn + join", why(&p.spawn_join)),
        ("round trip", why(&p.round_trip)),
        ("sleep(1 ms)", why(&p.sleep_1ms)),
        ("sleep(100 µs)", why(&p.sleep_100us)),
        ("idle memory", why(&p.idle_memory)),
    ]
}

fn csv(r: &PrimitivesResults) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for row in &r.rows {
        let p = row.report.as_ref().map(|r| &r.primitives);
        let t = |f: fn(&Primitives) -> &Outcome<Timing>| p.and_then(|p| f(p).measured()).copied();
        let (spawn, trip) = (t(|p| &p.spawn_join), t(|p| &p.round_trip));
        let (s1, s100) = (t(|p| &p.sleep_1ms), t(|p| &p.sleep_100us));
        let mem: Option<Memory> = p.and_then(|p| p.idle_memory.measured()).copied();
        let us = |v: Option<f64>| num(v.map(|ns| ns / 1_000.0));
        let not_measured: Vec<String> = p
            .map(|p| {
                named(p)
                    .iter()
                    .filter_map(|(n, w)| w.map(|w| format!("{n}: {w}")))
                    .collect()
            })
            .unwrap_or_default();
        w.write_record([
            row.strategy.clone(),
            row.cores.to_string(),
            status_name(row.status).to_owned(),
            row.reason.clone().unwrap_or_default(),
            p.map(|p| p.unit.clone()).unwrap_or_default(),
            num(spawn.map(|t| t.p50_ns)),
            num(spawn.map(|t| t.mean_ns)),
            num(trip.map(|t| t.p50_ns)),
            num(trip.map(|t| t.mean_ns)),
            us(s1.map(|t| t.p50_ns)),
            us(s1.map(|t| t.p99_ns)),
            us(s100.map(|t| t.p50_ns)),
            us(s100.map(|t| t.p99_ns)),
            num(mem.map(|m| m.bytes_per_unit)),
            mem.map(|m| m.units.to_string()).unwrap_or_default(),
            not_measured.join("; "),
        ])?;
    }
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("csv: {}", e.error()))
}

fn status_name(s: BinaryStatus) -> &'static str {
    match s {
        BinaryStatus::Ok => "ok",
        BinaryStatus::Crashed => "crashed",
        BinaryStatus::Timeout => "timeout",
        BinaryStatus::Exhausted => "exhausted",
    }
}

/// A cell for a primitive: the figure, or `n/a` / `failed` (the reason is listed under the
/// table).
fn cell<T>(o: &Outcome<T>, show: impl Fn(&T) -> String) -> String {
    match o {
        Outcome::Measured(t) => show(t),
        Outcome::NotApplicable(_) => "n/a".to_owned(),
        Outcome::Failed(_) => "failed".to_owned(),
    }
}

fn time_cell(o: &Outcome<Timing>) -> String {
    cell(o, |t| {
        format!("{} ({})", format_ns(t.p50_ns), format_ns(t.mean_ns))
    })
}

fn late_cell(o: &Outcome<Timing>) -> String {
    cell(o, |t| {
        format!(
            "{} / {}",
            format_us(t.p50_ns / 1_000.0),
            format_us(t.p99_ns / 1_000.0)
        )
    })
}

fn table_row(row: &PrimitivesRow) -> String {
    let name = format!("`{}`", escape(&row.strategy));
    match (&row.report, row.status) {
        (Some(r), BinaryStatus::Ok) => {
            let p = &r.primitives;
            format!(
                "| {name} | {} | {} | {} | {} | {} | {} | {} |",
                escape(&p.unit),
                row.cores,
                time_cell(&p.spawn_join),
                time_cell(&p.round_trip),
                late_cell(&p.sleep_1ms),
                late_cell(&p.sleep_100us),
                cell(&p.idle_memory, |m| format_bytes(m.bytes_per_unit)),
            )
        }
        _ => format!(
            "| {name} | **{}**: {} | {} | – | – | – | – | – |",
            status_name(row.status),
            escape(row.reason.as_deref().unwrap_or("no report")),
            row.cores,
        ),
    }
}

/// The table of the rows (also what the terminal shows).
#[must_use]
pub fn table(rows: &[PrimitivesRow]) -> String {
    let mut out = String::from(
        "| Strategy | Unit | Cores | Spawn + join, p50 (mean) | Round trip, p50 (mean) | `sleep(1 ms)` late, p50 / p99 | `sleep(100 µs)` late, p50 / p99 | Memory per idle unit |\n\
         |---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
        let _ = writeln!(out, "{}", table_row(row));
    }
    out
}

/// jimblandy/context-switch's published figures, quoted with their source and what they are
/// not (measured here).
#[must_use]
pub fn published() -> String {
    let mut out = format!(
        "Quoted from the README of [jimblandy/context-switch]({PUBLISHED_SOURCE}), on its \
         author's machine, not measured here (a laptop: 4 cores, two-way hyper-threading, \
         32 GiB; async = tokio tasks, threads = Linux kernel threads).\n\n\
         | | Async task (tokio) | Kernel thread |\n|---|---:|---:|\n"
    );
    for (what, task, thread) in PUBLISHED {
        let _ = writeln!(out, "| {what} | {task} | {thread} |");
    }
    out.push_str(
        "\nTheir switch is one hop, one way; a round trip above is two. Their README also notes \
         that the async advantage in switching goes away when the program is pinned to a single \
         core; every row above is pinned.\n",
    );
    out
}

fn markdown(r: &PrimitivesResults) -> String {
    let s = &r.spec;
    let (_, measured_units) = s.idle_split();
    let mut out = String::from("# What one switch costs\n\n");
    let _ = writeln!(
        out,
        "_Each strategy's own binary measured its runtime (`strategy-<name> --primitives`), \
         pinned to the cores shown: {} spawns + joins and {} round trips, timed in batches of \
         {BATCH} (the first batch a warm-up; p50 over the batches); {} sleeps of each length, \
         each timed (lateness = time asleep − time asked); {} idle units, memory = resident \
         set growth over the last {} of them, per unit. {}._\n",
        group_thousands(s.spawns),
        group_thousands(s.round_trips),
        group_thousands(s.sleeps),
        group_thousands(s.idle_units),
        group_thousands(measured_units),
        env_line(&r.env),
    );
    if r.interrupted {
        out.push_str("**Interrupted** (Ctrl-C): only the binaries that finished are here.\n\n");
    }
    out.push_str(&table(&r.rows));
    out.push_str("\nA round trip is two switches: a message from one unit to another and back.\n");
    let missing: Vec<String> = r
        .rows
        .iter()
        .filter_map(|row| row.report.as_ref().map(|rep| (row, &rep.primitives)))
        .flat_map(|(row, p)| {
            named(p).into_iter().filter_map(move |(n, w)| {
                w.map(|w| format!("- `{}`, {n}: {}", escape(&row.strategy), escape(w)))
            })
        })
        .collect();
    if !missing.is_empty() {
        out.push_str("\n**n/a or failed, and why:**\n\n");
        for m in missing {
            let _ = writeln!(out, "{m}");
        }
    }
    out.push_str("\n**How each runtime was measured** (in its crate's `src/primitives.rs`):\n\n");
    for row in &r.rows {
        if let Some(rep) = &row.report {
            let how: Vec<String> = rep.primitives.how.iter().map(|h| escape(h)).collect();
            let _ = writeln!(
                out,
                "- `{}` ({} core{}): {}.",
                escape(&row.strategy),
                row.cores,
                if row.cores == 1 { "" } else { "s" },
                how.join("; ")
            );
        }
    }
    out.push_str("\n## Published figures: jimblandy/context-switch\n\n");
    out.push_str(&published());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use workload::PrimitivesSpec;
    use workload::primitives::{PRIMITIVES_VERSION, PrimitivesReport};

    fn results() -> PrimitivesResults {
        let t = |ns: f64| {
            Outcome::Measured(Timing {
                n: 100,
                p50_ns: ns,
                p99_ns: 2.0 * ns,
                mean_ns: 1.1 * ns,
            })
        };
        let report = PrimitivesReport {
            protocol: PRIMITIVES_VERSION,
            strategy: "threads".into(),
            cores: 1,
            spec: PrimitivesSpec::default(),
            timer_slack_ns: Some(1),
            primitives: Primitives {
                unit: "OS thread".into(),
                spawn_join: t(50_000.0),
                round_trip: Outcome::NotApplicable("nothing | to switch".into()),
                sleep_1ms: t(15_000.0),
                sleep_100us: t(8_000.0),
                idle_memory: Outcome::Measured(Memory {
                    units: 8_000,
                    bytes_per_unit: 9_833.0,
                    rss_before_kib: 1,
                    rss_after_kib: 2,
                }),
                how: vec!["by hand".into()],
            },
        };
        PrimitivesResults {
            env: serde_json::json!({"cpu_model": "Test CPU", "logical_cores": 2}),
            spec: PrimitivesSpec::default(),
            rows: vec![
                PrimitivesRow {
                    strategy: "threads".into(),
                    cores: 1,
                    status: BinaryStatus::Ok,
                    reason: None,
                    report: Some(report),
                    wall_s: 1.0,
                    max_rss_kib: 1,
                },
                PrimitivesRow {
                    strategy: "crash".into(),
                    cores: 1,
                    status: BinaryStatus::Crashed,
                    reason: Some("killed by signal 6 (SIGABRT): boom".into()),
                    report: None,
                    wall_s: 0.1,
                    max_rss_kib: 1,
                },
            ],
            interrupted: false,
        }
    }

    #[test]
    fn every_row_is_in_every_file_failures_with_their_reason() {
        let files = files(&results()).expect("files");
        let text = |f: &str| {
            String::from_utf8(files.iter().find(|o| o.file == f).expect(f).bytes.clone())
                .expect("utf-8")
        };
        let md = text("primitives.md");
        assert!(
            md.contains("| `threads` | OS thread | 1 | 50 µs (55 µs) | n/a |"),
            "{md}"
        );
        assert!(md.contains("9.6 KiB"), "{md}");
        assert!(
            md.contains("**crashed**: killed by signal 6 (SIGABRT): boom"),
            "{md}"
        );
        assert!(
            md.contains("`threads`, round trip: nothing \\| to switch"),
            "{md}"
        );
        assert!(
            md.contains(PUBLISHED_SOURCE) && md.contains("not measured here"),
            "{md}"
        );
        assert!(md.contains("Test CPU"), "{md}");
        let csv = text("primitives.csv");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3, "{csv}");
        assert_eq!(lines[0], COLUMNS.join(","));
        assert!(
            lines[1].starts_with("threads,1,ok,,OS thread,50000,55000"),
            "{csv}"
        );
        assert!(lines[1].contains(",15,30,8,16,9833,8000,"), "{csv}");
        assert!(lines[2].starts_with("crash,1,crashed,"), "{csv}");
        let json: serde_json::Value = serde_json::from_str(&text("primitives.json")).expect("json");
        assert_eq!(json["rows"][1]["status"], "crashed");
        assert_eq!(json["published"]["source"], PUBLISHED_SOURCE);
        assert!(json.get("env").is_none());
    }
}
