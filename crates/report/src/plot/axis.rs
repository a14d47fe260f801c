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

    /// A log axis fitted to `[min, max]` (values > 0): from the largest 1-2-5 value at or below
    /// `min` to the smallest at or above `max` (to `max` itself when `exact_top`), so no decade
    /// is empty. Labelled ticks at 1, 2 and 5 × powers of ten (only the powers when the axis
    /// spans more than three decades), the top labelled too when it is exact.
    #[must_use]
    pub(crate) fn log_fitted(min: f64, max: f64, exact_top: bool) -> ValueAxis {
        let min = if min > 0.0 && min.is_finite() {
            min
        } else {
            1.0
        };
        let max = if max.is_finite() { max.max(min) } else { min };
        let nice = |v: f64, up: bool| {
            let k = v.log10().floor();
            let steps = [1.0, 2.0, 5.0, 10.0];
            let m = v / 10f64.powf(k);
            let pick = if up {
                steps.into_iter().find(|s| *s >= m - 1e-9).unwrap_or(10.0)
            } else {
                steps
                    .into_iter()
                    .rev()
                    .find(|s| *s <= m + 1e-9)
                    .unwrap_or(1.0)
            };
            (pick * 10f64.powf(k)).log10()
        };
        let lo = nice(min, false);
        let mut hi = if exact_top {
            max.log10()
        } else {
            nice(max, true)
        };
        if hi - lo < 0.3 {
            hi = lo + 0.3;
        }
        let decades = hi - lo;
        let (mut bold, mut light) = (Vec::new(), Vec::new());
        for k in (lo.floor() as i64)..=(hi.ceil() as i64) {
            for m in 1..10 {
                let t = (f64::from(m) * 10f64.powi(k as i32)).log10();
                if t < lo - 1e-9 || t > hi + 1e-9 {
                    continue;
                }
                let labelled = m == 1 || (decades <= 3.0 && (m == 2 || m == 5));
                // A labelled tick too near an exact top would print over its label.
                if labelled && !(exact_top && hi - t < 0.12) {
                    bold.push(t);
                } else {
                    light.push(t);
                }
            }
        }
        if exact_top {
            bold.push(hi);
        }
        ValueAxis {
            log: true,
            lo,
            hi,
            bold,
            light,
        }
    }

    /// [`ValueAxis::linear`], its top no higher than `cap` (ticks above it dropped, `cap`
    /// labelled).
    #[must_use]
    pub(crate) fn linear_capped(max: f64, cap: f64) -> ValueAxis {
        let mut a = ValueAxis::linear(max.min(cap));
        if a.hi > cap {
            a.hi = cap;
            a.bold.retain(|t| *t <= cap + 1e-9);
            a.light.retain(|t| *t <= cap + 1e-9);
            if a.bold.last().is_none_or(|t| (t - cap).abs() > 1e-9) {
                a.bold.push(cap);
            }
        }
        a
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
    fn fitted_log_axis_has_no_empty_decade_and_can_end_exactly() {
        let a = ValueAxis::log_fitted(0.23, 45.0, false);
        assert!((a.lo - 0.2f64.log10()).abs() < 1e-9, "{a:?}");
        assert!((a.hi - 50f64.log10()).abs() < 1e-9, "{a:?}");
        let p = ValueAxis::log_fitted(0.05, 20.0, true);
        assert!((p.hi - 20f64.log10()).abs() < 1e-9);
        assert_eq!(p.tick(p.hi), "20");
        assert_eq!(
            p.bold.iter().filter(|t| (**t - p.hi).abs() < 1e-9).count(),
            1
        );
        assert!(
            p.bold
                .iter()
                .all(|t| *t <= p.hi + 1e-9 && *t >= p.lo - 1e-9)
        );
    }

    #[test]
    fn a_capped_linear_axis_ends_at_its_cap() {
        let a = ValueAxis::linear_capped(97.0, 100.0);
        assert!((a.hi - 100.0).abs() < 1e-9, "{a:?}");
        assert!(a.bold.iter().all(|t| *t <= 100.0));
        assert_eq!(a.bold.last().copied(), Some(100.0));
        let b = ValueAxis::linear_capped(3.0, 100.0);
        assert!(b.hi < 10.0);
    }

    #[test]
    fn linear_axis_has_round_ticks_above_max() {
        let a = ValueAxis::linear(0.4);
        assert!(a.hi >= 0.4);
        assert!(a.bold.len() >= 3 && a.bold.len() <= 8, "{:?}", a.bold);
        assert!(ValueAxis::linear(0.0).hi >= 1.0);
    }
}
