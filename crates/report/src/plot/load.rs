//! Load curves: one `load-<scenario>.svg` per scenario of a capacity run — the 99th-percentile
//! wait of every caller (a missed one counted at patience) against the offered load (cores of
//! CPU at this machine's ns per unit, log scale), one line per strategy × cores through the
//! days its search tried (filled dot: kept up; open: did not), its capacity ringed, the
//! keep-up limit (half the patience) as a dashed line, and, dotted beside an arrangement the
//! theory covers, the theory's *mean* pick-up wait (a mean lies below a p99: read where it
//! turns up, not its height). The classic hockey stick, from our own days.

use super::Area;
use super::axis::ValueAxis;
use super::colour::{FAIL, GRID, GRID_LIGHT, INK, MUTED, Palette};
use super::svg::{scenario_file, svg};
use super::text::{bold, label, text, text_at, title_height, title_strip};
use crate::exporter::{Exporter, Output, Picture};
use analysis::Analysed;
use lab::capacity::{ScenarioCapacity, StrategyCapacity};
use lab::format::Unit;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The load-curve exporter.
pub struct Load;

impl Exporter for Load {
    fn name(&self) -> &'static str {
        "load plot"
    }

    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let Some(c) = &results.capacity else {
            return Ok(Vec::new());
        };
        let palette = Palette::of(results);
        c.scenarios
            .iter()
            .filter(|sc| !sc.searches.is_empty())
            .map(|sc| scenario_plot(sc, &palette))
            .collect()
    }
}

/// Dash of the theory's curve.
const THEORY_DASH: (u32, u32) = (2, 4);

fn scenario_plot(sc: &ScenarioCapacity, palette: &Palette) -> anyhow::Result<Output> {
    let (file, kind) = scenario_file(Picture::Load, &sc.scenario);
    let limit_us = sc.spec.patience_us as f64 / 2.0;
    let searches: Vec<&StrategyCapacity> = sc.searches.iter().collect();
    let mut cores: Vec<usize> = searches.iter().map(|s| s.cores).collect();
    cores.sort_unstable();
    cores.dedup();
    let strategies = palette.ordered(searches.iter().map(|s| s.strategy.as_str()));

    let xs = || {
        searches
            .iter()
            .flat_map(|s| s.probes.iter().map(|p| p.offered_cores))
            .filter(|x| *x > 0.0)
    };
    let x_lo = xs().fold(f64::INFINITY, f64::min);
    let x_hi = xs().fold(0.0, f64::max);
    let ys = || {
        searches
            .iter()
            .flat_map(|s| s.probes.iter().map(|p| p.wait_all_p99_us))
            .filter(|y| *y > 0.0)
    };
    // The theory's means count for the bottom of the axis (down to 1 µs), not its top: the
    // curve rises out of the figure where the model saturates.
    let theory_lo = searches
        .iter()
        .filter_map(|s| s.theory.as_ref())
        .flat_map(|t| t.points.iter().map(|p| p[1]))
        .filter(|y| *y > 0.0)
        .fold(f64::INFINITY, f64::min)
        .max(1.0);
    let y_hi = ys().fold(limit_us * 2.0, f64::max);
    let y_lo = ys()
        .fold(f64::INFINITY, f64::min)
        .min(limit_us)
        .min(theory_lo);
    let unit = Unit::for_max_us(y_hi);
    let x_axis = if x_lo.is_finite() {
        ValueAxis::log_fitted(x_lo / 1.1, x_hi * 1.1, false)
    } else {
        ValueAxis::log(0.01, 1.0)
    };
    let y_axis = ValueAxis::log_fitted(
        unit.of_us(y_lo.max(1.0)) / 1.2,
        unit.of_us(y_hi) * 1.2,
        false,
    );

    // One panel per core count, stacked on the same axes: at most ten lines a panel, one
    // colour a strategy; the whole figure no taller than a screen.
    let head = title_height(3);
    let panel_h = ((PLOT_HEIGHT - head) / cores.len().max(1) as u32).clamp(240, 420);
    let legend_h = 60 + 44 * strategies.len() as u32;
    let height = (head + panel_h * cores.len().max(1) as u32).max(head + legend_h);
    let title = format!(
        "{}: p99 wait of every caller against the offered load",
        sc.scenario
    );
    svg(file, kind, (WIDTH, height), |root| {
        let rest = title_strip(
            root,
            &title,
            &[
                "Each point is one day of a capacity search (filled: kept up, open: did not); a ring marks the capacity.",
                &format!(
                    "Dashed grey: the keep-up limit, half the patience ({}); a missed caller counts at patience.",
                    lab::format::format_us(limit_us)
                ),
                "Dotted: the theory's mean pick-up wait where a closed form covers the arrangement (a mean: below a p99).",
            ],
        )?;
        let (plots, legend) = rest.split_horizontally(PLOT_WIDTH);
        let mut area = plots;
        for (i, c) in cores.iter().enumerate() {
            let (panel, below) = area.split_vertically(panel_h);
            let on: Vec<&StrategyCapacity> =
                searches.iter().copied().filter(|s| s.cores == *c).collect();
            let last = i + 1 == cores.len();
            let axes = (&x_axis, &y_axis);
            draw_chart(&panel, *c, &on, axes, unit, limit_us, last, palette)?;
            area = below;
        }
        draw_legend(&legend, &strategies, &searches, &cores, palette)
    })
}

/// The figure's width, and the plots' part of it (the rest is the legend).
const WIDTH: u32 = 1100;
const PLOT_WIDTH: u32 = 720;
/// The height the panels share at most (title included).
const PLOT_HEIGHT: u32 = 980;

#[allow(clippy::too_many_arguments)]
fn draw_chart(
    area: &Area<'_>,
    cores: usize,
    searches: &[&StrategyCapacity],
    (x_axis, y_axis): (&ValueAxis, &ValueAxis),
    unit: Unit,
    limit_us: f64,
    last: bool,
    palette: &Palette,
) -> anyhow::Result<()> {
    let (head, body) = area.split_vertically(24);
    label(
        &head,
        &format!("on {cores} core{}", if cores == 1 { "" } else { "s" }),
        (90, 12),
        &bold(15.0, INK).pos(plotters::style::text_anchor::Pos::new(
            HPos::Left,
            VPos::Center,
        )),
    )?;
    let mut chart = ChartBuilder::on(&body)
        .margin_left(10)
        .margin_right(20)
        .margin_top(6)
        .margin_bottom(4)
        .x_label_area_size(if last { 50 } else { 26 })
        .y_label_area_size(78)
        .build_cartesian_2d(x_axis.coord(), y_axis.coord())?;
    chart
        .configure_mesh()
        .x_desc(if last {
            "offered load (cores of CPU at this machine's ns per unit, log scale)"
        } else {
            ""
        })
        .y_desc(format!("p99 wait ({}, log)", unit.name()))
        .x_label_formatter(&|t| x_axis.tick(*t))
        .y_label_formatter(&|t| y_axis.tick(*t))
        .label_style(text(14.0, INK))
        .axis_desc_style(text(15.0, INK))
        .bold_line_style(GRID)
        .light_line_style(GRID_LIGHT)
        .axis_style(INK)
        .draw()?;
    let pt = |x: f64, us: f64| (x_axis.t(x), y_axis.t(unit.of_us(us)));

    // The keep-up limit.
    let limit = y_axis.t(unit.of_us(limit_us));
    chart.draw_series(DashedLineSeries::new(
        vec![(x_axis.lo, limit), (x_axis.hi, limit)],
        8,
        5,
        MUTED.stroke_width(1),
    ))?;
    chart.draw_series([EmptyElement::at((x_axis.lo, limit))
        + Text::new(
            "keep-up limit",
            (6, -4),
            text_at(13.0, MUTED, HPos::Left, VPos::Bottom),
        )])?;

    for s in searches {
        let colour = palette.colour(&s.strategy);
        if let Some(t) = &s.theory {
            // Up to the first point above the axis (drawn at its top edge), then no further.
            let top = y_axis.value(y_axis.hi);
            let mut pts: Vec<(f64, f64)> = Vec::new();
            for p in t.points.iter().filter(|p| p[0] > 0.0 && p[1] > 0.0) {
                pts.push(pt(p[0], p[1]));
                if unit.of_us(p[1]) >= top {
                    break;
                }
            }
            // Where the model saturates, the mean wait grows without bound: up to the top.
            if let (Some(x), Some(last)) = (t.saturated_from_cores, pts.last().copied())
                && last.1 < y_axis.hi
            {
                pts.push((x_axis.t(x), y_axis.hi));
            }
            chart.draw_series(DashedLineSeries::new(
                pts,
                THEORY_DASH.0,
                THEORY_DASH.1,
                colour.stroke_width(2),
            ))?;
        }
        let mut probes: Vec<_> = s.probes.iter().filter(|p| p.offered_cores > 0.0).collect();
        probes.sort_by(|a, b| a.multiple.total_cmp(&b.multiple));
        let pts: Vec<(f64, f64)> = probes
            .iter()
            .map(|p| pt(p.offered_cores, p.wait_all_p99_us.max(1.0)))
            .collect();
        chart.draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))?;
        chart.draw_series(probes.iter().zip(&pts).map(|(p, &at)| {
            let style = if p.keeps_up {
                colour.filled()
            } else {
                WHITE.filled()
            };
            Circle::new(at, 4, style)
        }))?;
        chart.draw_series(
            probes
                .iter()
                .zip(&pts)
                .filter(|(p, _)| !p.keeps_up)
                .map(|(_, &at)| Circle::new(at, 4, colour.stroke_width(2))),
        )?;
        if let Some(p) = s.probe_at(s.bracket.pass()) {
            chart.draw_series([Circle::new(
                pt(p.offered_cores, p.wait_all_p99_us.max(1.0)),
                9,
                colour.stroke_width(2),
            )])?;
        }
    }
    Ok(())
}

fn draw_legend(
    area: &Area<'_>,
    strategies: &[&str],
    searches: &[&StrategyCapacity],
    cores: &[usize],
    palette: &Palette,
) -> anyhow::Result<()> {
    let mut y = 22;
    label(
        area,
        "strategy: capacity, calls/s",
        (4, y),
        &bold(15.0, INK),
    )?;
    y += 28;
    let on = cores
        .iter()
        .map(|c| format!("{c}c"))
        .collect::<Vec<_>>()
        .join(" · ");
    label(
        area,
        &format!("on {on}"),
        (4, y),
        &text_at(13.0, MUTED, HPos::Left, VPos::Center),
    )?;
    y += 24;
    for name in strategies {
        let colour = palette.colour(name);
        sample(area, y, colour, None)?;
        let mine: Vec<&StrategyCapacity> = searches
            .iter()
            .copied()
            .filter(|s| s.strategy == *name)
            .collect();
        let caps = cores
            .iter()
            .map(|c| match mine.iter().find(|s| s.cores == *c) {
                None => "–".to_owned(),
                Some(s) => match (s.capacity_calls_per_s, s.bracket.fail()) {
                    (Some(c), _) => lab::format::format_rate(c),
                    (None, Some(_)) => "none".to_owned(),
                    (None, None) => "–".to_owned(),
                },
            })
            .collect::<Vec<_>>()
            .join(" · ");
        let c = if mine.iter().all(|s| s.capacity_calls_per_s.is_some()) {
            INK
        } else {
            FAIL
        };
        label(
            area,
            &format!("{name}: {caps}"),
            (42, y),
            &text_at(14.0, c, HPos::Left, VPos::Center),
        )?;
        y += 20;
        if let Some(t) = mine.iter().find_map(|s| s.theory.as_ref()) {
            sample(area, y, colour, Some(THEORY_DASH))?;
            label(
                area,
                &format!("theory, mean: {}", short_model(&t.model)),
                (42, y),
                &text_at(12.0, MUTED, HPos::Left, VPos::Center),
            )?;
        }
        y += 24;
    }
    label(
        area,
        "none: not kept up even at the lowest rate",
        (4, y),
        &text_at(12.0, MUTED, HPos::Left, VPos::Center),
    )?;
    Ok(())
}

/// The model's name up to its parenthesis (`M/G/1 FIFO`).
fn short_model(model: &str) -> String {
    model
        .split(" (")
        .next()
        .unwrap_or(model)
        .chars()
        .take(34)
        .collect()
}

/// A line sample from x = 4 to 34 at `y`.
fn sample(
    area: &Area<'_>,
    y: i32,
    colour: RGBColor,
    dash: Option<(u32, u32)>,
) -> anyhow::Result<()> {
    let style = colour.stroke_width(2);
    match dash {
        None => area.draw(&PathElement::new(vec![(4, y), (34, y)], style))?,
        Some((d, g)) => area.draw(&plotters::element::DashedPathElement::new(
            vec![(4, y), (34, y)],
            d as i32,
            g as i32,
            style,
        ))?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_svg_per_scenario_only_with_capacity() {
        let mut res = lab::fixtures::sample_results();
        assert!(
            Load.export(&analysis::analyse(res.clone()))
                .unwrap()
                .is_empty()
        );
        res.capacity = Some(lab::fixtures::sample_capacity());
        let out = Load.export(&analysis::analyse(res.clone())).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].file, "load-office.svg");
        let svg = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("keep-up limit"));
        assert!(svg.contains("threads: 1,600 · 3,200"), "{svg}");
        assert!(
            svg.contains("on 1 core") && svg.contains("on 2 cores"),
            "one panel per core count"
        );
        assert!(svg.contains("theory, mean: M/G/1 FIFO"));
        assert_eq!(short_model("M/D/c FIFO (Erlang C)"), "M/D/c FIFO");
    }
}
