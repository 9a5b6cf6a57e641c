//! The chart's one typeface, compiled into the binary so the PNG needs no system fonts.
//!
//! `font/DejaVuSans-subset.ttf` is DejaVu Sans 2.37 cut down to the characters the chart
//! uses (Latin-1, a few Greek letters, dashes, arrows and math signs): 26 kB instead of
//! 760 kB. Its licence and how it was made are in `font/README.md`. The SVG names the same
//! family first, so a viewer that has DejaVu Sans shows the PNG's letters and others fall
//! back to a similar sans-serif.

use ab_glyph::{Font, FontRef};
use std::sync::OnceLock;

const BYTES: &[u8] = include_bytes!("font/DejaVuSans-subset.ttf");

/// The font-family list the SVG asks for: the embedded face first, then faces with
/// similar metrics, then the generic family.
pub const SVG_FAMILY: &str = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";

/// The parsed font, or `None` if the embedded bytes were unreadable (a unit test proves
/// they are not).
pub fn face() -> Option<&'static FontRef<'static>> {
    static FACE: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FACE.get_or_init(|| FontRef::try_from_slice(BYTES).ok())
        .as_ref()
}

/// Font units to pixels at `size` px per em.
pub fn scale(face: &FontRef, size: f32) -> f32 {
    size / face.units_per_em().unwrap_or(2048.0)
}

/// Advance width of `text` at `size` px per em (no kerning: the PNG writer places glyphs
/// the same way).
pub fn width(text: &str, size: f32) -> f32 {
    match face() {
        Some(face) => {
            let s = scale(face, size);
            text.chars()
                .map(|c| face.h_advance_unscaled(face.glyph_id(c)) * s)
                .sum()
        }
        None => text.chars().count() as f32 * size * 0.6,
    }
}

/// `text` cut at spaces into lines no wider than `max` pixels (a word wider than `max`
/// gets a line of its own).
pub fn wrap(text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if width(&format!("{line} {word}"), size) <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_has_every_character_the_chart_uses() {
        let face = face().expect("the embedded font parses");
        for c in "Σ maint health ($) → −45 % · Δ – — … ≥ ×".chars() {
            assert_ne!(face.glyph_id(c).0, 0, "no glyph for {c:?}");
        }
        // DejaVu Sans: 'M' is wider than 'i', and widths scale with the size.
        assert!(width("M", 20.0) > width("i", 20.0));
        assert!((width("step", 20.0) - 2.0 * width("step", 10.0)).abs() < 1e-3);
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let lines = wrap(
            "insured: paid by the insurance fund, cumulative",
            13.0,
            120.0,
        );
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 13.0) <= 120.0), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "insured: paid by the insurance fund, cumulative"
        );
    }
}
