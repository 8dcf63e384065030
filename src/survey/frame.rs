//! The validated survey as a polars DataFrame, labelled, and written as Parquet: identifiers as
//! text, codes as integers in the width the codebook's codes fit, decimals as `f64`, and beside
//! each coded variable a `<name>_label` column of its German value labels as a polars Enum (a
//! dictionary-encoded column in the Parquet file, which pandas reads as a categorical and R's
//! arrow as a factor, levels in the codebook's order). A missing answer is null in both.

use std::io::Write;

use polars::prelude::{
    DataFrame, DataType, FrozenCategories, IntoColumn, NamedFrom, ParquetWriter, PolarsError,
    Series,
};

use super::{IntWidth, Survey, Values};

/// The survey as a DataFrame: the columns in codebook order, each coded variable followed by its
/// label column.
pub fn to_frame(survey: &Survey) -> Result<DataFrame, PolarsError> {
    let mut columns = Vec::new();
    for (var, values) in survey.codebook().variables.iter().zip(survey.columns()) {
        let name = var.name.as_str();
        match values {
            Values::Ids(ids) => columns.push(Series::new(name.into(), ids.as_slice())),
            Values::Decimal(v) => columns.push(Series::new(name.into(), v.to_vec())),
            Values::Codes(v) => {
                let codes = v.to_vec();
                columns.push(match v.width() {
                    IntWidth::I8 => Series::new(
                        name.into(),
                        codes.iter().map(|c| c.map(|x| x as i8)).collect::<Vec<_>>(),
                    ),
                    IntWidth::I16 => Series::new(
                        name.into(),
                        codes
                            .iter()
                            .map(|c| c.map(|x| x as i16))
                            .collect::<Vec<_>>(),
                    ),
                    IntWidth::I32 => Series::new(
                        name.into(),
                        codes
                            .iter()
                            .map(|c| c.map(|x| x as i32))
                            .collect::<Vec<_>>(),
                    ),
                    IntWidth::I64 => Series::new(name.into(), codes.clone()),
                });
                if var.kind.is_coded() {
                    let mut levels: Vec<&str> = Vec::new();
                    for c in &var.codes {
                        if !levels.contains(&c.de.as_str()) {
                            levels.push(&c.de);
                        }
                    }
                    let labels: Vec<Option<&str>> = codes
                        .iter()
                        .map(|c| c.and_then(|x| var.code(x)).map(|c| c.de.as_str()))
                        .collect();
                    let dtype = DataType::from_frozen_categories(FrozenCategories::new(levels)?);
                    columns.push(Series::new(format!("{name}_label").into(), labels).cast(&dtype)?);
                }
            }
        }
    }
    DataFrame::new(
        survey.len(),
        columns.into_iter().map(IntoColumn::into_column).collect(),
    )
}

/// Writes the survey as Parquet.
pub fn write_parquet<W: Write>(survey: &Survey, out: W) -> Result<(), PolarsError> {
    let mut frame = to_frame(survey)?;
    ParquetWriter::new(out).finish(&mut frame)?;
    Ok(())
}
