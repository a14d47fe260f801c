//! `<cell>.hgrm`: each cell's merged pick-up histogram as HdrHistogram's percentile
//! distribution text, the shape Java's `AbstractHistogram.outputPercentileDistribution(out, 5,
//! 1.0)` writes and the online plotter (hdrhistogram.github.io/HdrHistogram/plotFiles.html)
//! loads. Values are the histogram's own unit (µs here): the output scaling ratio is 1.0.
//!
//! ```text
//!        Value     Percentile TotalCount 1/(1-Percentile)
//!
//!       12.000 0.000000000000          1           1.00
//!     1234.000 1.000000000000       2000
//! #[Mean    =      123.456, StdDeviation   =       45.678]
//! #[Max     =     1234.000, Total count    =         2000]
//! #[Buckets =           20, SubBuckets     =         2048]
//! ```
//!
//! As in Java, values, mean, deviation and max carry as many decimals as the histogram has
//! significant digits (3 for every histogram of this project), and the percentile column is
//! the iteration level (5 ticks per half distance to 100 %), not the exact share at that value.
//! An empty histogram gives the header and the footer with zeros and no rows (as Java does).

use crate::exporter::{Exporter, Kind, Output};
use analysis::Analysed;
use hdrhistogram::Histogram;
use std::fmt::Write as _;

/// The hgrm exporter.
#[derive(Debug)]
pub struct Hgrm;

impl Exporter for Hgrm {
    fn name(&self) -> &'static str {
        "hgrm"
    }
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        Ok(results
            .hists
            .iter()
            .map(|h| {
                Output::new(
                    file_name(&h.cell),
                    write_hgrm(&h.pickup).into_bytes(),
                    Kind::Histogram,
                )
            })
            .collect())
    }
}

/// The file of a cell: `<cell>.hgrm`, path separators replaced so it stays inside the folder.
pub(super) fn file_name(cell: &str) -> String {
    let safe: String = cell
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{safe}.hgrm")
}

/// Percentile ticks per half distance to 100 % (Java's usual 5).
const TICKS_PER_HALF_DISTANCE: u32 = 5;

/// Output value unit scaling ratio: values stay in the histogram's unit (µs).
const SCALING_RATIO: f64 = 1.0;

/// HdrHistogram's sub-bucket count for `sigfig` significant digits: the power of two at or
/// above 2 × 10^sigfig (single-unit resolution up to there).
fn sub_bucket_count(sigfig: u8) -> u64 {
    let largest_single_unit = 2 * 10_u64.pow(u32::from(sigfig));
    largest_single_unit.next_power_of_two()
}

/// HdrHistogram's bucket count: buckets needed to cover the highest trackable value, each
/// doubling the range of the one before (`getBucketsNeededToCoverValue`).
fn bucket_count(lowest: u64, highest: u64, sigfig: u8) -> u64 {
    let unit_magnitude = lowest.max(1).ilog2();
    let mut smallest_untrackable = sub_bucket_count(sigfig) << unit_magnitude;
    let mut needed = 1;
    while smallest_untrackable <= highest {
        if smallest_untrackable > u64::MAX / 2 {
            return needed + 1;
        }
        smallest_untrackable <<= 1;
        needed += 1;
    }
    needed
}

/// The percentile distribution text of `h` (see the module docs for the shape).
#[must_use]
pub fn write_hgrm(h: &Histogram<u64>) -> String {
    let d = usize::from(h.sigfig());
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:>12} {:>14} {:>10} {:>14}\n",
        "Value", "Percentile", "TotalCount", "1/(1-Percentile)"
    );
    if !h.is_empty() {
        let mut total: u64 = 0;
        for v in h.iter_quantiles(TICKS_PER_HALF_DISTANCE) {
            total += v.count_since_last_iteration();
            let value = v.value_iterated_to() as f64 / SCALING_RATIO;
            let q = v.quantile_iterated_to();
            if q < 1.0 {
                let _ = writeln!(
                    s,
                    "{value:12.d$} {q:2.12} {total:10} {:14.2}",
                    1.0 / (1.0 - q)
                );
            } else {
                let _ = writeln!(s, "{value:12.d$} {q:2.12} {total:10}");
            }
        }
    }
    // Java prints 0 for the mean, deviation and max of an empty histogram.
    let (mean, stdev, max) = if h.is_empty() {
        (0.0, 0.0, 0.0)
    } else {
        (h.mean(), h.stdev(), h.max() as f64)
    };
    let _ = writeln!(
        s,
        "#[Mean    = {:12.d$}, StdDeviation   = {:12.d$}]",
        mean / SCALING_RATIO,
        stdev / SCALING_RATIO
    );
    let _ = writeln!(
        s,
        "#[Max     = {:12.d$}, Total count    = {:12}]",
        max / SCALING_RATIO,
        h.len()
    );
    let _ = writeln!(
        s,
        "#[Buckets = {:12}, SubBuckets     = {:12}]",
        bucket_count(h.low(), h.high(), h.sigfig()),
        sub_bucket_count(h.sigfig())
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_counts_match_hdrhistogram() {
        for (low, high, sig) in [
            (1, 1_000_000_000, 3),
            (1, 3_600_000_000, 3),
            (1, 2, 1),
            (1000, 1 << 40, 2),
            (1, u64::MAX, 5),
        ] {
            let h = Histogram::<u64>::new_with_bounds(low, high, sig).expect("valid bounds");
            assert_eq!(
                bucket_count(low, high, sig),
                u64::from(h.buckets()),
                "{low} {high} {sig}"
            );
        }
        assert_eq!(sub_bucket_count(3), 2048);
        assert_eq!(sub_bucket_count(2), 256);
        // Java's default 1..3.6e9 at 3 digits: 22 buckets, as in the plotter's samples.
        assert_eq!(bucket_count(1, 3_600_000_000, 3), 22);
    }

    #[test]
    fn known_shape() {
        let mut h = Histogram::<u64>::new_with_bounds(1, 1_000_000_000, 3).expect("valid bounds");
        for v in 1..=10 {
            h.record(v * 100).expect("in range");
        }
        let text = write_hgrm(&h);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "       Value     Percentile TotalCount 1/(1-Percentile)"
        );
        assert_eq!(lines[1], "");
        assert_eq!(
            lines[2],
            "     100.000 0.000000000000          1           1.00"
        );
        let last_row = lines[lines.len() - 4];
        assert_eq!(last_row, "    1000.000 1.000000000000         10");
        assert_eq!(
            lines[lines.len() - 3],
            "#[Mean    =      550.000, StdDeviation   =      287.228]"
        );
        assert_eq!(
            lines[lines.len() - 2],
            "#[Max     =     1000.000, Total count    =           10]"
        );
        assert_eq!(
            lines[lines.len() - 1],
            "#[Buckets =           20, SubBuckets     =         2048]"
        );
    }

    #[test]
    fn empty_histogram_is_header_and_footer() {
        let h = Histogram::<u64>::new_with_bounds(1, 1_000_000_000, 3).expect("valid bounds");
        let text = write_hgrm(&h);
        assert_eq!(
            text,
            "       Value     Percentile TotalCount 1/(1-Percentile)\n\n\
             #[Mean    =        0.000, StdDeviation   =        0.000]\n\
             #[Max     =        0.000, Total count    =            0]\n\
             #[Buckets =           20, SubBuckets     =         2048]\n"
        );
    }
}
