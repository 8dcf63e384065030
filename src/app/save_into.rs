//! `cluster --save-into COPY`: the type of each municipality, the distance to its type's centre and
//! the margin to the next type, written back as new variables into a copy of the user's own survey
//! file (what SPSS's `QUICK CLUSTER /SAVE CLUSTER DISTANCE` does). Part of the result: checked
//! against every input and the result folder before anything is written (never over an input, never
//! inside the folder whose files the run replaces), and written before that folder is committed, so
//! a copy that cannot be written leaves the previous result as it was. Never recorded in the
//! manifest: `verify` refuses a request that carries one.

use std::path::{Path, PathBuf};

use super::inputs::{canonical, check_output_apart, Read};
use super::ClusterRequest;
use crate::cluster::Typology;
use crate::error::{Result, UsageError};
use crate::output::{read_file, sha256_hex};
use crate::survey::{copy_format, copy_with_columns, AddedColumn, SurveyError};

/// Whether two existing paths are one file (a hard link is another path to the same file).
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// Checks `--save-into` before anything is computed or written: not an input (also through a
/// link), not in the output folder `dir` (whose files the run replaces) nor holding it, and named
/// with the extension of the input's format.
pub(super) fn check(r: &ClusterRequest, dir: &Path) -> Result<(), UsageError> {
    let Some(path) = &r.save_into else {
        return Ok(());
    };
    let mut inputs = r.input.roles();
    inputs.push(("type definitions", r.types.as_deref()));
    check_output_apart(path, "--save-into", &inputs)?;
    for (role, input) in &inputs {
        if input.is_some_and(|input| same_file(path, input)) {
            return Err(UsageError::new(format!(
                "--save-into {}: that is the {role} this command reads (another link to the same file); choose another path (nothing was written)",
                path.display()
            )));
        }
    }
    let (copy, folder) = (canonical(path), canonical(dir));
    if copy.starts_with(&folder) || folder.starts_with(&copy) {
        return Err(UsageError::new(format!(
            "--save-into {}: that is {} the output folder {}, whose files this run replaces; choose a path outside it (nothing was written)",
            path.display(),
            if copy.starts_with(&folder) { "inside" } else { "a folder holding" },
            dir.display()
        )));
    }
    let bytes = read_file(&r.input.file).map_err(|e| UsageError::new(e.to_string()))?;
    let format = copy_format(&bytes);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext != format {
        return Err(UsageError::new(format!(
            "--save-into {}: the copy is written in the survey's own format ({}), so name it .{format}",
            path.display(),
            match format {
                "sav" => "an SPSS system file",
                "xlsx" => "a workbook",
                "parquet" => "a Parquet file",
                _ => "CSV",
            }
        )));
    }
    Ok(())
}

/// The copy of the survey file with the type, the distance and the margin added, and where it goes.
pub(super) fn copy(
    r: &ClusterRequest,
    read: &Read,
    typology: &Typology,
) -> Result<Option<(PathBuf, Vec<u8>)>> {
    let Some(path) = &r.save_into else {
        return Ok(None);
    };
    let bytes = read_file(&r.input.file)?;
    if sha256_hex(&bytes) != read.sha256 {
        return Err(SurveyError::Shape(format!(
            "{} changed while it was clustered; run again",
            r.input.file.display()
        ))
        .into());
    }
    let rows = read.loaded.survey.len();
    let mut types = vec![None; rows];
    let mut distance = vec![None; rows];
    let mut margin = vec![None; rows];
    let distances = typology.distances();
    for (i, a) in typology.assignments.iter().enumerate() {
        types[a.row] = Some((a.type_index + 1) as f64);
        distance[a.row] = Some(distances.of(i)[a.type_index]);
        margin[a.row] = Some(a.margin);
    }
    let lang = r.lang;
    let labels = typology
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            (
                (i + 1) as i64,
                crate::show::views::typology::type_name(&t.name, lang),
            )
        })
        .collect();
    let added = [
        AddedColumn {
            name: "typ".into(),
            label: lang
                .pick(
                    "Digitalisierungstyp (typfrage, k-means)",
                    "digitalisation type (typfrage, k-means)",
                )
                .into(),
            decimals: 0,
            labels,
            values: types,
        },
        AddedColumn {
            name: "typ_abstand".into(),
            label: lang
                .pick(
                    "Abstand zum Zentrum des eigenen Typs (standardisiert)",
                    "distance to the own type's centre (standardised)",
                )
                .into(),
            decimals: 6,
            labels: Vec::new(),
            values: distance,
        },
        AddedColumn {
            name: "typ_marge".into(),
            label: lang
                .pick(
                    "Abstand zum zweitnächsten Typ minus Abstand zum eigenen",
                    "distance to the second-nearest type minus distance to the own",
                )
                .into(),
            decimals: 6,
            labels: Vec::new(),
            values: margin,
        },
    ];
    let copy = copy_with_columns(&bytes, r.input.sheet.as_deref(), &added).map_err(|why| {
        SurveyError::Shape(format!(
            "--save-into {}: cannot write the copy of {}: {why}",
            path.display(),
            r.input.file.display()
        ))
    })?;
    Ok(Some((path.clone(), copy)))
}
