//! `typfrage validate` on broken files: one fixture per problem, each message checked exactly.

use crate::common;

use crate::common::{fixture, validate_fixture};

/// Asserts that validating `name` fails with exactly `messages` (after the file name) and a count.
fn fails_with(name: &str, messages: &[&str]) {
    let out = validate_fixture(name, 1);
    let file = fixture(name).display().to_string();
    let mut expected: Vec<String> = messages.iter().map(|m| format!("{file}{m}")).collect();
    let noun = if messages.len() == 1 {
        "problem"
    } else {
        "problems"
    };
    expected.push(format!("{file}: {} {noun} found", messages.len()));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..expected.len()],
        expected.iter().map(String::as_str).collect::<Vec<_>>()[..],
        "{out}"
    );
}

#[test]
fn empty_file() {
    fails_with(
        "empty.csv",
        &[": the file is empty (0 bytes); expected a header row with the codebook's column names"],
    );
}

#[test]
fn header_only() {
    fails_with(
        "header_only.csv",
        &[": the file has a header row (row 1) but no data rows; expected one row per case"],
    );
}

#[test]
fn ragged_row_stops_before_cell_checks() {
    fails_with(
        "ragged_row.csv",
        &[", row 4: has 95 fields, the header has 96; expected one field per column (is a separator or quote missing or extra?)"],
    );
    let out = validate_fixture("ragged_row.csv", 1);
    assert!(out.ends_with(
        "The row structure is broken, so the cells were not checked: fix these rows first.\n"
    ));
}

#[test]
fn missing_column() {
    fails_with(
        "missing_column.csv",
        &[", column ziel_offenheit: is missing; the codebook expects it (Goal priority: openness and participation)"],
    );
}

#[test]
fn unknown_column() {
    fails_with(
        "unknown_column.csv",
        &[", column bemerkung: is not in the codebook; expected only codebook variables"],
    );
}

#[test]
fn duplicate_column() {
    fails_with(
        "duplicate_column.csv",
        &[", column ziel_effizienz: appears twice in the header (columns 23 and 97); expected each variable once"],
    );
}

#[test]
fn duplicate_identifier() {
    fails_with(
        "duplicate_id.csv",
        &[", row 5, column id: 'SYN-0002' is a duplicate identifier (first in row 3); expected each municipality once"],
    );
}

#[test]
fn empty_identifier() {
    fails_with(
        "empty_id.csv",
        &[", row 4, column id: is empty; expected a unique identifier for every municipality"],
    );
}

#[test]
fn code_out_of_range() {
    fails_with(
        "out_of_range_code.csv",
        &[", row 2, column ziel_effizienz: '7' is not an allowed value; expected a code 1-5 (1 = keine Priorität, …, 5 = sehr hohe Priorität) or its label, -9 (no answer) or empty"],
    );
}

#[test]
fn count_that_is_not_a_number() {
    fails_with(
        "not_a_number.csv",
        &[", row 3, column einwohner: 'viele' is not a whole number; expected a whole number from 1 to 5000000, -9 (no answer) or empty"],
    );
}

#[test]
fn count_out_of_range() {
    fails_with(
        "count_out_of_range.csv",
        &[", row 3, column einwohner: '0' is out of range; expected a whole number from 1 to 5000000, -9 (no answer) or empty"],
    );
}

#[test]
fn decimal_that_is_not_a_number() {
    fails_with(
        "bad_decimal.csv",
        &[", row 6, column gewicht: 'eins' is not a number (decimal point); expected a number from 0 to 100, -9 (no answer) or empty"],
    );
}

#[test]
fn unknown_value_label() {
    fails_with(
        "unknown_label.csv",
        &[", row 2, column bundesland: 'Preußen' is neither a code nor a value label; expected a code 1-16 (1 = Schleswig-Holstein, …, 16 = Thüringen) or its label, -9 (no answer) or empty"],
    );
}

#[test]
fn not_applicable_code_on_a_question_everyone_is_asked() {
    fails_with(
        "not_applicable_unrouted.csv",
        &[", row 2, column ziel_effizienz: '-8' is the not-applicable code, but every municipality is asked this question; expected a code 1-5 (1 = keine Priorität, …, 5 = sehr hohe Priorität) or its label, -9 (no answer) or empty"],
    );
}

#[test]
fn answer_to_a_question_routed_past() {
    fails_with(
        "answered_not_asked.csv",
        &[", row 4, column feld_verwaltung: '1' answers a question this municipality was not asked (strategie_status is 3, the question is asked when it is 1 or 2); expected -8 or empty"],
    );
}

#[test]
fn not_applicable_where_the_question_was_asked() {
    fails_with(
        "not_applicable_but_asked.csv",
        &[", row 2, column feld_infrastruktur: '-8' says not applicable, but the question was asked (strategie_status is 2); expected an answer, -9 (no answer) or empty"],
    );
}

#[test]
fn more_than_three_fields_of_action() {
    let out = validate_fixture("too_many_fields.csv", 1);
    let line = out.lines().next().unwrap();
    assert!(line.contains(", row 2, column feld_verwaltung: '1' is one of 5 selected fields of action (at most three): feld_verwaltung, feld_infrastruktur,"), "{line}");
    assert!(line.ends_with("; expected at most 3"), "{line}");
}

#[test]
fn none_of_these_with_another_answer() {
    fails_with(
        "exclusive_links.csv",
        &[", row 2, column anknuepfung_keine: '1' is selected together with anknuepfung_it_strategie, anknuepfung_gesamtstrategie, anknuepfung_bund_land: 'no other strategy' excludes every other link"],
    );
}

#[test]
fn size_class_that_does_not_fit_the_inhabitants() {
    fails_with(
        "size_class_mismatch.csv",
        &[", row 7, column groessenklasse: '2' does not fit einwohner = 5000: the size class must match the inhabitants; expected 7 (GK 7: bis 10.000 Einwohner)"],
    );
}

#[test]
fn problems_are_capped_and_counted() {
    let out = validate_fixture("many_problems.csv", 1);
    let lines: Vec<&str> = out.lines().collect();
    // 6 rows x 11 goals, 50 listed by default
    assert_eq!(lines.len(), 52, "{out}");
    assert_eq!(
        lines[50],
        "... and 16 more (66 problems in all; --max-problems shows more)"
    );
    assert!(lines[51].ends_with("many_problems.csv: 66 problems found"));
}

#[test]
fn max_problems_option_caps_the_list() {
    let dir = common::tempdir();
    let out = common::typfrage(&dir)
        .args(["validate", "--max-problems", "3"])
        .arg(fixture("many_problems.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(text.contains("... and 63 more (66 problems in all"));
}

#[test]
fn a_valid_file_passes_with_a_summary() {
    let out = validate_fixture("valid_small.csv", 0);
    let file = fixture("valid_small.csv").display().to_string();
    assert!(out.starts_with(&format!(
        "{file}: 6 rows, 96 columns; UTF-8, comma-separated, LF line endings\nNo problems found.\n"
    )));
    assert!(out.contains("variable"), "{out}");
}

#[test]
fn value_labels_and_umlauts_are_accepted() {
    let out = validate_fixture("labels_utf8.csv", 0);
    assert!(out.contains("No problems found."), "{out}");
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let dir = common::tempdir();
    common::typfrage(&dir)
        .args(["validate", "does-not-exist.csv"])
        .assert()
        .code(1)
        .stderr("error: does-not-exist.csv: cannot read the file: no such file or folder\n");
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = common::tempdir();
    common::typfrage(&dir).arg("validate").assert().code(2);
    common::typfrage(&dir)
        .args(["validate", "x.csv", "--max-problems", "many"])
        .assert()
        .code(2);
}

#[test]
fn blank_lines_are_skipped_but_counted_as_spreadsheet_rows() {
    fails_with(
        "blank_lines.csv",
        &[", row 3, column ziel_effizienz: '7' is not an allowed value; expected a code 1-5 (1 = keine Priorität, …, 5 = sehr hohe Priorität) or its label, -9 (no answer) or empty"],
    );
}

/// The rule a semicolon file's numbers follow when no cell decides the decimal mark.
const SEMICOLON_RULE: &str = "in a semicolon- or tab-separated file the decimal mark is a comma and a point can only separate thousands, in groups of three digits (160.000)";

fn load(name: &str) -> Result<typfrage::survey::Loaded, typfrage::survey::SurveyError> {
    let codebook = std::sync::Arc::new(typfrage::survey::Codebook::builtin());
    typfrage::survey::load_path(&fixture(name), codebook)
}

#[test]
fn thousands_points_in_a_semicolon_file_are_thousands() {
    // 160.000 and 301.031 inhabitants: once read as 160 (caught only by the size class) and
    // rejected; now the same table as the file without thousands separators
    validate_fixture("thousands_de.csv", 0);
    let grouped = load("thousands_de.csv").unwrap();
    let plain = load("valid_small.csv").unwrap();
    assert!(grouped.survey == plain.survey);
    assert_eq!(
        grouped.survey.codes("einwohner").unwrap().to_vec()[..2],
        [Some(160_000), Some(301_031)]
    );
}

#[test]
fn points_that_do_not_group_thousands_are_errors_that_say_why() {
    let point = format!("has a point that does not separate thousands: {SEMICOLON_RULE}");
    fails_with(
        "points_not_thousands.csv",
        &[
            &format!(", row 2, column einwohner: '160.00' {point}; expected a whole number from 1 to 5000000, -9 (no answer) or empty"),
            &format!(", row 3, column einwohner: '1.5' {point}; expected a whole number from 1 to 5000000, -9 (no answer) or empty"),
            ", row 4, column gewicht: '1.000' is ambiguous: 1000 with a thousands point, or 1.000 with a decimal point, and no cell of the file uses a decimal comma or a decimal point to decide; write 1000 or 1,000; expected a number from 0 to 100, -9 (no answer) or empty",
            ", row 5, column ziel_effizienz: '3.5' is not a code: in a coded variable a point followed by digits is a decimal point, never a thousands separator (2.0 is code 2, as pandas writes codes), and this one has a fraction that is not zero; expected a code 1-5 (1 = keine Priorität, …, 5 = sehr hohe Priorität) or its label, -9 (no answer) or empty",
        ],
    );
}

#[test]
fn a_comma_file_takes_quoted_thousands_commas_and_no_thousands_points() {
    fails_with(
        "comma_file_numbers.csv",
        &[", row 5, column einwohner: '2.500' is not a whole number: in a comma-separated file the decimal mark is a point and a comma can only separate thousands, in groups of three digits (\"160,000\"); if 2500 is meant, write 2500; expected a whole number from 1 to 5000000, -9 (no answer) or empty"],
    );
}

#[test]
fn a_stray_byte_in_a_comment_line_does_not_turn_a_utf8_file_into_windows_1252() {
    let out = validate_fixture("comment_stray_byte.csv", 0);
    let file = fixture("comment_stray_byte.csv").display().to_string();
    assert!(
        out.contains(": 6 rows, 96 columns; UTF-8, comma-separated"),
        "{out}"
    );
    assert!(out.contains(&format!("warning: {file}, row 1: the comment line holds a byte 0xF6 in '# Stand: K\u{FFFD}ln, M\u{FFFD}rz' that is not UTF-8; the data rows are UTF-8 (row 3 has 'ü' in UTF-8), so the file is read as UTF-8 and the comment shows U+FFFD there\n")), "{out}");
    let loaded = load("comment_stray_byte.csv").unwrap();
    assert_eq!(
        loaded.survey.codes("bundesland").unwrap().get(0),
        Some(16),
        "Thüringen"
    );
    assert_eq!(loaded.warnings.len(), 1);
}

#[test]
fn invalid_utf8_in_a_data_row_of_a_utf8_file_names_the_row() {
    fails_with(
        "mixed_encoding.csv",
        &[", row 5: holds a byte 0xFC in 'SYN-0014,Th\u{FFFD}ringen,2,2500,7,1,4' that is not UTF-8, but the file is UTF-8 (row 2 has 'ü' in UTF-8); expected one encoding throughout: save the file again as \"CSV UTF-8\" or fix this row"],
    );
}

#[test]
fn utf16_without_a_byte_order_mark_gets_a_hint_not_field_errors() {
    fails_with(
        "utf16_no_bom.csv",
        &[": the file holds zero bytes where text has none: it looks like UTF-16LE without a byte-order mark; expected UTF-8, Windows-1252, or UTF-16 with a byte-order mark: save it as \"CSV UTF-8\" (or as Excel's \"Unicode text\", which writes the mark)"],
    );
}

#[test]
fn identifiers_that_differ_only_in_unicode_normalisation_are_duplicates() {
    fails_with(
        "nfd_duplicate_id.csv",
        &[", row 5, column id: 'Ko\u{308}ln' is a duplicate identifier (first in row 3 as 'Köln': the same text in another Unicode normalisation form); expected each municipality once"],
    );
}

#[test]
fn a_zero_width_character_in_an_identifier_is_an_error() {
    fails_with(
        "zero_width_id.csv",
        &[", row 4, column id: 'SYN<U+200B>-0020' holds an invisible zero-width character (U+200B, character 4); expected an identifier without it, so that identifiers that look the same are the same"],
    );
}

#[test]
fn identifiers_that_differ_only_in_case_are_a_warning() {
    let out = validate_fixture("case_duplicate_id.csv", 0);
    let file = fixture("case_duplicate_id.csv").display().to_string();
    assert!(out.contains(&format!("warning: {file}, row 6, column id: 'syn-0001' differs from the identifier in row 2 ('SYN-0001') only in upper and lower case; both are kept as different municipalities: check that they are\n")), "{out}");
    // the commands that load a survey print it on stderr
    let dir = common::tempdir();
    let out = common::typfrage(&dir)
        .args(["figures", "--format", "csv", "--out", "f"])
        .arg(fixture("case_duplicate_id.csv"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "warning: {file}, row 6, column id: 'syn-0001' differs"
        )),
        "{stderr}"
    );
}

#[test]
fn a_line_of_separators_is_refused_before_it_costs_memory() {
    // a 50 MB line of separators once took 5.8 GB as empty header fields
    let dir = common::tempdir();
    let path = dir.path().join("wide.csv");
    let run = |path: &std::path::Path| {
        let out = common::typfrage(&dir)
            .arg("validate")
            .arg(path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    std::fs::write(&path, ";".repeat(30_000) + "\n1\n").unwrap();
    let text = run(&path);
    assert!(
        text.contains("row 1: the header has 30001 columns; expected at most 10000"),
        "{text}"
    );
    std::fs::write(&path, "a\n".to_string() + &"x".repeat(2 << 20) + "\n").unwrap();
    let text = run(&path);
    assert!(
        text.contains("row 2: the line has") && text.contains("per line"),
        "{text}"
    );
}

/// A survey piped in (`/dev/stdin`, as `<(gunzip -c survey.csv.gz)` gives one) is read like the
/// file itself, although it cannot be read twice.
#[cfg(unix)]
#[test]
fn a_piped_survey_is_read_like_the_file() {
    use common::{shipped_survey, success_stdout, tempdir, typfrage};
    let dir = tempdir();
    let from_file = success_stdout(typfrage(&dir).arg("validate").arg(shipped_survey()));
    let piped = success_stdout(
        typfrage(&dir)
            .args(["validate", "/dev/stdin"])
            .write_stdin(std::fs::read(shipped_survey()).unwrap()),
    );
    let file = shipped_survey().display().to_string();
    assert_eq!(piped, from_file.replace(&file, "/dev/stdin"));
    assert!(piped.contains("412 rows"), "{piped}");
}
