//! Text in the plots: styles by SVG font size, a label placed by its anchor, and the title
//! strip at the top of a figure.
//!
//! Text needs no font file: without plotters' `ttf`/`ab_glyph` features it uses its built-in
//! "naive" font, which only *estimates* a text's size (≈0.57 em per character) for layout, and
//! the SVG backend writes `<text>` elements that the viewer lays out with its own
//! `sans-serif`. Every label here is placed by an anchor (start/middle/end), so an estimate
//! that is a little off never misplaces text.

use super::Area;
use super::colour::{INK, MUTED};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The font family written into the SVG (the viewer picks the actual font).
pub(crate) const FONT: &str = "sans-serif";

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

/// `s` broken at spaces into lines of at most `width` characters (a longer word stands alone).
#[must_use]
pub(crate) fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        assert_eq!(wrap("aa bb cc dd", 5), ["aa bb", "cc dd"]);
        assert_eq!(wrap("a verylongword b", 4), ["a", "verylongword", "b"]);
        assert!(wrap("", 10).is_empty());
    }
}
