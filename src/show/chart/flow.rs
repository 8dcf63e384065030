//! The flow kind (alluvial, Sankey-style): two columns of stacked blocks, the groups of an
//! earlier state on the left and of a later state on the right, joined by bands as wide as the
//! number that went from one group to the other; each block labelled with its name, number and
//! share. Its check, its table (one line per band, with its share of the group it left) and its
//! drawing.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::colour::{color, GREY_TEXT};
use super::frame::frame;
use super::kind::{frame_fields, unit_scale, Kind};
use super::limits::{count, finite, MAX_BARS, MAX_DECIMALS, MAX_GROUPS};
use super::ruler::{Area, DrawResult, Ruler};
use super::text::wrap;
use crate::lang::Lang;
use crate::show::format::number;
use crate::show::table::{self, Table};

/// One band: how much went from left block `from` to right block `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub from: usize,
    pub to: usize,
    pub value: f64,
}

/// Two columns of blocks joined by bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub title: String,
    pub note: String,
    /// The headings over the left and the right column.
    pub columns: [String; 2],
    /// The left blocks, top to bottom.
    pub left: Vec<String>,
    /// The right blocks, top to bottom.
    pub right: Vec<String>,
    /// One colour per block: the left blocks', then the right blocks'.
    pub colors: Vec<String>,
    pub bands: Vec<Band>,
    /// Decimals the values are shown with (0 for counts).
    pub decimals: usize,
    pub size: [u32; 2],
    /// Language of numbers (decimal comma in German).
    #[serde(default)]
    pub lang: Lang,
    /// Text, markers and lines this many times as large as the picture's size alone makes them
    /// (see [`super::Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

/// How opaque a band is drawn in its left block's colour.
const BAND_ALPHA: f64 = 0.42;

impl Kind for Flow {
    frame_fields!();

    fn reference_size(&self) -> (f64, f64) {
        let blocks = self.left.len().max(self.right.len()) as f64;
        (1200.0, 200.0 + 60.0 * blocks)
    }

    fn check(&self) -> Result<(), String> {
        if self.left.is_empty() || self.right.is_empty() {
            return Err("a flow chart needs blocks on both sides".into());
        }
        count("left blocks", self.left.len(), MAX_GROUPS)?;
        count("right blocks", self.right.len(), MAX_GROUPS)?;
        count("bands", self.bands.len(), MAX_BARS)?;
        if self.colors.len() != self.left.len() + self.right.len() {
            return Err(format!(
                "{} colours for {} blocks: expected one colour per block (the left ones', then the right ones')",
                self.colors.len(),
                self.left.len() + self.right.len()
            ));
        }
        if self.decimals > MAX_DECIMALS {
            return Err(format!(
                "decimals {}: expected 0 to {MAX_DECIMALS}",
                self.decimals
            ));
        }
        for (i, b) in self.bands.iter().enumerate() {
            if b.from >= self.left.len() || b.to >= self.right.len() {
                return Err(format!(
                    "bands[{i}] joins blocks {} and {}: expected a left block below {} and a right block below {}",
                    b.from,
                    b.to,
                    self.left.len(),
                    self.right.len()
                ));
            }
            finite(&format!("bands[{i}].value"), b.value)?;
            if b.value < 0.0 {
                return Err(format!(
                    "bands[{i}].value {}: expected a number of at least 0",
                    b.value
                ));
            }
        }
        if self.total() <= 0.0 {
            return Err("the bands hold nothing: expected a value above 0".into());
        }
        Ok(())
    }

    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut t = vec![&mut self.title, &mut self.note];
        t.extend(self.columns.iter_mut());
        t.extend(self.left.iter_mut().chain(&mut self.right));
        t
    }

    fn colors(&self) -> &[String] {
        &self.colors
    }

    /// One line per band: from, to, value, and its share of what left its left block.
    fn table(&self) -> Table {
        let mut t = Table::new(["from", "to", "value", "share_of_from"]);
        let out = self.sums(true);
        for b in &self.bands {
            t.push(vec![
                table::Cell::text(self.left[b.from].as_str()),
                table::Cell::text(self.right[b.to].as_str()),
                table::Cell::rounded(b.value, self.decimals.max(4)),
                table::Cell::percent(100.0 * b.value / out[b.from].max(f64::MIN_POSITIVE), 1),
            ]);
        }
        t
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB> {
        let top = frame(root, &self.title, &self.note, r)?;
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let label_w = (w as f64 * 0.24) as i32;
        let bar_w = r.px(22.0).max(4);
        let (xl, xr) = (label_w + r.px(16.0), w - label_w - r.px(16.0) - bar_w);
        let y0 = top + r.px(40.0);
        let y1 = h - r.px(48.0);
        let head = r.bold(r.fonts().label, BLACK);
        for (text, x) in self.columns.iter().zip([xl + bar_w / 2, xr + bar_w / 2]) {
            root.draw(&Text::new(
                text.clone(),
                (x, y0 - r.px(20.0)),
                head.clone().pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
        let gap = r.px(12.0).max(2) as f64;
        let most = self.left.len().max(self.right.len()) as f64;
        let per = ((y1 - y0) as f64 - gap * (most - 1.0)).max(10.0) / self.total();
        let left = self.blocks(&self.sums(true), y0 as f64, gap, per);
        let right = self.blocks(&self.sums(false), y0 as f64, gap, per);
        self.draw_bands(root, (xl + bar_w, xr), &left, &right, per)?;
        let (left_colors, right_colors) = self.colors.split_at(self.left.len());
        let sides = [
            (&self.left, left_colors, &left, &self.sums(true), xl, true),
            (
                &self.right,
                right_colors,
                &right,
                &self.sums(false),
                xr,
                false,
            ),
        ];
        for (names, colors, blocks, sums, x, on_left) in sides {
            for (i, name) in names.iter().enumerate() {
                let (top, bottom) = blocks[i];
                if bottom > top {
                    root.draw(&Rectangle::new(
                        [(x, top.round() as i32), (x + bar_w, bottom.round() as i32)],
                        color(&colors[i]).filled(),
                    ))?;
                }
                let share = 100.0 * sums[i] / self.total();
                let figures = format!(
                    "{} ({} %)",
                    number(sums[i], self.decimals, self.lang),
                    number(share, 1, self.lang)
                );
                let at = if on_left {
                    (x - r.px(8.0), HPos::Right)
                } else {
                    (x + bar_w + r.px(8.0), HPos::Left)
                };
                self.draw_label(root, name, &figures, at, (top + bottom) / 2.0, label_w, r)?;
            }
        }
        Ok(())
    }
}

impl Flow {
    /// The sum of the bands leaving each left block (`left`) or reaching each right block.
    fn sums(&self, left: bool) -> Vec<f64> {
        let mut out = vec![
            0.0;
            if left {
                self.left.len()
            } else {
                self.right.len()
            }
        ];
        for b in &self.bands {
            out[if left { b.from } else { b.to }] += b.value;
        }
        out
    }

    /// Everything the bands hold.
    fn total(&self) -> f64 {
        self.bands.iter().map(|b| b.value).sum()
    }

    /// Each block's top and bottom: stacked from `y0`, `gap` apart, `per` pixels per unit.
    fn blocks(&self, sums: &[f64], y0: f64, gap: f64, per: f64) -> Vec<(f64, f64)> {
        let mut y = y0;
        sums.iter()
            .map(|s| {
                let block = (y, y + s * per);
                y = block.1 + gap;
                block
            })
            .collect()
    }

    /// The bands, each an S-shaped ribbon from its place in its left block (bands ordered by
    /// their right block) to its place in its right block (ordered by their left block).
    fn draw_bands<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        (x0, x1): (i32, i32),
        left: &[(f64, f64)],
        right: &[(f64, f64)],
        per: f64,
    ) -> DrawResult<DB> {
        let mut by_left: Vec<usize> = (0..self.bands.len()).collect();
        by_left.sort_by_key(|&i| (self.bands[i].from, self.bands[i].to));
        let mut by_right = by_left.clone();
        by_right.sort_by_key(|&i| (self.bands[i].to, self.bands[i].from));
        let mut start = vec![0.0; self.bands.len()];
        let mut end = vec![0.0; self.bands.len()];
        let mut filled: Vec<f64> = left.iter().map(|b| b.0).collect();
        for &i in &by_left {
            let b = &self.bands[i];
            start[i] = filled[b.from];
            filled[b.from] += b.value * per;
        }
        let mut filled: Vec<f64> = right.iter().map(|b| b.0).collect();
        for &i in &by_right {
            let b = &self.bands[i];
            end[i] = filled[b.to];
            filled[b.to] += b.value * per;
        }
        const STEPS: usize = 40;
        for &i in &by_left {
            let b = &self.bands[i];
            let thick = b.value * per;
            if thick <= 0.0 {
                continue;
            }
            let curve = |offset: f64| -> Vec<(i32, i32)> {
                (0..=STEPS)
                    .map(|s| {
                        let t = s as f64 / STEPS as f64;
                        let eased = t * t * (3.0 - 2.0 * t);
                        let x = x0 as f64 + t * (x1 - x0) as f64;
                        let y = start[i] + (end[i] - start[i]) * eased + offset;
                        (x.round() as i32, y.round() as i32)
                    })
                    .collect()
            };
            let mut points = curve(0.0);
            points.extend(curve(thick).into_iter().rev());
            let fill = color(&self.colors[b.from]).mix(BAND_ALPHA);
            root.draw(&Polygon::new(points, fill.filled()))?;
        }
        Ok(())
    }

    /// A block's name (wrapped within `width`) and its figures under it, at `x` aligned as
    /// `align`, centred on `y`.
    #[allow(clippy::too_many_arguments)]
    fn draw_label<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        name: &str,
        figures: &str,
        (x, align): (i32, HPos),
        y: f64,
        width: i32,
        r: &Ruler,
    ) -> DrawResult<DB> {
        let style = r.text(r.fonts().label, BLACK);
        let mut lines = wrap(root, name, &style, width.max(1) as u32, 2);
        lines.push(figures.to_string());
        let step = r.px(17.0);
        let first = y.round() as i32 - step * (lines.len() as i32 - 1) / 2;
        let last = lines.len() - 1;
        for (l, line) in lines.into_iter().enumerate() {
            let s = if l == last {
                r.text(r.fonts().value, GREY_TEXT)
            } else {
                style.clone()
            };
            root.draw(&Text::new(
                line,
                (x, first + step * l as i32),
                s.pos(Pos::new(align, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}
