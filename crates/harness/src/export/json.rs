//! json exporter (stub: being written).
use super::{Exporter, Output};
use crate::row::Results;

/// The json exporter.
#[derive(Debug)]
pub struct Json;

impl Exporter for Json {
    fn name(&self) -> &'static str {
        "json"
    }
    fn export(&self, _results: &Results) -> anyhow::Result<Vec<Output>> {
        Ok(Vec::new())
    }
}
