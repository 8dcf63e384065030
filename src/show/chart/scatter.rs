//! The scatter kind: points coloured by group with the group centres marked (the map of
//! principal components); its check, its table and its drawing.

use plotters::prelude::*;
use serde::{Deserialize, Serialize};

use super::axis::{axis, style_axes, ticked};
use super::colour::color;
use super::frame::{frame, inside};
use super::kind::{frame_fields, unit_scale, Kind};
use super::legend::BottomLegend;
use super::limits::{count, finite, MAX_GROUPS, MAX_POINTS};
use super::ruler::{Area, DrawResult, Ruler};
use crate::lang::Lang;
use crate::show::table::{self, Table};

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
    /// (see [`super::Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

impl Kind for Scatter {
    frame_fields!();

    fn reference_size(&self) -> (f64, f64) {
        (1200.0, 600.0)
    }

    fn check(&self) -> Result<(), String> {
        count("groups", self.groups.len(), MAX_GROUPS)?;
        count("points", self.points.len() + self.centres.len(), MAX_POINTS)?;
        if self.colors.len() < self.groups.len() {
            return Err("one colour per group is needed".into());
        }
        for (what, points) in [("points", &self.points), ("centres", &self.centres)] {
            for (i, p) in points.iter().enumerate() {
                if p.group >= self.groups.len() {
                    return Err(format!(
                        "{what}[{i}].group {}: expected a group from 0 to {}",
                        p.group,
                        self.groups.len().saturating_sub(1)
                    ));
                }
                finite(&format!("{what}[{i}].x"), p.x)?;
                finite(&format!("{what}[{i}].y"), p.y)?;
            }
        }
        Ok(())
    }

    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut t = vec![
            &mut self.title,
            &mut self.note,
            &mut self.x_label,
            &mut self.y_label,
        ];
        t.extend(&mut self.groups);
        t
    }

    fn colors(&self) -> &[String] {
        &self.colors
    }

    /// One line per point, then one per centre.
    fn table(&self) -> Table {
        let mut t = Table::new(["what", "group", "x", "y"]);
        for (what, points) in [("point", &self.points), ("centre", &self.centres)] {
            for p in points {
                t.push(vec![
                    table::Cell::text(what),
                    table::Cell::text(self.groups[p.group].as_str()),
                    table::Cell::number(p.x, 4),
                    table::Cell::number(p.y, 4),
                ]);
            }
        }
        t
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB> {
        let (top, root) = frame(root, &self.title, &self.note, r)?;
        let root = &root;
        let top = top + r.px(8.0);
        let legend = BottomLegend::measure(root, &self.groups, &self.colors, r)?;
        let ((xl, xh), (yl, yh)) = self.extent();
        let area = inside(
            root,
            (top, r.px(48.0) + legend.height, r.px(20.0), r.px(40.0)),
        );
        let (x_ticks, x_text) = axis(xl, xh, 8, self.lang);
        let (y_ticks, y_text) = axis(yl, yh, 8, self.lang);
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(r.at_least(48.0, 0))
            .y_label_area_size(r.at_least(64.0, 0))
            .build_cartesian_2d(ticked(xl, xh, x_ticks), ticked(yl, yh, y_ticks))?;
        style_axes(&mut chart.configure_mesh(), r, RGBColor(0xe2, 0xe2, 0xe2))
            .x_desc(self.x_label.clone())
            .y_desc(self.y_label.clone())
            .x_label_formatter(&x_text)
            .y_label_formatter(&y_text)
            .light_line_style(WHITE)
            .draw()?;
        let dot = r.at_least(3.0, 1) as i32;
        chart.draw_series(self.points.iter().map(|p| {
            Circle::new(
                (p.x, p.y),
                dot,
                color(&self.colors[p.group]).mix(0.7).filled(),
            )
        }))?;
        for c in &self.centres {
            let col = color(&self.colors[c.group]);
            chart.draw_series(std::iter::once(Cross::new(
                (c.x, c.y),
                r.px(9.0),
                BLACK.stroke_width(r.stroke(5.0)),
            )))?;
            chart.draw_series(std::iter::once(Cross::new(
                (c.x, c.y),
                r.px(8.0),
                col.stroke_width(r.stroke(3.0)),
            )))?;
        }
        legend.draw(root, r)
    }
}

impl Scatter {
    /// The axes' ranges: the points and centres with a twentieth of room around them.
    fn extent(&self) -> ((f64, f64), (f64, f64)) {
        let (mut xl, mut xh, mut yl, mut yh) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for p in self.points.iter().chain(&self.centres) {
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
        (pad(xl, xh), pad(yl, yh))
    }
}
