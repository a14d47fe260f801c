//! p99 by strategy × cores: one `p99-<scenario>.svg` per scenario with two panels, the 99th
//! percentile of pick-up latency (log scale) and the share of missed calls, as bars grouped
//! by strategy with one bar per core count side by side (full colour = fewest cores, lighter
//! = more). Whiskers show min–max across runs; a failed cell is an "×" with its status; a
//! verified cell that is not `ok` (e.g. saturated) says so above its bar. Sweep rows are left
//! out.

use super::Area;
use super::axis::{Ticks, ValueAxis};
use super::colour::{FAIL, GRID, GRID_LIGHT, INK, MUTED, Palette, WARN, cores_shade};
use super::svg::{scenario_file, svg};
use super::text::{bold, label, text, text_at, title_strip};
use crate::exporter::{Exporter, Output, Picture};
use analysis::Analysed;
use analysis::verdict::batch::is_batch_day;
use lab::format::{Unit, fmt_num, percent_label};
use lab::row::{Row, Status};
use lab::select::{first_seen, plain_rows};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The p99-by-strategy exporter.
pub struct P99;

impl Exporter for P99 {
    fn name(&self) -> &'static str {
        "p99 plot"
    }

    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let palette = Palette::of(results);
        let scenarios = first_seen(plain_rows(results).map(|(_, r)| r), |r| r.scenario.as_str());
        // A batch day has no calls: no pick-up to draw (its makespan is in the tables).
        scenarios
            .iter()
            .filter(|s| {
                let rows: Vec<&Row> = plain_rows(results)
                    .map(|(_, r)| r)
                    .filter(|r| r.scenario == **s)
                    .collect();
                !is_batch_day(&rows)
            })
            .map(|s| scenario_plot(results, s, &palette))
            .collect()
    }
}

/// Where the bars go: strategy groups of one slot per core count.
struct Layout<'a> {
    strategies: Vec<String>,
    cores: Vec<usize>,
    rows: Vec<&'a Row>,
    /// The strategies' colours.
    palette: &'a Palette,
}

impl Layout<'_> {
    /// Left and right edge of the bar of `row`.
    fn bar(&self, row: &Row) -> (f64, f64) {
        let g = self
            .strategies
            .iter()
            .position(|s| *s == row.strategy)
            .unwrap_or(0) as f64;
        let rank = self.rank(row);
        let w = 0.76 / self.cores.len().max(1) as f64;
        let x0 = g + 0.12 + rank as f64 * w;
        (x0 + 0.06 * w, x0 + 0.94 * w)
    }

    fn rank(&self, row: &Row) -> usize {
        self.cores.iter().position(|c| *c == row.cores).unwrap_or(0)
    }

    fn centre(&self, row: &Row) -> f64 {
        let (a, b) = self.bar(row);
        (a + b) / 2.0
    }
}

/// One panel: which figure of a row it shows, and how.
struct Panel<'a> {
    title: &'a str,
    y_desc: String,
    axis: ValueAxis,
    /// The bar height (axis units) of a verified row.
    value: &'a dyn Fn(&Row) -> f64,
    /// Min–max across runs (axis units), when known.
    range: &'a dyn Fn(&Row) -> Option<[f64; 2]>,
    /// The label above a bar (`true`: little room, leave out the unit).
    fmt: &'a dyn Fn(f64, bool) -> String,
}

fn scenario_plot(results: &Analysed, scenario: &str, palette: &Palette) -> anyhow::Result<Output> {
    let (file, kind) = scenario_file(Picture::P99, scenario);
    let rows: Vec<&Row> = plain_rows(results)
        .map(|(_, r)| r)
        .filter(|r| r.scenario == scenario)
        .collect();
    let strategies = first_seen(rows.iter().copied(), |r| r.strategy.clone());
    let mut cores = first_seen(rows.iter().copied(), |r| r.cores);
    cores.sort_unstable();
    let layout = Layout {
        strategies,
        cores,
        rows,
        palette,
    };
    let verified = || layout.rows.iter().filter(|r| !r.status.is_failure());

    // Where anyone missed calls, the bars are p99 over all callers (missed ones at patience):
    // an answered-only p99 would make dropping calls look fast.
    let all_callers = verified().any(|r| r.missed_calls > 0);
    let key = if all_callers {
        "wait_all_us.p99"
    } else {
        "pickup_us.p99"
    };
    let p99 = move |r: &Row| {
        if all_callers {
            r.figures.wait_all_us.p99
        } else {
            r.figures.pickup_us.p99
        }
    };
    let p99_range = |r: &Row| r.ranges.get(key).copied();
    let max_us = verified()
        .flat_map(|r| {
            let [a, b] = p99_range(r).unwrap_or([p99(r); 2]);
            [p99(r), a, b]
        })
        .fold(0.0, f64::max);
    let min_us = verified()
        .flat_map(|r| {
            let [a, _] = p99_range(r).unwrap_or([p99(r); 2]);
            [p99(r), a]
        })
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let unit = Unit::for_max_us(max_us);
    // Headroom above the tallest bar for its labels.
    let latency_axis = if min_us.is_finite() {
        ValueAxis::log(unit.of_us(min_us) / 2.0, unit.of_us(max_us) * 4.0)
    } else {
        ValueAxis::log(1.0, 10.0)
    };
    let share_range = |r: &Row| {
        r.ranges
            .get("missed_share")
            .map(|[a, b]| [a * 100.0, b * 100.0])
    };
    let max_share = verified()
        .flat_map(|r| {
            let [_, b] = share_range(r).unwrap_or([0.0; 2]);
            [r.figures.missed_share * 100.0, b]
        })
        .fold(0.0, f64::max);
    let share_axis = ValueAxis::linear((max_share * 1.25).max(5.0));

    let latency = Panel {
        title: if all_callers {
            "99th-percentile wait of every caller (a missed caller counted at patience): 99% of callers waited less (lower is better)"
        } else {
            "99th-percentile pick-up latency: 99% of answered calls were picked up faster (lower is better)"
        },
        y_desc: format!(
            "p99 {} ({}, log scale)",
            if all_callers {
                "wait, all callers"
            } else {
                "pick-up latency"
            },
            unit.name()
        ),
        axis: latency_axis,
        value: &|r| unit.of_us(p99(r)),
        range: &|r| p99_range(r).map(|[a, b]| [unit.of_us(a), unit.of_us(b)]),
        fmt: &|v, crowded| {
            if crowded {
                fmt_num(v)
            } else {
                format!("{} {}", fmt_num(v), unit.name())
            }
        },
    };
    let missed = Panel {
        title: "missed calls: share of calls whose caller hung up before pick-up (lower is better)",
        y_desc: "missed calls (% of calls)".to_owned(),
        axis: share_axis,
        value: &|r| r.figures.missed_share * 100.0,
        range: &share_range,
        fmt: &|v, _| percent_label(v),
    };
    let cores_note = match layout.cores.as_slice() {
        [one] => format!(
            "All cells ran on {one} core{}.",
            if *one == 1 { "" } else { "s" }
        ),
        many => format!(
            "Bars side by side: {} (darkest = fewest cores).",
            many.iter()
                .map(|c| format!("{c} core{}", if *c == 1 { "" } else { "s" }))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    svg(file, kind, (1000, 800), |root| {
        let rest = title_strip(
            root,
            &format!("{scenario}: tail latency and missed calls by strategy and cores"),
            &[
                &cores_note,
                "Whiskers: min–max across runs. ×: the cell failed (no verified answer).",
            ],
        )?;
        let (top, bottom) = rest.split_vertically(360);
        draw_panel(root, &top, &layout, &latency)?;
        draw_panel(root, &bottom, &layout, &missed)
    })
}

fn draw_panel(
    root: &Area<'_>,
    area: &Area<'_>,
    layout: &Layout<'_>,
    panel: &Panel<'_>,
) -> anyhow::Result<()> {
    let (head, body) = area.split_vertically(28);
    label(
        &head,
        panel.title,
        (16, 16),
        &bold(15.0, INK).pos(Pos::new(HPos::Left, VPos::Center)),
    )?;
    let n = layout.strategies.len().max(1);
    let mut slots: Vec<(f64, String)> = layout
        .rows
        .iter()
        .map(|r| (layout.centre(r), format!("{}c", r.cores)))
        .collect();
    slots.sort_by(|a, b| a.0.total_cmp(&b.0));
    slots.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-9);
    let axis = &panel.axis;
    let mut chart = ChartBuilder::on(&body)
        .margin_left(10)
        .margin_right(20)
        .margin_top(6)
        .margin_bottom(6)
        .x_label_area_size(52)
        .y_label_area_size(78)
        .build_cartesian_2d(
            Ticks::new(
                0.0..n as f64,
                slots.iter().map(|s| s.0).collect(),
                Vec::new(),
            ),
            axis.coord(),
        )?;
    let slot_label = |x: &f64| {
        slots
            .iter()
            .min_by(|a, b| (a.0 - x).abs().total_cmp(&(b.0 - x).abs()))
            .map(|s| s.1.clone())
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_desc(panel.y_desc.as_str())
        .x_label_formatter(&slot_label)
        .y_label_formatter(&|t| axis.tick(*t))
        .label_style(text(14.0, INK))
        .axis_desc_style(text(15.0, INK))
        .bold_line_style(GRID)
        .light_line_style(GRID_LIGHT)
        .axis_style(INK)
        .draw()?;

    // Group separators and strategy names under the core labels.
    chart.draw_series((1..n).map(|g| {
        PathElement::new(
            vec![(g as f64, axis.lo), (g as f64, axis.hi)],
            GRID.stroke_width(1),
        )
    }))?;
    for (g, s) in layout.strategies.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(g as f64 + 0.5, axis.lo));
        let base = root.get_base_pixel();
        label(
            root,
            s,
            (px - base.0, py - base.1 + 30),
            &bold(15.0, layout.palette.colour(s)).pos(Pos::new(HPos::Center, VPos::Top)),
        )?;
    }

    // Pixels per bar slot: below ~64 the labels above neighbouring bars would touch.
    let slot_px =
        f64::from(chart.plotting_area().dim_in_pixel().0) / (n * layout.cores.len().max(1)) as f64;
    let crowded = slot_px < 64.0;
    let tag_size = if crowded { 11.0 } else { 13.0 };
    for r in &layout.rows {
        let colour = layout.palette.colour(&r.strategy);
        let (x0, x1) = layout.bar(r);
        let xc = (x0 + x1) / 2.0;
        let status = r.status;
        if status.is_failure() {
            chart.draw_series([
                EmptyElement::at((xc, axis.lo))
                    + Text::new(
                        "×",
                        (0, -2),
                        text_at(30.0, FAIL, HPos::Center, VPos::Bottom),
                    ),
                EmptyElement::at((xc, axis.lo))
                    + Text::new(
                        status.name(),
                        (0, -30),
                        text_at(13.0, FAIL, HPos::Center, VPos::Bottom),
                    ),
            ])?;
            continue;
        }
        let v = (panel.value)(r);
        let top = axis.t(v);
        let fill = cores_shade(colour, layout.rank(r));
        chart.draw_series([
            Rectangle::new([(x0, axis.lo), (x1, top)], fill.filled()),
            Rectangle::new([(x0, axis.lo), (x1, top)], colour.stroke_width(1)),
        ])?;
        let mut label_at = top;
        if let Some([a, b]) = (panel.range)(r) {
            let (ta, tb) = (axis.t(a), axis.t(b));
            let cap = (x1 - x0) * 0.18;
            chart.draw_series([
                PathElement::new(vec![(xc, ta), (xc, tb)], INK.stroke_width(1)),
                PathElement::new(vec![(xc - cap, ta), (xc + cap, ta)], INK.stroke_width(1)),
                PathElement::new(vec![(xc - cap, tb), (xc + cap, tb)], INK.stroke_width(1)),
            ])?;
            label_at = label_at.max(tb);
        }
        let mut tags = vec![((panel.fmt)(v, crowded), INK)];
        if status != Status::Ok {
            tags.push((status.name().to_owned(), WARN));
        }
        chart.draw_series(tags.into_iter().enumerate().map(|(k, (s, c))| {
            EmptyElement::at((xc, label_at))
                + Text::new(
                    s,
                    (0, -3 - 16 * k as i32),
                    text_at(tag_size, c, HPos::Center, VPos::Bottom),
                )
        }))?;
    }
    if layout.rows.is_empty() {
        label(&body, "no cells", (90, 20), &text(14.0, MUTED))?;
    }
    Ok(())
}
