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
pub(super) struct Layout<'a> {
    pub(super) strategies: Vec<String>,
    pub(super) cores: Vec<usize>,
    pub(super) rows: Vec<&'a Row>,
    /// The strategies' colours.
    pub(super) palette: &'a Palette,
}

impl<'a> Layout<'a> {
    /// The bars of `rows`: strategies in legend order ([`Palette::rank`]), core counts rising.
    pub(super) fn new(rows: Vec<&'a Row>, palette: &'a Palette) -> Layout<'a> {
        let strategies = palette
            .ordered(rows.iter().map(|r| r.strategy.as_str()))
            .into_iter()
            .map(str::to_owned)
            .collect();
        let mut cores = first_seen(rows.iter().copied(), |r| r.cores);
        cores.sort_unstable();
        Layout {
            strategies,
            cores,
            rows,
            palette,
        }
    }

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
pub(super) struct Panel<'a> {
    pub(super) title: &'a str,
    pub(super) y_desc: String,
    pub(super) axis: ValueAxis,
    /// The bar height (axis units) of a verified row.
    pub(super) value: &'a dyn Fn(&Row) -> f64,
    /// Min–max across runs (axis units), when known.
    pub(super) range: &'a dyn Fn(&Row) -> Option<[f64; 2]>,
    /// The label above a bar (`true`: little room, leave out the unit).
    pub(super) fmt: &'a dyn Fn(f64, bool) -> String,
}

fn scenario_plot(results: &Analysed, scenario: &str, palette: &Palette) -> anyhow::Result<Output> {
    let (file, kind) = scenario_file(Picture::P99, scenario);
    let rows: Vec<&Row> = plain_rows(results)
        .map(|(_, r)| r)
        .filter(|r| r.scenario == scenario)
        .collect();
    let layout = Layout::new(rows, palette);
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
    // The latency axis ends at the scenario's patience: a caller who waits longer hangs up,
    // so no p99 is above it (a missed caller is counted there).
    let patience_us = layout
        .rows
        .iter()
        .find_map(|r| r.preset)
        .map(|p| p.spec().patience_us as f64)
        .filter(|p| *p > 0.0);
    let top_us = patience_us.unwrap_or(max_us * 1.2);
    let unit = Unit::for_max_us(top_us);
    let latency_axis = if min_us.is_finite() {
        ValueAxis::log_fitted(
            unit.of_us(min_us) / 1.5,
            unit.of_us(top_us),
            patience_us.is_some(),
        )
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
    // No share is above 100 %: the axis ends there at most.
    let share_axis = ValueAxis::linear_capped(max_share.max(5.0), 100.0);

    let latency = Panel {
        title: if all_callers {
            "p99 wait of every caller, a missed one counted at patience (lower is better)"
        } else {
            "p99 pick-up latency of answered calls (lower is better)"
        },
        y_desc: format!(
            "p99 {} ({}, log)",
            if all_callers { "wait, all" } else { "pick-up" },
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
        title: "missed calls: callers who hung up before pick-up (lower is better)",
        y_desc: "missed (% of calls)".to_owned(),
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
    let patience_note = patience_us.map_or_else(
        || "Whiskers: min–max across runs.".to_owned(),
        |p| {
            format!(
                "Whiskers: min–max across runs. The latency axis ends at the patience, {}: a caller still waiting then hangs up.",
                lab::format::format_us(p)
            )
        },
    );
    // The short names a crowded slot may show, for the statuses these bars have.
    let shorts = first_seen(
        layout
            .rows
            .iter()
            .filter(|r| r.status != Status::Ok && !r.status.is_failure()),
        |r| r.status,
    )
    .into_iter()
    .filter(|st| short_status(*st) != st.name())
    .map(|st| format!("{}: {}", short_status(st), st.name()))
    .collect::<Vec<_>>();
    let status_note = format!(
        "×: failed (no verified answer). Over a bar: its value{}.",
        if layout.rows.iter().any(|r| r.status != Status::Ok) {
            if shorts.is_empty() {
                ", then its status if not ok".to_owned()
            } else {
                format!(", then its status if not ok ({})", shorts.join(", "))
            }
        } else {
            String::new()
        }
    );
    svg(file, kind, (1000, 800), |root| {
        let rest = title_strip(
            root,
            &format!("{scenario}: tail latency and missed calls by strategy and cores"),
            &[&cores_note, &patience_note, &status_note],
        )?;
        let h = rest.dim_in_pixel().1 / 2;
        let (top, bottom) = rest.split_vertically(h);
        draw_panel(root, &top, &layout, &latency)?;
        draw_panel(root, &bottom, &layout, &missed)
    })
}

/// Estimated width of `s` in pixels at SVG font size `size` (0.6 em a character: an
/// over-estimate for sans-serif, so what fits here fits on screen).
fn text_width(s: &str, size: f64) -> f64 {
    0.6 * size * s.chars().count() as f64
}

/// The short name of a status in a crowded slot (`saturated` → `sat.`).
fn short_status(s: Status) -> String {
    let name = s.name();
    if name.chars().count() <= 4 {
        name.to_owned()
    } else {
        format!("{}.", name.chars().take(3).collect::<String>())
    }
}

/// The font size (at most `size`, at least 8) at which `s` fits in `width` pixels.
fn fitting(s: &str, size: f64, width: f64) -> f64 {
    let w = text_width(s, size);
    if w <= width {
        size
    } else {
        (size * width / w).max(8.0)
    }
}

/// Room above the plotting area for the labels over the tallest bars (value and status).
const LABEL_ROOM: u32 = 34;

pub(super) fn draw_panel(
    root: &Area<'_>,
    area: &Area<'_>,
    layout: &Layout<'_>,
    panel: &Panel<'_>,
) -> anyhow::Result<()> {
    let (head, body) = area.split_vertically(24);
    label(
        &head,
        panel.title,
        (16, 14),
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
        .margin_top(LABEL_ROOM)
        .margin_bottom(6)
        .x_label_area_size(46)
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
    let group_px = f64::from(chart.plotting_area().dim_in_pixel().0) / n as f64;
    for (g, s) in layout.strategies.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(g as f64 + 0.5, axis.lo));
        let base = root.get_base_pixel();
        label(
            root,
            s,
            (px - base.0, py - base.1 + 26),
            &bold(fitting(s, 15.0, group_px - 4.0), layout.palette.colour(s))
                .pos(Pos::new(HPos::Center, VPos::Top)),
        )?;
    }

    // Pixels per bar slot: every label above a bar fits in its slot, so neighbours never touch.
    // (A group is 0.76 of its width in bars, one slot a core count: see `Layout::bar`.)
    let slot_px = group_px * 0.76 / layout.cores.len().max(1) as f64;
    let room = slot_px - 1.5;
    let crowded = slot_px < 64.0;
    let tag_size = if crowded { 11.0 } else { 13.0 };
    let status_tag = |st: Status, size: f64| {
        let full = st.name().to_owned();
        if text_width(&full, size.min(10.0)) <= room {
            full
        } else {
            short_status(st)
        }
    };
    for r in &layout.rows {
        let colour = layout.palette.colour(&r.strategy);
        let (x0, x1) = layout.bar(r);
        let xc = (x0 + x1) / 2.0;
        let status = r.status;
        if status.is_failure() {
            let tag = status_tag(status, 13.0);
            chart.draw_series([
                EmptyElement::at((xc, axis.lo))
                    + Text::new(
                        "×".to_owned(),
                        (0, -2),
                        text_at(24.0, FAIL, HPos::Center, VPos::Bottom),
                    ),
                EmptyElement::at((xc, axis.lo))
                    + Text::new(
                        tag.clone(),
                        (0, -30),
                        text_at(fitting(&tag, 13.0, room), FAIL, HPos::Center, VPos::Bottom),
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
            tags.push((status_tag(status, tag_size), WARN));
        }
        chart.draw_series(tags.into_iter().enumerate().map(|(k, (s, c))| {
            let size = fitting(&s, tag_size, room);
            EmptyElement::at((xc, label_at))
                + Text::new(
                    s,
                    (0, -3 - 15 * k as i32),
                    text_at(size, c, HPos::Center, VPos::Bottom),
                )
        }))?;
    }
    if layout.rows.is_empty() {
        label(&body, "no cells", (90, 20), &text(14.0, MUTED))?;
    }
    Ok(())
}
