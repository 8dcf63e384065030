//! FactoMineR's `catdes` on a typology: what sets each type apart, category by category and
//! mean by mean, with the same tests and the same sort (see the rules in `super`).
//!
//! Categories: Cla/Mod (the share of the category's cases that are in the type), Mod/Cla (the
//! share of the type's cases in the category), Global (the category's share of all), in percent;
//! the p-value is `catdes`' two-sided mid-p of the hypergeometric distribution of the type's
//! count (`min(2 P(X < x) + P(X = x), 2 P(X > x) + P(X = x))`), and the v-test the normal
//! quantile of half of it, positive where the type holds the category more often than all.
//! Means: the v-test `(mean_k - mean) / sqrt(var / n_k * (N - n_k) / (N - 1))` with variances of
//! divisor N, its p-value two-sided normal; η² the between-type share of the sum of squares with
//! the p-value of the one-way F test.

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::{beta::beta_reg, factorial::ln_binomial};

use crate::cluster::Typology;
use crate::survey::{Kind, Role, Survey, SurveyError, Values, Variable};

/// What a row of the description measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    /// A category (a code) of a coded variable, its shares in percent.
    Category {
        code: i64,
        /// The type's cases in the category, and the type's cases that answered (numbers of
        /// municipalities, also when weighted).
        count: u64,
        base: u64,
        cla_mod: f64,
        mod_cla: f64,
        global: f64,
    },
    /// The mean of a numeric variable (or of an ordinal variable's codes).
    Mean {
        mean_in_type: f64,
        mean_overall: f64,
        sd_in_type: f64,
        sd_overall: f64,
    },
}

/// One type × variable × category (or mean).
#[derive(Debug, Clone, PartialEq)]
pub struct Characteristic {
    /// Index into the typology's types.
    pub type_index: usize,
    pub variable: String,
    pub measure: Measure,
    pub p_value: f64,
    pub v_test: f64,
}

impl Characteristic {
    /// The category's code (`None` for a mean).
    pub fn code(&self) -> Option<i64> {
        match self.measure {
            Measure::Category { code, .. } => Some(code),
            Measure::Mean { .. } => None,
        }
    }
}

/// η² of one numeric (or ordinal) variable by type, with the F test's p-value.
#[derive(Debug, Clone, PartialEq)]
pub struct Eta2 {
    pub variable: String,
    pub eta2: f64,
    pub p_value: f64,
}

/// The description of every type.
#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    /// Per type (in the typology's order): its categories by v-test, largest first, then its
    /// means by v-test, largest first (`catdes`' `$category` and `$quanti`).
    pub characteristics: Vec<Characteristic>,
    /// In the order `catdes` gives `$quanti.var`: by p-value, smallest first.
    pub eta2: Vec<Eta2>,
    /// Whether the cases were weighted (see the rules in `super`).
    pub weighted: bool,
}

impl Description {
    /// The rows of type `g`, in their order.
    pub fn of_type(&self, g: usize) -> impl Iterator<Item = &Characteristic> {
        self.characteristics
            .iter()
            .filter(move |c| c.type_index == g)
    }

    /// The v-test of the mean of `variable` in type `g`.
    pub fn mean_v_test(&self, g: usize, variable: &str) -> Option<f64> {
        self.of_type(g)
            .find(|c| c.variable == variable && c.code().is_none())
            .map(|c| c.v_test)
    }
}

/// One answering clustered case of a variable: its type, its value and its weight.
struct Case {
    group: usize,
    value: f64,
    weight: f64,
}

/// Describes every type of `typology` by every coded and numeric variable of the survey's
/// codebook (not the identifier, not the weight, not text).
pub fn describe(survey: &Survey, typology: &Typology) -> Result<Description, SurveyError> {
    let book = survey.codebook();
    let k = typology.types.len();
    let mut categories: Vec<Vec<Characteristic>> = vec![Vec::new(); k];
    let mut means: Vec<Vec<Characteristic>> = vec![Vec::new(); k];
    let mut eta2 = Vec::new();
    for var in &book.variables {
        if matches!(var.role, Role::Identifier | Role::Weight) || var.kind.is_text() {
            continue;
        }
        let cases = answering_cases(survey, typology, var)?;
        if cases.is_empty() {
            continue;
        }
        if var.kind.is_coded() {
            for c in describe_categories(var, &cases, k) {
                categories[c.type_index].push(c);
            }
        }
        if !var.kind.is_coded() || var.kind == Kind::Ordinal {
            let (rows, e) = describe_means(&var.name, &cases, k);
            for c in rows {
                means[c.type_index].push(c);
            }
            eta2.extend(e);
        }
    }
    let mut characteristics = Vec::new();
    for rows in categories.into_iter().zip(means) {
        characteristics.extend(catdes_sorted(rows.0));
        characteristics.extend(catdes_sorted(rows.1));
    }
    // catdes orders $quanti.var by p-value (R's order: stable, so ties keep variable order)
    eta2.sort_by(|a, b| a.p_value.total_cmp(&b.p_value));
    Ok(Description {
        characteristics,
        eta2,
        weighted: typology.weights.is_some(),
    })
}

/// Sorted as `catdes` sorts a type's rows, `rev(order(v.test))`: by v-test, largest first, and
/// rows of equal v-test in the reverse of the order they were made in (variables in codebook
/// order, categories by code).
fn catdes_sorted(mut rows: Vec<Characteristic>) -> Vec<Characteristic> {
    rows.reverse();
    rows.sort_by(|a, b| b.v_test.total_cmp(&a.v_test));
    rows
}

/// The clustered cases that answered `var`, with their weights rescaled to sum to their Kish
/// effective number (all 1 when unweighted).
fn answering_cases(
    survey: &Survey,
    typology: &Typology,
    var: &Variable,
) -> Result<Vec<Case>, SurveyError> {
    let value = |row: usize| -> Result<Option<f64>, SurveyError> {
        Ok(match survey.column(&var.name)? {
            Values::Codes(c) => c.get(row).map(|v| v as f64),
            Values::Decimal(d) => d.get(row).filter(|v| v.is_finite()),
            Values::Ids(_) => None,
        })
    };
    let mut cases = Vec::new();
    for (i, a) in typology.assignments.iter().enumerate() {
        let Some(v) = value(a.row)? else { continue };
        let weight = typology.weights.as_ref().map_or(1.0, |w| w[i]);
        cases.push(Case {
            group: a.type_index,
            value: v,
            weight,
        });
    }
    if typology.weights.is_some() {
        let (s1, s2) = cases.iter().fold((0.0, 0.0), |(a, b), c| {
            (a + c.weight, b + c.weight * c.weight)
        });
        if s2 > 0.0 {
            let factor = s1 / s2;
            for c in &mut cases {
                c.weight *= factor;
            }
        }
    }
    Ok(cases)
}

/// The category rows of a coded variable (categories by code, as R orders a factor's levels of
/// numbers; types and categories without a case are left out, as `droplevels` does).
fn describe_categories(var: &Variable, cases: &[Case], k: usize) -> Vec<Characteristic> {
    let mut codes: Vec<i64> = var.codes.iter().map(|c| c.code).collect();
    codes.sort_unstable();
    let mut table = vec![vec![0.0f64; codes.len()]; k];
    let mut counts = vec![vec![0u64; codes.len()]; k];
    for c in cases {
        if let Ok(j) = codes.binary_search(&(c.value as i64)) {
            table[c.group][j] += c.weight;
            counts[c.group][j] += 1;
        }
    }
    let row_sum: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let col_sum: Vec<f64> = (0..codes.len())
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    let total_rows: f64 = row_sum.iter().sum();
    let total_cols: f64 = col_sum.iter().sum();
    let mut out = Vec::new();
    for g in 0..k {
        if row_sum[g] <= 0.0 {
            continue;
        }
        for (j, &code) in codes.iter().enumerate() {
            if col_sum[j] <= 0.0 {
                continue;
            }
            let mod_cla = table[g][j] / row_sum[g];
            let global = col_sum[j] / total_cols;
            let ln_p = mid_p_ln(
                round(table[g][j]),
                round(row_sum[g]),
                round(total_rows) - round(row_sum[g]),
                round(col_sum[j]),
            );
            let p_value = ln_p.exp().min(1.0);
            let z = normal_quantile_ln(ln_p - std::f64::consts::LN_2);
            let sign = if mod_cla > global { -1.0 } else { 1.0 };
            out.push(Characteristic {
                type_index: g,
                variable: var.name.clone(),
                measure: Measure::Category {
                    code,
                    count: counts[g][j],
                    base: counts[g].iter().sum(),
                    cla_mod: table[g][j] / col_sum[j] * 100.0,
                    mod_cla: mod_cla * 100.0,
                    global: global * 100.0,
                },
                p_value,
                v_test: sign * z + 0.0,
            });
        }
    }
    out
}

/// R's `round` (halves to even) of a non-negative weighted count.
fn round(x: f64) -> f64 {
    x.round_ties_even().max(0.0)
}

/// The mean rows of a numeric variable and its η² (rows whose v-test is not a number, as on a
/// constant variable, are left out, as `catdes` leaves them out).
fn describe_means(variable: &str, cases: &[Case], k: usize) -> (Vec<Characteristic>, Option<Eta2>) {
    let mut n = vec![0.0f64; k];
    let mut sum = vec![0.0f64; k];
    let mut counted = vec![0usize; k];
    for c in cases {
        n[c.group] += c.weight;
        sum[c.group] += c.value * c.weight;
        counted[c.group] += 1;
    }
    let total_n: f64 = n.iter().sum();
    let mean = cases.iter().map(|c| c.value * c.weight).sum::<f64>() / total_n;
    let mean_k: Vec<f64> = (0..k).map(|g| sum[g] / n[g]).collect();
    let mut ss_k = vec![0.0f64; k];
    for c in cases {
        ss_k[c.group] += (c.value - mean_k[c.group]).powi(2) * c.weight;
    }
    let ss_total: f64 = cases
        .iter()
        .map(|c| (c.value - mean).powi(2) * c.weight)
        .sum();
    let sd = (ss_total / total_n).sqrt();
    let mut rows = Vec::new();
    for g in (0..k).filter(|&g| counted[g] > 0) {
        let v_test =
            (mean_k[g] - mean) / sd * n[g].sqrt() / ((total_n - n[g]) / (total_n - 1.0)).sqrt();
        if !v_test.is_finite() {
            continue;
        }
        rows.push(Characteristic {
            type_index: g,
            variable: variable.to_string(),
            measure: Measure::Mean {
                mean_in_type: mean_k[g],
                mean_overall: mean,
                sd_in_type: (ss_k[g] / n[g]).sqrt(),
                sd_overall: sd,
            },
            p_value: 2.0 * normal().cdf(-v_test.abs()),
            v_test,
        });
    }
    let groups = counted.iter().filter(|&&c| c > 0).count();
    let cases_counted = cases.iter().filter(|c| c.weight > 0.0).count();
    let ss_within: f64 = ss_k.iter().sum();
    let ss_between: f64 = (0..k)
        .filter(|&g| counted[g] > 0)
        .map(|g| n[g] * (mean_k[g] - mean).powi(2))
        .sum();
    let eta2 = (ss_between + ss_within > 0.0 && groups > 1 && cases_counted > groups).then(|| {
        let (d1, d2) = ((groups - 1) as f64, (cases_counted - groups) as f64);
        let f = (ss_between / d1) / (ss_within / d2);
        Eta2 {
            variable: variable.to_string(),
            eta2: ss_between / (ss_between + ss_within),
            p_value: f_upper_tail(f, d1, d2),
        }
    });
    (rows, eta2)
}

fn normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal")
}

/// P(F > f) for an F distribution with `d1` and `d2` degrees of freedom, without the
/// cancellation of `1 - cdf` in the far tail.
fn f_upper_tail(f: f64, d1: f64, d2: f64) -> f64 {
    if f.is_nan() {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    if f.is_infinite() {
        return 0.0;
    }
    beta_reg(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f))
}

/// The natural log of `catdes`' mid-p value for a type of `m` cases holding `x` of the `draws`
/// cases of a category, among `m + others` cases.
fn mid_p_ln(x: f64, m: f64, others: f64, draws: f64) -> f64 {
    let (x, m, others, draws) = (x as u64, m as u64, others as u64, draws as u64);
    let lo = draws.saturating_sub(others);
    let hi = draws.min(m);
    if x < lo || x > hi {
        return 0.0;
    }
    let ln_pmf =
        ln_binomial(m, x) + ln_binomial(others, draws - x) - ln_binomial(m + others, draws);
    let (mf, of, df) = (m as f64, others as f64, draws as f64);
    // pmf(i - 1) / pmf(i), and pmf(i + 1) / pmf(i)
    let down = |i: u64| {
        let i = i as f64;
        i * (of - df + i) / ((mf - i + 1.0) * (df - i + 1.0))
    };
    let up = |i: u64| {
        let i = i as f64;
        (mf - i) * (df - i) / ((i + 1.0) * (of - df + i + 1.0))
    };
    let lower = ln_tail((lo..x).rev().map(|i| down(i + 1)));
    let upper = ln_tail((x..hi).map(up));
    let two = std::f64::consts::LN_2;
    let a = ln_pmf + ln_add_exp(0.0, two + lower);
    let b = ln_pmf + ln_add_exp(0.0, two + upper);
    a.min(b).min(0.0)
}

/// The natural log of the sum of the terms `t_1 = r_1`, `t_{i+1} = t_i r_{i+1}` (the tail of a
/// distribution relative to its term at the start), stopping where the terms have become
/// negligible; minus infinity for no terms.
fn ln_tail(ratios: impl Iterator<Item = f64>) -> f64 {
    const RESCALE: f64 = 1e250;
    let (mut t, mut sum, mut shift) = (1.0f64, 0.0f64, 0.0f64);
    for r in ratios {
        t *= r;
        sum += t;
        if t > RESCALE {
            t /= RESCALE;
            sum /= RESCALE;
            shift += RESCALE.ln();
        }
        if r < 1.0 && t <= sum * 1e-20 {
            break;
        }
    }
    if sum > 0.0 {
        sum.ln() + shift
    } else {
        f64::NEG_INFINITY
    }
}

/// ln(e^a + e^b).
fn ln_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        hi
    } else {
        hi + (lo - hi).exp().ln_1p()
    }
}

/// The standard normal quantile of `q = exp(ln_q)` (`q` at most 1/2: a value at most 0), as R's
/// `qnorm(q)`; where `q` is too small for a double it is found from its logarithm (R gives -Inf
/// there).
fn normal_quantile_ln(ln_q: f64) -> f64 {
    let q = ln_q.exp();
    if q >= 1e-300 {
        return normal().inverse_cdf(q.min(1.0));
    }
    normal_quantile_far(ln_q)
}

/// The standard normal quantile of `exp(ln_q)` far in the lower tail (`q` below about 1e-300).
fn normal_quantile_far(ln_q: f64) -> f64 {
    // Newton's method on ln Φ(z) = ln q, with the tail's asymptotic series for ln Φ(z), z << 0
    let ln_phi = |z: f64| {
        let z2 = z * z;
        -z2 / 2.0 - (-z).ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
            + (1.0 - 1.0 / z2 + 3.0 / (z2 * z2) - 15.0 / (z2 * z2 * z2)).ln()
    };
    let mut z = -(-2.0 * ln_q).sqrt();
    for _ in 0..50 {
        let step = (ln_phi(z) - ln_q) / (-z - 1.0 / z);
        z -= step;
        if step.abs() < 1e-14 * z.abs() {
            break;
        }
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R: `phyper(x - 1, m, n, k) * 2 + dhyper(x, m, n, k)` and the upper counterpart, by
    /// summing every term.
    fn mid_p_direct(x: u64, m: u64, n: u64, k: u64) -> f64 {
        let pmf =
            |i: u64| (ln_binomial(m, i) + ln_binomial(n, k - i) - ln_binomial(m + n, k)).exp();
        let lo = k.saturating_sub(n);
        let hi = k.min(m);
        let lower: f64 = (lo..x).map(pmf).sum();
        let upper: f64 = (x + 1..=hi).map(pmf).sum();
        (2.0 * lower + pmf(x)).min(2.0 * upper + pmf(x))
    }

    #[test]
    fn mid_p_matches_summing_every_term() {
        for &(x, m, n, k) in &[
            (0, 10, 20, 5),
            (5, 10, 20, 5),
            (3, 119, 269, 40),
            (40, 119, 269, 40),
            (17, 90, 298, 100),
            (1, 1, 1, 1),
            (0, 3, 0, 0),
        ] {
            let direct = mid_p_direct(x, m, n, k);
            let ours = mid_p_ln(x as f64, m as f64, n as f64, k as f64).exp();
            assert!(
                (direct - ours).abs() <= 1e-12 * direct.max(1e-300),
                "{x} {m} {n} {k}: {direct} vs {ours}"
            );
        }
    }

    #[test]
    fn quantile_from_the_log_continues_the_direct_one() {
        let direct = normal().inverse_cdf(1e-290);
        let from_log = normal_quantile_far(1e-290f64.ln());
        assert!((direct - from_log).abs() < 1e-9, "{direct} {from_log}");
        let far = normal_quantile_ln(-2000.0);
        assert!(far < -60.0 && far.is_finite());
    }
}
