//! The dendrogram chart kind: the top of a hierarchical clustering, its last merges over a few
//! leaves (each leaf a group of rows, labelled with its size), heights on the vertical axis and an
//! optional dashed line where the tree is cut; its check, its table and its drawing.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::axis::exact_tick;
use super::colour::parse_color;
use super::frame::frame;
use super::kind::{frame_fields, unit_scale, Kind};
use super::limits::finite;
use super::ruler::{Area, DrawResult, Ruler, FONT};
use crate::lang::Lang;
use crate::show::table::{self, Table};

/// The most leaves a dendrogram chart draws.
pub const MAX_LEAVES: usize = 200;

/// One leaf: a group of rows that merges only above the drawn part of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DendrogramLeaf {
    /// Shown under the leaf (its number of rows, say).
    pub label: String,
    pub size: u64,
}

/// One merge of the drawn tree, in merge order: `a` and `b` as R's `hclust` numbers them, `-i`
/// for leaf i (1-based), `j > 0` for the group formed by the j-th merge of this list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DendrogramMerge {
    pub a: i64,
    pub b: i64,
    pub height: f64,
}

/// A truncated dendrogram: `leaves.len() - 1` merges join the leaves into one tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dendrogram {
    pub title: String,
    pub note: String,
    /// The vertical axis' name.
    pub height_label: String,
    /// The horizontal axis' name (what the leaves are).
    pub leaf_label: String,
    pub leaves: Vec<DendrogramLeaf>,
    pub merges: Vec<DendrogramMerge>,
    /// A dashed line at this height, labelled `cut_label` (where the tree is cut into k groups).
    pub cut: Option<f64>,
    #[serde(default)]
    pub cut_label: String,
    pub color: String,
    pub size: [u32; 2],
    /// Text, marks and lines this many times as large as the picture's size alone makes them; 1
    /// where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
    #[serde(default)]
    pub lang: Lang,
}

impl Kind for Dendrogram {
    frame_fields!();

    fn reference_size(&self) -> (f64, f64) {
        (1100.0, 640.0)
    }

    /// Checks the tree: one merge fewer than leaves, each leaf and each merge used exactly once,
    /// a merge only of earlier merges, finite heights.
    fn check(&self) -> Result<(), String> {
        let p = self.leaves.len();
        if !(2..=MAX_LEAVES).contains(&p) {
            return Err(format!(
                "{p} leaves: expected 2 to {MAX_LEAVES} leaves in a dendrogram"
            ));
        }
        if self.merges.len() != p - 1 {
            return Err(format!(
                "{} merges for {p} leaves: expected {}",
                self.merges.len(),
                p - 1
            ));
        }
        let mut leaf_used = vec![false; p];
        let mut merge_used = vec![false; p - 1];
        for (i, m) in self.merges.iter().enumerate() {
            finite(&format!("merges[{i}].height"), m.height)?;
            if m.height < 0.0 {
                return Err(format!(
                    "merges[{i}].height {}: expected a height of at least 0",
                    m.height
                ));
            }
            for x in [m.a, m.b] {
                let used = if x < 0 {
                    leaf_used.get_mut(x.unsigned_abs() as usize - 1)
                } else if x > 0 && (x as usize) <= i {
                    merge_used.get_mut(x as usize - 1)
                } else {
                    None
                };
                match used {
                    Some(u) if !*u => *u = true,
                    Some(_) => {
                        return Err(format!("merges[{i}]: {x} is merged a second time"));
                    }
                    None => {
                        return Err(format!(
                            "merges[{i}]: {x} names no leaf (-1 to -{p}) and no earlier merge (1 to {i})"
                        ));
                    }
                }
            }
        }
        if let Some(c) = self.cut {
            finite("cut", c)?;
        }
        Ok(())
    }

    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut t = vec![
            &mut self.title,
            &mut self.note,
            &mut self.height_label,
            &mut self.leaf_label,
            &mut self.cut_label,
        ];
        t.extend(self.leaves.iter_mut().map(|l| &mut l.label));
        t
    }

    fn colors(&self) -> &[String] {
        std::slice::from_ref(&self.color)
    }

    /// One line per leaf (`what` = leaf), then one per merge, in order.
    fn table(&self) -> Table {
        let mut t = Table::new(["what", "number", "label", "size", "a", "b", "height"]);
        for (i, l) in self.leaves.iter().enumerate() {
            t.push(vec![
                table::Cell::text("leaf"),
                table::Cell::count(i + 1),
                table::Cell::text(l.label.as_str()),
                table::Cell::exact(l.size as f64),
                table::Cell::Empty,
                table::Cell::Empty,
                table::Cell::Empty,
            ]);
        }
        for (i, m) in self.merges.iter().enumerate() {
            t.push(vec![
                table::Cell::text("merge"),
                table::Cell::count(i + 1),
                table::Cell::Empty,
                table::Cell::Empty,
                table::Cell::exact(m.a as f64),
                table::Cell::exact(m.b as f64),
                table::Cell::number(m.height, 6),
            ]);
        }
        t
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB> {
        let (top, root) = frame(root, &self.title, &self.note, r)?;
        let root = &root;
        let top = top + r.px(8.0);
        let p = self.leaves.len();
        let order = self.leaf_order();
        let mut x_of_leaf = vec![0.0; p];
        for (pos, &leaf) in order.iter().enumerate() {
            x_of_leaf[leaf] = pos as f64 + 0.5;
        }
        let high = self
            .merges
            .iter()
            .map(|m| m.height)
            .chain(self.cut)
            .fold(0.0f64, f64::max);
        let high = if high > 0.0 { high * 1.06 } else { 1.0 };
        let area = root.margin(top.max(0) as u32, r.px(48.0), r.px(20.0), r.px(30.0));
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(r.px(56.0))
            .y_label_area_size(r.px(64.0))
            .build_cartesian_2d(0.0..p as f64, 0.0..high)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_label_formatter(&|v| exact_tick(*v, self.lang))
            .y_desc(self.height_label.as_str())
            .label_style((FONT, r.fonts().tick))
            .axis_desc_style((FONT, r.fonts().label))
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(0xe2, 0xe2, 0xe2))
            .draw()?;
        let ink = parse_color(&self.color)
            .map_or(RGBColor(0x33, 0x33, 0x33), |(r, g, b)| RGBColor(r, g, b));
        // position and height of each merge's group
        let mut at: Vec<(f64, f64)> = Vec::with_capacity(self.merges.len());
        let node = |x: i64, at: &[(f64, f64)]| -> (f64, f64) {
            if x < 0 {
                (x_of_leaf[x.unsigned_abs() as usize - 1], 0.0)
            } else {
                at[x as usize - 1]
            }
        };
        for m in &self.merges {
            let (xa, ha) = node(m.a, &at);
            let (xb, hb) = node(m.b, &at);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(xa, ha), (xa, m.height), (xb, m.height), (xb, hb)],
                ink.stroke_width(r.stroke(2.0)),
            )))?;
            at.push(((xa + xb) / 2.0, m.height));
        }
        // the leaves: a mark and the label under the axis
        let label_style = (FONT, r.fonts().value).into_font().color(&BLACK);
        for (leaf, l) in self.leaves.iter().enumerate() {
            let x = x_of_leaf[leaf];
            let (px, py) = chart.backend_coord(&(x, 0.0));
            root.draw(&Circle::new((px, py), r.px(3.0), ink.filled()))?;
            root.draw(&Text::new(
                l.label.clone(),
                (px, py + r.px(8.0)),
                label_style.clone().pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        let (left, bottom) = chart.backend_coord(&(0.0, 0.0));
        let (right, _) = chart.backend_coord(&(p as f64, 0.0));
        root.draw(&Text::new(
            self.leaf_label.clone(),
            ((left + right) / 2, bottom + r.px(30.0)),
            (FONT, r.fonts().label)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        if let Some(c) = self.cut {
            let orange = RGBColor(0xD5, 0x5E, 0x00);
            let (x0, y) = chart.backend_coord(&(0.0, c));
            let (x1, _) = chart.backend_coord(&(p as f64, c));
            let mut x = x0;
            while x < x1 {
                root.draw(&PathElement::new(
                    vec![(x, y), ((x + r.px(8.0)).min(x1), y)],
                    orange.stroke_width(r.stroke(2.0)),
                ))?;
                x += r.px(14.0).max(2);
            }
            root.draw(&Text::new(
                self.cut_label.clone(),
                (x1 - r.px(4.0), y - r.px(4.0)),
                (FONT, r.fonts().value)
                    .into_font()
                    .color(&orange)
                    .pos(Pos::new(HPos::Right, VPos::Bottom)),
            ))?;
        }
        Ok(())
    }
}

impl Dendrogram {
    /// The leaves in drawing order (left to right: the first-named side of each merge first,
    /// from the last merge down).
    fn leaf_order(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.leaves.len());
        let mut stack = vec![self.merges.len() as i64];
        while let Some(x) = stack.pop() {
            if x < 0 {
                order.push(x.unsigned_abs() as usize - 1);
            } else {
                let m = &self.merges[x as usize - 1];
                stack.push(m.b);
                stack.push(m.a);
            }
        }
        order
    }
}
