//! The memory files, when the run measured memory per call in flight (`Results::memory`,
//! `harness memory`): one exporter per format, as the rest of `export/` — `memory.json`
//! (`json.rs`: everything, every day), `memory.csv` (`csv.rs`: one line per strategy × level)
//! and `memory.md` (`markdown.rs`: peak RSS by level, bytes per call in flight, the limit each
//! strategy reached, the target, every day).

use crate::exporter::Exporter;

mod csv;
mod json;
mod markdown;

/// The memory exporters.
#[must_use]
pub fn all() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(json::MemoryJson),
        Box::new(csv::MemoryCsv),
        Box::new(markdown::MemoryMarkdown),
    ]
}
