//! A threshold tree that reproduces a partition in a few questions ("three questions to find your
//! type"): each inner node asks whether one variable is at most a threshold, each leaf names a
//! type. Built as IMM does (Dasgupta, Frost, Moshkovitz & Rashtchian 2020, "Explainable k-means
//! and k-medians clustering"): top down, each node's split separates the centres that reached it
//! and is chosen to make the fewest mistakes (rows sent away from their own centre; a row once
//! sent away counts no more), until each leaf holds one centre: k leaves. Unlike IMM the tree
//! stops at `max_depth`; a leaf still holding several centres names the type most of its rows
//! belong to. Then, as ExKMC adds leaves beyond k (Frost, Moshkovitz & Rashtchian 2020), a leaf
//! above `max_depth` is split again where that assigns at least `min_gain` more rows to their own
//! type (each new leaf naming its rows' most frequent type), the largest gain first.
//!
//! Thresholds lie halfway between two neighbouring values (of the rows or the centres); each
//! split also keeps the largest row value at or below it and the smallest above, so that a
//! question can be worded in the answers' own values ("at most 2", "at least 3"). Scaling each
//! variable by a positive factor changes no split, so the tree is built in the answers' units.
//! Ties go to the lower variable, then the lower threshold, then the lower type: the same tree
//! every time.

use ndarray::Array2;

/// How deep and how bushy the tree may grow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TreeOptions {
    pub max_depth: usize,
    /// An extra leaf beyond IMM's must assign at least this many more rows to their own type.
    pub min_gain: usize,
}

impl TreeOptions {
    /// At most three questions; an extra leaf must win at least 2 % of the `n` rows, and at least
    /// 3 (no rule for one or two municipalities).
    pub fn three_questions(n: usize) -> TreeOptions {
        TreeOptions {
            max_depth: 3,
            min_gain: (n / 50).max(3),
        }
    }
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum TreeNode {
    /// Rows whose `variable` is at most `threshold` go `below`, the others `above`.
    Split {
        variable: usize,
        threshold: f64,
        /// The largest row value at or below the threshold, and the smallest above it.
        below_max: f64,
        above_min: f64,
        below: Box<TreeNode>,
        above: Box<TreeNode>,
    },
    /// The type of the rows that reach it: `n` rows, `agree` of them in that type.
    Leaf {
        label: usize,
        n: usize,
        agree: usize,
    },
}

impl TreeNode {
    /// The leaf a row reaches.
    pub fn leaf_of(&self, row: &[f64]) -> usize {
        match self {
            TreeNode::Leaf { label, .. } => *label,
            TreeNode::Split {
                variable,
                threshold,
                below,
                above,
                ..
            } => {
                if row[*variable] <= *threshold {
                    below.leaf_of(row)
                } else {
                    above.leaf_of(row)
                }
            }
        }
    }

    /// How many questions the deepest leaf takes.
    pub fn depth(&self) -> usize {
        match self {
            TreeNode::Leaf { .. } => 0,
            TreeNode::Split { below, above, .. } => 1 + below.depth().max(above.depth()),
        }
    }

    /// The number of leaves.
    pub fn leaves(&self) -> usize {
        match self {
            TreeNode::Leaf { .. } => 1,
            TreeNode::Split { below, above, .. } => below.leaves() + above.leaves(),
        }
    }
}

/// The tree, and the type it gives each row.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdTree {
    pub root: TreeNode,
    /// The tree's type of each row (the rows' order).
    pub labels: Vec<usize>,
    /// How many rows it gives their own type.
    pub agree: usize,
}

impl ThresholdTree {
    /// The share of rows the tree gives their own type.
    pub fn agreement(&self) -> f64 {
        self.agree as f64 / self.labels.len().max(1) as f64
    }
}

/// The threshold tree of the partition `labels` of the rows of `x` around `centres` (one row per
/// type, in the same units as `x`).
pub fn threshold_tree(
    x: &Array2<f64>,
    labels: &[usize],
    centres: &Array2<f64>,
    options: &TreeOptions,
) -> ThresholdTree {
    let data = Data { x, labels, centres };
    let rows: Vec<usize> = (0..x.nrows()).collect();
    let all: Vec<usize> = (0..centres.nrows()).collect();
    let mut root = data.imm(&rows, &rows, &all, 0, options.max_depth);
    data.grow(&mut root, &rows, 0, options);
    let tree_labels: Vec<usize> = x
        .rows()
        .into_iter()
        .map(|r| root.leaf_of(&r.to_vec()))
        .collect();
    let agree = tree_labels
        .iter()
        .zip(labels)
        .filter(|(a, b)| a == b)
        .count();
    ThresholdTree {
        root,
        labels: tree_labels,
        agree,
    }
}

struct Data<'a> {
    x: &'a Array2<f64>,
    labels: &'a [usize],
    centres: &'a Array2<f64>,
}

/// A split found: variable, threshold, its cost or gain.
#[derive(Clone, Copy)]
struct Cut {
    variable: usize,
    threshold: f64,
    score: usize,
}

impl Data<'_> {
    fn k(&self) -> usize {
        self.centres.nrows()
    }

    /// IMM below a node: `rows` reach it, `live` of them (their centre reached it too) count
    /// mistakes, `centres` reached it.
    fn imm(
        &self,
        rows: &[usize],
        live: &[usize],
        centres: &[usize],
        depth: usize,
        max_depth: usize,
    ) -> TreeNode {
        if centres.len() == 1 {
            return self.leaf(rows, Some(centres[0]));
        }
        if depth >= max_depth {
            return self.leaf(rows, None);
        }
        let Some(cut) = self.fewest_mistakes(live, centres) else {
            return self.leaf(rows, None);
        };
        let (v, t) = (cut.variable, cut.threshold);
        let below_of = |set: &[usize]| -> (Vec<usize>, Vec<usize>) {
            set.iter().partition(|&&r| self.x[[r, v]] <= t)
        };
        let (rows_b, rows_a) = below_of(rows);
        let (cent_b, cent_a): (Vec<usize>, Vec<usize>) =
            centres.iter().partition(|&&c| self.centres[[c, v]] <= t);
        let kept = |set: Vec<usize>, cs: &[usize]| -> Vec<usize> {
            set.into_iter()
                .filter(|&r| cs.contains(&self.labels[r]))
                .collect()
        };
        let (live_b, live_a) = below_of(live);
        let (live_b, live_a) = (kept(live_b, &cent_b), kept(live_a, &cent_a));
        let below = self.imm(&rows_b, &live_b, &cent_b, depth + 1, max_depth);
        let above = self.imm(&rows_a, &live_a, &cent_a, depth + 1, max_depth);
        self.split(rows, v, t, below, above)
    }

    fn split(
        &self,
        rows: &[usize],
        v: usize,
        t: f64,
        below: TreeNode,
        above: TreeNode,
    ) -> TreeNode {
        let values = rows.iter().map(|&r| self.x[[r, v]]);
        let below_max = values
            .clone()
            .filter(|&x| x <= t)
            .fold(f64::NEG_INFINITY, f64::max);
        let above_min = values.filter(|&x| x > t).fold(f64::INFINITY, f64::min);
        TreeNode::Split {
            variable: v,
            threshold: t,
            below_max: if below_max.is_finite() { below_max } else { t },
            above_min: if above_min.is_finite() { above_min } else { t },
            below: Box::new(below),
            above: Box::new(above),
        }
    }

    /// A leaf for `rows`: of type `label`, or of their most frequent type (the lowest on a tie;
    /// type 0 when no row reaches it).
    fn leaf(&self, rows: &[usize], label: Option<usize>) -> TreeNode {
        let counts = self.counts(rows);
        let label = label.unwrap_or_else(|| argmax(&counts));
        TreeNode::Leaf {
            label,
            n: rows.len(),
            agree: counts[label],
        }
    }

    fn counts(&self, rows: &[usize]) -> Vec<usize> {
        let mut c = vec![0usize; self.k()];
        for &r in rows {
            c[self.labels[r]] += 1;
        }
        c
    }

    /// IMM's split: the variable and threshold separating `centres` with the fewest live rows
    /// sent away from their centre.
    fn fewest_mistakes(&self, live: &[usize], centres: &[usize]) -> Option<Cut> {
        let mut best: Option<Cut> = None;
        for v in 0..self.x.ncols() {
            let mut values: Vec<f64> = live.iter().map(|&r| self.x[[r, v]]).collect();
            values.extend(centres.iter().map(|&c| self.centres[[c, v]]));
            let (lo, hi) = centres
                .iter()
                .map(|&c| self.centres[[c, v]])
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
                    (a.min(y), b.max(y))
                });
            let mut order: Vec<usize> = live.to_vec();
            order.sort_by(|&a, &b| self.x[[a, v]].total_cmp(&self.x[[b, v]]));
            // rows of each centre at or below the threshold, as it sweeps upwards
            let mut left = vec![0usize; self.k()];
            let total = self.counts(live);
            let mut next = 0;
            for t in midpoints(values) {
                if t < lo || t >= hi {
                    continue;
                }
                while next < order.len() && self.x[[order[next], v]] <= t {
                    left[self.labels[order[next]]] += 1;
                    next += 1;
                }
                let mistakes = centres
                    .iter()
                    .map(|&c| {
                        if self.centres[[c, v]] <= t {
                            total[c] - left[c]
                        } else {
                            left[c]
                        }
                    })
                    .sum();
                if best.is_none_or(|b| mistakes < b.score) {
                    best = Some(Cut {
                        variable: v,
                        threshold: t,
                        score: mistakes,
                    });
                }
            }
        }
        best
    }

    /// ExKMC's extra leaves: while a leaf above `max_depth` gains at least `min_gain` rows
    /// assigned to their own type by a split, the largest gain first.
    fn grow(&self, root: &mut TreeNode, rows: &[usize], depth: usize, options: &TreeOptions) {
        loop {
            let mut best: Option<(Vec<bool>, Cut)> = None;
            self.best_leaf(root, rows, depth, options, &mut Vec::new(), &mut best);
            let Some((path, cut)) = best else { return };
            if cut.score < options.min_gain {
                return;
            }
            let (node, reach) = descend(root, rows, &path, self.x);
            let (v, t) = (cut.variable, cut.threshold);
            let (b, a): (Vec<usize>, Vec<usize>) =
                reach.iter().partition(|&&r| self.x[[r, v]] <= t);
            let (lb, la) = (self.leaf(&b, None), self.leaf(&a, None));
            *node = self.split(&reach, v, t, lb, la);
        }
    }

    /// Finds, among the leaves above the depth bound, the split with the largest gain; the path
    /// to its leaf (false: below) goes into `best`.
    fn best_leaf(
        &self,
        node: &TreeNode,
        rows: &[usize],
        depth: usize,
        options: &TreeOptions,
        path: &mut Vec<bool>,
        best: &mut Option<(Vec<bool>, Cut)>,
    ) {
        match node {
            TreeNode::Leaf { agree, .. } => {
                if depth >= options.max_depth {
                    return;
                }
                if let Some(cut) = self.most_agreement(rows, *agree) {
                    if best.as_ref().is_none_or(|(_, b)| cut.score > b.score) {
                        *best = Some((path.clone(), cut));
                    }
                }
            }
            TreeNode::Split {
                variable,
                threshold,
                below,
                above,
                ..
            } => {
                let (b, a): (Vec<usize>, Vec<usize>) = rows
                    .iter()
                    .partition(|&&r| self.x[[r, *variable]] <= *threshold);
                path.push(false);
                self.best_leaf(below, &b, depth + 1, options, path, best);
                path.pop();
                path.push(true);
                self.best_leaf(above, &a, depth + 1, options, path, best);
                path.pop();
            }
        }
    }

    /// The split of `rows` whose two majority leaves give the most rows their own type, as a gain
    /// over `agree` (the leaf's own).
    fn most_agreement(&self, rows: &[usize], agree: usize) -> Option<Cut> {
        let total = self.counts(rows);
        let mut best: Option<Cut> = None;
        for v in 0..self.x.ncols() {
            let mut order: Vec<usize> = rows.to_vec();
            order.sort_by(|&a, &b| self.x[[a, v]].total_cmp(&self.x[[b, v]]));
            let mut left = vec![0usize; self.k()];
            for i in 0..order.len().saturating_sub(1) {
                left[self.labels[order[i]]] += 1;
                let (here, there) = (self.x[[order[i], v]], self.x[[order[i + 1], v]]);
                if here == there {
                    continue;
                }
                let right_best = (0..self.k()).map(|c| total[c] - left[c]).max().unwrap_or(0);
                let won = left.iter().copied().max().unwrap_or(0) + right_best;
                let gain = won.saturating_sub(agree);
                if best.is_none_or(|b| gain > b.score) {
                    best = Some(Cut {
                        variable: v,
                        threshold: (here + there) / 2.0,
                        score: gain,
                    });
                }
            }
        }
        best
    }
}

/// The node at `path` below `root` and the rows of `rows` that reach it.
fn descend<'t>(
    root: &'t mut TreeNode,
    rows: &[usize],
    path: &[bool],
    x: &Array2<f64>,
) -> (&'t mut TreeNode, Vec<usize>) {
    let mut node = root;
    let mut reach = rows.to_vec();
    for &go_above in path {
        let TreeNode::Split {
            variable,
            threshold,
            below,
            above,
            ..
        } = node
        else {
            break;
        };
        let (v, t) = (*variable, *threshold);
        reach.retain(|&r| (x[[r, v]] > t) == go_above);
        node = if go_above { above } else { below };
    }
    (node, reach)
}

/// Halfway between each two neighbouring distinct values, ascending.
fn midpoints(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values.dedup();
    values.windows(2).map(|w| (w[0] + w[1]) / 2.0).collect()
}

/// The index of the largest count (the lowest on a tie).
fn argmax(counts: &[usize]) -> usize {
    let mut best = 0;
    for (i, &c) in counts.iter().enumerate() {
        if c > counts[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn separable_groups_are_reproduced_by_k_leaves() {
        // three groups, separated on the first variable
        let x = array![
            [1.0, 5.0],
            [1.0, 4.0],
            [3.0, 1.0],
            [3.0, 2.0],
            [5.0, 3.0],
            [5.0, 1.0]
        ];
        let labels = [0, 0, 1, 1, 2, 2];
        let centres = array![[1.0, 4.5], [3.0, 1.5], [5.0, 2.0]];
        let t = threshold_tree(&x, &labels, &centres, &TreeOptions::three_questions(6));
        assert_eq!(t.agree, 6);
        assert_eq!(t.labels, labels);
        assert_eq!(t.root.leaves(), 3);
        assert!(t.root.depth() <= 2);
    }

    #[test]
    fn the_depth_bound_holds_and_agreement_counts_the_leaves() {
        let x = crate::cluster::seed::synthetic(200, 8, 3);
        let k = 8;
        // eight groups by two coordinates' signs and a third's: more than three questions for IMM
        let labels: Vec<usize> = (0..200).map(|i| i % k).collect();
        let centres = crate::cluster::means(&x, &labels, k, &Array2::zeros((k, 8)));
        let t = threshold_tree(&x, &labels, &centres, &TreeOptions::three_questions(200));
        assert!(t.root.depth() <= 3);
        assert!(t.root.leaves() <= 8);
        let from_leaves = sum_leaves(&t.root);
        assert_eq!(from_leaves, (200, t.agree));
    }

    fn sum_leaves(n: &TreeNode) -> (usize, usize) {
        match n {
            TreeNode::Leaf { n, agree, .. } => (*n, *agree),
            TreeNode::Split { below, above, .. } => {
                let (a, b) = (sum_leaves(below), sum_leaves(above));
                (a.0 + b.0, a.1 + b.1)
            }
        }
    }
}
