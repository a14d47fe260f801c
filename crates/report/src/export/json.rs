//! `summary.json`: the whole sweep for machines — protocol version, environment, whether it
//! was interrupted, the verdict, the findings, the claims, the simulated-vs-real pairs, each
//! timeline's simultaneity and every row (as [`Row`] serialises), pretty-printed. `output.rs`
//! reads `rows`, `verdict`, `findings`, `sim_vs_tcp` and `simultaneity` back from it for the
//! results index.

use crate::exporter::{Exporter, Format, Kind, Output};
use analysis::Analysed;
use lab::row::Row;
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
    verdict: &'a [analysis::verdict::Verdict],
    findings: &'a [String],
    /// Every planned comparison, tested: the rule, the controls and each claim's inputs.
    claims: &'a analysis::claims::Claims,
    sim_vs_tcp: &'a [analysis::sim_vs_tcp::Pair],
    /// Each timeline run's two-at-once figures, read off its spans.
    simultaneity: &'a [analysis::simultaneity::Simultaneity],
    rows: &'a [Row],
}

impl Exporter for Json {
    fn name(&self) -> &'static str {
        "json"
    }
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let doc = Summary {
            protocol: PROTOCOL,
            env: &results.env,
            interrupted: results.interrupted,
            verdict: &results.verdicts,
            findings: &results.findings,
            claims: &results.claims,
            sim_vs_tcp: &results.sim_vs_tcp,
            simultaneity: &results.simultaneity,
            rows: &results.rows,
        };
        let mut bytes = serde_json::to_vec_pretty(&doc)?;
        bytes.push(b'\n');
        Ok(vec![Output::new(
            "summary.json",
            bytes,
            Kind::Summary(Format::Json),
        )])
    }
}
