//! The harness library: discovery, the pinned process runner, sweeps, statistics, exporters,
//! plots and queueing theory. `main.rs` is only the command line.

pub mod export;
#[doc(hidden)]
pub mod fixtures;
pub mod plot;
pub mod row;
pub mod theory;
