//! The clustering core: k-means over the goal priorities, the clusters named after the four
//! published types, and what a researcher needs around it: choosing k, bootstrap stability, and
//! classifying new municipalities with a saved model; and the reviewer's checks beside k-means:
//! Ward's hierarchy and k-means from its centroids (`hierarchy`), Gaussian mixtures (`mixture`),
//! and whether a type is a response style (`response_style`).
//!
//! This file only declares the modules and re-exports their public items. The modules import one
//! another downward only, never in a circle; from the bottom: `error` and `seed`; `kmeans` (the
//! vocabulary: engine choice, settings, partition, squared distance, cluster means); `patterns`
//! (a large survey's distinct answer patterns), `matrix` and `naming`; `engine` (`blocks`, then
//! `fast`, `hartigan_wong` and `linfa`, then the dispatch in `engine/mod.rs`);
//! `quality` (silhouettes, Calinski-Harabasz, Davies-Bouldin); `stability` and `certainty` (each
//! row's share of bootstrap resamples in its own type); `ward` (the agglomeration), then
//! `hierarchy` and `mixture`; `typology` (the fitted and named result, with its certainty, its
//! posteriors and the mixtures compared with its types); `choose` and `response_style`; `model`;
//! `replication` (prediction strength and split-half replication over half-splits, and how types
//! split across k) and `tree` (a threshold tree that reproduces a partition in a few questions).
//!
//! Everything here returns typed numbers, codes and identifiers: the words, tables and charts
//! made of them are `show::views` (a type's name, for instance, is a published type's
//! names from the type definitions or "type n", [`TypeName`], worded there).

mod certainty;
mod choose;
mod engine;
mod error;
pub mod hierarchy;
mod kmeans;
mod matrix;
pub mod mixture;
mod model;
mod naming;
mod nearest;
mod patterns;
mod quality;
pub mod replication;
pub mod response_style;
mod seed;
mod stability;
pub mod tree;
mod typology;
mod ward;

pub use certainty::{certainty, Certainty, Resampled, CERTAINTY_MAX_STARTS, CERTAINTY_RESAMPLES};
pub use choose::{
    choose_k, choose_k_weighted, recommend, ChooseKOptions, KIndex, KScore, Recommendation,
    GAP_REFERENCE_MAX_ROWS,
};
pub use engine::fast::fit as fit_fast;
pub use engine::fast::fit_from as kmeans_from;
pub use engine::fast::fit_from_with as kmeans_from_with;
pub use engine::fit as kmeans;
pub use engine::fit_weighted as kmeans_weighted;
pub use engine::linfa::fit_linfa;
pub use error::ClusterError;
pub use kmeans::{means, nearest, within_ss, Algorithm, Engine, KMeansSettings, Partition};
pub use matrix::{
    build as build_matrix, choose_variables, Excluded, Matrix, MissingPolicy, ScaleKind, Scaler,
};
pub use model::{
    certainty_of, classify, quantiles_by_5, scaled_points, Classified, Feedback, Lesson,
    SavedModel, SavedTree, SavedType, ScalePoint, TypeText, VariableLabels, Words, MAX_MODEL_BYTES,
};
pub(crate) use naming::weighted_mean_variance;
pub use naming::{
    builtin_types, characteristic, name_clusters, parse_types, profiles, profiles_weighted,
    types_from_path, Named, TypeDef, TypeName, DEFAULT_TYPES,
};
pub use nearest::{Near, NearestIndex};
pub use patterns::{fit_patterns, PATTERNS_MIN_ROWS};
pub use quality::{
    calinski_harabasz, davies_bouldin, silhouettes, silhouettes_for, simplified_silhouettes,
    EXACT_SILHOUETTE_MAX_ROWS,
};
pub use seed::synthetic;
pub use stability::{adjusted_rand_index, stability, stability_weighted, Stability, TypeStability};
pub use typology::{
    distinct_rows, fit_typology, fit_typology_weighted, fit_typology_with, mixtures_for_typology,
    Advice, Assignment, ClusterOptions, Distances, TypeResult, Typology, TypologyMixtures,
};
