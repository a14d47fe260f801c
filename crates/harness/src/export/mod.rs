//! Exporters: one small trait, one file per output format (as hyperfine's `export/`).
//! Each turns the sweep's [`Results`] into one or more files of the results folder; the
//! caller writes them atomically.

use crate::row::Results;

mod csv;
mod hgrm;
mod json;
mod markdown;

pub use hgrm::write_hgrm;
pub use markdown::{escape as escape_markdown, markdown_table};

/// One file to write into the results folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// File name inside the folder (no directories).
    pub file: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Turns results into files.
pub trait Exporter {
    /// Short name, for error messages.
    fn name(&self) -> &'static str;
    /// The files this exporter produces.
    fn export(&self, results: &Results) -> anyhow::Result<Vec<Output>>;
}

/// Every exporter, including the plots.
#[must_use]
pub fn all() -> Vec<Box<dyn Exporter>> {
    let mut v: Vec<Box<dyn Exporter>> = vec![
        Box::new(json::Json),
        Box::new(markdown::Markdown),
        Box::new(csv::Csv),
        Box::new(hgrm::Hgrm),
    ];
    v.extend(crate::plot::all());
    v
}
