//! Column mapping: which codebook variable each column of a survey file holds, when the file names
//! its columns otherwise (LimeSurvey codes like `G02Q05[SQ001]`, an SPSS file's own names). A
//! column is mapped by a mapping file (`--mapping map.toml`), else by its own name, else by an
//! `aliases` entry of the codebook; a column that maps nowhere is an error naming it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::read::RawTable;
use super::{Codebook, Problem, SurveyError};

/// A mapping file: `[columns]` maps a file's column names to codebook variables; `ignore` lists
/// columns to leave out (an online survey's time stamps, say).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapping {
    /// The file it was read from, for messages.
    pub origin: String,
    pub columns: BTreeMap<String, String>,
    pub ignore: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
}

impl Mapping {
    /// Reads a mapping file.
    pub fn from_path(path: &Path) -> Result<Mapping, SurveyError> {
        let text = crate::output::read_text(path)?;
        Mapping::parse(&text, &path.display().to_string())
    }

    /// Parses a mapping given as TOML text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Mapping, SurveyError> {
        let raw: RawMapping = toml::from_str(text).map_err(|e| SurveyError::Codebook {
            origin: format!("mapping {origin}"),
            message: e.to_string(),
        })?;
        Ok(Mapping {
            origin: origin.to_string(),
            columns: raw.columns,
            ignore: raw.ignore,
        })
    }
}

/// A column of the file read as a codebook variable of another name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedColumn {
    pub column: String,
    pub variable: String,
    /// "mapping file" or "codebook alias".
    pub by: &'static str,
}

/// Which variable each column of a file holds.
pub(super) struct Resolution {
    /// Per column of the file: the codebook variable, or `None` when the column is ignored.
    pub targets: Vec<Option<String>>,
    pub mapped: Vec<MappedColumn>,
    pub ignored: Vec<String>,
    pub warnings: Vec<Problem>,
}

/// Resolves the header's names to codebook variables. Without a mapping file and without aliases in
/// the codebook, every column keeps its name (the header check then reports unknown ones).
pub(super) fn resolve(
    header: &[String],
    codebook: &Codebook,
    mapping: Option<&Mapping>,
) -> Result<Resolution, Vec<Problem>> {
    let aliases: HashMap<&str, &str> = codebook
        .variables
        .iter()
        .flat_map(|v| v.aliases.iter().map(|a| (a.as_str(), v.name.as_str())))
        .collect();
    let mut resolution = Resolution {
        targets: header.iter().cloned().map(Some).collect(),
        mapped: Vec::new(),
        ignored: Vec::new(),
        warnings: Vec::new(),
    };
    if mapping.is_none() && aliases.is_empty() {
        return Ok(resolution);
    }
    let mut problems = Vec::new();
    let in_file = mapping.map_or(String::new(), |m| format!(" of {}", m.origin));
    for (i, name) in header.iter().enumerate() {
        let by_file = mapping.and_then(|m| m.columns.get(name));
        let target = if mapping.is_some_and(|m| m.ignore.contains(name)) {
            resolution.ignored.push(name.clone());
            None
        } else if let Some(target) = by_file {
            if codebook.variable(target).is_none() {
                problems.push(Problem::column(
                    name,
                    format!(
                        "is mapped to '{target}' in [columns]{in_file}, which is not a codebook variable; expected a variable name of the codebook"
                    ),
                ));
                continue;
            }
            if target != name {
                resolution.mapped.push(MappedColumn {
                    column: name.clone(),
                    variable: target.clone(),
                    by: "mapping file",
                });
            }
            Some(target.clone())
        } else if codebook.variable(name).is_some() {
            Some(name.clone())
        } else if let Some(&target) = aliases.get(name.as_str()) {
            resolution.mapped.push(MappedColumn {
                column: name.clone(),
                variable: target.to_string(),
                by: "codebook alias",
            });
            Some(target.to_string())
        } else {
            let fix = match mapping {
                Some(m) => format!("name it under [columns] (or in `ignore`) of {}", m.origin),
                None => {
                    "give the codebook variable an `aliases` entry, or map it with --mapping FILE"
                        .to_string()
                }
            };
            problems.push(Problem::column(
                name,
                format!(
                    "maps to no codebook variable: it is not a variable name, not an alias in the codebook{}; {fix}",
                    if mapping.is_some() { ", not in the mapping file" } else { "" }
                ),
            ));
            continue;
        };
        resolution.targets[i] = target;
    }
    let mut first: HashMap<&str, &str> = HashMap::new();
    for (name, target) in header.iter().zip(&resolution.targets) {
        let Some(target) = target else { continue };
        if let Some(other) = first.insert(target, name) {
            if other != name {
                problems.push(Problem::column(
                    target,
                    format!(
                        "columns '{other}' and '{name}' both map to it; expected one column per variable"
                    ),
                ));
            }
        }
    }
    if let Some(m) = mapping {
        for column in m.columns.keys().chain(&m.ignore) {
            if !header.contains(column) {
                resolution.warnings.push(Problem::file(format!(
                    "{} names the column '{column}', which the file does not have",
                    m.origin
                )));
            }
        }
    }
    if problems.is_empty() {
        return Ok(resolution);
    }
    for v in &codebook.variables {
        if !first.contains_key(v.name.as_str()) {
            problems.push(Problem::column(
                &v.name,
                format!(
                    "is missing: no column maps to it; the codebook expects it ({})",
                    v.label_en
                ),
            ));
        }
    }
    Err(problems)
}

/// Renames the table's columns to their variables and leaves out the ignored ones.
pub(super) fn apply(raw: &mut RawTable, resolution: &Resolution) {
    let columns = std::mem::take(&mut raw.columns);
    let mut header = Vec::new();
    for ((target, column), keep) in resolution
        .targets
        .iter()
        .zip(columns)
        .zip(resolution.targets.iter().map(Option::is_some))
    {
        if keep {
            header.push(target.clone().unwrap_or_default());
            raw.columns.push(column);
        }
    }
    raw.header = header;
}
