//! What a reviewer of a typology asks, computed for the report from the fitted typology with the
//! run's seed (deterministic, whatever the thread count) and kept modest in cost: how many types
//! the indices prefer ([`crate::cluster::choose_k`]), how stable each type is under bootstrap
//! resampling ([`crate::cluster::stability`]), whether Ward's hierarchical clustering (of the rows
//! in file order, as R's `hclust` on the file) and k-means from its centroids find the same groups
//! ([`crate::cluster::hierarchy`]), which number of groups
//! a Gaussian mixture prefers and how it agrees with the types ([`crate::cluster::mixture`]), and
//! whether a type is only a response style ([`crate::cluster::response_style`]). The silhouette,
//! the indices for k and the bootstrap are weighted when the types are; Ward, the mixtures and the
//! response-style check are unweighted. This module owns the settings of these runs (stated in
//! the report) and the verbal bands the report reads the numbers on.

use serde::Serialize;

use crate::cluster::hierarchy::{crosstab, two_step, ward, ward_rows, WARD_MAX_PATTERNS};
use crate::cluster::mixture::{CovarianceModel, MixtureOptions};
use crate::cluster::mixtures_for_typology;
use crate::cluster::response_style::{response_style, ResponseStyleOptions};
use crate::cluster::{
    adjusted_rand_index, choose_k_weighted, recommend, stability_weighted, ChooseKOptions,
    ClusterError, KIndex, KMeansSettings, KScore, Typology,
};

/// The size of the seeded sample the report's Ward check runs on when the typology's rows have
/// more answer patterns than Ward takes: half its limit, so that the check's dissimilarities take
/// 0.4 GB instead of 1.6 GB (the report holds the survey and its charts besides) and its
/// agglomeration a few seconds.
pub const REPORT_WARD_SAMPLE: usize = WARD_MAX_PATTERNS / 2;

/// Bootstrap resamples for the stability of the types.
pub const STABILITY_RESAMPLES: usize = 100;
/// k-means starts per bootstrap resample and per k of the indices: the run's, at most this.
pub const MAX_STARTS: usize = 10;
/// The range of k the indices compare, and reference data sets for the gap statistic.
pub const CHOOSE_K_MIN: usize = 2;
pub const CHOOSE_K_MAX: usize = 8;
pub const GAP_REFERENCES: usize = 10;
/// The mixture models fitted for the report: the spherical and diagonal ones (the full-covariance
/// EEE and VVV cost most and are left to `typfrage mixture`), for k from 2 to 8.
pub const MIXTURE_MODELS: [CovarianceModel; 4] = [
    CovarianceModel::EII,
    CovarianceModel::VII,
    CovarianceModel::EEI,
    CovarianceModel::VVI,
];
pub const MIXTURE_K_MAX: usize = 8;

/// The verbal reading of a mean silhouette (Kaufman & Rousseeuw 1990, *Finding Groups in Data*,
/// p. 88): above 0.70 a strong structure, 0.51-0.70 a reasonable one, 0.26-0.50 a weak one that
/// may be artificial, at most 0.25 no substantial structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StructureBand {
    Strong,
    Reasonable,
    Weak,
    NoSubstantial,
}

impl StructureBand {
    pub fn of(silhouette: f64) -> StructureBand {
        if silhouette > 0.70 {
            StructureBand::Strong
        } else if silhouette > 0.50 {
            StructureBand::Reasonable
        } else if silhouette > 0.25 {
            StructureBand::Weak
        } else {
            StructureBand::NoSubstantial
        }
    }
}

/// The reading of a type's mean Jaccard similarity under resampling (Hennig 2007, and the
/// documentation of R's `fpc::clusterboot`): 0.85 and more highly stable, 0.75 and more stable,
/// 0.6 and more a pattern whose members are doubtful, below that not to be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StabilityBand {
    HighlyStable,
    Stable,
    Pattern,
    Unstable,
}

impl StabilityBand {
    pub fn of(jaccard: f64) -> StabilityBand {
        if jaccard >= 0.85 {
            StabilityBand::HighlyStable
        } else if jaccard >= 0.75 {
            StabilityBand::Stable
        } else if jaccard >= 0.6 {
            StabilityBand::Pattern
        } else {
            StabilityBand::Unstable
        }
    }
}

/// The reading of an adjusted Rand index between two partitions (Steinley 2004, *Psychological
/// Methods* 9: 386-396): 0.90 and more excellent, 0.80 good, 0.65 moderate, below that poor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementBand {
    Excellent,
    Good,
    Moderate,
    Poor,
}

impl AgreementBand {
    pub fn of(ari: f64) -> AgreementBand {
        if ari >= 0.90 {
            AgreementBand::Excellent
        } else if ari >= 0.80 {
            AgreementBand::Good
        } else if ari >= 0.65 {
            AgreementBand::Moderate
        } else {
            AgreementBand::Poor
        }
    }
}

/// What one index prefers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KChoice {
    /// The index (serialised as `choose-k` names it: `silhouette`, `gap statistic`, …).
    pub index: KIndex,
    pub k: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChooseK {
    pub k_min: usize,
    pub k_max: usize,
    pub starts: usize,
    pub gap_references: usize,
    pub scores: Vec<KScore>,
    pub choices: Vec<KChoice>,
    /// The k most indices point to (the smaller on a tie), and how many do.
    pub recommended: Option<usize>,
    pub agreement: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeStabilityRow {
    pub mean_jaccard: f64,
    /// Share of resamples in which the type dissolved (best Jaccard at most 0.5).
    pub dissolved: f64,
    pub band: StabilityBand,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StabilityResult {
    pub resamples: usize,
    pub starts: usize,
    pub types: Vec<TypeStabilityRow>,
    pub mean_ari: f64,
}

/// Ward's clustering cut into k groups, k-means from its centroids, and both against the types.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WardCheck {
    pub ari_ward_types: f64,
    pub ari_two_step_types: f64,
    pub ari_ward_two_step: f64,
    /// `crosstab[t][c]`: members of type t in Ward's group `groups[c]`; the groups are ordered
    /// so that the diagonal holds the most (each type beside the Ward group it overlaps most).
    pub crosstab: Vec<Vec<usize>>,
    /// Ward's group numbers (from 1, as the tree is cut) in the column order of `crosstab`.
    pub groups: Vec<usize>,
    /// `Some(n)`: Ward ran on a seeded sample of n municipalities (the survey has more answer
    /// patterns than Ward takes), and the numbers above are the sample's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MixtureCheck {
    pub models: Vec<String>,
    pub k_min: usize,
    pub k_max: usize,
    /// The model and k with the largest BIC, and its agreement with the types.
    pub best_k: usize,
    pub best_model: String,
    pub best_ari: f64,
    /// The best model with the typology's k, and its agreement with the types.
    pub at_k_model: Option<String>,
    pub at_k_ari: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseStyleCheck {
    pub n: usize,
    pub kept: usize,
    pub kept_share: f64,
    pub ari: f64,
    /// Per type: the share of members that keep it, and its mean rating level against all (in
    /// standard deviations of the municipalities' mean ratings).
    pub kept_shares: Vec<f64>,
    pub level_differences: Vec<f64>,
    pub most_level_dependent: usize,
}

/// Everything the report says about how far the types can be trusted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Robustness {
    pub seed: u64,
    pub mean_silhouette: f64,
    pub structure: StructureBand,
    pub choose_k: ChooseK,
    pub stability: StabilityResult,
    pub ward: WardCheck,
    pub mixture: Option<MixtureCheck>,
    pub response_style: ResponseStyleCheck,
}

/// The columns of a k × k cross-tab in the order that puts the largest total on the diagonal
/// (Hungarian method).
fn diagonal_order(table: &[Vec<usize>], k: usize) -> Vec<usize> {
    let cell = |t: usize, g: usize| table.get(t).and_then(|r| r.get(g)).copied().unwrap_or(0);
    let weights = pathfinding::matrix::Matrix::from_fn(k, k, |(t, g)| cell(t, g) as i64);
    pathfinding::kuhn_munkres::kuhn_munkres(&weights).1
}

/// Ward's clustering of the typology's rows in the order of the survey file (as R's `hclust` on
/// the file), or, when they have more answer patterns than Ward takes, of a seeded sample of
/// [`REPORT_WARD_SAMPLE`] of them; cut into k groups, refined by k-means, both against the types.
fn ward_check(
    typology: &Typology,
    x: &ndarray::Array2<f64>,
    labels: &[usize],
) -> Result<WardCheck, ClusterError> {
    let k = typology.types.len();
    let mut rows = ward_rows(&typology.matrix.rows, None);
    let mut sample = None;
    let tree = match ward(&x.select(ndarray::Axis(0), &rows)) {
        Err(ClusterError::WardTooLarge { .. }) => {
            let n = REPORT_WARD_SAMPLE;
            rows = ward_rows(&typology.matrix.rows, Some((n, typology.options.seed)));
            sample = Some(n);
            ward(&x.select(ndarray::Axis(0), &rows))?
        }
        tree => tree?,
    };
    let on = x.select(ndarray::Axis(0), &rows);
    let steps = two_step(
        &on,
        &tree,
        k,
        typology.options.max_iter,
        typology.options.tolerance,
    )?;
    let labels: Vec<usize> = rows.iter().map(|&i| labels[i]).collect();
    let table = crosstab(&labels, &steps.ward_labels);
    let groups = diagonal_order(&table, k);
    Ok(WardCheck {
        ari_ward_types: adjusted_rand_index(&labels, &steps.ward_labels),
        ari_two_step_types: adjusted_rand_index(&labels, &steps.kmeans_labels),
        ari_ward_two_step: steps.ari,
        crosstab: table
            .iter()
            .map(|row| {
                groups
                    .iter()
                    .map(|&g| row.get(g).copied().unwrap_or(0))
                    .collect()
            })
            .collect(),
        groups: groups.iter().map(|g| g + 1).collect(),
        sample,
    })
}

/// Runs the checks on a fitted typology with its seed.
pub fn robustness(typology: &Typology) -> Result<Robustness, ClusterError> {
    let x = typology.scaled();
    let labels: Vec<usize> = typology.assignments.iter().map(|a| a.type_index).collect();
    let seed = typology.options.seed;
    let n = labels.len();
    let starts = typology.options.n_init.clamp(1, MAX_STARTS);
    // weighted as the types are: the silhouette, the indices for k and the bootstrap
    let weights = typology.weights.as_deref();
    let mean_silhouette = typology.mean_silhouette();

    let k_max = CHOOSE_K_MAX.min(n.saturating_sub(1)).max(CHOOSE_K_MIN);
    let scores = choose_k_weighted(
        &x,
        weights,
        &ChooseKOptions {
            engine: typology.options.engine,
            algorithm: typology.options.algorithm,
            k_min: CHOOSE_K_MIN,
            k_max,
            seed,
            n_init: starts,
            max_iter: typology.options.max_iter,
            tolerance: typology.options.tolerance,
            gap_references: GAP_REFERENCES,
        },
    )?;
    let rec = recommend(&scores);
    let choose_k = ChooseK {
        k_min: CHOOSE_K_MIN,
        k_max,
        starts,
        gap_references: GAP_REFERENCES,
        scores: scores.clone(),
        choices: rec
            .choices
            .iter()
            .map(|&(index, k)| KChoice { index, k })
            .collect(),
        recommended: rec.k,
        agreement: rec.agreement,
    };

    let settings = KMeansSettings {
        n_init: starts,
        ..typology.options.settings()
    };
    let boot = stability_weighted(&x, weights, &labels, &settings, STABILITY_RESAMPLES, &|| {})?;
    let stability = StabilityResult {
        resamples: boot.resamples,
        starts,
        types: boot
            .types
            .iter()
            .map(|t| TypeStabilityRow {
                mean_jaccard: t.mean_jaccard,
                dissolved: t.dissolved,
                band: StabilityBand::of(t.mean_jaccard),
            })
            .collect(),
        mean_ari: boot.ari.iter().sum::<f64>() / boot.ari.len().max(1) as f64,
    };

    let ward = ward_check(typology, &x, &labels)?;

    let mixture = if n > MIXTURE_K_MAX {
        let m = mixtures_for_typology(
            typology,
            &MixtureOptions {
                k_min: CHOOSE_K_MIN,
                k_max: MIXTURE_K_MAX,
                models: MIXTURE_MODELS.to_vec(),
                seed,
                ..MixtureOptions::default()
            },
        )?;
        m.best.map(|best| MixtureCheck {
            models: MIXTURE_MODELS
                .iter()
                .map(|m| m.name().to_string())
                .collect(),
            k_min: CHOOSE_K_MIN,
            k_max: MIXTURE_K_MAX,
            best_k: best.k,
            best_model: best.model.name().into(),
            best_ari: best.ari,
            at_k_model: m.best_at_k.as_ref().map(|a| a.model.name().to_string()),
            at_k_ari: m.best_at_k.as_ref().map(|a| a.ari),
        })
    } else {
        None
    };

    let style = response_style(typology, &ResponseStyleOptions::default())?;
    let response_style = ResponseStyleCheck {
        n: style.n,
        kept: style.kept,
        kept_share: style.kept_share,
        ari: style.ari,
        kept_shares: style.types.iter().map(|t| t.kept_share).collect(),
        level_differences: style.types.iter().map(|t| t.level_difference).collect(),
        most_level_dependent: style.most_level_dependent,
    };

    Ok(Robustness {
        seed,
        mean_silhouette,
        structure: StructureBand::of(mean_silhouette),
        choose_k,
        stability,
        ward,
        mixture,
        response_style,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silhouette_bands_follow_kaufman_and_rousseeuw() {
        assert_eq!(StructureBand::of(0.71), StructureBand::Strong);
        assert_eq!(StructureBand::of(0.70), StructureBand::Reasonable);
        assert_eq!(StructureBand::of(0.51), StructureBand::Reasonable);
        assert_eq!(StructureBand::of(0.50), StructureBand::Weak);
        assert_eq!(StructureBand::of(0.26), StructureBand::Weak);
        assert_eq!(StructureBand::of(0.25), StructureBand::NoSubstantial);
        assert_eq!(StructureBand::of(0.149), StructureBand::NoSubstantial);
    }

    #[test]
    fn jaccard_and_rand_bands() {
        assert_eq!(StabilityBand::of(0.85), StabilityBand::HighlyStable);
        assert_eq!(StabilityBand::of(0.80), StabilityBand::Stable);
        assert_eq!(StabilityBand::of(0.6), StabilityBand::Pattern);
        assert_eq!(StabilityBand::of(0.59), StabilityBand::Unstable);
        assert_eq!(AgreementBand::of(0.93), AgreementBand::Excellent);
        assert_eq!(AgreementBand::of(0.68), AgreementBand::Moderate);
        assert_eq!(AgreementBand::of(0.5), AgreementBand::Poor);
    }
}
