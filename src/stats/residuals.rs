//! Adjusted standardised residuals (Haberman) of a contingency table, on counts or, first-order
//! Rao-Scott corrected, on a weighted table.

/// Adjusted standardised residuals (Haberman) of a contingency table:
/// `(observed - expected) / sqrt(expected * (1 - row share) * (1 - column share))`, roughly standard
/// normal under independence, so |r| > 1.96 marks a cell over- or under-represented at 5 %.
/// Cells in an empty row or column get `None`.
pub fn adjusted_residuals(table: &[Vec<usize>]) -> Vec<Vec<Option<f64>>> {
    let table: Vec<Vec<f64>> = table
        .iter()
        .map(|r| r.iter().map(|&c| c as f64).collect())
        .collect();
    residuals_of(&table)
}

/// Adjusted standardised residuals of a weighted table, first-order Rao-Scott corrected as
/// [`independence_weighted`](super::independence::independence_weighted): the weighted cell totals scaled to sum to `n`, each residual divided
/// by the square root of `deff`. With `deff` 1 and integer totals this is [`adjusted_residuals`].
pub fn adjusted_residuals_weighted(
    weighted: &[Vec<f64>],
    n: f64,
    deff: f64,
) -> Vec<Vec<Option<f64>>> {
    let total: f64 = weighted.iter().flatten().sum();
    let scale = if total > 0.0 { n / total } else { 0.0 };
    let scaled: Vec<Vec<f64>> = weighted
        .iter()
        .map(|r| r.iter().map(|c| c * scale).collect())
        .collect();
    let root = deff.max(1.0).sqrt();
    residuals_of(&scaled)
        .into_iter()
        .map(|r| r.into_iter().map(|x| x.map(|x| x / root)).collect())
        .collect()
}

fn residuals_of(table: &[Vec<f64>]) -> Vec<Vec<Option<f64>>> {
    let width = table.first().map_or(0, Vec::len);
    let row_sum: Vec<f64> = table.iter().map(|r| r.iter().sum::<f64>()).collect();
    let col_sum: Vec<f64> = (0..width)
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    let n: f64 = row_sum.iter().sum();
    table
        .iter()
        .enumerate()
        .map(|(i, row)| {
            (0..width)
                .map(|j| {
                    let (ri, cj) = (row_sum[i] / n, col_sum[j] / n);
                    let e = row_sum[i] * col_sum[j] / n;
                    let var = e * (1.0 - ri) * (1.0 - cj);
                    (n > 0.0 && var > 0.0).then(|| (row[j] - e) / var.sqrt())
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() < tol
    }

    #[test]
    fn adjusted_residuals_of_a_two_by_two_table() {
        // [[10, 20], [20, 10]]: e = 15, var = 15 * 0.5 * 0.5, r = -5 / sqrt(3.75) = -2.582
        let r = adjusted_residuals(&[vec![10, 20], vec![20, 10]]);
        assert!(close(r[0][0].unwrap(), -2.581989, 1e-5), "{r:?}");
        assert!(close(r[0][1].unwrap(), 2.581989, 1e-5));
        // in a 2x2 table the squared residual is the chi-square statistic
        assert!(close(r[1][0].unwrap().powi(2), 6.666667, 1e-5));
        assert!(adjusted_residuals(&[vec![0, 0], vec![3, 4]])[0][0].is_none());
    }
}
