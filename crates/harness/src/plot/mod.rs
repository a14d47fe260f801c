//! SVG plots (plotters, SVG backend): each plot is an [`Exporter`] producing `.svg` files.
//!
//! - [`spectrum::Spectrum`]: `spectrum-<scenario>.svg`, pick-up latency by percentile;
//! - [`p99::P99`]: `p99-<scenario>.svg`, p99 pick-up latency and missed-call share by
//!   strategy, grouped by cores;
//! - [`timeline::Timelines`]: `timeline-<scenario>-<strategy>-<cores>c.svg` per captured
//!   timeline and `timeline.svg` with all of them.
//!
//! Each strategy has one colour in every plot (see [`style`]). No font file is needed: text
//! goes into the SVG as `<text>` and the viewer draws it.

use crate::exporter::Exporter;

pub mod p99;
pub mod spectrum;
mod style;
pub mod timeline;

/// Every plot exporter.
#[must_use]
pub fn all() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(spectrum::Spectrum),
        Box::new(p99::P99),
        Box::new(timeline::Timelines),
    ]
}
