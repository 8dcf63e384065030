//! Reading a survey kept in a Parquet file (as `typfrage export`, pandas, polars or R's arrow
//! write it) with polars: the file's footer checked against the limits before a page is decoded,
//! then every column turned into the text a CSV export of it would hold, so that `validate`
//! checks the cells the same way as any other file's. Whole numbers read as themselves, decimals
//! by the rule of the other readers ("2.0" is the code 2), text as it is, true/false as 1/0, a
//! categorical column as its categories' text; NaN, as pandas writes a missing number, is an
//! empty cell. Two kinds of columns are left out by a stated rule,
//! each named in a warning: the `<name>_label` column that `typfrage export` writes beside a coded
//! variable `<name>` (its value labels; the codes are read), and pandas' index columns
//! (`__index_level_0__`, …).

use std::io::Cursor;

use polars::prelude::{
    Column, DataFrame, DataType, ParallelStrategy, ParquetReader, PolarsError, SerReader,
};
use polars_buffer::Buffer;
use polars_parquet::parquet::metadata::FileMetadata;
use polars_parquet::parquet::page::CompressedPage;
use polars_parquet::parquet::read::PageReader;

use super::caught::caught;
use super::{Dialect, LineEnding, RawTable, TextColumn, Unreadable};
use crate::survey::limits::{MAX_COLUMNAR_BYTES, MAX_COLUMNAR_CELLS, MAX_COLUMNS};
use crate::survey::numbers::push_number_text;
use crate::survey::Problem;

/// The four bytes a Parquet file starts and ends with.
pub(in crate::survey) const MAGIC: &[u8; 4] = b"PAR1";

/// Whether the bytes are framed like a Parquet file (`PAR1` at both ends).
pub(in crate::survey) fn is_parquet(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes.starts_with(MAGIC) && bytes.ends_with(MAGIC)
}

/// A survey read from a Parquet file, with a description of the file.
pub(in crate::survey) struct ParquetTable {
    pub raw: RawTable,
    pub description: String,
}

/// Reads a Parquet file into a table of text cells, one row per row of the file.
pub(in crate::survey) fn read_parquet(bytes: &[u8]) -> Result<ParquetTable, Unreadable> {
    let unreadable = |e: PolarsError| {
        Problem::file(format!(
            "cannot be read as a Parquet file: {e}; expected a Parquet file as pandas, polars or R's arrow write it"
        ))
    };
    let mut reader = ParquetReader::new(Cursor::new(bytes)).read_parallel(ParallelStrategy::None);
    let footer = decoding(|| {
        let metadata = reader.get_metadata()?;
        let declared: usize = metadata
            .row_groups
            .iter()
            .flat_map(|g| g.parquet_columns())
            .map(|c| usize::try_from(c.uncompressed_size()).unwrap_or(usize::MAX))
            .fold(0, usize::saturating_add);
        let columns = metadata.schema().fields().len();
        Ok((
            metadata.num_rows,
            columns,
            declared,
            metadata.row_groups.len(),
        ))
    })
    .map_err(unreadable)?;
    check_footer(footer.0, footer.1, footer.2)?;
    let metadata = decoding(|| reader.get_metadata().cloned()).map_err(unreadable)?;
    decoding(|| check_pages(bytes, &metadata)).map_err(unreadable)?;
    let frame = decoding(|| reader.finish()).map_err(unreadable)?;
    let (rows, columns, _, groups) = footer;
    let raw = text_table(&frame)?;
    let description = format!(
        "Parquet file, {columns} columns, {rows} rows in {groups} row group{}; row = row of the file",
        if groups == 1 { "" } else { "s" }
    );
    Ok(ParquetTable { raw, description })
}

/// Runs a step of polars' decoding of the file. A malformed file is an error polars returns, or,
/// for some malformations, a panic inside polars, read here as the error it is ([`caught`]).
fn decoding<T>(step: impl FnOnce() -> Result<T, PolarsError>) -> Result<T, PolarsError> {
    caught(step).unwrap_or_else(|why| {
        Err(PolarsError::ComputeError(
            format!("malformed file ({why})").into(),
        ))
    })
}

/// The footer's rows, columns and declared uncompressed bytes against the limits, before any page
/// is decoded.
fn check_footer(rows: usize, columns: usize, declared_bytes: usize) -> Result<(), Unreadable> {
    if columns > MAX_COLUMNS {
        return Err(Problem::file(format!(
            "has {columns} columns; expected at most {MAX_COLUMNS}"
        ))
        .into());
    }
    if rows.saturating_mul(columns) > MAX_COLUMNAR_CELLS {
        return Err(Problem::file(format!(
            "has {rows} rows of {columns} columns, {} cells; expected at most {MAX_COLUMNAR_CELLS} cells in a Parquet file (a larger survey is read from a CSV export, which is checked in blocks)",
            rows.saturating_mul(columns)
        ))
        .into());
    }
    if declared_bytes > MAX_COLUMNAR_BYTES {
        return Err(Problem::file(format!(
            "declares {declared_bytes} bytes of data once decompressed; expected at most {MAX_COLUMNAR_BYTES} ({} MiB)",
            MAX_COLUMNAR_BYTES >> 20
        ))
        .into());
    }
    Ok(())
}

/// Each data page's header against its column chunk and the limits, before any page is
/// decompressed or decoded: polars allocates what a page header declares (its values, its
/// uncompressed size), so a header that declares more than its column chunk holds, or more than
/// the limits allow, is refused here instead.
fn check_pages(bytes: &[u8], metadata: &FileMetadata) -> Result<(), PolarsError> {
    let file = Buffer::from(bytes.to_vec());
    let too_much = |what: String| PolarsError::ComputeError(what.into());
    let mut declared = 0usize;
    for (g, group) in metadata.row_groups.iter().enumerate() {
        for chunk in group.parquet_columns() {
            let name = &chunk.descriptor().path_in_schema.join(".");
            let values = usize::try_from(chunk.num_values())
                .ok()
                .filter(|&n| n <= MAX_COLUMNAR_CELLS)
                .ok_or_else(|| {
                    too_much(format!(
                        "column {name} in row group {} declares {} values; expected at most {MAX_COLUMNAR_CELLS}",
                        g + 1,
                        chunk.num_values()
                    ))
                })?;
            let mut cursor = Cursor::new(file.clone());
            cursor.set_position(chunk.byte_range().start);
            let pages = PageReader::new(cursor, chunk, Vec::new(), MAX_COLUMNAR_BYTES);
            for page in pages {
                let CompressedPage::Data(page) = page? else {
                    continue;
                };
                if page.num_values() > values {
                    return Err(too_much(format!(
                        "a page of column {name} in row group {} declares {} values, more than the {values} of its column chunk",
                        g + 1,
                        page.num_values()
                    )));
                }
                declared = declared.saturating_add(page.uncompressed_size());
                if declared > MAX_COLUMNAR_BYTES {
                    return Err(too_much(format!(
                        "its pages declare more than {MAX_COLUMNAR_BYTES} bytes ({} MiB) once decompressed",
                        MAX_COLUMNAR_BYTES >> 20
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The frame's columns as text cells, less the columns left out by the module's rules.
fn text_table(frame: &DataFrame) -> Result<RawTable, Unreadable> {
    let names: Vec<&str> = frame.columns().iter().map(|c| c.name().as_str()).collect();
    let mut header = Vec::new();
    let mut columns = Vec::new();
    let (mut labels, mut index) = (Vec::new(), Vec::new());
    let mut problems = Vec::new();
    for column in frame.columns() {
        let name = column.name().as_str();
        match left_out(column, &names) {
            Some(LeftOut::Labels) => labels.push(name),
            Some(LeftOut::Index) => index.push(name),
            None => match text_column(column) {
                Ok(text) => {
                    header.push(name.to_string());
                    columns.push(text);
                }
                Err(problem) => problems.push(problem),
            },
        }
    }
    if !problems.is_empty() {
        return Err(Unreadable::with_note(
            problems,
            "Columns of these types hold no survey answers, so the cells were not checked.",
        ));
    }
    let mut warnings = Vec::new();
    if !labels.is_empty() {
        warnings.push(Problem::file(format!(
            "{} left out: the value labels written beside coded variables (a categorical <name>_label column next to <name>); the codes are read",
            listed(&labels, "column of labels", "columns of labels")
        )));
    }
    if !index.is_empty() {
        warnings.push(Problem::file(format!(
            "{} left out: pandas' index, not a survey variable",
            listed(&index, "column", "columns")
        )));
    }
    let dialect = Dialect {
        encoding: "Unicode (Parquet)",
        separator: b',',
        line_ending: LineEnding::Lf,
        comment_lines: 0,
        preamble: Vec::new(),
    };
    Ok(RawTable::from_columns(
        dialect,
        header,
        0,
        (1..=frame.height()).collect(),
        columns,
        warnings,
    ))
}

/// Why a column is left out.
enum LeftOut {
    /// The value labels `typfrage export` writes beside a coded variable: a categorical
    /// `<name>_label` next to a column `<name>`.
    Labels,
    /// pandas' index (`__index_level_0__`, …), written when the frame's index is not a range.
    Index,
}

fn left_out(column: &Column, names: &[&str]) -> Option<LeftOut> {
    let name = column.name().as_str();
    let categorical = matches!(
        column.dtype(),
        DataType::Categorical(..) | DataType::Enum(..)
    );
    if categorical
        && name
            .strip_suffix("_label")
            .is_some_and(|coded| names.contains(&coded))
    {
        return Some(LeftOut::Labels);
    }
    (name.starts_with("__index_level_") && name.ends_with("__")).then_some(LeftOut::Index)
}

/// "3 columns (a, b, c)", the first five named and the rest counted.
fn listed(names: &[&str], one: &str, many: &str) -> String {
    const SHOWN: usize = 5;
    let mut list = names[..names.len().min(SHOWN)].join(", ");
    if names.len() > SHOWN {
        list.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    match names.len() {
        1 => format!("1 {one} ({list})"),
        n => format!("{n} {many} ({list})"),
    }
}

/// One column's cells as text: `None` (an empty cell) where the value is null.
fn text_column(column: &Column) -> Result<TextColumn, Problem> {
    let series = column.as_materialized_series();
    let mut text = TextColumn::with_capacity(series.len(), series.len() * 2);
    let wrong_type = || {
        Problem::column(
            series.name().as_str(),
            format!(
                "holds values of the type {}; expected numbers, text, true/false or categories",
                series.dtype()
            ),
        )
    };
    let mut cell = String::new();
    let dtype = series.dtype();
    if dtype.is_integer() {
        // polars writes a whole number's digits, whatever its width (no float in between)
        let digits = series.cast(&DataType::String).map_err(|_| wrong_type())?;
        for s in digits.str().map_err(|_| wrong_type())?.iter() {
            text.push(s.unwrap_or_default());
        }
    } else if dtype.is_float() {
        let numbers = series.cast(&DataType::Float64).map_err(|_| wrong_type())?;
        for x in numbers.f64().map_err(|_| wrong_type())?.iter() {
            cell.clear();
            // NaN is how pandas writes a missing number without a nullable type
            if let Some(x) = x.filter(|x| !x.is_nan()) {
                push_number_text(x, &mut cell);
            }
            text.push(&cell);
        }
    } else if dtype.is_bool() {
        for b in series.bool().map_err(|_| wrong_type())?.iter() {
            text.push(b.map_or("", |b| if b { "1" } else { "0" }));
        }
    } else if dtype.is_string() || matches!(dtype, DataType::Categorical(..) | DataType::Enum(..)) {
        let strings = series.cast(&DataType::String).map_err(|_| wrong_type())?;
        for s in strings.str().map_err(|_| wrong_type())?.iter() {
            text.push(s.map_or("", str::trim));
        }
    } else {
        return Err(wrong_type());
    }
    Ok(text)
}
