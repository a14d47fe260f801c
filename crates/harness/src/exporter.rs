//! What an exporter is: the [`Exporter`] trait and the [`Output`] file it produces. The file
//! formats (`export/`) and the plots (`plot/`) both implement it and depend only on this
//! module, never on each other; the list of every exporter is
//! [`crate::output::all_exporters`], which writes their files.

use crate::row::Results;

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
