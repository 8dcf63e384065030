//! The tree kind: a small decision tree drawn top down, each node a box with its text (a question,
//! or the answer a leaf gives) and a detail line under it, each inner node joined to its two
//! children by lines labelled with the two answers ("yes" to the left, "no" to the right). Leaves
//! spread evenly along the width in the order they are reached, each inner node centred over its
//! children. Its check, its table (one line per node) and its drawing.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::colour::{color, ink_on, GREY_TEXT};
use super::frame::frame;
use super::kind::{frame_fields, unit_scale, Kind};
use super::limits::{count, MAX_GROUPS};
use super::ruler::{Area, DrawResult, Ruler};
use super::text::wrap;
use crate::lang::Lang;
use crate::show::table::{self, Table};

/// One box of the tree; node 0 is the root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeBox {
    pub text: String,
    pub detail: String,
    /// The children an inner node's two answers lead to (the first answer's, the second's);
    /// `None` for a leaf.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<[usize; 2]>,
}

/// A decision tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeChart {
    pub title: String,
    pub note: String,
    pub nodes: Vec<TreeBox>,
    /// The two answers written on the lines to the children.
    pub answers: [String; 2],
    /// One fill per node.
    pub colors: Vec<String>,
    pub size: [u32; 2],
    /// Language of numbers (decimal comma in German).
    #[serde(default)]
    pub lang: Lang,
    /// Text, markers and lines this many times as large as the picture's size alone makes them
    /// (see [`super::Chart::factor`]); 1 where the file has none.
    #[serde(default = "unit_scale")]
    pub scale: f64,
}

/// The deepest tree drawn.
pub const MAX_TREE_DEPTH: usize = 6;

impl Kind for TreeChart {
    frame_fields!();

    fn reference_size(&self) -> (f64, f64) {
        let depth = self.depths().into_iter().max().unwrap_or(0) as f64;
        // the least height: boxes and edges a quarter shorter than at the usual height
        (1600.0, 160.0 + 110.0 * (depth + 1.0))
    }

    fn check(&self) -> Result<(), String> {
        if self.nodes.is_empty() {
            return Err("a tree needs at least one node".into());
        }
        count("nodes", self.nodes.len(), MAX_GROUPS)?;
        if self.colors.len() != self.nodes.len() {
            return Err(format!(
                "{} colours for {} nodes: expected one colour per node",
                self.colors.len(),
                self.nodes.len()
            ));
        }
        let mut parents = vec![0usize; self.nodes.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            for c in n.children.iter().flatten() {
                if *c <= i || *c >= self.nodes.len() {
                    return Err(format!(
                        "nodes[{i}] leads to node {c}: expected a node after it and below {}",
                        self.nodes.len()
                    ));
                }
                parents[*c] += 1;
            }
        }
        if let Some(i) = (1..self.nodes.len()).find(|&i| parents[i] != 1) {
            return Err(format!(
                "node {i} is reached from {} nodes: expected exactly one",
                parents[i]
            ));
        }
        let depth = self.depths().into_iter().max().unwrap_or(0);
        if depth > MAX_TREE_DEPTH {
            return Err(format!(
                "the tree is {depth} levels deep: expected at most {MAX_TREE_DEPTH}"
            ));
        }
        Ok(())
    }

    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut t = vec![&mut self.title, &mut self.note];
        t.extend(self.answers.iter_mut());
        for n in &mut self.nodes {
            t.push(&mut n.text);
            t.push(&mut n.detail);
        }
        t
    }

    fn colors(&self) -> &[String] {
        &self.colors
    }

    /// One line per node: its number, text, detail and the nodes its answers lead to.
    fn table(&self) -> Table {
        let mut t = Table::new(["node", "text", "detail", "first_answer", "second_answer"]);
        for (i, n) in self.nodes.iter().enumerate() {
            let child = |a: usize| match n.children {
                Some(c) => table::Cell::count(c[a] + 1),
                None => table::Cell::text(""),
            };
            t.push(vec![
                table::Cell::count(i + 1),
                table::Cell::text(n.text.as_str()),
                table::Cell::text(n.detail.as_str()),
                child(0),
                child(1),
            ]);
        }
        t
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB> {
        let (top, root) = frame(root, &self.title, &self.note, r)?;
        let root = &root;
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let depths = self.depths();
        let levels = depths.iter().max().copied().unwrap_or(0) as i32 + 1;
        let xs = self.positions();
        let leaves = self.nodes.iter().filter(|n| n.children.is_none()).count() as f64;
        let slot = (w - r.px(40.0)) as f64 / leaves.max(1.0);
        let box_w = (slot - r.px(14.0) as f64).clamp(40.0, r.px(300.0) as f64) as i32;
        let row_h = ((h - top - r.px(40.0)) / levels).max(40);
        let box_h = (row_h as f64 * 0.58) as i32;
        let centre = |i: usize| {
            let x = r.px(20.0) + (slot * (xs[i] + 0.5)).round() as i32;
            let y = top + r.px(14.0) + row_h * depths[i] as i32 + box_h / 2;
            (x, y)
        };
        let line = ShapeStyle::from(&GREY_TEXT).stroke_width(r.stroke(1.5));
        let answer = r.text(r.fonts().value, GREY_TEXT);
        for (i, n) in self.nodes.iter().enumerate() {
            let Some(children) = n.children else { continue };
            let (x, y) = centre(i);
            for (a, c) in children.into_iter().enumerate() {
                let (cx, cy) = centre(c);
                let from = (x, y + box_h / 2);
                let to = (cx, cy - box_h / 2);
                root.draw(&PathElement::new(vec![from, to], line))?;
                let mid = ((from.0 + to.0) / 2, (from.1 + to.1) / 2);
                let (dx, align) = if a == 0 {
                    (-r.px(6.0), HPos::Right)
                } else {
                    (r.px(6.0), HPos::Left)
                };
                root.draw(&Text::new(
                    self.answers[a].clone(),
                    (mid.0 + dx, mid.1),
                    answer.clone().pos(Pos::new(align, VPos::Center)),
                ))?;
            }
        }
        for (i, n) in self.nodes.iter().enumerate() {
            let (x, y) = centre(i);
            let fill = color(&self.colors[i]);
            let corners = [
                (x - box_w / 2, y - box_h / 2),
                (x + box_w / 2, y + box_h / 2),
            ];
            root.draw(&Rectangle::new(corners, fill.filled()))?;
            root.draw(&Rectangle::new(
                corners,
                ShapeStyle::from(&GREY_TEXT).stroke_width(r.stroke(1.0)),
            ))?;
            let ink = ink_on(fill);
            let strong = if n.children.is_none() {
                r.bold(r.fonts().label, ink)
            } else {
                r.text(r.fonts().label, ink)
            };
            let inner = (box_w - r.px(12.0)).max(10) as u32;
            let mut lines: Vec<(String, TextStyle)> = wrap(root, &n.text, &strong, inner, 4)
                .into_iter()
                .map(|l| (l, strong.clone()))
                .collect();
            let small = r.text(r.fonts().value, ink);
            for l in wrap(root, &n.detail, &small, inner, 2) {
                lines.push((l, small.clone()));
            }
            let step = r.px(17.0);
            let first = y - step * (lines.len() as i32 - 1) / 2;
            for (l, (text, style)) in lines.into_iter().enumerate() {
                root.draw(&Text::new(
                    text,
                    (x, first + step * l as i32),
                    style.pos(Pos::new(HPos::Center, VPos::Center)),
                ))?;
            }
        }
        Ok(())
    }
}

impl TreeChart {
    /// Each node's depth (the root's 0); a node no one leads to counts as a root.
    fn depths(&self) -> Vec<usize> {
        let mut d = vec![0usize; self.nodes.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            for &c in n.children.iter().flatten() {
                if c > i && c < d.len() {
                    d[c] = d[i] + 1;
                }
            }
        }
        d
    }

    /// Each node's horizontal place in leaf slots: leaves 0, 1, … in the order they are reached
    /// (first answer first), inner nodes halfway between their children.
    fn positions(&self) -> Vec<f64> {
        let mut x = vec![0.0; self.nodes.len()];
        let mut next = 0.0;
        self.place(0, &mut x, &mut next, 0);
        x
    }

    fn place(&self, i: usize, x: &mut [f64], next: &mut f64, depth: usize) {
        match self.nodes[i].children {
            Some([a, b]) if depth <= MAX_TREE_DEPTH => {
                self.place(a, x, next, depth + 1);
                self.place(b, x, next, depth + 1);
                x[i] = (x[a] + x[b]) / 2.0;
            }
            _ => {
                x[i] = *next;
                *next += 1.0;
            }
        }
    }
}
