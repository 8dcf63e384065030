//! The drawing backend: the embedded font (DejaVu Sans, so that text, umlauts included, renders
//! without any system font), pictures as PNG or SVG from the same drawing code, and every file
//! written through [`crate::output::write_atomic`]: a chart's picture, its JSON (the chart file,
//! see [`super::spec`]) and its CSV (its numbers).

use std::path::{Path, PathBuf};
use std::sync::Once;

use image::ImageEncoder;
use plotters::prelude::*;

use super::draw::FONT;
use super::spec::Chart;
use super::PresentError;
use crate::output::{check_slug, write_atomic};
use crate::tables::CsvStyle;

/// Picture format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Svg,
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Svg => "svg",
        }
    }

    /// From a file name's extension: `.png` or `.svg` (any case); anything else is an error
    /// saying so (a picture is never written under a name that promises another format).
    pub fn from_path(path: &Path) -> Result<ImageFormat, String> {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("svg") => Ok(ImageFormat::Svg),
            Some(e) if e.eq_ignore_ascii_case("png") => Ok(ImageFormat::Png),
            other => Err(format!(
                "cannot write a picture {}; expected a file name ending in .png or .svg",
                match other {
                    Some(e) => format!("as .{}", crate::escape::field(e)),
                    None => "without an extension".into(),
                }
            )),
        }
    }
}

/// Registers the embedded DejaVu Sans once.
fn fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // DejaVu Sans is a valid OpenType font; registration cannot fail for it.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// The picture of `chart` in `format`, in memory.
fn picture(chart: &Chart, format: ImageFormat) -> Result<Vec<u8>, String> {
    fonts();
    let chart = &chart.printable();
    let size = chart.size();
    match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                chart.draw(&root).map_err(|e| e.to_string())?;
                root.present().map_err(|e| e.to_string())?;
            }
            Ok(svg.into_bytes())
        }
        ImageFormat::Png => {
            let (w, h) = size;
            let mut rgb = vec![0u8; 3 * w as usize * h as usize];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                chart.draw(&root).map_err(|e| e.to_string())?;
                root.present().map_err(|e| e.to_string())?;
            }
            // the encoder and settings plotters uses when it saves a PNG file itself
            let mut png = Vec::new();
            image::codecs::png::PngEncoder::new(&mut png)
                .write_image(&rgb, w, h, image::ColorType::Rgb8)
                .map_err(|e| e.to_string())?;
            Ok(png)
        }
    }
}

/// Draws `chart` into `path` (PNG or SVG by extension) after checking it.
pub fn draw_chart(path: &Path, chart: &Chart) -> Result<(), PresentError> {
    let fail = |message: String| PresentError::Chart {
        path: path.display().to_string(),
        message,
    };
    let format = ImageFormat::from_path(path).map_err(fail)?;
    chart.check().map_err(fail)?;
    let bytes = picture(chart, format).map_err(fail)?;
    write_atomic(path, |w| w.write_all(&bytes))?;
    Ok(())
}

/// Draws `chart` into `<dir>/<stem>.png|svg` and writes `<stem>.json` (the chart file) and
/// `<stem>.csv` (its numbers, in `csv_style`) beside it; `stem` must be a slug ([`check_slug`]).
/// Returns the three paths, picture first.
pub fn write_chart(
    dir: &Path,
    stem: &str,
    chart: &Chart,
    format: ImageFormat,
    csv_style: CsvStyle,
) -> Result<Vec<PathBuf>, PresentError> {
    check_slug(stem).map_err(|message| PresentError::Chart {
        path: dir.display().to_string(),
        message: format!("chart name: {message}"),
    })?;
    let picture = dir.join(format!("{stem}.{}", format.extension()));
    draw_chart(&picture, chart)?;
    // an error making the text is reported as an error writing its file
    let json = dir.join(format!("{stem}.json"));
    let text = chart.to_json();
    write_atomic(&json, |w| w.write_all(text?.as_bytes()))?;
    let csv = dir.join(format!("{stem}.csv"));
    let table = chart.csv(csv_style);
    write_atomic(&csv, |w| w.write_all(table?.as_bytes()))?;
    Ok(vec![picture, json, csv])
}
