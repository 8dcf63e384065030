//! Every coded profile variable that the types are not built from, counted by type
//! ([`crate::stats::CrossTab`]) with its test, residuals and shares: per type and for all clustered
//! municipalities together, of the summed weights when the typology is weighted (the counts and
//! bases stay numbers of municipalities).

use crate::cluster::Typology;
use crate::stats::{CrossTab, Independence, SMALL_CELL};
use crate::survey::{Role, Survey, SurveyError};

use super::rules::ALPHA;

/// A share of `count` municipalities of `base`, in percent of the municipalities or, when
/// weighted, of the summed weights of the cell and of the base.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    pub count: u64,
    pub base: u64,
    pub percent: Option<f64>,
    /// The cell's summed weights, when weighted (`percent` is then of these).
    pub weighted: Option<f64>,
    /// The base's summed weights, when weighted.
    pub weighted_base: Option<f64>,
}

impl Share {
    /// `count` of `base` municipalities; with `mass` (the summed weights of the cell and of the
    /// base) the percent is of those.
    pub fn new(count: u64, base: u64, mass: Option<(f64, f64)>) -> Share {
        match mass {
            None => Share {
                count,
                base,
                percent: (base > 0).then(|| 100.0 * count as f64 / base as f64),
                weighted: None,
                weighted_base: None,
            },
            Some((m, mb)) => Share {
                count,
                base,
                percent: (base > 0 && mb > 0.0).then(|| 100.0 * m / mb),
                weighted: Some(m),
                weighted_base: Some(mb),
            },
        }
    }
}

/// One variable by type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeCrossTab {
    /// The counts; its groups are the types' ids, in the typology's order.
    pub table: CrossTab,
    /// `shares[type][answer]`; the last row is all clustered municipalities.
    pub shares: Vec<Vec<Share>>,
    /// `residuals[type][answer]`.
    pub residuals: Vec<Vec<Option<f64>>>,
    pub independence: Option<Independence>,
    /// Cells with at least one and fewer than [`SMALL_CELL`] municipalities.
    pub small_cells: usize,
    /// The clustering variable this one is derived from (`derived_from` in the codebook): it
    /// restates what the types are built from, so it is never a strength or a lesson.
    pub restates: Option<String>,
    /// The codebook's positive answers of the variable.
    pub positive: Vec<i64>,
}

impl TypeCrossTab {
    pub fn variable(&self) -> &str {
        &self.table.variable
    }

    /// The test is significant at [`ALPHA`].
    pub fn significant(&self) -> bool {
        self.independence.is_some_and(|i| i.p_value < ALPHA)
    }

    /// The design effect the test is Rao-Scott corrected by, when weighted.
    pub fn design_effect(&self) -> Option<f64> {
        self.table.is_weighted().then_some(self.table.deff)
    }
}

/// The survey's rows by type, for counting a variable by type.
pub struct ByType {
    /// The type of each survey row (`None`: not clustered).
    group_of: Vec<Option<usize>>,
    /// The types' ids, in the typology's order.
    ids: Vec<String>,
    /// Each survey row's weight (0 for a row not clustered), when the typology is weighted.
    row_weights: Option<Vec<f64>>,
}

impl ByType {
    pub fn new(survey: &Survey, typology: &Typology) -> ByType {
        let mut group_of = vec![None; survey.len()];
        for a in &typology.assignments {
            group_of[a.row] = Some(a.type_index);
        }
        ByType {
            group_of,
            ids: typology.types.iter().map(|t| t.name.id.clone()).collect(),
            row_weights: typology.row_weights(),
        }
    }

    /// `variable` counted by type (weighted as the typology is).
    pub fn count(&self, survey: &Survey, variable: &str) -> Result<CrossTab, SurveyError> {
        CrossTab::new_weighted(
            survey,
            variable,
            &self.group_of,
            self.ids.clone(),
            self.row_weights.as_deref(),
        )
    }
}

/// The cross-tab by type of every coded profile variable that is not clustered on, in codebook
/// order.
pub fn crosstabs(survey: &Survey, typology: &Typology) -> Result<Vec<TypeCrossTab>, SurveyError> {
    let book = survey.codebook();
    let k = typology.types.len();
    let by_type = ByType::new(survey, typology);
    let weighted = typology.weights.is_some();
    let mut out = Vec::new();
    for var in &book.variables {
        if !var.kind.is_coded()
            || var.role != Role::Profile
            || typology.variables().contains(&var.name)
        {
            continue;
        }
        let t = by_type.count(survey, &var.name)?;
        let total = t.total();
        let total_base: u64 = total.iter().sum();
        let total_weighted = t.total_weighted();
        let total_mass: f64 = total_weighted.iter().flatten().sum();
        let mut shares: Vec<Vec<Share>> = (0..k)
            .map(|g| {
                (0..t.codes.len())
                    .map(|j| {
                        Share::new(
                            t.counts[g][j],
                            t.base(g),
                            weighted.then(|| (t.mass(g, j), t.mass_base(g))),
                        )
                    })
                    .collect()
            })
            .collect();
        shares.push(
            (0..t.codes.len())
                .map(|j| {
                    Share::new(
                        total[j],
                        total_base,
                        total_weighted.as_ref().map(|w| (w[j], total_mass)),
                    )
                })
                .collect(),
        );
        let small_cells = t
            .counts
            .iter()
            .flatten()
            .filter(|&&n| n > 0 && n < SMALL_CELL)
            .count();
        out.push(TypeCrossTab {
            independence: t.independence(),
            residuals: t.residuals(),
            shares,
            small_cells,
            restates: book.restated(var, typology.variables()).map(str::to_string),
            positive: var.positive.clone(),
            table: t,
        });
    }
    Ok(out)
}
