//! The chi-square test of independence of a contingency table, on counts or (first-order
//! Rao-Scott, by Kish's design effect) on weighted tables, with Cramér's V; its upper confidence
//! bound and the matching equivalence test ("the association is smaller than a bound"), through
//! the noncentral chi-square distribution function (the Poisson mixture of central ones).

use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::gamma::{gamma_lr, ln_gamma};

/// Chi-square test of independence of a contingency table (rows x columns of counts), with
/// Cramér's V. Rows and columns that are all zero are dropped first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Independence {
    pub chi_square: f64,
    pub df: usize,
    pub p_value: f64,
    pub cramers_v: f64,
    /// Smallest expected cell count (the test is rough below 5).
    pub min_expected: f64,
}

/// The rows and the column indices of a table that are not all zero.
fn nonzero(table: &[Vec<usize>]) -> Option<(Vec<&Vec<usize>>, Vec<usize>)> {
    let rows: Vec<&Vec<usize>> = table
        .iter()
        .filter(|r| r.iter().sum::<usize>() > 0)
        .collect();
    let width = rows.first()?.len();
    let keep: Vec<usize> = (0..width)
        .filter(|&j| rows.iter().map(|r| r[j]).sum::<usize>() > 0)
        .collect();
    Some((rows, keep))
}

pub fn independence(table: &[Vec<usize>]) -> Option<Independence> {
    let (rows, keep) = nonzero(table)?;
    let rows: Vec<Vec<f64>> = rows
        .iter()
        .map(|row| keep.iter().map(|&j| row[j] as f64).collect())
        .collect();
    pearson(&rows, 1.0)
}

/// The chi-square test of independence on a weighted table, with the first-order Rao-Scott
/// correction by Kish's design effect: the weighted cell totals are scaled to sum to `n` (the
/// municipalities counted), Pearson's X² of that table is divided by `deff`
/// ([`crate::survey::kish_deff`]) and referred to chi-square with (r - 1)(c - 1) degrees of
/// freedom. Cramér's V is that of the scaled weighted table (uncorrected: it describes the
/// weighted shares, not the evidence). With `deff` 1 and integer totals this is
/// [`independence`].
pub fn independence_weighted(weighted: &[Vec<f64>], n: f64, deff: f64) -> Option<Independence> {
    let total: f64 = weighted.iter().flatten().sum();
    if !(total > 0.0 && n > 0.0 && deff >= 1.0) {
        return None;
    }
    let rows: Vec<&Vec<f64>> = weighted
        .iter()
        .filter(|r| r.iter().sum::<f64>() > 0.0)
        .collect();
    let width = rows.first()?.len();
    let keep: Vec<usize> = (0..width)
        .filter(|&j| rows.iter().map(|r| r[j]).sum::<f64>() > 0.0)
        .collect();
    let scaled: Vec<Vec<f64>> = rows
        .iter()
        .map(|row| keep.iter().map(|&j| row[j] * n / total).collect())
        .collect();
    pearson(&scaled, deff)
}

/// Pearson's X² of a table with no empty row or column, divided by `deff`; Cramér's V of the
/// uncorrected X².
fn pearson(rows: &[Vec<f64>], deff: f64) -> Option<Independence> {
    let (r, c) = (rows.len(), rows.first().map_or(0, Vec::len));
    if r < 2 || c < 2 {
        return None;
    }
    let row_sum: Vec<f64> = rows.iter().map(|row| row.iter().sum()).collect();
    let col_sum: Vec<f64> = (0..c)
        .map(|j| rows.iter().map(|row| row[j]).sum())
        .collect();
    let n: f64 = row_sum.iter().sum();
    let mut chi = 0.0;
    let mut min_expected = f64::INFINITY;
    for (i, row) in rows.iter().enumerate() {
        for (k, &o) in row.iter().enumerate() {
            let e = row_sum[i] * col_sum[k] / n;
            min_expected = min_expected.min(e);
            chi += (o - e).powi(2) / e;
        }
    }
    let df = (r - 1) * (c - 1);
    let dist = ChiSquared::new(df as f64).ok()?;
    let v = (chi / (n * (r.min(c) - 1) as f64)).sqrt();
    let chi = if deff == 1.0 { chi } else { chi / deff };
    Some(Independence {
        chi_square: chi,
        df,
        p_value: 1.0 - dist.cdf(chi),
        cramers_v: v,
        min_expected,
    })
}

/// Distribution function P(X <= x) of the noncentral chi-square distribution with `df` degrees of
/// freedom and noncentrality `lambda`: the Poisson(lambda / 2) mixture of central chi-square
/// distribution functions with df + 2j degrees of freedom. The central ones follow from one
/// regularised incomplete gamma function by P(a + 1, y) = P(a, y) - y^a e^-y / Gamma(a + 1).
pub fn noncentral_chi_square_cdf(x: f64, df: f64, lambda: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 0.0;
    }
    let y = x / 2.0;
    let half = lambda.max(0.0) / 2.0;
    let terms = (half + 12.0 * half.sqrt() + 30.0).ceil() as usize;
    let mut a = df / 2.0;
    let mut central = gamma_lr(a, y);
    // y^a e^-y / Gamma(a + 1), updated by its ratio from one a to the next
    let mut step = (a * y.ln() - y - ln_gamma(a + 1.0)).exp();
    let ln_half = half.ln();
    let mut log_weight = -half;
    let mut total = 0.0;
    let mut add = |ln_j: f64| {
        // below e^-746 a weight is 0 and adds nothing (skipping it spares exp's slow underflow)
        if log_weight > -746.0 {
            total += log_weight.exp() * central;
        }
        central = (central - step).max(0.0);
        a += 1.0;
        step *= y / a;
        if step < f64::MIN_POSITIVE && a < y {
            // the term underflowed (a statistic beyond about 1,400): it still grows with a, so it
            // is taken afresh until it is a normal number again (a subnormal seed has few digits)
            step = (a * y.ln() - y - ln_gamma(a + 1.0)).exp();
        }
        log_weight += ln_half - ln_j;
    };
    LOGARITHMS.with(|ln| {
        let mut ln = ln.borrow_mut();
        while ln.len() <= (terms + 1).min(LOGARITHMS_KEPT) {
            let j = ln.len();
            ln.push((j as f64).ln());
        }
        for j in 1..=terms + 1 {
            add(ln.get(j).copied().unwrap_or_else(|| (j as f64).ln()));
        }
    });
    total.clamp(0.0, 1.0)
}

/// The most logarithms kept for [`noncentral_chi_square_cdf`] (8 MB).
const LOGARITHMS_KEPT: usize = 1 << 20;

thread_local! {
    /// ln(j) for j = 0, 1, 2, …, as far as a noncentral chi-square distribution needed them (a
    /// survey of 100,000 needs thousands of terms per probability).
    static LOGARITHMS: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The chi-square test of independence with an upper confidence bound for Cramér's V and the
/// equivalence test that V is below a bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SmallAssociation {
    pub independence: Independence,
    /// Municipalities in the table.
    pub n: usize,
    /// The bound V is tested against.
    pub bound: f64,
    /// One-sided upper confidence bound for V at level 1 - `alpha`.
    pub v_upper: f64,
    /// p-value of H0: V >= bound against H1: V < bound. It is below `alpha` exactly when
    /// `v_upper` is below `bound`.
    pub p_value: f64,
}

/// Tests whether the association in `table` is smaller than Cramér's V = `bound`: with
/// q = min(rows, columns) - 1, V = sqrt(chi2 / (n q)), and the noncentrality that V = `bound` means
/// is n q bound^2. The p-value is the noncentral chi-square probability of a statistic as small as
/// the one observed at that noncentrality; the upper bound for V is sqrt(lambda_U / (n q)), where
/// lambda_U is the noncentrality at which that probability is `alpha` (0 when even independence
/// makes the observed statistic that unlikely).
pub fn association_below(table: &[Vec<usize>], bound: f64, alpha: f64) -> Option<SmallAssociation> {
    let (independence, n, scale, p_value) = association_below_p(table, bound)?;
    let (chi, df) = (independence.chi_square, independence.df as f64);
    let below = |lambda: f64| noncentral_chi_square_cdf(chi, df, lambda) <= alpha;
    let v_upper = if below(0.0) {
        0.0
    } else {
        // solve on sqrt(lambda), which the bound is proportional to, by regula falsi with the
        // Illinois step (a bracketing method: the root stays between lo and hi)
        let f = |s: f64| noncentral_chi_square_cdf(chi, df, s * s) - alpha;
        let (mut lo, mut hi) = (0.0f64, chi.sqrt() + 6.0);
        while f(hi) > 0.0 {
            hi *= 2.0;
        }
        let (mut f_lo, mut f_hi) = (f(lo), f(hi));
        let mut side = 0;
        for _ in 0..100 {
            if hi - lo < 1e-12 * hi.max(1.0) {
                break;
            }
            let mid = hi - f_hi * (hi - lo) / (f_hi - f_lo);
            let f_mid = f(mid);
            if f_mid > 0.0 {
                (lo, f_lo) = (mid, f_mid);
                if side == -1 {
                    f_hi /= 2.0;
                }
                side = -1;
            } else {
                (hi, f_hi) = (mid, f_mid);
                if side == 1 {
                    f_lo /= 2.0;
                }
                side = 1;
            }
            if f_mid.abs() < 1e-15 {
                (lo, hi) = (mid, mid);
            }
        }
        hi / scale.sqrt()
    };
    Some(SmallAssociation {
        independence,
        n,
        bound,
        v_upper,
        p_value,
    })
}

/// The p-value of [`association_below`]'s equivalence test alone (without the bound's root
/// search), with the independence test, the table's count and the noncentrality per V².
pub fn association_below_p(
    table: &[Vec<usize>],
    bound: f64,
) -> Option<(Independence, usize, f64, f64)> {
    let independence = independence(table)?;
    let (rows, keep) = nonzero(table)?;
    let n: usize = rows
        .iter()
        .map(|r| keep.iter().map(|&j| r[j]).sum::<usize>())
        .sum();
    let scale = n as f64 * (rows.len().min(keep.len()) - 1) as f64;
    let (chi, df) = (independence.chi_square, independence.df as f64);
    let p_value = noncentral_chi_square_cdf(chi, df, scale * bound * bound);
    Some((independence, n, scale, p_value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::residuals::adjusted_residuals_weighted;
    use statrs::distribution::Normal;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() < tol
    }

    /// The Rao-Scott first-order test: with design effect 1 and integer weights it is the
    /// unweighted test of the table the weights add up to; a design effect d divides X² by d and
    /// leaves Cramér's V; a table scaled by any factor (weights 2.5 for everyone) scaled back to
    /// n gives the same test.
    #[test]
    fn rao_scott_first_order_divides_x2_by_the_design_effect() {
        let counts = vec![vec![30usize, 20], vec![15, 35]];
        let plain = independence(&counts).unwrap();
        let as_f64: Vec<Vec<f64>> = counts
            .iter()
            .map(|r| r.iter().map(|&c| c as f64).collect())
            .collect();
        let same = independence_weighted(&as_f64, 100.0, 1.0).unwrap();
        assert!(close(same.chi_square, plain.chi_square, 1e-12));
        assert!(close(same.p_value, plain.p_value, 1e-12));
        let times: Vec<Vec<f64>> = as_f64
            .iter()
            .map(|r| r.iter().map(|c| c * 2.5).collect())
            .collect();
        let scaled = independence_weighted(&times, 100.0, 1.0).unwrap();
        assert!(close(scaled.chi_square, plain.chi_square, 1e-9));
        let corrected = independence_weighted(&as_f64, 100.0, 2.0).unwrap();
        assert!(close(corrected.chi_square, plain.chi_square / 2.0, 1e-12));
        assert!(corrected.p_value > plain.p_value);
        assert!(close(corrected.cramers_v, plain.cramers_v, 1e-12));
        // X² by hand: expected 22.5, 27.5 in both rows; (7.5² / 22.5 + 7.5² / 27.5) · 2 = 9.0909…
        assert!(close(
            plain.chi_square,
            2.0 * (56.25 / 22.5 + 56.25 / 27.5),
            1e-12
        ));
    }

    /// The first-order Rao-Scott statistic on a small weighted table, against numbers worked out
    /// independently (numpy/scipy in Python: `chi2_contingency(S, correction=False)` of the scaled
    /// table S, then X² / deff and `chi2.sf`). Twelve municipalities (group, answer, weight):
    /// (0,0,1) (0,0,2) (0,1,0.5) (0,2,1.5) (0,0,3) (1,1,2) (1,1,1) (1,2,0.5) (1,0,1) (1,2,2.5)
    /// (1,1,1.5) (0,1,1): weighted table [[6, 1.5, 1.5], [1, 4.5, 3]], Σw = 17.5, Σw² = 32.25,
    /// Kish's deff = 12 · 32.25 / 17.5² = 1.2636734693877552; the table scaled to n = 12 has
    /// X² = 3.8137254901960786, so the corrected X² = 3.0179675229264835 on df 2,
    /// p = 0.22113458930215565; Cramér's V (uncorrected) = sqrt(X² / 12) = 0.5637468026661792;
    /// adjusted residuals of the scaled table divided by sqrt(deff): [0][0] 1.7260290167290542,
    /// [1][1] 1.1770120625557359.
    #[test]
    fn rao_scott_first_order_matches_an_independent_computation() {
        let obs = [
            (0, 0, 1.0),
            (0, 0, 2.0),
            (0, 1, 0.5),
            (0, 2, 1.5),
            (0, 0, 3.0),
            (1, 1, 2.0),
            (1, 1, 1.0),
            (1, 2, 0.5),
            (1, 0, 1.0),
            (1, 2, 2.5),
            (1, 1, 1.5),
            (0, 1, 1.0),
        ];
        let mut table = vec![vec![0.0; 3]; 2];
        for &(g, a, w) in &obs {
            table[g][a] += w;
        }
        let weights: Vec<f64> = obs.iter().map(|o| o.2).collect();
        let deff = crate::survey::kish_deff(Some(&weights));
        assert!(close(deff, 1.2636734693877552, 1e-12), "{deff}");
        let t = independence_weighted(&table, 12.0, deff).unwrap();
        assert!(close(t.chi_square, 3.0179675229264835, 1e-10), "{t:?}");
        assert_eq!(t.df, 2);
        assert!(close(t.p_value, 0.22113458930215565, 1e-10), "{t:?}");
        assert!(close(t.cramers_v, 0.5637468026661792, 1e-10), "{t:?}");
        let r = adjusted_residuals_weighted(&table, 12.0, deff);
        assert!(close(r[0][0].unwrap(), 1.7260290167290542, 1e-10), "{r:?}");
        assert!(close(r[1][1].unwrap(), 1.1770120625557359, 1e-10), "{r:?}");
    }

    #[test]
    fn chi_square_of_a_two_by_two_table() {
        // [[10, 20], [20, 10]]: expected 15 everywhere, chi2 = 4 * 25/15 = 6.6667, V = sqrt(6.6667/60)
        let t = independence(&[vec![10, 20], vec![20, 10]]).unwrap();
        assert!(close(t.chi_square, 6.666667, 1e-5));
        assert_eq!(t.df, 1);
        assert!(close(t.p_value, 0.009823, 1e-5), "{t:?}");
        assert!(close(t.cramers_v, (6.666667f64 / 60.0).sqrt(), 1e-6));
    }

    /// A statistic beyond about 1,400 (a survey of 100,000) made the first term underflow: the
    /// distribution function stayed at 1 for every noncentrality, and the bound's search never
    /// ended. df = 1 has the closed form of the test below.
    #[test]
    fn noncentral_chi_square_of_a_large_statistic() {
        let normal = Normal::new(0.0, 1.0).unwrap();
        for (x, lambda) in [
            (4_000.0f64, 4_000.0f64),
            (4_000.0, 4_200.0),
            (30_000.0, 29_500.0),
        ] {
            let (s, l) = (x.sqrt(), lambda.sqrt());
            let exact = normal.cdf(s - l) - normal.cdf(-s - l);
            let ours = noncentral_chi_square_cdf(x, 1.0, lambda);
            assert!(
                close(ours, exact, 1e-6),
                "x {x}, lambda {lambda}: {ours} vs {exact}"
            );
        }
        assert!(noncentral_chi_square_cdf(4_000.0, 4.0, 40_000.0) < 1e-9);
    }

    #[test]
    fn noncentral_chi_square_matches_known_values() {
        // lambda = 0 is the central distribution: P(chi2_1 <= 3.841459) = 0.95
        assert!(close(
            noncentral_chi_square_cdf(3.841459, 1.0, 0.0),
            0.95,
            1e-6
        ));
        // df = 1: X = (Z + sqrt(lambda))^2, so P(X <= x) = Phi(sqrt x - sqrt l) - Phi(-sqrt x - sqrt l);
        // x = 4, lambda = 9: Phi(-1) - Phi(-5) = 0.158655254 - 0.000000287 = 0.158654967
        assert!(close(
            noncentral_chi_square_cdf(4.0, 1.0, 9.0),
            0.158654967,
            1e-8
        ));
        // df = 3 is df = 1 plus a central chi2_2 (an exponential with mean 2): integrate the df = 1
        // case numerically against the density of the chi2_2 part
        let (x, lambda) = (6.0f64, 5.0f64);
        let normal = Normal::new(0.0, 1.0).unwrap();
        let df1 = |t: f64| {
            let (s, l) = (t.max(0.0).sqrt(), lambda.sqrt());
            normal.cdf(s - l) - normal.cdf(-s - l)
        };
        let steps = 200_000;
        let h = x / steps as f64;
        let integral: f64 = (0..steps)
            .map(|i| {
                let u = (i as f64 + 0.5) * h;
                0.5 * (-u / 2.0).exp() * df1(x - u) * h
            })
            .sum();
        assert!(
            close(noncentral_chi_square_cdf(x, 3.0, lambda), integral, 1e-7),
            "{integral}"
        );
    }

    #[test]
    fn association_below_a_bound_is_the_confidence_bound_read_two_ways() {
        // 2 x 2 table with n = 400 and no association: chi2 = 0, q = 1. At V = 0.2 the
        // noncentrality is 400 * 0.04 = 16, and P(X <= 0) = 0, so the p-value is 0 and the bound
        // for V is 0 (independence already makes chi2 = 0 as unlikely as it gets).
        let flat = association_below(&[vec![100, 100], vec![100, 100]], 0.2, 0.05).unwrap();
        assert_eq!(flat.n, 400);
        assert!(flat.p_value < 1e-12 && flat.v_upper == 0.0, "{flat:?}");
        // [[120, 80], [80, 120]]: expected 100 in every cell, chi2 = 4 * 20^2 / 100 = 16, V = 0.2. At V = 0.2 the
        // statistic is as likely below as above its median, so the test cannot show V < 0.2.
        let t = association_below(&[vec![120, 80], vec![80, 120]], 0.2, 0.05).unwrap();
        assert!(close(t.independence.chi_square, 16.0, 1e-9));
        assert!(close(t.independence.cramers_v, 0.2, 1e-12));
        assert!(t.p_value > 0.05 && t.v_upper > 0.2, "{t:?}");
        // the bound and the test agree: at the bound the p-value is alpha
        let at = noncentral_chi_square_cdf(16.0, 1.0, 400.0 * t.v_upper * t.v_upper);
        assert!(close(at, 0.05, 1e-9), "{at}");
        // df = 1 by hand: the upper bound solves Phi(4 - s) - Phi(-4 - s) = 0.05 for
        // s = sqrt(lambda): s = 4 + 1.644854 (the second term is negligible), V = s / 20
        assert!(close(t.v_upper, (4.0 + 1.644854) / 20.0, 1e-6), "{t:?}");
    }
}
