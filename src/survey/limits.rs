//! The limits on what a survey file may hold, in one place: each reader checks its file against
//! them before it allocates what the file asks for, so that a small hostile file cannot take
//! gigabytes of memory or minutes of time, and a file beyond a limit is refused with a message
//! that names the limit and where the file exceeds it. Every format has the same column and line
//! limits as CSV; the others bound what only a binary format can ask for (an SPSS file's
//! compressed cases and shared value labels, a workbook's used range and repeated rows).

/// The most columns a survey file may have: far more than any codebook, few enough that a line of
/// separators cannot take gigabytes of memory as empty header fields. The same for an SPSS file's
/// variables and a workbook's used columns.
pub const MAX_COLUMNS: usize = 10_000;
/// The longest header line (column names).
pub const MAX_HEADER_BYTES: usize = 1 << 20;
/// The longest line (a data row; quoted line breaks end a line here, so a quoted field spanning
/// lines is not cut short by this). The same for an SPSS file's case (its 8-byte values) and the
/// text of a workbook's row.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The most values an SPSS file's cases may hold (cases times 8-byte values per case): 256 MiB of
/// data, as many as 335,000 cases of 100 numeric variables. A larger survey is read from a CSV
/// export, which is checked in blocks without being held whole.
pub const MAX_SAV_VALUES: usize = 1 << 25;
/// The largest block of a .zsav file's zlib-compressed data, inflated (PSPP and SPSS write blocks
/// of about 4 MiB); each block inflates to exactly the size its trailer declares.
pub const MAX_ZLIB_BLOCK: usize = 64 << 20;
/// The most value labels an SPSS file may give its variables in all, counting a label set once
/// however many variables share it (a variable that several value label records name gets the
/// labels of all of them, counted once per such combination).
pub const MAX_VALUE_LABELS: usize = 1 << 20;
/// The longest variable name in an SPSS file's long names record (SPSS's own limit).
pub const MAX_NAME_BYTES: usize = 64;

/// The most cells of a workbook's sheet, counted over its used range (the rectangle from its first
/// to its last filled row and column, each repeated row or column counted as often as it
/// repeats); for an .ods workbook, over all its sheets, which the reader holds at once: 4,194,304,
/// as many as 20,000 cases of 200 variables. A larger survey is read from a CSV export.
pub const MAX_SHEET_CELLS: usize = 1 << 22;
/// The most text a workbook's sheet may hold in its cells, in bytes (each use of a shared string
/// counted, as the reader holds a copy for each cell).
pub const MAX_SHEET_TEXT_BYTES: usize = 1 << 26;
/// The longest text of one workbook cell, in characters (Excel's own limit).
pub const MAX_CELL_CHARS: usize = 32_767;

/// The most cells of a Parquet file (rows times columns, as its footer declares them), which the
/// reader decodes whole: as many as the values of an SPSS file ([`MAX_SAV_VALUES`]).
pub const MAX_COLUMNAR_CELLS: usize = MAX_SAV_VALUES;
/// The most bytes a Parquet file's column chunks may declare once decompressed (its footer's
/// uncompressed sizes, summed): 256 MiB.
pub const MAX_COLUMNAR_BYTES: usize = 1 << 28;

/// The most problems one check of a file lists and keeps (the first ones, in the order of the
/// file); beyond them the check stops and says so.
pub const MAX_PROBLEMS: usize = 10_000;
