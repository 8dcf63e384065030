//! The codebook's routing (`asked_if`) and rules across variables, resolved to the codebook
//! positions of the coded variables they read, once for all blocks.

use crate::survey::{Codebook, Kind, Rule, Variable};

/// A rule across variables with the columns it reads (codebook positions of coded variables).
pub(super) enum RowRule<'a> {
    AtMost {
        n: usize,
        variables: Vec<(&'a str, usize)>,
        what: &'a str,
    },
    Exclusive {
        variable: &'a str,
        none: usize,
        variables: Vec<(&'a str, usize)>,
        what: &'a str,
    },
    SizeClass {
        var: &'a Variable,
        class: usize,
        count_name: &'a str,
        count: usize,
        what: &'a str,
    },
}

/// A question asked only when a filter holds a code: where both are in the codebook.
pub(super) struct Routed<'a> {
    pub(super) position: usize,
    pub(super) filter: usize,
    pub(super) filter_name: &'a str,
    pub(super) codes: &'a [i64],
    /// The filter's codes for messages ("1 or 2").
    pub(super) wanted: String,
}

/// The position of the coded variable `name` (not an identifier or a decimal).
fn coded(codebook: &Codebook, name: &str) -> Option<usize> {
    codebook.position(name).filter(|&i| is_codes(codebook, i))
}

fn is_codes(codebook: &Codebook, i: usize) -> bool {
    !matches!(
        codebook.variables[i].kind,
        Kind::Identifier | Kind::Text | Kind::Decimal
    )
}

/// The routed questions whose filters are coded variables of the codebook.
pub(super) fn routed(codebook: &Codebook) -> Vec<Routed<'_>> {
    let is_codes = |i: usize| is_codes(codebook, i);
    let coded = |name: &str| coded(codebook, name);
    codebook
        .variables
        .iter()
        .enumerate()
        .filter_map(|(position, var)| {
            let cond = var.asked_if.as_ref()?;
            let filter = coded(&cond.variable)?;
            is_codes(position).then(|| Routed {
                position,
                filter,
                filter_name: &cond.variable,
                codes: &cond.codes,
                wanted: cond
                    .codes
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(" or "),
            })
        })
        .collect()
}

/// The codebook's rules across variables, with the positions of the variables they read.
pub(super) fn row_rules<'a>(codebook: &'a Codebook) -> Vec<RowRule<'a>> {
    let coded = |name: &str| coded(codebook, name);
    let listed = |variables: &'a [String]| -> Vec<(&'a str, usize)> {
        variables
            .iter()
            .filter_map(|v| Some((v.as_str(), coded(v)?)))
            .collect()
    };
    codebook
        .rules
        .iter()
        .filter_map(|rule| match rule {
            Rule::AtMost { n, variables, what } => Some(RowRule::AtMost {
                n: *n,
                variables: listed(variables),
                what,
            }),
            Rule::Exclusive {
                variable,
                variables,
                what,
            } => Some(RowRule::Exclusive {
                variable,
                none: coded(variable)?,
                variables: listed(variables),
                what,
            }),
            Rule::SizeClass {
                variable,
                count,
                what,
            } => Some(RowRule::SizeClass {
                var: codebook.variable(variable)?,
                class: coded(variable)?,
                count_name: count,
                count: coded(count)?,
                what,
            }),
        })
        .collect()
}
