//! The rules of one row: its answers to questions it was routed past (and not-applicable codes
//! where it was asked), and the rules across variables on the row's codes.

use super::cells::Checker;
use super::context::trimmed;
use super::rules::RowRule;
use crate::survey::Problem;

impl Checker<'_> {
    /// The row's answers to questions it was routed past, and its not-applicable codes where it
    /// was asked.
    pub(super) fn check_routing(&mut self, row: usize, fields: &[&str]) {
        let context = self.context;
        let codebook = self.codebook;
        for routed in &context.routed {
            let v = routed.position;
            let filter_value = self.codes[routed.filter];
            let asked = filter_value.is_some_and(|f| routed.codes.contains(&f));
            let wrong = if !asked && self.codes[v].is_some() {
                true
            } else {
                asked && self.not_applicable[v]
            };
            if !wrong {
                continue;
            }
            let var = &codebook.variables[v];
            let text = context.field_of[v].map_or("", |f| trimmed(fields[f]));
            let shown = filter_value.map_or_else(|| "no answer".to_string(), |f| f.to_string());
            let message = if !asked {
                format!(
                    "answers a question this {} was not asked ({} is {shown}, the question is asked when it is {}); expected {} or empty",
                    codebook.meta.unit.en,
                    routed.filter_name,
                    routed.wanted,
                    codebook.missing.not_applicable.code
                )
            } else {
                format!(
                    "says not applicable, but the question was asked ({} is {shown}); expected an answer, {} (no answer) or empty",
                    routed.filter_name,
                    codebook.missing.non_response.code
                )
            };
            self.routing
                .push(Problem::cell(row, &var.name, text, message));
        }
    }

    /// The rules across variables, on the row's codes.
    pub(super) fn check_rules(&mut self, row: usize) {
        let codes = &self.codes;
        for rule in &self.context.rules {
            match rule {
                RowRule::AtMost { n, variables, what } => {
                    let selected = |(_, p): &&(&str, usize)| codes[*p] == Some(1);
                    if variables.iter().filter(selected).count() <= *n {
                        continue;
                    }
                    let chosen: Vec<&str> =
                        variables.iter().filter(selected).map(|(v, _)| *v).collect();
                    self.rules.push(Problem::cell(
                        row,
                        chosen[0],
                        "1",
                        format!(
                            "is one of {} selected {what}: {}; expected at most {n}",
                            chosen.len(),
                            chosen.join(", ")
                        ),
                    ));
                }
                RowRule::Exclusive {
                    variable,
                    none,
                    variables,
                    what,
                } => {
                    if codes[*none] != Some(1) {
                        continue;
                    }
                    let also: Vec<&str> = variables
                        .iter()
                        .filter(|(_, p)| codes[*p] == Some(1))
                        .map(|(v, _)| *v)
                        .collect();
                    if !also.is_empty() {
                        self.rules.push(Problem::cell(
                            row,
                            variable,
                            "1",
                            format!("is selected together with {}: {what}", also.join(", ")),
                        ));
                    }
                }
                RowRule::SizeClass {
                    var,
                    class,
                    count_name,
                    count,
                    what,
                } => {
                    let (Some(class), Some(n)) = (codes[*class], codes[*count]) else {
                        continue;
                    };
                    let Some(code) = var.code(class) else {
                        continue;
                    };
                    let fits =
                        code.min.is_none_or(|lo| n >= lo) && code.max.is_none_or(|hi| n <= hi);
                    if !fits {
                        let right = var
                            .codes
                            .iter()
                            .find(|c| {
                                c.min.is_none_or(|lo| n >= lo) && c.max.is_none_or(|hi| n <= hi)
                            })
                            .map(|c| format!("{} ({})", c.code, c.de))
                            .unwrap_or_else(|| "none".to_string());
                        self.rules.push(Problem::cell(
                            row,
                            &var.name,
                            &class.to_string(),
                            format!("does not fit {count_name} = {n}: {what}; expected {right}"),
                        ));
                    }
                }
            }
        }
    }
}
