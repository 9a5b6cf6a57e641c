//! A [`Scene`] as SVG 1.1 that common converters (rsvg, ImageMagick, Inkscape, browsers)
//! render alike.
//!
//! Only plain presentation attributes are used: no CSS, no `dy`/`em` offsets, no
//! `dominant-baseline` (each text's `y` is its baseline), an explicit font family list
//! and font size on every text, opaque colours, and rotation as a `transform` attribute.

use super::font::SVG_FAMILY;
use super::scene::{Anchor, Scene, Shape};
use std::fmt::Write;

pub fn render(scene: &Scene) -> String {
    let (w, h) = (scene.width, scene.height);
    let mut out = String::new();
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#
    );
    let _ = writeln!(
        out,
        r##"<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>"##
    );
    for shape in &scene.shapes {
        shape_to(&mut out, shape);
    }
    out.push_str("</svg>\n");
    out
}

fn shape_to(out: &mut String, shape: &Shape) {
    match shape {
        Shape::Rect {
            x,
            y,
            w,
            h,
            fill,
            outline,
        } => {
            let stroke = match outline {
                Some((c, width)) => {
                    format!(r#" stroke="{}" stroke-width="{}""#, c.hex(), n(*width))
                }
                None => String::new(),
            };
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"{stroke}/>"#,
                n(*x),
                n(*y),
                n(*w),
                n(*h),
                fill.hex()
            );
        }
        Shape::Line {
            points,
            color,
            width,
            dash,
        } => {
            let points: Vec<String> = points
                .iter()
                .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
                .collect();
            let dash = match dash {
                Some((on, off)) => format!(r#" stroke-dasharray="{},{}""#, n(*on), n(*off)),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round"{dash}/>"#,
                points.join(" "),
                color.hex(),
                n(*width)
            );
        }
        Shape::Dot { x, y, r, fill } => {
            let _ = writeln!(
                out,
                r#"<circle cx="{}" cy="{}" r="{}" fill="{}"/>"#,
                n(*x),
                n(*y),
                n(*r),
                fill.hex()
            );
        }
        Shape::Text {
            x,
            y,
            text,
            size,
            color,
            anchor,
            vertical,
        } => {
            let anchor = match anchor {
                Anchor::Start => "start",
                Anchor::Middle => "middle",
                Anchor::End => "end",
            };
            let rotate = if *vertical {
                format!(r#" transform="rotate(-90 {} {})""#, n(*x), n(*y))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                r#"<text x="{}" y="{}" font-family="{SVG_FAMILY}" font-size="{}" fill="{}" text-anchor="{anchor}"{rotate}>{}</text>"#,
                n(*x),
                n(*y),
                n(*size),
                color.hex(),
                escape(text)
            );
        }
    }
}

/// A coordinate with at most one decimal, no trailing zeros.
fn n(v: f32) -> String {
    let v = (v * 10.0).round() / 10.0;
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::super::scene::Color;
    use super::*;

    #[test]
    fn text_has_a_baseline_font_and_no_css() {
        let mut scene = Scene::new(100, 50);
        scene.text(10.0, 20.25, "A & <B>", 14.0, Anchor::End);
        scene.vertical_text(5.0, 25.0, "count", 12.0);
        scene.dashed(vec![(0.0, 0.0), (3.33, 4.0)], Color::AXIS, 1.5);
        let svg = render(&scene);
        assert!(svg.contains(r#"x="10" y="20.3""#), "{svg}");
        assert!(svg.contains("A &amp; &lt;B&gt;"), "{svg}");
        assert!(svg.contains(r#"text-anchor="end""#), "{svg}");
        assert!(svg.contains(r#"transform="rotate(-90 5 25)""#), "{svg}");
        assert!(svg.contains(r#"points="0,0 3.3,4""#), "{svg}");
        assert!(svg.contains(r#"font-family="DejaVu Sans,"#), "{svg}");
        for css in ["style", "dy=", "dominant-baseline", "em\"", "opacity"] {
            assert!(!svg.contains(css), "{css} in {svg}");
        }
    }
}
