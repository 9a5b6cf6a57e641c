//! Axis ticks at round values (1, 2 or 5 × a power of ten; whole numbers for counts) and
//! their labels, so a reader never sees "2.5 liquidations" or "$23457.19" on an axis.

/// Tick values from a round number at or below `min(lo, 0)` to one at or above
/// `max(hi, 0)`, about `target` intervals apart. With `integer`, the step is a whole number
/// of at least 1. Non-finite bounds count as 0.
pub fn ticks(lo: f64, hi: f64, target: usize, integer: bool) -> Vec<f64> {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let lo = finite(lo).min(0.0);
    let mut hi = finite(hi).max(0.0);
    // hi ≥ 0 ≥ lo; a (near) empty span gets a unit one.
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let step = step(hi - lo, target.max(1), integer);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// Ticks at round values around `lo ..= hi` alone (not from 0), about `target` intervals
/// apart: for a series that moves little relative to its size, like a pool's value.
pub fn zoomed_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let (lo, hi) = (finite(lo), finite(hi));
    let span = if hi - lo < 1e-9 {
        lo.abs().max(1.0) * 0.01
    } else {
        hi - lo
    };
    let step = step(span, target.max(1), false);
    let first = (lo / step).floor() as i64;
    let last = ((hi / step).ceil() as i64).max(first + 1);
    (first..=last).map(|i| i as f64 * step).collect()
}

/// The smallest of 1, 2, 5 × 10^k that cuts `span` into at most `target + 1` intervals
/// (at least 1 with `integer`).
fn step(span: f64, target: usize, integer: bool) -> f64 {
    let raw = span / target as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| span / s <= (target + 1) as f64 + 1e-9)
        .unwrap_or(10.0 * magnitude);
    if integer {
        step.round().max(1.0)
    } else {
        step
    }
}

/// Decimals needed to tell ticks `step` apart.
fn decimals(step: f64) -> usize {
    if step <= 0.0 || !step.is_finite() {
        return 0;
    }
    (-step.log10().floor()).clamp(0.0, 4.0) as usize
}

/// A dollar tick label: `$20k` on axes reaching $10,000 or more, `$1,500` below that.
pub fn dollar_label(value: f64, step: f64, top: f64) -> String {
    if value == 0.0 {
        "$0".to_string()
    } else if top.abs() >= 10_000.0 {
        let k = value / 1_000.0;
        let sign = if k < 0.0 { "−" } else { "" };
        format!("{sign}${}k", grouped(k.abs(), decimals(step / 1_000.0)))
    } else {
        dollars(value, decimals(step))
    }
}

/// `$1,234.56` (a true minus sign when negative).
pub fn dollars(value: f64, decimals: usize) -> String {
    let sign = if value < 0.0 && value.abs() >= 0.5 * 10f64.powi(-(decimals as i32)) {
        "−"
    } else {
        ""
    };
    format!("{sign}${}", grouped(value.abs(), decimals))
}

/// A non-negative number with thousands separators.
fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_ticks_are_whole_numbers_from_zero() {
        assert_eq!(ticks(0.0, 3.0, 5, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            ticks(0.0, 26.0, 5, true),
            vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0]
        );
        assert_eq!(ticks(0.0, 0.0, 5, true), vec![0.0, 1.0]);
        let t = ticks(0.0, 17.0, 6, true);
        assert!(t.iter().all(|v| v.fract() == 0.0) && *t.last().unwrap() >= 17.0);
    }

    #[test]
    fn dollar_ticks_cover_the_range_at_round_steps() {
        let t = ticks(25_705.0, 111_323.0, 5, false);
        assert_eq!(t.first(), Some(&0.0));
        assert_eq!(t.last(), Some(&120_000.0));
        assert_eq!(t[1], 20_000.0);
        assert_eq!(
            ticks(-130.0, 40.0, 4, false),
            vec![-150.0, -100.0, -50.0, 0.0, 50.0]
        );
        let t = ticks(f64::NAN, f64::INFINITY, 4, false);
        assert_eq!((t[0], t[t.len() - 1], t.len()), (0.0, 1.0, 6));
    }

    #[test]
    fn zoomed_ticks_hug_the_range() {
        let t = zoomed_ticks(245_969.0, 254_338.0, 4);
        assert_eq!(t.first(), Some(&244_000.0));
        assert_eq!(t.last(), Some(&256_000.0));
        assert_eq!(t[1] - t[0], 2_000.0);
        let flat = zoomed_ticks(250_000.0, 250_000.0, 4);
        assert!(flat.len() >= 2 && flat[0] <= 250_000.0 && *flat.last().unwrap() > 250_000.0);
    }

    #[test]
    fn labels() {
        assert_eq!(dollar_label(20_000.0, 20_000.0, 120_000.0), "$20k");
        assert_eq!(dollar_label(0.0, 20_000.0, 120_000.0), "$0");
        assert_eq!(dollar_label(2_500.0, 500.0, 12_000.0), "$2.5k");
        assert_eq!(dollar_label(1_500.0, 500.0, 3_500.0), "$1,500");
        assert_eq!(dollar_label(-50.0, 50.0, 40.0), "−$50");
        assert_eq!(dollar_label(0.5, 0.5, 2.0), "$0.5");
        assert_eq!(dollars(3_199.857, 2), "$3,199.86");
        assert_eq!(dollars(-0.001, 2), "$0.00");
        assert_eq!(dollars(1_234_567.0, 0), "$1,234,567");
    }
}
