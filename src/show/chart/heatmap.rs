//! The heatmap kind: a grid of values (rows x columns) coloured from light to dark by size, each
//! cell labelled with its value; its check, its table and its drawing.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::colour::{color, ink_on, sequential};
use super::frame::frame;
use super::kind::{frame_fields, unit_scale, Kind};
use super::limits::{check_range, count, finite, MAX_BARS, MAX_DECIMALS};
use super::ruler::{Area, DrawResult, Ruler};
use super::text::{draw_row_label, row_labels, wrap};
use crate::lang::Lang;
use crate::show::format::number;
use crate::show::table::{self, Table};

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
    /// (see [`super::Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

impl Kind for Heatmap {
    frame_fields!();

    fn reference_size(&self) -> (f64, f64) {
        (1200.0, 220.0 + 36.0 * self.rows.len() as f64)
    }

    fn check(&self) -> Result<(), String> {
        if self.rows.is_empty() || self.columns.is_empty() {
            return Err("a heatmap needs rows and columns".into());
        }
        count(
            "cells (rows x columns)",
            self.rows.len() * self.columns.len(),
            MAX_BARS,
        )?;
        if self.values.len() != self.rows.len()
            || self.values.iter().any(|r| r.len() != self.columns.len())
        {
            return Err("values must have one entry per row and column".into());
        }
        check_range(self.range)?;
        if self.decimals > MAX_DECIMALS {
            return Err(format!(
                "decimals {}: expected 0 to {MAX_DECIMALS}",
                self.decimals
            ));
        }
        for (i, row) in self.values.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                if let Some(v) = v {
                    finite(&format!("values[{i}][{j}]"), *v)?;
                }
            }
        }
        Ok(())
    }

    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut t = vec![&mut self.title, &mut self.note];
        t.extend(self.rows.iter_mut().chain(&mut self.columns));
        t
    }

    fn colors(&self) -> &[String] {
        &[]
    }

    /// One line per cell.
    fn table(&self) -> Table {
        let mut t = Table::new(["row", "column", "value"]);
        for (row, values) in self.rows.iter().zip(&self.values) {
            for (col, v) in self.columns.iter().zip(values) {
                t.push(vec![
                    table::Cell::text(row.as_str()),
                    table::Cell::text(col.as_str()),
                    table::Cell::opt(*v, 4),
                ]);
            }
        }
        t
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB> {
        let top = frame(root, &self.title, &self.note, r)? + r.px(44.0);
        let (w, h) = root.dim_in_pixel();
        let label_style = r.text(r.fonts().label, BLACK);
        let (wrapped, label_w) = row_labels(root, &self.rows, &label_style);
        let label_w = label_w as i32 + r.px(30.0);
        let (x0, x1) = (label_w, w as i32 - r.px(30.0));
        let (y0, y1) = (top, h as i32 - r.px(50.0));
        // at least a few pixels per cell, however many columns and rows a narrow chart has
        let cw = ((x1 - x0) / self.columns.len() as i32).max(9);
        let ch = ((y1 - y0) / self.rows.len() as i32).max(2);
        self.draw_columns(root, (x0, y0), cw, r)?;
        let scale = sequential(101);
        let gap = r.at_least(1.0, 1) as i32;
        for (i, row) in self.values.iter().enumerate() {
            let cy = y0 + ch * i as i32;
            draw_row_label(
                root,
                &wrapped[i],
                (x0 - r.px(10.0), cy + ch / 2),
                &label_style,
                r.px(18.0),
            )?;
            for (j, v) in row.iter().enumerate() {
                let cx = x0 + cw * j as i32;
                let fill = match v {
                    Some(v) => {
                        let t =
                            ((v - self.range[0]) / (self.range[1] - self.range[0])).clamp(0.0, 1.0);
                        color(&scale[(t * 100.0).round() as usize])
                    }
                    None => RGBColor(0xf2, 0xf2, 0xf2),
                };
                root.draw(&Rectangle::new(
                    [(cx + gap, cy + gap), (cx + cw - gap, cy + ch - gap)],
                    fill.filled(),
                ))?;
                let label = v.map_or("–".to_string(), |v| number(v, self.decimals, self.lang));
                root.draw(&Text::new(
                    label,
                    (cx + cw / 2, cy + ch / 2),
                    r.text(r.fonts().label, ink_on(fill))
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))?;
            }
        }
        Ok(())
    }
}

impl Heatmap {
    /// The column heads over the grid that starts at `(x0, y0)`, each wrapped within its column.
    fn draw_columns<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        (x0, y0): (i32, i32),
        cw: i32,
        r: &Ruler,
    ) -> DrawResult<DB> {
        let column_style = r.bold(r.fonts().label, BLACK);
        for (j, col) in self.columns.iter().enumerate() {
            let lines = wrap(root, col, &column_style, (cw - r.px(8.0)).max(1) as u32, 2);
            for (l, line) in lines.iter().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    (
                        x0 + cw * j as i32 + cw / 2,
                        y0 - r.px(36.0) + r.px(18.0) * l as i32,
                    ),
                    column_style
                        .clone()
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))?;
            }
        }
        Ok(())
    }
}
