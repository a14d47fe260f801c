//! One SVG file of a plot: its file name made safe ([`file_part`], shared with `export/`), the
//! rendering of a figure into an [`Output`] ([`svg`]), and the small figure that says there is
//! no data.

use super::Area;
use super::colour::FAIL;
use super::text::{label, text_at, title_strip};
use crate::exporter::Output;
pub(crate) use crate::exporter::file_part;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Renders one SVG of `size` pixels (white background) into an [`Output`] named `file`.
pub(crate) fn svg(
    file: String,
    size: (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<Output> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(Output {
        file,
        bytes: buf.into_bytes(),
    })
}

/// A small, valid SVG that says there is nothing to plot, and why.
pub(crate) fn no_data(file: String, title: &str, why: &str) -> anyhow::Result<Output> {
    svg(file, (860, 120), |root| {
        let rest = title_strip(root, title, &[])?;
        label(
            &rest,
            &format!("no data: {why}"),
            (16, 10),
            &text_at(15.0, FAIL, HPos::Left, VPos::Top),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_parts_are_safe() {
        assert_eq!(file_part("back office/2"), "back-office-2");
        assert_eq!(file_part(""), "unnamed");
    }
}
