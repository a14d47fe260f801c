//! hgrm exporter (stub: being written).
use super::{Exporter, Output};
use crate::row::Results;

/// The hgrm exporter.
#[derive(Debug)]
pub struct Hgrm;

impl Exporter for Hgrm {
    fn name(&self) -> &'static str {
        "hgrm"
    }
    fn export(&self, _results: &Results) -> anyhow::Result<Vec<Output>> {
        Ok(Vec::new())
    }
}

/// Stub.
#[must_use]
pub fn write_hgrm(_h: &hdrhistogram::Histogram<u64>) -> String {
    String::new()
}
