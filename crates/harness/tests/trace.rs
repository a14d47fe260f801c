//! The traces (`trace-<scenario>-<strategy>-<cores>c.json.gz`, Chrome Trace Event Format,
//! gzip-compressed): they decompress and parse as JSON, every event has the fields the format requires, spans on one thread never
//! overlap, tracks are named — on the fixture sweep, and on a real `harness compare` whose
//! 1-core async-std run has exactly one secretary track across the whole recorded day.

use lab::fixtures::sample_results;
use report::export::trace::{SECRETARY_PID, trace};
use report::exporter::Exporter as _;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Checks the format of one trace document and returns its events.
fn check_format(doc: &Value) -> Vec<Value> {
    let events = doc["traceEvents"]
        .as_array()
        .expect("traceEvents is an array")
        .clone();
    assert!(!events.is_empty());
    for e in &events {
        for field in ["ph", "name"] {
            assert!(e[field].is_string(), "{field} missing in {e}");
        }
        for field in ["ts", "pid", "tid"] {
            assert!(e[field].is_number(), "{field} missing in {e}");
        }
        match e["ph"].as_str().unwrap() {
            "X" => {
                let dur = e["dur"].as_f64().expect("complete events have dur");
                assert!(dur >= 0.0, "{e}");
                assert!(e["ts"].as_f64().unwrap() >= 0.0, "{e}");
            }
            "i" => assert!(["t", "p", "g"].contains(&e["s"].as_str().unwrap_or("t"))),
            "M" => assert!(e["args"]["name"].is_string() || e["args"]["sort_index"].is_number()),
            other => panic!("unexpected phase {other} in {e}"),
        }
    }
    // Spans on one thread never overlap (1 ns of float rounding allowed).
    let mut by_track: BTreeMap<(u64, u64), Vec<(f64, f64)>> = BTreeMap::new();
    for e in events.iter().filter(|e| e["ph"] == "X") {
        let key = (e["pid"].as_u64().unwrap(), e["tid"].as_u64().unwrap());
        let ts = e["ts"].as_f64().unwrap();
        by_track
            .entry(key)
            .or_default()
            .push((ts, ts + e["dur"].as_f64().unwrap()));
    }
    for (track, mut spans) in by_track {
        spans.sort_by(|a, b| a.partial_cmp(b).unwrap());
        for w in spans.windows(2) {
            assert!(
                w[1].0 >= w[0].1 - 1e-3,
                "track {track:?}: {:?} overlaps {:?}",
                w[0],
                w[1]
            );
        }
    }
    // Every track with work is named.
    let named: BTreeSet<(u64, u64)> = events
        .iter()
        .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
        .map(|e| (e["pid"].as_u64().unwrap(), e["tid"].as_u64().unwrap()))
        .collect();
    for e in events.iter().filter(|e| e["ph"] != "M") {
        let key = (e["pid"].as_u64().unwrap(), e["tid"].as_u64().unwrap());
        assert!(named.contains(&key), "track {key:?} has no name");
    }
    events
}

/// The secretary's tracks: distinct threads with complete events.
fn secretary_tracks(events: &[Value]) -> BTreeSet<u64> {
    events
        .iter()
        .filter(|e| e["ph"] == "X" && e["pid"] == SECRETARY_PID)
        .map(|e| e["tid"].as_u64().unwrap())
        .collect()
}

#[test]
fn fixture_traces_are_chrome_trace_events() {
    let results = sample_results();
    let files = report::export::trace::Trace
        .export(&analysis::analyse(results.clone()))
        .expect("export");
    let names: Vec<&str> = files.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(
        names,
        [
            "trace-office-threads-1c.json.gz",
            "trace-office-threads-2c.json.gz"
        ]
    );
    for (f, run) in files.iter().zip(&results.timelines) {
        assert_eq!(&f.bytes[..2], &[0x1f, 0x8b], "{} is gzip", f.file);
        let doc = report::export::trace::read(&f.bytes).expect("gunzips and parses as JSON");
        let events = check_format(&doc);
        assert_eq!(
            events.iter().filter(|e| e["ph"] == "X").count(),
            run.timeline.spans.len()
        );
        assert_eq!(
            events.iter().filter(|e| e["ph"] == "i").count(),
            run.rings_us.len() + run.dues_us.len()
        );
        assert_eq!(
            secretary_tracks(&events).len(),
            3,
            "desk and two call threads"
        );
        let x = events.iter().find(|e| e["ph"] == "X").unwrap();
        assert_eq!(
            x["ts"].as_f64().unwrap(),
            500_000.0,
            "µs from the start of the day"
        );
        assert!(x["args"]["call"].is_number() || x["args"]["appointment"].is_number());
        assert_eq!(doc["otherData"]["clipped_spans"], 0);
    }
}

#[test]
fn overlapping_spans_on_one_thread_are_cut() {
    let mut run = sample_results().timelines[0].clone();
    let mut s = run.timeline.spans[0];
    s.start_ns += 1_000;
    s.end_ns += 1_000_000;
    run.timeline.spans.push(s);
    let doc = trace(&run);
    check_format(&doc);
    assert_eq!(doc["otherData"]["clipped_spans"], 1);
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("secretary-trace-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_harness"))
        .parent()
        .expect("bin dir")
        .to_path_buf()
}

#[test]
fn a_one_core_async_std_day_has_one_secretary_track() {
    let strategy = bin_dir().join("strategy-async-std");
    assert!(
        strategy.is_file(),
        "{} not built (cargo build -p strategy-async-std, or cargo test --workspace)",
        strategy.display()
    );
    let dir = tmpdir("async-std");
    std::os::unix::fs::symlink(&strategy, dir.join("strategy-async-std")).expect("link");
    let out = dir.join("results");
    let o = Command::new(env!("CARGO_BIN_EXE_harness"))
        .env("SECRETARY_BIN_DIR", &dir)
        .args([
            "compare",
            "--strategies",
            "async-std",
            "--scenarios",
            "office",
        ])
        .args([
            "--cores",
            "1",
            "--runs",
            "1",
            "--no-sweep",
            "--duration",
            "0.2",
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("harness runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let folder = out.join("latest");
    let text = std::fs::read(folder.join("trace-office-async-std-1c.json.gz"))
        .unwrap_or_else(|e| panic!("no trace ({e}):\n{err}"));
    let doc = report::export::trace::read(&text).expect("gunzips and parses as JSON");
    let events = check_format(&doc);
    assert_eq!(
        secretary_tracks(&events).len(),
        1,
        "one executor thread did all the secretary work"
    );
    // By default the whole day is recorded, not only the 40 ms the picture shows.
    let ts: Vec<f64> = events
        .iter()
        .filter(|e| e["ph"] == "X")
        .map(|e| e["ts"].as_f64().unwrap())
        .collect();
    let first = ts.iter().copied().fold(f64::INFINITY, f64::min);
    let last = ts.iter().copied().fold(0.0, f64::max);
    assert!(
        first < 100_000.0 && last > 900_000.0,
        "spans from {first} µs to {last} µs"
    );
    assert_eq!(doc["otherData"]["window_len_us"], 1_000_000);
    assert!(folder.join("timeline-office-async-std-1c.svg").is_file());
    assert!(folder.join("index.html").is_file());
}
