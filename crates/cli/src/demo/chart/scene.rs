//! What the chart is made of, independent of the file format: filled rectangles, lines,
//! dots and text with an explicit baseline and anchor, in pixels from the top left.
//!
//! The layout is computed once into a [`Scene`]; the SVG and PNG writers only translate
//! shapes, so both files show the same chart and neither needs a layout engine.

/// An opaque colour.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub const BLACK: Color = Color(0x20, 0x20, 0x20);
    pub const WHITE: Color = Color(0xff, 0xff, 0xff);
    pub const GRID: Color = Color(0xe3, 0xe3, 0xe3);
    pub const AXIS: Color = Color(0x60, 0x60, 0x60);

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Which point of the text `x` names.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A filled rectangle with an optional outline (colour, width).
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Color,
        outline: Option<(Color, f32)>,
    },
    /// An open polyline, optionally dashed (on, off lengths).
    Line {
        points: Vec<(f32, f32)>,
        color: Color,
        width: f32,
        dash: Option<(f32, f32)>,
    },
    /// A filled circle.
    Dot { x: f32, y: f32, r: f32, fill: Color },
    /// Text whose baseline passes through `y` (after rotation, for vertical text: the
    /// text then reads bottom to top and `x` is the baseline).
    Text {
        x: f32,
        y: f32,
        text: String,
        size: f32,
        color: Color,
        anchor: Anchor,
        vertical: bool,
    },
}

/// A whole chart: its size in pixels and its shapes, painted in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    pub width: u32,
    pub height: u32,
    pub shapes: Vec<Shape>,
}

impl Scene {
    pub fn new(width: u32, height: u32) -> Self {
        Scene {
            width,
            height,
            shapes: vec![],
        }
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Color) {
        self.shapes.push(Shape::Rect {
            x,
            y,
            w,
            h,
            fill,
            outline: None,
        });
    }

    pub fn line(&mut self, points: Vec<(f32, f32)>, color: Color, width: f32) {
        self.shapes.push(Shape::Line {
            points,
            color,
            width,
            dash: None,
        });
    }

    pub fn dashed(&mut self, points: Vec<(f32, f32)>, color: Color, width: f32) {
        self.shapes.push(Shape::Line {
            points,
            color,
            width,
            dash: Some((6.0, 4.0)),
        });
    }

    pub fn dot(&mut self, x: f32, y: f32, r: f32, fill: Color) {
        self.shapes.push(Shape::Dot { x, y, r, fill });
    }

    pub fn text(&mut self, x: f32, y: f32, text: &str, size: f32, anchor: Anchor) {
        self.colored_text(x, y, text, size, Color::BLACK, anchor);
    }

    pub fn colored_text(
        &mut self,
        x: f32,
        y: f32,
        text: &str,
        size: f32,
        color: Color,
        anchor: Anchor,
    ) {
        self.shapes.push(Shape::Text {
            x,
            y,
            text: text.to_string(),
            size,
            color,
            anchor,
            vertical: false,
        });
    }

    /// Text reading bottom to top, centred on `(x, y)` with its baseline at `x`.
    pub fn vertical_text(&mut self, x: f32, y: f32, text: &str, size: f32) {
        self.shapes.push(Shape::Text {
            x,
            y,
            text: text.to_string(),
            size,
            color: Color::BLACK,
            anchor: Anchor::Middle,
            vertical: true,
        });
    }

    /// Every text in the scene, in painting order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.shapes.iter().filter_map(|s| match s {
            Shape::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}
