//! The plots' colours: a distinct colour per strategy, the same in every figure of a results
//! folder ([`Palette`]), the shade or dash that tells core counts apart, and the fixed colours
//! of text, grid lines and failed or not-ok cells.
//!
//! The strategy colours are one qualitative palette: Tableau 10 (d3's `category10`), one fixed
//! colour for each of the ten known strategies ([`KNOWN`]), then six darker spares
//! ([`SPARE`]) for strategies the report does not know, taken in the order those first appear
//! in the results. Any two of the sixteen are more than [`MIN_DISTANCE`] apart in RGB.

use lab::row::Results;
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

/// The known strategies and their colours (Tableau 10), the same in every run.
pub(crate) const KNOWN: [(&str, RGBColor); 10] = [
    ("sequential", RGBColor(0x7f, 0x7f, 0x7f)), // grey
    ("threads", RGBColor(0x1f, 0x77, 0xb4)),    // blue
    ("green", RGBColor(0x2c, 0xa0, 0x2c)),      // green
    ("async-std", RGBColor(0x94, 0x67, 0xbd)),  // purple
    ("rayon", RGBColor(0xff, 0x7f, 0x0e)),      // orange
    ("tokio", RGBColor(0xd6, 0x27, 0x28)),      // red
    ("tokio-mt", RGBColor(0x17, 0xbe, 0xcf)),   // cyan
    ("smol", RGBColor(0xe3, 0x77, 0xc2)),       // pink
    ("hybrid", RGBColor(0x8c, 0x56, 0x4b)),     // brown
    ("event-loop", RGBColor(0xbc, 0xbd, 0x22)), // olive
];

/// The colours of strategies not in [`KNOWN`], in the order they are handed out.
pub(crate) const SPARE: [RGBColor; 6] = [
    RGBColor(0x1a, 0x2a, 0x6c), // navy
    RGBColor(0x00, 0x79, 0x6b), // teal
    RGBColor(0xb5, 0x17, 0x9e), // magenta
    RGBColor(0x5d, 0x7a, 0x14), // moss
    RGBColor(0x7a, 0x2e, 0x0e), // rust
    RGBColor(0x4b, 0x00, 0x82), // indigo
];

/// Any two colours of [`KNOWN`] and [`SPARE`] are further apart than this in RGB (Euclidean,
/// 0–255 a channel); the closest pair, sequential's grey and hybrid's brown, is 67 apart.
pub(crate) const MIN_DISTANCE: f64 = 60.0;

/// Euclidean distance of two colours in RGB.
#[must_use]
pub(crate) fn distance(a: RGBColor, b: RGBColor) -> f64 {
    let d = |x: u8, y: u8| (f64::from(x) - f64::from(y)).powi(2);
    (d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)).sqrt()
}

/// The colour of each strategy of one results folder: a known strategy's fixed colour, and for
/// each other name, in the order it first appears in the results, the next colour no strategy
/// has (a [`SPARE`], then generated ones). Built once from the whole results, so a strategy has
/// the same colour in every plot.
#[derive(Clone, Debug)]
pub(crate) struct Palette {
    /// The unknown strategies and their colours, in order.
    others: Vec<(String, RGBColor)>,
    /// Every strategy, in the order it first appears in the results: the legend order of every
    /// plot ([`Palette::rank`]).
    order: Vec<String>,
}

impl Palette {
    /// The palette of every strategy named in `results`: rows, timeline runs, capacity.
    #[must_use]
    pub(crate) fn of(results: &Results) -> Palette {
        let capacity = results.capacity.iter().flat_map(|c| &c.scenarios);
        let memory = results.memory.iter().flat_map(|m| &m.strategies);
        let names = results
            .rows
            .iter()
            .map(|r| r.strategy.as_str())
            .chain(memory.map(|s| s.strategy.as_str()))
            .chain(results.timelines.iter().map(|t| t.strategy.as_str()))
            .chain(capacity.flat_map(|sc| {
                sc.searches
                    .iter()
                    .map(|s| s.strategy.as_str())
                    .chain(sc.scaling.iter().map(|s| s.strategy.as_str()))
            }));
        Palette::new(names)
    }

    /// The palette of `names` (repeats and known names are fine).
    #[must_use]
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Palette {
        let mut p = Palette {
            others: Vec::new(),
            order: Vec::new(),
        };
        for name in names {
            if !p.order.iter().any(|n| n == name) {
                p.order.push(name.to_owned());
            }
            if known(name).is_none() && !p.others.iter().any(|(n, _)| n == name) {
                let c = p.next();
                p.others.push((name.to_owned(), c));
            }
        }
        p
    }

    /// The colour of strategy `name`. A name the palette was not built with gets the colour the
    /// next new strategy would get.
    #[must_use]
    pub(crate) fn colour(&self, name: &str) -> RGBColor {
        known(name)
            .or_else(|| {
                self.others
                    .iter()
                    .find_map(|(n, c)| (n == name).then_some(*c))
            })
            .unwrap_or_else(|| self.next())
    }

    /// Where strategy `name` stands in every legend: its first appearance in the results (rows,
    /// then timelines, then capacity); a name the palette was not built with comes last.
    #[must_use]
    pub(crate) fn rank(&self, name: &str) -> usize {
        self.order
            .iter()
            .position(|n| n == name)
            .unwrap_or(self.order.len())
    }

    /// `names` in legend order ([`Palette::rank`]), each once.
    #[must_use]
    pub(crate) fn ordered<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        let mut v: Vec<&str> = Vec::new();
        for n in names {
            if !v.contains(&n) {
                v.push(n);
            }
        }
        v.sort_by_key(|n| self.rank(n));
        v
    }

    /// The first colour no strategy has: a [`SPARE`] while one is left, then a generated one
    /// (hues a golden angle apart) at least [`MIN_DISTANCE`] from every colour taken where
    /// there is one, else the first not taken.
    fn next(&self) -> RGBColor {
        let taken: Vec<RGBColor> = KNOWN
            .iter()
            .map(|k| k.1)
            .chain(self.others.iter().map(|o| o.1))
            .collect();
        if let Some(c) = SPARE.iter().find(|c| !taken.contains(c)) {
            return *c;
        }
        let free = |min: f64| {
            (0..720)
                .map(generated)
                .find(|c| taken.iter().all(|t| distance(*c, *t) > min))
        };
        free(MIN_DISTANCE)
            .or_else(|| free(0.0))
            .unwrap_or(RGBColor(0, 0, 0))
    }
}

/// The fixed colour of a known strategy.
fn known(name: &str) -> Option<RGBColor> {
    KNOWN.iter().find_map(|(n, c)| (*n == name).then_some(*c))
}

/// The `i`-th generated colour: hue `i` golden angles round, saturation 0.7, three values.
fn generated(i: usize) -> RGBColor {
    let h = (i as f64 * 137.507_764).rem_euclid(360.0) / 60.0;
    let v = [0.75, 0.55, 0.9][i % 3];
    let s = 0.7;
    let c = v * s;
    let x = c * (1.0 - (h.rem_euclid(2.0) - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    let u = |f: f64| ((f + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    RGBColor(u(r), u(g), u(b))
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

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 10] = [
        "sequential",
        "threads",
        "green",
        "async-std",
        "rayon",
        "tokio",
        "tokio-mt",
        "smol",
        "hybrid",
        "event-loop",
    ];

    #[test]
    fn the_ten_known_strategies_have_fixed_colours_far_apart() {
        let p = Palette::new([]);
        let colours: Vec<RGBColor> = NAMES.iter().map(|n| p.colour(n)).collect();
        for (i, a) in colours.iter().enumerate() {
            for (j, b) in colours.iter().enumerate().skip(i + 1) {
                assert!(
                    distance(*a, *b) > MIN_DISTANCE,
                    "{} and {} are {:.1} apart",
                    NAMES[i],
                    NAMES[j],
                    distance(*a, *b)
                );
            }
        }
        // Fixed: whatever else the results hold, and in whichever order.
        let q = Palette::new(["mystery", "tokio-mt", "event-loop", "tokio"]);
        for (n, c) in NAMES.iter().zip(&colours) {
            assert_eq!(q.colour(n), *c, "{n}");
        }
        // The whole palette, spares included, keeps the bound.
        let all: Vec<RGBColor> = KNOWN.iter().map(|k| k.1).chain(SPARE).collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(distance(*a, *b) > MIN_DISTANCE, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn unknown_strategies_take_the_next_unused_colour() {
        let known: Vec<RGBColor> = KNOWN.iter().map(|k| k.1).collect();
        let names: Vec<String> = (0..20).map(|i| format!("new-{i}")).collect();
        let p = Palette::new(
            ["tokio", "new-0", "threads", "new-0"]
                .into_iter()
                .chain(names.iter().map(String::as_str)),
        );
        // In order of first appearance: the spares, then generated colours.
        assert_eq!(p.colour("new-0"), SPARE[0]);
        assert_eq!(p.colour("new-1"), SPARE[1]);
        // Every one differs from every colour before it; the first twelve (the six spares and
        // six generated) are also further than the bound from all of them.
        let mut seen = known.clone();
        for (i, n) in names.iter().enumerate() {
            let c = p.colour(n);
            assert!(!seen.contains(&c), "{n} shares {c:?}");
            if i < 12 {
                assert!(
                    seen.iter().all(|k| distance(*k, c) > MIN_DISTANCE),
                    "{n}: {c:?} near another colour"
                );
            }
            seen.push(c);
        }
        // Stable: the same names give the same colours.
        let again = Palette::new(
            ["tokio", "new-0", "threads", "new-0"]
                .into_iter()
                .chain(names.iter().map(String::as_str)),
        );
        for n in &names {
            assert_eq!(p.colour(n), again.colour(n));
        }
        // A name the palette was not built with still gets a colour no strategy has.
        let stray = Palette::new(["new-0"]).colour("stray");
        assert_eq!(stray, SPARE[1]);
        assert!(!known.contains(&stray));
    }

    #[test]
    fn the_palette_of_results_covers_every_strategy_named() {
        let mut r = lab::fixtures::sample_results();
        r.rows[0].strategy = "brand-new".into();
        let p = Palette::of(&r);
        assert_eq!(p.colour("brand-new"), SPARE[0]);
        // The legend order is the results' order, whatever order a plot meets the names in.
        assert_eq!(
            p.ordered(["threads", "sequential", "brand-new", "threads"]),
            ["brand-new", "sequential", "threads"]
        );
        assert_eq!(p.rank("never-seen"), 3);
        assert_eq!(p.colour("threads"), RGBColor(0x1f, 0x77, 0xb4));
    }

    #[test]
    fn tints() {
        assert_eq!(tint(RGBColor(0, 0, 0), 1.0), RGBColor(255, 255, 255));
        assert_eq!(tint(RGBColor(10, 20, 30), 0.0), RGBColor(10, 20, 30));
    }
}
