//! `typfrage validate`: every cell of a survey file checked against the codebook; a summary of the
//! file and its missing values when it is valid, the list of problems when not.

use serde::{Deserialize, Serialize};

use super::{Outcome, SurveyInput};
use crate::error::{Error, Result, UsageError};
use crate::exit::ExitStatus;
use crate::survey::{Loaded, SurveyError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidateRequest {
    #[serde(flatten)]
    pub input: SurveyInput,
    /// List at most this many problems; the rest are counted.
    pub max_problems: usize,
}

impl ValidateRequest {
    pub(super) fn check(&self) -> Result<(), UsageError> {
        if self.max_problems == 0 {
            return Err(UsageError::new(
                "--max-problems 0: expected at least 1 (the problems are counted beyond it)",
            ));
        }
        Ok(())
    }
}

pub(super) fn run(r: &ValidateRequest) -> Result<Outcome> {
    match r.input.read() {
        Ok(read) => Ok(Outcome::ok(summary(&r.input, &read.loaded))),
        Err(Error::Survey(SurveyError::Invalid(problems))) => Ok(Outcome {
            stdout: problems.render(r.max_problems) + "\n",
            stderr: String::new(),
            status: ExitStatus::Failed,
        }),
        Err(e) => Err(e),
    }
}

fn summary(input: &SurveyInput, loaded: &Loaded) -> String {
    let d = &loaded.dialect;
    let s = &loaded.survey;
    let format = match &loaded.source.format {
        Some(format) => format.clone(),
        None => format!(
            "{}, {}-separated, {} line endings{}",
            d.encoding,
            d.separator_name(),
            d.line_ending,
            if d.comment_lines > 0 {
                format!(", {} comment lines before the header", d.comment_lines)
            } else {
                String::new()
            }
        ),
    };
    let mut out = format!(
        "{}: {} rows, {} columns; {format}\n{}No problems found.\n{}",
        input.file.display(),
        s.len(),
        s.codebook().variables.len(),
        loaded.source.mapping_lines(),
        input
            .load_warnings(loaded)
            .iter()
            .map(|w| format!("warning: {w}\n"))
            .collect::<String>()
    );
    let missing: Vec<_> = loaded
        .missing()
        .into_iter()
        .filter(|m| m.no_answer + m.not_applicable > 0)
        .collect();
    if missing.is_empty() {
        out.push_str("No missing values.\n");
        return out;
    }
    let width = missing
        .iter()
        .map(|m| m.variable.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    out.push_str(&format!(
        "\nMissing values ({} of {} variables have some; the others are complete):\n",
        missing.len(),
        s.codebook().variables.len()
    ));
    out.push_str(&format!(
        "{:<width$}  {:>9}  {:>14}  {:>5}\n",
        "variable", "no answer", "not applicable", "valid"
    ));
    for m in &missing {
        out.push_str(&format!(
            "{:<width$}  {:>9}  {:>14}  {:>5}\n",
            m.variable,
            m.no_answer,
            m.not_applicable,
            s.len() - m.no_answer - m.not_applicable
        ));
    }
    out
}
