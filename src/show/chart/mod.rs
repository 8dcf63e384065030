//! Charts. A [`Chart`] holds everything a chart shows (title, labels, values, the counts and
//! bases behind them, size and colours), so it is written as JSON and CSV beside the picture: the
//! picture is a pure function of that file, `typfrage chart` redraws it, and a reader can check
//! every bar against the numbers. The file carries its format's version ([`CHART_FILE_VERSION`]);
//! a file of another version is refused. Every chart, read or built, is checked before it is
//! drawn ([`Chart::check`]): shapes, colours, and bounds wherever the input decides the work
//! ([`limits`]).
//!
//! Each kind of chart is one file holding its struct, its check, its table and its drawing
//! ([`Bars`], [`Heatmap`], [`Scatter`], [`Silhouette`], [`Lines`], [`DendrogramChart`], [`Flow`],
//! [`TreeChart`]), through
//! the trait of `kind`; this file holds the enum of the kinds, the chart file format and the
//! dispatch. Below the kinds: the frame (title and note), wrapped text, legends, axes and
//! ticks, colours, the ruler and type sizes, how large a chart is drawn ([`look`]) and the
//! backend that renders a chart to PNG or SVG bytes in memory with the embedded font. Nothing
//! here writes a file: [`Chart::render`] gives the contents of a chart's three files.

mod axis;
mod backend;
mod bars;
mod colour;
mod dendrogram;
mod flow;
mod frame;
mod heatmap;
mod kind;
mod legend;
pub mod limits;
mod lines;
pub mod look;
mod ruler;
mod scatter;
mod silhouette;
mod text;
mod tree;

use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use backend::Drawing;
use kind::Kind;
use limits::{shown, MAX_FILE_BYTES, MAX_TEXT};
use ruler::{Area, DrawResult, Ruler};

pub use backend::ImageFormat;
pub use bars::{bars_height, Bars, Cell};
pub use colour::{palette, sequential, PALETTE};
pub use dendrogram::{Dendrogram as DendrogramChart, DendrogramLeaf, DendrogramMerge, MAX_LEAVES};
pub use flow::{Band, Flow, FlowColumn};
pub use heatmap::Heatmap;
pub use lines::{Highlight, LineErrors, LinePanel, Lines};
pub use look::{ChartLook, ChartSize};
pub use ruler::Fonts;
pub use scatter::{Point, Scatter};
pub use silhouette::Silhouette;
pub use tree::{TreeBox, TreeChart, MAX_TREE_DEPTH};

use crate::show::table::{CsvStyle, Table};

/// A chart file that cannot be read, or a chart that cannot be drawn.
#[derive(Debug, Error)]
pub enum ChartError {
    #[error("{path}: cannot draw the chart: {message}")]
    Chart { path: String, message: String },
    #[error("{path}: chart file version {found} is not supported; this typfrage reads chart files of version {supported}")]
    Version {
        path: String,
        found: String,
        supported: u32,
    },
}

/// The version of the chart file format this typfrage writes and reads. A file without a
/// `version` field was written before the field existed, in the format that is version 1.
pub const CHART_FILE_VERSION: u32 = 1;

/// A chart, as written beside its picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    Bars(Bars),
    Heatmap(Heatmap),
    Scatter(Scatter),
    Silhouette(Silhouette),
    Lines(Lines),
    Dendrogram(DendrogramChart),
    Flow(Flow),
    Tree(TreeChart),
}

/// `$body` with `$c` bound to the chart's kind, whichever it is: the one place that lists the
/// kinds besides the enum.
macro_rules! each_kind {
    ($chart:expr, $c:ident => $body:expr) => {
        match $chart {
            Chart::Bars($c) => $body,
            Chart::Heatmap($c) => $body,
            Chart::Scatter($c) => $body,
            Chart::Silhouette($c) => $body,
            Chart::Lines($c) => $body,
            Chart::Dendrogram($c) => $body,
            Chart::Flow($c) => $body,
            Chart::Tree($c) => $body,
        }
    };
}

/// A chart rendered for its three files, in memory: `<stem>.png` or `.svg` (the picture),
/// `<stem>.json` (the chart file) and `<stem>.csv` (its numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedChart {
    pub stem: String,
    pub format: ImageFormat,
    pub picture: Vec<u8>,
    pub json: String,
    pub csv: String,
}

impl RenderedChart {
    /// Each file's extension and bytes: the picture, the chart file, the numbers.
    pub fn files(&self) -> [(&str, &[u8]); 3] {
        [
            (self.format.extension(), &self.picture),
            ("json", self.json.as_bytes()),
            ("csv", self.csv.as_bytes()),
        ]
    }
}

/// The chart as its file holds it: the format's version first.
#[derive(Serialize)]
struct Versioned<'a> {
    version: u32,
    #[serde(flatten)]
    chart: &'a Chart,
}

/// Only the version of a chart file, read before the chart itself.
#[derive(Deserialize)]
struct VersionOnly {
    version: Option<serde_json::Value>,
}

impl Chart {
    pub fn title(&self) -> &str {
        each_kind!(self, c => c.title())
    }

    pub fn size(&self) -> (u32, u32) {
        let [w, h] = each_kind!(self, c => c.size());
        (w, h)
    }

    /// The text scale the chart file holds (see [`Chart::factor`]).
    pub fn scale(&self) -> f64 {
        each_kind!(self, c => c.scale())
    }

    /// Sets the picture's size; text, markers and lines follow it ([`Chart::factor`]).
    pub fn set_size(&mut self, (w, h): (u32, u32)) {
        *each_kind!(self, c => c.look_mut()).0 = [w, h];
    }

    /// Sets the text scale (see [`Chart::factor`]).
    pub fn set_scale(&mut self, scale: f64) {
        *each_kind!(self, c => c.look_mut()).1 = scale;
    }

    /// Asks a bar chart of shares for its whole range (0-100 %) rather than a fitted axis.
    pub fn set_full_scale(&mut self, full: bool) {
        if let Chart::Bars(b) = self {
            b.full_scale = full;
        }
    }

    /// The chart drawn as `look` asks: the size and scale set where given, share axes full
    /// where asked.
    pub fn set_look(&mut self, look: &ChartLook) {
        if let Some(size) = &look.size {
            let resolved = size.resolve(self.size());
            self.set_size(resolved);
        }
        if let Some(s) = look.scale {
            self.set_scale(s);
        }
        if look.full_scale {
            self.set_full_scale(true);
        }
    }

    /// The reference layout: the width at which text, markers and lines have their
    /// [reference sizes](Fonts::REFERENCE), and the least height that layout needs (rows a third
    /// closer than at the chart's usual height).
    pub fn reference_size(&self) -> (f64, f64) {
        each_kind!(self, c => c.reference_size())
    }

    /// How many times as large as at the [reference layout](Chart::reference_size) text, markers,
    /// lines and margins are drawn: as the picture is to the reference width, or to the least
    /// height where that is smaller, times the chart's text scale. A 1920x1080 picture of a
    /// chart 1200 pixels wide by default has everything 1.6 times as large, so text keeps its
    /// size relative to the picture.
    pub fn factor(&self) -> f64 {
        let (w, h) = self.size();
        let (w0, h0) = self.reference_size();
        self.scale() * (w as f64 / w0).min(h as f64 / h0.max(1.0))
    }

    /// The sizes (in pixels) the chart's texts are drawn with.
    pub fn fonts(&self) -> Fonts {
        Fonts::REFERENCE.times(self.factor())
    }

    /// Makes the chart readable where its picture prints `width_mm` wide: text, markers and
    /// lines large enough that the smallest text prints at least `points` high (the text scale
    /// raised, within [`look::SCALES`]), and the picture as high as its layout needs at that size
    /// (within [`look::HEIGHTS`]). A chart whose text is already that large stays as it is.
    pub fn fit_for_print(&mut self, width_mm: f64, points: f64) {
        let (w, h) = self.size();
        let (w0, h0) = self.reference_size();
        // how many times its reference size the smallest text must be
        let factor = points / printed_points(Fonts::REFERENCE.smallest(), w, width_mm);
        if self.factor() >= factor {
            return;
        }
        let height = h
            .max((h0 * factor).ceil().min(f64::from(*look::HEIGHTS.end())) as u32)
            .min(*look::HEIGHTS.end());
        self.set_size((w, height));
        let fit = (f64::from(w) / w0).min(f64::from(height) / h0.max(1.0));
        let scale = ((factor / fit) * 100.0).ceil() / 100.0;
        self.set_scale(scale.clamp(*look::SCALES.start(), *look::SCALES.end()));
    }

    /// Checks what drawing relies on, so that a hand-edited file gives an error, not a panic, a
    /// hang or a huge picture: sizes, shapes, colours, the [limits] on numbers, decimals, bars,
    /// points and text. Each message names the field, the value and what was expected.
    pub fn check(&self) -> Result<(), String> {
        let (w, h) = self.size();
        if !(look::WIDTHS.contains(&w) && look::HEIGHTS.contains(&h)) {
            return Err(format!(
                "size {w}x{h}: expected {} to {} pixels wide and {} to {} high",
                look::WIDTHS.start(),
                look::WIDTHS.end(),
                look::HEIGHTS.start(),
                look::HEIGHTS.end()
            ));
        }
        let scale = self.scale();
        if !(scale.is_finite() && look::SCALES.contains(&scale)) {
            return Err(format!(
                "scale {}: expected a number from {} to {}",
                shown(scale),
                look::SCALES.start(),
                look::SCALES.end()
            ));
        }
        self.check_texts()?;
        each_kind!(self, c => c.check())?;
        for c in each_kind!(self, c => c.colors()) {
            colour::parse_color(c).ok_or_else(|| {
                format!("'{}' is not a colour like #0072B2", crate::escape::field(c))
            })?;
        }
        Ok(())
    }

    fn check_texts(&self) -> Result<(), String> {
        let mut chart = self.clone();
        let long = each_kind!(&mut chart, c => c.texts_mut())
            .into_iter()
            .find(|t| t.chars().count() > MAX_TEXT);
        match long {
            Some(t) => Err(format!(
                "a text of {} characters ('{}…'): expected at most {MAX_TEXT}",
                t.chars().count(),
                crate::escape::field(&t.chars().take(40).collect::<String>())
            )),
            None => Ok(()),
        }
    }

    /// The chart with control characters in its texts shown as `\u{…}` ([`crate::escape::field`]):
    /// what is drawn, so that an SVG is valid XML and a PNG shows what the text holds.
    fn printable(&self) -> Chart {
        let mut chart = self.clone();
        for t in each_kind!(&mut chart, c => c.texts_mut()) {
            if let std::borrow::Cow::Owned(shown) = crate::escape::field(t) {
                *t = shown;
            }
        }
        chart
    }

    /// The numbers as a table (the chart's `.csv`, a workbook sheet): one line per value; a line
    /// chart has one line per x and a column per panel (and its error bars).
    pub fn table(&self) -> Table {
        each_kind!(self, c => c.table())
    }

    /// The numbers as CSV text in `style` (see [`Chart::table`]).
    pub fn csv(&self, style: CsvStyle) -> Result<String, csv::Error> {
        self.table().csv(style)
    }

    /// The chart file's text: pretty JSON, the format's version first, with a final newline.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let file = Versioned {
            version: CHART_FILE_VERSION,
            chart: self,
        };
        Ok(serde_json::to_string_pretty(&file)? + "\n")
    }

    /// Reads a chart file's text (`path` names it in errors), refusing another version of the
    /// format and anything drawing could not rely on.
    pub fn from_json(text: &str, path: &Path) -> Result<Chart, ChartError> {
        let fail = |message: String| ChartError::Chart {
            path: path.display().to_string(),
            message,
        };
        let not_ours = |e: serde_json::Error| fail(format!("not a chart file of typfrage: {e}"));
        let header: VersionOnly = serde_json::from_str(text).map_err(not_ours)?;
        match header.version {
            None => {}
            Some(v) if v.as_u64() == Some(u64::from(CHART_FILE_VERSION)) => {}
            Some(v) => {
                return Err(ChartError::Version {
                    path: path.display().to_string(),
                    found: v.to_string(),
                    supported: CHART_FILE_VERSION,
                })
            }
        }
        let chart: Chart = serde_json::from_str(text).map_err(not_ours)?;
        chart.check().map_err(fail)?;
        Ok(chart)
    }

    /// The picture in `format`, in memory, after checking the chart; `name` (the picture's file)
    /// names it in errors.
    pub fn picture(&self, format: ImageFormat, name: &str) -> Result<Vec<u8>, ChartError> {
        let fail = |message: String| ChartError::Chart {
            path: name.to_string(),
            message,
        };
        self.check().map_err(fail)?;
        backend::picture(&self.printable(), format).map_err(fail)
    }

    /// The contents of the chart's three files named after `stem`: the picture in `format`, the
    /// chart file and its numbers as CSV in `csv_style`.
    pub fn render(
        &self,
        stem: &str,
        format: ImageFormat,
        csv_style: CsvStyle,
    ) -> Result<RenderedChart, ChartError> {
        let fail = |extension: &str, message: String| ChartError::Chart {
            path: format!("{stem}.{extension}"),
            message,
        };
        let picture = self.picture(format, &format!("{stem}.{}", format.extension()))?;
        let json = self.to_json().map_err(|e| fail("json", e.to_string()))?;
        let csv = self
            .csv(csv_style)
            .map_err(|e| fail("csv", e.to_string()))?;
        Ok(RenderedChart {
            stem: stem.to_string(),
            format,
            picture,
            json,
            csv,
        })
    }
}

/// How high (in points) text `px` pixels high prints in a picture `width` pixels wide printed
/// `width_mm` wide.
pub fn printed_points(px: f64, width: u32, width_mm: f64) -> f64 {
    px * width_mm / f64::from(width.max(1)) * 72.0 / 25.4
}

impl Drawing for Chart {
    fn size(&self) -> (u32, u32) {
        Chart::size(self)
    }

    fn draw<DB: plotters::prelude::DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let r = Ruler::new(self.factor());
        each_kind!(self, c => c.draw(root, &r))
    }
}

/// Reads a chart file (see [`Chart::from_json`]), at most [`MAX_FILE_BYTES`] long.
pub fn read_chart(path: &Path) -> Result<Chart, ChartError> {
    let fail = |message: String| ChartError::Chart {
        path: path.display().to_string(),
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| fail(e.to_string()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(fail(format!(
            "the chart file has {size} bytes; expected at most {MAX_FILE_BYTES} ({} MiB)",
            MAX_FILE_BYTES >> 20
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    Chart::from_json(&text, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn bars() -> Bars {
        Bars {
            title: "t".into(),
            note: String::new(),
            value_label: String::new(),
            stacked: false,
            percent: true,
            range: [0.0, 100.0],
            rows: vec!["a".into()],
            series: vec!["x".into(), "y".into()],
            colors: palette(2),
            cells: vec![vec![Cell::share(1, 2), Cell::share(2, 2)]],
            marked: Vec::new(),
            size: [800, 400],
            lang: Lang::En,
            scale: 1.0,
            full_scale: false,
        }
    }

    #[test]
    fn a_malformed_chart_is_an_error_not_a_panic() {
        let ok = bars();
        assert!(Chart::Bars(ok.clone()).check().is_ok());
        let mut short_row = ok.clone();
        short_row.cells[0].pop();
        assert!(Chart::Bars(short_row).check().is_err());
        let mut empty_range = ok;
        empty_range.range = [1.0, 1.0];
        assert!(Chart::Bars(empty_range).check().is_err());
    }

    #[test]
    fn a_chart_fitted_for_print_prints_its_smallest_text_at_least_that_high() {
        let printed = |c: &Chart| printed_points(c.fonts().smallest(), c.size().0, 182.0);
        let mut chart = Chart::Bars(Bars {
            rows: (0..11).map(|i| format!("row {i}")).collect(),
            cells: vec![vec![Cell::share(1, 2), Cell::share(2, 2)]; 11],
            size: [1200, 862],
            ..bars()
        });
        assert!(printed(&chart) < 8.0, "{}", printed(&chart));
        chart.fit_for_print(182.0, 8.0);
        assert!(printed(&chart) >= 8.0, "{}", printed(&chart));
        assert!(printed(&chart) < 8.2, "{}", printed(&chart));
        // the picture as high as the layout needs at that size (but for the scale's rounding up
        // to a hundredth), as wide as it was
        let (_, h0) = chart.reference_size();
        assert_eq!(chart.size().0, 1200);
        assert!(f64::from(chart.size().1) >= h0 * chart.factor() * 0.99);
        assert!(chart.size().1 > 862);
        assert_eq!(chart.check(), Ok(()));
        // already large enough: left as it is
        let before = chart.clone();
        chart.fit_for_print(182.0, 8.0);
        assert_eq!(chart, before);
    }

    #[test]
    fn a_chart_file_states_its_version_first_and_reads_back() {
        let chart = Chart::Bars(bars());
        let text = chart.to_json().unwrap();
        assert!(
            text.starts_with("{\n  \"version\": 1,\n  \"kind\": \"bars\",\n"),
            "{text}"
        );
        assert_eq!(Chart::from_json(&text, Path::new("c.json")).unwrap(), chart);
        // written before the version field existed: version 1
        let unversioned = serde_json::to_string(&chart).unwrap();
        assert_eq!(
            Chart::from_json(&unversioned, Path::new("c.json")).unwrap(),
            chart
        );
    }

    #[test]
    fn a_chart_file_of_another_version_is_refused() {
        let text = Chart::Bars(bars())
            .to_json()
            .unwrap()
            .replace("\"version\": 1", "\"version\": 2");
        let err = Chart::from_json(&text, Path::new("c.json")).unwrap_err();
        assert!(matches!(err, ChartError::Version { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "c.json: chart file version 2 is not supported; this typfrage reads chart files of version 1"
        );
    }

    #[test]
    fn a_line_chart_has_one_csv_line_per_x_and_a_column_per_panel() {
        let panel = |name: &str, errors: Option<Vec<f64>>| LinePanel {
            title: name.into(),
            name: name.into(),
            values: vec![Some(1.5), None],
            errors: errors.map(|values| LineErrors {
                name: format!("{name}_se"),
                values,
            }),
            mark: Some(2.0),
        };
        let lines = Lines {
            title: "t".into(),
            note: String::new(),
            x_label: "k".into(),
            x_name: "k".into(),
            x: vec![2.0, 3.0],
            panels: vec![panel("a", None), panel("b", Some(vec![0.25, 0.5]))],
            columns: 2,
            mark_label: String::new(),
            highlight: None,
            color: PALETTE[0].into(),
            size: [800, 400],
            lang: Lang::En,
            scale: 1.0,
        };
        let chart = Chart::Lines(lines.clone());
        assert_eq!(chart.check(), Ok(()));
        assert_eq!(
            chart.csv(CsvStyle::Rfc4180).unwrap(),
            "k,a,b,b_se\n2,1.500000,1.500000,0.250000\n3,,,0.500000\n"
        );
        let mut bad = lines;
        bad.x = vec![3.0, 2.0];
        assert!(Chart::Lines(bad).check().is_err());
    }
}
