//! Exporters of the file formats: one file per format (as hyperfine's `export/`), each an
//! [`Exporter`] turning the sweep's [`Results`](lab::row::Results) into one or more files of
//! the results folder; the caller writes them atomically: `summary.json`, `summary.md`,
//! `summary.csv`, the `.hgrm` files, the traces (`trace.rs`), `capacity.*` (`capacity.rs`),
//! `memory.*` (`memory/`, one file per format) and the report page `index.html` (`html.rs`,
//! [`page`]: it reads the other exporters' files, so it is listed apart and last).
//! `primitives.rs` writes the files of `harness primitives`, which has no rows of days.
//! `replication.rs` renders `harness replicate`: two results folders' claims side by side.
//! The plots are in `plot/`; the list of all is [`crate::output::all_exporters`].

use crate::exporter::Exporter;

pub mod answers;
mod capacity;
pub mod claims;
mod csv;
mod hgrm;
pub mod html;
mod json;
mod markdown;
mod memory;
pub mod primitives;
pub mod replication;
pub mod sim_vs_tcp;
pub mod soak;
pub mod trace;
pub mod verdict;

pub use hgrm::write_hgrm;
pub use markdown::{escape as escape_markdown, markdown_table, reference_source, strategies_table};

/// Every file-format exporter but the report page (not the plots: they are listed by
/// `plot::all`).
#[must_use]
pub fn all() -> Vec<Box<dyn Exporter>> {
    let mut v: Vec<Box<dyn Exporter>> = vec![
        Box::new(json::Json),
        Box::new(markdown::Markdown),
        Box::new(csv::Csv),
        Box::new(hgrm::Hgrm),
        Box::new(trace::Trace),
        Box::new(capacity::CapacityFiles),
    ];
    v.extend(memory::all());
    v
}

/// The report page, `index.html`: it inlines the plots and links every file, so it runs after
/// every other exporter and is given their files.
#[must_use]
pub fn page() -> Box<dyn Exporter> {
    Box::new(html::Html)
}
