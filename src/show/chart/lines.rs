//! The line kind: panels side by side over one x axis (the choose-k chart: one panel per index
//! over k), each a line through its values with optional error bars, a ring around the x it
//! marks and a band behind the highlighted x; its check, its table (one line per x, a column per
//! panel) and its drawing.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::axis::{axis, style_axes, ticked, ticks};
use super::colour::color;
use super::frame::{frame, inside};
use super::kind::{frame_fields, unit_scale, Kind};
use super::limits::{check_range, count, finite, shown, MAX_GROUPS, MAX_LINE_X};
use super::ruler::{Area, DrawResult, Ruler};
use super::text::{text_width, wrap};
use crate::lang::Lang;
use crate::show::format::shortest;
use crate::show::table::{self, Table};

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
    /// (see [`super::Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

/// The ring around the x a panel marks, and the band behind the highlighted x.
const MARK: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const BAND: RGBColor = RGBColor(0xE2, 0xE2, 0xE2);

impl Kind for Lines {
    frame_fields!();

    fn reference_size(&self) -> (f64, f64) {
        (1500.0, 640.0)
    }

    fn check(&self) -> Result<(), String> {
        if self.x.is_empty() || self.panels.is_empty() {
            return Err("a line chart needs at least one x and one panel".into());
        }
        count("x", self.x.len(), MAX_LINE_X)?;
        count("panels", self.panels.len(), MAX_GROUPS)?;
        for (i, x) in self.x.iter().enumerate() {
            finite(&format!("x[{i}]"), *x)?;
        }
        if self.x.windows(2).any(|w| w[0] >= w[1]) {
            return Err("x must be increasing".into());
        }
        if self.x.len() > 1 {
            check_range([self.x[0], self.x[self.x.len() - 1]])
                .map_err(|e| format!("x from first to last: {e}"))?;
        }
        if self.columns == 0 || self.columns > self.panels.len() {
            return Err(format!(
                "columns {}: expected 1 to {} (the number of panels)",
                self.columns,
                self.panels.len()
            ));
        }
        for p in &self.panels {
            p.check(self.x.len())?;
        }
        if let Some(h) = &self.highlight {
            finite("highlight x", h.x)?;
        }
        Ok(())
    }

    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut t = vec![
            &mut self.title,
            &mut self.note,
            &mut self.x_label,
            &mut self.x_name,
            &mut self.mark_label,
        ];
        t.extend(self.highlight.iter_mut().map(|h| &mut h.label));
        for p in &mut self.panels {
            t.extend([&mut p.title, &mut p.name]);
            t.extend(p.errors.iter_mut().map(|e| &mut e.name));
        }
        t
    }

    fn colors(&self) -> &[String] {
        std::slice::from_ref(&self.color)
    }

    /// One line per x, a column per panel (and its error bars).
    fn table(&self) -> Table {
        let mut head = vec![self.x_name.clone()];
        for p in &self.panels {
            head.push(p.name.clone());
            head.extend(p.errors.iter().map(|e| e.name.clone()));
        }
        let mut t = Table::new(head);
        for (i, &x) in self.x.iter().enumerate() {
            let mut record = vec![table::Cell::exact(x)];
            for p in &self.panels {
                let six = |v: Option<f64>| table::Cell::opt(v, 6);
                record.push(six(p.values.get(i).copied().flatten()));
                record.extend(p.errors.iter().map(|e| six(e.values.get(i).copied())));
            }
            t.push(record);
        }
        t
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB> {
        let (title_h, root) = frame(root, &self.title, &self.note, r)?;
        let root = &root;
        let legend_y = self.draw_legend(root, title_h + r.px(4.0), r)?;
        let area = inside(
            root,
            (legend_y + r.px(28.0), r.px(40.0), r.px(10.0), r.px(20.0)),
        );
        let rows = self.panels.len().div_ceil(self.columns);
        let cells = area.split_evenly((rows, self.columns));
        for (panel, cell) in self.panels.iter().zip(&cells) {
            self.draw_panel(panel, cell, r)?;
        }
        Ok(())
    }
}

impl LinePanel {
    /// One value (or none) and one error per x, all within the limits.
    fn check(&self, xs: usize) -> Result<(), String> {
        let title = crate::escape::field(&self.title);
        if self.values.len() != xs {
            return Err(format!("panel '{title}' needs one value or null per x"));
        }
        for (i, v) in self.values.iter().enumerate() {
            if let Some(v) = v {
                finite(&format!("panel '{title}', values[{i}]"), *v)?;
            }
        }
        if let Some(e) = &self.errors {
            if e.values.len() != xs {
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
        if let Some(m) = self.mark {
            finite(&format!("panel '{title}', mark"), m)?;
        }
        Ok(())
    }
}

impl Lines {
    /// The legend under the title, from `y`: what the ring and the band mean, flowing onto a
    /// second row where the two do not fit on one; returns the last row's top.
    fn draw_legend<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        y: i32,
        r: &Ruler,
    ) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
        let (w, _) = root.dim_in_pixel();
        let style = r.text(r.fonts().label, BLACK);
        let left = r.px(20.0);
        let (mut x, mut y) = (left, y);
        let mut entries = vec![(false, &self.mark_label)];
        entries.extend(self.highlight.iter().map(|h| (true, &h.label)));
        for (band, label) in entries {
            let tw = text_width(root, label, &style);
            if x > left && x + r.px(22.0) + tw > w as i32 - left {
                (x, y) = (left, y + r.px(24.0));
            }
            if band {
                root.draw(&Rectangle::new(
                    [(x, y), (x + r.px(16.0), y + r.px(16.0))],
                    BAND.filled(),
                ))?;
            } else {
                root.draw(&Circle::new(
                    (x + r.px(8.0), y + r.px(8.0)),
                    r.px(7.0),
                    MARK.stroke_width(r.stroke(2.0)),
                ))?;
            }
            root.draw(&Text::new(
                label.clone(),
                (x + r.px(22.0), y + r.px(8.0)),
                style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            x += r.px(52.0) + tw;
        }
        Ok(y)
    }

    /// The panel's title, wrapped onto at most two lines, centred at its top; returns how many
    /// lines it took.
    fn draw_panel_title<DB: DrawingBackend>(
        p: &LinePanel,
        area: &Area<DB>,
        r: &Ruler,
    ) -> Result<usize, DrawingAreaErrorKind<DB::ErrorType>> {
        let (w, _) = area.dim_in_pixel();
        let title_style = r.bold(r.fonts().panel, BLACK);
        let lines = wrap(
            area,
            &p.title,
            &title_style,
            w.saturating_sub(r.at_least(20.0, 0)),
            2,
        );
        for (i, line) in lines.iter().enumerate() {
            area.draw(&Text::new(
                line.clone(),
                (w as i32 / 2, r.px(10.0 + 20.0 * i as f64)),
                title_style
                    .clone()
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
        Ok(lines.len())
    }

    /// One panel: its title over a line through the values, error bars, the band behind the
    /// highlighted x and a ring around the marked one.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        p: &LinePanel,
        area: &Area<DB>,
        r: &Ruler,
    ) -> DrawResult<DB> {
        let title_lines = Lines::draw_panel_title(p, area, r)?;
        let error = |i: usize| p.errors.as_ref().map_or(0.0, |e| e.values[i]);
        let points: Vec<Option<(f64, f64)>> = self
            .x
            .iter()
            .zip(&p.values)
            .map(|(&x, v)| v.map(|v| (x, v)))
            .collect();
        let (lo, hi) = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|(_, v)| (v - error(i), v + error(i))))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (lo, hi)| {
                (a.min(lo), b.max(hi))
            });
        let (lo, hi) = if lo.is_finite() && hi > lo {
            let pad = (hi - lo) * 0.1;
            (lo - pad, hi + pad)
        } else if lo.is_finite() {
            (lo - 1.0, lo + 1.0)
        } else {
            (0.0, 1.0)
        };
        let step = self
            .x
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min);
        let step = if step.is_finite() { step } else { 1.0 };
        let last = self.x[self.x.len() - 1];
        let (x0, x1) = (self.x[0] - 0.5 * step, last + 0.5 * step);
        let (y_ticks, y_text) = axis(lo, hi, 6, self.lang);
        // every x a tick where they fit, else a round subset
        let x_ticks = if self.x.len() <= 12 {
            self.x.clone()
        } else {
            ticks(self.x[0], last, 8).0
        };
        let margins = (
            r.px(12.0 + 20.0 * title_lines as f64),
            r.px(4.0),
            r.px(4.0),
            r.px(12.0),
        );
        let mut chart = ChartBuilder::on(&inside(area, margins))
            .x_label_area_size(r.at_least(44.0, 0))
            .y_label_area_size(r.at_least(64.0, 0))
            .build_cartesian_2d(ticked(x0, x1, x_ticks), ticked(lo, hi, y_ticks))?;
        if let Some(h) = &self.highlight {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(h.x - 0.3 * step, lo), (h.x + 0.3 * step, hi)],
                BAND.filled(),
            )))?;
        }
        style_axes(&mut chart.configure_mesh(), r, RGBColor(0xd0, 0xd0, 0xd0))
            .x_desc(self.x_label.clone())
            .x_label_formatter(&|v| shortest(*v, self.lang))
            .y_label_formatter(&y_text)
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        let c = color(&self.color);
        for run in points.split(Option::is_none) {
            chart.draw_series(LineSeries::new(
                run.iter().flatten().copied(),
                c.stroke_width(r.stroke(2.0)),
            ))?;
        }
        if let Some(e) = &p.errors {
            let cap = 0.08 * step;
            for (point, &e) in points.iter().zip(&e.values) {
                let Some((x, y)) = *point else { continue };
                for path in [
                    vec![(x, y - e), (x, y + e)],
                    vec![(x - cap, y - e), (x + cap, y - e)],
                    vec![(x - cap, y + e), (x + cap, y + e)],
                ] {
                    chart.draw_series(std::iter::once(PathElement::new(
                        path,
                        BLACK.stroke_width(r.stroke(1.0)),
                    )))?;
                }
            }
        }
        chart.draw_series(
            points
                .iter()
                .flatten()
                .map(|&p| Circle::new(p, r.px(4.0), c.filled())),
        )?;
        if let Some(mark) = p.mark {
            if let Some((x, y)) = points.iter().flatten().find(|p| p.0 == mark) {
                chart.draw_series(std::iter::once(Circle::new(
                    (*x, *y),
                    r.px(10.0),
                    MARK.stroke_width(r.stroke(3.0)),
                )))?;
            }
        }
        Ok(())
    }
}
