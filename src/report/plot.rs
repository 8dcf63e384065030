//! Chart specifications and their drawing. A [`Chart`] holds everything a chart shows (title,
//! labels, values, the counts and bases behind them, size and colours), so it is written as JSON
//! and CSV beside the picture: the picture is a pure function of that file, `typfrage chart`
//! redraws it, and a reader can check every bar against the numbers.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::charts::{render, DrawResult, Drawing, FONT};
use super::{Lang, ReportError};
use crate::output::write_atomic;

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

/// A chart, as written beside its picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    Bars(Bars),
    Heatmap(Heatmap),
    Scatter(Scatter),
    Silhouette(Silhouette),
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
    fn small(&self) -> bool {
        matches!(self.count, Some(c) if c > 0 && c < super::tabulate::SMALL_CELL)
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
    pub range: [f64; 2],
    pub rows: Vec<String>,
    pub series: Vec<String>,
    pub colors: Vec<String>,
    /// `cells[row][series]`.
    pub cells: Vec<Vec<Cell>>,
    pub size: [u32; 2],
    /// Language of numbers (decimal comma in German) and of the few words drawn.
    #[serde(default)]
    pub lang: Lang,
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
}

impl Chart {
    pub fn title(&self) -> &str {
        match self {
            Chart::Bars(c) => &c.title,
            Chart::Heatmap(c) => &c.title,
            Chart::Scatter(c) => &c.title,
            Chart::Silhouette(c) => &c.title,
        }
    }

    pub fn size(&self) -> (u32, u32) {
        let [w, h] = match self {
            Chart::Bars(c) => c.size,
            Chart::Heatmap(c) => c.size,
            Chart::Scatter(c) => c.size,
            Chart::Silhouette(c) => c.size,
        };
        (w, h)
    }

    /// Checks what drawing relies on, so that a hand-edited file gives an error, not a panic.
    pub fn check(&self) -> Result<(), String> {
        let (w, h) = self.size();
        if !(200..=6000).contains(&w) || !(150..=12000).contains(&h) {
            return Err(format!("size {w}x{h} is outside 200x150 .. 6000x12000"));
        }
        let range_ok = |r: [f64; 2]| r[0].is_finite() && r[1].is_finite() && r[1] > r[0];
        match self {
            Chart::Bars(b) => {
                if b.rows.is_empty() || b.series.is_empty() {
                    return Err("bars need at least one row and one series".into());
                }
                if b.cells.len() != b.rows.len()
                    || b.cells.iter().any(|r| r.len() != b.series.len())
                {
                    return Err("cells must have one entry per row and series".into());
                }
                if b.colors.len() < b.series.len() {
                    return Err("one colour per series is needed".into());
                }
                if !range_ok(b.range) {
                    return Err("range must be two finite numbers, low < high".into());
                }
            }
            Chart::Heatmap(m) => {
                if m.rows.is_empty() || m.columns.is_empty() {
                    return Err("a heatmap needs rows and columns".into());
                }
                if m.values.len() != m.rows.len()
                    || m.values.iter().any(|r| r.len() != m.columns.len())
                {
                    return Err("values must have one entry per row and column".into());
                }
                if !range_ok(m.range) {
                    return Err("range must be two finite numbers, low < high".into());
                }
            }
            Chart::Scatter(s) => {
                if s.colors.len() < s.groups.len() {
                    return Err("one colour per group is needed".into());
                }
                if s.points
                    .iter()
                    .chain(&s.centres)
                    .any(|p| p.group >= s.groups.len() || !p.x.is_finite() || !p.y.is_finite())
                {
                    return Err("every point needs finite x, y and a known group".into());
                }
            }
            Chart::Silhouette(s) => {
                if s.values.len() != s.groups.len() || s.colors.len() < s.groups.len() {
                    return Err("one list of values and one colour per group are needed".into());
                }
                if s.values.iter().flatten().any(|v| !v.is_finite()) {
                    return Err("silhouette values must be finite".into());
                }
            }
        }
        for c in self.colors() {
            parse_color(c).ok_or_else(|| format!("'{c}' is not a colour like #0072B2"))?;
        }
        Ok(())
    }

    fn colors(&self) -> &[String] {
        match self {
            Chart::Bars(c) => &c.colors,
            Chart::Heatmap(_) => &[],
            Chart::Scatter(c) => &c.colors,
            Chart::Silhouette(c) => &c.colors,
        }
    }

    /// The numbers as a tidy CSV: one line per value.
    pub fn csv(&self) -> String {
        let opt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
        let int = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        let mut records: Vec<Vec<String>> = Vec::new();
        let header = |names: &[&str]| names.iter().map(|s| s.to_string()).collect();
        match self {
            Chart::Bars(b) => {
                records.push(header(&["row", "series", "value", "count", "base"]));
                for (row, cells) in b.rows.iter().zip(&b.cells) {
                    for (series, c) in b.series.iter().zip(cells) {
                        records.push(vec![
                            row.clone(),
                            series.clone(),
                            opt(c.value),
                            int(c.count),
                            int(c.base),
                        ]);
                    }
                }
            }
            Chart::Heatmap(m) => {
                records.push(header(&["row", "column", "value"]));
                for (row, values) in m.rows.iter().zip(&m.values) {
                    for (col, v) in m.columns.iter().zip(values) {
                        records.push(vec![row.clone(), col.clone(), opt(*v)]);
                    }
                }
            }
            Chart::Scatter(s) => {
                records.push(header(&["what", "group", "x", "y"]));
                for (what, points) in [("point", &s.points), ("centre", &s.centres)] {
                    for p in points {
                        records.push(vec![
                            what.to_string(),
                            s.groups[p.group].clone(),
                            format!("{:.4}", p.x),
                            format!("{:.4}", p.y),
                        ]);
                    }
                }
            }
            Chart::Silhouette(s) => {
                records.push(header(&["group", "silhouette"]));
                for (g, values) in s.groups.iter().zip(&s.values) {
                    for v in values {
                        records.push(vec![g.clone(), format!("{v:.4}")]);
                    }
                }
            }
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in &records {
            // writing into memory cannot fail
            let _ = w.write_record(r);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

impl Drawing for Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        match self {
            Chart::Bars(b) => draw_bars(b, root),
            Chart::Heatmap(m) => draw_heatmap(m, root),
            Chart::Scatter(s) => draw_scatter(s, root),
            Chart::Silhouette(s) => draw_silhouette(s, root),
        }
    }
}

/// Picture format of a chart file.
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
}

/// Draws `chart` into `<dir>/<stem>.png|svg` and writes `<stem>.json` (the chart) and `<stem>.csv`
/// (its numbers) beside it. Returns the three paths, picture first.
pub fn write_chart(
    dir: &Path,
    stem: &str,
    chart: &Chart,
    format: ImageFormat,
) -> Result<Vec<PathBuf>, ReportError> {
    let picture = dir.join(format!("{stem}.{}", format.extension()));
    draw_chart(&picture, chart)?;
    let json = dir.join(format!("{stem}.json"));
    let text = serde_json::to_string_pretty(chart).map_err(|e| ReportError::Chart {
        path: json.display().to_string(),
        message: e.to_string(),
    })? + "\n";
    write_atomic(&json, |w| w.write_all(text.as_bytes()))?;
    let csv = dir.join(format!("{stem}.csv"));
    let table = chart.csv();
    write_atomic(&csv, |w| w.write_all(table.as_bytes()))?;
    Ok(vec![picture, json, csv])
}

/// Draws `chart` into `path` (PNG or SVG by extension) after checking it.
pub fn draw_chart(path: &Path, chart: &Chart) -> Result<(), ReportError> {
    chart.check().map_err(|message| ReportError::Chart {
        path: path.display().to_string(),
        message,
    })?;
    render(path, chart.size(), chart)
}

/// Reads a chart file written by [`write_chart`].
pub fn read_chart(path: &Path) -> Result<Chart, ReportError> {
    let fail = |message: String| ReportError::Chart {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let chart: Chart = serde_json::from_str(&text)
        .map_err(|e| fail(format!("not a chart file of typfrage: {e}")))?;
    chart.check().map_err(fail)?;
    Ok(chart)
}

fn parse_color(hex: &str) -> Option<RGBColor> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some(RGBColor(byte(0)?, byte(2)?, byte(4)?))
}

fn color(hex: &str) -> RGBColor {
    parse_color(hex).unwrap_or(RGBColor(0x99, 0x99, 0x99))
}

/// Black or white, whichever reads better on `c`.
fn ink_on(c: RGBColor) -> RGBColor {
    let lum = 0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64;
    if lum > 150.0 {
        BLACK
    } else {
        WHITE
    }
}

fn text_style(size: u32, c: RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(&c)
}

/// Splits `text` into lines no wider than `max` pixels (at most `max_lines`, the last shortened
/// with an ellipsis).
fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max: u32,
    max_lines: usize,
) -> Vec<String> {
    let width = |s: &str| area.estimate_text_size(s, style).map_or(0, |(w, _)| w);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        while !last.is_empty() && width(&format!("{last} …")) > max {
            last.pop();
        }
        last.push_str(" …");
    }
    lines
}

/// Row labels wrapped to at most two lines within 36 % of the width, and the widest line's width.
fn row_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rows: &[String],
    style: &TextStyle,
) -> (Vec<Vec<String>>, u32) {
    let max = (root.dim_in_pixel().0 as f64 * 0.36) as u32;
    let wrapped: Vec<Vec<String>> = rows.iter().map(|r| wrap(root, r, style, max, 2)).collect();
    let width = wrapped
        .iter()
        .flatten()
        .map(|l| root.estimate_text_size(l, style).map_or(0, |(w, _)| w))
        .max()
        .unwrap_or(0);
    (wrapped, width)
}

/// A row label's lines, right-aligned at `x`, centred on `y`.
fn draw_row_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[String],
    (x, y): (i32, i32),
    style: &TextStyle,
) -> DrawResult<DB> {
    let first = y - 9 * (lines.len() as i32 - 1);
    for (l, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (x, first + 18 * l as i32),
            style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Title at the top left, note at the bottom left.
fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    note: &str,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let style = (FONT, 24).into_font().style(FontStyle::Bold).color(&BLACK);
    let lines = wrap(root, title, &style, w - 40, 2);
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (20, 12 + 28 * i as i32),
            style.clone(),
        ))?;
    }
    let note_style = text_style(13, RGBColor(0x55, 0x55, 0x55));
    root.draw(&Text::new(
        note.to_string(),
        (20, h as i32 - 24),
        note_style,
    ))?;
    Ok(())
}

fn title_height<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str) -> u32 {
    let (w, _) = root.dim_in_pixel();
    let style: TextStyle = (FONT, 24).into_font().style(FontStyle::Bold).into();
    16 + 28 * wrap(root, title, &style, w - 40, 2).len() as u32
}

fn legend_entries(names: &[String], colors: &[String]) -> Vec<(String, RGBColor)> {
    names
        .iter()
        .zip(colors)
        .map(|(n, c)| (n.clone(), color(c)))
        .collect()
}

/// Legend entries flowing left to right from `(x, y)` within `width`; returns the height used.
fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    width: i32,
    entries: &[(String, RGBColor)],
    draw: bool,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = text_style(14, BLACK);
    let (mut cx, mut cy) = (x, y);
    for (label, c) in entries {
        let tw = root
            .estimate_text_size(label, &style)
            .map_or(8 * label.len() as u32, |(w, _)| w) as i32;
        let item = 18 + 6 + tw + 22;
        if cx > x && cx + item > x + width {
            cx = x;
            cy += 24;
        }
        if draw {
            root.draw(&Rectangle::new([(cx, cy), (cx + 16, cy + 16)], c.filled()))?;
            root.draw(&Text::new(
                label.clone(),
                (cx + 22, cy + 8),
                style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        cx += item;
    }
    Ok(cy - y + 24)
}

/// A number in the chart's language: decimal comma in German.
fn number(v: f64, decimals: usize, lang: Lang) -> String {
    let s = format!("{v:.decimals$}");
    match lang {
        Lang::De => s.replace('.', ","),
        Lang::En => s,
    }
}

fn format_value(v: f64, percent: bool, lang: Lang) -> String {
    if percent {
        format!("{} %", number(v, 0, lang))
    } else if v.abs() >= 100.0 {
        number(v, 0, lang)
    } else {
        number(v, 2, lang)
    }
}

/// Axis tick labels: as few decimals as the tick spacing needs.
fn tick(v: f64, lang: Lang) -> String {
    let decimals = if (v - v.round()).abs() < 1e-9 { 0 } else { 1 };
    number(v, decimals, lang)
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

fn draw_bars<DB: DrawingBackend>(b: &Bars, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
    frame(root, &b.title, &b.note)?;
    let (w, h) = root.dim_in_pixel();
    let top = title_height(root, &b.title) as i32 + 8;
    let entries = legend_entries(&b.series, &b.colors);
    let show_legend = b.series.len() > 1;
    let legend_h = if show_legend {
        legend(root, (20, 0), w as i32 - 40, &entries, false)?
    } else {
        0
    };
    let label_style = text_style(14, BLACK);
    let (wrapped, label_w) = row_labels(root, &b.rows, &label_style);
    let label_w = label_w + 16;
    let bottom = 40 + legend_h + 8;
    let area = root.margin(top as u32, bottom as u32, 20, 40);
    let n = b.rows.len();
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(44)
        .y_label_area_size(label_w)
        .build_cartesian_2d(b.range[0]..b.range[1], 0.0..n as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&|v| {
            if b.percent {
                format!("{} %", number(*v, 0, b.lang))
            } else {
                tick(*v, b.lang)
            }
        })
        .x_desc(b.value_label.clone())
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .draw()?;
    let k = b.series.len();
    let value_style = text_style(12, BLACK);
    for (i, cells) in b.cells.iter().enumerate() {
        let y_top = (n - i) as f64 - 0.12;
        let y_bottom = (n - i - 1) as f64 + 0.12;
        if b.stacked {
            let mut x = b.range[0];
            for (s, cell) in cells.iter().enumerate() {
                let Some(v) = cell.value else { continue };
                let c = color(&b.colors[s]);
                let x1 = (x + v).min(b.range[1]);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y_bottom), (x1, y_top)],
                    c.filled(),
                )))?;
                let (px0, py) = chart.backend_coord(&(x, (y_top + y_bottom) / 2.0));
                let (px1, _) = chart.backend_coord(&(x1, y_bottom));
                let label = if cell.small() {
                    "<5".to_string()
                } else {
                    format_value(v, b.percent, b.lang)
                };
                let tw = root
                    .estimate_text_size(&label, &value_style)
                    .map_or(40, |(w, _)| w) as i32;
                if px1 - px0 >= tw + 6 {
                    root.draw(&Text::new(
                        label,
                        ((px0 + px1) / 2, py),
                        value_style
                            .clone()
                            .color(&ink_on(c))
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    ))?;
                }
                x = x1;
            }
        } else {
            let band = (y_top - y_bottom) / k as f64;
            for (s, cell) in cells.iter().enumerate() {
                let y1 = y_top - band * s as f64;
                let y0 = y1 - band * 0.9;
                let c = color(&b.colors[s]);
                let (px, py) = match cell.value {
                    Some(v) => {
                        let x1 = v.clamp(b.range[0], b.range[1]);
                        chart.draw_series(std::iter::once(Rectangle::new(
                            [(b.range[0], y0), (x1, y1)],
                            c.filled(),
                        )))?;
                        chart.backend_coord(&(x1, (y0 + y1) / 2.0))
                    }
                    None => chart.backend_coord(&(b.range[0], (y0 + y1) / 2.0)),
                };
                let label = match cell.value {
                    None => "–".to_string(),
                    Some(_) if cell.small() => "<5".to_string(),
                    Some(v) => format_value(v, b.percent, b.lang),
                };
                root.draw(&Text::new(
                    label,
                    (px + 4, py),
                    value_style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        // the row label, right-aligned against the axis, vertically centred on the row
        let (px, py) = chart.backend_coord(&(b.range[0], (y_top + y_bottom) / 2.0));
        draw_row_label(root, &wrapped[i], (px - 8, py), &label_style)?;
    }
    if show_legend {
        legend(
            root,
            (20, h as i32 - 40 - legend_h),
            w as i32 - 40,
            &entries,
            true,
        )?;
    }
    Ok(())
}

fn draw_heatmap<DB: DrawingBackend>(m: &Heatmap, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
    frame(root, &m.title, &m.note)?;
    let (w, h) = root.dim_in_pixel();
    let top = title_height(root, &m.title) as i32 + 44;
    let label_style = text_style(14, BLACK);
    let (wrapped, label_w) = row_labels(root, &m.rows, &label_style);
    let label_w = label_w as i32 + 30;
    let (x0, x1) = (label_w, w as i32 - 30);
    let (y0, y1) = (top, h as i32 - 50);
    let cw = (x1 - x0) / m.columns.len() as i32;
    let ch = (y1 - y0) / m.rows.len() as i32;
    let column_style: TextStyle = (FONT, 14).into_font().style(FontStyle::Bold).color(&BLACK);
    for (j, col) in m.columns.iter().enumerate() {
        let lines = wrap(root, col, &column_style, cw as u32 - 8, 2);
        for (l, line) in lines.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (x0 + cw * j as i32 + cw / 2, y0 - 36 + 18 * l as i32),
                column_style
                    .clone()
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
    }
    let scale = sequential(101);
    for (i, row) in m.values.iter().enumerate() {
        let cy = y0 + ch * i as i32;
        draw_row_label(root, &wrapped[i], (x0 - 10, cy + ch / 2), &label_style)?;
        for (j, v) in row.iter().enumerate() {
            let cx = x0 + cw * j as i32;
            let fill = match v {
                Some(v) => {
                    let t = ((v - m.range[0]) / (m.range[1] - m.range[0])).clamp(0.0, 1.0);
                    color(&scale[(t * 100.0).round() as usize])
                }
                None => RGBColor(0xf2, 0xf2, 0xf2),
            };
            root.draw(&Rectangle::new(
                [(cx + 1, cy + 1), (cx + cw - 1, cy + ch - 1)],
                fill.filled(),
            ))?;
            let label = v.map_or("–".to_string(), |v| number(v, m.decimals, m.lang));
            root.draw(&Text::new(
                label,
                (cx + cw / 2, cy + ch / 2),
                text_style(14, ink_on(fill)).pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
    }
    Ok(())
}

fn draw_scatter<DB: DrawingBackend>(s: &Scatter, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
    frame(root, &s.title, &s.note)?;
    let (w, h) = root.dim_in_pixel();
    let top = title_height(root, &s.title) as i32 + 8;
    let entries = legend_entries(&s.groups, &s.colors);
    let legend_h = legend(root, (20, 0), w as i32 - 40, &entries, false)?;
    let all = s.points.iter().chain(&s.centres);
    let (mut xl, mut xh, mut yl, mut yh) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for p in all {
        xl = xl.min(p.x);
        xh = xh.max(p.x);
        yl = yl.min(p.y);
        yh = yh.max(p.y);
    }
    if !(xl.is_finite() && yl.is_finite()) {
        (xl, xh, yl, yh) = (-1.0, 1.0, -1.0, 1.0);
    }
    let pad = |lo: f64, hi: f64| {
        let p = ((hi - lo) * 0.05).max(0.1);
        (lo - p, hi + p)
    };
    let ((xl, xh), (yl, yh)) = (pad(xl, xh), pad(yl, yh));
    let area = root.margin(top as u32, (40 + legend_h + 8) as u32, 20, 40);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(44)
        .y_label_area_size(56)
        .build_cartesian_2d(xl..xh, yl..yh)?;
    chart
        .configure_mesh()
        .x_desc(s.x_label.clone())
        .y_desc(s.y_label.clone())
        .x_label_formatter(&|v| tick(*v, s.lang))
        .y_label_formatter(&|v| tick(*v, s.lang))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xe2, 0xe2, 0xe2))
        .draw()?;
    chart.draw_series(
        s.points
            .iter()
            .map(|p| Circle::new((p.x, p.y), 3, color(&s.colors[p.group]).mix(0.7).filled())),
    )?;
    for c in &s.centres {
        let col = color(&s.colors[c.group]);
        chart.draw_series(std::iter::once(Cross::new(
            (c.x, c.y),
            9,
            BLACK.stroke_width(5),
        )))?;
        chart.draw_series(std::iter::once(Cross::new(
            (c.x, c.y),
            8,
            col.stroke_width(3),
        )))?;
    }
    legend(
        root,
        (20, h as i32 - 40 - legend_h),
        w as i32 - 40,
        &entries,
        true,
    )?;
    Ok(())
}

fn draw_silhouette<DB: DrawingBackend>(
    s: &Silhouette,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult<DB> {
    frame(root, &s.title, &s.note)?;
    let top = title_height(root, &s.title) as i32 + 8;
    let total: usize = s.values.iter().map(Vec::len).sum();
    let gap = (total as f64 * 0.03).max(2.0);
    let height = total as f64 + gap * (s.groups.len().saturating_sub(1)) as f64;
    let low = s
        .values
        .iter()
        .flatten()
        .copied()
        .fold(0.0f64, f64::min)
        .max(-1.0);
    let label_style = text_style(14, BLACK);
    let label_w = s
        .groups
        .iter()
        .map(|g| {
            root.estimate_text_size(g, &label_style)
                .map_or(0, |(w, _)| w)
        })
        .max()
        .unwrap_or(0)
        + 16;
    let high = s.values.iter().flatten().copied().fold(0.0f64, f64::max);
    let high = ((high + 0.05) * 10.0).ceil() / 10.0;
    let area = root.margin(top as u32, 48, 20, 40);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(44)
        .y_label_area_size(label_w)
        .build_cartesian_2d((low - 0.05)..high.min(1.0), 0.0..height.max(1.0))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_label_formatter(&|v| tick(*v, s.lang))
        .x_desc("Silhouette")
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xe2, 0xe2, 0xe2))
        .draw()?;
    let mut y = height;
    for (g, values) in s.values.iter().enumerate() {
        let c = color(&s.colors[g]);
        let start = y;
        chart.draw_series(values.iter().enumerate().map(|(i, &v)| {
            let yy = start - i as f64;
            Rectangle::new([(0.0, yy - 1.0), (v, yy)], c.filled())
        }))?;
        let mid = start - values.len() as f64 / 2.0;
        let (px, py) = chart.backend_coord(&(low - 0.05, mid));
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        root.draw(&Text::new(
            s.groups[g].clone(),
            (px - 8, py - 9),
            label_style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            format!(
                "n = {}, {} {}",
                values.len(),
                s.lang.pick("Mittel", "mean"),
                number(mean, 2, s.lang)
            ),
            (px - 8, py + 9),
            text_style(12, RGBColor(0x55, 0x55, 0x55)).pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        y = start - values.len() as f64 - gap;
    }
    let all: Vec<f64> = s.values.iter().flatten().copied().collect();
    if !all.is_empty() {
        let mean = all.iter().sum::<f64>() / all.len() as f64;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(mean, 0.0), (mean, height)],
            RED.stroke_width(2),
        )))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_reject() {
        assert_eq!(parse_color("#0072B2"), Some(RGBColor(0, 0x72, 0xb2)));
        assert_eq!(parse_color("0072B2"), None);
        assert_eq!(parse_color("#00ä2B2"), None);
        assert_eq!(sequential(3)[0], "#D6E6F4");
        assert_eq!(sequential(3)[2], "#08306B");
    }

    #[test]
    fn a_malformed_chart_is_an_error_not_a_panic() {
        let bars = Bars {
            title: "t".into(),
            note: String::new(),
            value_label: String::new(),
            stacked: false,
            percent: true,
            range: [0.0, 100.0],
            rows: vec!["a".into()],
            series: vec!["x".into(), "y".into()],
            colors: palette(2),
            cells: vec![vec![Cell::share(1, 2)]],
            size: [800, 400],
            lang: Lang::En,
        };
        assert!(Chart::Bars(bars.clone()).check().is_err());
        let mut ok = bars;
        ok.cells[0].push(Cell::share(2, 2));
        assert!(Chart::Bars(ok.clone()).check().is_ok());
        ok.range = [1.0, 1.0];
        assert!(Chart::Bars(ok).check().is_err());
    }
}
