//! `typfrage selfcheck`: the offline self-check page written from a saved model (one
//! self-contained HTML file; see [`crate::show::views::selfcheck`] for what it does and its rule).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::inputs::check_output_apart;
use super::position::{read_model, read_survey, Rows};
use super::Outcome;
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::output::write_atomic;
use crate::show::labels::synthetic_note;
use crate::show::views::selfcheck::Surveyed;

/// What `selfcheck` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct SelfcheckRequest {
    /// model.json written by typfrage cluster
    pub model: PathBuf,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// The page [default: selbstcheck.html, or selfcheck.html with --lang en, beside the model]
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub out: Option<PathBuf>,
    /// List the nearest rows of this survey on the page, with their certainty (their
    /// identifiers and answers go into the page)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub survey: Option<PathBuf>,
    /// Codebook of --survey [default: the built-in one]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE", requires = "survey"))]
    pub codebook: Option<PathBuf>,
}

/// At most this many surveyed municipalities go into a page (each as its identifier and a
/// point of the model's variables): about 3 MB for eleven variables.
pub const MAX_SURVEYED: usize = 20_000;

pub(super) fn run(r: &SelfcheckRequest) -> Result<Outcome> {
    let out = r.out.clone().unwrap_or_else(|| {
        r.model
            .with_file_name(r.lang.pick("selbstcheck.html", "selfcheck.html"))
    });
    let html = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if !html {
        return Err(UsageError::new(format!(
            "--out {}: expected a file name ending in .html",
            out.display()
        ))
        .into());
    }
    check_output_apart(
        &out,
        "--out",
        &[
            ("model", Some(r.model.as_path())),
            ("survey", r.survey.as_deref()),
            ("codebook", r.codebook.as_deref()),
        ],
    )?;
    let model = read_model(&r.model)?;
    if r.survey.is_some() {
        super::inputs::check_model_codebook(&model, &r.model, r.codebook.as_deref())?;
    }
    let mut warnings = Vec::new();
    let rows = match &r.survey {
        Some(file) => {
            let rows = read_survey(&model, file, r.codebook.as_ref(), &mut warnings)?;
            Some(rows)
        }
        None => None,
    };
    let surveyed = match &rows {
        Some(rows) => Some(surveyed(rows)?),
        None => None,
    };
    let page = crate::show::views::selfcheck::page(&model, r.lang, surveyed.as_ref());
    write_atomic(&out, |w| w.write_all(page.as_bytes()))?;
    let (page_file, model_file) = (out.display(), r.model.display());
    let (types, block) = (
        model.types.len(),
        crate::show::words::Words::of_model(&model, r.lang)
            .block()
            .to_string(),
    );
    let variables = model.variables.len();
    let mut stdout = match r.lang {
        Lang::De => format!(
            "geschrieben: {page_file} (Selbstcheck-Seite zum Modell {model_file}: {types} Typen, {variables} {block}; im Browser öffnen, ohne Netz)\n"
        ),
        Lang::En => format!(
            "wrote {page_file} (self-check page for the model {model_file}: {types} types, {variables} {block}; open it in a browser, no network needed)\n"
        ),
    };
    if let Some(s) = &surveyed {
        let n = s.ids.len();
        stdout.push_str(&match r.lang {
            Lang::De => format!("mit den {n} zugeordneten Zeilen von {} als nächste der Befragung (Kennungen und Antworten stehen in der Seite)\n", s.label),
            Lang::En => format!("with the {n} assigned rows of {} as the nearest of the survey (their identifiers and answers are in the page)\n", s.label),
        });
    }
    if let Some(note) = synthetic_note(&model, r.lang) {
        stdout.push_str(&note);
        stdout.push('\n');
    }
    let mut outcome = Outcome::ok(stdout);
    for w in warnings {
        outcome = outcome.with_note(Some(w));
    }
    Ok(outcome)
}

/// The assigned rows of a survey, as the page lists its nearest; refused above [`MAX_SURVEYED`].
fn surveyed(rows: &Rows) -> Result<Surveyed<'_>> {
    let assigned: Vec<usize> = (0..rows.classified.len())
        .filter(|&row| rows.classified[row].type_index.is_some() && rows.points[row].is_some())
        .collect();
    if assigned.len() > MAX_SURVEYED {
        return Err(UsageError::new(format!(
            "--survey {}: {} assigned rows; a self-check page lists the nearest among at most {MAX_SURVEYED} (each row goes into the page); use position --survey for one row, or a sample of the survey",
            rows.label,
            assigned.len()
        ))
        .into());
    }
    let ids = rows.survey.ids();
    Ok(Surveyed {
        label: rows.label.clone(),
        ids: assigned.iter().map(|&row| ids[row].as_str()).collect(),
        types: assigned
            .iter()
            .filter_map(|&row| rows.classified[row].type_index)
            .collect(),
        points: assigned
            .iter()
            .filter_map(|&row| rows.points[row].as_deref())
            .collect(),
        certainty: assigned
            .iter()
            .map(|&row| rows.classified[row].certainty().map(|(share, _)| share))
            .collect(),
    })
}
