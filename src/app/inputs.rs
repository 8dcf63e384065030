//! Reading a command's inputs: the survey file with its codebook (built in or from a file), the
//! type definitions, and the inputs' digests for the manifest.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cluster::{self, SavedModel, TypeDef};
use crate::error::{did_you_mean, Result, UsageError};
use crate::lang::Lang;
use crate::manifest::Manifest;
use crate::output::read_file;
use crate::survey::{self, Codebook, Loaded, Mapping, ReadOptions, Weighting, DEFAULT_CODEBOOK};

/// A survey file and the codebook to read it with: on the command line the survey argument and
/// `--codebook`, `--sheet`, `--mapping` of every command that reads one (the doc comments are
/// their help texts; a command may word the survey's own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct SurveyInput {
    /// Survey file
    pub file: PathBuf,
    /// Codebook to check the survey against (TOML); the 2018/19 codebook is built in
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub codebook: Option<PathBuf>,
    /// The sheet of a workbook survey file (.xlsx, .xls, .ods) to read; the first by default
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "NAME"))]
    pub sheet: Option<String>,
    /// Column mapping (TOML): `[columns]` maps the file's column names to codebook variables,
    /// `ignore = [...]` lists columns to leave out
    // `None`: columns by their names and the codebook's aliases
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub mapping: Option<PathBuf>,
}

/// A survey read and checked, with the SHA-256 of the file as read.
pub(super) struct Read {
    pub loaded: Loaded,
    pub sha256: String,
}

impl SurveyInput {
    pub(super) fn codebook(&self) -> Result<Arc<Codebook>, survey::SurveyError> {
        Ok(Arc::new(match &self.codebook {
            Some(path) => Codebook::from_path(path)?,
            None => Codebook::builtin(),
        }))
    }

    /// Reads and checks the survey (the codebook is parsed while the file is read), with the
    /// file's digest; a large plain text file is read from disk block by block, not whole.
    pub(super) fn read(&self) -> Result<Read> {
        // a missing survey file is named before a problem of the mapping file
        std::fs::metadata(&self.file).map_err(crate::output::FileError::reading(&self.file))?;
        let options = self.read_options()?;
        let (loaded, sha256) = survey::load_file(&self.file, &options, || self.codebook(), None)?;
        Ok(Read { loaded, sha256 })
    }

    /// Reads and checks a survey file that may hold only the identifier and `required` of the
    /// codebook's columns (the others read as not answered).
    pub(super) fn read_columns(&self, required: &[String]) -> Result<Read> {
        // a missing survey file is named before a problem of the mapping file
        std::fs::metadata(&self.file).map_err(crate::output::FileError::reading(&self.file))?;
        let options = self.read_options()?;
        let (loaded, sha256) =
            survey::load_file(&self.file, &options, || self.codebook(), Some(required))?;
        Ok(Read { loaded, sha256 })
    }

    /// The weighting `choice` asks for, resolved against the survey read (a weight variable the
    /// codebook lacks is a usage error; bad weights name file, row, column and value).
    pub(super) fn weights(&self, read: &Read, choice: &survey::WeightChoice) -> Result<Weighting> {
        let survey = &read.loaded.survey;
        if let survey::WeightChoice::Variable(name) = choice {
            check_variable_names(std::slice::from_ref(name), survey.codebook(), "--weight")?;
        }
        Ok(survey::resolve_weights(
            survey,
            choice,
            &self.file.display().to_string(),
            read.loaded.dialect.comment_lines,
        )?)
    }

    /// The line a command that does not apply weights prints: unweighted, and when `choice` finds
    /// weights that are not all equal, that they were not applied.
    pub(super) fn unweighted_line(
        &self,
        read: &Read,
        choice: &survey::WeightChoice,
        command: &str,
        lang: Lang,
    ) -> Result<String> {
        let weighting = self.weights(read, choice)?;
        Ok(match (&weighting.variable, lang) {
            (Some(v), Lang::De) => format!(
                "ungewichtet: {command} wendet keine Gewichte an ({v} wird hier nicht angewandt; cluster, profile, choose-k und stability wenden es an, figures mit --weight {v})\n"
            ),
            (Some(v), Lang::En) => format!(
                "unweighted: {command} does not apply survey weights ({v} is not applied here; cluster, profile, choose-k and stability apply it, figures with --weight {v})\n"
            ),
            (None, _) => format!("{}\n", lang.pick("ungewichtet", "unweighted")),
        })
    }

    /// The sheet and the column mapping to read the survey with.
    pub(super) fn read_options(&self) -> Result<ReadOptions, survey::SurveyError> {
        Ok(ReadOptions {
            sheet: self.sheet.clone(),
            mapping: self
                .mapping
                .as_deref()
                .map(Mapping::from_path)
                .transpose()?,
        })
    }

    /// The files read, by their role in a manifest (the survey, and the codebook and the mapping
    /// when given).
    pub(super) fn paths_mut(&mut self) -> Vec<(&'static str, &mut PathBuf)> {
        let mut paths = vec![("survey", &mut self.file)];
        if let Some(p) = self.codebook.as_mut() {
            paths.push(("codebook", p));
        }
        if let Some(p) = self.mapping.as_mut() {
            paths.push(("mapping", p));
        }
        paths
    }

    /// The survey, the codebook and the mapping file, for [`check_output_apart`].
    pub(super) fn roles(&self) -> Vec<(&'static str, Option<&Path>)> {
        vec![
            ("survey", Some(self.file.as_path())),
            ("codebook", self.codebook.as_deref()),
            ("mapping", self.mapping.as_deref()),
        ]
    }

    /// The prologue of a command that writes into `out` and clusters on `vars`: the output apart
    /// from the inputs, the survey read and checked, the variable names known to its codebook.
    pub(super) fn read_for(&self, out: &Path, vars: Option<&[String]>) -> Result<Read> {
        check_output_apart(out, "--out", &self.roles())?;
        let read = self.read()?;
        if let Some(vars) = vars {
            check_variable_names(vars, read.loaded.survey.codebook(), "--vars")?;
        }
        Ok(read)
    }

    /// What loading the survey warned about, each as one line naming the file.
    pub(super) fn load_warnings(&self, loaded: &Loaded) -> Vec<String> {
        loaded
            .warnings
            .iter()
            .map(|w| w.render(&self.file.display().to_string()))
            .collect()
    }

    /// The name the survey is called by in output files: its file name, never its folder, so that a
    /// re-run from elsewhere writes the same bytes.
    pub(super) fn label(&self) -> String {
        file_label(&self.file)
    }

    /// Records the survey and the codebook as inputs of a manifest in `dir`.
    pub(super) fn record(&self, manifest: &mut Manifest, sha256: &str, dir: &Path) -> Result<()> {
        manifest.add_input_digest("survey", Some(&self.file), sha256.to_string(), dir);
        if let Some(mapping) = &self.mapping {
            manifest.add_input("mapping", Some(mapping), &read_file(mapping)?, dir);
        }
        record_input(
            manifest,
            "codebook",
            self.codebook.as_deref(),
            DEFAULT_CODEBOOK,
            dir,
        )
    }
}

/// The file name of `file` (its whole path if it has none).
pub(super) fn file_label(file: &Path) -> String {
    file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Records an input of a manifest: a file, or the built-in `text` when `path` is `None`.
pub(super) fn record_input(
    manifest: &mut Manifest,
    role: &str,
    path: Option<&Path>,
    builtin: &str,
    dir: &Path,
) -> Result<()> {
    match path {
        Some(p) => manifest.add_input(role, Some(p), &read_file(p)?, dir),
        None => manifest.add_input(role, None, builtin.as_bytes(), dir),
    }
    Ok(())
}

/// The type definitions: from a file, or the four published types.
pub(super) fn type_definitions(path: Option<&Path>) -> Result<Vec<TypeDef>> {
    Ok(match path {
        Some(p) => cluster::types_from_path(p)?,
        None => cluster::builtin_types(),
    })
}

/// Checks that every name in `names` is a variable of the codebook (a usage error with a
/// suggestion otherwise).
pub(super) fn check_variable_names(
    names: &[String],
    codebook: &Codebook,
    option: &str,
) -> Result<(), UsageError> {
    for name in names {
        if codebook.variable(name).is_none() {
            let known = codebook.variables.iter().map(|v| v.name.as_str());
            let hint = did_you_mean(name, known)
                .map(|n| format!("; did you mean '{n}'?"))
                .unwrap_or_default();
            return Err(UsageError::new(format!(
                "{option}: the codebook has no variable '{name}'{hint}"
            )));
        }
    }
    Ok(())
}

/// `path` made absolute with its links resolved, as far as it exists (a file still to be written
/// is its folder's canonical path joined with its name).
pub(super) fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            canonical(parent).join(name)
        }
        _ => std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// Refuses a run whose output (a file, or a folder it writes into) is one of its inputs or holds
/// one: a result must never overwrite what it was computed from.
pub(super) fn check_output_apart(
    output: &Path,
    option: &str,
    inputs: &[(&str, Option<&Path>)],
) -> Result<(), UsageError> {
    let out = canonical(output);
    for (role, input) in inputs {
        let Some(input) = input else { continue };
        let input_path = canonical(input);
        if input_path == out {
            return Err(UsageError::new(format!(
                "{option} {}: that is the {role} this command reads; choose another path (nothing was written)",
                output.display()
            )));
        }
        if input_path.starts_with(&out) {
            return Err(UsageError::new(format!(
                "{option} {}: that folder holds the {role} this command reads ({}); choose a folder of its own (nothing was written)",
                output.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// Checks that a model's survey will be read with the codebook the model was fitted with: without
/// `--codebook` (`codebook` is `None`) the built-in codebook is used, and it must be the model's
/// (a model names its codebook's title and version). Else the rows would be checked against
/// another questionnaire, and every column named as not in the codebook.
pub(super) fn check_model_codebook(
    model: &SavedModel,
    model_path: &Path,
    codebook: Option<&Path>,
) -> Result<(), UsageError> {
    let builtin = Codebook::builtin().meta.label();
    if codebook.is_some() || model.codebook == builtin {
        return Ok(());
    }
    Err(UsageError::new(format!(
        "{} was fitted with the codebook \"{}\", not with the built-in one that is used without --codebook: give that codebook with --codebook FILE",
        model_path.display(),
        model.codebook
    )))
}
