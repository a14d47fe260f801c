//! `memory.csv`: one line per strategy × level run, with the strategy's slope, base and limit
//! repeated on each of its lines (plain numbers, empty where there is none).

use crate::exporter::{Exporter, Format, Kind, Output};
use analysis::Analysed;
use lab::memory::Memory;

/// `memory.csv`.
#[derive(Debug)]
pub struct MemoryCsv;

/// The columns of `memory.csv`.
pub const COLUMNS: &[&str] = &[
    "strategy",
    "in_flight",
    "calls_per_s",
    "offered_calls",
    "peak_in_flight_scheduled",
    "peak_in_flight_measured",
    "peak_rss_kib",
    "status",
    "held",
    "reason",
    "missed_share",
    "start_failures",
    "pickup_p99_us",
    "cpu_per_wall",
    "wall_s",
    "row",
    "bytes_per_call",
    "kernel_kib",
    "kernel_bytes_per_call",
    "base_mib",
    "held_up_to",
    "limit_in_flight",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn csv(m: &Memory) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for s in &m.strategies {
        for d in &s.days {
            w.write_record([
                s.strategy.clone(),
                d.in_flight.to_string(),
                d.calls_per_s.to_string(),
                d.offered_calls.to_string(),
                d.peak_scheduled.to_string(),
                opt(d.peak_measured),
                opt(d.peak_rss_kib),
                d.status.name().to_owned(),
                d.held.to_string(),
                d.reason.clone().unwrap_or_default(),
                d.missed_share.to_string(),
                d.start_failures.to_string(),
                d.pickup_p99_us.to_string(),
                d.cpu_per_wall.to_string(),
                d.wall_s.to_string(),
                d.row.clone().unwrap_or_default(),
                opt(s.bytes_per_call.filter(|x| x.is_finite())),
                opt(d.kernel_kib),
                opt(s.kernel_bytes_per_call.filter(|x| x.is_finite())),
                opt(s.base_mib.filter(|x| x.is_finite())),
                opt(s.held_up_to),
                opt(s.limit.as_ref().map(|l| l.in_flight)),
            ])?;
        }
    }
    Ok(w.into_inner()?)
}

impl Exporter for MemoryCsv {
    fn name(&self) -> &'static str {
        "memory-csv"
    }
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let Some(m) = &results.memory else {
            return Ok(Vec::new());
        };
        Ok(vec![Output::new(
            "memory.csv",
            csv(m)?,
            Kind::Memory(Format::Csv),
        )])
    }
}
