//! `typfrage validate`: every cell of a survey file checked against the codebook; a summary of the
//! file and its missing values when it is valid, the list of problems when not.

use serde::{Deserialize, Serialize};

use super::{Outcome, SurveyInput};
use crate::error::{Error, Result, UsageError};
use crate::exit::ExitStatus;
use crate::lang::Lang;
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, Table};
use crate::survey::{Loaded, SurveyError};

/// What `validate` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(
    feature = "cli",
    command(
        mut_arg("file", |a| a.help("Survey file (CSV: comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252)"))
    )
)]
pub struct ValidateRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    /// List at most this many problems (the rest are counted)
    #[cfg_attr(feature = "cli", arg(long, default_value_t = crate::survey::Problems::DEFAULT_LIMIT, value_name = "N"))]
    pub max_problems: usize,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
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
        Ok(read) => Ok(Outcome::ok(summary(&r.input, &read.loaded, r.lang))),
        Err(Error::Survey(SurveyError::Invalid(problems))) => Ok(Outcome {
            stdout: problems.render(r.max_problems) + "\n",
            stderr: String::new(),
            status: ExitStatus::Failed,
            shown: 0,
        }),
        Err(e) => Err(e),
    }
}

fn summary(input: &SurveyInput, loaded: &Loaded, lang: Lang) -> String {
    let d = &loaded.dialect;
    let s = &loaded.survey;
    let de = lang == Lang::De;
    let separator = match (d.separator_name(), de) {
        ("comma", true) => "Komma",
        ("semicolon", true) => "Semikolon",
        ("tab", true) => "Tabulator",
        ("other", true) => "anderes Zeichen",
        (name, _) => name,
    };
    let comments = match (d.comment_lines, lang) {
        (0, _) => String::new(),
        (n, Lang::De) => format!(", {n} Kommentarzeilen vor der Kopfzeile"),
        (n, Lang::En) => format!(", {n} comment lines before the header"),
    };
    let warnings: String = input
        .load_warnings(loaded)
        .iter()
        .map(|w| format!("{}: {w}\n", lang.pick("Warnung", "warning")))
        .collect();
    let variables = s.codebook().variables.len();
    let mapping = crate::show::views::source::mapping_lines(&loaded.source, lang);
    let format = match (&loaded.source.format, lang) {
        (Some(format), _) => format.clone(),
        (None, Lang::De) => format!(
            "{}, getrennt durch {separator}, Zeilenenden {}{comments}",
            d.encoding, d.line_ending
        ),
        (None, Lang::En) => format!(
            "{}, {separator}-separated, {} line endings{comments}",
            d.encoding, d.line_ending
        ),
    };
    let (file, rows) = (input.file.display(), s.len());
    let mut out = match lang {
        Lang::De => format!(
            "{file}: {rows} Zeilen, {variables} Spalten; {format}\n{mapping}Keine Probleme gefunden.\n{warnings}"
        ),
        Lang::En => format!(
            "{file}: {rows} rows, {variables} columns; {format}\n{mapping}No problems found.\n{warnings}"
        ),
    };
    let missing: Vec<_> = loaded
        .missing()
        .into_iter()
        .filter(|m| m.no_answer + m.not_applicable > 0)
        .collect();
    if missing.is_empty() {
        out.push_str(lang.pick("Keine fehlenden Werte.\n", "No missing values.\n"));
        return out;
    }
    out.push_str(&match lang {
        Lang::De => format!(
            "\nFehlende Werte ({} von {variables} Variablen haben welche; die übrigen sind vollständig):\n",
            missing.len()
        ),
        Lang::En => format!(
            "\nMissing values ({} of {variables} variables have some; the others are complete):\n",
            missing.len()
        ),
    });
    let mut table = Table::new(match lang {
        Lang::De => ["Variable", "keine Angabe", "trifft nicht zu", "gültig"],
        Lang::En => ["variable", "no answer", "not applicable", "valid"],
    });
    for m in &missing {
        table.push(vec![
            Cell::text(m.variable.as_str()),
            Cell::count(m.no_answer),
            Cell::count(m.not_applicable),
            Cell::count(s.len() - m.no_answer - m.not_applicable),
        ]);
    }
    out.push_str(&Terminal::new(lang).render(&table));
    out
}
