//! Exporters of the file formats: one file per format (as hyperfine's `export/`), each an
//! [`Exporter`] turning the sweep's [`Results`](crate::row::Results) into one or more files of
//! the results folder; the caller writes them atomically. The plots are in `plot/`; the list of
//! both is [`crate::output::all_exporters`].

use crate::exporter::Exporter;

mod capacity;
mod csv;
mod hgrm;
mod json;
mod markdown;

pub use hgrm::write_hgrm;
pub use markdown::{escape as escape_markdown, markdown_table, strategies_table};

/// Every file-format exporter (not the plots: they are listed by `plot::all`).
#[must_use]
pub fn all() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(json::Json),
        Box::new(markdown::Markdown),
        Box::new(csv::Csv),
        Box::new(hgrm::Hgrm),
        Box::new(capacity::CapacityFiles),
    ]
}
