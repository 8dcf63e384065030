//! The chart file format. A [`Chart`] holds everything a chart shows (title, labels, values, the
//! counts and bases behind them, size and colours), so it is written as JSON and CSV beside the
//! picture: the picture is a pure function of that file, `typfrage chart` redraws it, and a reader
//! can check every bar against the numbers. The file carries its format's version
//! ([`CHART_FILE_VERSION`]); a file of another version is refused.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::format::SMALL_CELL;
use super::{Lang, PresentError};
use crate::tables::{self, CsvStyle, Table};

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

/// A chart, as written beside its picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    Bars(Bars),
    Heatmap(Heatmap),
    Scatter(Scatter),
    Silhouette(Silhouette),
    Lines(Lines),
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
        }
    }

    pub fn size(&self) -> (u32, u32) {
        let [w, h] = match self {
            Chart::Bars(c) => c.size,
            Chart::Heatmap(c) => c.size,
            Chart::Scatter(c) => c.size,
            Chart::Silhouette(c) => c.size,
            Chart::Lines(c) => c.size,
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
            Chart::Lines(l) => check_lines(l)?,
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
            Chart::Lines(c) => std::slice::from_ref(&c.color),
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
    pub fn from_json(text: &str, path: &Path) -> Result<Chart, PresentError> {
        let fail = |message: String| PresentError::Chart {
            path: path.display().to_string(),
            message,
        };
        let not_ours = |e: serde_json::Error| fail(format!("not a chart file of typfrage: {e}"));
        let header: VersionOnly = serde_json::from_str(text).map_err(not_ours)?;
        match header.version {
            None => {}
            Some(v) if v.as_u64() == Some(u64::from(CHART_FILE_VERSION)) => {}
            Some(v) => {
                return Err(PresentError::Version {
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

/// Reads a chart file written by [`super::write_chart`].
pub fn read_chart(path: &Path) -> Result<Chart, PresentError> {
    let text = std::fs::read_to_string(path).map_err(|e| PresentError::Chart {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    Chart::from_json(&text, path)
}

fn check_lines(l: &Lines) -> Result<(), String> {
    if l.x.is_empty() || l.panels.is_empty() {
        return Err("a line chart needs at least one x and one panel".into());
    }
    if l.x.iter().any(|x| !x.is_finite()) || l.x.windows(2).any(|w| w[0] >= w[1]) {
        return Err("x must be finite and increasing".into());
    }
    if l.columns == 0 || l.columns > l.panels.len() {
        return Err(format!(
            "columns must be 1 to {} (the number of panels)",
            l.panels.len()
        ));
    }
    for p in &l.panels {
        if p.values.len() != l.x.len() || p.values.iter().flatten().any(|v| !v.is_finite()) {
            return Err(format!(
                "panel '{}' needs one finite value or null per x",
                p.title
            ));
        }
        if let Some(e) = &p.errors {
            if e.values.len() != l.x.len() || e.values.iter().any(|v| !v.is_finite() || *v < 0.0) {
                return Err(format!(
                    "panel '{}' needs one finite, non-negative error per x",
                    p.title
                ));
            }
        }
        if p.mark.is_some_and(|m| !m.is_finite()) {
            return Err(format!("panel '{}': the mark must be a finite x", p.title));
        }
    }
    if l.highlight.as_ref().is_some_and(|h| !h.x.is_finite()) {
        return Err("the highlighted x must be finite".into());
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
        assert!(matches!(err, PresentError::Version { .. }), "{err:?}");
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
