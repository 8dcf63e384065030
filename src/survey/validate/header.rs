//! The header of a survey file against the codebook: empty, duplicate, unknown and missing column
//! names.

use std::collections::HashMap;

use crate::survey::{Codebook, Problem};

/// Header problems: empty, duplicate, unknown and missing column names.
pub(super) fn check_header(
    header: &[String],
    header_row: usize,
    codebook: &Codebook,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            problems.push(Problem::row(
                header_row,
                format!(
                    "column {} has no name; expected a codebook variable name",
                    i + 1
                ),
            ));
            continue;
        }
        if let Some(first) = seen.insert(name.as_str(), i) {
            problems.push(Problem::column(
                name,
                format!(
                    "appears twice in the header (columns {} and {}); expected each variable once",
                    first + 1,
                    i + 1
                ),
            ));
        }
        if codebook.variable(name).is_none() {
            let hint = codebook
                .variables
                .iter()
                .find(|v| v.name.eq_ignore_ascii_case(name))
                .map(|v| format!(" (did you mean '{}'?)", v.name))
                .unwrap_or_default();
            problems.push(Problem::column(
                name,
                format!("is not in the codebook{hint}; expected only codebook variables"),
            ));
        }
    }
    for v in &codebook.variables {
        if !seen.contains_key(v.name.as_str()) {
            problems.push(Problem::column(
                &v.name,
                format!("is missing; the codebook expects it ({})", v.label_en),
            ));
        }
    }
    problems
}
