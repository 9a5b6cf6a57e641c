//! The demo's chart: three stacked panels over the crash path (SVG, no font libraries).

use super::Step;
use anyhow::{anyhow, Result};
use plotters::prelude::*;
use std::path::Path;

/// A panel: its title, its points and its colour.
type Panel<'a> = (&'a str, Vec<(f64, f64)>, RGBColor);

pub fn write(path: &Path, steps: &[Step]) -> Result<()> {
    let root = SVGBackend::new(path, (960, 900)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("chart: {e}"))?;
    let panels = root.split_evenly((3, 1));
    let n = steps.len() as f64;
    let series: [Panel; 3] = [
        (
            "Total maint health of borrowers ($) before the keeper runs",
            steps
                .iter()
                .map(|s| (s.step as f64, s.total_health))
                .collect(),
            BLUE,
        ),
        (
            "Liquidations (cumulative)",
            steps
                .iter()
                .map(|s| (s.step as f64, s.liquidations as f64))
                .collect(),
            RED,
        ),
        (
            "Bad debt written off ($, cumulative, black) and insurance fund ($, green)",
            steps.iter().map(|s| (s.step as f64, s.bad_debt)).collect(),
            BLACK,
        ),
    ];
    for (i, (panel, (title, points, color))) in panels.iter().zip(series.iter()).enumerate() {
        let mut ys: Vec<f64> = points.iter().map(|p| p.1).collect();
        if i == 2 {
            ys.extend(steps.iter().map(|s| s.insurance));
        }
        let (lo, hi) = ys
            .iter()
            .fold((0.0f64, 1.0f64), |(l, h), y| (l.min(*y), h.max(*y)));
        let pad = (hi - lo) * 0.1 + 1e-9;
        let mut chart = ChartBuilder::on(panel)
            .caption(*title, ("sans-serif", 18))
            .margin(12)
            .margin_right(40)
            .x_label_area_size(28)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..(n - 1.0).max(1.0), (lo - pad)..(hi + pad))
            .map_err(|e| anyhow!("chart: {e}"))?;
        let labels: Vec<String> = steps.iter().map(|s| format!("SOL {:.0}", s.sol)).collect();
        chart
            .configure_mesh()
            .x_labels(steps.len())
            .x_label_formatter(&|x| labels.get(x.round() as usize).cloned().unwrap_or_default())
            .draw()
            .map_err(|e| anyhow!("chart: {e}"))?;
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
            .map_err(|e| anyhow!("chart: {e}"))?;
        if i == 2 {
            let insurance: Vec<(f64, f64)> =
                steps.iter().map(|s| (s.step as f64, s.insurance)).collect();
            chart
                .draw_series(LineSeries::new(insurance, GREEN.stroke_width(2)))
                .map_err(|e| anyhow!("chart: {e}"))?;
        }
    }
    root.present()
        .map_err(|e| anyhow!("chart {}: {e}", path.display()))?;
    Ok(())
}
