//! csv exporter (stub: being written).
use super::{Exporter, Output};
use crate::row::Results;

/// The csv exporter.
#[derive(Debug)]
pub struct Csv;

impl Exporter for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }
    fn export(&self, _results: &Results) -> anyhow::Result<Vec<Output>> {
        Ok(Vec::new())
    }
}
