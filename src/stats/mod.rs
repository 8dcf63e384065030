//! The statistics the stages share: comparing groups ([`compare`]: two proportions, the
//! Cochran-Armitage trend, Welch's t), the chi-square test of independence on counts or, with the
//! first-order Rao-Scott correction by Kish's design effect, on weighted tables, with Cramér's V,
//! its upper confidence bound and the matching equivalence test ([`independence`]), adjusted
//! standardised residuals ([`residuals`]), one coded variable counted by groups of municipalities
//! with those tests ([`crosstab`]), and principal components for a two-dimensional map
//! ([`pca`]). Distribution functions come from `statrs`. Numbers only: no wording, no `Lang`.

pub mod compare;
pub mod crosstab;
pub mod independence;
pub mod pca;
pub mod residuals;

pub use compare::{trend, two_proportions, welch, welch_from, Test};
pub use crosstab::{CrossTab, SMALL_CELL};
pub use independence::{
    association_below, association_below_p, independence, independence_weighted,
    noncentral_chi_square_cdf, Independence, SmallAssociation,
};
pub use pca::Pca;
pub use residuals::{adjusted_residuals, adjusted_residuals_weighted};
