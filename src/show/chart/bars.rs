//! The bar chart kind: horizontal bars, one row per item and one bar (grouped) or segment
//! (stacked) per series, each value with the municipalities behind it ([`Cell`]); its check, its
//! table and its drawing (values beside or on the bars, a share never shown as a bare percentage
//! where fewer than five municipalities stand behind it).

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::axis::{axis, share_axis_end, style_axes, tick_label, ticked, ticks, Ticked};
use super::colour::{color, ink_on};
use super::frame::{frame, inside};
use super::kind::{frame_fields, unit_scale, Kind};
use super::legend::BottomLegend;
use super::limits::{check_range, count, finite, MAX_BARS, MAX_GROUPS};
use super::ruler::{Area, DrawResult, Ruler};
use super::text::{draw_row_label, row_labels, text_width};
use crate::lang::Lang;
use crate::show::format::{number, SMALL_CELL};
use crate::show::table::{self, Table};

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
    /// Marker shading (as flexclust's barcharts): where given, one per row; the first series of
    /// a marked row is drawn in full colour, of an unmarked row pale (a type's profile: the
    /// goals where the type differs from all in full colour).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marked: Vec<bool>,
    pub size: [u32; 2],
    /// Language of numbers (decimal comma in German) and of the few words drawn.
    #[serde(default)]
    pub lang: Lang,
    /// Text, markers and lines this many times as large as the picture's size alone makes them
    /// (see [`super::Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
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

impl Kind for Bars {
    frame_fields!();

    fn reference_size(&self) -> (f64, f64) {
        let series = self.series.len() as f64;
        let legend_rows = if self.series.len() > 1 {
            self.series.len().div_ceil(3) as f64
        } else {
            0.0
        };
        let row = if self.stacked {
            46.0
        } else {
            (20.0 * series + 16.0).max(46.0)
        };
        (
            1200.0,
            220.0 + 26.0 * legend_rows + 0.65 * row * self.rows.len() as f64,
        )
    }

    fn check(&self) -> Result<(), String> {
        if self.rows.is_empty() || self.series.is_empty() {
            return Err("bars need at least one row and one series".into());
        }
        count("series", self.series.len(), MAX_GROUPS)?;
        count(
            "bars (rows x series)",
            self.rows.len() * self.series.len(),
            MAX_BARS,
        )?;
        if self.cells.len() != self.rows.len()
            || self.cells.iter().any(|r| r.len() != self.series.len())
        {
            return Err("cells must have one entry per row and series".into());
        }
        if self.colors.len() < self.series.len() {
            return Err("one colour per series is needed".into());
        }
        if !self.marked.is_empty() && self.marked.len() != self.rows.len() {
            return Err("marked must have one entry per row, or none".into());
        }
        check_range(self.range)?;
        for (i, row) in self.cells.iter().enumerate() {
            for (j, c) in row.iter().enumerate() {
                if let Some(v) = c.value {
                    finite(&format!("cells[{i}][{j}].value"), v)?;
                }
            }
        }
        Ok(())
    }

    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut t = vec![&mut self.title, &mut self.note, &mut self.value_label];
        t.extend(self.rows.iter_mut().chain(&mut self.series));
        t
    }

    fn colors(&self) -> &[String] {
        &self.colors
    }

    /// One line per value.
    fn table(&self) -> Table {
        let int = |v: Option<u64>| v.map_or(table::Cell::Empty, |v| table::Cell::exact(v as f64));
        let mut header = vec!["row", "series", "value", "count", "base"];
        if !self.marked.is_empty() {
            header.push("marked");
        }
        let mut t = Table::new(header);
        for (i, (row, cells)) in self.rows.iter().zip(&self.cells).enumerate() {
            for (series, c) in self.series.iter().zip(cells) {
                let mut line = vec![
                    table::Cell::text(row.as_str()),
                    table::Cell::text(series.as_str()),
                    table::Cell::opt(c.value, 4),
                    int(c.count),
                    int(c.base),
                ];
                if let Some(&m) = self.marked.get(i) {
                    line.push(table::Cell::text(if m { "true" } else { "false" }));
                }
                t.push(line);
            }
        }
        t
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB> {
        let (top, root) = frame(root, &self.title, &self.note, r)?;
        let root = &root;
        let top = top + r.px(8.0);
        let legend = if self.series.len() > 1 {
            Some(BottomLegend::measure(root, &self.series, &self.colors, r)?)
        } else {
            None
        };
        let label_style = r.text(r.fonts().label, BLACK);
        let (wrapped, label_w) = row_labels(root, &self.rows, &label_style);
        let bottom = r.px(48.0) + legend.as_ref().map_or(0, |l| l.height);
        let area = inside(root, (top, bottom, r.px(20.0), r.px(40.0)));
        let end = self.axis_end();
        let mut plot = self.plot(&area, end, label_w + r.at_least(16.0, 0), r)?;
        let n = self.rows.len();
        for (i, cells) in self.cells.iter().enumerate() {
            let band = ((n - i - 1) as f64 + 0.12, (n - i) as f64 - 0.12);
            let marked = self.marked.get(i).copied();
            if self.stacked {
                self.draw_stacked(root, &mut plot, cells, band, end, r)?;
            } else {
                let pale = marked == Some(false);
                self.draw_grouped(root, &mut plot, (cells, pale), band, end, r)?;
            }
            // the row label, right-aligned against the axis, vertically centred on the row
            let (px, py) = plot.backend_coord(&(self.range[0], (band.0 + band.1) / 2.0));
            draw_row_label(
                root,
                &wrapped[i],
                (px - r.px(8.0), py),
                &label_style,
                r.px(18.0),
            )?;
        }
        if let Some(legend) = legend {
            legend.draw(root, r)?;
        }
        Ok(())
    }
}

/// The bar chart's plot: the value axis across, one unit per row upwards.
type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<Ticked, RangedCoordf64>>;

impl Bars {
    /// The end of the value axis: a share axis fits its longest bar (stacked: its longest row)
    /// unless the whole range is asked for.
    fn axis_end(&self) -> f64 {
        if !self.percent || self.full_scale || self.range[0] != 0.0 {
            return self.range[1];
        }
        let longest = self
            .cells
            .iter()
            .map(|row| {
                let values = row.iter().filter_map(|c| c.value);
                if self.stacked {
                    values.filter(|v| *v > 0.0).sum()
                } else {
                    values.fold(0.0, f64::max)
                }
            })
            .fold(0.0, f64::max);
        share_axis_end(longest).min(self.range[1])
    }

    /// The plot in `area` with its value axis up to `end` (ticks with a % sign for shares) and
    /// room for the row labels.
    fn plot<'a, DB: DrawingBackend>(
        &self,
        area: &'a Area<DB>,
        end: f64,
        label_w: u32,
        r: &Ruler,
    ) -> Result<Plot<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
        let (key_points, tick_text) = if self.percent {
            let (t, decimals) = ticks(self.range[0], end, 6);
            let lang = self.lang;
            let f: Box<dyn Fn(&f64) -> String> =
                Box::new(move |v: &f64| format!("{} %", tick_label(*v, decimals, lang)));
            (t, f)
        } else {
            let (t, f) = axis(self.range[0], end, 6, self.lang);
            let f: Box<dyn Fn(&f64) -> String> = Box::new(f);
            (t, f)
        };
        let mut plot = ChartBuilder::on(area)
            .x_label_area_size(r.at_least(44.0, 0))
            .y_label_area_size(label_w)
            .build_cartesian_2d(
                ticked(self.range[0], end, key_points),
                0.0..self.rows.len() as f64,
            )?;
        style_axes(&mut plot.configure_mesh(), r, RGBColor(0xdd, 0xdd, 0xdd))
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&tick_text)
            .x_desc(self.value_label.clone())
            .light_line_style(WHITE)
            .draw()?;
        Ok(plot)
    }

    /// A value as drawn: a share with a % sign, a large value without decimals.
    fn value_text(&self, cell: &Cell, v: f64) -> String {
        if cell.small() {
            "<5".to_string()
        } else if self.percent {
            format!("{} %", number(v, 0, self.lang))
        } else if v.abs() >= 100.0 {
            number(v, 0, self.lang)
        } else {
            number(v, 2, self.lang)
        }
    }

    /// A stacked row in the band `(bottom, top)`: segments one after another, each labelled
    /// inside where its label fits.
    fn draw_stacked<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        plot: &mut Plot<DB>,
        cells: &[Cell],
        (y_bottom, y_top): (f64, f64),
        end: f64,
        r: &Ruler,
    ) -> DrawResult<DB> {
        let value_style = r.text(r.fonts().value, BLACK);
        let mut x = self.range[0];
        for (s, cell) in cells.iter().enumerate() {
            let Some(v) = cell.value else { continue };
            let c = color(&self.colors[s]);
            let x1 = (x + v).min(end);
            plot.draw_series(std::iter::once(Rectangle::new(
                [(x, y_bottom), (x1, y_top)],
                c.filled(),
            )))?;
            let (px0, py) = plot.backend_coord(&(x, (y_top + y_bottom) / 2.0));
            let (px1, _) = plot.backend_coord(&(x1, y_bottom));
            let label = self.value_text(cell, v);
            if px1 - px0 >= text_width(root, &label, &value_style) + r.px(6.0) {
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
        Ok(())
    }

    /// A grouped row in the band `(bottom, top)`: one bar per series, each labelled beside its
    /// end (or inside it where the picture ends first); a share's base beside its value where
    /// the bars of the row have different bases (one base for the whole row stands in the row
    /// label).
    fn draw_grouped<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        plot: &mut Plot<DB>,
        (cells, pale): (&[Cell], bool),
        (y_bottom, y_top): (f64, f64),
        end: f64,
        r: &Ruler,
    ) -> DrawResult<DB> {
        let value_style = r.text(r.fonts().value, BLACK);
        let right_edge = root.dim_in_pixel().0 as i32 - r.px(6.0);
        let bases: Vec<Option<u64>> = cells.iter().map(|c| c.base).collect();
        let own_bases = self.percent && bases.windows(2).any(|w| w[0] != w[1]);
        let band = (y_top - y_bottom) / self.series.len() as f64;
        // the labels drawn in this row (left, right, middle): a label that would overlap one of
        // them (bars closer than a line of text, ends close) moves right, beside it
        let mut placed: Vec<(i32, i32, i32)> = Vec::new();
        let line = value_style
            .font
            .box_size("0")
            .map_or(r.px(13.0), |(_, h)| h as i32);
        for (s, cell) in cells.iter().enumerate() {
            let y1 = y_top - band * s as f64;
            let y0 = y1 - band * 0.9;
            let c = match color(&self.colors[s]) {
                // the first series of an unmarked row, pale: mixed 35:65 with white
                RGBColor(red, green, blue) if pale && s == 0 => {
                    let mix = |v: u8| (v as f64 * 0.35 + 255.0 * 0.65).round() as u8;
                    RGBColor(mix(red), mix(green), mix(blue))
                }
                c => c,
            };
            let (bar_start, _) = plot.backend_coord(&(self.range[0], y0));
            let (px, py) = match cell.value {
                Some(v) => {
                    let x1 = v.clamp(self.range[0], end);
                    plot.draw_series(std::iter::once(Rectangle::new(
                        [(self.range[0], y0), (x1, y1)],
                        c.filled(),
                    )))?;
                    plot.backend_coord(&(x1, (y0 + y1) / 2.0))
                }
                None => plot.backend_coord(&(self.range[0], (y0 + y1) / 2.0)),
            };
            let mut label = match cell.value {
                None => "–".to_string(),
                Some(v) => self.value_text(cell, v),
            };
            if let (true, Some(base)) = (own_bases, cell.base) {
                label = format!("{label} (n = {base})");
            }
            let tw = text_width(root, &label, &value_style);
            let gap = r.px(4.0);
            let overlaps = |(left, right): (i32, i32), placed: &[(i32, i32, i32)]| {
                placed
                    .iter()
                    .filter(|p| (p.2 - py).abs() < line && left < p.1 + gap && right + gap > p.0)
                    .map(|p| p.1)
                    .max()
            };
            let inside = (px - gap - tw, px - gap);
            // beside the bar's end, or past the labels it would overlap
            let mut x = px + gap;
            while let Some(right) = overlaps((x, x + tw), &placed) {
                x = right + 2 * gap;
            }
            // inside the bar's end where the picture ends first (and the bar has room)
            if x + tw > right_edge && inside.0 > bar_start && overlaps(inside, &placed).is_none() {
                placed.push((inside.0, inside.1, py));
                root.draw(&Text::new(
                    label,
                    (px - gap, py),
                    value_style
                        .clone()
                        .color(&ink_on(c))
                        .pos(Pos::new(HPos::Right, VPos::Center)),
                ))?;
            } else {
                placed.push((x, x + tw, py));
                root.draw(&Text::new(
                    label,
                    (x, py),
                    value_style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::show::chart::{palette, Chart, ImageFormat};

    /// The value labels of an SVG picture: left and right end, middle (y), size; each label's
    /// width from DejaVu Sans' advance widths (digits 0.636 em, comma 0.318 em).
    fn value_labels(svg: &str) -> Vec<(f64, f64, f64, f64)> {
        let attr = |t: &str, name: &str| -> Option<String> {
            let start = t.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(t[start..start + t[start..].find('"')?].to_string())
        };
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let text = t[t.find('>')? + 1..t.find("</text>")?].trim();
                // a value has two decimals (the axis' ticks none)
                if !text.contains(',') || !text.chars().all(|c| c.is_ascii_digit() || c == ',') {
                    return None;
                }
                let x: f64 = attr(t, "x")?.parse().ok()?;
                let y: f64 = attr(t, "y")?.parse().ok()?;
                let size: f64 = attr(t, "font-size")?.parse().ok()?;
                let width: f64 = text
                    .chars()
                    .map(|c| if c == ',' { 0.3179 } else { 0.6362 })
                    .sum::<f64>()
                    * size;
                match attr(t, "text-anchor")?.as_str() {
                    "end" => Some((x - width, x, y, size)),
                    _ => Some((x, x + width, y, size)),
                }
            })
            .collect()
    }

    #[test]
    fn value_labels_of_close_bars_do_not_overlap() {
        // three bars a row, as on a municipality's sheet: close ends (3,92 and 3,88), a tie, a
        // label crowded by the next bar's, two at the axis' end, drawn small with large text
        let values = [
            [2.0, 3.92, 3.88],
            [3.0, 3.0, 3.0],
            [3.0, 3.27, 3.43],
            [5.0, 4.97, 3.0],
        ];
        let bars = Bars {
            title: "t".into(),
            note: String::new(),
            value_label: "priority".into(),
            stacked: false,
            percent: false,
            range: [1.0, 5.0],
            rows: (0..values.len()).map(|i| format!("row {i}")).collect(),
            series: vec!["a".into(), "b".into(), "c".into()],
            colors: palette(3),
            cells: values
                .iter()
                .map(|row| row.iter().map(|&v| Cell::value(Some(v), None)).collect())
                .collect(),
            marked: Vec::new(),
            size: [900, 420],
            lang: Lang::De,
            scale: 1.8,
            full_scale: false,
        };
        let svg = Chart::Bars(bars)
            .picture(ImageFormat::Svg, "t.svg")
            .unwrap();
        let labels = value_labels(&String::from_utf8(svg).unwrap());
        assert_eq!(labels.len(), 12, "{labels:?}");
        for l in &labels {
            assert!(
                l.0 >= 0.0 && l.1 <= 900.0,
                "a label beyond the picture: {l:?}"
            );
        }
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                let apart_y = (a.2 - b.2).abs() >= a.3.min(b.3);
                let apart_x = a.1 <= b.0 || b.1 <= a.0;
                assert!(apart_y || apart_x, "labels overlap: {a:?} and {b:?}");
            }
        }
    }
}
