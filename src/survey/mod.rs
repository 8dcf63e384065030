//! The survey: its codebook, reading a survey file in the formats researchers export, checking every
//! cell against the codebook (a large file in parallel blocks of rows), the compact typed table
//! that the later stages (clustering, figures, reports) work on, and that table as a polars
//! DataFrame for the Parquet export. `read/` turns a text file or a workbook's sheet into text
//! cells, `sav/` reads (and copies) SPSS files, `source` tells the formats apart and maps the
//! columns onto the codebook, `validate/` checks the cells, `limits` holds what a file may hold.

mod codebook;
mod draft;
mod frame;
mod limits;
mod mapping;
mod numbers;
mod problems;
mod read;
mod sav;
mod small_csv;
mod source;
mod table;
mod validate;
mod weights;
mod writeback;

pub use codebook::{
    AskedIf, Battery, Block, Code, Codebook, Gender, Kind, Label, Meta, MissingCode, Role, Rule,
    Unit, Variable, DEFAULT_CODEBOOK,
};
pub use draft::{draft_codebook, Draft, DraftOptions};
pub use frame::{to_frame, write_parquet};
pub use mapping::{MappedColumn, Mapping};
pub use problems::{Problem, Problems};
pub use read::{Dialect, LineEnding};
pub use small_csv::SmallCsv;
pub use source::{ReadOptions, SourceInfo};
pub use table::{CodeColumn, DecimalColumn, IntWidth, Survey, Values};
pub use validate::{
    load_bytes, load_bytes_as, load_bytes_with, load_bytes_with_columns, load_file, load_path,
    Loaded, MissingSummary,
};
pub use weights::{kish_deff, resolve as resolve_weights, WeightChoice, Weighting};
pub use writeback::{copy_format, copy_with_columns, AddedColumn};

use thiserror::Error;

/// Errors of the survey stage.
#[derive(Debug, Error)]
pub enum SurveyError {
    #[error(transparent)]
    File(#[from] crate::output::FileError),
    #[error("codebook ({origin}): {message}")]
    Codebook { origin: String, message: String },
    #[error("{0}")]
    Invalid(Problems),
    #[error("the codebook has no variable '{0}'")]
    NoVariable(String),
    #[error("variable '{0}' does not hold codes")]
    NotCoded(String),
    #[error("survey table: {0}")]
    Shape(String),
}
