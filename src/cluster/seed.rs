//! Seeds derived from a run's seed by a SplitMix64 step: every job of a run (a restart, a
//! resample, a reference data set) gets its own seed from its number, so results do not depend on
//! which thread runs it. Also the synthetic benchmark data drawn from the same counter-based
//! stream.

use ndarray::Array2;

/// Seed of job `j` of a run seeded with `seed` (SplitMix64 step).
pub(super) fn derive_seed(seed: u64, j: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15u64.wrapping_mul(j + 1));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Synthetic benchmark data: `n` rows of `d` columns around four centres (row i belongs to
/// centre i mod 4, which sits at 3 on every fourth column), with noise from a counter-based
/// SplitMix64 stream, so that the same data can be made in Python (benches/compare_sklearn.py).
pub fn synthetic(n: usize, d: usize, seed: u64) -> Array2<f64> {
    let uniform = |idx: u64| (derive_seed(seed, idx) >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    Array2::from_shape_fn((n, d), |(i, j)| {
        let centre = if j % 4 == i % 4 { 3.0 } else { 0.0 };
        let base = 3 * (i as u64 * d as u64 + j as u64);
        centre + uniform(base) + uniform(base + 1) + uniform(base + 2) - 1.5
    })
}
