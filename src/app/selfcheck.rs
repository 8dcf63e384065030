//! `typfrage selfcheck`: the offline self-check page written from a saved model (one
//! self-contained HTML file; see [`crate::show::views::selfcheck`] for what it does and its rule).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::inputs::check_output_apart;
use super::position::read_model;
use super::Outcome;
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::output::write_atomic;
use crate::show::labels::synthetic_note;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelfcheckRequest {
    /// model.json written by `typfrage cluster`.
    pub model: PathBuf,
    #[serde(default)]
    pub lang: Lang,
    /// The page; `None`: `selbstcheck.html` (German) or `selfcheck.html` (English) beside the model.
    #[serde(default)]
    pub out: Option<PathBuf>,
}

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
    check_output_apart(&out, "--out", &[("model", Some(r.model.as_path()))])?;
    let model = read_model(&r.model)?;
    let page = crate::show::views::selfcheck::page(&model, r.lang);
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
    if let Some(note) = synthetic_note(&model, r.lang) {
        stdout.push_str(&note);
        stdout.push('\n');
    }
    Ok(Outcome::ok(stdout))
}
