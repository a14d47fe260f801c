//! The report: every exporter (one file per format) and plot, the results folder, the terminal
//! summary and every markdown renderer.
//!
//! Invariant: the report renders the analysed results it is given and computes no analysis.

pub mod export;
pub mod exporter;
pub mod output;
pub mod plot;
pub mod terminal;
