//! `memory.json`: the whole [`Memory`](lab::memory::Memory) — the plan (levels, call
//! length, calibration, memory guard, how the slope is fitted) and every strategy's days,
//! slope and limit.

use crate::exporter::{Exporter, Format, Kind, Output};
use analysis::Analysed;

/// `memory.json`.
#[derive(Debug)]
pub struct MemoryJson;

impl Exporter for MemoryJson {
    fn name(&self) -> &'static str {
        "memory-json"
    }
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let Some(m) = &results.memory else {
            return Ok(Vec::new());
        };
        let mut bytes = serde_json::to_vec_pretty(m)?;
        bytes.push(b'\n');
        Ok(vec![Output::new(
            "memory.json",
            bytes,
            Kind::Memory(Format::Json),
        )])
    }
}
