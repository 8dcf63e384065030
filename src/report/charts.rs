//! Charts with plotters. Each chart is drawn by one function generic over the backend, so PNG and
//! SVG come from the same code; files are written to a temporary file and renamed.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ReportError;
use crate::cluster::KScore;
use crate::output::write_atomic;

/// Chart file format, from the file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Png,
    Svg,
}

impl ChartFormat {
    pub fn from_path(path: &Path) -> ChartFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("svg") => ChartFormat::Svg,
            _ => ChartFormat::Png,
        }
    }
}

pub(crate) const FONT: &str = "sans-serif";

/// Registers the embedded DejaVu Sans once.
fn fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // DejaVu Sans is a valid OpenType font; registration cannot fail for it.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

pub(crate) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart that can be drawn on any plotters backend.
pub trait Drawing {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// Draws `chart` into `path` (PNG or SVG by extension), atomically.
pub fn render(path: &Path, size: (u32, u32), chart: &impl Drawing) -> Result<(), ReportError> {
    fonts();
    let fail = |message: String| ReportError::Chart {
        path: path.display().to_string(),
        message,
    };
    match ChartFormat::from_path(path) {
        ChartFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                chart.draw(&root).map_err(|e| fail(e.to_string()))?;
                root.present().map_err(|e| fail(e.to_string()))?;
            }
            write_atomic(path, |w| w.write_all(svg.as_bytes()))?;
        }
        ChartFormat::Png => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let tmp = tempfile::Builder::new()
                .suffix(".png")
                .tempfile_in(dir)
                .map_err(|e| fail(e.to_string()))?;
            {
                let root = BitMapBackend::new(tmp.path(), size).into_drawing_area();
                chart.draw(&root).map_err(|e| fail(e.to_string()))?;
                root.present().map_err(|e| fail(e.to_string()))?;
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
                    .map_err(|e| fail(e.to_string()))?;
            }
            tmp.persist(path).map_err(|e| fail(e.error.to_string()))?;
        }
    }
    Ok(())
}

/// One line panel: `values` over k, optional error bars, a marked k.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    ks: &[usize],
    values: &[f64],
    errors: Option<&[f64]>,
    mark: Option<usize>,
) -> DrawResult<DB> {
    let finite: Vec<f64> = values
        .iter()
        .zip(errors.unwrap_or(&vec![0.0; values.len()]))
        .flat_map(|(v, e)| [v - e, v + e])
        .filter(|v| v.is_finite())
        .collect();
    let (lo, hi) = finite
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let (lo, hi) = if lo.is_finite() && hi > lo {
        let pad = (hi - lo) * 0.1;
        (lo - pad, hi + pad)
    } else {
        (0.0, 1.0)
    };
    let (kmin, kmax) = (ks[0] as f64 - 0.3, ks[ks.len() - 1] as f64 + 0.3);
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 20).into_font().style(FontStyle::Bold))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(kmin..kmax, lo..hi)?;
    chart
        .configure_mesh()
        .x_desc("k (number of types)")
        .x_labels(ks.len())
        .x_label_formatter(&|v| format!("{}", v.round() as i64))
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    let points: Vec<(f64, f64)> = ks
        .iter()
        .zip(values)
        .map(|(&k, &v)| (k as f64, v))
        .collect();
    chart.draw_series(LineSeries::new(points.clone(), BLUE.stroke_width(2)))?;
    chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, BLUE.filled())))?;
    if let Some(err) = errors {
        chart.draw_series(points.iter().zip(err).map(|(&(x, y), &e)| {
            PathElement::new(vec![(x, y - e), (x, y + e)], BLACK.stroke_width(1))
        }))?;
    }
    if let Some(k) = mark {
        if let Some(&(x, y)) = points.iter().find(|p| p.0 as usize == k) {
            chart.draw_series(std::iter::once(Circle::new((x, y), 9, RED.stroke_width(2))))?;
        }
    }
    Ok(())
}

struct ChooseKChart<'a> {
    scores: &'a [KScore],
    marks: [Option<usize>; 5],
}

impl Drawing for ChooseKChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        draw_choose_k(root, self.scores, &self.marks)
    }
}

fn draw_choose_k<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scores: &[KScore],
    marks: &[Option<usize>; 5],
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let root = root.titled(
        "Choosing k: k-means on the goal priorities (red ring: the k each index points to)",
        (FONT, 22).into_font().style(FontStyle::Bold),
    )?;
    let areas = root.split_evenly((2, 3));
    let ks: Vec<usize> = scores.iter().map(|s| s.k).collect();
    let col = |f: fn(&KScore) -> f64| scores.iter().map(f).collect::<Vec<f64>>();
    panel(
        &areas[0],
        "Within-cluster sum of squares (elbow)",
        &ks,
        &col(|s| s.wss),
        None,
        marks[0],
    )?;
    panel(
        &areas[1],
        "Mean silhouette (higher is better)",
        &ks,
        &col(|s| s.silhouette),
        None,
        marks[1],
    )?;
    panel(
        &areas[2],
        "Calinski-Harabasz (higher is better)",
        &ks,
        &col(|s| s.calinski_harabasz),
        None,
        marks[2],
    )?;
    panel(
        &areas[3],
        "Davies-Bouldin (lower is better)",
        &ks,
        &col(|s| s.davies_bouldin),
        None,
        marks[3],
    )?;
    let se = col(|s| s.gap_se);
    panel(
        &areas[4],
        "Gap statistic ± 1 se",
        &ks,
        &col(|s| s.gap),
        Some(&se),
        marks[4],
    )?;
    Ok(())
}

/// The k-selection curves, one panel per index; `marks` are the k each index points to
/// (elbow, silhouette, Calinski-Harabasz, Davies-Bouldin, gap).
pub fn choose_k_chart(
    path: &Path,
    scores: &[KScore],
    marks: [Option<usize>; 5],
) -> Result<(), ReportError> {
    if scores.is_empty() {
        return Err(ReportError::Chart {
            path: path.display().to_string(),
            message: "no values to draw".into(),
        });
    }
    render(path, (1500, 900), &ChooseKChart { scores, marks })
}
