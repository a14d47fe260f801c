//! The lab: everything that produces data. Discovery of the strategy binaries, the pinned child
//! runner, real phone lines, the plan and its spec flags, the day runner, statistics, figures,
//! rows, the environment, and the capacity, memory and primitives searches.
//!
//! Invariant: the lab produces typed data and knows nothing of analysis or reports. Its only
//! text is a row's `reason` and progress on stderr.

pub mod callers_word;
pub mod capacity;
pub mod core_limit;
pub mod day;
pub mod discover;
pub mod envinfo;
pub mod figures;
#[cfg(any(test, feature = "fixtures"))]
#[doc(hidden)]
pub mod fixtures;
pub mod format;
pub mod lines;
pub mod memory;
pub mod noise;
pub mod plan;
pub mod predict;
pub mod primitives;
pub mod row;
pub mod runner;
pub mod select;
pub mod soak;
pub mod spec_flags;
pub mod stats;
pub mod sweep;
pub mod symbols;
