//! The rows in transposed blocks of four, for the assignment step of Lloyd's algorithm on small
//! data: the squared distances of four rows to one centre are computed together, one coordinate
//! at a time, with no branch until the four nearest centres are chosen. On a few hundred rows
//! this beats skipping distances with Hamerly's bounds, whose branches the CPU cannot predict.
//!
//! Each distance is summed in exactly the order of [`squared_distance`], so it has the same bits as
//! that function's, however wide the vector unit is (the loops are compiled for baseline x86-64 and
//! for AVX2, see `cluster::engine::fast`).
//!
//! [`squared_distance`]: crate::cluster::kmeans::squared_distance

use multiversion::multiversion;

/// Rows per block.
pub(in crate::cluster) const LANES: usize = 4;

/// `n` rows of `d` values, stored so that block b, coordinate t holds rows 4b..4b+4:
/// `values[(b * d + t) * 4 + lane]`. The last block is padded with copies of the last row.
pub(in crate::cluster) struct Blocks {
    values: Vec<f64>,
    n: usize,
    d: usize,
}

impl Blocks {
    /// Lays out row-major `x` (`n` rows of `d` values; [`assign`] needs `d` of at least 1).
    pub(in crate::cluster) fn new(x: &[f64], n: usize, d: usize) -> Self {
        let blocks = n.div_ceil(LANES);
        let mut values = vec![0.0; blocks * d * LANES];
        for b in 0..blocks {
            for lane in 0..LANES {
                let row = (b * LANES + lane).min(n - 1);
                for t in 0..d {
                    values[(b * d + t) * LANES + lane] = x[row * d + t];
                }
            }
        }
        Blocks { values, n, d }
    }

    /// The values in their block layout (`values[(b * d + t) * LANES + lane]`).
    pub(in crate::cluster) fn values(&self) -> &[f64] {
        &self.values
    }
}

/// Squared distances of the four rows of `block` to `centre`, in the order of
/// `squared_distance`: the coordinates in groups of four, each place in the group summed on its
/// own, the four partial sums added as (1st + 3rd) + (2nd + 4th), then the remaining coordinates
/// one by one.
#[inline(always)]
fn block_distances(block: &[f64], centre: &[f64]) -> [f64; LANES] {
    let mut part = [[0.0f64; LANES]; 4];
    let groups = centre.chunks_exact(4);
    let rest = groups.remainder();
    let mut blocks = block.chunks_exact(4 * LANES);
    for (values, c) in (&mut blocks).zip(groups) {
        for (place, p) in part.iter_mut().enumerate() {
            for lane in 0..LANES {
                let diff = values[place * LANES + lane] - c[place];
                p[lane] += diff * diff;
            }
        }
    }
    let mut sums = [0.0f64; LANES];
    for lane in 0..LANES {
        sums[lane] = (part[0][lane] + part[2][lane]) + (part[1][lane] + part[3][lane]);
    }
    for (values, &c) in blocks.remainder().chunks_exact(LANES).zip(rest) {
        for lane in 0..LANES {
            let diff = values[lane] - c;
            sums[lane] += diff * diff;
        }
    }
    sums
}

/// The squared distances of rows `first..n` to `centre`, into `out` (one per row).
#[multiversion(targets("x86_64+avx2"))]
pub(in crate::cluster) fn distances(
    blocks: &Blocks,
    centre: &[f64],
    first: usize,
    out: &mut [f64],
) {
    let Blocks { values, n, d } = blocks;
    if *d == 0 {
        out.fill(0.0);
        return;
    }
    let blocks = values.chunks_exact(d * LANES).enumerate();
    for (b, block) in blocks.skip(first / LANES) {
        let distances = block_distances(block, centre);
        let (start, end) = ((b * LANES).max(first), ((b + 1) * LANES).min(*n));
        out[start - first..end - first]
            .copy_from_slice(&distances[start - b * LANES..end - b * LANES]);
    }
}

/// Sets every row's label to its nearest of the `k` centres (row-major, `d` values each; the
/// lower index on a tie) and records each change as (row, old label, new label) in `changed`.
#[multiversion(targets("x86_64+avx2"))]
pub(in crate::cluster) fn assign(
    blocks: &Blocks,
    centres: &[f64],
    k: usize,
    labels: &mut [usize],
    changed: &mut Vec<(usize, usize, usize)>,
) {
    let Blocks { values, n, d } = blocks;
    changed.clear();
    for (b, block) in values.chunks_exact(d * LANES).enumerate() {
        let mut best = [f64::INFINITY; LANES];
        let mut nearest = [0usize; LANES];
        for (j, centre) in centres.chunks_exact(*d).take(k).enumerate() {
            let distances = block_distances(block, centre);
            for lane in 0..LANES {
                if distances[lane] < best[lane] {
                    best[lane] = distances[lane];
                    nearest[lane] = j;
                }
            }
        }
        let rows = &mut labels[b * LANES..((b + 1) * LANES).min(*n)];
        for (lane, (label, &j)) in rows.iter_mut().zip(&nearest).enumerate() {
            if *label != j {
                changed.push((b * LANES + lane, *label, j));
                *label = j;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::kmeans::squared_distance;

    fn rows(n: usize, d: usize) -> Vec<f64> {
        (0..n * d)
            .map(|i| ((i * 7) % 11) as f64 / 3.0 - 1.1)
            .collect()
    }

    #[test]
    fn distances_have_the_bits_of_squared_distance() {
        for d in 1..=13 {
            for n in 1..=9 {
                let x = rows(n, d);
                let centre: Vec<f64> = (0..d).map(|t| t as f64 * 0.37 - 0.9).collect();
                let mut out = vec![f64::NAN; n];
                let blocks = Blocks::new(&x, n, d);
                for first in 0..n {
                    distances(&blocks, &centre, first, &mut out[..n - first]);
                    for (i, o) in (first..n).zip(&out) {
                        let direct = squared_distance(&x[i * d..(i + 1) * d], &centre);
                        assert_eq!(o.to_bits(), direct.to_bits(), "row {i} of {n}, d = {d}");
                    }
                }
            }
        }
    }

    #[test]
    fn labels_are_the_nearest_centres_and_changes_are_recorded() {
        let d = 3;
        let centres = [0.0, 0.0, 0.0, 3.0, 3.0, 3.0, 1.0, 2.0, 0.5];
        for n in 1..=9 {
            let x = rows(n, d);
            let blocks = Blocks::new(&x, n, d);
            let mut labels = vec![0; n];
            let mut changed = Vec::new();
            assign(&blocks, &centres, 3, &mut labels, &mut changed);
            for (i, &l) in labels.iter().enumerate() {
                let row = &x[i * d..(i + 1) * d];
                let dist = |j: usize| squared_distance(row, &centres[j * d..(j + 1) * d]);
                let nearest = |j: usize| match j.cmp(&l) {
                    std::cmp::Ordering::Less => dist(l) < dist(j),
                    _ => dist(l) <= dist(j),
                };
                assert!((0..3).all(nearest), "row {i} of {n}");
            }
            let moved: Vec<usize> = (0..n).filter(|&i| labels[i] != 0).collect();
            assert_eq!(changed.iter().map(|c| c.0).collect::<Vec<_>>(), moved);
            assert!(changed
                .iter()
                .all(|&(i, from, to)| from == 0 && to == labels[i]));
            assign(&blocks, &centres, 3, &mut labels, &mut changed);
            assert!(changed.is_empty());
        }
    }
}
