//! Which kind of file a survey is, told from its content (an SPSS system file starts with `$FL2`
//! or `$FL3`, a workbook is a zip or OLE container, a Parquet file starts and ends with `PAR1`), and the step from any of them to the one
//! table of text cells that `validate` checks, with the columns mapped onto the codebook (an SPSS
//! file's cells and value labels are read by `sav::cells`).

use super::limits::MAX_PROBLEMS;
use super::mapping::{self, MappedColumn, Mapping};
use super::read::parquet::{is_parquet, read_parquet};
use super::read::sheet::{is_workbook, read_sheet};
use super::read::{prepare, Prepared, RawTable, Unreadable};
use super::sav::{check_value_labels, sav_table, SavFile};
use super::{Codebook, Problem};

/// How a survey file is read besides its bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOptions {
    /// The sheet of a workbook (the first when `None`).
    pub sheet: Option<String>,
    pub mapping: Option<Mapping>,
}

/// What kind of file the survey was and how its columns were read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceInfo {
    /// The format of a file that is not CSV (CSV files are described by their dialect).
    pub format: Option<String>,
    /// Columns read as codebook variables of another name.
    pub mapped: Vec<MappedColumn>,
    /// Columns left out as the mapping file says.
    pub ignored: Vec<String>,
    /// The mapping file used.
    pub mapping: Option<String>,
}

/// A survey file split into cells (a delimited text file: its header read, its rows still to be
/// read in blocks), before the codebook is known.
pub(super) enum Parsed<'a> {
    Text(Prepared<'a>),
    Table(RawTable, Option<String>),
    Sav(Box<SavFile>),
}

/// A survey file's cells with its columns named as the codebook names them.
pub(super) enum Body<'a> {
    /// A delimited text file, read and checked in blocks of rows: the header after the mapping,
    /// and which of the file's columns stay (the mapping file may leave some out).
    Text {
        prepared: Prepared<'a>,
        header: Vec<String>,
        keep: Vec<bool>,
    },
    /// A table read whole (an SPSS file, a workbook's sheet).
    Table(RawTable),
}

/// The extensions of the formats told from their content.
const SAV_EXTENSIONS: [&str; 2] = ["sav", "zsav"];
const BOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];
const PARQUET_EXTENSIONS: [&str; 2] = ["parquet", "pq"];

fn extension(file: &str) -> String {
    std::path::Path::new(file)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Whether a file of this name, read with these options, is read as delimited text when its
/// content says so (not a workbook's sheet, not named as an SPSS file or a workbook).
pub(super) fn named_as_text(file: &str, options: &ReadOptions) -> bool {
    let ext = extension(file);
    options.sheet.is_none()
        && !SAV_EXTENSIONS.contains(&ext.as_str())
        && !BOOK_EXTENSIONS.contains(&ext.as_str())
        && !PARQUET_EXTENSIONS.contains(&ext.as_str())
}

/// Splits the file into cells, whatever its format; `file` names it (its extension must agree with
/// its content for the binary formats).
pub(super) fn parse<'a>(
    bytes: &'a [u8],
    file: &str,
    options: &ReadOptions,
) -> Result<Parsed<'a>, Unreadable> {
    let ext = extension(file);
    if super::sav::is_sav(bytes) {
        return SavFile::parse(bytes)
            .map(|f| Parsed::Sav(Box::new(f)))
            .map_err(|why| {
                Problem::file(format!("cannot be read as an SPSS system file: {why}")).into()
            });
    }
    if SAV_EXTENSIONS.contains(&ext.as_str()) && !bytes.is_empty() {
        let start = String::from_utf8_lossy(&bytes[..bytes.len().min(4)]).into_owned();
        return Err(Problem::file(format!(
            "is named .{ext} but is not an SPSS system file: it starts with {start:?}, not \"$FL2\" or \"$FL3\"; expected a file saved by SPSS, PSPP or ReadStat"
        ))
        .into());
    }
    if is_parquet(bytes) {
        if let Some(sheet) = &options.sheet {
            return Err(Problem::file(format!(
                "--sheet {sheet}: the file is a Parquet file, which has no sheets"
            ))
            .into());
        }
        let table = read_parquet(bytes)?;
        return Ok(Parsed::Table(table.raw, Some(table.description)));
    }
    if PARQUET_EXTENSIONS.contains(&ext.as_str()) && !bytes.is_empty() {
        return Err(Problem::file(format!(
            "is named .{ext} but is not a Parquet file: it does not start and end with \"PAR1\"; expected a file written by pandas, polars, R's arrow or typfrage export"
        ))
        .into());
    }
    if is_workbook(bytes) || (BOOK_EXTENSIONS.contains(&ext.as_str()) && !bytes.is_empty()) {
        let sheet = read_sheet(bytes, options.sheet.as_deref())?;
        return Ok(Parsed::Table(sheet.raw, Some(sheet.description)));
    }
    if let Some(sheet) = &options.sheet {
        return Err(Problem::file(format!(
            "--sheet {sheet}: the file is not a workbook (.xlsx, .xls, .ods), so it has no sheets"
        ))
        .into());
    }
    Ok(Parsed::Text(prepare(bytes)?))
}

impl<'a> Parsed<'a> {
    /// The cells with the columns named as the codebook names them.
    pub fn finish(
        self,
        codebook: &Codebook,
        options: &ReadOptions,
    ) -> Result<(Body<'a>, SourceInfo), Unreadable> {
        let (mut raw, format, sav) = match self {
            Parsed::Text(mut prepared) => {
                let (resolution, info) =
                    resolve_columns(&prepared.header, None, codebook, options, None)?;
                let header = resolution.targets.iter().flatten().cloned().collect();
                let keep = resolution.targets.iter().map(Option::is_some).collect();
                prepared.warnings.extend(resolution.warnings);
                prepared.warnings.extend(draft_warning(codebook));
                return Ok((
                    Body::Text {
                        prepared,
                        header,
                        keep,
                    },
                    info,
                ));
            }
            Parsed::Table(raw, format) => (raw, format, None),
            Parsed::Sav(file) => {
                let raw = sav_table(&file, codebook);
                let format = format!(
                    "SPSS system file, {}, {} ({}), {} variables, {} cases, written by {}; row = case number",
                    file.compression_name(),
                    file.encoding.name(),
                    file.encoding_source,
                    file.variables.len(),
                    file.cases,
                    file.writer()
                );
                (raw, Some(format), Some(file))
            }
        };
        let (resolution, info) =
            resolve_columns(&raw.header, sav.as_deref(), codebook, options, format)?;
        mapping::apply(&mut raw, &resolution);
        raw.warnings.extend(resolution.warnings);
        raw.warnings.extend(draft_warning(codebook));
        Ok((Body::Table(raw), info))
    }
}

/// Which codebook variable each column holds (by name, the mapping file, the codebook's aliases),
/// with an SPSS file's value labels checked against the codebook's codes.
fn resolve_columns(
    header: &[String],
    sav: Option<&SavFile>,
    codebook: &Codebook,
    options: &ReadOptions,
    format: Option<String>,
) -> Result<(mapping::Resolution, SourceInfo), Unreadable> {
    let mapping = options.mapping.as_ref();
    let mut resolution =
        mapping::resolve(header, codebook, mapping).map_err(|problems| Unreadable {
            problems,
            note: Some(
                "The columns do not map onto the codebook, so the cells were not checked."
                    .to_string(),
            ),
        })?;
    if let Some(file) = sav {
        let (problems, stopped) = check_value_labels(file, &resolution.targets, codebook);
        if !problems.is_empty() {
            let more = if stopped {
                format!(" The check stopped after the first {MAX_PROBLEMS} of them.")
            } else {
                String::new()
            };
            return Err(Unreadable::with_note(
                problems,
                &format!("The file's value labels do not fit the codebook, so the cells were not checked.{more}"),
            ));
        }
    }
    let info = SourceInfo {
        format,
        mapped: std::mem::take(&mut resolution.mapped),
        ignored: std::mem::take(&mut resolution.ignored),
        mapping: mapping.map(|m| m.origin.clone()),
    };
    Ok((resolution, info))
}

/// The warning that a draft codebook is in use.
fn draft_warning(codebook: &Codebook) -> Option<Problem> {
    codebook.meta.draft.then(|| {
        Problem::file(
            "is read with a draft codebook (draft = true): decide the roles, the variables to cluster and the routing marked TODO in it, then delete the `draft` line",
        )
    })
}
