//! `typfrage codebook FILE --out codebook.toml [--cluster A*]`: a codebook drafted from a survey
//! file (SPSS: its dictionary; CSV, workbook, Parquet: its columns), written, and the file checked
//! against the draft.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::inputs::check_output_apart;
use super::Outcome;
use crate::error::{Error, Result};
use crate::exit::ExitStatus;
use crate::output::{read_file, write_atomic};
use crate::survey::{self, Codebook, Draft, DraftOptions, ReadOptions, SurveyError};

/// What `codebook` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct CodebookRequest {
    /// Survey file: SPSS (.sav, .zsav; its dictionary), CSV, workbook or Parquet (its columns)
    pub file: PathBuf,
    /// Sheet of a workbook (default: the first)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "NAME"))]
    pub sheet: Option<String>,
    /// Variables to mark as clustering variables, comma-separated names or patterns with * (A*)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ',', value_name = "VARS"))]
    pub cluster: Vec<String>,
    /// Where to write the draft codebook (TOML)
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub out: PathBuf,
    /// List at most this many problems of the file checked against the draft
    #[cfg_attr(feature = "cli", arg(long, default_value_t = crate::survey::Problems::DEFAULT_LIMIT, value_name = "N"))]
    pub max_problems: usize,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: crate::lang::Lang,
}

pub(super) fn run(r: &CodebookRequest) -> Result<Outcome> {
    check_output_apart(&r.out, "--out", &[("survey", Some(r.file.as_path()))])?;
    let bytes = read_file(&r.file)?;
    let name = r.file.display().to_string();
    let options = DraftOptions {
        sheet: r.sheet.clone(),
        cluster: r.cluster.clone(),
    };
    let Draft {
        text,
        todo,
        clustered,
    } = survey::draft_codebook(&bytes, &name, &options)?;
    // a draft that does not read back is a fault of the drafting, named with the file it came from
    let book = Codebook::parse(&text, &r.out.display().to_string()).map_err(|e| Error::Input {
        path: name.clone(),
        message: format!(
            "the codebook drafted from its dictionary does not read back, so none was written: {e}"
        ),
    })?;
    write_atomic(&r.out, |w| w.write_all(text.as_bytes()))?;
    let (out, n) = (r.out.display(), book.variables.len());
    let mut stdout = r.lang.pick(
        &format!("geschrieben: {out}: ein Codebuch-Entwurf mit {n} Variablen ({todo} Stellen mit TODO zu entscheiden; er sagt draft = true)\n"),
        &format!("wrote {out}: a draft codebook of {n} variables ({todo} marks TODO to decide; it says draft = true)\n"),
    ).to_string();
    if !clustered.is_empty() {
        let list = clustered.join(", ");
        stdout.push_str(r.lang.pick(
            &format!("Clustervariablen (role = \"clustering\"): {list}\n"),
            &format!("clustering variables (role = \"clustering\"): {list}\n"),
        ));
    }
    let book = Arc::new(book);
    let read = ReadOptions {
        sheet: r.sheet.clone(),
        mapping: None,
    };
    match survey::load_bytes_as(&bytes, &name, &read, || Ok(book)) {
        Ok(loaded) => {
            let rows = loaded.survey.len();
            stdout.push_str(r.lang.pick(
                &format!(
                    "{name} gegen den Entwurf geprüft: {rows} Zeilen, keine Probleme gefunden.\n"
                ),
                &format!("{name} checked against the draft: {rows} rows, no problems found.\n"),
            ));
            Ok(Outcome::ok(stdout))
        }
        Err(SurveyError::Invalid(problems)) => {
            stdout.push_str(r.lang.pick(
                &format!("{name} gegen den Entwurf geprüft:\n"),
                &format!("{name} checked against the draft:\n"),
            ));
            stdout.push_str(&problems.render(r.max_problems));
            stdout.push('\n');
            Ok(Outcome {
                stdout,
                stderr: String::new(),
                status: ExitStatus::Failed,
                shown: 0,
            })
        }
        Err(e) => Err(Error::from(e)),
    }
}
