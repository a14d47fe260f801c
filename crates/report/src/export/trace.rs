//! `trace-<scenario>-<strategy>-<cores>c.json.gz`: each timeline run as a trace in the Chrome
//! Trace Event Format, the JSON that the Perfetto UI (ui.perfetto.dev, which reads the file
//! inside the browser) and `chrome://tracing` open, gzip-compressed: both open a `.json.gz` as
//! it is (`gunzip` gives the plain JSON). A day's trace is ~200 KB of JSON and ~20 KB
//! compressed, which keeps a full compare's folder small. Where the timeline picture shows
//! 40 ms, the trace holds the whole recorded window (by default the whole day), to zoom and
//! scroll through.
//!
//! Layout: process 1, "the day's schedule", has two tracks of instant events — a phone rings,
//! an appointment is due; process 2, the secretary, has one track per OS thread that did
//! secretary work (named as in the timeline picture), with a complete event per span of work
//! (`phone` or `desk`, the call or appointment id and the CPU in `args`). Timestamps are µs
//! from the start of the day, with ns precision. One track alternating between phone and desk
//! is concurrency; two tracks busy at the same instant are parallelism.
//!
//! Spans on one thread never overlap in the trace (trace viewers draw a thread's complete
//! events as a stack, and a partial overlap would be dropped): a span that starts before the
//! previous one on its thread ended is cut to start there, and the count of such cuts is in
//! `otherData.clipped_spans` (0 in every run so far: one thread does one thing at a time).

use crate::exporter::{Exporter, Kind, Output, timeline_stems};
use analysis::Analysed;
use anyhow::Context as _;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use lab::row::TimelineRun;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read as _, Write as _};
use workload::record::{Doing, Span};

/// The trace exporter.
#[derive(Debug)]
pub struct Trace;

/// Process of the schedule's tracks.
pub const SCHEDULE_PID: u32 = 1;
/// Process of the secretary's threads.
pub const SECRETARY_PID: u32 = 2;
/// The schedule's track of phone rings.
const RINGS_TID: u32 = 1;
/// The schedule's track of appointment due times.
const DUES_TID: u32 = 2;

impl Exporter for Trace {
    fn name(&self) -> &'static str {
        "trace"
    }

    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        results
            .timelines
            .iter()
            .zip(timeline_stems(&results.timelines))
            .map(|(run, stem)| {
                let mut json = serde_json::to_vec(&trace(run))?;
                json.push(b'\n');
                Ok(Output::new(file(&stem), gzip(&json)?, Kind::Trace))
            })
            .collect()
    }
}

/// The trace file of the timeline run with stem `stem`: `trace-<stem>.json.gz`.
#[must_use]
pub fn file(stem: &str) -> String {
    format!("trace-{stem}.json.gz")
}

/// `bytes` gzip-compressed (one member, as `gzip` writes: what the Perfetto UI and
/// `chrome://tracing` read).
pub fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut z = GzEncoder::new(Vec::with_capacity(bytes.len() / 8), Compression::best());
    z.write_all(bytes)?;
    Ok(z.finish()?)
}

/// A trace file's document: gzip-compressed (`.json.gz`, as written now) or plain JSON (as
/// results folders before them hold).
pub fn read(bytes: &[u8]) -> anyhow::Result<Value> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut json = Vec::new();
        GzDecoder::new(bytes)
            .read_to_end(&mut json)
            .context("not a gzip file")?;
        serde_json::from_slice(&json).context("the trace is not JSON")
    } else {
        serde_json::from_slice(bytes).context("the trace is not JSON")
    }
}

/// One trace event; fields the format does not need for its phase are left out.
#[derive(Serialize)]
struct Event {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cat: Option<&'static str>,
    ph: &'static str,
    /// µs from the start of the day.
    ts: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    dur: Option<f64>,
    pid: u32,
    tid: u32,
    /// Scope of an instant event (`t`: its thread's track).
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'static str>,
    #[serde(skip_serializing_if = "Value::is_null")]
    args: Value,
}

impl Event {
    fn meta(name: &str, pid: u32, tid: u32, args: Value) -> Event {
        Event {
            name: name.to_owned(),
            cat: None,
            ph: "M",
            ts: 0.0,
            dur: None,
            pid,
            tid,
            s: None,
            args,
        }
    }

    fn instant(name: &str, tid: u32, us: u64) -> Event {
        Event {
            name: name.to_owned(),
            cat: Some("schedule"),
            ph: "i",
            ts: us as f64,
            dur: None,
            pid: SCHEDULE_PID,
            tid,
            s: Some("t"),
            args: Value::Null,
        }
    }
}

fn us(ns: u64) -> f64 {
    ns as f64 / 1_000.0
}

/// The secretary track of OS thread `index`.
#[must_use]
pub fn thread_tid(index: u32) -> u32 {
    index.saturating_add(1)
}

/// The trace of one timeline run: `{"traceEvents": [...], "displayTimeUnit": "ms",
/// "otherData": {...}}`.
#[must_use]
pub fn trace(run: &TimelineRun) -> Value {
    let spans = &run.timeline.spans;
    let threads: BTreeSet<u32> = spans.iter().map(|s| s.thread).collect();
    let labels = run.thread_labels(&threads);
    let cores = format!(
        "{} core{}",
        run.cores,
        if run.cores == 1 { "" } else { "s" }
    );
    let mut events = vec![
        Event::meta(
            "process_name",
            SCHEDULE_PID,
            0,
            json!({ "name": format!("the day's schedule ({})", run.scenario) }),
        ),
        Event::meta(
            "process_sort_index",
            SCHEDULE_PID,
            0,
            json!({ "sort_index": 0 }),
        ),
        Event::meta(
            "thread_name",
            SCHEDULE_PID,
            RINGS_TID,
            json!({ "name": "phone rings" }),
        ),
        Event::meta(
            "thread_name",
            SCHEDULE_PID,
            DUES_TID,
            json!({ "name": "appointments due" }),
        ),
        Event::meta(
            "process_name",
            SECRETARY_PID,
            0,
            json!({ "name": format!("{} on {cores} ({}): OS threads", run.strategy, run.scenario) }),
        ),
        Event::meta(
            "process_sort_index",
            SECRETARY_PID,
            0,
            json!({ "sort_index": 1 }),
        ),
    ];
    for (rank, (index, label)) in labels.iter().enumerate() {
        let tid = thread_tid(*index);
        events.push(Event::meta(
            "thread_name",
            SECRETARY_PID,
            tid,
            json!({ "name": label }),
        ));
        events.push(Event::meta(
            "thread_sort_index",
            SECRETARY_PID,
            tid,
            json!({ "sort_index": rank }),
        ));
    }
    events.extend(
        run.rings_us
            .iter()
            .map(|t| Event::instant("a phone rings", RINGS_TID, *t)),
    );
    events.extend(
        run.dues_us
            .iter()
            .map(|t| Event::instant("an appointment is due", DUES_TID, *t)),
    );
    let (work, clipped) = without_overlaps(spans);
    events.extend(work.into_iter().map(|s| {
        let (name, id_key) = match s.doing {
            Doing::Phone => ("phone", "call"),
            Doing::Desk => ("desk", "appointment"),
        };
        let mut args = serde_json::Map::new();
        args.insert(id_key.to_owned(), json!(s.id));
        if s.cpu != u32::MAX {
            args.insert("cpu".to_owned(), json!(s.cpu));
        }
        Event {
            name: name.to_owned(),
            cat: Some(name),
            ph: "X",
            ts: us(s.start_ns),
            dur: Some(us(s.end_ns - s.start_ns)),
            pid: SECRETARY_PID,
            tid: thread_tid(s.thread),
            s: None,
            args: Value::Object(args),
        }
    }));
    json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": {
            "what": "the secretary's day: who worked when (phone: a call's pick-up or reply; desk: one chunk of an appointment check)",
            "strategy": run.strategy,
            "scenario": run.scenario,
            "cores": run.cores,
            "window_from_us": run.timeline.from_us,
            "window_len_us": run.timeline.len_us,
            "spans": spans.len(),
            "clipped_spans": clipped,
            "secretary_threads": threads.len(),
        },
    })
}

/// The spans thread by thread in start order, each starting no earlier than the previous one
/// on its thread ended (cut where needed; a span cut to nothing is left out), and how many
/// were cut.
fn without_overlaps(spans: &[Span]) -> (Vec<Span>, usize) {
    let mut by_thread: BTreeMap<u32, Vec<Span>> = BTreeMap::new();
    for s in spans {
        by_thread.entry(s.thread).or_default().push(*s);
    }
    let mut out = Vec::with_capacity(spans.len());
    let mut clipped = 0;
    for (_, mut mine) in by_thread {
        mine.sort_by_key(|s| (s.start_ns, s.end_ns));
        let mut last_end = 0;
        for mut s in mine {
            if s.start_ns < last_end {
                clipped += 1;
                s.start_ns = last_end;
                if s.end_ns <= s.start_ns {
                    continue;
                }
            }
            last_end = s.end_ns;
            out.push(s);
        }
    }
    (out, clipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(thread: u32, start_ns: u64, end_ns: u64) -> Span {
        Span {
            thread,
            cpu: 0,
            doing: Doing::Phone,
            id: 1,
            start_ns,
            end_ns,
        }
    }

    #[test]
    fn a_trace_reads_back_compressed_or_plain() {
        let doc = json!({ "traceEvents": [], "displayTimeUnit": "ms" });
        let plain = serde_json::to_vec(&doc).unwrap();
        let z = gzip(&plain).unwrap();
        assert_eq!(&z[..2], &[0x1f, 0x8b], "a gzip header");
        assert_eq!(read(&z).unwrap(), doc);
        assert_eq!(read(&plain).unwrap(), doc);
        assert!(read(b"\x1f\x8bnot gzip").is_err());
        assert_eq!(file("office-green-2c"), "trace-office-green-2c.json.gz");
    }

    #[test]
    fn overlaps_on_one_thread_are_cut_and_counted() {
        let (out, clipped) = without_overlaps(&[
            span(0, 10, 20),
            span(1, 15, 30),
            span(0, 18, 25),
            span(0, 19, 24),
        ]);
        assert_eq!(clipped, 2);
        let zero: Vec<(u64, u64)> = out
            .iter()
            .filter(|s| s.thread == 0)
            .map(|s| (s.start_ns, s.end_ns))
            .collect();
        assert_eq!(zero, [(10, 20), (20, 25)]);
        assert_eq!(out.iter().filter(|s| s.thread == 1).count(), 1);
    }
}
