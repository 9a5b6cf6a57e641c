//! The chart's layout: a title, then four panels over the crash path sharing one x axis
//! (step, with SOL's price), each with a y-axis title, round ticks (whole numbers for
//! counts), a legend to its right, and the price gap marked by a dashed line.
//!
//! 1. borrowers' total maint health before the keeper runs;
//! 2. borrowers liquidatable when each price lands (bars), liquidations, perp
//!    liquidations (single and pair, and the pair ones alone) and bankruptcies so far
//!    (lines);
//! 3. bad debt so far, stacked by who bore it (insured by the insurance fund, socialised
//!    to depositors, unrecoverable), and the insurance fund's balance;
//! 4. SOL-PERP's pool value after each step, on an axis around its range (it moves by a
//!    few percent of its size).

use super::axis::{dollar_label, ticks, zoomed_ticks};
use super::font;
use super::scene::{Anchor, Color, Scene};
use crate::demo::{price_gap, Step};

pub const WIDTH: u32 = 1280;
pub const HEIGHT: u32 = 1400;

const LEFT: f32 = 120.0;
const RIGHT: f32 = 900.0;
const LEGEND_X: f32 = 930.0;
const LEGEND_W: f32 = 330.0;
const TOP: f32 = 84.0;
const PANEL_GAP: f32 = 22.0;
const BOTTOM_AXIS: f32 = 84.0;
const TICK: f32 = 13.0;
const PANELS: f32 = 4.0;

const HEALTH: Color = Color(0x1f, 0x6f, 0xb4);
const UNHEALTHY: Color = Color(0xb0, 0xb0, 0xb0);
const LIQUIDATIONS: Color = Color(0xe6, 0x7e, 0x22);
const BANKRUPTCIES: Color = Color(0x8e, 0x44, 0xad);
const PERP_LIQUIDATIONS: Color = Color(0x16, 0xa0, 0x85);
const PAIR_LIQUIDATIONS: Color = Color(0x9a, 0x7d, 0x0a);
pub const POOL: Color = Color(0x0b, 0x53, 0x94);
pub const INSURED: Color = Color(0x5d, 0xad, 0xe2);
pub const SOCIALISED: Color = Color(0xcb, 0x43, 0x35);
pub const UNRECOVERABLE: Color = Color(0x2c, 0x3e, 0x50);
pub const FUND: Color = Color(0x1e, 0x84, 0x49);
const GAP: Color = Color(0xa9, 0x1d, 0x1d);

/// How a legend entry is drawn.
enum Key {
    Line(Color),
    Bar(Color),
    Dashed(Color),
}

/// One panel's plot area and y scale.
struct Frame {
    top: f32,
    bottom: f32,
    n: usize,
    lo: f64,
    hi: f64,
}

impl Frame {
    fn band(&self) -> f32 {
        (RIGHT - LEFT) / self.n.max(1) as f32
    }

    /// Centre of step `i`.
    fn x(&self, i: usize) -> f32 {
        LEFT + (i as f32 + 0.5) * self.band()
    }

    fn y(&self, v: f64) -> f32 {
        let t = ((v - self.lo) / (self.hi - self.lo)) as f32;
        self.bottom - t * (self.bottom - self.top)
    }
}

/// The chart of `steps` for a demo with `users` borrowers.
pub fn scene(steps: &[Step], users: usize) -> Scene {
    let mut s = Scene::new(WIDTH, HEIGHT);
    let gap = price_gap(steps);
    s.text(LEFT, 34.0, &title(users), 22.0, Anchor::Start);
    s.colored_text(
        LEFT,
        60.0,
        &subtitle(steps),
        14.0,
        Color::AXIS,
        Anchor::Start,
    );

    let panel_h = (HEIGHT as f32 - TOP - BOTTOM_AXIS - (PANELS - 1.0) * PANEL_GAP) / PANELS;
    let frame = |i: usize, lo: f64, hi: f64| Frame {
        top: TOP + i as f32 * (panel_h + PANEL_GAP) + 30.0,
        bottom: TOP + i as f32 * (panel_h + PANEL_GAP) + panel_h,
        n: steps.len(),
        lo,
        hi,
    };

    // 1. Health.
    let health: Vec<f64> = steps.iter().map(|s| s.total_health).collect();
    let (f, yt) = scaled(&health, false, |lo, hi| frame(0, lo, hi));
    panel_frame(
        &mut s,
        &f,
        "Borrowers' health when each price lands",
        "maint health ($)",
    );
    y_ticks(&mut s, &f, &yt, |v, step| {
        dollar_label(v, step, f.hi.max(-f.lo))
    });
    series(&mut s, &f, &health, HEALTH);
    let mut keys = vec![(
        Key::Line(HEALTH),
        "Σ maint health of all borrowers, before the keeper runs".to_string(),
    )];
    if let Some((g, before, after)) = gap {
        keys.push((
            Key::Dashed(GAP),
            format!("price gap: SOL ${before:.0} → ${after:.0} in one step"),
        ));
        let x = LEFT + g as f32 * f.band();
        s.colored_text(
            x + 6.0,
            f.top + 14.0,
            &format!("gap: SOL ${before:.0} → ${after:.0}"),
            13.0,
            GAP,
            Anchor::Start,
        );
    }
    legend(&mut s, &f, &keys);
    let mut frames = vec![f];

    // 2. Liquidations.
    let unhealthy: Vec<f64> = steps.iter().map(|s| s.unhealthy as f64).collect();
    let liquidations: Vec<f64> = steps.iter().map(|s| s.liquidations as f64).collect();
    let bankruptcies: Vec<f64> = steps.iter().map(|s| s.bankruptcies as f64).collect();
    let perp: Vec<f64> = steps.iter().map(|s| s.perp_liquidations as f64).collect();
    let pair: Vec<f64> = steps.iter().map(|s| s.pair_liquidations as f64).collect();
    let all: Vec<f64> = [&unhealthy[..], &liquidations, &bankruptcies, &perp].concat();
    let (f, yt) = scaled(&all, true, |lo, hi| frame(1, lo, hi));
    panel_frame(
        &mut s,
        &f,
        "Liquidations",
        "count (borrowers, transactions)",
    );
    y_ticks(&mut s, &f, &yt, |v, _| format!("{v:.0}"));
    bars(&mut s, &f, &[(&unhealthy, UNHEALTHY)]);
    series(&mut s, &f, &liquidations, LIQUIDATIONS);
    series(&mut s, &f, &bankruptcies, BANKRUPTCIES);
    series(&mut s, &f, &perp, PERP_LIQUIDATIONS);
    series(&mut s, &f, &pair, PAIR_LIQUIDATIONS);
    let keys = vec![
        (
            Key::Bar(UNHEALTHY),
            "borrowers liquidatable when the price lands".to_string(),
        ),
        (
            Key::Line(LIQUIDATIONS),
            "liquidations by the keeper, cumulative".to_string(),
        ),
        (
            Key::Line(BANKRUPTCIES),
            "bankruptcies resolved, cumulative".to_string(),
        ),
        (
            Key::Line(PERP_LIQUIDATIONS),
            "SOL-PERP liquidations, single and pair, cumulative (part of the liquidations)"
                .to_string(),
        ),
        (
            Key::Line(PAIR_LIQUIDATIONS),
            "of which hedged pairs (perp and SOL hedge closed together)".to_string(),
        ),
    ];
    legend(&mut s, &f, &keys);
    frames.push(f);

    // 3. Bad debt and the insurance fund.
    let insured: Vec<f64> = steps.iter().map(|s| s.bad_debt.insured).collect();
    let socialised: Vec<f64> = steps.iter().map(|s| s.bad_debt.socialised).collect();
    let lost: Vec<f64> = steps.iter().map(|s| s.bad_debt.unrecoverable).collect();
    let fund: Vec<f64> = steps.iter().map(|s| s.insurance).collect();
    // The range covers the written-off totals and the stacked parts alike.
    let totals: Vec<f64> = steps
        .iter()
        .map(|s| {
            s.bad_debt
                .total
                .max(s.bad_debt.insured + s.bad_debt.socialised + s.bad_debt.unrecoverable)
        })
        .collect();
    let (f, yt) = scaled(&[&totals[..], &fund].concat(), false, |lo, hi| {
        frame(2, lo, hi)
    });
    panel_frame(&mut s, &f, "Bad debt and the insurance fund", "dollars");
    y_ticks(&mut s, &f, &yt, |v, step| dollar_label(v, step, f.hi));
    let mut stack = vec![(&insured, INSURED), (&socialised, SOCIALISED)];
    let mut keys = vec![
        (
            Key::Bar(INSURED),
            "bad debt insured: paid by the insurance fund, cumulative".to_string(),
        ),
        (
            Key::Bar(SOCIALISED),
            "bad debt socialised: borne by the bank's depositors, cumulative".to_string(),
        ),
    ];
    if lost.iter().any(|v| *v > 0.0) {
        stack.push((&lost, UNRECOVERABLE));
        keys.push((
            Key::Bar(UNRECOVERABLE),
            "bad debt unrecoverable: beyond what depositors held".to_string(),
        ));
    }
    let stack: Vec<(&[f64], Color)> = stack.into_iter().map(|(v, c)| (&v[..], c)).collect();
    bars(&mut s, &f, &stack);
    series(&mut s, &f, &fund, FUND);
    keys.push((
        Key::Line(FUND),
        "insurance fund: all banks' insurance vaults".to_string(),
    ));
    legend(&mut s, &f, &keys);
    frames.push(f);

    // 4. SOL-PERP's pool.
    let pool: Vec<f64> = steps.iter().map(|s| s.pool_value).collect();
    let lo = pool.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = pool.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let yt = if pool.is_empty() {
        ticks(0.0, 0.0, 4, false)
    } else {
        zoomed_ticks(lo, hi, 4)
    };
    let f = frame(3, yt[0], yt[yt.len() - 1]);
    panel_frame(
        &mut s,
        &f,
        "SOL-PERP's liquidity pool (axis around its range, not from $0)",
        "pool value ($)",
    );
    y_ticks(&mut s, &f, &yt, |v, step| {
        dollar_label(v, step, f.hi.max(-f.lo))
    });
    series(&mut s, &f, &pool, POOL);
    let keys = vec![(
        Key::Line(POOL),
        "pool value after the step: vault − traders' unsettled profit + their unsettled losses"
            .to_string(),
    )];
    legend(&mut s, &f, &keys);
    frames.push(f);

    // The gap across every panel, and the shared x axis under the last one.
    if let Some((g, _, _)) = gap {
        for f in &frames {
            let x = LEFT + g as f32 * f.band();
            s.dashed(vec![(x, f.top - 4.0), (x, f.bottom)], GAP, 1.6);
        }
    }
    let last = &frames[frames.len() - 1];
    for (i, step) in steps.iter().enumerate() {
        let x = last.x(i);
        s.text(
            x,
            last.bottom + 20.0,
            &step.step.to_string(),
            TICK,
            Anchor::Middle,
        );
        s.colored_text(
            x,
            last.bottom + 38.0,
            &format!("${:.0}", step.sol),
            TICK,
            Color::AXIS,
            Anchor::Middle,
        );
    }
    s.text(
        (LEFT + RIGHT) / 2.0,
        last.bottom + 66.0,
        "step (5 minutes apart) and SOL's price at that step",
        14.0,
        Anchor::Middle,
    );
    s
}

fn title(users: usize) -> String {
    format!("cross-margin demo: {users} borrowers through a SOL crash, liquidated by the keeper")
}

/// The crash path in words, from the steps' prices.
fn subtitle(steps: &[Step]) -> String {
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return String::new();
    };
    match price_gap(steps) {
        Some((g, before, after)) => format!(
            "SOL ${:.0} → ${before:.0} over {} steps, gaps to ${after:.0} in one step, ends at ${:.0}",
            first.sol,
            g.saturating_sub(1),
            last.sol
        ),
        None => format!("SOL ${:.0} → ${:.0}", first.sol, last.sol),
    }
}

/// The frame for `values` with round ticks; `make(lo, hi)` places it.
fn scaled(values: &[f64], integer: bool, make: impl Fn(f64, f64) -> Frame) -> (Frame, Vec<f64>) {
    let lo = values.iter().copied().fold(0.0, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    let t = ticks(lo, hi, 5, integer);
    let frame = make(t[0], t[t.len() - 1]);
    (frame, t)
}

/// Panel title, y-axis title, axes and the tick marks of every step.
fn panel_frame(s: &mut Scene, f: &Frame, title: &str, y_title: &str) {
    s.text(LEFT, f.top - 12.0, title, 16.0, Anchor::Start);
    s.vertical_text(LEFT - 78.0, (f.top + f.bottom) / 2.0, y_title, 14.0);
    for i in 0..f.n {
        let x = f.x(i);
        s.line(vec![(x, f.bottom), (x, f.bottom + 5.0)], Color::AXIS, 1.0);
    }
}

/// Horizontal grid lines and labels at `ticks`, the axes, and the zero line.
fn y_ticks(s: &mut Scene, f: &Frame, ticks: &[f64], label: impl Fn(f64, f64) -> String) {
    let step = if ticks.len() > 1 {
        ticks[1] - ticks[0]
    } else {
        1.0
    };
    for &v in ticks {
        let y = f.y(v);
        s.line(vec![(LEFT, y), (RIGHT, y)], Color::GRID, 1.0);
        s.text(LEFT - 8.0, y + 4.5, &label(v, step), TICK, Anchor::End);
    }
    s.line(
        vec![(LEFT, f.top), (LEFT, f.bottom), (RIGHT, f.bottom)],
        Color::AXIS,
        1.2,
    );
    if f.lo < 0.0 {
        s.line(vec![(LEFT, f.y(0.0)), (RIGHT, f.y(0.0))], Color::AXIS, 1.2);
    }
}

/// A line with a dot at every step.
fn series(s: &mut Scene, f: &Frame, values: &[f64], color: Color) {
    let points: Vec<(f32, f32)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (f.x(i), f.y(*v)))
        .collect();
    s.line(points.clone(), color, 2.5);
    for (x, y) in points {
        s.dot(x, y, 3.5, color);
    }
}

/// Bars stacked in the order given (each non-negative).
fn bars(s: &mut Scene, f: &Frame, stack: &[(&[f64], Color)]) {
    let w = f.band() * 0.55;
    for i in 0..f.n {
        let mut base = 0.0;
        for (values, color) in stack {
            let v = values.get(i).copied().unwrap_or(0.0).max(0.0);
            let (y0, y1) = (f.y(base), f.y(base + v));
            if y0 - y1 >= 0.5 {
                s.rect(f.x(i) - w / 2.0, y1, w, y0 - y1, *color);
            }
            base += v;
        }
    }
}

/// Legend entries right of the panel, wrapped to the legend's width.
fn legend(s: &mut Scene, f: &Frame, keys: &[(Key, String)]) {
    let size = 13.0;
    let text_x = LEGEND_X + 34.0;
    let mut y = f.top + 4.0;
    for (key, text) in keys {
        let mid = y + 5.0;
        match key {
            Key::Line(c) => {
                s.line(vec![(LEGEND_X, mid), (LEGEND_X + 24.0, mid)], *c, 2.5);
                s.dot(LEGEND_X + 12.0, mid, 3.5, *c);
            }
            Key::Bar(c) => s.rect(LEGEND_X + 5.0, mid - 7.0, 14.0, 14.0, *c),
            Key::Dashed(c) => s.dashed(vec![(LEGEND_X, mid), (LEGEND_X + 24.0, mid)], *c, 1.6),
        }
        for line in font::wrap(text, size, LEGEND_X + LEGEND_W - text_x) {
            s.text(text_x, y + 10.0, &line, size, Anchor::Start);
            y += 17.0;
        }
        y += 9.0;
    }
}

#[cfg(test)]
mod tests {
    use super::super::scene::Shape;
    use super::*;
    use crate::demo::BadDebt;
    use ab_glyph::Font;

    fn steps() -> Vec<Step> {
        [100.0, 90.0, 80.0, 50.0, 55.0]
            .iter()
            .enumerate()
            .map(|(i, &sol)| Step {
                step: i,
                sol,
                eth: 3_000.0,
                total_health: 50_000.0 - 9_000.0 * i as f64,
                unhealthy: i,
                liquidations: 2 * i as u64,
                perp_liquidations: i as u64,
                pair_liquidations: i.saturating_sub(3) as u64,
                pool_value: 250_000.0 - 1_500.0 * i as f64,
                bankruptcies: i.saturating_sub(2) as u64,
                insurance: 2_000.0 - 300.0 * i as f64,
                bad_debt: BadDebt {
                    total: 500.0 * i as f64,
                    insured: 300.0 * i as f64,
                    socialised: 200.0 * i as f64,
                    unrecoverable: 0.0,
                },
                left_unhealthy: 0,
                tripped: vec![],
                breakers: "-".into(),
            })
            .collect()
    }

    #[test]
    fn the_scene_has_titles_legends_the_gap_and_stays_on_the_canvas() {
        let scene = scene(&steps(), 7);
        let texts: Vec<&str> = scene.texts().collect();
        for expected in [
            "maint health ($)",
            "count (borrowers, transactions)",
            "dollars",
            "pool value ($)",
            "gap: SOL $80 → $50",
            "step (5 minutes apart) and SOL's price at that step",
        ] {
            assert!(texts.contains(&expected), "{expected} in {texts:?}");
        }
        assert!(texts.iter().any(|t| t.starts_with("bad debt socialised")));
        assert!(texts[0].contains("7 borrowers"));
        // Count ticks are whole numbers; dollar ticks are labelled in dollars.
        assert!(texts.contains(&"4") && !texts.iter().any(|t| t.contains(".5")));
        assert!(texts.contains(&"$50k") && texts.contains(&"$2,000"));
        let face = font::face().unwrap();
        for t in &texts {
            for c in t.chars() {
                assert_ne!(face.glyph_id(c).0, 0, "the font lacks {c:?} of {t:?}");
            }
        }
        let (w, h) = (WIDTH as f32, HEIGHT as f32);
        for shape in &scene.shapes {
            let points = match shape {
                Shape::Rect { x, y, w, h, .. } => vec![(*x, *y), (x + w, y + h)],
                Shape::Line { points, .. } => points.clone(),
                Shape::Dot { x, y, .. } => vec![(*x, *y)],
                Shape::Text {
                    x, y, text, size, ..
                } => vec![(*x, *y), (x + font::width(text, *size), *y)],
            };
            for (x, y) in points {
                assert!(
                    (0.0..=w).contains(&x) && (0.0..=h).contains(&y),
                    "{shape:?}"
                );
            }
        }
        // A dashed gap marker in every panel.
        let dashed = scene
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Line { dash: Some(_), color, .. } if *color == GAP))
            .count();
        assert_eq!(dashed, 4 + 1, "four panels and the legend key");
    }

    #[test]
    fn no_gap_no_marker_and_no_steps_no_panic() {
        let mut calm = steps();
        for (i, s) in calm.iter_mut().enumerate() {
            s.sol = 100.0 - i as f64;
        }
        let scene = scene(&calm, 3);
        assert!(!scene.texts().any(|t| t.starts_with("gap")));
        let empty = super::scene(&[], 0);
        assert!(empty.texts().count() > 5);
    }
}
