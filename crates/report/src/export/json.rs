//! `summary.json`: the whole sweep for machines — protocol version, environment, whether it
//! was interrupted, the verdict, the findings, the claims, the simulated-vs-real pairs, each
//! timeline's simultaneity and every row (as [`Row`] serialises). Laid out to stay small and
//! still read line by line: one field of the document per line, the environment and the claims
//! indented, and each element of a list (a row, a finding, a verdict) on a line of its own in
//! compact JSON. A simulated-vs-real pair names its two rows by cell (`Row::cell_name`) instead
//! of repeating them (`analysis::sim_vs_tcp::pairs` pairs them again from the rows). `output.rs`
//! reads `rows`, `verdict`, `findings` and `simultaneity` back from it for the results index;
//! `harness replicate` reads `claims` and `verdict`.

use crate::exporter::{Exporter, Format, Kind, Output};
use analysis::Analysed;
use lab::row::Row;
use serde::Serialize;

/// Version of the `summary.json` layout.
pub const PROTOCOL: u32 = 1;

/// The json exporter.
#[derive(Debug)]
pub struct Json;

/// A simulated-vs-real pair as `summary.json` holds it: its two rows by cell name.
#[derive(Serialize)]
struct PairRef<'a> {
    sim: String,
    tcp: String,
    /// CPU per offered call, µs, `[sim, tcp]`.
    cpu_per_call_us: &'a [Option<f64>; 2],
}

/// The document's text, one field after another.
struct Doc(Vec<u8>);

impl Doc {
    fn new() -> Doc {
        Doc(b"{".to_vec())
    }

    fn key(&mut self, name: &str) {
        if self.0.len() > 1 {
            self.0.push(b',');
        }
        self.0
            .extend_from_slice(format!("\n  \"{name}\": ").as_bytes());
    }

    /// `name`: `value` on one line.
    fn line<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> serde_json::Result<()> {
        self.key(name);
        serde_json::to_writer(&mut self.0, value)
    }

    /// `name`: `value` pretty-printed, indented under its key.
    fn pretty<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> serde_json::Result<()> {
        self.key(name);
        let text = serde_json::to_string_pretty(value)?;
        self.0
            .extend_from_slice(text.replace('\n', "\n  ").as_bytes());
        Ok(())
    }

    /// `name`: a list, each element compact on a line of its own.
    fn list<T: Serialize>(&mut self, name: &str, items: &[T]) -> serde_json::Result<()> {
        self.key(name);
        if items.is_empty() {
            self.0.extend_from_slice(b"[]");
            return Ok(());
        }
        self.0.push(b'[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
            self.0.extend_from_slice(b"\n    ");
            serde_json::to_writer(&mut self.0, item)?;
        }
        self.0.extend_from_slice(b"\n  ]");
        Ok(())
    }

    fn finish(mut self) -> Vec<u8> {
        self.0.extend_from_slice(b"\n}\n");
        self.0
    }
}

/// `summary.json`'s bytes.
fn document(results: &Analysed) -> serde_json::Result<Vec<u8>> {
    let pairs: Vec<PairRef<'_>> = results
        .sim_vs_tcp
        .iter()
        .map(|p| PairRef {
            sim: p.sim.cell_name(),
            tcp: p.tcp.cell_name(),
            cpu_per_call_us: &p.cpu_per_call_us,
        })
        .collect();
    let rows: &[Row] = &results.rows;
    let mut doc = Doc::new();
    doc.line("protocol", &PROTOCOL)?;
    doc.pretty("env", &results.env)?;
    doc.line("interrupted", &results.interrupted)?;
    doc.list("verdict", &results.verdicts)?;
    doc.list("findings", &results.findings)?;
    // Every planned comparison, tested: the rule, the controls and each claim's inputs.
    doc.pretty("claims", &results.claims)?;
    doc.list("sim_vs_tcp", &pairs)?;
    // Each timeline run's two-at-once figures, read off its spans.
    doc.list("simultaneity", &results.simultaneity)?;
    doc.list("rows", rows)?;
    Ok(doc.finish())
}

impl Exporter for Json {
    fn name(&self) -> &'static str {
        "json"
    }
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        Ok(vec![Output::new(
            "summary.json",
            document(results)?,
            Kind::Summary(Format::Json),
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_parses_with_one_row_per_line() {
        let results = analysis::analyse(lab::fixtures::sample_results());
        let bytes = document(&results).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
        assert_eq!(doc["protocol"], PROTOCOL);
        let rows: Vec<Row> = serde_json::from_value(doc["rows"].clone()).expect("rows read back");
        assert_eq!(rows, results.rows);
        let text = String::from_utf8(bytes).unwrap();
        let row_lines = text
            .split("\n  \"rows\": [\n")
            .nth(1)
            .expect("a rows list")
            .lines()
            .take_while(|l| l.starts_with("    {"))
            .count();
        assert_eq!(row_lines, results.rows.len(), "one line per row");
    }
}
