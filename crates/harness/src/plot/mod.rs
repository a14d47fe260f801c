//! SVG plots (plotters, SVG backend): each plot is an [`Exporter`] producing `.svg` files.

use crate::export::Exporter;

/// Every plot exporter.
#[must_use]
pub fn all() -> Vec<Box<dyn Exporter>> {
    Vec::new()
}
