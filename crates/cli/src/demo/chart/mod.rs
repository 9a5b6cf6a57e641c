//! The demo's chart, written twice from one layout: `<out>.svg` for browsers and editors,
//! `<out>.png` for any image viewer.
//!
//! The layout ([`layout`]) produces a [`scene::Scene`] of plain shapes; [`svg`] writes it
//! with only attributes every SVG converter understands, [`raster`] paints it with
//! `tiny-skia` using the embedded font ([`font`]). No system library or font is needed.

mod axis;
mod font;
mod layout;
mod raster;
pub mod scene;
mod svg;

use super::Step;
use anyhow::{anyhow, Context, Result};
use std::path::{Path, PathBuf};

pub use axis::dollars;
pub use layout::{FUND, HEIGHT, INSURED, SOCIALISED, UNRECOVERABLE, WIDTH};
/// The PNG codec the chart is encoded with, for callers (and tests) that read it back.
pub use png;

/// Where the two charts go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartPaths {
    pub svg: PathBuf,
    pub png: PathBuf,
}

impl ChartPaths {
    /// `out` with its `.svg` or `.png` extension (if any) replaced by each; any other
    /// name gets both appended (`chart` → `chart.svg`, `chart.png`).
    pub fn from_out(out: &Path) -> Self {
        let is_chart_ext = out
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("svg") || e.eq_ignore_ascii_case("png"));
        let stem = if is_chart_ext {
            out.with_extension("")
        } else {
            out.to_path_buf()
        };
        let with = |ext: &str| {
            let mut name = stem.clone().into_os_string();
            name.push(".");
            name.push(ext);
            PathBuf::from(name)
        };
        ChartPaths {
            svg: with("svg"),
            png: with("png"),
        }
    }

    /// [`ChartPaths::from_out`], failing with one line if the charts could not be written
    /// there (a directory, a missing parent directory), so the demo stops before it runs
    /// rather than after.
    pub fn for_out(out: &Path) -> Result<Self> {
        if out.is_dir() || out.file_name().is_none() {
            return Err(anyhow!(
                "--out {}: is a directory; give a file name such as {}/demo-chart.svg",
                out.display(),
                out.display()
            ));
        }
        let dir = match out.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(anyhow!(
                "--out {}: directory {} does not exist; create it or choose another path",
                out.display(),
                dir.display()
            ));
        }
        Ok(Self::from_out(out))
    }
}

/// Write both charts of `steps` (a demo with `users` borrowers).
pub fn write(paths: &ChartPaths, steps: &[Step], users: usize) -> Result<()> {
    write_scene(paths, &layout::scene(steps, users))
}

/// Write any `scene` as SVG and PNG (the risk commands' charts use the same painters).
pub fn write_scene(paths: &ChartPaths, scene: &scene::Scene) -> Result<()> {
    std::fs::write(&paths.svg, svg::render(scene))
        .with_context(|| format!("writing chart {}", paths.svg.display()))?;
    let png = raster::render(scene)?;
    std::fs::write(&paths.png, png)
        .with_context(|| format!("writing chart {}", paths.png.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_chart_paths_derive_from_out() {
        let p = ChartPaths::from_out(Path::new("out/demo-chart.svg"));
        assert_eq!(p.svg, Path::new("out/demo-chart.svg"));
        assert_eq!(p.png, Path::new("out/demo-chart.png"));
        assert_eq!(
            ChartPaths::from_out(Path::new("c.PNG")).svg,
            Path::new("c.svg")
        );
        let p = ChartPaths::from_out(Path::new("run.v2"));
        assert_eq!(
            (p.svg, p.png),
            (PathBuf::from("run.v2.svg"), PathBuf::from("run.v2.png"))
        );
    }

    #[test]
    fn unwritable_paths_are_refused_in_one_line() {
        let err = ChartPaths::for_out(Path::new("/no/such/dir/chart.svg"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("does not exist") && !err.contains('\n'),
            "{err}"
        );
        let dir = std::env::temp_dir();
        let err = ChartPaths::for_out(&dir).unwrap_err().to_string();
        assert!(err.contains("is a directory"), "{err}");
        assert!(ChartPaths::for_out(Path::new("chart.svg")).is_ok());
    }
}
