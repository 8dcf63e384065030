//! The fast k-means path: greedy k-means++ starts, exact Lloyd iterations, restarts in parallel.
//! Up to [`LLOYD_MAX_ROWS`] rows every iteration computes every distance, four rows at a time
//! (`cluster::engine::blocks`); above, Hamerly's bounds skip most distances, and the assignment
//! step runs in fixed-size chunks whose results are combined in chunk order, so that the result is
//! the same for any number of threads. Both take the same steps from the same start (a unit test checks it);
//! linfa-clustering is the reference this path is tested against.
//!
//! The loops over the rows (distances for the k-means++ start, the assignments, each Hamerly
//! step) are compiled twice, for baseline x86-64 and for AVX2, and the CPU picks at run time
//! (`multiversion`). Only AVX2 is enabled, not FMA, and every sum is written out lane by lane, so
//! both versions do the same floating-point operations in the same order: the same bits on every
//! x86-64 machine.

use multiversion::multiversion;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::blocks::{self, Blocks};
use super::hartigan_wong::hartigan_wong;
use crate::cluster::error::ClusterError;
use crate::cluster::kmeans::{Algorithm, KMeansSettings, Partition};
use crate::cluster::seed::derive_seed;

/// Rows per chunk of the parallel assignment step (fixed, so results do not depend on threads).
const CHUNK: usize = 8192;

/// Up to this many rows, each iteration computes every distance (Lloyd's algorithm over
/// [`Blocks`]); above it, Hamerly's bounds skip most of them. Both give the same partition from
/// the same start.
const LLOYD_MAX_ROWS: usize = CHUNK;

use crate::cluster::kmeans::squared_distance as dist2;

/// A row drawn with probability proportional to its weight (uniformly when unweighted, with the
/// same single draw as before weights existed, so an unweighted run keeps its bytes).
fn draw_by_weight(w: Option<&[f64]>, n: usize, rng: &mut Xoshiro256PlusPlus) -> usize {
    let Some(w) = w else {
        return rng.gen_range(0..n);
    };
    let total: f64 = w.iter().sum();
    let mut u = rng.gen::<f64>() * total;
    for (i, &wi) in w.iter().enumerate() {
        if u < wi {
            return i;
        }
        u -= wi;
    }
    // rounding left u at the end: the last row with a weight
    w.iter().rposition(|&wi| wi > 0.0).unwrap_or(n - 1)
}

/// Greedy k-means++ (as scikit-learn): the first centre drawn with probability proportional to
/// the row's weight, each new centre the best of 2 + ln(k) candidates drawn with probability
/// proportional to weight × the squared distance to the nearest centre so far.
fn init(data: &Data, k: usize, rng: &mut Xoshiro256PlusPlus) -> Vec<f64> {
    let Data { w, n, d, .. } = *data;
    let wt = |i: usize| w.map_or(1.0, |w| w[i]);
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut centers = Vec::with_capacity(k * d);
    let first = draw_by_weight(w, n, rng);
    centers.extend_from_slice(data.row(first));
    let mut closest = vec![0.0f64; n];
    data.distances(&centers[..d], &mut closest);
    let mut potential: f64 = closest.iter().enumerate().map(|(i, c)| wt(i) * c).sum();
    let mut candidate_closest = vec![0.0f64; n];
    let mut best_closest = vec![0.0f64; n];
    for _ in 1..k {
        let mut best: Option<(f64, usize)> = None;
        for _ in 0..trials {
            let candidate = if potential > 0.0 {
                let mut u = rng.gen::<f64>() * potential;
                let mut pick = n - 1;
                for (i, c) in closest.iter().enumerate() {
                    let mass = wt(i) * c;
                    if u < mass {
                        pick = i;
                        break;
                    }
                    u -= mass;
                }
                pick
            } else {
                draw_by_weight(w, n, rng)
            };
            data.distances(data.row(candidate), &mut candidate_closest);
            let mut pot = 0.0;
            for (i, (c, out)) in closest.iter().zip(candidate_closest.iter_mut()).enumerate() {
                *out = c.min(*out);
                pot += wt(i) * *out;
            }
            if best.is_none_or(|b| pot < b.0) {
                best = Some((pot, candidate));
                std::mem::swap(&mut best_closest, &mut candidate_closest);
            }
        }
        let (pot, chosen) = best.expect("at least one trial");
        centers.extend_from_slice(data.row(chosen));
        std::mem::swap(&mut closest, &mut best_closest);
        potential = pot;
    }
    centers
}

/// Nearest and second-nearest of some squared distances: (index, distance, second distance).
#[inline(always)]
fn two_smallest(squared: impl Iterator<Item = f64>) -> (usize, f64, f64) {
    let (mut best, mut d1, mut d2) = (0, f64::INFINITY, f64::INFINITY);
    for (j, dj) in squared.enumerate() {
        if dj < d1 {
            d2 = d1;
            d1 = dj;
            best = j;
        } else if dj < d2 {
            d2 = dj;
        }
    }
    (best, d1.sqrt(), d2.sqrt())
}

/// Nearest and second-nearest centre of one point: (index, distance, second distance).
#[inline(always)]
fn two_nearest(p: &[f64], centers: &[f64], k: usize, d: usize) -> (usize, f64, f64) {
    two_smallest((0..k).map(|j| dist2(p, &centers[j * d..(j + 1) * d])))
}

/// The centres laid out for finding a point's two nearest: transposed and padded to `W` lanes, so
/// that the dot products with all centres are computed together (vector instructions), and the
/// squared distances follow as |p|² + |c|² - 2 p·c. For k > 8 the distances are taken directly.
enum Nearest {
    Direct,
    Lanes4(Transposed<4>),
    Lanes8(Transposed<8>),
}

struct Transposed<const W: usize> {
    /// `centres[t * W + j]`: coordinate t of centre j (zero for padding lanes).
    centres: Vec<f64>,
    norms: [f64; W],
}

impl<const W: usize> Transposed<W> {
    fn new(centers: &[f64], k: usize, d: usize) -> Self {
        let mut t = vec![0.0; d * W];
        let mut norms = [0.0; W];
        for j in 0..k {
            let c = &centers[j * d..(j + 1) * d];
            for (dim, v) in c.iter().enumerate() {
                t[dim * W + j] = *v;
            }
            norms[j] = c.iter().map(|v| v * v).sum();
        }
        Transposed { centres: t, norms }
    }

    #[inline(always)]
    fn two_nearest(&self, p: &[f64], p_norm: f64, k: usize) -> (usize, f64, f64) {
        let mut dots = [0.0f64; W];
        for (row, &pt) in self.centres.chunks_exact(W).zip(p) {
            let row: &[f64; W] = row.try_into().expect("rows of W");
            for j in 0..W {
                dots[j] += pt * row[j];
            }
        }
        two_smallest(
            dots.iter()
                .zip(&self.norms)
                .take(k)
                .map(|(dot, norm)| (p_norm + norm - 2.0 * dot).max(0.0)),
        )
    }
}

impl Nearest {
    fn new(centers: &[f64], k: usize, d: usize) -> Nearest {
        match k {
            0..=4 => Nearest::Lanes4(Transposed::new(centers, k, d)),
            5..=8 => Nearest::Lanes8(Transposed::new(centers, k, d)),
            _ => Nearest::Direct,
        }
    }

    #[inline(always)]
    fn two_nearest(
        &self,
        p: &[f64],
        p_norm: f64,
        centers: &[f64],
        k: usize,
        d: usize,
    ) -> (usize, f64, f64) {
        match self {
            Nearest::Lanes4(t) => t.two_nearest(p, p_norm, k),
            Nearest::Lanes8(t) => t.two_nearest(p, p_norm, k),
            Nearest::Direct => two_nearest(p, centers, k, d),
        }
    }
}

struct Run {
    centers: Vec<f64>,
    labels: Vec<usize>,
    wss: f64,
}

/// Applies `f` to each chunk of (labels, upper, lower) and adds up what it returns: in parallel
/// when there is more than one chunk, in order either way.
fn for_chunks<F, R>(labels: &mut [usize], upper: &mut [f64], lower: &mut [f64], f: F) -> Vec<R>
where
    F: Fn(usize, &mut [usize], &mut [f64], &mut [f64]) -> R + Sync,
    R: Send,
{
    if labels.len() <= CHUNK {
        return vec![f(0, labels, upper, lower)];
    }
    labels
        .par_chunks_mut(CHUNK)
        .zip(upper.par_chunks_mut(CHUNK))
        .zip(lower.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(c, ((a, u), l))| f(c, a, u, l))
        .collect()
}

/// Per-chunk sums of the points of each cluster, combined in chunk order.
fn sums_and_counts(
    x: &[f64],
    w: Option<&[f64]>,
    labels: &[usize],
    d: usize,
    k: usize,
) -> (Vec<f64>, Vec<f64>) {
    let part = |(c, chunk): (usize, &[usize])| {
        let mut sums = vec![0.0; k * d];
        let mut counts = vec![0.0f64; k];
        for (o, &l) in chunk.iter().enumerate() {
            let i = c * CHUNK + o;
            let wi = w.map_or(1.0, |w| w[i]);
            counts[l] += wi;
            for (s, v) in sums[l * d..(l + 1) * d]
                .iter_mut()
                .zip(&x[i * d..(i + 1) * d])
            {
                *s += wi * v;
            }
        }
        (sums, counts)
    };
    let parts: Vec<(Vec<f64>, Vec<f64>)> = if labels.len() <= CHUNK {
        vec![part((0, labels))]
    } else {
        labels.par_chunks(CHUNK).enumerate().map(part).collect()
    };
    let mut sums = vec![0.0; k * d];
    let mut counts = vec![0.0f64; k];
    for (s, c) in parts {
        for (a, b) in sums.iter_mut().zip(&s) {
            *a += b;
        }
        for (a, b) in counts.iter_mut().zip(&c) {
            *a += b;
        }
    }
    (sums, counts)
}

/// The rows to cluster: `n` rows of `d` values, their squared norms and optional weights, and
/// for small data the same rows in blocks.
struct Data<'a> {
    x: &'a [f64],
    norms: &'a [f64],
    w: Option<&'a [f64]>,
    n: usize,
    d: usize,
    blocks: Option<Blocks>,
}

impl Data<'_> {
    #[inline(always)]
    fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.d..(i + 1) * self.d]
    }

    /// The squared distance of every row to `centre`, into `out`.
    fn distances(&self, centre: &[f64], out: &mut [f64]) {
        match &self.blocks {
            Some(blocks) => blocks::distances(blocks, centre, 0, out),
            None => out
                .par_chunks_mut(CHUNK)
                .enumerate()
                .for_each(|(c, chunk)| row_distances(self, centre, c, chunk)),
        }
    }
}

/// The squared distances of the rows of chunk `c` to `centre`.
#[multiversion(targets("x86_64+avx2"))]
fn row_distances(data: &Data, centre: &[f64], c: usize, out: &mut [f64]) {
    for (o, out) in out.iter_mut().enumerate() {
        *out = dist2(data.row(c * CHUNK + o), centre);
    }
}

/// The centres of one iteration and what a Hamerly step needs to know about them.
struct Centres<'a> {
    at: &'a [f64],
    k: usize,
    near: Nearest,
    /// How far each centre moved in the last update.
    moved: &'a [f64],
    /// The largest movement, the centre that made it, and the second-largest movement.
    m1: f64,
    m1_at: usize,
    m2: f64,
    /// Half the distance from each centre to its nearest other centre.
    half: Vec<f64>,
}

impl<'a> Centres<'a> {
    fn new(at: &'a [f64], k: usize, d: usize, moved: &'a [f64]) -> Self {
        let (mut m1, mut m1_at, mut m2) = (0.0, 0, 0.0);
        for (j, &m) in moved.iter().enumerate() {
            if m > m1 {
                m2 = m1;
                m1 = m;
                m1_at = j;
            } else if m > m2 {
                m2 = m;
            }
        }
        let centre = |j: usize| &at[j * d..(j + 1) * d];
        let half = (0..k)
            .map(|j| {
                (0..k)
                    .filter(|&j2| j2 != j)
                    .map(|j2| dist2(centre(j), centre(j2)).sqrt())
                    .fold(f64::INFINITY, f64::min)
                    / 2.0
            })
            .collect();
        Centres {
            at,
            k,
            near: Nearest::new(at, k, d),
            moved,
            m1,
            m1_at,
            m2,
            half,
        }
    }

    #[inline(always)]
    fn two_nearest(&self, data: &Data, i: usize) -> (usize, f64, f64) {
        self.near
            .two_nearest(data.row(i), data.norms[i], self.at, self.k, data.d)
    }
}

/// The first assignment of chunk `c`: nearest and second-nearest centre of every row.
#[multiversion(targets("x86_64+avx2"))]
fn assign_chunk(
    data: &Data,
    centres: &Centres,
    c: usize,
    labels: &mut [usize],
    upper: &mut [f64],
    lower: &mut [f64],
) {
    for o in 0..labels.len() {
        let (b, d1, d2) = centres.two_nearest(data, c * CHUNK + o);
        labels[o] = b;
        upper[o] = d1;
        lower[o] = d2;
    }
}

/// One Hamerly step on chunk `c`: move the bounds by how far the centres moved, and look again at
/// the rows whose bounds no longer prove their label. Returns the rows that changed cluster, as
/// (row, from, to).
#[multiversion(targets("x86_64+avx2"))]
fn step_chunk(
    data: &Data,
    centres: &Centres,
    c: usize,
    labels: &mut [usize],
    upper: &mut [f64],
    lower: &mut [f64],
) -> Vec<(usize, usize, usize)> {
    let d = data.d;
    let mut changed = Vec::new();
    for o in 0..labels.len() {
        let (i, own) = (c * CHUNK + o, labels[o]);
        upper[o] += centres.moved[own];
        lower[o] -= if own == centres.m1_at {
            centres.m2
        } else {
            centres.m1
        };
        let bound = centres.half[own].max(lower[o]);
        if upper[o] <= bound {
            continue;
        }
        upper[o] = dist2(data.row(i), &centres.at[own * d..(own + 1) * d]).sqrt();
        if upper[o] <= bound {
            continue;
        }
        let (b, d1, d2) = centres.two_nearest(data, i);
        if b != own {
            changed.push((i, own, b));
            labels[o] = b;
        }
        upper[o] = d1;
        lower[o] = d2;
    }
    changed
}

/// The centres from the sums and counts of their rows, into `new` (a centre left without rows
/// stays where it was), and how far each moved.
fn update_centres(
    sums: &[f64],
    counts: &[f64],
    centers: &[f64],
    new: &mut [f64],
    moved: &mut [f64],
) {
    let d = centers.len() / moved.len().max(1);
    for (j, m) in moved.iter_mut().enumerate() {
        for t in j * d..(j + 1) * d {
            new[t] = if counts[j] > 0.0 {
                sums[t] / counts[j]
            } else {
                centers[t]
            };
        }
        *m = dist2(&centers[j * d..(j + 1) * d], &new[j * d..(j + 1) * d]).sqrt();
    }
}

/// What a relabelling step did.
enum Relabelled {
    /// No row changed cluster.
    Unchanged,
    /// These rows changed: (row, from, to).
    Moved(Vec<(usize, usize, usize)>),
    /// Rows changed; the cluster sums are best recomputed.
    Recount,
}

/// The iterations Lloyd's and Hamerly's algorithms share: from the first `labels`, move the
/// centres to the means of their rows, then let `relabel` give each row its nearest centre (it
/// also gets how far each centre moved), until no centre moves or no label changes.
fn iterate(
    data: &Data,
    centers: &mut Vec<f64>,
    labels: &mut [usize],
    k: usize,
    max_iter: u64,
    mut relabel: impl FnMut(&[f64], &[f64], &mut [usize]) -> Relabelled,
) {
    let Data { x, w, d, .. } = *data;
    // cluster sums, updated as rows move
    let (mut sums, mut counts) = sums_and_counts(x, w, labels, d, k);
    let mut moved = vec![0.0f64; k];
    let mut new_centers = centers.clone();
    for _ in 0..max_iter {
        update_centres(&sums, &counts, centers, &mut new_centers, &mut moved);
        std::mem::swap(centers, &mut new_centers);
        if moved.iter().all(|m| *m == 0.0) {
            break;
        }
        match relabel(centers, &moved, labels) {
            Relabelled::Unchanged => break,
            Relabelled::Moved(moves) => move_rows(data, &moves, &mut sums, &mut counts),
            Relabelled::Recount => (sums, counts) = sums_and_counts(x, w, labels, d, k),
        }
    }
}

/// Moves rows between the cluster sums and counts: (row, from, to).
fn move_rows(data: &Data, moves: &[(usize, usize, usize)], sums: &mut [f64], counts: &mut [f64]) {
    let d = data.d;
    for &(i, from, to) in moves {
        let wi = data.w.map_or(1.0, |w| w[i]);
        counts[from] -= wi;
        counts[to] += wi;
        for (t, &v) in data.row(i).iter().enumerate() {
            let v = wi * v;
            sums[from * d + t] -= v;
            sums[to * d + t] += v;
        }
    }
}

/// Lloyd's algorithm from `centers`: every row to its nearest centre, every centre to the mean of
/// its rows, until nothing changes. Returns the labels.
fn lloyd(
    data: &Data,
    blocks: &Blocks,
    centers: &mut Vec<f64>,
    k: usize,
    max_iter: u64,
) -> Vec<usize> {
    let mut labels = vec![0usize; data.n];
    let mut changed = Vec::new();
    blocks::assign(blocks, centers, k, &mut labels, &mut changed);
    iterate(data, centers, &mut labels, k, max_iter, |now, _, labels| {
        blocks::assign(blocks, now, k, labels, &mut changed);
        if changed.is_empty() {
            Relabelled::Unchanged
        } else {
            Relabelled::Moved(std::mem::take(&mut changed))
        }
    });
    labels
}

/// Hamerly's algorithm from `centers`: the same iterations as Lloyd's, but a row is looked at only
/// when its bounds no longer prove its label. Returns the labels.
fn hamerly(data: &Data, centers: &mut Vec<f64>, k: usize, max_iter: u64) -> Vec<usize> {
    let Data { n, d, .. } = *data;
    let mut labels = vec![0usize; n];
    let mut upper = vec![0.0f64; n];
    let mut lower = vec![0.0f64; n];
    let start = Centres::new(centers, k, d, &[]);
    for_chunks(&mut labels, &mut upper, &mut lower, |c, a, u, l| {
        assign_chunk(data, &start, c, a, u, l)
    });
    iterate(
        data,
        centers,
        &mut labels,
        k,
        max_iter,
        |now, moved, labels| {
            let now = Centres::new(now, k, d, moved);
            let moves: Vec<Vec<(usize, usize, usize)>> =
                for_chunks(labels, &mut upper, &mut lower, |c, a, u, l| {
                    step_chunk(data, &now, c, a, u, l)
                });
            if moves.iter().all(Vec::is_empty) {
                Relabelled::Unchanged
            } else if n > CHUNK {
                // large data: recomputing the sums in parallel beats applying the moves one by one
                Relabelled::Recount
            } else {
                Relabelled::Moved(moves.concat())
            }
        },
    );
    labels
}

/// One k-means run from a k-means++ start.
fn run_once(
    data: &Data,
    k: usize,
    algorithm: Algorithm,
    max_iter: u64,
    rng: &mut Xoshiro256PlusPlus,
) -> Run {
    let centers = init(data, k, rng);
    finish(data, k, centers, algorithm, max_iter)
}

/// Lloyd's iterations (over blocks on small data, with Hamerly's bounds above) or Hartigan and
/// Wong's from `centers`, then the final centres and the (weighted) within-cluster sum of
/// squares. A start that leaves a centre without rows, which Hartigan–Wong cannot begin from,
/// takes Lloyd's iterations.
fn finish(
    data: &Data,
    k: usize,
    mut centers: Vec<f64>,
    algorithm: Algorithm,
    max_iter: u64,
) -> Run {
    let Data { x, w, n, d, .. } = *data;
    let hartigan_wong = match algorithm {
        Algorithm::Lloyd => None,
        Algorithm::HartiganWong => {
            let mut moved = centers.clone();
            let labels = hartigan_wong(x, w, n, d, &mut moved, k, max_iter);
            if labels.is_some() {
                centers = moved;
            }
            labels
        }
    };
    let labels = match (hartigan_wong, &data.blocks) {
        (Some(labels), _) => labels,
        (None, Some(blocks)) => lloyd(data, blocks, &mut centers, k, max_iter),
        (None, None) => hamerly(data, &mut centers, k, max_iter),
    };
    // centres of the final assignment, from fresh sums (the loop may have stopped at max_iter)
    let (sums, counts) = sums_and_counts(x, w, &labels, d, k);
    for j in 0..k {
        if counts[j] > 0.0 {
            for t in 0..d {
                centers[j * d + t] = sums[j * d + t] / counts[j];
            }
        }
    }
    let chunk_wss = |(c, chunk): (usize, &[usize])| {
        chunk
            .iter()
            .enumerate()
            .map(|(o, &l)| {
                let i = c * CHUNK + o;
                w.map_or(1.0, |w| w[i]) * dist2(data.row(i), &centers[l * d..(l + 1) * d])
            })
            .sum::<f64>()
    };
    let parts: Vec<f64> = if n <= CHUNK {
        vec![chunk_wss((0, &labels))]
    } else {
        labels
            .par_chunks(CHUNK)
            .enumerate()
            .map(chunk_wss)
            .collect()
    };
    let wss = parts.iter().sum();
    Run {
        centers,
        labels,
        wss,
    }
}

/// Runs `f` on the rows of `x` laid out for the iterations: contiguous, with their squared norms,
/// their weights, and in blocks on small data.
fn with_rows<R>(x: &Array2<f64>, weights: Option<&[f64]>, f: impl FnOnce(&Data) -> R) -> R {
    let (n, d) = x.dim();
    let owned = x.as_standard_layout();
    let data = owned.as_slice().expect("standard layout");
    let norms: Vec<f64> = data
        .chunks_exact(d.max(1))
        .map(|r| r.iter().map(|v| v * v).sum())
        .collect();
    let rows = Data {
        x: data,
        norms: &norms,
        w: weights,
        n,
        d,
        blocks: (n <= LLOYD_MAX_ROWS && d > 0).then(|| Blocks::new(data, n, d)),
    };
    f(&rows)
}

/// k-means from the given starting centres (one deterministic start, no restarts), row i
/// counting `weights[i]` times (`None`: once): the same iterations as [`fit_weighted`] takes after
/// its k-means++ start with Lloyd's algorithm.
pub fn fit_from(
    x: &Array2<f64>,
    weights: Option<&[f64]>,
    start: &Array2<f64>,
    max_iter: u64,
) -> Result<Partition, ClusterError> {
    fit_from_with(x, weights, start, Algorithm::Lloyd, max_iter)
}

/// [`fit_from`] with the given algorithm's iterations.
pub fn fit_from_with(
    x: &Array2<f64>,
    weights: Option<&[f64]>,
    start: &Array2<f64>,
    algorithm: Algorithm,
    max_iter: u64,
) -> Result<Partition, ClusterError> {
    let (n, d) = x.dim();
    let k = start.nrows();
    if k == 0 || k > n || start.ncols() != d {
        return Err(ClusterError::Options(format!(
            "{k} starting centres of {} values for {n} rows of {d}: expected 1 to {n} centres of {d}",
            start.ncols()
        )));
    }
    let centers = start.as_standard_layout().iter().copied().collect();
    let run = with_rows(x, weights, |rows| {
        finish(rows, k, centers, algorithm, max_iter)
    });
    Ok(Partition {
        centroids: Array2::from_shape_vec((k, d), run.centers).expect("k x d centres"),
        labels: run.labels,
        wss: run.wss,
    })
}

/// Runs k-means with `n_init` restarts in parallel and keeps the smallest within-cluster sum of
/// squares (the earlier restart on a tie).
pub fn fit(x: &Array2<f64>, s: &KMeansSettings) -> Result<Partition, ClusterError> {
    fit_weighted(x, None, s)
}

/// k-means where row i counts `weights[i]` times (a bootstrap sample as its distinct rows with
/// their multiplicities): the same objective as on the repeated rows, with less work.
pub fn fit_weighted(
    x: &Array2<f64>,
    weights: Option<&[f64]>,
    s: &KMeansSettings,
) -> Result<Partition, ClusterError> {
    let (n, d) = x.dim();
    s.check(n)?;
    let (restart, best) = with_rows(x, weights, |rows| {
        (0..s.n_init)
            .into_par_iter()
            .map(|r| {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(s.seed, r as u64));
                (r, run_once(rows, s.k, s.algorithm, s.max_iter, &mut rng))
            })
            .reduce_with(|a, b| {
                if b.1.wss < a.1.wss || (b.1.wss == a.1.wss && b.0 < a.0) {
                    b
                } else {
                    a
                }
            })
            .expect("n_init >= 1")
    });
    let _ = restart;
    Ok(Partition {
        centroids: Array2::from_shape_vec((s.k, d), best.centers).expect("k x d centres"),
        labels: best.labels,
        wss: best.wss,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::seed::synthetic;

    /// The first k-means++ centre is drawn in proportion to weight: a row of weight 0 is never
    /// drawn, and a row carrying 3/4 of the weight is drawn about 3/4 of the time.
    #[test]
    fn kmeans_plus_plus_draws_the_first_centre_in_proportion_to_weight() {
        let w = [0.0, 1.0, 0.0, 3.0];
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let mut drawn = [0usize; 4];
        for _ in 0..4000 {
            drawn[draw_by_weight(Some(&w), 4, &mut rng)] += 1;
        }
        assert_eq!((drawn[0], drawn[2]), (0, 0), "{drawn:?}");
        // 3000 expected, binomial standard deviation about 27
        assert!((2850..3150).contains(&drawn[3]), "{drawn:?}");
        // unweighted: the same single uniform draw as before weights existed
        let (mut a, mut b) = (
            Xoshiro256PlusPlus::seed_from_u64(5),
            Xoshiro256PlusPlus::seed_from_u64(5),
        );
        for _ in 0..20 {
            assert_eq!(draw_by_weight(None, 9, &mut a), b.gen_range(0..9));
        }
    }

    /// Lloyd over blocks (small data) and Hamerly (large data) take the same steps from the same
    /// start: the same labels and centres, weighted or not, for several k and widths.
    #[test]
    fn lloyd_and_hamerly_reach_the_same_partition_from_the_same_start() {
        for (n, d, k) in [(300, 11, 4), (97, 3, 2), (250, 12, 6), (64, 5, 9)] {
            let x = synthetic(n, d, 7);
            let flat = x.as_slice().expect("standard layout");
            let norms: Vec<f64> = flat
                .chunks_exact(d)
                .map(|r| dist2(r, &vec![0.0; d]))
                .collect();
            let weights: Vec<f64> = (0..n).map(|i| (i % 3) as f64 + 1.0).collect();
            for w in [None, Some(weights.as_slice())] {
                let data = |blocks| Data {
                    x: flat,
                    norms: &norms,
                    w,
                    n,
                    d,
                    blocks,
                };
                let (small, large) = (data(Some(Blocks::new(flat, n, d))), data(None));
                for seed in 0..5 {
                    let start = init(&small, k, &mut Xoshiro256PlusPlus::seed_from_u64(seed));
                    let same_start = init(&large, k, &mut Xoshiro256PlusPlus::seed_from_u64(seed));
                    assert_eq!(start, same_start, "k-means++ on n = {n}, d = {d}");
                    let (mut a, mut b) = (start.clone(), start);
                    let by_lloyd = lloyd(&small, small.blocks.as_ref().unwrap(), &mut a, k, 300);
                    let by_hamerly = hamerly(&large, &mut b, k, 300);
                    assert_eq!(
                        by_lloyd, by_hamerly,
                        "n = {n}, d = {d}, k = {k}, seed {seed}"
                    );
                    let close = a.iter().zip(&b).all(|(p, q)| (p - q).abs() < 1e-9);
                    assert!(
                        close,
                        "centres differ: n = {n}, d = {d}, k = {k}, seed {seed}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Weighted k-means with integer weights is k-means on the rows repeated that many
        /// times: from the same starting centres, Lloyd's iterations (and Hamerly's, on the
        /// weighted rows) reach the same centres and the same labels.
        #[test]
        fn integer_weights_equal_repeated_rows_from_the_same_start(
            n in 6usize..60,
            d in 1usize..6,
            k in 2usize..5,
            seed in 0u64..1000,
            raw in proptest::collection::vec(1u32..5, 60),
        ) {
            let x = synthetic(n, d, seed);
            let flat = x.as_slice().expect("standard layout");
            let weights: Vec<f64> = raw[..n].iter().map(|&w| w as f64).collect();
            let norms = |rows: &[f64]| -> Vec<f64> {
                rows.chunks_exact(d).map(|r| dist2(r, &vec![0.0; d])).collect()
            };
            let weighted_norms = norms(flat);
            let weighted = Data {
                x: flat,
                norms: &weighted_norms,
                w: Some(&weights),
                n,
                d,
                blocks: Some(Blocks::new(flat, n, d)),
            };
            let mut repeated_rows = Vec::new();
            let mut origin = Vec::new();
            for (i, &w) in raw[..n].iter().enumerate() {
                for _ in 0..w {
                    repeated_rows.extend_from_slice(&flat[i * d..(i + 1) * d]);
                    origin.push(i);
                }
            }
            let m = origin.len();
            let repeated_norms = norms(&repeated_rows);
            let repeated = Data {
                x: &repeated_rows,
                norms: &repeated_norms,
                w: None,
                n: m,
                d,
                blocks: Some(Blocks::new(&repeated_rows, m, d)),
            };
            let start = init(&weighted, k, &mut Xoshiro256PlusPlus::seed_from_u64(seed));
            let (mut a, mut b, mut c) = (start.clone(), start.clone(), start);
            let by_weight = lloyd(&weighted, weighted.blocks.as_ref().unwrap(), &mut a, k, 300);
            let by_repeat = lloyd(&repeated, repeated.blocks.as_ref().unwrap(), &mut b, k, 300);
            let by_hamerly = hamerly(&Data { blocks: None, ..weighted }, &mut c, k, 300);
            let expanded: Vec<usize> = origin.iter().map(|&i| by_weight[i]).collect();
            proptest::prop_assert_eq!(&expanded, &by_repeat);
            proptest::prop_assert_eq!(&by_weight, &by_hamerly);
            for (p, q) in a.iter().zip(&b) {
                proptest::prop_assert!((p - q).abs() <= 1e-9 * (1.0 + q.abs()), "{} vs {}", p, q);
            }
        }

        /// Hartigan and Wong's iterations never end with a larger within-cluster sum of squares
        /// than the Lloyd solution they start from (weighted or not): from Lloyd's centres every
        /// row starts nearest to its centre, and each transfer lowers the sum of squares.
        #[test]
        fn hartigan_wong_never_ends_above_the_lloyd_solution_it_starts_from(
            n in 6usize..80,
            d in 1usize..6,
            k in 2usize..6,
            seed in 0u64..1000,
            weighted in proptest::bool::ANY,
            raw in proptest::collection::vec(1u32..5, 80),
        ) {
            let x = synthetic(n, d, seed);
            let weights: Vec<f64> = raw[..n].iter().map(|&w| w as f64).collect();
            let w = weighted.then_some(weights.as_slice());
            with_rows(&x, w, |data| {
                let start = init(data, k, &mut Xoshiro256PlusPlus::seed_from_u64(seed));
                let by_lloyd = finish(data, k, start, Algorithm::Lloyd, 300);
                let by_hw = finish(data, k, by_lloyd.centers.clone(), Algorithm::HartiganWong, 300);
                proptest::prop_assert!(
                    by_hw.wss <= by_lloyd.wss * (1.0 + 1e-12) + 1e-12,
                    "Hartigan-Wong {} above Lloyd {}", by_hw.wss, by_lloyd.wss
                );
                Ok(())
            })?;
        }
    }
}
