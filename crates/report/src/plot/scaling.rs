//! The speedup curve: one `scaling-<scenario>.svg` per scenario of a capacity run searched on
//! three or more core counts — each strategy's capacity over its own capacity on 1 core,
//! against the cores it was given (both log2), with the ideal (capacity × cores) as a dashed
//! diagonal, and what this machine's cores give at most (`core_limit`: the work kernel on N
//! pinned threads over 1) as a dotted black line. A line that follows the diagonal is a strategy
//! whose secretaries work in parallel; a flat line is one secretary however many desks the
//! office has. The legend gives each strategy's last ratio beside the limit there.

use super::Area;
use super::axis::ValueAxis;
use super::colour::{GRID, GRID_LIGHT, INK, MUTED, Palette};
use super::svg::{scenario_file, svg};
use super::text::{bold, label, text, text_at, title_height, title_strip};
use crate::exporter::{Exporter, Output, Picture};
use analysis::Analysed;
use lab::capacity::{Scaling, ScenarioCapacity};
use lab::core_limit::CoreLimit;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The speedup-curve exporter.
pub struct ScalingPlot;

/// Fewest core counts that make a curve worth drawing (two are the second-core table).
const MIN_CORE_COUNTS: usize = 3;

impl Exporter for ScalingPlot {
    fn name(&self) -> &'static str {
        "scaling plot"
    }

    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        let Some(c) = &results.capacity else {
            return Ok(Vec::new());
        };
        let palette = Palette::of(results);
        c.scenarios
            .iter()
            .filter_map(|sc| {
                let curves = &sc.scaling;
                curves
                    .iter()
                    .any(|c| c.points.len() >= MIN_CORE_COUNTS)
                    .then(|| scenario_plot(sc, curves, c.core_limit.as_ref(), &palette))
            })
            .collect()
    }
}

fn scenario_plot(
    sc: &ScenarioCapacity,
    curves: &[Scaling],
    limit: Option<&CoreLimit>,
    palette: &Palette,
) -> anyhow::Result<Output> {
    let (file, kind) = scenario_file(Picture::Scaling, &sc.scenario);
    let max_cores = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0))
        .max()
        .unwrap_or(1) as f64;
    // The machine's limit at the core counts it was measured at, up to the most searched.
    let limit_pts: Vec<(usize, f64)> = limit
        .map(|l| {
            l.speedup
                .iter()
                .filter(|(n, x)| **n as f64 <= max_cores && x.is_finite() && **x > 0.0)
                .map(|(n, x)| (*n, *x))
                .collect()
        })
        .unwrap_or_default();
    let ratios = || {
        curves
            .iter()
            .flat_map(|c| c.points.iter().filter_map(|p| p.2))
            .chain(limit_pts.iter().map(|p| p.1))
    };
    let y_lo = ratios().fold(1.0, f64::min);
    let y_hi = ratios().fold(max_cores, f64::max);
    // Ticks at the core counts searched, not at decades.
    let mut cores: Vec<f64> = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0 as f64))
        .collect();
    cores.sort_by(f64::total_cmp);
    cores.dedup();
    let x_axis = x_axis(&cores);
    let y_axis = ValueAxis::log_fitted(y_lo, y_hi * 1.1, false);
    let title = format!(
        "{}: capacity over the capacity on 1 core, by cores",
        sc.scenario
    );
    let height = (title_height(4) + 70 + 24 * (curves.len() as u32 + 1)).max(620);
    svg(file, kind, (1100, height), |root| {
        let rest = title_strip(
            root,
            &title,
            &[
                "Capacity: the highest call rate a strategy keeps up with; each line is over its own capacity on 1 core.",
                "Dashed grey: the ideal, capacity × cores. Following it is parallelism; flat is one secretary, whatever the cores.",
                if limit_pts.len() > 1 {
                    "Dotted black: the most this machine's cores give (the work kernel on N pinned threads over 1)."
                } else {
                    "This machine's core limit was not measured: the ratios stand alone."
                },
                "Hollow, arrow up: a lower bound (the search kept up even at its highest rate: at least there).",
            ],
        )?;
        let (plot, legend) = rest.split_horizontally(720);
        draw_chart(&plot, curves, &limit_pts, &x_axis, &y_axis, palette)?;
        draw_legend(&legend, curves, limit, palette)
    })
}

/// The cores axis (log): a labelled tick at each core count searched, ending at the largest.
fn x_axis(cores: &[f64]) -> ValueAxis {
    let max = cores.iter().copied().fold(1.0, f64::max);
    ValueAxis {
        log: true,
        lo: 0.0,
        hi: max.log10().max(0.1),
        bold: cores.iter().map(|c| c.log10()).collect(),
        light: Vec::new(),
    }
}

fn draw_chart(
    area: &Area<'_>,
    curves: &[Scaling],
    limit: &[(usize, f64)],
    x_axis: &ValueAxis,
    y_axis: &ValueAxis,
    palette: &Palette,
) -> anyhow::Result<()> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(10)
        .margin_right(20)
        .margin_top(10)
        .margin_bottom(8)
        .x_label_area_size(56)
        .y_label_area_size(70)
        .build_cartesian_2d(x_axis.coord(), y_axis.coord())?;
    chart
        .configure_mesh()
        .x_desc("cores given to the strategy (log scale)")
        .y_desc("capacity / capacity on 1 core (log scale)")
        .x_label_formatter(&|t| x_axis.tick(*t))
        .y_label_formatter(&|t| y_axis.tick(*t))
        .label_style(text(14.0, INK))
        .axis_desc_style(text(15.0, INK))
        .bold_line_style(GRID)
        .light_line_style(GRID_LIGHT)
        .axis_style(INK)
        .draw()?;
    let pt = |cores: usize, r: f64| (x_axis.t(cores as f64), y_axis.t(r));
    let top = x_axis.value(x_axis.hi);
    chart.draw_series(DashedLineSeries::new(
        vec![pt(1, 1.0), (x_axis.hi, y_axis.t(top))],
        8,
        5,
        MUTED.stroke_width(1),
    ))?;
    if limit.len() > 1 {
        let pts: Vec<(f64, f64)> = limit.iter().map(|&(n, x)| pt(n, x)).collect();
        chart.draw_series(DashedLineSeries::new(
            pts.clone(),
            2,
            4,
            INK.stroke_width(2),
        ))?;
        chart.draw_series(pts.iter().map(|&at| Cross::new(at, 5, INK.stroke_width(2))))?;
    }
    for c in curves {
        let colour = palette.colour(&c.strategy);
        let pts: Vec<(f64, f64)> = c
            .points
            .iter()
            .filter_map(|&(cores, _, r)| Some(pt(cores, r?)))
            .collect();
        chart.draw_series(LineSeries::new(pts, colour.stroke_width(2)))?;
        // A lower bound (the search passed its highest rate) is a hollow circle with an arrow
        // up: the capacity is at least there, not there.
        let (exact, open): (Vec<_>, Vec<_>) = c
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, &(cores, _, r))| {
                Some((pt(cores, r?), c.at_least.get(i) == Some(&true)))
            })
            .partition(|(_, open)| !open);
        chart.draw_series(
            exact
                .iter()
                .map(|&(at, _)| Circle::new(at, 4, colour.filled())),
        )?;
        for (at, _) in open {
            chart.draw_series(std::iter::once(Circle::new(at, 5, colour.stroke_width(2))))?;
            chart.draw_series(std::iter::once(
                EmptyElement::at(at)
                    + PathElement::new(vec![(0, -6), (0, -22)], colour.stroke_width(2))
                    + PathElement::new(vec![(-5, -16), (0, -22), (5, -16)], colour.stroke_width(2)),
            ))?;
        }
    }
    Ok(())
}

fn draw_legend(
    area: &Area<'_>,
    curves: &[Scaling],
    limit: Option<&CoreLimit>,
    palette: &Palette,
) -> anyhow::Result<()> {
    let mut y = 22;
    label(
        area,
        "strategy: at the most cores",
        (4, y),
        &bold(15.0, INK),
    )?;
    y += 26;
    for c in curves {
        let colour = palette.colour(&c.strategy);
        area.draw(&PathElement::new(
            vec![(4, y), (34, y)],
            colour.stroke_width(2),
        ))?;
        let last = c.points.last().copied();
        let of = c.of_limit.last().and_then(|x| x.limit);
        let what = match last {
            Some((cores, _, Some(r))) => format!(
                "{}: {}×{} on {cores}{}",
                c.strategy,
                if c.at_least.last() == Some(&true) {
                    "≥ "
                } else {
                    ""
                },
                lab::format::fmt_num(r),
                of.map_or_else(String::new, |l| format!(
                    " (of ×{})",
                    lab::format::fmt_num(l)
                ))
            ),
            Some((cores, _, None)) => format!("{}: – on {cores}", c.strategy),
            None => c.strategy.clone(),
        };
        label(
            area,
            &what,
            (42, y),
            &text_at(14.0, INK, HPos::Left, VPos::Center),
        )?;
        y += 24;
    }
    if let Some(l) = limit.filter(|l| l.speedup.len() > 1) {
        area.draw(&PathElement::new(
            vec![(4, y), (34, y)],
            INK.stroke_width(2),
        ))?;
        let (n, x) = l.speedup.iter().next_back().expect("len > 1");
        label(
            area,
            &format!("this machine's limit: ×{} on {n}", lab::format::fmt_num(*x)),
            (42, y),
            &text_at(14.0, INK, HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cores_axis_ends_at_the_most_cores_searched() {
        let a = x_axis(&[1.0, 2.0, 4.0]);
        assert_eq!(a.lo, 0.0);
        assert!((a.hi - 4f64.log10()).abs() < 1e-12, "{a:?}");
        assert_eq!(a.tick(*a.bold.last().unwrap()), "4");
    }

    #[test]
    fn drawn_only_for_three_or_more_core_counts() {
        let mut res = lab::fixtures::sample_results();
        res.capacity = Some(lab::fixtures::sample_capacity());
        assert!(
            ScalingPlot
                .export(&analysis::analyse(res.clone()))
                .unwrap()
                .is_empty(),
            "the fixture has 1 and 2 cores"
        );
        let cap = res.capacity.as_mut().unwrap();
        let mut four = cap.scenarios[0].searches[0].clone();
        four.cores = 4;
        four.capacity_calls_per_s = four.capacity_calls_per_s.map(|c| c * 3.0);
        cap.scenarios[0].searches.push(four);
        let out = ScalingPlot.export(&analysis::analyse(res.clone())).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].file, "scaling-office.svg");
        let svg = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert!(svg.contains("on 4"), "{svg}");
        assert!(!svg.contains("(of ×"), "no limit measured: {svg}");
        res.env["core_limit"] = serde_json::json!({
            "method": "test", "cpus": 4, "speedup": { "1": 1.0, "2": 1.9, "4": 3.5 }
        });
        let out = ScalingPlot.export(&analysis::analyse(res)).unwrap();
        let svg = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert!(svg.contains("×2 on 2 (of ×1.9)"), "{svg}");
        assert!(
            svg.contains("this machine&apos;s limit: ×3.5 on 4")
                || svg.contains("this machine's limit: ×3.5 on 4"),
            "{svg}"
        );
    }
}
