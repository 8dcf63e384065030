//! What a municipality's own view of the typology needs, in numbers: the survey's aggregates a
//! saved model carries ([`feedback_numbers`]: overall means, the spread of the margins, the lessons
//! between every pair of types) and one municipality's place ([`Position`]: its type, distances,
//! margin, ratings, nearest surveyed municipalities and the suggestions drawn for it). The sheets
//! in words are `crate::show::views::feedback`.
//!
//! Rules, stated on every sheet:
//! - the type is the one whose centroid is nearest, with the model's scaling (on an exact tie,
//!   the type listed first in the model): the rule of `classify`;
//! - an assignment is borderline when its margin (distance to the second-nearest type minus
//!   distance to its own) is below the lower quartile of the surveyed municipalities' margins;
//! - a suggestion is a lesson from one of the two types nearest besides its own: a positive answer
//!   about strategy, e-government base components, data use, training or community offerings
//!   (never a goal priority, which the types are built from, nor an opinion such as how helpful
//!   FIM is: a variable whose scale the codebook marks `opinion`) that the other type gives at
//!   least 10 points more often, in a significant cross-tab (p < 0.05) of all types; what the
//!   municipality's own file says it already does is left out, and an answer that the nearer of
//!   the two types already suggests is not suggested again from the other.

use crate::cluster::{quantiles_by_5, Feedback, Lesson, SavedModel, Typology};
use crate::stats::{CrossTab, SMALL_CELL};
use crate::survey::{Survey, SurveyError};

use super::rules::{ALPHA, LESSON_GAP};

/// The codebook blocks a suggestion may come from: what a municipality can do.
pub const ACTIONABLE_BLOCKS: [&str; 5] = ["strategy", "egov", "data", "competences", "community"];
/// How many surveyed municipalities a sheet lists as nearest.
pub const NEIGHBOURS: usize = 5;
/// From how many of the nearest other types suggestions are drawn, and how many from each.
pub const SUGGESTION_TYPES: usize = 2;
pub const SUGGESTIONS_PER_TYPE: usize = 3;

/// A positive answer that type `from` gives well ahead of type `to` (indices of the typology).
#[derive(Debug, Clone, PartialEq)]
pub struct TypeLesson {
    pub to: usize,
    pub from: usize,
    pub variable: String,
    pub positive: Vec<i64>,
    pub from_count: u64,
    pub from_base: u64,
    pub to_count: u64,
    pub to_base: u64,
    pub gap_points: f64,
}

/// The survey's aggregates a municipality's feedback needs.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackNumbers {
    /// Mean of each clustering variable over the clustered municipalities (weighted as the
    /// types' centres are).
    pub overall_means: Vec<f64>,
    /// Quantiles of the clustered municipalities' margins, by 5 %.
    pub margin_quantiles: Vec<f64>,
    /// By receiving type, then giving type, then the larger gap first.
    pub lessons: Vec<TypeLesson>,
}

/// The lessons between every pair of types on one variable's positive answers.
fn lessons_of(t: &CrossTab, variable: &str, positive: &[i64], out: &mut Vec<TypeLesson>) {
    let k = t.groups.len();
    for to in 0..k {
        let (own, to_count, to_base) = t.percent_of(to, positive);
        let Some(own) = own else { continue };
        for from in (0..k).filter(|&h| h != to) {
            let (theirs, from_count, from_base) = t.percent_of(from, positive);
            let Some(theirs) = theirs else { continue };
            let gap = theirs - own;
            if gap >= LESSON_GAP && from_count >= SMALL_CELL {
                out.push(TypeLesson {
                    to,
                    from,
                    variable: variable.to_string(),
                    positive: positive.to_vec(),
                    from_count,
                    from_base,
                    to_count,
                    to_base,
                    gap_points: gap,
                });
            }
        }
    }
}

/// The aggregates a municipality's feedback needs, from the survey a typology was fitted on.
pub fn feedback_numbers(
    survey: &Survey,
    typology: &Typology,
) -> Result<FeedbackNumbers, SurveyError> {
    let book = survey.codebook();
    let variables = typology.variables();
    let x = &typology.matrix.x;
    // weighted as the types' centres are
    let overall_means = (0..x.ncols())
        .map(|j| match &typology.weights {
            Some(w) => {
                let total: f64 = w.iter().sum();
                x.column(j).iter().zip(w).map(|(v, w)| v * w).sum::<f64>() / total
            }
            None => x.column(j).mean().unwrap_or(0.0),
        })
        .collect();
    let margins: Vec<f64> = typology.assignments.iter().map(|a| a.margin).collect();
    let by_type = super::crosstabs::ByType::new(survey, typology);
    let mut lessons = Vec::new();
    for var in &book.variables {
        if !var.kind.is_coded()
            || !book.describes_practice(var, variables)
            || !ACTIONABLE_BLOCKS.contains(&var.block.as_str())
        {
            continue;
        }
        let t = by_type.count(survey, &var.name)?;
        if t.independence().is_some_and(|i| i.p_value < ALPHA) {
            lessons_of(&t, &var.name, &var.positive, &mut lessons);
        }
    }
    lessons.sort_by(|a, b| {
        (a.to, a.from)
            .cmp(&(b.to, b.from))
            .then(b.gap_points.total_cmp(&a.gap_points))
            .then_with(|| a.variable.cmp(&b.variable))
    });
    Ok(FeedbackNumbers {
        overall_means,
        margin_quantiles: quantiles_by_5(&margins),
        lessons,
    })
}

/// A surveyed municipality near the one the sheet is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    pub id: String,
    pub type_index: usize,
    /// Euclidean distance in the model's scaled space.
    pub distance: f64,
}

/// One municipality's place in the typology.
#[derive(Debug, Clone, PartialEq)]
pub struct Position<'m> {
    pub model: &'m SavedModel,
    pub feedback: &'m Feedback,
    pub id: String,
    pub type_index: usize,
    pub distances: Vec<f64>,
    pub margin: Option<f64>,
    /// The ratings as given, in the model's variable order (`None`: not answered).
    pub ratings: Vec<Option<i64>>,
    /// The surveyed municipalities nearest to it, and the file they come from; `None` when no
    /// survey was given.
    pub neighbours: Option<(String, Vec<Neighbour>)>,
    /// The suggestions, nearest other type first.
    pub suggestions: Vec<Lesson>,
    /// The share of the model's bootstrap resamples that put it into its type, and the other
    /// type they put it into most often; `None` when the model carries no resamples.
    pub certainty: Option<(f64, Option<usize>)>,
}

impl<'m> Position<'m> {
    /// The place of a classified municipality; `done(variable, positive codes)` says whether its
    /// own file shows that it already gives the positive answer (`None`: unknown).
    pub fn new(
        (model, feedback): (&'m SavedModel, &'m Feedback),
        id: String,
        ratings: Vec<Option<i64>>,
        (type_index, distances, margin): (usize, Vec<f64>, Option<f64>),
        neighbours: Option<(String, Vec<Neighbour>)>,
        done: impl Fn(&str, &[i64]) -> Option<bool>,
    ) -> Position<'m> {
        let own = &model.types[type_index].id;
        let mut others: Vec<usize> = (0..model.types.len())
            .filter(|&t| t != type_index)
            .collect();
        others.sort_by(|&a, &b| distances[a].total_cmp(&distances[b]).then(a.cmp(&b)));
        let mut suggestions: Vec<Lesson> = Vec::new();
        for &other in others.iter().take(SUGGESTION_TYPES) {
            let from = &model.types[other].id;
            // an answer the nearer type already suggested is not suggested again
            let fresh: Vec<Lesson> = feedback
                .lessons
                .iter()
                .filter(|l| &l.to == own && &l.from == from)
                .filter(|l| done(&l.variable, &l.positive) != Some(true))
                .filter(|l| !suggestions.iter().any(|s| s.variable == l.variable))
                .take(SUGGESTIONS_PER_TYPE)
                .cloned()
                .collect();
            suggestions.extend(fresh);
        }
        Position {
            model,
            feedback,
            id,
            type_index,
            distances,
            margin,
            ratings,
            neighbours,
            suggestions,
            certainty: None,
        }
    }

    /// With its certainty: the model's resamples' votes for each type at its point.
    pub fn with_certainty(mut self, votes: Option<Vec<usize>>) -> Position<'m> {
        self.certainty = votes.and_then(|v| crate::cluster::certainty_of(&v, self.type_index));
        self
    }

    /// Whether the assignment is borderline (its margin below the survey's lower quartile).
    pub fn borderline(&self) -> bool {
        self.margin
            .is_none_or(|m| m < self.feedback.borderline_below())
    }
}
