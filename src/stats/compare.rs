//! Comparing groups: two proportions (z-test), the Cochran-Armitage trend over ordered groups,
//! and Welch's t (from the values or from each group's n, mean and sum of squares).

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// A test statistic with its p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Test {
    pub statistic: f64,
    /// One-sided in the direction the caller asked for, unless the test is two-sided by nature.
    pub p_value: f64,
}

fn normal_upper_tail(z: f64) -> f64 {
    let normal = Normal::new(0.0, 1.0).expect("standard normal");
    1.0 - normal.cdf(z)
}

/// Two-proportion z-test of H1: p1 > p2 (pooled variance). `None` when a group is empty or the
/// pooled share is 0 or 1.
pub fn two_proportions(x1: usize, n1: usize, x2: usize, n2: usize) -> Option<Test> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 {
        return None;
    }
    let z = (p1 - p2) / se;
    Some(Test {
        statistic: z,
        p_value: normal_upper_tail(z),
    })
}

/// Cochran-Armitage test of H1: the share of successes rises with `scores`.
/// `groups` holds (successes, total, score) per ordered group.
pub fn trend(groups: &[(usize, usize, f64)]) -> Option<Test> {
    let n: f64 = groups.iter().map(|g| g.1 as f64).sum();
    let x: f64 = groups.iter().map(|g| g.0 as f64).sum();
    if n == 0.0 {
        return None;
    }
    let p = x / n;
    let t: f64 = groups
        .iter()
        .map(|&(xi, ni, s)| s * (xi as f64 - ni as f64 * p))
        .sum();
    let s1: f64 = groups.iter().map(|&(_, ni, s)| ni as f64 * s * s).sum();
    let s2: f64 = groups.iter().map(|&(_, ni, s)| ni as f64 * s).sum();
    let var = p * (1.0 - p) * (s1 - s2 * s2 / n);
    if var <= 0.0 {
        return None;
    }
    let z = t / var.sqrt();
    Some(Test {
        statistic: z,
        p_value: normal_upper_tail(z),
    })
}

/// Welch's t-test of H1: mean(a) > mean(b).
pub fn welch(a: &[f64], b: &[f64]) -> Option<Test> {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    if na < 2.0 || nb < 2.0 {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let squares = |v: &[f64], m: f64| v.iter().map(|x| (x - m).powi(2)).sum::<f64>();
    let (ma, mb) = (mean(a), mean(b));
    welch_from((na, ma, squares(a, ma)), (nb, mb, squares(b, mb)))
}

/// [`welch`] from each group's size, mean and sum of squared deviations from its mean.
pub fn welch_from((na, ma, ssa): (f64, f64, f64), (nb, mb, ssb): (f64, f64, f64)) -> Option<Test> {
    if na < 2.0 || nb < 2.0 {
        return None;
    }
    let (va, vb) = (ssa / (na - 1.0) / na, ssb / (nb - 1.0) / nb);
    let se2 = va + vb;
    if se2 <= 0.0 {
        return None;
    }
    let t = (ma - mb) / se2.sqrt();
    let df = se2 * se2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(Test {
        statistic: t,
        p_value: 1.0 - dist.cdf(t),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() < tol
    }

    #[test]
    fn two_proportions_matches_a_hand_computation() {
        // 30/100 vs 20/100: pooled 0.25, se = sqrt(0.25*0.75*0.02) = 0.061237, z = 1.63299
        let t = two_proportions(30, 100, 20, 100).unwrap();
        assert!(close(t.statistic, 1.632993, 1e-5), "{t:?}");
        assert!(close(t.p_value, 0.051224, 1e-4), "{t:?}");
        assert!(two_proportions(0, 0, 1, 2).is_none());
    }

    #[test]
    fn trend_is_positive_when_shares_rise() {
        let rising = trend(&[(5, 50, 1.0), (10, 50, 2.0), (20, 50, 3.0)]).unwrap();
        assert!(
            rising.statistic > 3.0 && rising.p_value < 0.01,
            "{rising:?}"
        );
        let flat = trend(&[(10, 50, 1.0), (10, 50, 2.0), (10, 50, 3.0)]).unwrap();
        assert!(close(flat.statistic, 0.0, 1e-12));
    }

    #[test]
    fn welch_detects_a_shift() {
        let a: Vec<f64> = (0..40).map(|i| 2.0 + (i % 5) as f64).collect();
        let b: Vec<f64> = (0..40).map(|i| (i % 5) as f64).collect();
        let t = welch(&a, &b).unwrap();
        assert!(t.statistic > 5.0 && t.p_value < 1e-6, "{t:?}");
    }
}
