//! A [`Scene`] as an 8-bit RGB PNG, drawn with anti-aliasing by `tiny-skia`.
//!
//! Text is drawn as the embedded font's glyph outlines filled as paths, so rotated axis
//! titles need nothing special and no system font or library is involved.

use super::font;
use super::scene::{Anchor, Color, Scene, Shape};
use ab_glyph::{Font, OutlineCurve};
use anyhow::{anyhow, Context, Result};
use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect, Stroke, StrokeDash, Transform,
};

/// The PNG file's bytes.
pub fn render(scene: &Scene) -> Result<Vec<u8>> {
    let mut pixmap = Pixmap::new(scene.width, scene.height)
        .ok_or_else(|| anyhow!("chart size {}×{} is empty", scene.width, scene.height))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    for shape in &scene.shapes {
        draw(&mut pixmap, shape)?;
    }
    encode(&pixmap)
}

fn paint(color: Color) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(color.0, color.1, color.2, 255);
    paint.anti_alias = true;
    paint
}

fn draw(pixmap: &mut Pixmap, shape: &Shape) -> Result<()> {
    let id = Transform::identity();
    match shape {
        Shape::Rect {
            x,
            y,
            w,
            h,
            fill,
            outline,
        } => {
            // Zero-height bars (a value of 0) draw nothing.
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                pixmap.fill_rect(rect, &paint(*fill), id, None);
                if let Some((color, width)) = outline {
                    let path = PathBuilder::from_rect(rect);
                    let stroke = Stroke {
                        width: *width,
                        ..Stroke::default()
                    };
                    pixmap.stroke_path(&path, &paint(*color), &stroke, id, None);
                }
            }
        }
        Shape::Line {
            points,
            color,
            width,
            dash,
        } => {
            let mut pb = PathBuilder::new();
            for (i, (x, y)) in points.iter().enumerate() {
                if i == 0 {
                    pb.move_to(*x, *y);
                } else {
                    pb.line_to(*x, *y);
                }
            }
            if let Some(path) = pb.finish() {
                let stroke = Stroke {
                    width: *width,
                    line_cap: LineCap::Round,
                    line_join: LineJoin::Round,
                    dash: dash.and_then(|(on, off)| StrokeDash::new(vec![on, off], 0.0)),
                    ..Stroke::default()
                };
                pixmap.stroke_path(&path, &paint(*color), &stroke, id, None);
            }
        }
        Shape::Dot { x, y, r, fill } => {
            if let Some(path) = PathBuilder::from_circle(*x, *y, *r) {
                pixmap.fill_path(&path, &paint(*fill), FillRule::Winding, id, None);
            }
        }
        Shape::Text {
            x,
            y,
            text,
            size,
            color,
            anchor,
            vertical,
        } => text_at(pixmap, (*x, *y), text, *size, *color, *anchor, *vertical)?,
    }
    Ok(())
}

/// Fill the glyph outlines of `text`: laid out in font units (y up) along one path, then
/// scaled, flipped, anchored and, for vertical text, turned a quarter counter-clockwise
/// about `(x, y)`.
fn text_at(
    pixmap: &mut Pixmap,
    (x, y): (f32, f32),
    text: &str,
    size: f32,
    color: Color,
    anchor: Anchor,
    vertical: bool,
) -> Result<()> {
    let face = font::face().context("the chart's embedded font is unreadable")?;
    let s = font::scale(face, size);
    let mut pb = PathBuilder::new();
    let mut pen = 0.0;
    for c in text.chars() {
        let glyph = face.glyph_id(c);
        if let Some(outline) = face.outline(glyph) {
            let mut last = None;
            for curve in &outline.curves {
                let (start, end) = match curve {
                    OutlineCurve::Line(a, b) => (*a, *b),
                    OutlineCurve::Quad(a, _, b) => (*a, *b),
                    OutlineCurve::Cubic(a, _, _, b) => (*a, *b),
                };
                if last != Some(start) {
                    if last.is_some() {
                        pb.close();
                    }
                    pb.move_to(pen + start.x, start.y);
                }
                match curve {
                    OutlineCurve::Line(_, b) => pb.line_to(pen + b.x, b.y),
                    OutlineCurve::Quad(_, c, b) => pb.quad_to(pen + c.x, c.y, pen + b.x, b.y),
                    OutlineCurve::Cubic(_, c1, c2, b) => {
                        pb.cubic_to(pen + c1.x, c1.y, pen + c2.x, c2.y, pen + b.x, b.y)
                    }
                }
                last = Some(end);
            }
            if last.is_some() {
                pb.close();
            }
        }
        pen += face.h_advance_unscaled(glyph);
    }
    let Some(path) = pb.finish() else {
        return Ok(()); // only spaces
    };
    let shift = match anchor {
        Anchor::Start => 0.0,
        Anchor::Middle => -pen * s / 2.0,
        Anchor::End => -pen * s,
    };
    // (u, v) in font units → pixels.
    let transform = if vertical {
        Transform::from_row(0.0, -s, -s, 0.0, x, y - shift)
    } else {
        Transform::from_row(s, 0.0, 0.0, -s, x + shift, y)
    };
    pixmap.fill_path(&path, &paint(color), FillRule::Winding, transform, None);
    Ok(())
}

/// 8-bit RGB (every pixel is opaque: the canvas starts white).
fn encode(pixmap: &Pixmap) -> Result<Vec<u8>> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut bytes = vec![];
    let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().context("encoding the PNG chart")?;
    writer
        .write_image_data(&rgb)
        .context("encoding the PNG chart")?;
    writer.finish().context("encoding the PNG chart")?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        (info.width, info.height, buf[..info.buffer_size()].to_vec())
    }

    #[test]
    fn shapes_and_text_leave_ink_where_they_are_drawn() {
        let mut scene = Scene::new(120, 60);
        scene.rect(0.0, 0.0, 10.0, 10.0, Color(255, 0, 0));
        scene.text(20.0, 40.0, "Hello", 20.0, Anchor::Start);
        scene.vertical_text(110.0, 30.0, "TOP", 14.0);
        let (w, h, rgb) = decode(&render(&scene).unwrap());
        assert_eq!((w, h), (120, 60));
        let px = |x: usize, y: usize| &rgb[(y * 120 + x) * 3..(y * 120 + x) * 3 + 3];
        assert_eq!(px(5, 5), &[255, 0, 0]);
        // Text ink: dark pixels between the baseline and the cap height, none below the
        // baseline for "Hello" (no descenders) and none far to the left of the start.
        let dark = |x0: usize, x1: usize, y0: usize, y1: usize| {
            (y0..y1)
                .flat_map(|y| (x0..x1).map(move |x| (x, y)))
                .filter(|&(x, y)| px(x, y)[0] < 128)
                .count()
        };
        assert!(dark(20, 80, 25, 40) > 50);
        assert_eq!(dark(20, 80, 42, 60), 0);
        assert_eq!(dark(12, 18, 20, 60), 0);
        // Vertical text (no descenders) sits left of its baseline x = 110.
        assert!(dark(96, 110, 15, 45) > 10);
        assert_eq!(dark(112, 120, 0, 60), 0);
    }
}
