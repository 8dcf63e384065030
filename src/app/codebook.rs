//! `typfrage codebook FILE.sav --out codebook.toml`: a codebook drafted from an SPSS file's
//! dictionary, written, and the file checked against the draft.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::inputs::check_output_apart;
use super::Outcome;
use crate::error::{Error, Result};
use crate::exit::ExitStatus;
use crate::output::{read_file, write_atomic};
use crate::survey::{self, Codebook, ReadOptions, SurveyError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodebookRequest {
    /// The SPSS file (.sav, .zsav) whose dictionary the codebook is drafted from.
    pub file: PathBuf,
    /// Where the draft is written.
    pub out: PathBuf,
    /// List at most this many problems of the file checked against the draft.
    pub max_problems: usize,
}

pub(super) fn run(r: &CodebookRequest) -> Result<Outcome> {
    check_output_apart(&r.out, "--out", &[("survey", Some(r.file.as_path()))])?;
    let bytes = read_file(&r.file)?;
    let name = r.file.display().to_string();
    let (text, todo) = survey::draft_codebook(&bytes, &name)?;
    let book = Codebook::parse(&text, &r.out.display().to_string())?;
    write_atomic(&r.out, |w| w.write_all(text.as_bytes()))?;
    let mut stdout = format!(
        "wrote {}: a draft codebook of {} variables ({} marks TODO to decide; it says draft = true)\n",
        r.out.display(),
        book.variables.len(),
        todo
    );
    let book = Arc::new(book);
    match survey::load_bytes_as(&bytes, &name, &ReadOptions::default(), || Ok(book)) {
        Ok(loaded) => {
            stdout.push_str(&format!(
                "{name} checked against the draft: {} rows, no problems found.\n",
                loaded.survey.len()
            ));
            Ok(Outcome::ok(stdout))
        }
        Err(SurveyError::Invalid(problems)) => {
            stdout.push_str(&format!("{name} checked against the draft:\n"));
            stdout.push_str(&problems.render(r.max_problems));
            stdout.push('\n');
            Ok(Outcome {
                stdout,
                stderr: String::new(),
                status: ExitStatus::Failed,
            })
        }
        Err(e) => Err(Error::from(e)),
    }
}
