//! The versioned runner↔strategy protocol: the one JSON document a strategy binary writes to
//! stdout, with its histograms as base64 HdrHistogram V2+DEFLATE. This is the only module of
//! the workspace's strategies that writes to stdout; logs go to stderr.

use crate::arrangement::Arrangement;
use crate::office::Office;
use crate::record::{Counters, Logbook, Span};
use crate::spec::Spec;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer as _, V2DeflateSerializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write as _;

/// Version of the document; bumped on any incompatible change.
pub const PROTOCOL_VERSION: u32 = 1;

/// A protocol document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// Not JSON, or not a report.
    #[error("not a strategy report: {0}")]
    Json(#[from] serde_json::Error),
    /// A report of another protocol version.
    #[error("protocol version {found}, expected {PROTOCOL_VERSION}")]
    Version {
        /// The version the document claims.
        found: u32,
    },
    /// A histogram that does not decode.
    #[error("histogram '{name}' does not decode: {why}")]
    Histogram {
        /// Which histogram.
        name: String,
        /// The decoder's complaint.
        why: String,
    },
}

/// One OS thread that did work, and how much.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadUse {
    /// Index (see [`crate::threads`]).
    pub index: u32,
    /// Thread name.
    pub name: String,
    /// Calls it picked up.
    pub calls: u64,
    /// Desk chunks it ran.
    pub desk_chunks: u64,
}

/// The timeline: spans of work in a window of the day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    /// Window start, µs after the start of the day.
    pub from_us: u64,
    /// Window length, µs.
    pub len_us: u64,
    /// Spans overlapping the window.
    pub spans: Vec<Span>,
}

/// The document a strategy writes to stdout.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// [`PROTOCOL_VERSION`].
    pub protocol: u32,
    /// Strategy name (crate name without `strategy-`).
    pub strategy: String,
    /// Cores the strategy was told to use.
    pub cores: usize,
    /// The spec it ran.
    pub spec: Spec,
    /// Fingerprint of the schedule it ran (hex).
    pub schedule_fingerprint: String,
    /// Counters.
    pub counters: Counters,
    /// Digest of every value computed (hex).
    pub digest: String,
    /// Calls not answered.
    pub missed_ids: Vec<u32>,
    /// Histogram name → base64 V2+DEFLATE.
    pub histograms: BTreeMap<String, String>,
    /// OS threads that did the work.
    pub threads: Vec<ThreadUse>,
    /// First error met starting a call, if any.
    pub start_error: Option<String>,
    /// Strategy notes.
    pub notes: Vec<String>,
    /// Timeline, when asked for.
    pub timeline: Option<Timeline>,
    /// Seconds from opening the office to the end of the last piece of work.
    pub day_s: f64,
    /// The process's peak resident memory (`VmHWM`), KiB. Read by the strategy itself: a
    /// child's `ru_maxrss` starts from its parent's size at fork, so the harness's own memory
    /// would show through.
    #[serde(default)]
    pub peak_rss_kib: Option<u64>,
    /// The most calls in flight at once, measured: sheets of answered calls alive at the same
    /// time (picked up in time and not yet filed) since the office opened (see
    /// [`crate::record::peak_sheets_open`]). `None` from a strategy of an older build.
    #[serde(default)]
    pub peak_calls_in_flight: Option<u64>,
    /// The arrangement the strategy declared (`None`: undeclared, e.g. a strategy built before
    /// declarations or a test double; it still runs, the harness just predicts nothing for it).
    #[serde(default)]
    pub arrangement: Option<Arrangement>,
    /// The timer slack of the thread that built the report, ns: how late Linux may wake a
    /// sleeper on purpose (`strategy_main` sets 1 ns before the runtime starts; 50 µs is the
    /// kernel's default). `None` off Linux or from a strategy of an older build.
    #[serde(default)]
    pub timer_slack_ns: Option<u64>,
    /// When the latest appointment check was done, ns after the opening
    /// ([`Counters::last_check_done_ns`]): on a batch day, the makespan. `None` when no check
    /// was done, or from a strategy of an older build.
    #[serde(default)]
    pub makespan_ns: Option<u64>,
}

/// Writes one value to stdout as one JSON line and flushes.
pub fn write_stdout_line<T: Serialize>(value: &T) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// This process's peak resident set (`VmHWM` in `/proc/self/status`), KiB.
#[must_use]
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Encodes a histogram as base64 V2+DEFLATE.
#[must_use]
pub fn encode_histogram(h: &Histogram<u64>) -> String {
    let mut buf = Vec::new();
    // Serialising into a Vec cannot fail for a valid histogram.
    let _ = V2DeflateSerializer::new().serialize(h, &mut buf);
    B64.encode(buf)
}

/// Decodes [`encode_histogram`]'s output.
pub fn decode_histogram(name: &str, s: &str) -> Result<Histogram<u64>, ProtocolError> {
    let bad = |why: String| ProtocolError::Histogram {
        name: name.to_owned(),
        why,
    };
    let bytes = B64.decode(s).map_err(|e| bad(e.to_string()))?;
    Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .map_err(|e| bad(format!("{e:?}")))
}

impl Report {
    /// Builds the report of a finished day (only `strategy_main` and the conformance tests,
    /// through [`crate::entry::run_in_process`], do: a strategy returns its logbook).
    #[must_use]
    pub(crate) fn new(
        strategy: &str,
        cores: usize,
        office: &Office,
        mut log: Logbook,
        day_s: f64,
    ) -> Report {
        log.counters.offered_calls = office.calls().len() as u64;
        log.counters.offered_appointments = office.appointments().len() as u64;
        // Over real lines, a caller who gave up before reaching the secretary (in the accept
        // queue, or whose connection never completed) never rang here: missed, and counted.
        for id in office.never_rang() {
            log.counters.missed_calls += 1;
            log.counters.never_rang += 1;
            log.missed_ids.push(id);
        }
        log.counters.integrity.foreign_clock_sheets +=
            log.sheets_off_clock(office.clock().as_ref());
        log.missed_ids.sort_unstable();
        let histograms = log
            .hist
            .named()
            .into_iter()
            .map(|(n, h)| (n.to_owned(), encode_histogram(h)))
            .collect();
        let threads = log
            .threads
            .iter()
            .map(|(&index, &(calls, desk_chunks))| ThreadUse {
                index,
                name: crate::threads::name(index),
                calls,
                desk_chunks,
            })
            .collect();
        let timeline = office.timeline_window().map(|(from_us, len_us)| {
            let mut spans = std::mem::take(&mut log.spans);
            spans.sort_by_key(|s| (s.start_ns, s.thread));
            Timeline {
                from_us,
                len_us,
                spans,
            }
        });
        let makespan_ns =
            (log.counters.appointments_done > 0).then_some(log.counters.last_check_done_ns);
        Report {
            protocol: PROTOCOL_VERSION,
            strategy: strategy.to_owned(),
            cores,
            spec: office.spec().clone(),
            schedule_fingerprint: format!("{:016x}", office.schedule().fingerprint()),
            counters: log.counters,
            digest: format!("{:016x}", log.digest),
            missed_ids: log.missed_ids,
            histograms,
            threads,
            start_error: log.start_error,
            notes: log.notes,
            timeline,
            day_s,
            peak_rss_kib: peak_rss_kib(),
            peak_calls_in_flight: Some(crate::record::peak_sheets_open()),
            arrangement: None,
            timer_slack_ns: crate::timer_slack::current_ns(),
            makespan_ns,
        }
    }

    /// Parses a document, checking its protocol version.
    pub fn parse(s: &str) -> Result<Report, ProtocolError> {
        let v: serde_json::Value = serde_json::from_str(s)?;
        let found = v
            .get("protocol")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0) as u32;
        if found != PROTOCOL_VERSION {
            return Err(ProtocolError::Version { found });
        }
        Ok(serde_json::from_value(v)?)
    }

    /// One histogram by name (see [`crate::record::HISTOGRAM_NAMES`]).
    pub fn histogram(&self, name: &str) -> Result<Histogram<u64>, ProtocolError> {
        let s = self
            .histograms
            .get(name)
            .ok_or_else(|| ProtocolError::Histogram {
                name: name.to_owned(),
                why: "missing".to_owned(),
            })?;
        decode_histogram(name, s)
    }

    /// The digest as a number (`None` if it is not 16 hex digits).
    #[must_use]
    pub fn digest_value(&self) -> Option<u64> {
        u64::from_str_radix(&self.digest, 16).ok()
    }

    /// Writes the document to stdout, one line, and flushes.
    pub fn write_stdout(&self) -> std::io::Result<()> {
        write_stdout_line(self)
    }
}
