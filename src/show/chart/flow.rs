//! The flow kind (alluvial, Sankey-style): columns of stacked blocks, the groups of an earlier
//! state on the left and of a later state on the right, joined by bands as wide as the number
//! that went from one group to the other; each block labelled with its name, number and share.
//! Two columns for two waves; a chain of more (`further`) for the types of k, k + 1, … Its check,
//! its table (one line per band, with its share of the group it left) and its drawing.

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
    /// Further columns to the right of `right`, each joined to the column before it by its own
    /// bands (none in a two-column chart; their colours follow the right blocks').
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub further: Vec<FlowColumn>,
    /// Text, markers and lines this many times as large as the picture's size alone makes them
    /// (see [`super::Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

/// A further column: its heading, its blocks (top to bottom) and the bands reaching them from the
/// column before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowColumn {
    pub heading: String,
    pub blocks: Vec<String>,
    pub bands: Vec<Band>,
}

/// One column as drawn: heading, blocks, their colours.
struct Column<'a> {
    heading: &'a str,
    blocks: &'a [String],
    colors: &'a [String],
}

/// A block's top and bottom in pixels.
type Span = (f64, f64);

/// How opaque a band is drawn in its left block's colour.
const BAND_ALPHA: f64 = 0.42;

impl Kind for Flow {
    frame_fields!();

    fn reference_size(&self) -> (f64, f64) {
        let blocks = self
            .columns()
            .iter()
            .map(|c| c.blocks.len())
            .max()
            .unwrap_or(1) as f64;
        let width = if self.further.is_empty() {
            1200.0
        } else {
            1600.0
        };
        (width, 200.0 + 60.0 * blocks)
    }

    fn check(&self) -> Result<(), String> {
        if self.left.is_empty() || self.right.is_empty() {
            return Err("a flow chart needs blocks on both sides".into());
        }
        count("left blocks", self.left.len(), MAX_GROUPS)?;
        count("right blocks", self.right.len(), MAX_GROUPS)?;
        count("further columns", self.further.len(), MAX_GROUPS)?;
        let blocks: usize = self.block_counts().iter().sum();
        if self.colors.len() != blocks {
            return Err(format!(
                "{} colours for {blocks} blocks: expected one colour per block (the left ones', then the right ones', then those of each further column)",
                self.colors.len(),
            ));
        }
        if self.decimals > MAX_DECIMALS {
            return Err(format!(
                "decimals {}: expected 0 to {MAX_DECIMALS}",
                self.decimals
            ));
        }
        let mut bands = 0;
        for (c, column) in self.further.iter().enumerate() {
            if column.blocks.is_empty() {
                return Err(format!("further[{c}] has no blocks: expected at least one"));
            }
            count(
                "blocks of a further column",
                column.blocks.len(),
                MAX_GROUPS,
            )?;
            bands += column.bands.len();
        }
        count("bands", self.bands.len() + bands, MAX_BARS)?;
        let sizes = self.block_counts();
        for (step, list) in self.steps().into_iter().enumerate() {
            let name = |i: usize| {
                if step == 0 {
                    format!("bands[{i}]")
                } else {
                    format!("further[{}].bands[{i}]", step - 1)
                }
            };
            for (i, b) in list.iter().enumerate() {
                if b.from >= sizes[step] || b.to >= sizes[step + 1] {
                    return Err(format!(
                        "{} joins blocks {} and {}: expected a left block below {} and a right block below {}",
                        name(i),
                        b.from,
                        b.to,
                        sizes[step],
                        sizes[step + 1]
                    ));
                }
                finite(&format!("{}.value", name(i)), b.value)?;
                if b.value < 0.0 {
                    return Err(format!(
                        "{}.value {}: expected a number of at least 0",
                        name(i),
                        b.value
                    ));
                }
            }
            if total(list) <= 0.0 {
                return Err("the bands hold nothing: expected a value above 0".into());
            }
        }
        Ok(())
    }

    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut t = vec![&mut self.title, &mut self.note];
        t.extend(self.columns.iter_mut());
        t.extend(self.left.iter_mut().chain(&mut self.right));
        for c in &mut self.further {
            t.push(&mut c.heading);
            t.extend(c.blocks.iter_mut());
        }
        t
    }

    fn colors(&self) -> &[String] {
        &self.colors
    }

    /// One line per band: from, to, value, and its share of what left its left block; with
    /// further columns, each band's columns too.
    fn table(&self) -> Table {
        let chain = !self.further.is_empty();
        let mut t = if chain {
            Table::new([
                "from_column",
                "from",
                "to_column",
                "to",
                "value",
                "share_of_from",
            ])
        } else {
            Table::new(["from", "to", "value", "share_of_from"])
        };
        let columns = self.columns();
        for (step, list) in self.steps().into_iter().enumerate() {
            let out = sums(list, columns[step].blocks.len(), true);
            for b in list {
                let mut row = Vec::new();
                if chain {
                    row.push(table::Cell::text(columns[step].heading));
                }
                row.push(table::Cell::text(columns[step].blocks[b.from].as_str()));
                if chain {
                    row.push(table::Cell::text(columns[step + 1].heading));
                }
                row.extend([
                    table::Cell::text(columns[step + 1].blocks[b.to].as_str()),
                    table::Cell::rounded(b.value, self.decimals.max(4)),
                    table::Cell::percent(100.0 * b.value / out[b.from].max(f64::MIN_POSITIVE), 1),
                ]);
                t.push(row);
            }
        }
        t
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB> {
        let (top, root) = frame(root, &self.title, &self.note, r)?;
        let root = &root;
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let columns = self.columns();
        let steps = self.steps();
        let n = columns.len() as i32;
        // a chain's outer labels are narrower; its middle columns' labels sit right of their bars
        let label_w = (w as f64 * if n > 2 { 0.16 } else { 0.24 }) as i32;
        let mid_w = (w as f64 * 0.12) as i32;
        let bar_w = r.px(22.0).max(4);
        let (first, last) = (label_w + r.px(16.0), w - label_w - r.px(16.0) - bar_w);
        let mid_room = bar_w + r.px(16.0) + mid_w;
        let gap_x = (last - first - bar_w - (n - 2) * mid_room) / (n - 1);
        // each column's bar, and where the bands leaving it start
        let mut xs = vec![first];
        let mut starts = vec![first + bar_w];
        for i in 1..n {
            let x = starts[i as usize - 1] + gap_x;
            xs.push(x);
            starts.push(x + if i < n - 1 { mid_room } else { bar_w });
        }
        let y0 = top + r.px(40.0);
        let y1 = h - r.px(48.0);
        let head = r.bold(r.fonts().label, BLACK);
        for (c, x) in columns.iter().zip(&xs) {
            root.draw(&Text::new(
                c.heading.to_string(),
                (x + bar_w / 2, y0 - r.px(20.0)),
                head.clone().pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
        let gap = r.px(12.0).max(2) as f64;
        let most = columns.iter().map(|c| c.blocks.len()).max().unwrap_or(1) as f64;
        let largest = steps.iter().map(|s| total(s)).fold(0.0, f64::max);
        let per = ((y1 - y0) as f64 - gap * (most - 1.0)).max(10.0) / largest;
        let column_sums: Vec<Vec<f64>> = (0..columns.len())
            .map(|i| match i {
                0 => sums(steps[0], columns[0].blocks.len(), true),
                _ => sums(steps[i - 1], columns[i].blocks.len(), false),
            })
            .collect();
        let blocks: Vec<Vec<(f64, f64)>> = column_sums
            .iter()
            .map(|s| self.blocks(s, y0 as f64, gap, per))
            .collect();
        for (i, list) in steps.iter().enumerate() {
            let ends = (starts[i], xs[i + 1]);
            let sides = (&blocks[i][..], &blocks[i + 1][..]);
            draw_bands(root, ends, list, columns[i].colors, sides, per)?;
        }
        for (i, c) in columns.iter().enumerate() {
            let (x, sums) = (xs[i], &column_sums[i]);
            let all: f64 = sums.iter().sum();
            for (b, name) in c.blocks.iter().enumerate() {
                let (top, bottom) = blocks[i][b];
                if bottom > top {
                    root.draw(&Rectangle::new(
                        [(x, top.round() as i32), (x + bar_w, bottom.round() as i32)],
                        color(&c.colors[b]).filled(),
                    ))?;
                }
                let share = 100.0 * sums[b] / all;
                let figures = format!(
                    "{} ({} %)",
                    number(sums[b], self.decimals, self.lang),
                    number(share, 1, self.lang)
                );
                let (at, width) = if i == 0 {
                    ((x - r.px(8.0), HPos::Right), label_w)
                } else if i + 1 == columns.len() {
                    ((x + bar_w + r.px(8.0), HPos::Left), label_w)
                } else {
                    ((x + bar_w + r.px(8.0), HPos::Left), mid_w)
                };
                self.draw_label(root, name, &figures, at, (top + bottom) / 2.0, width, r)?;
            }
        }
        Ok(())
    }
}

impl Flow {
    /// The columns, left to right, each with its blocks' colours.
    fn columns(&self) -> Vec<Column<'_>> {
        let mut out = vec![
            Column {
                heading: &self.columns[0],
                blocks: &self.left,
                colors: &[],
            },
            Column {
                heading: &self.columns[1],
                blocks: &self.right,
                colors: &[],
            },
        ];
        out.extend(self.further.iter().map(|c| Column {
            heading: &c.heading,
            blocks: &c.blocks,
            colors: &[],
        }));
        let mut at = 0;
        for c in &mut out {
            let end = (at + c.blocks.len()).min(self.colors.len());
            c.colors = &self.colors[at.min(end)..end];
            at += c.blocks.len();
        }
        out
    }

    /// How many blocks each column has.
    fn block_counts(&self) -> Vec<usize> {
        let mut out = vec![self.left.len(), self.right.len()];
        out.extend(self.further.iter().map(|c| c.blocks.len()));
        out
    }

    /// The bands between each two neighbouring columns.
    fn steps(&self) -> Vec<&[Band]> {
        let mut out = vec![&self.bands[..]];
        out.extend(self.further.iter().map(|c| &c.bands[..]));
        out
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
        let mut lines = wrap(root, name, &style, width.max(1) as u32, 3);
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

/// The bands, each an S-shaped ribbon from its place in its left block (bands ordered by
/// their right block) to its place in its right block (ordered by their left block).
fn draw_bands<DB: DrawingBackend>(
    root: &Area<DB>,
    (x0, x1): (i32, i32),
    bands: &[Band],
    colors: &[String],
    (left, right): (&[Span], &[Span]),
    per: f64,
) -> DrawResult<DB> {
    let mut by_left: Vec<usize> = (0..bands.len()).collect();
    by_left.sort_by_key(|&i| (bands[i].from, bands[i].to));
    let mut by_right = by_left.clone();
    by_right.sort_by_key(|&i| (bands[i].to, bands[i].from));
    let mut start = vec![0.0; bands.len()];
    let mut end = vec![0.0; bands.len()];
    let mut filled: Vec<f64> = left.iter().map(|b| b.0).collect();
    for &i in &by_left {
        let b = &bands[i];
        start[i] = filled[b.from];
        filled[b.from] += b.value * per;
    }
    let mut filled: Vec<f64> = right.iter().map(|b| b.0).collect();
    for &i in &by_right {
        let b = &bands[i];
        end[i] = filled[b.to];
        filled[b.to] += b.value * per;
    }
    const STEPS: usize = 40;
    for &i in &by_left {
        let b = &bands[i];
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
        let fill = color(&colors[b.from]).mix(BAND_ALPHA);
        root.draw(&Polygon::new(points, fill.filled()))?;
    }
    Ok(())
}

/// The sum of the bands leaving each of `n` left blocks (`left`) or reaching each right block.
fn sums(bands: &[Band], n: usize, left: bool) -> Vec<f64> {
    let mut out = vec![0.0; n];
    for b in bands {
        out[if left { b.from } else { b.to }] += b.value;
    }
    out
}

/// Everything the bands hold.
fn total(bands: &[Band]) -> f64 {
    bands.iter().map(|b| b.value).sum()
}
