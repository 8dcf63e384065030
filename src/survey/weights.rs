//! Survey weights: which variable weights the municipalities (`--weight VAR`, by default the
//! codebook's weight variable, `none` to switch off), its values read and checked (every value
//! finite and at least 0, none missing, not all 0), and the rule that a weight column holding the
//! same value for every municipality weights nothing: it is reported as unweighted and every
//! result has the unweighted run's bytes.
//!
//! The values are read through the survey table's accessor in one function ([`read_values`]), so
//! that a change of the table's storage touches one place. This module returns facts (the weight
//! variable, the weights, a constant weight and its value, Kish's design effect); the sentences
//! about them are [`crate::show::weights`]'s.

use serde::{Deserialize, Serialize};

use super::problems::{Problem, Problems};
use super::{Kind, Role, Survey, SurveyError, Values};

/// Which variable weights the municipalities. Recorded in manifests; an older manifest without it
/// reads as [`WeightChoice::None`], which is what those runs did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightChoice {
    /// The codebook's weight variable (role "weight"), when the codebook has one and it is not
    /// constant; unweighted otherwise.
    Codebook,
    /// Unweighted (`--weight none`).
    #[default]
    None,
    /// This variable (`--weight VAR`).
    Variable(String),
}

/// The choice as the command line's `--weight` gives it: `none` (any case) switches weighting off,
/// a name names a variable, and the empty text is the codebook's weight variable (what a command
/// that weights by default takes when `--weight` is absent).
impl std::str::FromStr for WeightChoice {
    type Err = std::convert::Infallible;

    fn from_str(arg: &str) -> Result<WeightChoice, Self::Err> {
        Ok(match arg {
            "" => WeightChoice::Codebook,
            a if a.eq_ignore_ascii_case("none") => WeightChoice::None,
            a => WeightChoice::Variable(a.to_string()),
        })
    }
}

/// The weighting a run uses, resolved against the survey.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Weighting {
    /// The weight variable, when the run is weighted.
    pub variable: Option<String>,
    /// One weight per survey row, when the run is weighted (`None`: every row counts once).
    pub values: Option<Vec<f64>>,
    /// The weight variable that was named or found but holds one value for everyone (so the run
    /// is unweighted), with that value: for the console's note ([`crate::show::weights`]).
    pub constant: Option<(String, f64)>,
}

impl Weighting {
    /// No weights.
    pub fn none() -> Weighting {
        Weighting::default()
    }

    pub fn is_weighted(&self) -> bool {
        self.values.is_some()
    }

    /// The weights of the given survey rows (`None` when unweighted).
    pub fn select(&self, rows: &[usize]) -> Option<Vec<f64>> {
        self.values
            .as_ref()
            .map(|w| rows.iter().map(|&r| w[r]).collect())
    }
}

/// Kish's design effect n Σw² / (Σw)² of `weights` (1 when `None` or when the weights are equal).
pub fn kish_deff(weights: Option<&[f64]>) -> f64 {
    let Some(w) = weights else { return 1.0 };
    let (s1, s2) = w.iter().fold((0.0, 0.0), |(a, b), &x| (a + x, b + x * x));
    if s1 > 0.0 {
        (w.len() as f64 * s2 / (s1 * s1)).max(1.0)
    } else {
        1.0
    }
}

/// The values of the numeric variable `name`, one per row (`None` where missing): the one place
/// that knows how the survey table stores them.
fn read_values(survey: &Survey, name: &str) -> Result<Vec<Option<f64>>, SurveyError> {
    Ok(match survey.column(name)? {
        Values::Decimal(v) => v.to_vec(),
        Values::Codes(v) => v.iter().map(|c| c.map(|c| c as f64)).collect(),
        Values::Ids(_) => return Err(SurveyError::NotCoded(name.to_string())),
    })
}

/// The spreadsheet row of survey row `i` (the header is row 1 after the comment lines).
fn sheet_row(i: usize, comment_lines: usize) -> usize {
    i + comment_lines + 2
}

/// Resolves `choice` against `survey` read from `file` (with `comment_lines` before its header):
/// the weight variable's values checked, a constant column reported as unweighted.
pub fn resolve(
    survey: &Survey,
    choice: &WeightChoice,
    file: &str,
    comment_lines: usize,
) -> Result<Weighting, SurveyError> {
    let book = survey.codebook();
    let name = match choice {
        WeightChoice::None => return Ok(Weighting::none()),
        WeightChoice::Codebook => match book.with_role(Role::Weight).next() {
            Some(v) => v.name.clone(),
            None => return Ok(Weighting::none()),
        },
        WeightChoice::Variable(v) => v.clone(),
    };
    let problem = |message: String| {
        SurveyError::Invalid(Problems {
            file: file.to_string(),
            problems: vec![Problem::column(&name, message)],
            note: None,
            warnings: Vec::new(),
        })
    };
    let variable = book
        .variable(&name)
        .ok_or_else(|| SurveyError::NoVariable(name.clone()))?;
    if !matches!(variable.kind, Kind::Decimal | Kind::Count | Kind::Integer) {
        return Err(problem(format!(
            "--weight {name}: the variable is {}, not a number; expected a decimal, count or integer variable as the weight (or --weight none)",
            variable.kind.as_str()
        )));
    }
    let values = read_values(survey, &name)?;
    let expected = "expected a finite weight of at least 0 for every row (or --weight none)";
    let mut problems = Vec::new();
    let mut weights = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let row = sheet_row(i, comment_lines);
        match v {
            None => problems.push(Problem::cell(
                row,
                &name,
                "",
                format!("the weight is missing; {expected}"),
            )),
            Some(w) if !w.is_finite() || *w < 0.0 => problems.push(Problem::cell(
                row,
                &name,
                &w.to_string(),
                format!("is not a weight; {expected}"),
            )),
            Some(w) => weights.push(*w),
        }
    }
    if !problems.is_empty() {
        return Err(SurveyError::Invalid(Problems {
            file: file.to_string(),
            problems,
            note: Some(format!("the results are weighted by {name} (--weight)")),
            warnings: Vec::new(),
        }));
    }
    if weights.iter().all(|&w| w == 0.0) {
        return Err(problem(format!(
            "every weight is 0, so no row would count; {expected}, and not all 0"
        )));
    }
    if let Some(&first) = weights.first() {
        if weights.iter().all(|&w| w == first) {
            return Ok(Weighting {
                variable: None,
                values: None,
                constant: Some((name, first)),
            });
        }
    }
    Ok(Weighting {
        variable: Some(name),
        values: Some(weights),
        constant: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kish_deff_is_one_for_equal_weights_and_grows_with_their_spread() {
        assert_eq!(kish_deff(None), 1.0);
        assert_eq!(kish_deff(Some(&[2.5, 2.5, 2.5])), 1.0);
        // n Σw² / (Σw)² = 2 (1 + 9) / 16
        assert!((kish_deff(Some(&[1.0, 3.0])) - 1.25).abs() < 1e-15);
    }

    #[test]
    fn the_weight_argument_none_switches_off_and_a_name_names_a_variable() {
        assert_eq!("".parse(), Ok(WeightChoice::Codebook));
        assert_eq!("NONE".parse(), Ok(WeightChoice::None));
        assert_eq!(
            "gewicht".parse(),
            Ok(WeightChoice::Variable("gewicht".into()))
        );
    }
}
