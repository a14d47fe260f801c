//! Memory against calls in flight: `memory-<scenario>.svg` of a `harness memory` run — each
//! strategy's peak resident set against the calls it held at once, both log scales, one point
//! per level it held and an × at the first level it did not. The slope is what a call costs
//! (the legend gives the fitted bytes per call, with the kernel's beside RSS); where a line
//! stops is where that arrangement ran out (a thread per call long before a task per call).

use super::Area;
use super::axis::ValueAxis;
use super::colour::{GRID, GRID_LIGHT, INK, Palette};
use super::svg::{scenario_file, svg};
use super::text::{bold, label, text, text_at, title_strip, wrap};
use crate::exporter::{Exporter, Output, Picture};
use analysis::Analysed;
use lab::format::{format_bytes, group_thousands};
use lab::memory::{Memory, StrategyMemory};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The memory-per-call exporter (only for a `harness memory` run).
pub struct MemoryLevels;

impl Exporter for MemoryLevels {
    fn name(&self) -> &'static str {
        "memory levels plot"
    }

    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let Some(m) = &results.memory else {
            return Ok(Vec::new());
        };
        Ok(vec![plot(m, &Palette::of(results))?])
    }
}

/// The point each day puts on the chart: calls held at once (measured where reported) and
/// peak RSS, MiB; and whether the day held its level.
fn points(s: &StrategyMemory) -> Vec<(f64, f64, bool)> {
    s.days
        .iter()
        .filter_map(|d| {
            let x = if d.held { d.in_flight_x() } else { d.in_flight };
            Some((x.max(1) as f64, d.rss_mib()?, d.held))
        })
        .collect()
}

/// The legend's two lines for `s`: bytes a call, and how far it got.
fn legend_text(s: &StrategyMemory) -> [String; 2] {
    let cost = match (s.bytes_per_call, s.kernel_bytes_per_call) {
        (Some(b), Some(k)) => format!("{} + {} kernel a call", format_bytes(b), format_bytes(k)),
        (Some(b), None) => format!("{} a call", format_bytes(b)),
        _ => "no fit".to_owned(),
    };
    let reach = match (&s.limit, s.held_up_to) {
        (Some(l), _) => format!(
            "stopped at {} ({})",
            group_thousands(l.in_flight),
            l.status.name()
        ),
        (None, Some(n)) => format!("held {}", group_thousands(n)),
        (None, None) => "held none".to_owned(),
    };
    [format!("{}: {cost}", s.strategy), reach]
}

fn plot(m: &Memory, palette: &Palette) -> anyhow::Result<Output> {
    let (file, kind) = scenario_file(Picture::Memory, &m.scenario);
    let mut strategies: Vec<&StrategyMemory> = m.strategies.iter().collect();
    strategies.sort_by_key(|s| palette.rank(&s.strategy));
    let all: Vec<(f64, f64, bool)> = strategies.iter().flat_map(|s| points(s)).collect();
    let levels = m.levels.iter().map(|&l| l as f64);
    let x_lo = all
        .iter()
        .map(|p| p.0)
        .chain(levels.clone())
        .fold(f64::INFINITY, f64::min);
    let x_hi = all.iter().map(|p| p.0).chain(levels).fold(1.0, f64::max);
    let y_lo = all.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let y_hi = all.iter().map(|p| p.1).fold(1.0, f64::max);
    let x_axis = levels_axis(&m.levels, x_lo.min(x_hi), x_hi);
    let y_axis = if y_lo.is_finite() {
        ValueAxis::log_fitted(y_lo / 1.5, y_hi * 1.5, false)
    } else {
        ValueAxis::log(1.0, 10.0)
    };
    let title = format!(
        "{}: peak memory against calls in flight, {} core{}",
        m.scenario,
        m.cores,
        if m.cores == 1 { "" } else { "s" }
    );
    let raw = [
        format!(
            "Peak resident set (VmHWM) of the strategy's process against the calls it held at once (calls of {} s), one day a level; both log scales.",
            m.call_s
        ),
        "The slope is what each call costs: the legend gives the fitted bytes a call, and the kernel's (thread stacks, sockets) outside RSS.".to_owned(),
        "×: the first level it did not hold (why in memory.md). A line that stops early is an arrangement that ran out.".to_owned(),
    ];
    let lines: Vec<String> = raw.iter().flat_map(|l| wrap(l, 110)).collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let height =
        (super::text::title_height(refs.len()) + 70 + 42 * (strategies.len() as u32 + 1)).max(620);
    svg(file, kind, (1100, height), |root| {
        let rest = title_strip(root, &title, &refs)?;
        let (chart_area, legend) = rest.split_horizontally(640);
        draw_chart(&chart_area, &strategies, &x_axis, &y_axis, palette)?;
        draw_legend(&legend, &strategies, palette)
    })
}

/// The calls-in-flight axis (log): a labelled tick at each level asked, a tenth of a decade of
/// room at either end (a level's point sits a little above it: measured, not scheduled), not
/// widened to whole decades.
fn levels_axis(levels: &[u64], lo: f64, hi: f64) -> ValueAxis {
    ValueAxis {
        log: true,
        lo: lo.max(1.0).log10() - 0.1,
        hi: hi.max(1.0).log10() + 0.1,
        bold: levels.iter().map(|&l| (l.max(1) as f64).log10()).collect(),
        light: Vec::new(),
    }
}

fn draw_chart(
    area: &Area<'_>,
    strategies: &[&StrategyMemory],
    x_axis: &ValueAxis,
    y_axis: &ValueAxis,
    palette: &Palette,
) -> anyhow::Result<()> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(10)
        .margin_right(30)
        .margin_top(10)
        .margin_bottom(8)
        .x_label_area_size(56)
        .y_label_area_size(70)
        .build_cartesian_2d(x_axis.coord(), y_axis.coord())?;
    chart
        .configure_mesh()
        .x_desc("calls in flight at once (log scale)")
        .y_desc("peak RSS, MiB (log scale)")
        .x_label_formatter(&|t| group_thousands(x_axis.value(*t).round() as u64))
        .y_label_formatter(&|t| y_axis.tick(*t))
        .label_style(text(14.0, INK))
        .axis_desc_style(text(15.0, INK))
        .bold_line_style(GRID)
        .light_line_style(GRID_LIGHT)
        .axis_style(INK)
        .draw()?;
    for s in strategies {
        let colour = palette.colour(&s.strategy);
        let pts = points(s);
        let at = |&(x, y, _): &(f64, f64, bool)| (x_axis.t(x), y_axis.t(y));
        let held: Vec<(f64, f64)> = pts.iter().filter(|p| p.2).map(at).collect();
        chart.draw_series(LineSeries::new(held.clone(), colour.stroke_width(2)))?;
        chart.draw_series(held.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
        chart.draw_series(
            pts.iter()
                .filter(|p| !p.2)
                .map(|p| Cross::new(at(p), 7, colour.stroke_width(3))),
        )?;
    }
    Ok(())
}

fn draw_legend(
    area: &Area<'_>,
    strategies: &[&StrategyMemory],
    palette: &Palette,
) -> anyhow::Result<()> {
    let mut y = 22;
    label(
        area,
        "strategy: memory a call; how far",
        (4, y),
        &bold(15.0, INK),
    )?;
    y += 26;
    for s in strategies {
        let colour = palette.colour(&s.strategy);
        area.draw(&PathElement::new(
            vec![(4, y), (34, y)],
            colour.stroke_width(2),
        ))?;
        let [what, reach] = legend_text(s);
        let style = text_at(14.0, INK, HPos::Left, VPos::Center);
        label(area, &what, (42, y), &style)?;
        label(area, &reach, (42, y + 18), &style)?;
        y += 42;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memory_run_draws_every_strategy_and_where_it_stopped() {
        let mut res = lab::fixtures::sample_results();
        assert!(
            MemoryLevels
                .export(&analysis::analyse(res.clone()))
                .unwrap()
                .is_empty(),
            "no memory run, no picture"
        );
        res.memory = Some(lab::fixtures::sample_memory());
        let out = MemoryLevels.export(&analysis::analyse(res)).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].file, "memory-switchboard.svg");
        let svg = String::from_utf8(out[0].bytes.clone()).unwrap();
        // The axis ends near the last level, not at the next whole decade.
        assert!(
            svg.contains("1,000,000") && !svg.contains("10,000,000"),
            "{svg}"
        );
        for line in [
            "threads: 9.77 KiB + 2 KiB kernel a call",
            "stopped at 100,000 (exhausted)",
            "event-loop: 150 B + 2 KiB kernel a call",
            "held 1,000,000",
        ] {
            assert!(svg.contains(line), "{line}: {svg}");
        }
    }
}
