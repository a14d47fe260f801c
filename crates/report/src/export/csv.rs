//! `summary.csv`: one line per row, flat columns (header first, even with no rows), quoted by
//! the csv crate. Numbers in plain notation as Rust prints them (`1234`, `0.4`); an absent or
//! non-finite value is an empty field; latencies in µs, times in s, RSS in KiB.

use crate::exporter::{Exporter, Format, Kind, Output};
use analysis::Analysed;
use lab::row::Row;

/// The csv exporter.
#[derive(Debug)]
pub struct Csv;

/// The columns, in order.
pub const COLUMNS: &[&str] = &[
    "strategy",
    "scenario",
    "cores",
    "sweep",
    "runs",
    "status",
    "reason",
    "offered_calls",
    "answered_calls",
    "missed_calls",
    "missed_share",
    "digest_ok",
    "pickup_us_p50",
    "pickup_us_p90",
    "pickup_us_p99",
    "pickup_us_p999",
    "pickup_us_max",
    "pickup_us_mean",
    "reply_us_p50",
    "reply_us_p99",
    "reply_us_max",
    "appointment_lateness_us_p50",
    "appointment_lateness_us_p99",
    "appointment_lateness_us_max",
    "pickup_uncorrected_us_p50",
    "pickup_uncorrected_us_p99",
    "ring_lateness_us_p50",
    "ring_lateness_us_p99",
    "timer_lateness_us_p50",
    "timer_lateness_us_p99",
    "clock_ok",
    "appointments_done",
    "start_failures",
    "wall_s",
    "cpu_user_s",
    "cpu_sys_s",
    "max_rss_kib",
    "ctx_voluntary",
    "ctx_involuntary",
    "cpu_per_wall",
    "threads_used",
    "pickup_wait_us_mean",
    "predicted_mean_pickup_us",
    "predicted_delivery_us",
    "measured_over_predicted",
    "pickup_us_p99_min",
    "pickup_us_p99_max",
    "seeds",
];

/// A float field: Rust's shortest round-trip notation, empty when not finite.
fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

/// The fields of one row, in [`COLUMNS`] order.
fn record(r: &Row) -> Vec<String> {
    let range = r.ranges.get("pickup_us.p99");
    let seeds: Vec<String> = r.seeds.iter().map(u64::to_string).collect();
    vec![
        r.strategy.clone(),
        r.scenario.clone(),
        r.cores.to_string(),
        r.sweep.clone().unwrap_or_default(),
        r.runs.to_string(),
        r.status.name().to_owned(),
        r.reason.clone().unwrap_or_default(),
        r.offered_calls.to_string(),
        r.answered_calls.to_string(),
        r.missed_calls.to_string(),
        num(r.figures.missed_share),
        r.digest_ok.to_string(),
        num(r.figures.pickup_us.p50),
        num(r.figures.pickup_us.p90),
        num(r.figures.pickup_us.p99),
        num(r.figures.pickup_us.p999),
        num(r.figures.pickup_us.max),
        num(r.figures.pickup_us.mean),
        num(r.figures.reply_us.p50),
        num(r.figures.reply_us.p99),
        num(r.figures.reply_us.max),
        num(r.figures.appointment_lateness_us.p50),
        num(r.figures.appointment_lateness_us.p99),
        num(r.figures.appointment_lateness_us.max),
        num(r.figures.pickup_uncorrected_us.p50),
        num(r.figures.pickup_uncorrected_us.p99),
        num(r.figures.ring_lateness_us.p50),
        num(r.figures.ring_lateness_us.p99),
        num(r.figures.timer_lateness_us.p50),
        num(r.figures.timer_lateness_us.p99),
        r.clock_ok.to_string(),
        r.appointments_done.to_string(),
        r.start_failures.to_string(),
        num(r.figures.wall_s),
        num(r.figures.cpu_user_s),
        num(r.figures.cpu_sys_s),
        num(r.figures.max_rss_kib),
        num(r.figures.ctx_voluntary),
        num(r.figures.ctx_involuntary),
        num(r.figures.cpu_per_wall),
        num(r.figures.threads_used),
        num(r.figures.pickup_wait_us_mean),
        opt(r.prediction.as_ref().and_then(|p| p.mean_pickup_wait_us)),
        opt(r.prediction.as_ref().map(|p| p.delivery_us)),
        opt(r.measured_over_predicted),
        opt(range.map(|x| x[0])),
        opt(range.map(|x| x[1])),
        seeds.join(" "),
    ]
}

impl Exporter for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(COLUMNS)?;
        for r in &results.rows {
            let rec = record(r);
            debug_assert_eq!(rec.len(), COLUMNS.len());
            w.write_record(&rec)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| anyhow::anyhow!("csv: {}", e.error()))?;
        Ok(vec![Output::new(
            "summary.csv",
            bytes,
            Kind::Summary(Format::Csv),
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_field_per_column_and_quoting() {
        let mut res = lab::fixtures::sample_results();
        res.rows[0].reason = Some("a, \"b\"\nc".into());
        let out = Csv
            .export(&analysis::analyse(res.clone()))
            .expect("exports");
        let mut rd = csv::Reader::from_reader(out[0].bytes.as_slice());
        assert_eq!(rd.headers().expect("header").len(), COLUMNS.len());
        let recs: Vec<csv::StringRecord> = rd.records().collect::<Result<_, _>>().expect("parses");
        assert_eq!(recs.len(), res.rows.len());
        assert_eq!(&recs[0][6], "a, \"b\"\nc");
        assert!(recs.iter().all(|r| r.len() == COLUMNS.len()));
    }

    #[test]
    fn non_finite_is_empty() {
        assert_eq!(num(f64::NAN), "");
        assert_eq!(num(1234.0), "1234");
        assert_eq!(num(0.4), "0.4");
    }
}
