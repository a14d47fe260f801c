//! The theory against the committed reference run (`results/latest`, the newest compare): for every
//! one-worker cooperative row on 1 core with a prediction — the chunk sweep and the plain rows
//! — the prediction stored in the run (the model of its day) beside this model's through
//! [`predict_row`], each against the measured side it is compared with: at the calibrated unit
//! time, and with the inputs the run's own timelines measured (the traces turned back into
//! spans: unit time, each strategy's switch overhead) as a compare now takes them. Then the
//! findings' theory sentences for those rows. A report, not a check of timings:
//! `cargo test -p analysis --lib tests_reference -- --ignored --nocapture`; another results
//! folder with `SECRETARY_THEORY_RUN=<folder>` (its rows re-predicted with this model; without
//! traces, at the calibration and the default switch overhead).

use crate::fit::{fit_findings, fit_gap};
use lab::predict::{Measured, desk_switch_us, desk_unit_ns, predict_row};
use lab::row::Row;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use workload::record::{Doing, Span};
use workload::{Scenario, Switching};

/// The committed reference run, or the folder `SECRETARY_THEORY_RUN` names.
fn run_dir() -> PathBuf {
    std::env::var_os("SECRETARY_THEORY_RUN").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../results/latest"),
        PathBuf::from,
    )
}

fn read(name: &str) -> Value {
    let path = run_dir().join(name);
    let mut text = String::new();
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let read = if name.ends_with(".gz") {
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(file), &mut text)
    } else {
        std::io::Read::read_to_string(&mut std::io::BufReader::new(file), &mut text)
    };
    read.unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// The spans of each 1-core office trace (strategy → spans), back from the trace's events.
fn traced_spans() -> BTreeMap<String, Vec<Span>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(run_dir())
        .expect("the run's folder")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(strategy) = name.strip_prefix("trace-office-").and_then(|n| {
            n.strip_suffix("-1c.json.gz")
                .or_else(|| n.strip_suffix("-1c.json"))
        }) else {
            continue;
        };
        let trace = read(&name);
        let events = trace["traceEvents"].as_array().expect("events");
        let spans = events
            .iter()
            .filter(|e| e["ph"] == "X")
            .filter_map(|e| {
                let doing = match e["cat"].as_str()? {
                    "desk" => Doing::Desk,
                    "phone" => Doing::Phone,
                    _ => return None,
                };
                let id = e["args"]["appointment"]
                    .as_u64()
                    .or(e["args"]["call"].as_u64())?;
                let (ts, dur) = (e["ts"].as_f64()?, e["dur"].as_f64()?);
                Some(Span {
                    thread: u32::try_from(e["tid"].as_u64()?).ok()?,
                    cpu: 0,
                    doing,
                    id: u32::try_from(id).ok()?,
                    start_ns: (ts * 1e3).round() as u64,
                    end_ns: ((ts + dur) * 1e3).round() as u64,
                })
            })
            .collect();
        out.insert(strategy.to_owned(), spans);
    }
    out
}

/// `x` as `×0.42`, or `–`.
fn times(x: Option<f64>) -> String {
    x.map_or("–".to_owned(), |x| format!("×{x:.2}"))
}

/// `measured / predicted ×ratio` of a row as [`predict_row`] left it.
fn cell(row: &Row) -> String {
    let Some(p) = &row.prediction else {
        return "–".to_owned();
    };
    format!(
        "{:.0} / {} {}",
        p.measured_wait_us(row.figures.pickup_us.mean),
        p.mean_pickup_wait_us
            .map_or("–".to_owned(), |w| format!("{w:.0}")),
        times(row.measured_over_predicted)
    )
}

#[test]
#[ignore = "a report on the committed reference run; run with --ignored --nocapture"]
fn reference_run_predicted_against_measured() {
    let summary = read("summary.json");
    let ns = summary["env"]["ns_per_unit"].as_f64().expect("ns_per_unit");
    let units = &summary["env"]["scenario_units"];
    let office_chunk = units["office"]["chunk"].as_u64().expect("office chunk");
    let command_line = summary["env"]["command_line"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    let spans = traced_spans();
    let measured = Measured {
        unit_ns: desk_unit_ns(spans.values().flatten(), office_chunk),
        switch_us: spans
            .iter()
            .filter_map(|(s, v)| Some((s.clone(), desk_switch_us(v)?)))
            .collect(),
    };
    eprintln!("calibrated {ns:.0} ns per unit; timelines: {measured:?}");
    eprintln!(
        "| scenario | strategy | sweep | ρ | delivery | stored: measured / predicted | calibrated unit | timelines' inputs |"
    );
    let mut rows: Vec<Row> = Vec::new();
    for value in summary["rows"].as_array().expect("rows") {
        let mut row: Row = serde_json::from_value(value.clone()).expect("a row");
        let cooperative = row
            .arrangement
            .is_some_and(|a| a.switching == Switching::Cooperative);
        if row.cores != 1 || !cooperative || row.prediction.is_none() {
            continue;
        }
        let scenario: Scenario = row.scenario.parse().expect("a scenario");
        let mut spec = scenario.spec_for(ns);
        let json = serde_json::to_value(&spec).expect("a spec");
        for field in ["chunk", "desk_work", "pickup_work", "reply_work"] {
            let want = units[&row.scenario][field].as_u64();
            assert_eq!(json[field].as_u64(), want, "{} {field}", row.scenario);
        }
        // The spec flags the run was given (`--appointments-per-s 60`), as the compare applied
        // them to every cell.
        let words: Vec<&str> = command_line.split_whitespace().collect();
        for pair in words.windows(2) {
            if let Some(flag) = pair[0].strip_prefix("--")
                && !matches!(flag, "sweep" | "duration" | "runs" | "out" | "cores")
            {
                let _ = spec.set(flag, pair[1]);
            }
        }
        let sweep = row.sweep.clone().unwrap_or_default();
        if let Some(chunk) = sweep.strip_prefix("chunk=") {
            spec.chunk = chunk.parse().expect("a chunk");
        } else if !sweep.is_empty() {
            continue;
        }
        let stored = format!(
            "{:.0} / {} {}",
            row.figures.pickup_wait_us_mean,
            row.prediction
                .as_ref()
                .and_then(|p| p.mean_pickup_wait_us)
                .map_or("–".to_owned(), |w| format!("{w:.0}")),
            times(row.measured_over_predicted)
        );
        predict_row(&mut row, &spec, ns, &Measured::default());
        let calibrated = cell(&row);
        predict_row(&mut row, &spec, ns, &measured);
        let p = row.prediction.as_ref().expect("a prediction");
        eprintln!(
            "| {} | {} | {sweep} | {:.2} | {:.0} | {stored} | {calibrated} | {} |",
            row.scenario,
            row.strategy,
            p.rho,
            p.delivery_us,
            cell(&row)
        );
        rows.push(row);
    }
    assert!(!rows.is_empty(), "no one-worker cooperative 1-core rows");
    for row in &rows {
        if let Some(s) = fit_gap(row) {
            eprintln!("- {s}");
        }
    }
    for s in fit_findings(&rows) {
        eprintln!("- {s}");
    }
}
