//! Hartigan and Wong's k-means (Applied Statistics algorithm AS 136, 1979), the default of R's
//! `kmeans()`: from the starting centres every row goes to its nearest centre, then an
//! optimal-transfer stage (each row, once, to the cluster that lowers the within-cluster sum of
//! squares most) and a quick-transfer stage (each row between its cluster and its runner-up,
//! until nothing moves) alternate until an optimal-transfer pass moves no row. Unlike Lloyd's
//! iterations a row moves as soon as moving it lowers the sum of squares, the centres following
//! at once, so it can end below a Lloyd fixed point and never above the one it starts from.
//!
//! The steps, their order, the live sets, the ties (`>=` keeps a row where it is) and the
//! convergence rule are AS 136's as R runs it (R's `src/library/stats/src/kmns.f`, with at most
//! 50 × rows quick-transfer steps, as R's `kmeans` sets), and every distance is summed over the
//! columns in order, as the Fortran does. A row of weight `w` (distinct answer patterns with their
//! counts, survey weights) moves as a whole: the cost factors `n / (n - 1)` and `n / (n + 1)`
//! become `W / (W - w)` and `W / (W + w)` for the clusters' summed weights `W`, which with unit
//! weights are AS 136's numbers to the bit. One run is sequential, so it is the same for any
//! number of threads.

/// AS 136's "very large number": the cost factor of leaving a cluster of one row.
const BIG: f64 = 1.0e30;

/// Squared distance of `a` and `b`, summed over the columns in order.
fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Squared distance of `a` and `b` summed in order until it reaches `limit`: `None` once it does.
fn dist_below(a: &[f64], b: &[f64], limit: f64) -> Option<f64> {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        s += (x - y) * (x - y);
        if s >= limit {
            return None;
        }
    }
    Some(s)
}

/// The state of one run: rows, centres, each row's cluster and runner-up, the clusters' sizes
/// (rows and weights), and AS 136's bookkeeping (`ncp`, `itran`, `live`, the cached cost `d`).
struct State<'a> {
    x: &'a [f64],
    w: Option<&'a [f64]>,
    m: usize,
    n: usize,
    k: usize,
    c: &'a mut [f64],
    ic1: Vec<usize>,
    ic2: Vec<usize>,
    /// Rows in each cluster.
    nc: Vec<usize>,
    /// Summed weight of each cluster (its row count when unweighted).
    an: Vec<f64>,
    /// The step at which each cluster was last updated (AS 136's NCP; -1 before the first stage).
    ncp: Vec<i64>,
    itran: Vec<bool>,
    live: Vec<i64>,
    d: Vec<f64>,
    /// Steps without a transfer (AS 136's INDX), carried from stage to stage.
    indx: usize,
}

impl State<'_> {
    fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.n..(i + 1) * self.n]
    }

    fn centre(&self, l: usize) -> &[f64] {
        &self.c[l * self.n..(l + 1) * self.n]
    }

    fn weight(&self, i: usize) -> f64 {
        self.w.map_or(1.0, |w| w[i])
    }

    /// AS 136's AN1: what taking a row of weight `wi` out of cluster `l` saves per squared distance.
    fn an1(&self, l: usize, wi: f64) -> f64 {
        let rest = self.an[l] - wi;
        if self.nc[l] <= 1 || rest <= 0.0 {
            BIG
        } else {
            self.an[l] / rest
        }
    }

    /// AS 136's AN2: what adding a row of weight `wi` to cluster `l` costs per squared distance.
    fn an2(&self, l: usize, wi: f64) -> f64 {
        self.an[l] / (self.an[l] + wi)
    }

    /// Moves row `i` from cluster `l1` to `l2`, the centres following.
    fn transfer(&mut self, i: usize, l1: usize, l2: usize) {
        let wi = self.weight(i);
        let (al1, al2) = (self.an[l1], self.an[l2]);
        let (alw, alt) = (al1 - wi, al2 + wi);
        let n = self.n;
        for j in 0..n {
            let a = self.x[i * n + j];
            let wa = if self.w.is_some() { wi * a } else { a };
            self.c[l1 * n + j] = (self.c[l1 * n + j] * al1 - wa) / alw;
            self.c[l2 * n + j] = (self.c[l2 * n + j] * al2 + wa) / alt;
        }
        self.nc[l1] -= 1;
        self.nc[l2] += 1;
        self.an[l1] = alw;
        self.an[l2] = alt;
        self.ic1[i] = l2;
        self.ic2[i] = l1;
    }

    /// The optimal-transfer stage (AS 136.1): one pass over the rows, each to the cluster that
    /// lowers the sum of squares most.
    fn optimal_transfer(&mut self) {
        let (m, k) = (self.m, self.k);
        let mm = m as i64;
        for l in 0..k {
            if self.itran[l] {
                self.live[l] = mm + 1;
            }
        }
        for i in 0..m {
            let step = i as i64 + 1;
            self.indx += 1;
            let l1 = self.ic1[i];
            let ll = self.ic2[i];
            let mut l2 = ll;
            if self.nc[l1] != 1 {
                let wi = self.weight(i);
                if self.ncp[l1] != 0 {
                    self.d[i] = dist(self.row(i), self.centre(l1)) * self.an1(l1, wi);
                }
                let mut r2 = dist(self.row(i), self.centre(l2)) * self.an2(l2, wi);
                for l in 0..k {
                    if (step >= self.live[l1] && step >= self.live[l]) || l == l1 || l == ll {
                        continue;
                    }
                    let rr = r2 / self.an2(l, wi);
                    if let Some(dc) = dist_below(self.row(i), self.centre(l), rr) {
                        r2 = dc * self.an2(l, wi);
                        l2 = l;
                    }
                }
                if r2 >= self.d[i] {
                    self.ic2[i] = l2;
                } else {
                    self.indx = 0;
                    self.live[l1] = mm + step;
                    self.live[l2] = mm + step;
                    self.ncp[l1] = step;
                    self.ncp[l2] = step;
                    self.transfer(i, l1, l2);
                }
            }
            if self.indx == m {
                return;
            }
        }
        for l in 0..k {
            self.itran[l] = false;
            self.live[l] -= mm;
        }
    }

    /// The quick-transfer stage (AS 136.2): each row between its cluster and its runner-up, until
    /// `m` steps pass without a transfer. `false` when `max_steps` ran out first.
    fn quick_transfer(&mut self, max_steps: i64) -> bool {
        let m = self.m;
        let mm = m as i64;
        let mut icoun = 0usize;
        let mut istep = 0i64;
        loop {
            for i in 0..m {
                icoun += 1;
                istep += 1;
                if istep >= max_steps {
                    return false;
                }
                let (l1, l2) = (self.ic1[i], self.ic2[i]);
                if self.nc[l1] != 1 {
                    let wi = self.weight(i);
                    if istep <= self.ncp[l1] {
                        self.d[i] = dist(self.row(i), self.centre(l1)) * self.an1(l1, wi);
                    }
                    if istep < self.ncp[l1] || istep < self.ncp[l2] {
                        let r2 = self.d[i] / self.an2(l2, wi);
                        if dist_below(self.row(i), self.centre(l2), r2).is_some() {
                            icoun = 0;
                            self.indx = 0;
                            self.itran[l1] = true;
                            self.itran[l2] = true;
                            self.ncp[l1] = istep + mm;
                            self.ncp[l2] = istep + mm;
                            self.transfer(i, l1, l2);
                        }
                    }
                }
                if icoun == m {
                    return true;
                }
            }
        }
    }
}

/// Hartigan–Wong from the `k` centres in `centres` (row-major, `k` × `n`) on the `m` rows of `x`
/// (row-major, `m` × `n`), row i counting `weights[i]` times (`None`: once), for at most
/// `max_iter` optimal-transfer stages. Returns each row's cluster, with `centres` left at the
/// clusters' means; `None` when a starting centre is nearest to no row (AS 136's fault 1).
pub(super) fn hartigan_wong(
    x: &[f64],
    weights: Option<&[f64]>,
    m: usize,
    n: usize,
    centres: &mut [f64],
    k: usize,
    max_iter: u64,
) -> Option<Vec<usize>> {
    if k < 2 || k >= m {
        return None;
    }
    // each row's nearest and second-nearest centre, ties to the lower index
    let mut ic1 = vec![0usize; m];
    let mut ic2 = vec![1usize; m];
    for i in 0..m {
        let row = &x[i * n..(i + 1) * n];
        let mut dt = [dist(row, &centres[..n]), dist(row, &centres[n..2 * n])];
        if dt[0] > dt[1] {
            ic1[i] = 1;
            ic2[i] = 0;
            dt.swap(0, 1);
        }
        for l in 2..k {
            let Some(db) = dist_below(row, &centres[l * n..(l + 1) * n], dt[1]) else {
                continue;
            };
            if db >= dt[0] {
                dt[1] = db;
                ic2[i] = l;
            } else {
                dt[1] = dt[0];
                ic2[i] = ic1[i];
                dt[0] = db;
                ic1[i] = l;
            }
        }
    }
    // the centres to the means of their rows
    let mut nc = vec![0usize; k];
    let mut an = vec![0.0f64; k];
    centres.iter_mut().for_each(|v| *v = 0.0);
    for i in 0..m {
        let l = ic1[i];
        let wi = weights.map_or(1.0, |w| w[i]);
        nc[l] += 1;
        an[l] += wi;
        for j in 0..n {
            let a = x[i * n + j];
            centres[l * n + j] += if weights.is_some() { wi * a } else { a };
        }
    }
    if nc.contains(&0) || an.iter().any(|&a| a <= 0.0) {
        return None;
    }
    for l in 0..k {
        for v in &mut centres[l * n..(l + 1) * n] {
            *v /= an[l];
        }
    }
    let mut s = State {
        x,
        w: weights,
        m,
        n,
        k,
        c: centres,
        ic1,
        ic2,
        nc,
        an,
        ncp: vec![-1; k],
        itran: vec![true; k],
        live: vec![0; k],
        d: vec![0.0; m],
        indx: 0,
    };
    let max_quick_steps = 50 * m as i64;
    for _ in 0..max_iter.max(1) {
        s.optimal_transfer();
        if s.indx == m {
            break;
        }
        if !s.quick_transfer(max_quick_steps) {
            break;
        }
        if k == 2 {
            break;
        }
        s.ncp.iter_mut().for_each(|v| *v = 0);
    }
    Some(s.ic1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Six points on a line, 0 1 2 | 10 11 12 from the bad start (0.5, 11): the first assignment
    /// already splits them, and the centres end at the two groups' means.
    #[test]
    fn two_groups_on_a_line_end_at_their_means() {
        let x = [0.0, 1.0, 2.0, 10.0, 11.0, 12.0];
        let mut c = [0.5, 11.0];
        let labels = hartigan_wong(&x, None, 6, 1, &mut c, 2, 10).unwrap();
        assert_eq!(labels, vec![0, 0, 0, 1, 1, 1]);
        assert_eq!(c, [1.0, 11.0]);
    }

    /// A Lloyd fixed point that Hartigan–Wong leaves: on 0, 4, 6 and 7 the clusters {0, 4} and
    /// {6, 7} (centres 2 and 6.5, sum of squares 8 + 0.5) keep every point nearest to its own
    /// centre, but taking 4 out of its pair saves 2/1 · 4 = 8 and adding it to {6, 7} costs only
    /// 2/3 · 6.25, so it moves: {0} and {4, 6, 7}, sum of squares 0 + 14/3.
    #[test]
    fn a_single_transfer_leaves_a_lloyd_fixed_point_for_a_lower_sum_of_squares() {
        let x = [0.0, 4.0, 6.0, 7.0];
        let mut c = [2.0, 6.5];
        let labels = hartigan_wong(&x, None, 4, 1, &mut c, 2, 10).unwrap();
        assert_eq!(labels, vec![0, 1, 1, 1]);
        assert_eq!(c[0], 0.0);
        assert!((c[1] - 17.0 / 3.0).abs() < 1e-12, "{}", c[1]);
    }

    /// A row of weight w counts w times in its cluster's mean.
    #[test]
    fn weighted_rows_count_their_weight_in_the_means() {
        let x = [0.0, 1.0, 9.0, 10.0];
        let mut c = [0.0, 10.0];
        let labels = hartigan_wong(&x, Some(&[2.0, 1.0, 1.0, 3.0]), 4, 1, &mut c, 2, 10).unwrap();
        assert_eq!(labels, vec![0, 0, 1, 1]);
        assert!((c[0] - 1.0 / 3.0).abs() < 1e-15 && (c[1] - 39.0 / 4.0).abs() < 1e-15);
    }

    /// A starting centre that no row is nearest to is AS 136's fault 1.
    #[test]
    fn a_centre_with_no_row_gives_none() {
        let x = [0.0, 1.0, 2.0];
        let mut c = [1.0, 100.0];
        assert!(hartigan_wong(&x, None, 3, 1, &mut c, 2, 10).is_none());
    }
}
