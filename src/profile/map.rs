//! The municipalities on a two-dimensional map: the first two principal components
//! ([`crate::stats::Pca`]) of the clustered, scaled answers, with the types' centres on it.

use crate::cluster::Typology;
use crate::stats::Pca;

/// Coordinates on the first two principal components (the second 0 where there is one only).
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    /// One point per clustered municipality, in the typology's order.
    pub points: Vec<[f64; 2]>,
    /// One point per type centre.
    pub centres: Vec<[f64; 2]>,
    /// Share of the total variance along each component.
    pub explained: Vec<f64>,
}

/// The map of a typology's municipalities and type centres.
pub fn map(typology: &Typology) -> Map {
    let scaled = typology.scaled();
    let pca = Pca::fit(&scaled);
    let k = typology.types.len();
    let centres = ndarray::Array2::from_shape_fn((k, scaled.ncols()), |(i, j)| {
        typology.types[i].centroid_scaled[j]
    });
    let xy = |c: ndarray::Array2<f64>| -> Vec<[f64; 2]> {
        (0..c.nrows())
            .map(|i| [c[[i, 0]], if c.ncols() > 1 { c[[i, 1]] } else { 0.0 }])
            .collect()
    };
    Map {
        points: xy(pca.project(&scaled, 2)),
        centres: xy(pca.project(&centres, 2)),
        explained: pca.explained(),
    }
}
