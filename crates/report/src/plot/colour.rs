//! The plots' colours: one per strategy (the same in every figure, [`strategy_colour`]), the
//! shade or dash that tells core counts apart, and the fixed colours of text, grid lines and
//! failed or not-ok cells.

use plotters::prelude::*;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_stable() {
        assert_eq!(strategy_colour("whatever"), strategy_colour("whatever"));
        assert_ne!(strategy_colour("threads"), strategy_colour("rayon"));
        assert_eq!(tint(RGBColor(0, 0, 0), 1.0), RGBColor(255, 255, 255));
    }
}
