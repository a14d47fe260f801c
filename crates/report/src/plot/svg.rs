//! One SVG file of a plot: the name and [`Kind`] of a scenario's picture ([`scenario_file`]),
//! the rendering of a picture into an [`Output`] of its kind ([`svg`]), and the small figure
//! that says there is no data.

use super::Area;
use super::colour::FAIL;
use super::text::{label, text_at, title_strip};
use crate::exporter::{Kind, Output, Picture, scenario_plot_file};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The file name and kind of `picture`'s plot of `scenario`.
pub(crate) fn scenario_file(picture: Picture, scenario: &str) -> (String, Kind) {
    (
        scenario_plot_file(picture, scenario),
        Kind::Plot {
            picture,
            scenario: Some(scenario.to_owned()),
        },
    )
}

/// Renders one SVG of `size` pixels (white background) into an [`Output`] named `file`, of
/// kind `kind`.
pub(crate) fn svg(
    file: String,
    kind: Kind,
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
    Ok(Output::new(file, buf, kind))
}

/// A small, valid SVG that says there is nothing to plot, and why.
pub(crate) fn no_data(file: String, kind: Kind, title: &str, why: &str) -> anyhow::Result<Output> {
    svg(file, kind, (860, 120), |root| {
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
    fn a_scenario_figure_is_named_and_kinded_by_its_scenario() {
        let (file, kind) = scenario_file(Picture::Load, "back office/2");
        assert_eq!(file, "load-back-office-2.svg");
        assert_eq!(
            kind,
            Kind::Plot {
                picture: Picture::Load,
                scenario: Some("back office/2".into())
            }
        );
    }
}
