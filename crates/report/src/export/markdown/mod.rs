//! `summary.md`: a hyperfine-style markdown report — heading, environment line, one table per
//! scenario (and one per scenario × swept parameter), the findings, and the per-cell files.
//!
//! Numbers follow the one rule of [`lab::format`]: latencies below 10 000 µs in whole µs,
//! from there in ms with one decimal, thousands separators throughout. Latencies are medians
//! across runs; `[min–max]` across runs follows the p99 pick-up where the row has it.
//!
//! One concern a file: `text.rs` (escaping, the environment line), `strategies.rs` (the
//! strategies as measured), `tables.rs` (the per-scenario and sweep tables) and `cells.rs` (a
//! row's cells).

use crate::exporter::{Exporter, Format, Kind, Output};
use analysis::Analysed;
use std::fmt::Write as _;

mod cells;
mod strategies;
mod tables;
mod text;

pub use strategies::strategies_table;
pub use tables::markdown_table;
pub(in crate::export) use text::env_line;
pub use text::{escape, reference_source};

/// The markdown exporter.
#[derive(Debug)]
pub struct Markdown;

impl Exporter for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        Ok(vec![Output::new(
            "summary.md",
            summary(results).into_bytes(),
            Kind::Summary(Format::Markdown),
        )])
    }
}

/// The whole `summary.md` (also the tables and findings of `index.html`).
pub(super) fn summary(results: &Analysed) -> String {
    let mut s = String::from("# Secretary benchmark results\n\n");
    let _ = writeln!(s, "**Environment:** {}\n", env_line(&results.env));
    if results.interrupted {
        s.push_str("> **Interrupted:** the sweep was stopped early; the rows cover only the runs done.\n\n");
    }
    s.push_str(
        "Pick-up is measured from the scheduled ring (no coordinated omission). Figures are medians \
         across runs, `[min–max]` across runs where shown; latencies below 10 000 µs in µs, from \
         there in ms.\n\n",
    );
    if let Some(w) = super::claims::control_warning(&results.claims) {
        s.push_str(&w);
    }
    if let Some(table) = super::verdict::markdown(&results.verdicts) {
        s.push_str("## Verdict\n\n");
        s.push_str(&table);
        s.push('\n');
    }
    if let Some(section) = super::claims::markdown(&results.claims) {
        s.push_str("## Claims\n\n");
        s.push_str(&section);
        s.push('\n');
    }
    if !results.rows.is_empty() {
        s.push_str("## The secretaries, as measured\n\n");
        s.push_str(&strategies_table(&results.rows, &results.simultaneity));
        s.push('\n');
    }
    s.push_str("## Results\n\n");
    if results.rows.is_empty() {
        s.push_str("No rows.\n\n");
    } else {
        s.push_str(&markdown_table(&results.rows, &results.env));
        s.push('\n');
    }
    if let Some(t) = super::sim_vs_tcp::section(&results.sim_vs_tcp) {
        s.push_str("## Simulated vs real lines\n\n");
        s.push_str(&t);
        s.push('\n');
    }
    if results.capacity.is_some() {
        s.push_str("## Capacity\n\nThe highest call rate each strategy × cores keeps up with, what the second core buys and the desk speedups: [`capacity.md`](capacity.md) (every day of each search in `capacity.json`).\n\n");
    }
    s.push_str("## Findings\n\n");
    if results.findings.is_empty() {
        s.push_str("None.\n");
    } else {
        for f in &results.findings {
            let _ = writeln!(s, "- {}", escape(f));
        }
    }
    s.push_str("\n## Files\n\n");
    s.push_str(
        "`index.html` shows all of it on one page; `summary.csv` and `summary.json` hold every \
         figure of the tables; `env.json` the environment; the `.svg` files the plots; \
         `trace-*.json.gz` each timeline run as a gzip-compressed trace for the Perfetto UI (it opens them as they are). Per cell, the pick-up percentile distribution \
         (µs; loads in [HdrHistogram's plotter](https://hdrhistogram.github.io/HdrHistogram/plotFiles.html)):\n\n",
    );
    if results.hists.is_empty() {
        s.push_str("- none\n");
    }
    for h in &results.hists {
        let file = super::hgrm::file_name(&h.cell);
        let _ = writeln!(s, "- [`{file}`]({file})");
    }
    s
}
