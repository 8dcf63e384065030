//! The profile sheets' numbers ("Steckbriefe"), computed from the survey and a fitted typology:
//! every coded profile variable cross-tabulated by type ([`crosstabs`]: shares, chi-square test,
//! Cramér's V, adjusted standardised residuals), and per type ([`types`]) its size and share, its
//! goal profile against the whole clustered sample, the answers over- or under-represented in it,
//! its strengths, what it can learn from the other types and its most typical municipalities;
//! [`build`] puts them together, [`rules`] holds the numbers of the rules below; the checks of
//! the types' robustness ([`robustness`]); the municipalities on a map of principal components
//! ([`map`]); and what a municipality's own feedback needs ([`feedback`]: the aggregates a saved
//! model carries, one municipality's place). Numbers, codes and identifiers only: the words,
//! labels and charts are `crate::show::views`'. This file only declares the modules and
//! re-exports their public items.
//!
//! Rules, stated once here and in every sheet:
//! - a cross-tab counts the clustered municipalities that were asked and answered;
//! - an answer is over- or under-represented in a type when its adjusted standardised residual is
//!   at least 1.96 in size (5 % two-sided, no correction for the many tests: a guide, not proof);
//! - strengths and lessons are drawn only from what a municipality does or has, never from the
//!   clustering variables or a variable the codebook marks as derived from one of them
//!   (`derived_from`: the top-3 goals restate the goal priorities), nor from an opinion (a scale
//!   the codebook marks `opinion`: how helpful FIM is, the broadband grade); those stay in the
//!   cross-tabs, marked where they restate;
//! - a strength is a "positive" answer (the codebook's `positive` codes: uses, offers, supports)
//!   that the type gives more often than all other types together, with the 2x2
//!   residual at least 1.96, at least 5 municipalities, and the cross-tab significant (p < 0.05);
//! - a lesson from another type: where another type gives the positive answer most often, at least
//!   10 points more often than this type, in a significant cross-tab;
//! - cells with fewer than 5 municipalities are shown as "<5 of n", never as a bare percentage.
//!
//! With survey weights (the typology's), shares are taken of the summed weights (the counts and
//! bases beside them stay numbers of municipalities), the type shares and the goal profile's
//! sample means are weighted, and every test and residual is first-order Rao-Scott corrected
//! (X² and residuals divided by Kish's design effect of the weights in the table).

pub mod build;
pub mod crosstabs;
pub mod feedback;
pub mod map;
pub mod robustness;
pub mod rules;
pub mod types;

pub use build::{build, check_crosstab_charts, Profile, ProfileError, Source};
pub use crosstabs::{Share, TypeCrossTab};
pub use robustness::{robustness, Robustness};
pub use rules::{ALPHA, LESSON_GAP, LIST_LENGTH, RESIDUAL_FLAG, TYPICAL};
pub use types::TypeProfile;
