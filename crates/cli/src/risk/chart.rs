//! The risk commands' charts, painted with the demo's scene (SVG and PNG from one layout):
//! a histogram with VaR and ES marked, and line charts (bad debt against shock size with
//! and without cascade feedback; cascade depth).

use crate::demo::chart::scene::{Anchor, Color, Scene};
use crate::demo::chart::{dollars, write_scene, ChartPaths};
use anyhow::Result;
use std::path::Path;

pub const BLUE: Color = Color(0x2f, 0x6d, 0xb5);
pub const RED: Color = Color(0xc0, 0x39, 0x2b);
pub const ORANGE: Color = Color(0xe6, 0x7e, 0x22);
pub const GREY: Color = Color(0x90, 0x90, 0x90);

/// A panel's place on the canvas.
#[derive(Copy, Clone, Debug)]
pub struct Frame {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Frame {
    /// The plotting area inside the frame (room for the title and axis labels).
    fn plot(&self) -> Frame {
        Frame {
            x: self.x + 70.0,
            y: self.y + 34.0,
            w: self.w - 90.0,
            h: self.h - 80.0,
        }
    }
}

fn axes(scene: &mut Scene, f: &Frame, title: &str, x_label: &str, y_label: &str) -> Frame {
    let p = f.plot();
    scene.text(f.x + f.w / 2.0, f.y + 18.0, title, 15.0, Anchor::Middle);
    scene.rect(p.x, p.y, p.w, p.h, Color(0xfa, 0xfa, 0xfa));
    scene.line(
        vec![(p.x, p.y), (p.x, p.y + p.h), (p.x + p.w, p.y + p.h)],
        Color::AXIS,
        1.0,
    );
    scene.text(
        p.x + p.w / 2.0,
        p.y + p.h + 38.0,
        x_label,
        12.0,
        Anchor::Middle,
    );
    scene.vertical_text(f.x + 14.0, p.y + p.h / 2.0, y_label, 12.0);
    p
}

fn nice_max(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let e = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * e)
        .find(|m| *m >= v)
        .unwrap_or(10.0 * e)
}

/// A histogram of `values` (USD) in `bins` bins, with vertical `markers` (label, x, colour).
pub fn histogram(
    scene: &mut Scene,
    f: Frame,
    title: &str,
    x_label: &str,
    values: &[f64],
    bins: usize,
    markers: &[(String, f64, Color)],
) {
    let p = axes(scene, &f, title, x_label, "paths");
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() || bins == 0 {
        return;
    }
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = markers
        .iter()
        .map(|m| m.1)
        .chain(finite.iter().copied())
        .fold(f64::NEG_INFINITY, f64::max);
    let span = (hi - lo).max(1e-9);
    let mut counts = vec![0usize; bins];
    for v in &finite {
        let i = (((v - lo) / span) * bins as f64) as usize;
        counts[i.min(bins - 1)] += 1;
    }
    let top = nice_max(*counts.iter().max().unwrap_or(&1) as f64);
    let bw = p.w / bins as f32;
    for (i, c) in counts.iter().enumerate() {
        let h = (*c as f64 / top) as f32 * p.h;
        scene.rect(
            p.x + i as f32 * bw,
            p.y + p.h - h,
            bw.max(1.0) - 0.5,
            h,
            BLUE,
        );
    }
    let x_of = |v: f64| p.x + ((v - lo) / span) as f32 * p.w;
    for (k, (label, v, color)) in markers.iter().enumerate() {
        let x = x_of(*v);
        scene.dashed(vec![(x, p.y), (x, p.y + p.h)], *color, 2.0);
        // Labels right of the line, or left of it near the right edge.
        let (dx, anchor) = if x > p.x + 0.65 * p.w {
            (-4.0, Anchor::End)
        } else {
            (4.0, Anchor::Start)
        };
        scene.colored_text(
            x + dx,
            p.y + 14.0 + 14.0 * k as f32,
            label,
            11.0,
            *color,
            anchor,
        );
    }
    for (v, anchor) in [(lo, Anchor::Start), (hi, Anchor::End)] {
        scene.text(x_of(v), p.y + p.h + 16.0, &dollars(v, 0), 11.0, anchor);
    }
    scene.text(
        p.x - 6.0,
        p.y + 4.0,
        &format!("{top:.0}"),
        11.0,
        Anchor::End,
    );
    scene.text(p.x - 6.0, p.y + p.h, "0", 11.0, Anchor::End);
}

/// One line: its legend, its points and its colour.
pub type Series = (String, Vec<(f64, f64)>, Color);

/// Line series over a shared x axis; `x_fmt` labels the x ticks, `y_fmt` the y ones.
#[allow(clippy::too_many_arguments)]
pub fn lines(
    scene: &mut Scene,
    f: Frame,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    x_fmt: &dyn Fn(f64) -> String,
    y_fmt: &dyn Fn(f64) -> String,
) {
    let p = axes(scene, &f, title, x_label, y_label);
    let pts = series.iter().flat_map(|s| s.1.iter());
    let (mut x0, mut x1, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, 0f64);
    for &(x, y) in pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    if !x0.is_finite() {
        return;
    }
    let y1 = nice_max(y1);
    let xs = (x1 - x0).max(1e-9);
    let at = |x: f64, y: f64| {
        (
            p.x + ((x - x0) / xs) as f32 * p.w,
            p.y + p.h - (y / y1) as f32 * p.h,
        )
    };
    for (k, (label, pts, color)) in series.iter().enumerate() {
        scene.line(pts.iter().map(|&(x, y)| at(x, y)).collect(), *color, 2.0);
        for &(x, y) in pts {
            let (px, py) = at(x, y);
            scene.dot(px, py, 2.5, *color);
        }
        scene.colored_text(
            p.x + 8.0,
            p.y + 14.0 + 14.0 * k as f32,
            label,
            11.0,
            *color,
            Anchor::Start,
        );
    }
    // Every x of the first series when there are few, else the ends and the middle.
    let few: Vec<f64> = series
        .first()
        .map(|s| s.1.iter().map(|p| p.0).collect())
        .unwrap_or_default();
    let ticks = if (2..=13).contains(&few.len()) {
        few
    } else {
        vec![x0, (x0 + x1) / 2.0, x1]
    };
    for x in ticks {
        let (px, _) = at(x, 0.0);
        scene.text(px, p.y + p.h + 16.0, &x_fmt(x), 11.0, Anchor::Middle);
    }
    scene.text(p.x - 6.0, p.y + 4.0, &y_fmt(y1), 11.0, Anchor::End);
    scene.text(p.x - 6.0, p.y + p.h, &y_fmt(0.0), 11.0, Anchor::End);
}

/// A white canvas of `panels` stacked panels, each 900 × 320.
pub fn canvas(panels: usize) -> (Scene, Vec<Frame>) {
    let (w, h) = (900.0, 320.0);
    let mut scene = Scene::new(w as u32, (h * panels as f32) as u32);
    scene.rect(0.0, 0.0, w, h * panels as f32, Color::WHITE);
    let frames = (0..panels)
        .map(|i| Frame {
            x: 0.0,
            y: i as f32 * h,
            w,
            h,
        })
        .collect();
    (scene, frames)
}

/// Write `scene` to `out` (.svg and .png); returns the two paths for the report.
pub fn save(out: &Path, scene: &Scene) -> Result<ChartPaths> {
    let paths = ChartPaths::for_out(out)?;
    write_scene(&paths, scene)?;
    Ok(paths)
}
