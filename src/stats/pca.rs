//! Principal components of a small data matrix (a few dozen columns at most), for the
//! two-dimensional map of the municipalities. The covariance matrix is diagonalised with cyclic
//! Jacobi rotations: exact to rounding, no external linear-algebra library, and deterministic.

use ndarray::{Array1, Array2, Axis};

/// Principal components: directions (columns of `loadings`), in order of explained variance.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    pub mean: Array1<f64>,
    /// `loadings[[variable, component]]`, unit columns.
    pub loadings: Array2<f64>,
    /// Variance along each component.
    pub variances: Vec<f64>,
}

impl Pca {
    /// Fits the components of the rows of `x`. Each component's sign is fixed so that its largest
    /// loading is positive, so the map does not flip between runs or versions.
    pub fn fit(x: &Array2<f64>) -> Pca {
        let (n, d) = x.dim();
        let mean = x.mean_axis(Axis(0)).unwrap_or_else(|| Array1::zeros(d));
        let centred = x - &mean;
        let denom = (n.max(2) - 1) as f64;
        let cov = centred.t().dot(&centred) / denom;
        let (values, vectors) = jacobi(cov);
        let mut order: Vec<usize> = (0..d).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
        let mut loadings = Array2::zeros((d, d));
        for (k, &j) in order.iter().enumerate() {
            let col = vectors.column(j);
            let big = col
                .iter()
                .copied()
                .fold(0.0f64, |m, v| if v.abs() > m.abs() { v } else { m });
            let sign = if big < 0.0 { -1.0 } else { 1.0 };
            for i in 0..d {
                loadings[[i, k]] = sign * col[i];
            }
        }
        Pca {
            mean,
            loadings,
            variances: order.iter().map(|&j| values[j].max(0.0)).collect(),
        }
    }

    /// Share of the total variance along each component.
    pub fn explained(&self) -> Vec<f64> {
        let total: f64 = self.variances.iter().sum();
        self.variances
            .iter()
            .map(|v| if total > 0.0 { v / total } else { 0.0 })
            .collect()
    }

    /// Coordinates of the rows of `x` on the first `k` components.
    pub fn project(&self, x: &Array2<f64>, k: usize) -> Array2<f64> {
        let k = k.min(self.loadings.ncols());
        (x - &self.mean).dot(&self.loadings.slice(ndarray::s![.., ..k]))
    }
}

/// Eigenvalues and eigenvectors (columns) of a symmetric matrix.
fn jacobi(mut a: Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let d = a.nrows();
    let mut v = Array2::eye(d);
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|i| (0..d).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[[i, j]] * a[[i, j]])
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                if a[[p, q]].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * a[[p, q]]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (akp, akq) = (a[[k, p]], a[[k, q]]);
                    a[[k, p]] = c * akp - s * akq;
                    a[[k, q]] = s * akp + c * akq;
                }
                for k in 0..d {
                    let (apk, aqk) = (a[[p, k]], a[[q, k]]);
                    a[[p, k]] = c * apk - s * aqk;
                    a[[q, k]] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let (vkp, vkq) = (v[[k, p]], v[[k, q]]);
                    v[[k, p]] = c * vkp - s * vkq;
                    v[[k, q]] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..d).map(|i| a[[i, i]]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn finds_the_direction_of_most_variance() {
        // points along y = 2x with a little noise across
        let x = array![
            [0.0, 0.0],
            [1.0, 2.1],
            [2.0, 3.9],
            [3.0, 6.0],
            [4.0, 8.1],
            [5.0, 9.9]
        ];
        let pca = Pca::fit(&x);
        let first = pca.loadings.column(0);
        let expected = [1.0 / 5f64.sqrt(), 2.0 / 5f64.sqrt()];
        assert!((first[0] - expected[0]).abs() < 0.01, "{first:?}");
        assert!((first[1] - expected[1]).abs() < 0.01, "{first:?}");
        assert!(pca.explained()[0] > 0.99);
        // the components are orthonormal
        let l = &pca.loadings;
        let gram = l.t().dot(l);
        for i in 0..2 {
            for j in 0..2 {
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((gram[[i, j]] - want).abs() < 1e-9);
            }
        }
        // projection keeps distances within the plane
        let p = pca.project(&x, 2);
        let d_orig = ((x[[5, 0]] - x[[0, 0]]).powi(2) + (x[[5, 1]] - x[[0, 1]]).powi(2)).sqrt();
        let d_proj = ((p[[5, 0]] - p[[0, 0]]).powi(2) + (p[[5, 1]] - p[[0, 1]]).powi(2)).sqrt();
        assert!((d_orig - d_proj).abs() < 1e-9);
    }
}
