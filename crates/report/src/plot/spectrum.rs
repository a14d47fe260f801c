//! The latency percentile spectrum: one `spectrum-<scenario>.svg` per scenario, pick-up latency
//! against percentile on HdrHistogram's "1/(1−p)" log scale (0%, 90%, 99%, 99.9%, ...), drawn
//! from the merged pick-up histograms (sweep rows are left out). Small multiples: one panel per
//! core count on the same axes, one line per strategy in its colour, so no panel has more lines
//! than strategies; the latency axis is fitted to the data (no empty decade). Failed and empty
//! cells are listed in the legend under their strategy instead of drawn.

use super::Area;
use super::axis::{Ticks, ValueAxis};
use super::colour::{FAIL, GRID, GRID_LIGHT, INK, Palette, WARN};
use super::svg::{no_data, scenario_file, svg};
use super::text::{bold, label, text, text_at, title_height, title_strip};
use crate::exporter::{Exporter, Output, Picture};
use analysis::Analysed;
use analysis::verdict::batch::is_batch_day;
use hdrhistogram::Histogram;
use lab::format::{Unit, percentile_label};
use lab::row::Status;
use lab::select::{first_seen, hists_of, plain_rows};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Points per decade of the percentile axis.
const STEPS_PER_DECADE: usize = 50;

/// The percentile-spectrum exporter.
pub struct Spectrum;

/// One cell of the figure: a line, or a note on why there is none.
struct Series {
    strategy: String,
    /// The strategy's colour.
    colour: RGBColor,
    /// The cell's core count (its panel).
    cores: usize,
    status: Status,
    /// (decades of 1/(1−p), latency µs); empty when there is nothing to draw.
    points: Vec<(f64, f64)>,
    /// Why nothing is drawn, or a non-ok status worth saying.
    note: Option<String>,
}

impl Exporter for Spectrum {
    fn name(&self) -> &'static str {
        "spectrum plot"
    }

    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let palette = Palette::of(results);
        let scenarios = first_seen(plain_rows(results).map(|(_, r)| r), |r| r.scenario.as_str());
        // A batch day has no calls: no pick-up to draw (its makespan is in the tables).
        scenarios
            .iter()
            .filter(|s| {
                let rows: Vec<&lab::row::Row> = plain_rows(results)
                    .map(|(_, r)| r)
                    .filter(|r| r.scenario == **s)
                    .collect();
                !is_batch_day(&rows)
            })
            .map(|s| scenario_plot(results, s, &palette))
            .collect()
    }
}

/// The spectrum of one histogram: latency at `1 − 10^−x` for x in `[0, x_max]`.
fn spectrum(h: &Histogram<u64>, x_max: f64) -> Vec<(f64, f64)> {
    let n = (x_max * STEPS_PER_DECADE as f64).round() as usize;
    (0..=n)
        .map(|i| {
            let x = i as f64 / STEPS_PER_DECADE as f64;
            let v = if i == n {
                h.max()
            } else {
                h.value_at_quantile(1.0 - 10f64.powf(-x))
            };
            (x, v as f64)
        })
        .collect()
}

fn scenario_plot(results: &Analysed, scenario: &str, palette: &Palette) -> anyhow::Result<Output> {
    let (file, kind) = scenario_file(Picture::Spectrum, scenario);
    let title = format!("{scenario}: pick-up latency by percentile (lower is better)");
    let rows: Vec<(usize, &lab::row::Row)> = plain_rows(results)
        .filter(|(_, r)| r.scenario == scenario)
        .collect();
    let strategies = palette.ordered(rows.iter().map(|(_, r)| r.strategy.as_str()));
    let mut cores = first_seen(rows.iter().map(|(_, r)| *r), |r| r.cores);
    cores.sort_unstable();

    // The x axis goes as far right as the largest histogram can resolve (at least 99.99%).
    let most = rows
        .iter()
        .filter_map(|(i, r)| hists_of(results, *i, r))
        .map(|h| h.pickup.len())
        .max()
        .unwrap_or(0);
    let x_max = ((most.max(1) as f64).log10().ceil()).clamp(4.0, 6.0);

    let mut series: Vec<Series> = rows
        .iter()
        .map(|(i, r)| {
            let status = r.status;
            let hist = hists_of(results, *i, r).map(|h| &h.pickup);
            let (points, note) = if status.is_failure() {
                (
                    Vec::new(),
                    Some(format!("{}: no verified data", status.name())),
                )
            } else if r.figures.missed_share >= analysis::claims::AT_CAP_MISSED {
                // Most callers hung up: the few picked up are the lucky ones, and a curve
                // of them would say most callers were answered quickly.
                (
                    Vec::new(),
                    Some(format!(
                        "missed {}: not drawn",
                        lab::format::format_share(r.figures.missed_share)
                    )),
                )
            } else {
                match hist {
                    Some(h) if !h.is_empty() => (
                        spectrum(h, x_max),
                        (status != Status::Ok).then(|| status.name().to_owned()),
                    ),
                    Some(_) => (Vec::new(), Some("no call was picked up".to_owned())),
                    None => (Vec::new(), Some("no histogram".to_owned())),
                }
            };
            Series {
                strategy: r.strategy.clone(),
                colour: palette.colour(&r.strategy),
                cores: r.cores,
                status,
                points,
                note,
            }
        })
        .collect();
    series.sort_by_key(|s| (palette.rank(&s.strategy), s.cores));

    let values = || series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    if values().next().is_none() {
        return no_data(
            file,
            kind,
            &title,
            "every cell failed or picked up no call, so there is no latency to plot",
        );
    }
    let max_us = values().fold(0.0, f64::max);
    let min_us = values().filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);
    let unit = Unit::for_max_us(max_us);
    let (lo, hi) = (unit.of_us(min_us), unit.of_us(max_us));
    // Fitted to the data: from the 1-2-5 value below the fastest pick-up to the one above the
    // slowest, no empty decade.
    let axis = if min_us.is_finite() && hi / lo > 100.0 {
        ValueAxis::log_fitted(lo, hi, false)
    } else {
        ValueAxis::linear(hi)
    };

    // Small multiples: one panel per core count, one line per strategy in it, the panels on
    // the same axes; the figure no taller than a screen.
    let head = title_height(1);
    let panel_h = ((PLOT_HEIGHT - head) / cores.len().max(1) as u32).clamp(260, 440);
    let height = (head + panel_h * cores.len().max(1) as u32)
        .max(head + legend_height(&strategies, &series));
    svg(file, kind, (WIDTH, height), |root| {
        let rest = title_strip(
            root,
            &title,
            &[
                "How long callers waited, from the scheduled ring to pick-up. \
               Left: a typical call; right: the rarest, slowest calls.",
            ],
        )?;
        let (plots, legend) = rest.split_horizontally(PLOT_WIDTH);
        let mut area = plots;
        for (i, c) in cores.iter().enumerate() {
            let (panel, below) = area.split_vertically(panel_h);
            let on: Vec<&Series> = series.iter().filter(|s| s.cores == *c).collect();
            let last = i + 1 == cores.len();
            draw_chart(&panel, *c, &on, &axis, unit, x_max, last)?;
            area = below;
        }
        draw_legend(&legend, &strategies, &series)
    })
}

/// The figure's width, and the plots' part of it (the rest is the legend).
const WIDTH: u32 = 1100;
const PLOT_WIDTH: u32 = 740;
/// The height the panels share at most (title included).
const PLOT_HEIGHT: u32 = 980;

fn draw_chart(
    area: &Area<'_>,
    cores: usize,
    series: &[&Series],
    axis: &ValueAxis,
    unit: Unit,
    x_max: f64,
    last: bool,
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
    let mut ticks = vec![0.0, 2f64.log10()];
    ticks.extend((1..=x_max as usize).map(|d| d as f64));
    let mut chart = ChartBuilder::on(&body)
        .margin_left(10)
        .margin_right(30)
        .margin_top(6)
        .margin_bottom(4)
        .x_label_area_size(if last { 50 } else { 26 })
        .y_label_area_size(78)
        .build_cartesian_2d(Ticks::new(0.0..x_max, ticks, Vec::new()), axis.coord())?;
    let y_desc = format!(
        "pick-up latency ({}{})",
        unit.name(),
        if axis.log { ", log" } else { "" }
    );
    chart
        .configure_mesh()
        .x_desc(if last {
            "percentile of calls (log scale: each step right is 10× rarer)"
        } else {
            ""
        })
        .y_desc(y_desc)
        .x_label_formatter(&|x| percentile_label(*x))
        .y_label_formatter(&|t| axis.tick(*t))
        .label_style(text(14.0, INK))
        .axis_desc_style(text(15.0, INK))
        .bold_line_style(GRID)
        .light_line_style(GRID_LIGHT)
        .axis_style(INK)
        .draw()?;

    for s in series.iter().filter(|s| !s.points.is_empty()) {
        let pts: Vec<(f64, f64)> = s
            .points
            .iter()
            .map(|(x, v)| (*x, axis.t(unit.of_us(*v))))
            .collect();
        chart.draw_series(LineSeries::new(pts, s.colour.stroke_width(2)))?;
    }
    if series.iter().all(|s| s.points.is_empty()) {
        label(
            &body,
            "no verified cell on these cores",
            (100, 30),
            &text_at(14.0, FAIL, HPos::Left, VPos::Top),
        )?;
    }
    Ok(())
}

/// A short sample of a line in `colour`, drawn solid or dashed, from `x` to `x + 30` at `y`.
fn line_sample(
    area: &Area<'_>,
    x: i32,
    y: i32,
    colour: RGBColor,
    dash: Option<(u32, u32)>,
) -> anyhow::Result<()> {
    let style = colour.stroke_width(2);
    match dash {
        None => area.draw(&PathElement::new(vec![(x, y), (x + 30, y)], style))?,
        Some((d, g)) => area.draw(&plotters::element::DashedPathElement::new(
            vec![(x, y), (x + 30, y)],
            d as i32,
            g as i32,
            style,
        ))?,
    }
    Ok(())
}

/// The notes of a strategy's cells, each with the core counts it applies to
/// (`saturated: 1c, 2c`), and whether any of them is not drawn.
fn notes(series: &[Series], strategy: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, Vec<usize>, bool)> = Vec::new();
    for s in series.iter().filter(|s| s.strategy == strategy) {
        let Some(note) = &s.note else { continue };
        let failed = s.status.is_failure() || s.points.is_empty();
        match out.iter_mut().find(|(n, _, _)| n == note) {
            Some((_, cores, f)) => {
                cores.push(s.cores);
                *f |= failed;
            }
            None => out.push((note.clone(), vec![s.cores], failed)),
        }
    }
    out.into_iter()
        .map(|(note, cores, failed)| {
            let on = cores
                .iter()
                .map(|c| format!("{c}c"))
                .collect::<Vec<_>>()
                .join(", ");
            (format!("{on}: {note}"), failed)
        })
        .collect()
}

/// The height [`draw_legend`] uses.
fn legend_height(strategies: &[&str], series: &[Series]) -> u32 {
    let entries: usize = strategies
        .iter()
        .map(|n| 24 + 17 * notes(series, n).len())
        .sum();
    (46 + entries + 16) as u32
}

fn draw_legend(area: &Area<'_>, strategies: &[&str], series: &[Series]) -> anyhow::Result<()> {
    let mut y = 22;
    label(area, "strategy", (4, y), &bold(15.0, INK))?;
    y += 32;
    for name in strategies {
        let Some(first) = series.iter().find(|s| s.strategy == *name) else {
            continue;
        };
        if series
            .iter()
            .filter(|s| s.strategy == *name)
            .all(|s| s.points.is_empty())
        {
            label(
                area,
                "×",
                (19, y),
                &text_at(18.0, FAIL, HPos::Center, VPos::Center),
            )?;
        } else {
            line_sample(area, 4, y, first.colour, None)?;
        }
        label(
            area,
            name,
            (42, y),
            &text_at(15.0, INK, HPos::Left, VPos::Center),
        )?;
        y += 18;
        for (note, failed) in notes(series, name) {
            let c = if failed { FAIL } else { WARN };
            label(
                area,
                &note,
                (42, y),
                &text_at(13.0, c, HPos::Left, VPos::Center),
            )?;
            y += 17;
        }
        y += 6;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spectrum_rises_to_the_max() {
        let mut h = Histogram::<u64>::new_with_bounds(1, 1_000_000, 3).unwrap_or_else(|_| {
            unreachable!("constant bounds are valid");
        });
        for v in 1..=1_000u64 {
            let _ = h.record(v);
        }
        let s = spectrum(&h, 4.0);
        assert_eq!(s.len(), 4 * STEPS_PER_DECADE + 1);
        assert!(s.windows(2).all(|w| w[0].1 <= w[1].1));
        assert_eq!(s.last().map(|p| p.1), Some(h.max() as f64));
    }
}
