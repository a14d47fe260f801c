//! SVG plots (plotters, SVG backend): each plot is an [`Exporter`] producing `.svg` files.
//!
//! - [`spectrum::Spectrum`]: `spectrum-<scenario>.svg`, pick-up latency by percentile;
//! - [`p99::P99`]: `p99-<scenario>.svg`, p99 pick-up latency and missed-call share by
//!   strategy, grouped by cores;
//! - [`timeline::Timelines`]: `timeline-<scenario>-<strategy>-<cores>c.svg` per captured
//!   timeline and `timeline.svg` with all of them;
//! - [`load::Load`]: `load-<scenario>.svg`, p99 wait of all callers against the offered load
//!   along each capacity search, the capacities marked (only when capacity was searched);
//! - [`scaling::ScalingPlot`]: `scaling-<scenario>.svg`, each strategy's capacity over its
//!   capacity on 1 core against cores (only when capacity was searched on 3+ core counts);
//! - [`memory::Memory`]: `memory-<scenario>.svg`, peak memory by strategy and cores, for the
//!   scenario whose purpose is memory (the call center: many calls in flight, little CPU);
//! - [`memory_levels::MemoryLevels`]: `memory-<scenario>.svg` of a `harness memory` run, peak
//!   memory against calls in flight, where each arrangement stopped.
//!
//! Shared by them, one concern a file: `colour` (a distinct colour per strategy, the same in
//! every plot of a results folder, legends in the results' order; shades for core counts), `text` (styles, labels,
//! title strips), `axis` (value axes and their ticks) and `svg` (a scenario figure's file name
//! and [`Kind`](crate::exporter::Kind), rendering into an [`Output`](crate::exporter::Output),
//! the no-data figure). No font file is needed: text goes into the SVG as `<text>` and the
//! viewer draws it. Which rows a plot shows is [`lab::select`]; how its numbers read is
//! [`lab::format`]. The plots use nothing of `export/`: what both need is in
//! [`crate::exporter`].

use crate::exporter::Exporter;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, SVGBackend};

mod axis;
mod colour;
pub mod load;
pub mod memory;
pub mod memory_levels;
pub mod p99;
pub mod scaling;
pub mod spectrum;
mod svg;
mod text;
pub mod timeline;

/// The drawing area every plot draws on.
pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Every plot exporter.
#[must_use]
pub fn all() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(spectrum::Spectrum),
        Box::new(p99::P99),
        Box::new(timeline::Timelines),
        Box::new(load::Load),
        Box::new(scaling::ScalingPlot),
        Box::new(memory::Memory),
        Box::new(memory_levels::MemoryLevels),
    ]
}
