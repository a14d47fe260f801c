//! `summary.json`: the whole sweep for machines — protocol version, environment, whether it
//! was interrupted, the verdict, the findings and every row (as [`Row`] serialises),
//! pretty-printed. `output.rs` reads `rows`, `verdict` and `findings` back from it for the
//! results index.

use crate::exporter::{Exporter, Output};
use crate::row::{Results, Row};
use serde::Serialize;

/// Version of the `summary.json` layout.
pub const PROTOCOL: u32 = 1;

/// The json exporter.
#[derive(Debug)]
pub struct Json;

/// The document, fields in this order.
#[derive(Serialize)]
struct Summary<'a> {
    protocol: u32,
    env: &'a serde_json::Value,
    interrupted: bool,
    verdict: Vec<crate::verdict::Verdict>,
    findings: &'a [String],
    rows: &'a [Row],
}

impl Exporter for Json {
    fn name(&self) -> &'static str {
        "json"
    }
    fn export(&self, results: &Results) -> anyhow::Result<Vec<Output>> {
        let doc = Summary {
            protocol: PROTOCOL,
            env: &results.env,
            interrupted: results.interrupted,
            verdict: crate::verdict::verdicts(&results.rows, results.capacity.as_ref()),
            findings: &results.findings,
            rows: &results.rows,
        };
        let mut bytes = serde_json::to_vec_pretty(&doc)?;
        bytes.push(b'\n');
        Ok(vec![Output {
            file: "summary.json".into(),
            bytes,
        }])
    }
}
