//! The harness library: discovery, the pinned process runner, sweeps, statistics, row
//! selection, number formats, exporters, plots and queueing theory. `main.rs` is only the command line.

pub mod caller;
pub mod capacity;
pub mod cli;
pub mod commands;
pub mod discover;
pub mod envinfo;
pub mod export;
pub mod exporter;
pub mod figures;
pub mod findings;
#[doc(hidden)]
pub mod fixtures;
pub mod format;
pub mod lines;
pub mod memory;
pub mod output;
pub mod plan;
pub mod plot;
pub mod primitives;
pub mod row;
pub mod runner;
pub mod select;
pub mod sim_vs_tcp;
pub mod spec_flags;
pub mod stats;
pub mod sweep;
pub mod terminal;
pub mod theory;
pub mod verdict;
