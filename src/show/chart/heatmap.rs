//! The heatmap kind: a grid of values (rows x columns) coloured from light to dark by size, each
//! cell labelled with its value; its check, its table and its drawing. The colours run over the
//! values the grid holds (the lowest lightest, the highest darkest), not over the whole possible
//! range, so that a grid of means between 2 and 4.5 on a scale of 1 to 5 shows its differences;
//! a legend under the grid says which value each end of the colours stands for.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::colour::ink_on;
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
        let (top, root) = frame(root, &self.title, &self.note, r)?;
        let root = &root;
        let (w, h) = root.dim_in_pixel();
        let label_style = r.text(r.fonts().label, BLACK);
        let (wrapped, label_w) = row_labels(root, &self.rows, &label_style);
        let label_w = label_w as i32 + r.px(30.0);
        let (x0, x1) = (label_w, w as i32 - r.px(30.0));
        let cw = ((x1 - x0) / self.columns.len() as i32).max(9);
        let heads = self.column_heads(root, cw, r);
        // room for the column heads' lines (two at least)
        let most = heads.iter().map(Vec::len).max().unwrap_or(0).max(2);
        let top = top + r.px(8.0 + 18.0 * most as f64);
        // room under the grid for the colour legend
        let (y0, y1) = (top, h as i32 - r.px(92.0));
        // at least a few pixels per cell, however many columns and rows a narrow chart has
        let ch = ((y1 - y0) / self.rows.len() as i32).max(2);
        self.draw_columns(root, &heads, (x0, y0), cw, r)?;
        let (lo, hi) = self.shown_range();
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
                    Some(v) => ramp((v - lo) / (hi - lo)),
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
        self.draw_legend(root, (x0, x1), y1, r, (lo, hi))
    }
}

/// The light and the dark end of the colours (ColorBrewer's Blues, a little darker at the light
/// end so that the lightest cell stands apart from the white page).
const LIGHT: (u8, u8, u8) = (0xe6, 0xef, 0xf9);
const DARK: (u8, u8, u8) = (0x08, 0x30, 0x6b);

/// The colour at `t` (0 light, 1 dark; clamped).
fn ramp(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    RGBColor(
        mix(LIGHT.0, DARK.0),
        mix(LIGHT.1, DARK.1),
        mix(LIGHT.2, DARK.2),
    )
}

impl Heatmap {
    /// The values the colours run over: the lowest and highest value in the grid (within
    /// `range`), or `range` where the grid holds fewer than two different values.
    fn shown_range(&self) -> (f64, f64) {
        let [a, b] = self.range;
        let (lo, hi) = self
            .values
            .iter()
            .flatten()
            .flatten()
            .map(|v| v.clamp(a.min(b), a.max(b)))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        if hi - lo > 1e-9 {
            (lo, hi)
        } else {
            (a, b)
        }
    }

    /// The colour legend under the grid's right end: a bar from light to dark with the values
    /// at its ends under it, and a word before it.
    fn draw_legend<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        (x0, x1): (i32, i32),
        y: i32,
        r: &Ruler,
        (lo, hi): (f64, f64),
    ) -> DrawResult<DB> {
        let style = r.text(r.fonts().label, BLACK);
        let bw = r.px(240.0).min((x1 - x0) / 2).max(10);
        let (bx0, by0, by1) = (x1 - bw, y + r.px(12.0), y + r.px(26.0));
        let steps = 60;
        for i in 0..steps {
            let a = bx0 + bw * i / steps;
            let b = bx0 + bw * (i + 1) / steps;
            root.draw(&Rectangle::new(
                [(a, by0), (b, by1)],
                ramp(i as f64 / (steps - 1) as f64).filled(),
            ))?;
        }
        let word = self.lang.pick("Farbe:", "colour:");
        root.draw(&Text::new(
            word,
            (bx0 - r.px(10.0), (by0 + by1) / 2),
            style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        for (value, x, h) in [(lo, bx0, HPos::Left), (hi, x1, HPos::Right)] {
            root.draw(&Text::new(
                number(value, self.decimals, self.lang),
                (x, by1 + r.px(4.0)),
                style.clone().pos(Pos::new(h, VPos::Top)),
            ))?;
        }
        Ok(())
    }

    /// Each column's head wrapped within its column (`cw` wide), on at most three lines.
    fn column_heads<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        cw: i32,
        r: &Ruler,
    ) -> Vec<Vec<String>> {
        let style = r.bold(r.fonts().label, BLACK);
        let room = (cw - r.px(8.0)).max(1) as u32;
        self.columns
            .iter()
            .map(|col| wrap(root, col, &style, room, 3))
            .collect()
    }

    /// The column heads (their lines) over the grid that starts at `(x0, y0)`, the last line of
    /// each just above the grid.
    fn draw_columns<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        heads: &[Vec<String>],
        (x0, y0): (i32, i32),
        cw: i32,
        r: &Ruler,
    ) -> DrawResult<DB> {
        let column_style = r.bold(r.fonts().label, BLACK);
        let most = heads.iter().map(Vec::len).max().unwrap_or(0).max(2) as i32;
        for (j, lines) in heads.iter().enumerate() {
            for (l, line) in lines.iter().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    (
                        x0 + cw * j as i32 + cw / 2,
                        y0 - r.px(18.0) * (most - l as i32),
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
