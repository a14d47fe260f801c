//! The value axes of the plots: [`ValueAxis`], linear or log10 with round ticks and whole
//! decades, and [`Ticks`], the plotters coordinate that draws exactly the ticks it is given.
//! Values arrive already in the axis's unit (see [`lab::format::Unit`]).

use lab::format::fmt_num;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

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
}
