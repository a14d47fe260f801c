//! markdown exporter (stub: being written).
use super::{Exporter, Output};
use crate::row::Results;

/// The markdown exporter.
#[derive(Debug)]
pub struct Markdown;

impl Exporter for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }
    fn export(&self, _results: &Results) -> anyhow::Result<Vec<Output>> {
        Ok(Vec::new())
    }
}

/// Stub.
#[must_use]
pub fn markdown_table(_rows: &[crate::row::Row]) -> String {
    String::new()
}
