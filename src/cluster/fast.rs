//! The fast k-means path: greedy k-means++ starts, Hamerly's bounds to skip distance computations,
//! restarts in parallel, and the assignment step in fixed-size chunks whose results are combined
//! in chunk order, so that the result is the same for any number of threads. linfa-clustering is
//! the reference this path is tested against.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::choose::derive_seed;
use super::kmeans::{KMeansSettings, Partition};
use super::ClusterError;

/// Rows per chunk of the parallel assignment step (fixed, so results do not depend on threads).
const CHUNK: usize = 8192;

use super::kmeans::squared_distance as dist2;

/// Greedy k-means++ (as scikit-learn): each new centre is the best of 2 + ln(k) candidates drawn
/// with probability proportional to the squared distance to the nearest centre so far.
fn init(
    x: &[f64],
    w: Option<&[f64]>,
    n: usize,
    d: usize,
    k: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Vec<f64> {
    let wt = |i: usize| w.map_or(1.0, |w| w[i]);
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut centers = Vec::with_capacity(k * d);
    let first = rng.gen_range(0..n);
    centers.extend_from_slice(&x[first * d..(first + 1) * d]);
    let mut closest: Vec<f64> = (0..n)
        .map(|i| dist2(&x[i * d..(i + 1) * d], &centers[..d]))
        .collect();
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
                rng.gen_range(0..n)
            };
            let cand = &x[candidate * d..(candidate + 1) * d];
            let mut pot = 0.0;
            for (i, (c, out)) in closest.iter().zip(candidate_closest.iter_mut()).enumerate() {
                *out = c.min(dist2(&x[i * d..(i + 1) * d], cand));
                pot += wt(i) * *out;
            }
            if best.is_none_or(|b| pot < b.0) {
                best = Some((pot, candidate));
                std::mem::swap(&mut best_closest, &mut candidate_closest);
            }
        }
        let (pot, chosen) = best.expect("at least one trial");
        centers.extend_from_slice(&x[chosen * d..(chosen + 1) * d]);
        std::mem::swap(&mut closest, &mut best_closest);
        potential = pot;
    }
    centers
}

/// Nearest and second-nearest of some squared distances: (index, distance, second distance).
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

/// One k-means run from a k-means++ start (Hamerly's algorithm).
/// The rows to cluster: `n` rows of `d` values, their squared norms and optional weights.
struct Data<'a> {
    x: &'a [f64],
    norms: &'a [f64],
    w: Option<&'a [f64]>,
    n: usize,
    d: usize,
}

fn run_once(data: &Data, k: usize, max_iter: u64, rng: &mut Xoshiro256PlusPlus) -> Run {
    let Data { x, norms, w, n, d } = *data;
    let mut centers = init(x, w, n, d, k, rng);
    let mut labels = vec![0usize; n];
    let mut upper = vec![0.0f64; n];
    let mut lower = vec![0.0f64; n];
    let near = Nearest::new(&centers, k, d);
    for_chunks(&mut labels, &mut upper, &mut lower, |c, a, u, l| {
        for o in 0..a.len() {
            let i = c * CHUNK + o;
            let (b, d1, d2) = near.two_nearest(&x[i * d..(i + 1) * d], norms[i], &centers, k, d);
            a[o] = b;
            u[o] = d1;
            l[o] = d2;
        }
        0
    });
    // cluster sums, updated as points move (recomputed from scratch at the end)
    let (mut sums, mut counts) = sums_and_counts(x, w, &labels, d, k);
    for _ in 0..max_iter {
        let mut moved = vec![0.0f64; k];
        let mut new_centers = centers.clone();
        for j in 0..k {
            if counts[j] > 0.0 {
                for t in 0..d {
                    new_centers[j * d + t] = sums[j * d + t] / counts[j];
                }
            }
            moved[j] = dist2(
                &centers[j * d..(j + 1) * d],
                &new_centers[j * d..(j + 1) * d],
            )
            .sqrt();
        }
        centers = new_centers;
        if moved.iter().all(|m| *m == 0.0) {
            break;
        }
        // largest and second-largest movement, for the lower bounds
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
        // half the distance from each centre to its nearest other centre
        let half: Vec<f64> = (0..k)
            .map(|j| {
                (0..k)
                    .filter(|&j2| j2 != j)
                    .map(|j2| {
                        dist2(&centers[j * d..(j + 1) * d], &centers[j2 * d..(j2 + 1) * d]).sqrt()
                    })
                    .fold(f64::INFINITY, f64::min)
                    / 2.0
            })
            .collect();
        let near = Nearest::new(&centers, k, d);
        let moves: Vec<Vec<(usize, usize, usize)>> =
            for_chunks(&mut labels, &mut upper, &mut lower, |c, a, u, l| {
                let mut changed = Vec::new();
                for o in 0..a.len() {
                    let i = c * CHUNK + o;
                    u[o] += moved[a[o]];
                    l[o] -= if a[o] == m1_at { m2 } else { m1 };
                    let bound = half[a[o]].max(l[o]);
                    if u[o] <= bound {
                        continue;
                    }
                    let p = &x[i * d..(i + 1) * d];
                    u[o] = dist2(p, &centers[a[o] * d..(a[o] + 1) * d]).sqrt();
                    if u[o] <= bound {
                        continue;
                    }
                    let (b, d1, d2) = near.two_nearest(p, norms[i], &centers, k, d);
                    if b != a[o] {
                        changed.push((i, a[o], b));
                        a[o] = b;
                    }
                    u[o] = d1;
                    l[o] = d2;
                }
                changed
            });
        if moves.iter().all(Vec::is_empty) {
            break;
        }
        if n > CHUNK {
            // large data: recomputing the sums in parallel beats applying the moves one by one
            (sums, counts) = sums_and_counts(x, w, &labels, d, k);
            continue;
        }
        for &(i, from, to) in moves.iter().flatten() {
            let wi = w.map_or(1.0, |w| w[i]);
            counts[from] -= wi;
            counts[to] += wi;
            for t in 0..d {
                let v = wi * x[i * d + t];
                sums[from * d + t] -= v;
                sums[to * d + t] += v;
            }
        }
    }
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
                w.map_or(1.0, |w| w[i])
                    * dist2(&x[i * d..(i + 1) * d], &centers[l * d..(l + 1) * d])
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
    };
    let (restart, best) = (0..s.n_init)
        .into_par_iter()
        .map(|r| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(s.seed, r as u64));
            (r, run_once(&rows, s.k, s.max_iter, &mut rng))
        })
        .reduce_with(|a, b| {
            if b.1.wss < a.1.wss || (b.1.wss == a.1.wss && b.0 < a.0) {
                b
            } else {
                a
            }
        })
        .expect("n_init >= 1");
    let _ = restart;
    Ok(Partition {
        centroids: Array2::from_shape_vec((s.k, d), best.centers).expect("k x d centres"),
        labels: best.labels,
        wss: best.wss,
    })
}
