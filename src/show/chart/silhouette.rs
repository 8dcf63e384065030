//! The silhouette kind: each municipality's silhouette as a thin bar, sorted within its group,
//! each group labelled with its size and mean, and the overall mean as a red line; its check,
//! its table and its drawing.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::axis::{axis, style_axes, ticked};
use super::colour::{color, GREY_TEXT};
use super::frame::{frame, inside};
use super::kind::{frame_fields, unit_scale, Kind};
use super::limits::{count, shown, MAX_GROUPS, MAX_POINTS};
use super::ruler::{Area, DrawResult, Ruler};
use super::text::text_width;
use crate::lang::Lang;
use crate::show::format::number;
use crate::show::table::{self, Table};

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
    /// (see [`super::Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

/// The red of the silhouette plot's mean line.
const MEAN_LINE: RGBColor = RGBColor(0xD0, 0x10, 0x10);

impl Kind for Silhouette {
    frame_fields!();

    fn reference_size(&self) -> (f64, f64) {
        (1200.0, 600.0)
    }

    fn check(&self) -> Result<(), String> {
        count("groups", self.groups.len(), MAX_GROUPS)?;
        count(
            "values",
            self.values.iter().map(Vec::len).sum::<usize>(),
            MAX_POINTS,
        )?;
        if self.values.len() != self.groups.len() || self.colors.len() < self.groups.len() {
            return Err("one list of values and one colour per group are needed".into());
        }
        if let Some(v) = self
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
        Ok(())
    }

    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut t = vec![&mut self.title, &mut self.note];
        t.extend(&mut self.groups);
        t
    }

    fn colors(&self) -> &[String] {
        &self.colors
    }

    /// One line per municipality.
    fn table(&self) -> Table {
        let mut t = Table::new(["group", "silhouette"]);
        for (g, values) in self.groups.iter().zip(&self.values) {
            for &v in values {
                t.push(vec![
                    table::Cell::text(g.as_str()),
                    table::Cell::number(v, 4),
                ]);
            }
        }
        t
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB> {
        // room above the plot for the mean line's label
        let (top, root) = frame(root, &self.title, &self.note, r)?;
        let root = &root;
        let top = top + r.px(36.0);
        let total: usize = self.values.iter().map(Vec::len).sum();
        let gap = (total as f64 * 0.03).max(2.0);
        let height = total as f64 + gap * (self.groups.len().saturating_sub(1)) as f64;
        let low = self
            .values
            .iter()
            .flatten()
            .copied()
            .fold(0.0f64, f64::min)
            .max(-1.0);
        let label_style = r.text(r.fonts().label, BLACK);
        let small_style = r.text(r.fonts().value, GREY_TEXT);
        let label_w = self
            .groups
            .iter()
            .zip(&self.values)
            .map(|(g, v)| {
                text_width(root, g, &label_style).max(text_width(
                    root,
                    &self.group_stats(v),
                    &small_style,
                ))
            })
            .max()
            .unwrap_or(0)
            + r.px(16.0);
        let high = self.values.iter().flatten().copied().fold(0.0f64, f64::max);
        let high = (((high + 0.05) * 10.0).ceil() / 10.0).min(1.0);
        let (x_low, x_high) = (low - 0.05, high);
        let area = inside(root, (top, r.px(48.0), r.px(20.0), r.px(40.0)));
        let (key_points, tick_text) = axis(x_low, x_high, 8, self.lang);
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(r.at_least(48.0, 0))
            .y_label_area_size(label_w.max(0) as u32)
            .build_cartesian_2d(ticked(x_low, x_high, key_points), 0.0..height.max(1.0))?;
        style_axes(&mut chart.configure_mesh(), r, RGBColor(0xe2, 0xe2, 0xe2))
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&tick_text)
            .x_desc("Silhouette")
            .light_line_style(WHITE)
            .draw()?;
        let mut y = height;
        for (g, values) in self.values.iter().enumerate() {
            let c = color(&self.colors[g]);
            let start = y;
            chart.draw_series(values.iter().enumerate().map(|(i, &v)| {
                let yy = start - i as f64;
                Rectangle::new([(0.0, yy - 1.0), (v, yy)], c.filled())
            }))?;
            let mid = start - values.len() as f64 / 2.0;
            let (px, py) = chart.backend_coord(&(x_low, mid));
            root.draw(&Text::new(
                self.groups[g].clone(),
                (px - r.px(8.0), py - r.px(10.0)),
                label_style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            root.draw(&Text::new(
                self.group_stats(values),
                (px - r.px(8.0), py + r.px(10.0)),
                small_style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            y = start - values.len() as f64 - gap;
        }
        let all: Vec<f64> = self.values.iter().flatten().copied().collect();
        if !all.is_empty() {
            // the mean line where the mean is, labelled with its value above the plot
            let mean = all.iter().sum::<f64>() / all.len() as f64;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(mean, 0.0), (mean, height)],
                MEAN_LINE.stroke_width(r.stroke(2.0)),
            )))?;
            let (px, py) = chart.backend_coord(&(mean, height.max(1.0)));
            root.draw(&Text::new(
                self.mean_text(mean),
                (px, py - r.px(14.0)),
                r.bold(r.fonts().value, MEAN_LINE)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

impl Silhouette {
    /// "mean 0.412" in the chart's language.
    fn mean_text(&self, mean: f64) -> String {
        format!(
            "{} {}",
            self.lang.pick("Mittel", "mean"),
            number(mean, 3, self.lang)
        )
    }

    /// Under a group's name: its size and mean silhouette.
    fn group_stats(&self, values: &[f64]) -> String {
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        format!("n = {}, {}", values.len(), self.mean_text(mean))
    }
}
