//! The shared look of the plots: one colour per strategy (the same in every figure), the
//! shade or dash that tells core counts apart, text styles, value axes (linear or log, in µs
//! or ms), number formatting, and the helper that renders one SVG into an [`Output`].
//!
//! Text needs no font file: without plotters' `ttf`/`ab_glyph` features it uses its built-in
//! "naive" font, which only *estimates* a text's size (≈0.57 em per character) for layout, and
//! the SVG backend writes `<text>` elements that the viewer lays out with its own
//! `sans-serif`. Every label here is placed by an anchor (start/middle/end), so an estimate
//! that is a little off never misplaces text.

use crate::exporter::Output;
use crate::format::fmt_num;
use crate::row::{CellHistograms, Results, Row};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The drawing area every plot draws on.
pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// The font family written into the SVG (the viewer picks the actual font).
pub(crate) const FONT: &str = "sans-serif";
/// Text and axes.
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text.
pub(crate) const MUTED: RGBColor = RGBColor(0x60, 0x60, 0x60);
/// A failed cell.
pub(crate) const FAIL: RGBColor = RGBColor(0xc0, 0x1c, 0x28);
/// A verified cell that is not `ok` (saturated, invalid, exhausted).
pub(crate) const WARN: RGBColor = RGBColor(0xb3, 0x5c, 0x00);
/// Bold grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xd8, 0xd8, 0xd8);
/// Light grid lines.
pub(crate) const GRID_LIGHT: RGBColor = RGBColor(0xee, 0xee, 0xee);

/// The colour of a strategy, the same in every plot. Known strategies have fixed colours;
/// any other name gets one from a spare palette, chosen by a hash of the name (stable).
#[must_use]
pub(crate) fn strategy_colour(name: &str) -> RGBColor {
    match name {
        "sequential" => RGBColor(0x59, 0x59, 0x59),
        "threads" => RGBColor(0x1f, 0x77, 0xb4),
        "green" => RGBColor(0x2c, 0xa0, 0x2c),
        "async-std" => RGBColor(0x94, 0x67, 0xbd),
        "rayon" => RGBColor(0xe0, 0x6c, 0x00),
        "tokio" => RGBColor(0xd6, 0x27, 0x28),
        "smol" => RGBColor(0xd6, 0x5f, 0xb0),
        "hybrid" => RGBColor(0x8c, 0x56, 0x4b),
        "pool" => RGBColor(0x8a, 0x8a, 0x10),
        other => {
            const SPARE: [RGBColor; 6] = [
                RGBColor(0x17, 0xa5, 0xb8),
                RGBColor(0x7b, 0x41, 0x73),
                RGBColor(0x63, 0x79, 0x39),
                RGBColor(0x84, 0x3c, 0x39),
                RGBColor(0x39, 0x3b, 0x79),
                RGBColor(0xa5, 0x51, 0x94),
            ];
            // FNV-1a: stable across runs and platforms.
            let h = other.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            SPARE[(h % SPARE.len() as u64) as usize]
        }
    }
}

/// `c` mixed with white: `amount` 0 keeps it, 1 is white.
#[must_use]
pub(crate) fn tint(c: RGBColor, amount: f64) -> RGBColor {
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * amount).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// The bar shade of the `rank`-th smallest core count: the full colour for the fewest cores,
/// lighter for more.
#[must_use]
pub(crate) fn cores_shade(c: RGBColor, rank: usize) -> RGBColor {
    tint(c, [0.0, 0.55, 0.75, 0.85].get(rank).copied().unwrap_or(0.9))
}

/// How a line of the `rank`-th smallest core count is drawn: `None` = solid, else
/// `(dash, gap)` in pixels.
#[must_use]
pub(crate) fn cores_dash(rank: usize) -> Option<(u32, u32)> {
    match rank {
        0 => None,
        1 => Some((9, 5)),
        2 => Some((3, 4)),
        _ => Some((12, 4)),
    }
}

/// plotters writes `font-size = size / 1.24` into the SVG; sizes here are what the SVG gets.
const FONT_SCALE: f64 = 1.24;

/// A text style whose SVG `font-size` is `size` pixels, in `colour`.
#[must_use]
pub(crate) fn text(size: f64, colour: RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from((FONT, size * FONT_SCALE).into_font());
    s.color = colour.to_backend_color();
    s
}

/// [`text`] anchored at `h`/`v`.
#[must_use]
pub(crate) fn text_at(size: f64, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    text(size, colour).pos(Pos::new(h, v))
}

/// [`text`] in bold.
#[must_use]
pub(crate) fn bold(size: f64, colour: RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from((FONT, size * FONT_SCALE, FontStyle::Bold).into_font());
    s.color = colour.to_backend_color();
    s
}

/// Draws `s` on `area` at pixel `at` (relative to the area) with `style`.
pub(crate) fn label(
    area: &Area<'_>,
    s: &str,
    at: (i32, i32),
    style: &TextStyle<'_>,
) -> anyhow::Result<()> {
    area.draw(&Text::new(s.to_owned(), at, style.clone()))?;
    Ok(())
}

/// Height of a [`title_strip`] with `lines` lines of explanation.
#[must_use]
pub(crate) fn title_height(lines: usize) -> u32 {
    46 + 20 * lines as u32
}

/// Draws a figure title and explanation lines under it, left-aligned, in a strip at the top
/// of `area`; returns the rest of the area.
pub(crate) fn title_strip<'a>(
    area: &Area<'a>,
    title: &str,
    lines: &[&str],
) -> anyhow::Result<Area<'a>> {
    let (top, rest) = area.split_vertically(title_height(lines.len()));
    label(
        &top,
        title,
        (16, 12),
        &text_at(21.0, INK, HPos::Left, VPos::Top),
    )?;
    for (i, l) in lines.iter().enumerate() {
        let y = 44 + 20 * i as i32;
        label(
            &top,
            l,
            (16, y),
            &text_at(14.0, MUTED, HPos::Left, VPos::Top),
        )?;
    }
    Ok(rest)
}

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

/// `name` made safe for a file name: anything but ASCII letters, digits, `.`, `_` and `-`
/// becomes `-`.
#[must_use]
pub(crate) fn file_part(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        "unnamed".to_owned()
    } else {
        s
    }
}

/// Distinct values of `key` in first-appearance order.
#[must_use]
pub(crate) fn first_seen<'a, T: 'a, K: PartialEq>(
    items: impl IntoIterator<Item = &'a T>,
    key: impl Fn(&T) -> K,
) -> Vec<K> {
    let mut out: Vec<K> = Vec::new();
    for it in items {
        let k = key(it);
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// The rows a plot shows (everything but sweep rows), with their index into `results.rows`.
pub(crate) fn plain_rows(results: &Results) -> impl Iterator<Item = (usize, &Row)> {
    results
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.sweep.is_none())
}

/// The merged histograms of row `i` (same index when the names agree, else found by name).
#[must_use]
pub(crate) fn hists_of<'a>(
    results: &'a Results,
    i: usize,
    row: &Row,
) -> Option<&'a CellHistograms> {
    let cell = row.cell_name();
    results
        .hists
        .get(i)
        .filter(|h| h.cell == cell)
        .or_else(|| results.hists.iter().find(|h| h.cell == cell))
}

/// A value axis: linear or log10, from `lo` to `hi` in axis space (log10 of the value for a
/// log axis), with tick positions. Plot coordinates are always linear in axis space, so one
/// code path draws both kinds.
#[derive(Clone, Debug)]
pub(crate) struct ValueAxis {
    pub log: bool,
    pub lo: f64,
    pub hi: f64,
    /// Labelled ticks (axis space).
    pub bold: Vec<f64>,
    /// Unlabelled grid lines (axis space).
    pub light: Vec<f64>,
}

impl ValueAxis {
    /// A log axis covering `[min, max]` (values > 0), widened to whole decades.
    #[must_use]
    pub(crate) fn log(min: f64, max: f64) -> ValueAxis {
        let min = if min > 0.0 && min.is_finite() {
            min
        } else {
            1.0
        };
        let max = if max.is_finite() { max.max(min) } else { min };
        let lo = min.log10().floor();
        let mut hi = max.log10().ceil();
        if hi <= lo {
            hi = lo + 1.0;
        }
        let decades = (hi - lo) as i64;
        let (mut bold, mut light) = (Vec::new(), Vec::new());
        for k in lo as i64..=hi as i64 {
            for m in [1.0, 2.0, 5.0] {
                let t = (m * 10f64.powi(k as i32)).log10();
                if t < lo - 1e-9 || t > hi + 1e-9 {
                    continue;
                }
                if m == 1.0 || decades <= 2 {
                    bold.push(t);
                } else {
                    light.push(t);
                }
            }
        }
        for k in lo as i64..hi as i64 {
            for m in [3.0, 4.0, 6.0, 7.0, 8.0, 9.0] {
                light.push((m * 10f64.powi(k as i32)).log10());
            }
        }
        ValueAxis {
            log: true,
            lo,
            hi,
            bold,
            light,
        }
    }

    /// A linear axis from 0 to a little above `max`, with round ticks.
    #[must_use]
    pub(crate) fn linear(max: f64) -> ValueAxis {
        let max = if max > 0.0 && max.is_finite() {
            max
        } else {
            1.0
        };
        let raw = max / 5.0;
        let p = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .map(|m| m * p)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * p);
        let hi = (max * 1.08 / step).ceil() * step;
        let n = (hi / step).round() as usize;
        let bold = (0..=n).map(|i| i as f64 * step).collect();
        let light = (0..n).map(|i| (i as f64 + 0.5) * step).collect();
        ValueAxis {
            log: false,
            lo: 0.0,
            hi,
            bold,
            light,
        }
    }

    /// A value in axis space (clamped into the axis).
    #[must_use]
    pub(crate) fn t(&self, v: f64) -> f64 {
        let t = if self.log {
            if v > 0.0 { v.log10() } else { self.lo }
        } else {
            v
        };
        t.clamp(self.lo, self.hi)
    }

    /// The value at axis position `t`.
    #[must_use]
    pub(crate) fn value(&self, t: f64) -> f64 {
        if self.log { 10f64.powf(t) } else { t }
    }

    /// The tick label at axis position `t`.
    #[must_use]
    pub(crate) fn tick(&self, t: f64) -> String {
        fmt_num(self.value(t))
    }

    /// The coordinate, for `build_cartesian_2d`.
    #[must_use]
    pub(crate) fn coord(&self) -> Ticks {
        Ticks::new(self.lo..self.hi, self.bold.clone(), self.light.clone())
    }
}

/// A linear `f64` coordinate whose tick marks (labelled) and light grid lines are given, not
/// computed. (plotters' own `with_key_points` on an `f64` range cannot take a label formatter
/// in 0.3.7: its format option does not allow `configure_mesh`.)
#[derive(Clone, Debug)]
pub(crate) struct Ticks {
    lo: f64,
    hi: f64,
    bold: Vec<f64>,
    light: Vec<f64>,
}

impl Ticks {
    /// The range `r`, ticks at `bold`, light grid lines at `light`.
    #[must_use]
    pub(crate) fn new(r: std::ops::Range<f64>, bold: Vec<f64>, light: Vec<f64>) -> Ticks {
        Ticks {
            lo: r.start,
            hi: r.end,
            bold,
            light,
        }
    }
}

impl Ranged for Ticks {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span <= 0.0 || !span.is_finite() {
            return (limit.0 + limit.1) / 2;
        }
        let f = ((v - self.lo) / span).clamp(-10.0, 10.0);
        limit.0 + (f64::from(limit.1 - limit.0) * f).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.light.clone()
        } else {
            self.bold.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axis_covers_whole_decades_with_labelled_powers() {
        let a = ValueAxis::log(23.0, 45_000.0);
        assert_eq!((a.lo, a.hi), (1.0, 5.0));
        let labels: Vec<String> = a.bold.iter().map(|t| a.tick(*t)).collect();
        assert_eq!(labels, ["10", "100", "1000", "10000", "100000"]);
        let narrow = ValueAxis::log(20.0, 40.0);
        assert_eq!((narrow.lo, narrow.hi), (1.0, 2.0));
        assert!(narrow.bold.len() >= 3);
        let degenerate = ValueAxis::log(0.0, 0.0);
        assert!(degenerate.hi > degenerate.lo);
    }

    #[test]
    fn linear_axis_has_round_ticks_above_max() {
        let a = ValueAxis::linear(0.4);
        assert!(a.hi >= 0.4);
        assert!(a.bold.len() >= 3 && a.bold.len() <= 8, "{:?}", a.bold);
        assert!(ValueAxis::linear(0.0).hi >= 1.0);
    }

    #[test]
    fn file_parts_are_safe_and_colours_stable() {
        assert_eq!(file_part("back office/2"), "back-office-2");
        assert_eq!(file_part(""), "unnamed");
        assert_eq!(strategy_colour("whatever"), strategy_colour("whatever"));
        assert_ne!(strategy_colour("threads"), strategy_colour("rayon"));
        assert_eq!(tint(RGBColor(0, 0, 0), 1.0), RGBColor(255, 255, 255));
    }
}
