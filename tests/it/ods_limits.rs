//! Hostile OpenDocument spreadsheets (issue 27): the .ods check read attribute by attribute
//! against calamine 0.38's reader. Each file is about 1 KB; each made the binary before this check
//! abort asking for more than 1 GB, because calamine held cells the check did not count: a value
//! in `office:time-value` or `office:boolean-value`, a formula, a repeat written with an entity, a
//! table or row inside a cell, an empty cell ending a text cell. Each test is named after the
//! finding it guards and runs the real binary within the memory and CPU bounds of
//! `survey_limits`.

use crate::craft::{ods, ods_text};
use crate::survey_limits::run_on;

/// An .ods whose table holds a header of 40 columns and then `rows`.
fn spreadsheet(rows: &str) -> Vec<u8> {
    let header: String = (0..40).map(|j| ods_text(&format!("c{j}"))).collect();
    ods(&format!(
        "<table:table-row>{header}</table:table-row>{rows}"
    ))
}

/// Runs `validate` on `file` (at most 100 KB): it must be refused, saying `expected`.
fn refused_saying(file: &[u8], expected: &str) {
    assert!(file.len() <= 100 << 10, "{} bytes", file.len());
    let (code, out) = run_on("x.ods", file, &["validate"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(expected), "{out}");
}

/// A cell holding an attribute of 200,000 characters, repeated across 16,000 columns (3.2 GB of
/// text as calamine holds it).
fn long_attribute_in_many_columns(attribute: &str) -> String {
    format!(
        r#"<table:table-row><table:table-cell {attribute}="{}" table:number-columns-repeated="16000"/></table:table-row>"#,
        "P".repeat(200_000)
    )
}

/// A row of 40 number cells repeated to the sheet's last row, its repeat written `repeat`.
fn numbers_repeated(repeat: &str) -> String {
    let cells: String = (0..40)
        .map(|j| format!(r#"<table:table-cell office:value-type="float" office:value="{j}"/>"#))
        .collect();
    format!(r#"<table:table-row table:number-rows-repeated="{repeat}">{cells}</table:table-row>"#)
}

fn time_value_in_many_columns() -> Vec<u8> {
    spreadsheet(&long_attribute_in_many_columns("office:time-value"))
}

fn formula_in_many_columns() -> Vec<u8> {
    spreadsheet(&long_attribute_in_many_columns("table:formula"))
}

fn truth_values_in_many_cells() -> Vec<u8> {
    spreadsheet(
        r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="boolean" office:boolean-value="true" table:number-columns-repeated="9000"/></table:table-row>"#,
    )
}

fn row_repeat_with_an_entity() -> Vec<u8> {
    spreadsheet(&numbers_repeated("1&#48;48575"))
}

fn table_inside_a_cell() -> Vec<u8> {
    let nested = r#"<table:table-row><table:table-cell><table:table table:name="inner"><table:table-row><table:table-cell/></table:table-row></table:table></table:table-cell></table:table-row>"#;
    spreadsheet(&format!("{nested}{}", numbers_repeated("1048575")))
}

fn row_inside_a_skipped_cell() -> Vec<u8> {
    spreadsheet(&long_attribute_in_many_columns("office:time-value").replace(
        "</table:table-row>",
        r#"<table:table-cell office:value="1"><table:table-row/></table:table-cell></table:table-row>"#,
    ))
}

fn spaces_with_an_entity() -> Vec<u8> {
    let cell = r#"<table:table-cell office:value-type="string"><text:p>a<text:s text:c="1&#48;00000000"/></text:p></table:table-cell>"#;
    spreadsheet(&format!(
        "<table:table-row>{}</table:table-row>",
        cell.repeat(40)
    ))
}

/// calamine reads `<table:table-cell/>` as a start and an end: the end closes the text cell it
/// is in, and the next cell inside that one is a cell of the row.
fn empty_cell_ending_a_text_cell() -> Vec<u8> {
    let inner = long_attribute_in_many_columns("office:time-value")
        .replace("<table:table-row>", "")
        .replace("</table:table-row>", "");
    spreadsheet(&format!(
        r#"<table:table-row><table:table-cell office:value-type="string"><table:table-cell/>{inner}</table:table-cell></table:table-row>"#
    ))
}

/// The files above, for `scripts/measure-hostile.sh` (through `survey_limits`).
pub fn small_hostile_spreadsheets() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("ods-time-value.ods", time_value_in_many_columns()),
        ("ods-formula.ods", formula_in_many_columns()),
        ("ods-truth-values.ods", truth_values_in_many_cells()),
        ("ods-row-repeat-entity.ods", row_repeat_with_an_entity()),
        ("ods-table-in-a-cell.ods", table_inside_a_cell()),
        ("ods-row-in-a-cell.ods", row_inside_a_skipped_cell()),
        ("ods-spaces-entity.ods", spaces_with_an_entity()),
        ("ods-empty-cell-end.ods", empty_cell_ending_a_text_cell()),
    ]
}

#[test]
fn ods_time_value_repeated_across_columns_is_refused() {
    refused_saying(
        &time_value_in_many_columns(),
        "has 200000 characters in cell A2",
    );
}

#[test]
fn ods_formula_repeated_across_columns_is_refused() {
    refused_saying(
        &formula_in_many_columns(),
        "has 200000 characters in cell A2",
    );
}

#[test]
fn ods_truth_values_repeated_across_rows_and_columns_are_refused() {
    refused_saying(
        &truth_values_in_many_cells(),
        "holds 54009000 cells; expected at most 4194304",
    );
}

#[test]
fn ods_row_repeat_written_with_an_entity_is_counted_as_calamine_decodes_it() {
    refused_saying(
        &row_repeat_with_an_entity(),
        "holds 41943040 cells; expected at most 4194304",
    );
}

#[test]
fn ods_table_inside_a_cell_does_not_end_the_check_of_its_table() {
    refused_saying(&table_inside_a_cell(), "reaches cell A1048577");
}

#[test]
fn ods_row_inside_a_skipped_cell_does_not_hide_the_cells_before_it() {
    refused_saying(
        &row_inside_a_skipped_cell(),
        "has 200000 characters in cell A2",
    );
}

#[test]
fn ods_spaces_repeated_with_an_entity_are_counted_as_calamine_decodes_them() {
    refused_saying(&spaces_with_an_entity(), "characters in cell A2");
}

#[test]
fn ods_empty_cell_ending_a_text_cell_is_followed_as_calamine_follows_it() {
    refused_saying(
        &empty_cell_ending_a_text_cell(),
        "has 200000 characters in cell B2",
    );
}
