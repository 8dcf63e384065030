//! The chart file format. A [`Chart`] holds everything a chart shows (title, labels, values, the
//! counts and bases behind them, size and colours), so it is written as JSON and CSV beside the
//! picture: the picture is a pure function of that file, `typfrage chart` redraws it, and a reader
//! can check every bar against the numbers. The file carries its format's version
//! ([`CHART_FILE_VERSION`]); a file of another version is refused. Every chart, read or built, is
//! checked before it is drawn ([`Chart::check`]): shapes, colours, and bounds wherever the input
//! decides the work ([`MAX_MAGNITUDE`], [`MAX_DECIMALS`], [`MAX_BARS`], [`MAX_POINTS`], ...).

pub mod axis;
pub mod backend;
mod dendrogram;
mod draw;
pub mod look;

use std::path::Path;

use thiserror::Error;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::show::format::SMALL_CELL;
use dendrogram::Dendrogram;

use crate::show::table::{self as tables, CsvStyle, Table};

pub use backend::{draw_chart, write_chart, ImageFormat};
pub use dendrogram::{Dendrogram as DendrogramChart, DendrogramLeaf, DendrogramMerge, MAX_LEAVES};
pub use look::{ChartLook, ChartSize};

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
    #[error(transparent)]
    File(#[from] crate::output::FileError),
}

/// The version of the chart file format this typfrage writes and reads. A file without a
/// `version` field was written before the field existed, in the format that is version 1.
pub const CHART_FILE_VERSION: u32 = 1;

/// Colour-blind safe categorical colours (Okabe & Ito), then greys.
pub const PALETTE: [&str; 10] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#999999", "#666666",
];

/// `n` categorical colours.
pub fn palette(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| PALETTE[i % PALETTE.len()].to_string())
        .collect()
}

/// `n` shades from light to dark blue, for ordered answers (first = lowest).
pub fn sequential(n: usize) -> Vec<String> {
    let (light, dark) = ((0xd6, 0xe6, 0xf4), (0x08, 0x30, 0x6b));
    (0..n)
        .map(|i| {
            let t = if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                1.0
            };
            let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
            format!(
                "#{:02X}{:02X}{:02X}",
                mix(light.0, dark.0),
                mix(light.1, dark.1),
                mix(light.2, dark.2)
            )
        })
        .collect()
}

/// The height a bar chart needs for its rows.
pub fn bars_height(rows: usize, series: usize, stacked: bool, legend_rows: usize) -> u32 {
    let row = if stacked {
        46
    } else {
        (20 * series as u32 + 16).max(46)
    };
    120 + 60 + row * rows as u32 + 26 * legend_rows as u32 + 40
}

pub(super) fn unit_scale() -> f64 {
    1.0
}

/// A chart, as written beside its picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    Bars(Bars),
    Heatmap(Heatmap),
    Scatter(Scatter),
    Silhouette(Silhouette),
    Lines(Lines),
    Dendrogram(Dendrogram),
}

/// One value with the municipalities behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub value: Option<f64>,
    /// Municipalities with this answer, where the value is a share.
    pub count: Option<u64>,
    /// Municipalities the share is taken of.
    pub base: Option<u64>,
}

impl Cell {
    /// A percentage of `base` from a count.
    pub fn share(count: u64, base: u64) -> Cell {
        Cell {
            value: (base > 0).then(|| 100.0 * count as f64 / base as f64),
            count: Some(count),
            base: Some(base),
        }
    }

    /// A value that is not a share (a mean, say).
    pub fn value(value: Option<f64>, base: Option<u64>) -> Cell {
        Cell {
            value,
            count: None,
            base,
        }
    }

    /// Whether fewer than five municipalities stand behind a share.
    pub(super) fn small(&self) -> bool {
        matches!(self.count, Some(c) if c > 0 && c < SMALL_CELL)
    }
}

/// Horizontal bars: one row per item, one bar (grouped) or segment (stacked) per series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bars {
    pub title: String,
    /// Under the chart: base and data source.
    pub note: String,
    pub value_label: String,
    pub stacked: bool,
    /// Values are percentages (labels get a % sign).
    pub percent: bool,
    /// The values' range. A share axis (`percent`) ends at a round value above the longest bar,
    /// unless `full_scale` asks for the whole range.
    pub range: [f64; 2],
    /// Draw a share axis over the whole `range` (0-100 %).
    #[serde(default)]
    pub full_scale: bool,
    pub rows: Vec<String>,
    pub series: Vec<String>,
    pub colors: Vec<String>,
    /// `cells[row][series]`.
    pub cells: Vec<Vec<Cell>>,
    pub size: [u32; 2],
    /// Language of numbers (decimal comma in German) and of the few words drawn.
    #[serde(default)]
    pub lang: Lang,
    /// Text, markers and lines this many times as large as the picture's size alone makes them
    /// (see [`Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

/// A grid of values coloured by size: rows x columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heatmap {
    pub title: String,
    pub note: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `values[row][column]`.
    pub values: Vec<Vec<Option<f64>>>,
    pub range: [f64; 2],
    pub decimals: usize,
    pub size: [u32; 2],
    /// Language of numbers (decimal comma in German) and of the few words drawn.
    #[serde(default)]
    pub lang: Lang,
    /// Text, markers and lines this many times as large as the picture's size alone makes them
    /// (see [`Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

/// A point of a scatter plot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub group: usize,
}

/// Points coloured by group, with group centres marked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scatter {
    pub title: String,
    pub note: String,
    pub x_label: String,
    pub y_label: String,
    pub groups: Vec<String>,
    pub colors: Vec<String>,
    pub points: Vec<Point>,
    pub centres: Vec<Point>,
    pub size: [u32; 2],
    /// Language of numbers (decimal comma in German) and of the few words drawn.
    #[serde(default)]
    pub lang: Lang,
    /// Text, markers and lines this many times as large as the picture's size alone makes them
    /// (see [`Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

/// A silhouette plot: each municipality's silhouette, sorted within its group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Silhouette {
    pub title: String,
    pub note: String,
    pub groups: Vec<String>,
    pub colors: Vec<String>,
    /// Per group, sorted from highest to lowest.
    pub values: Vec<Vec<f64>>,
    pub size: [u32; 2],
    /// Language of numbers (decimal comma in German) and of the few words drawn.
    #[serde(default)]
    pub lang: Lang,
    /// Text, markers and lines this many times as large as the picture's size alone makes them
    /// (see [`Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

/// One panel of a line chart: a value (or none) at every x.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinePanel {
    pub title: String,
    /// The values' column in the CSV.
    pub name: String,
    /// One per x of the chart.
    pub values: Vec<Option<f64>>,
    /// Error bars (± this much at each x), if any.
    pub errors: Option<LineErrors>,
    /// The x ringed in this panel (the k an index points to).
    pub mark: Option<f64>,
}

/// Error bars of a panel, with their column in the CSV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineErrors {
    pub name: String,
    /// One per x of the chart.
    pub values: Vec<f64>,
}

/// An x shaded in every panel (the recommended k), and what it means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Highlight {
    pub x: f64,
    pub label: String,
}

/// Line panels side by side over one x axis (the choose-k chart: one panel per index over k).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lines {
    pub title: String,
    pub note: String,
    /// Under each panel's x axis.
    pub x_label: String,
    /// The x column's name in the CSV.
    pub x_name: String,
    /// Increasing; shared by every panel.
    pub x: Vec<f64>,
    pub panels: Vec<LinePanel>,
    /// Panels per row.
    pub columns: usize,
    /// What a ring marks (drawn in the legend).
    pub mark_label: String,
    pub highlight: Option<Highlight>,
    /// Colour of the lines.
    pub color: String,
    pub size: [u32; 2],
    /// Language of numbers (decimal comma in German).
    #[serde(default)]
    pub lang: Lang,
    /// Text, markers and lines this many times as large as the picture's size alone makes them
    /// (see [`Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

/// Font sizes in pixels of a chart's texts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fonts {
    pub title: f64,
    /// Row and group labels, legends, axis titles.
    pub label: f64,
    /// Axis ticks.
    pub tick: f64,
    /// Values beside or on bars and in cells.
    pub value: f64,
    /// The note under the chart.
    pub note: f64,
    /// Panel titles of a line chart.
    pub panel: f64,
}

impl Fonts {
    /// At the reference layout ([`Chart::reference_size`]).
    pub const REFERENCE: Fonts = Fonts {
        title: 24.0,
        label: 14.0,
        tick: 14.0,
        value: 13.0,
        note: 13.0,
        panel: 16.0,
    };

    /// Every size times `f`.
    pub fn times(self, f: f64) -> Fonts {
        Fonts {
            title: self.title * f,
            label: self.label * f,
            tick: self.tick * f,
            value: self.value * f,
            note: self.note * f,
            panel: self.panel * f,
        }
    }
}

/// The largest size of a number a chart may hold (ranges, values, coordinates): far beyond any
/// share, mean or index, and small enough that every difference, padding and tick computed from
/// such numbers stays finite.
pub const MAX_MAGNITUDE: f64 = 1e12;

/// The most decimals a number is drawn with.
pub const MAX_DECIMALS: usize = 6;

/// The most bars (rows x series) of a bar chart, and cells of a heatmap.
pub const MAX_BARS: usize = 10_000;

/// The most points of a scatter plot (points and centres), and values of a silhouette plot: the
/// municipalities of a survey many times the size of the study's.
pub const MAX_POINTS: usize = 100_000;

/// The most series, groups or panels of a chart (each gets a colour and a legend entry).
pub const MAX_GROUPS: usize = 100;

/// The longest text (title, note, label, name) of a chart, in characters.
pub const MAX_TEXT: usize = 2_000;

/// The most x of a line chart.
pub const MAX_LINE_X: usize = 1_000;

/// The largest chart file `typfrage chart` reads.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

fn count(what: &str, n: usize, most: usize) -> Result<(), String> {
    if n > most {
        Err(format!("{n} {what}: expected at most {most}"))
    } else {
        Ok(())
    }
}

/// A number for a message: in scientific notation where it is very large or very small.
fn shown(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

fn finite(what: &str, v: f64) -> Result<(), String> {
    if v.is_finite() && v.abs() <= MAX_MAGNITUDE {
        Ok(())
    } else {
        Err(format!(
            "{what} {}: expected a number from -{MAX_MAGNITUDE:e} to {MAX_MAGNITUDE:e}",
            shown(v)
        ))
    }
}

/// A value range: two numbers within the limits, low < high, apart by more than rounding.
fn check_range(r: [f64; 2]) -> Result<(), String> {
    let ok = r.iter().all(|v| v.is_finite() && v.abs() <= MAX_MAGNITUDE)
        && r[1] - r[0] > 1e-9 * r[0].abs().max(r[1].abs()).max(1.0);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "range [{}, {}]: expected two numbers from -{MAX_MAGNITUDE:e} to {MAX_MAGNITUDE:e}, low < high (apart by more than a billionth of their size)",
            shown(r[0]),
            shown(r[1])
        ))
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
        match self {
            Chart::Bars(c) => &c.title,
            Chart::Heatmap(c) => &c.title,
            Chart::Scatter(c) => &c.title,
            Chart::Silhouette(c) => &c.title,
            Chart::Lines(c) => &c.title,
            Chart::Dendrogram(c) => &c.title,
        }
    }

    pub fn size(&self) -> (u32, u32) {
        let [w, h] = match self {
            Chart::Bars(c) => c.size,
            Chart::Heatmap(c) => c.size,
            Chart::Scatter(c) => c.size,
            Chart::Silhouette(c) => c.size,
            Chart::Lines(c) => c.size,
            Chart::Dendrogram(c) => c.size,
        };
        (w, h)
    }

    /// The text scale the chart file holds (see [`Chart::factor`]).
    pub fn scale(&self) -> f64 {
        match self {
            Chart::Bars(c) => c.scale,
            Chart::Heatmap(c) => c.scale,
            Chart::Scatter(c) => c.scale,
            Chart::Silhouette(c) => c.scale,
            Chart::Lines(c) => c.scale,
            Chart::Dendrogram(c) => c.scale,
        }
    }

    fn look_mut(&mut self) -> (&mut [u32; 2], &mut f64) {
        match self {
            Chart::Bars(c) => (&mut c.size, &mut c.scale),
            Chart::Heatmap(c) => (&mut c.size, &mut c.scale),
            Chart::Scatter(c) => (&mut c.size, &mut c.scale),
            Chart::Silhouette(c) => (&mut c.size, &mut c.scale),
            Chart::Lines(c) => (&mut c.size, &mut c.scale),
            Chart::Dendrogram(c) => (&mut c.size, &mut c.scale),
        }
    }

    /// Sets the picture's size; text, markers and lines follow it ([`Chart::factor`]).
    pub fn set_size(&mut self, (w, h): (u32, u32)) {
        *self.look_mut().0 = [w, h];
    }

    /// Sets the text scale (see [`Chart::factor`]).
    pub fn set_scale(&mut self, scale: f64) {
        *self.look_mut().1 = scale;
    }

    /// Asks a bar chart of shares for its whole range (0-100 %) rather than a fitted axis.
    pub fn set_full_scale(&mut self, full: bool) {
        if let Chart::Bars(b) = self {
            b.full_scale = full;
        }
    }

    /// The reference layout: the width at which text, markers and lines have their
    /// [reference sizes](Fonts::REFERENCE), and the least height that layout needs (rows a third
    /// closer than at the chart's usual height).
    pub fn reference_size(&self) -> (f64, f64) {
        match self {
            Chart::Bars(b) => {
                let series = b.series.len() as f64;
                let legend_rows = if b.series.len() > 1 {
                    b.series.len().div_ceil(3) as f64
                } else {
                    0.0
                };
                let row = if b.stacked {
                    46.0
                } else {
                    (20.0 * series + 16.0).max(46.0)
                };
                (
                    1200.0,
                    220.0 + 26.0 * legend_rows + 0.65 * row * b.rows.len() as f64,
                )
            }
            Chart::Heatmap(m) => (1200.0, 220.0 + 36.0 * m.rows.len() as f64),
            Chart::Scatter(_) | Chart::Silhouette(_) => (1200.0, 600.0),
            Chart::Lines(_) => (1500.0, 640.0),
            Chart::Dendrogram(_) => (1100.0, 640.0),
        }
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

    /// Checks what drawing relies on, so that a hand-edited file gives an error, not a panic, a
    /// hang or a huge picture: sizes, shapes, colours, the [limits](MAX_MAGNITUDE) on numbers,
    /// decimals, bars, points and text. Each message names the field, the value and what was
    /// expected.
    pub fn check(&self) -> Result<(), String> {
        let (w, h) = self.size();
        if !(200..=6000).contains(&w) || !(150..=12000).contains(&h) {
            return Err(format!(
                "size {w}x{h}: expected 200 to 6000 pixels wide and 150 to 12000 high"
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
        match self {
            Chart::Bars(b) => {
                if b.rows.is_empty() || b.series.is_empty() {
                    return Err("bars need at least one row and one series".into());
                }
                count("series", b.series.len(), MAX_GROUPS)?;
                count(
                    "bars (rows x series)",
                    b.rows.len() * b.series.len(),
                    MAX_BARS,
                )?;
                if b.cells.len() != b.rows.len()
                    || b.cells.iter().any(|r| r.len() != b.series.len())
                {
                    return Err("cells must have one entry per row and series".into());
                }
                if b.colors.len() < b.series.len() {
                    return Err("one colour per series is needed".into());
                }
                check_range(b.range)?;
                for (i, row) in b.cells.iter().enumerate() {
                    for (j, c) in row.iter().enumerate() {
                        if let Some(v) = c.value {
                            finite(&format!("cells[{i}][{j}].value"), v)?;
                        }
                    }
                }
            }
            Chart::Heatmap(m) => {
                if m.rows.is_empty() || m.columns.is_empty() {
                    return Err("a heatmap needs rows and columns".into());
                }
                count(
                    "cells (rows x columns)",
                    m.rows.len() * m.columns.len(),
                    MAX_BARS,
                )?;
                if m.values.len() != m.rows.len()
                    || m.values.iter().any(|r| r.len() != m.columns.len())
                {
                    return Err("values must have one entry per row and column".into());
                }
                check_range(m.range)?;
                if m.decimals > MAX_DECIMALS {
                    return Err(format!(
                        "decimals {}: expected 0 to {MAX_DECIMALS}",
                        m.decimals
                    ));
                }
                for (i, row) in m.values.iter().enumerate() {
                    for (j, v) in row.iter().enumerate() {
                        if let Some(v) = v {
                            finite(&format!("values[{i}][{j}]"), *v)?;
                        }
                    }
                }
            }
            Chart::Scatter(s) => {
                count("groups", s.groups.len(), MAX_GROUPS)?;
                count("points", s.points.len() + s.centres.len(), MAX_POINTS)?;
                if s.colors.len() < s.groups.len() {
                    return Err("one colour per group is needed".into());
                }
                for (what, points) in [("points", &s.points), ("centres", &s.centres)] {
                    for (i, p) in points.iter().enumerate() {
                        if p.group >= s.groups.len() {
                            return Err(format!(
                                "{what}[{i}].group {}: expected a group from 0 to {}",
                                p.group,
                                s.groups.len().saturating_sub(1)
                            ));
                        }
                        finite(&format!("{what}[{i}].x"), p.x)?;
                        finite(&format!("{what}[{i}].y"), p.y)?;
                    }
                }
            }
            Chart::Silhouette(s) => {
                count("groups", s.groups.len(), MAX_GROUPS)?;
                count(
                    "values",
                    s.values.iter().map(Vec::len).sum::<usize>(),
                    MAX_POINTS,
                )?;
                if s.values.len() != s.groups.len() || s.colors.len() < s.groups.len() {
                    return Err("one list of values and one colour per group are needed".into());
                }
                if let Some(v) = s
                    .values
                    .iter()
                    .flatten()
                    .find(|v| !(-1.0..=1.0).contains(*v))
                {
                    return Err(format!(
                        "silhouette value {}: expected a number from -1 to 1",
                        shown(*v)
                    ));
                }
            }
            Chart::Lines(l) => check_lines(l)?,
            Chart::Dendrogram(d) => d.check()?,
        }
        for c in self.colors() {
            parse_color(c).ok_or_else(|| {
                format!("'{}' is not a colour like #0072B2", crate::escape::field(c))
            })?;
        }
        Ok(())
    }

    fn check_texts(&self) -> Result<(), String> {
        let mut chart = self.clone();
        let long = chart
            .texts_mut()
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
    pub(super) fn printable(&self) -> Chart {
        let mut chart = self.clone();
        for t in chart.texts_mut() {
            if let std::borrow::Cow::Owned(shown) = crate::escape::field(t) {
                *t = shown;
            }
        }
        chart
    }

    /// Every text the chart draws or writes into its CSV.
    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut t = Vec::new();
        match self {
            Chart::Bars(b) => {
                t.extend([&mut b.title, &mut b.note, &mut b.value_label]);
                t.extend(b.rows.iter_mut().chain(&mut b.series));
            }
            Chart::Heatmap(m) => {
                t.extend([&mut m.title, &mut m.note]);
                t.extend(m.rows.iter_mut().chain(&mut m.columns));
            }
            Chart::Scatter(s) => {
                t.extend([&mut s.title, &mut s.note, &mut s.x_label, &mut s.y_label]);
                t.extend(&mut s.groups);
            }
            Chart::Silhouette(s) => {
                t.extend([&mut s.title, &mut s.note]);
                t.extend(&mut s.groups);
            }
            Chart::Lines(l) => {
                t.extend([
                    &mut l.title,
                    &mut l.note,
                    &mut l.x_label,
                    &mut l.x_name,
                    &mut l.mark_label,
                ]);
                t.extend(l.highlight.iter_mut().map(|h| &mut h.label));
                for p in &mut l.panels {
                    t.extend([&mut p.title, &mut p.name]);
                    t.extend(p.errors.iter_mut().map(|e| &mut e.name));
                }
            }
            Chart::Dendrogram(d) => t.extend(d.texts_mut()),
        }
        t
    }

    fn colors(&self) -> &[String] {
        match self {
            Chart::Bars(c) => &c.colors,
            Chart::Heatmap(_) => &[],
            Chart::Scatter(c) => &c.colors,
            Chart::Silhouette(c) => &c.colors,
            Chart::Lines(c) => std::slice::from_ref(&c.color),
            Chart::Dendrogram(c) => std::slice::from_ref(&c.color),
        }
    }

    /// The numbers as a table (the chart's `.csv`, a workbook sheet): one line per value; a line
    /// chart has one line per x and a column per panel (and its error bars).
    pub fn table(&self) -> Table {
        let opt = |v: Option<f64>| tables::Cell::opt(v, 4);
        let int = |v: Option<u64>| v.map_or(tables::Cell::Empty, |v| tables::Cell::exact(v as f64));
        let text = |s: &String| tables::Cell::text(s.as_str());
        match self {
            Chart::Bars(b) => {
                let mut t = Table::new(["row", "series", "value", "count", "base"]);
                for (row, cells) in b.rows.iter().zip(&b.cells) {
                    for (series, c) in b.series.iter().zip(cells) {
                        t.push(vec![
                            text(row),
                            text(series),
                            opt(c.value),
                            int(c.count),
                            int(c.base),
                        ]);
                    }
                }
                t
            }
            Chart::Heatmap(m) => {
                let mut t = Table::new(["row", "column", "value"]);
                for (row, values) in m.rows.iter().zip(&m.values) {
                    for (col, v) in m.columns.iter().zip(values) {
                        t.push(vec![text(row), text(col), opt(*v)]);
                    }
                }
                t
            }
            Chart::Scatter(s) => {
                let mut t = Table::new(["what", "group", "x", "y"]);
                for (what, points) in [("point", &s.points), ("centre", &s.centres)] {
                    for p in points {
                        t.push(vec![
                            tables::Cell::text(what),
                            text(&s.groups[p.group]),
                            tables::Cell::number(p.x, 4),
                            tables::Cell::number(p.y, 4),
                        ]);
                    }
                }
                t
            }
            Chart::Silhouette(s) => {
                let mut t = Table::new(["group", "silhouette"]);
                for (g, values) in s.groups.iter().zip(&s.values) {
                    for &v in values {
                        t.push(vec![text(g), tables::Cell::number(v, 4)]);
                    }
                }
                t
            }
            Chart::Lines(l) => {
                let mut head = vec![l.x_name.clone()];
                for p in &l.panels {
                    head.push(p.name.clone());
                    head.extend(p.errors.iter().map(|e| e.name.clone()));
                }
                let mut t = Table::new(head);
                for (i, &x) in l.x.iter().enumerate() {
                    let mut record = vec![tables::Cell::exact(x)];
                    for p in &l.panels {
                        let six = |v: Option<f64>| tables::Cell::opt(v, 6);
                        record.push(six(p.values.get(i).copied().flatten()));
                        record.extend(p.errors.iter().map(|e| six(e.values.get(i).copied())));
                    }
                    t.push(record);
                }
                t
            }
            Chart::Dendrogram(d) => d.table(),
        }
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
}

/// Reads a chart file written by [`backend::write_chart`].
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

fn check_lines(l: &Lines) -> Result<(), String> {
    if l.x.is_empty() || l.panels.is_empty() {
        return Err("a line chart needs at least one x and one panel".into());
    }
    count("x", l.x.len(), MAX_LINE_X)?;
    count("panels", l.panels.len(), MAX_GROUPS)?;
    for (i, x) in l.x.iter().enumerate() {
        finite(&format!("x[{i}]"), *x)?;
    }
    if l.x.windows(2).any(|w| w[0] >= w[1]) {
        return Err("x must be increasing".into());
    }
    if l.x.len() > 1 {
        check_range([l.x[0], l.x[l.x.len() - 1]])
            .map_err(|e| format!("x from first to last: {e}"))?;
    }
    if l.columns == 0 || l.columns > l.panels.len() {
        return Err(format!(
            "columns {}: expected 1 to {} (the number of panels)",
            l.columns,
            l.panels.len()
        ));
    }
    for p in &l.panels {
        let title = crate::escape::field(&p.title);
        if p.values.len() != l.x.len() {
            return Err(format!("panel '{title}' needs one value or null per x"));
        }
        for (i, v) in p.values.iter().enumerate() {
            if let Some(v) = v {
                finite(&format!("panel '{title}', values[{i}]"), *v)?;
            }
        }
        if let Some(e) = &p.errors {
            if e.values.len() != l.x.len() {
                return Err(format!("panel '{title}' needs one error per x"));
            }
            for (i, v) in e.values.iter().enumerate() {
                finite(&format!("panel '{title}', errors[{i}]"), *v)?;
                if *v < 0.0 {
                    return Err(format!(
                        "panel '{title}', errors[{i}] {}: expected a number of at least 0",
                        shown(*v)
                    ));
                }
            }
        }
        if let Some(m) = p.mark {
            finite(&format!("panel '{title}', mark"), m)?;
        }
    }
    if let Some(h) = &l.highlight {
        finite("highlight x", h.x)?;
    }
    Ok(())
}

/// `#RRGGBB` as red, green and blue.
pub(crate) fn parse_color(hex: &str) -> Option<(u8, u8, u8)> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// A number within the [limits](MAX_MAGNITUDE), for the chart kinds checked outside this file.
pub(super) fn finite_value(what: &str, v: f64) -> Result<(), String> {
    finite(what, v)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            size: [800, 400],
            lang: Lang::En,
            scale: 1.0,
            full_scale: false,
        }
    }

    #[test]
    fn colours_parse_and_reject() {
        assert_eq!(parse_color("#0072B2"), Some((0, 0x72, 0xb2)));
        assert_eq!(parse_color("0072B2"), None);
        assert_eq!(parse_color("#00ä2B2"), None);
        assert_eq!(sequential(3)[0], "#D6E6F4");
        assert_eq!(sequential(3)[2], "#08306B");
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
