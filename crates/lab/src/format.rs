//! Every number format of the results, in one place, used by the markdown summary, the
//! findings and the plots alike.
//!
//! Latencies follow one rule everywhere: below [`MS_FROM_US`] (10 000 µs) they are whole µs
//! with thousands separators (`1,234 µs`), from there on ms with one decimal (`12.3 ms`,
//! `1,234.5 ms`); a plot's axis picks its [`Unit`] by the same threshold. Shares are
//! percentages with one decimal (`12.5 %`; a plot's axis labels `12.5%`); ratios are `3.2×`;
//! plot labels have about three significant digits ([`fmt_num`]).

/// From this many µs on, latencies are shown in ms.
pub const MS_FROM_US: f64 = 10_000.0;

/// `1234567` → `1,234,567`.
#[must_use]
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A latency in µs as (number, unit): whole µs below [`MS_FROM_US`], else ms with one
/// decimal; thousands separators in both. Not finite: (`n/a`, "").
#[must_use]
pub fn us_parts(us: f64) -> (String, &'static str) {
    if !us.is_finite() {
        return ("n/a".to_owned(), "");
    }
    let sign = if us < 0.0 { "-" } else { "" };
    let a = us.abs();
    if a < MS_FROM_US {
        let n = a.round() as u64;
        // `-0` reads badly.
        let sign = if n == 0 { "" } else { sign };
        (format!("{sign}{}", group_thousands(n)), "µs")
    } else {
        let tenths = (a / 100.0).round() as u64;
        (
            format!("{sign}{}.{}", group_thousands(tenths / 10), tenths % 10),
            "ms",
        )
    }
}

/// A latency as a number in the unit `like` would get (`us_parts(like).1`): a cell with a
/// median and a range prints all three in one unit, the unit of its largest value.
#[must_use]
pub fn us_number_in_unit_of(us: f64, like: f64) -> (String, &'static str) {
    if !us.is_finite() || !like.is_finite() {
        return us_parts(us);
    }
    if like.abs() < MS_FROM_US {
        let n = us.abs().round() as u64;
        let sign = if us < 0.0 && n > 0 { "-" } else { "" };
        (format!("{sign}{}", group_thousands(n)), "µs")
    } else {
        let tenths = (us.abs() / 100.0).round() as u64;
        let sign = if us < 0.0 && tenths > 0 { "-" } else { "" };
        (
            format!("{sign}{}.{}", group_thousands(tenths / 10), tenths % 10),
            "ms",
        )
    }
}

/// A latency in µs, formatted by the one rule (see the module docs), e.g. `1,234 µs`, `12.3 ms`.
#[must_use]
pub fn format_us(us: f64) -> String {
    match us_parts(us) {
        (n, "") => n,
        (n, unit) => format!("{n} {unit}"),
    }
}

/// A short duration in ns (the cost of one primitive): whole ns below 1 µs (`391 ns`), three
/// significant digits below 10 µs (`2.5 µs`), else the latency rule of [`format_us`].
#[must_use]
pub fn format_ns(ns: f64) -> String {
    if !ns.is_finite() {
        "n/a".to_owned()
    } else if ns.abs() < 1_000.0 {
        format!("{} ns", ns.round())
    } else if ns.abs() < 10_000.0 {
        format!("{} µs", fmt_num(ns / 1_000.0))
    } else {
        format_us(ns / 1_000.0)
    }
}

/// A size in bytes: whole bytes below 1 KiB (`266 B`), else KiB with about three significant
/// digits (`9.6 KiB`, `1,234 KiB`).
#[must_use]
pub fn format_bytes(bytes: f64) -> String {
    if !bytes.is_finite() {
        "n/a".to_owned()
    } else if bytes.abs() < 1_024.0 {
        format!("{} B", bytes.round())
    } else if bytes.abs() < 1_024.0 * 1_000.0 {
        format!("{} KiB", fmt_num(bytes / 1_024.0))
    } else {
        format!("{} KiB", group_thousands((bytes / 1_024.0).round() as u64))
    }
}

/// A share (0..=1) as a percentage with one decimal; a non-zero share that would round to
/// 0.0 shows as `<0.1 %`.
#[must_use]
pub fn format_share(share: f64) -> String {
    if !share.is_finite() {
        return "n/a".to_owned();
    }
    let pct = share * 100.0;
    if pct > 0.0 && pct < 0.05 {
        "<0.1 %".to_owned()
    } else {
        format!("{pct:.1} %")
    }
}

/// A factor, e.g. `3.2×` (two decimals below 10, whole numbers above).
#[must_use]
pub fn format_factor(f: f64) -> String {
    if !f.is_finite() {
        "n/a".to_owned()
    } else if f < 10.0 {
        format!("{f:.2}×")
    } else {
        format!("{f:.0}×")
    }
}

/// A speedup beside what this machine's cores give at most at the same core count
/// (`env.json`'s `core_limit`): `1.62× of a possible 1.95× here`, or, where the limit was not
/// measured, `1.62× (limit not measured)`.
#[must_use]
pub fn format_speedup_of_limit(speedup: f64, limit: Option<f64>) -> String {
    match limit {
        Some(l) => format!(
            "{} of a possible {} here",
            format_factor(speedup),
            format_factor(l)
        ),
        None => format!("{} (limit not measured)", format_factor(speedup)),
    }
}

/// A load in cores with two decimals, e.g. `0.13 core`, `1.33 cores` (singular up to one).
#[must_use]
pub fn format_cores(cores: f64) -> String {
    let s = format!("{cores:.2}");
    let one_or_less = s.parse::<f64>().is_ok_and(|v| v <= 1.0);
    format!("{s} core{}", if one_or_less { "" } else { "s" })
}

/// Memory given in KiB as MiB with one decimal, the number alone (`150.3`): a table's cell
/// under a "MiB" heading. Prose says the same figure with [`format_mib`].
#[must_use]
pub fn mib_number(kib: f64) -> String {
    format!("{:.1}", kib / 1024.0)
}

/// Memory given in KiB as MiB with one decimal and the unit (`150.3 MiB`): the same figure as
/// [`mib_number`] in a table.
#[must_use]
pub fn format_mib(kib: f64) -> String {
    format!("{} MiB", mib_number(kib))
}

/// A load in cores on a cell of `cell_cores` cores, which can use no more than them: as
/// [`format_cores`] up to the cell's cores, else `≥ 1 core` (`≥ <cell_cores> cores`). An offered
/// load is an intent computed at a calibrated cost per work unit; where it comes to more than the
/// cell has, the cell still used at most its cores, so no figure above them is printed.
#[must_use]
pub fn format_cores_within(cores: f64, cell_cores: usize) -> String {
    let shown: f64 = format!("{cores:.2}").parse().unwrap_or(cores);
    if shown > cell_cores as f64 {
        format!(
            "≥ {cell_cores} core{}",
            if cell_cores == 1 { "" } else { "s" }
        )
    } else {
        format_cores(cores)
    }
}

/// A call rate per second: whole numbers with thousands separators from 100 on, else one
/// decimal (`12.5`, `1,234`).
#[must_use]
pub fn format_rate(per_s: f64) -> String {
    if !per_s.is_finite() {
        "n/a".to_owned()
    } else if per_s >= 100.0 {
        group_thousands(per_s.round() as u64)
    } else {
        format!("{per_s:.1}")
    }
}

/// `v` with about three significant digits, trailing zeros dropped.
#[must_use]
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "?".to_owned();
    }
    if v == 0.0 {
        return "0".to_owned();
    }
    let mag = v.abs().log10().floor();
    let decimals = (2.0 - mag).clamp(0.0, 6.0) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// The unit latencies are shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Microseconds.
    Us,
    /// Milliseconds.
    Ms,
}

impl Unit {
    /// µs below [`MS_FROM_US`], ms from there on (the rule of [`us_parts`]).
    #[must_use]
    pub fn for_max_us(max_us: f64) -> Unit {
        if max_us >= MS_FROM_US {
            Unit::Ms
        } else {
            Unit::Us
        }
    }

    /// The unit's symbol.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Unit::Us => "µs",
            Unit::Ms => "ms",
        }
    }

    /// `us` in this unit.
    #[must_use]
    pub fn of_us(self, us: f64) -> f64 {
        match self {
            Unit::Us => us,
            Unit::Ms => us / 1_000.0,
        }
    }
}

/// A percentage (already × 100) as a plot's axis or bar label, e.g. `12.5%`.
#[must_use]
pub fn percent_label(pct: f64) -> String {
    format!("{}%", fmt_num(pct))
}

/// The percentile `1 − 10^−x` of `x` decades (the spectrum's axis) as a label, with as
/// many decimals as it has nines past two: 1 → "90%", 3 → "99.9%".
#[must_use]
pub fn percentile_label(x: f64) -> String {
    let pct = 100.0 * (1.0 - 10f64.powf(-x));
    let decimals = (x.round() as i64 - 2).max(0) as usize;
    format!("{pct:.decimals$}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_formats() {
        assert_eq!(format_ns(14.2), "14 ns");
        assert_eq!(format_ns(2_501.3), "2.5 µs");
        assert_eq!(format_ns(50_835.0), "51 µs");
        assert_eq!(format_ns(1_041_660.0), "1,042 µs");
        assert_eq!(format_bytes(265.7), "266 B");
        assert_eq!(format_bytes(9_833.0), "9.6 KiB");
        assert_eq!(format_bytes(-12.0), "-12 B");
        assert_eq!(format_bytes(2_000_000.0), "1,953 KiB");
    }

    #[test]
    fn formats_follow_one_rule() {
        assert_eq!(format_us(0.4), "0 µs");
        assert_eq!(format_us(812.0), "812 µs");
        assert_eq!(format_us(9_999.4), "9,999 µs");
        assert_eq!(format_us(10_000.0), "10.0 ms");
        assert_eq!(format_us(12_345.0), "12.3 ms");
        assert_eq!(format_us(1_234_567.0), "1,234.6 ms");
        assert_eq!(format_us(f64::NAN), "n/a");
        assert_eq!(format_share(0.4), "40.0 %");
        assert_eq!(format_share(0.0001), "<0.1 %");
        assert_eq!(format_share(0.0), "0.0 %");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(format_factor(3.214), "3.21×");
        assert_eq!(format_factor(31.6), "32×");
        assert_eq!(
            format_speedup_of_limit(1.62, Some(1.95)),
            "1.62× of a possible 1.95× here"
        );
        assert_eq!(
            format_speedup_of_limit(1.62, None),
            "1.62× (limit not measured)"
        );
    }

    #[test]
    fn numbers_have_three_significant_digits() {
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(fmt_num(12_345.0), "12345");
        assert_eq!(fmt_num(123.4), "123");
        assert_eq!(fmt_num(12.34), "12.3");
        assert_eq!(fmt_num(1.0), "1");
        assert_eq!(fmt_num(0.05), "0.05");
        assert_eq!(fmt_num(2.50), "2.5");
    }

    #[test]
    fn loads_and_rates() {
        assert_eq!(format_cores(0.134), "0.13 core");
        assert_eq!(format_cores(1.0), "1.00 core");
        assert_eq!(format_cores(1.325), "1.32 cores");
        // No figure above a cell's cores: a 1-core cell offered 1.02 cores used at most one.
        assert_eq!(mib_number(153_907.2), "150.3");
        assert_eq!(format_mib(153_907.2), "150.3 MiB");
        assert_eq!(format_mib(6_656.0), "6.5 MiB");
        assert_eq!(format_cores_within(1.02, 1), "≥ 1 core");
        assert_eq!(format_cores_within(1.004, 1), "1.00 core");
        assert_eq!(format_cores_within(0.97, 1), "0.97 core");
        assert_eq!(format_cores_within(2.5, 2), "≥ 2 cores");
        assert_eq!(format_cores_within(1.5, 2), "1.50 cores");
        assert_eq!(format_rate(12.46), "12.5");
        assert_eq!(format_rate(12_345.6), "12,346");
    }

    #[test]
    fn units_switch_at_ten_ms() {
        assert_eq!(Unit::for_max_us(9_999.0), Unit::Us);
        assert_eq!(Unit::for_max_us(10_000.0), Unit::Ms);
        assert_eq!(fmt_num(Unit::Ms.of_us(12_300.0)), "12.3");
    }

    #[test]
    fn percentile_labels_read_as_nines() {
        let l: Vec<String> = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
            .into_iter()
            .map(percentile_label)
            .collect();
        assert_eq!(l, ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"]);
        assert_eq!(percentile_label(2f64.log10()), "50%");
    }
}
