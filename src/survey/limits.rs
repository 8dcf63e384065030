//! The limits on what a survey file may hold, in one place: each reader checks its file against
//! them before it allocates what the file asks for, so that a small hostile file cannot take
//! gigabytes of memory or minutes of time, and says which limit a file exceeds.

/// The most columns a survey file may have: far more than any codebook, few enough that a line of
/// separators cannot take gigabytes of memory as empty header fields.
pub const MAX_COLUMNS: usize = 10_000;
/// The longest header line (column names).
pub const MAX_HEADER_BYTES: usize = 1 << 20;
/// The longest line (a data row; quoted line breaks end a line here, so a quoted field spanning
/// lines is not cut short by this).
pub const MAX_LINE_BYTES: usize = 1 << 20;
