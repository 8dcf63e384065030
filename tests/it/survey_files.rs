//! Survey files as researchers keep them: the shipped survey converted to SPSS (.sav, .zsav) by
//! PSPP and by ReadStat, to .xlsx by openpyxl (tests/fixtures/formats/make.py), to Parquet by
//! pandas (make_parquet.py) and to a semicolon CSV by pandas (make_pandas_csv.py) reads exactly
//! like the CSV, and so does typfrage's own Parquet export; broken SPSS and Parquet files are
//! clear errors; a file with other column names reads through a mapping.

use crate::common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::common::{fixture, shipped_survey, tempdir, typfrage};

fn format_fixture(name: &str) -> PathBuf {
    fixture(&format!("formats/{name}"))
}

/// Stdout and stderr of `typfrage ARGS`, which must exit with `code`.
fn run(args: &[OsString], code: i32) -> (String, String) {
    let dir = tempdir();
    let out = typfrage(&dir).args(args).output().expect("runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(out.status.code(), Some(code), "{stdout}\n{stderr}");
    (stdout, stderr)
}

fn validate(file: &Path, extra: &[&str], code: i32) -> String {
    let mut args: Vec<OsString> = vec!["validate".into(), file.into()];
    args.extend(extra.iter().map(OsString::from));
    run(&args, code).0
}

/// The validate summary without its first line (which names the file and its format).
fn summary_body(stdout: &str) -> String {
    stdout.lines().skip(1).collect::<Vec<_>>().join("\n")
}

fn assignments(file: &Path, extra: &[&str]) -> Vec<u8> {
    let dir = tempdir();
    let out = dir.path().join("out");
    let mut args: Vec<OsString> = vec![
        "cluster".into(),
        file.into(),
        "--out".into(),
        out.clone().into(),
    ];
    args.extend(extra.iter().map(OsString::from));
    run(&args, 0);
    std::fs::read(out.join("assignments.csv")).expect("assignments.csv")
}

const CONVERTED: [&str; 7] = [
    "survey-pspp.sav",
    "survey-pspp.zsav",
    "survey-readstat.sav",
    "survey-openpyxl.xlsx",
    "survey-libreoffice.ods",
    "survey-pandas.parquet",
    // pandas' to_csv(sep=";"): codes of columns with an empty cell written 2.0, -8.0, …
    "survey-pandas-semicolon.csv",
];

#[test]
fn the_shipped_survey_converted_by_other_tools_validates_like_the_csv() {
    let csv = summary_body(&validate(&shipped_survey(), &[], 0));
    assert!(csv.contains("No problems found."));
    for name in CONVERTED {
        let stdout = validate(&format_fixture(name), &[], 0);
        assert_eq!(summary_body(&stdout), csv, "{name}");
    }
}

#[test]
fn the_formats_are_named_in_the_summary() {
    let sav = validate(&format_fixture("survey-pspp.sav"), &[], 0);
    assert!(sav.starts_with(&format!(
        "{}: 412 rows, 96 columns; SPSS system file, bytecode-compressed, UTF-8 (its encoding record), 96 variables, 412 cases, written by GNU pspp",
        format_fixture("survey-pspp.sav").display()
    )), "{sav}");
    let zsav = validate(&format_fixture("survey-pspp.zsav"), &[], 0);
    assert!(zsav.contains("zlib-compressed (.zsav)"), "{zsav}");
    let readstat = validate(&format_fixture("survey-readstat.sav"), &[], 0);
    assert!(readstat.contains("uncompressed"), "{readstat}");
    let xlsx = validate(&format_fixture("survey-openpyxl.xlsx"), &[], 0);
    assert!(
        xlsx.contains("Excel workbook (.xlsx), sheet 'Befragung' (the first of 2; --sheet NAME reads another), header in row 4 below 3 title rows"),
        "{xlsx}"
    );
}

#[test]
fn cluster_on_the_sav_gives_the_csvs_assignments_byte_for_byte() {
    let csv = assignments(&shipped_survey(), &[]);
    for name in ["survey-pspp.sav", "survey-readstat.sav"] {
        assert!(assignments(&format_fixture(name), &[]) == csv, "{name}");
    }
}

#[test]
fn cluster_on_the_workbooks_and_the_zsav_gives_the_csvs_assignments_byte_for_byte() {
    let csv = assignments(&shipped_survey(), &[]);
    for name in [
        "survey-openpyxl.xlsx",
        "survey-libreoffice.ods",
        "survey-pspp.zsav",
    ] {
        assert!(assignments(&format_fixture(name), &[]) == csv, "{name}");
    }
}

#[test]
fn limesurvey_names_read_through_a_mapping_give_the_same_types() {
    let file = format_fixture("survey-limesurvey.sav");
    let map = format_fixture("limesurvey-map.toml");
    let map = map.to_str().unwrap();
    let stdout = validate(&file, &["--mapping", map], 0);
    assert!(stdout.contains(&format!(
        "Columns mapped onto the codebook (96 renamed, 2 left out; mapping file {map}):\n  token -> id (mapping file)\n  G01Q002 -> bundesland (mapping file)\n"
    )), "{stdout}");
    assert!(stdout.contains("  submitdate left out (ignore)\n  lastpage left out (ignore)\n"));
    let csv = summary_body(&validate(&shipped_survey(), &[], 0));
    let body: String = stdout
        .lines()
        .skip_while(|l| !l.starts_with("No problems found."))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(body, csv);
    assert!(assignments(&file, &["--mapping", map]) == assignments(&shipped_survey(), &[]));
}

#[test]
fn a_column_that_maps_nowhere_is_named() {
    let dir = tempdir();
    let text = std::fs::read_to_string(format_fixture("limesurvey-map.toml")).unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        text.replace("G03Q001 = ", "# G03Q001 = ").replace(
            "ignore = [\"submitdate\", \"lastpage\"]",
            "ignore = [\"submitdate\"]",
        ),
    )
    .unwrap();
    let file = format_fixture("survey-limesurvey.sav");
    let stdout = validate(&file, &["--mapping", map.to_str().unwrap()], 1);
    let shown = file.display();
    assert!(stdout.contains(&format!("{shown}, column G03Q001: maps to no codebook variable: it is not a variable name, not an alias in the codebook, not in the mapping file; name it under [columns] (or in `ignore`) of {}", map.display())), "{stdout}");
    assert!(stdout.contains(&format!(
        "{shown}, column lastpage: maps to no codebook variable"
    )));
    assert!(stdout.contains(&format!(
        "{shown}, column ziel_effizienz: is missing: no column maps to it"
    )));
    assert!(
        stdout.contains("The columns do not map onto the codebook, so the cells were not checked.")
    );
}

#[test]
fn a_value_label_for_a_code_the_codebook_does_not_know_is_an_error() {
    let file = format_fixture("unknown-label.sav");
    let stdout = validate(&file, &[], 1);
    assert!(stdout.starts_with(&format!(
        "{}, column bundesland: the SPSS variable 'bundesland' labels code 17 ('Ausland'), which the codebook does not know; expected its codes (1 = Schleswig-Holstein, 2 = Hamburg,",
        file.display()
    )), "{stdout}");
    assert!(stdout.contains(
        "The file's value labels do not fit the codebook, so the cells were not checked."
    ));
}

#[test]
fn a_sav_without_the_magic_is_an_error_not_a_csv() {
    let dir = tempdir();
    let file = dir.path().join("umfrage.sav");
    std::fs::write(&file, b"id,bundesland\nSYN-1,5\n").unwrap();
    let stdout = validate(&file, &[], 1);
    assert_eq!(
        stdout,
        format!(
            "{}: is named .sav but is not an SPSS system file: it starts with \"id,b\", not \"$FL2\" or \"$FL3\"; expected a file saved by SPSS, PSPP or ReadStat\n{}: 1 problem found\n",
            file.display(),
            file.display()
        )
    );
}

#[test]
fn a_truncated_sav_is_an_error_that_says_so() {
    let bytes = std::fs::read(format_fixture("survey-pspp.sav")).unwrap();
    let dir = tempdir();
    // in the header record, in the dictionary, in the cases
    for (cut, says) in [
        (100, "inside the header record"),
        (2000, "damaged or truncated"),
        (bytes.len() - 1000, "the file is truncated or damaged"),
    ] {
        let file = dir.path().join(format!("cut{cut}.sav"));
        std::fs::write(&file, &bytes[..cut]).unwrap();
        let stdout = validate(&file, &[], 1);
        assert!(
            stdout.starts_with(&format!(
                "{}: cannot be read as an SPSS system file: ",
                file.display()
            )) && stdout.contains(says),
            "{cut}: {stdout}"
        );
    }
}

#[test]
fn a_sheet_is_chosen_by_name_and_a_missing_one_is_listed() {
    let file = format_fixture("survey-openpyxl.xlsx");
    let stdout = validate(&file, &["--sheet", "Befragung"], 0);
    assert!(
        stdout.contains("sheet 'Befragung', header in row 4"),
        "{stdout}"
    );
    let stdout = validate(&file, &["--sheet", "Daten"], 1);
    assert!(
        stdout.contains("has no sheet 'Daten' (--sheet); its sheets are 'Befragung', 'Hinweise'"),
        "{stdout}"
    );
    let stdout = validate(&file, &["--sheet", "Hinweise"], 1);
    assert!(
        stdout.contains("the sheet 'Hinweise' has no header row"),
        "{stdout}"
    );
    let stdout = validate(&shipped_survey(), &["--sheet", "Befragung"], 1);
    assert!(
        stdout.contains("--sheet Befragung: the file is not a workbook"),
        "{stdout}"
    );
}

/// The clustering variables of the built-in codebook (what a person decides in the draft).
fn goal_variables() -> String {
    let text = std::fs::read_to_string(common::root().join("data/codebook.toml")).unwrap();
    let mut names = Vec::new();
    let mut name = "";
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = n.trim_matches('"');
        }
        if line == "role = \"clustering\"" {
            names.push(name.to_string());
        }
    }
    assert_eq!(names.len(), 11);
    names.join(",")
}

#[test]
fn a_codebook_drafted_from_a_sav_reads_a_renamed_sav_through_a_mapping_end_to_end() {
    let dir = tempdir();
    let draft = dir.path().join("draft.toml");
    let sav = format_fixture("survey-pspp.sav");
    let (stdout, _) = run(
        &[
            "codebook".into(),
            sav.clone().into(),
            "--out".into(),
            draft.clone().into(),
        ],
        0,
    );
    assert!(
        stdout.starts_with(&format!(
            "wrote {}: a draft codebook of 96 variables (",
            draft.display()
        )),
        "{stdout}"
    );
    assert!(stdout.ends_with(&format!(
        "{} checked against the draft: 412 rows, no problems found.\n",
        sav.display()
    )));
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(text.contains("draft = true"));
    assert!(text
        .contains("asked_if = { variable = \"strategie_status\", codes = [1, 2] }  # TODO check"));
    assert!(text.contains("[missing]  # from the user-missing values the variables declare\nnon_response = { code = -9, de = \"keine Angabe\""));

    let renamed = format_fixture("survey-limesurvey.sav");
    let map = format_fixture("limesurvey-map.toml");
    let draft_arg = draft.to_str().unwrap();
    let map_arg = map.to_str().unwrap();
    let (_, stderr) = run(
        &[
            "validate".into(),
            renamed.clone().into(),
            "--codebook".into(),
            draft_arg.into(),
            "--mapping".into(),
            map_arg.into(),
        ],
        0,
    );
    assert_eq!(stderr, "");
    let vars = goal_variables();
    let extra = [
        "--codebook",
        draft_arg,
        "--mapping",
        map_arg,
        "--vars",
        &vars,
    ];
    assert!(assignments(&renamed, &extra) == assignments(&shipped_survey(), &[]));
}

#[test]
fn a_codebook_drafted_from_a_csv_clusters_like_the_shipped_codebook_after_one_hand_edit() {
    let dir = tempdir();
    let draft = dir.path().join("draft.toml");
    let (stdout, _) = run(
        &[
            "codebook".into(),
            shipped_survey().into(),
            "--out".into(),
            draft.clone().into(),
            "--cluster".into(),
            "ziel_*".into(),
        ],
        0,
    );
    assert!(
        stdout.contains(
            "clustering variables (role = \"clustering\"): ziel_effizienz, ziel_buergernaehe,"
        ),
        "{stdout}"
    );
    assert!(stdout.ends_with("checked against the draft: 412 rows, no problems found.\n"));
    let text = std::fs::read_to_string(&draft).unwrap();
    // the codes the file uses, the routing told apart by the data, the goals ordinal (unlabelled
    // whole numbers 1-5, with a TODO), and no code the file neither declares nor uses
    assert!(text.contains("not_applicable = { code = -8,"), "{text}");
    assert!(text
        .contains("asked_if = { variable = \"strategie_status\", codes = [1, 2] }  # TODO check"));
    assert!(text.contains("kind = \"ordinal\"\nrole = \"clustering\"\nscale = \"s_ziel_effizienz\"\n# TODO check: unlabelled whole numbers from 1 to 5"), "{text}");
    // the only hand edit: the draft line
    let edited = dir.path().join("codebook.toml");
    std::fs::write(&edited, text.replace("draft = true\n", "")).unwrap();
    let codebook = edited.to_str().unwrap();
    assert!(
        assignments(&shipped_survey(), &["--codebook", codebook])
            == assignments(&shipped_survey(), &[])
    );
}

#[test]
fn a_codebook_draft_names_a_cluster_pattern_that_finds_nothing_or_text() {
    let dir = tempdir();
    let draft = dir.path().join("draft.toml");
    for (pattern, message) in [
        (
            "q*",
            "--cluster q*: no column of the file is named so (or matches)",
        ),
        (
            "id",
            "--cluster id: column id is drafted identifier and cannot be clustered",
        ),
    ] {
        let (_, stderr) = run(
            &[
                "codebook".into(),
                shipped_survey().into(),
                "--out".into(),
                draft.clone().into(),
                "--cluster".into(),
                pattern.into(),
            ],
            1,
        );
        assert!(stderr.contains(message), "{stderr}");
        assert!(!draft.exists());
    }
}

#[test]
fn save_into_writes_a_copy_beside_and_never_over_the_input() {
    let dir = tempdir();
    let sav = dir.path().join("umfrage.sav");
    std::fs::copy(format_fixture("survey-pspp.sav"), &sav).unwrap();
    let out = dir.path().join("out");
    let arg = |p: &Path| OsString::from(p);
    let cluster = |into: &Path, code: i32| {
        run(
            &[
                "cluster".into(),
                arg(&sav),
                "--out".into(),
                arg(&out),
                "--save-into".into(),
                arg(into),
            ],
            code,
        )
    };
    let (_, stderr) = cluster(&sav, 2);
    assert!(stderr.contains("--save-into"), "{stderr}");
    let link = dir.path().join("link.sav");
    std::fs::hard_link(&sav, &link).unwrap();
    let (_, stderr) = cluster(&link, 2);
    assert!(stderr.contains("another link to the same file"), "{stderr}");
    let (_, stderr) = cluster(&dir.path().join("copy.csv"), 2);
    assert!(stderr.contains("so name it .sav"), "{stderr}");
    let before = std::fs::read(&sav).unwrap();
    let copy = dir.path().join("copy.sav");
    let (stdout, _) = cluster(&copy, 0);
    assert!(stdout.contains("(the survey with typ, typ_abstand and typ_marge added)"));
    assert_eq!(std::fs::read(&sav).unwrap(), before);
    // the copy is still the survey: read with a mapping that leaves the new variables out
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "ignore = [\"typ\", \"typ_abstand\", \"typ_marge\"]\n").unwrap();
    let stdout = validate(&copy, &["--mapping", map.to_str().unwrap()], 0);
    assert!(
        stdout.contains("412 rows, 96 columns; SPSS system file, bytecode-compressed"),
        "{stdout}"
    );
    assert!(stdout.contains("  typ left out (ignore)\n  typ_abstand left out (ignore)\n"));
}

#[test]
fn cluster_on_parquet_from_pandas_and_from_export_gives_the_csvs_assignments() {
    let csv = assignments(&shipped_survey(), &[]);
    assert!(assignments(&format_fixture("survey-pandas.parquet"), &[]) == csv);
    let dir = tempdir();
    let exported = dir.path().join("export.parquet");
    let args: Vec<OsString> = vec![
        "export".into(),
        shipped_survey().into(),
        "--out".into(),
        exported.clone().into(),
    ];
    run(&args, 0);
    let stdout = validate(&exported, &[], 0);
    assert!(
        stdout.contains("Parquet file, 189 columns, 412 rows in 1 row group"),
        "{stdout}"
    );
    assert!(assignments(&exported, &[]) == csv);
}

#[test]
fn parquet_columns_left_out_are_named_and_categories_read_as_their_text() {
    let file = format_fixture("survey-pandas-rows.parquet");
    let args: Vec<OsString> = vec!["validate".into(), file.clone().into()];
    let (stdout, stderr) = run(&args, 0);
    assert!(
        stdout.contains("138 rows, 96 columns; Parquet file, 97 columns"),
        "{stdout}"
    );
    assert!(stdout.contains("No problems found."), "{stdout}");
    let all = format!("{stdout}{stderr}");
    assert!(
        all.contains("1 column (__index_level_0__) left out: pandas' index"),
        "{all}"
    );
}

#[test]
fn a_file_named_parquet_that_is_not_one_is_refused() {
    let dir = tempdir();
    let file = dir.path().join("survey.parquet");
    std::fs::copy(shipped_survey(), &file).unwrap();
    let args: Vec<OsString> = vec!["validate".into(), file.into()];
    let (stdout, stderr) = run(&args, 1);
    let all = format!("{stdout}{stderr}");
    assert!(
        all.contains("is named .parquet but is not a Parquet file"),
        "{all}"
    );
}

/// Bytes of a valid Parquet file changed at random (seeded) are read or refused, never a crash:
/// polars' own errors, its panics (caught and reported) and page headers that declare more values
/// than their column chunk (refused before polars allocates them) all end as the file's problem.
#[test]
fn parquet_files_with_changed_bytes_are_read_or_refused_without_a_crash() {
    use std::sync::Arc;
    use typfrage::survey::{load_bytes, Codebook};
    let codebook = Arc::new(Codebook::builtin());
    let valid = std::fs::read(format_fixture("survey-pandas-rows.parquet")).unwrap();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let (mut read, mut refused) = (0, 0);
    for round in 0..300 {
        let mut bytes = valid.clone();
        let changes = [1, 2, 8, 40][round % 4];
        for _ in 0..changes {
            // half the rounds change the footer's last 2 KiB, where the schema and sizes are
            let from = if round % 2 == 0 {
                bytes.len() - 2048
            } else {
                4
            };
            let at = from + next(bytes.len() - 8 - from);
            bytes[at] = next(256) as u8;
        }
        match load_bytes(&bytes, "changed.parquet", codebook.clone()) {
            Ok(_) => read += 1,
            Err(e) => {
                assert!(e.to_string().contains("changed.parquet"), "{e}");
                refused += 1;
            }
        }
    }
    assert!(refused > 100, "{read} read, {refused} refused");
}

/// `--save-into` of a Parquet survey: a Parquet copy with every column of the input as it was and
/// the type (codes and a categorical of the names), the distance and the margin appended, each row's
/// type the one of assignments.csv.
#[test]
fn save_into_a_parquet_survey_appends_the_type_to_a_parquet_copy() {
    use polars::prelude::{DataType, ParquetReader, SerReader};
    let dir = tempdir();
    let (out, copy) = (dir.path().join("out"), dir.path().join("copy.parquet"));
    let input = format_fixture("survey-pandas.parquet");
    let args: Vec<OsString> = vec![
        "cluster".into(),
        input.clone().into(),
        "--out".into(),
        out.clone().into(),
        "--save-into".into(),
        copy.clone().into(),
    ];
    run(&args, 0);
    let read = |path: &Path| {
        ParquetReader::new(std::fs::File::open(path).unwrap())
            .finish()
            .unwrap()
    };
    let (before, after) = (read(&input), read(&copy));
    assert_eq!(after.height(), before.height());
    for column in before.columns() {
        assert!(
            after.column(column.name()).unwrap().equals_missing(column),
            "{}",
            column.name()
        );
    }
    assert!(matches!(
        after.column("typ_label").unwrap().dtype(),
        DataType::Enum(..)
    ));
    let names = after
        .column("typ_label")
        .unwrap()
        .cast(&DataType::String)
        .unwrap();
    let names = names.str().unwrap();
    let ids = after.column("id").unwrap().str().unwrap().clone();
    let assigned = std::fs::read_to_string(out.join("assignments.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(assigned.as_bytes());
    let mut checked = 0;
    for record in rows.records() {
        let record = record.unwrap();
        let at = ids.iter().position(|id| id == Some(&record[0])).unwrap();
        if record[9].is_empty() {
            assert_eq!(names.get(at), Some(&record[2]), "{}", &record[0]);
            checked += 1;
        } else {
            assert_eq!(names.get(at), None, "{} was left out", &record[0]);
        }
    }
    assert!(checked > 300, "{checked}");
    // the copy clustered again (its added columns left out by a mapping) cannot take the same names
    let mapping = dir.path().join("map.toml");
    std::fs::write(
        &mapping,
        "ignore = [\"typ\", \"typ_label\", \"typ_abstand\", \"typ_marge\"]\n",
    )
    .unwrap();
    let again: Vec<OsString> = vec![
        "cluster".into(),
        copy.clone().into(),
        "--mapping".into(),
        mapping.into(),
        "--out".into(),
        dir.path().join("again").into(),
        "--save-into".into(),
        dir.path().join("copy2.parquet").into(),
    ];
    let (stdout, stderr) = run(&again, 1);
    let all = format!("{stdout}{stderr}");
    assert!(
        all.contains("the file already has a column named 'typ'"),
        "{all}"
    );
    assert!(!dir.path().join("copy2.parquet").exists());
}

#[test]
fn cluster_needs_only_the_identifier_and_the_clustering_variables() {
    // the shipped survey's identifier, goals and two profile columns
    let body = common::shipped_survey_body();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| {
            let name = &header[i];
            name == "id"
                || name.starts_with("ziel_")
                || name == "bundesland"
                || name == "fim_bekannt"
        })
        .collect();
    assert_eq!(keep.len(), 14);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(keep.iter().map(|&i| header[i].as_str()))
        .unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        w.write_record(keep.iter().map(|&i| &record[i])).unwrap();
    }
    let dir = tempdir();
    let file = dir.path().join("few.csv");
    std::fs::write(&file, w.into_inner().unwrap()).unwrap();
    let out = dir.path().join("out");
    let (stdout, _) = run(
        &[
            "cluster".into(),
            file.clone().into(),
            "--out".into(),
            out.clone().into(),
            "--report".into(),
        ],
        0,
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("left out: the file lacks 82 variables of the codebook, so the profiles say nothing about them: gebietskoerperschaft, einwohner, groessenklasse,"))
            .count(),
        1,
        "{stdout}"
    );
    let crosstabs = std::fs::read_to_string(out.join("crosstabs.md")).unwrap();
    assert!(crosstabs.contains("(bundesland)") && crosstabs.contains("(fim_bekannt)"));
    assert!(!crosstabs.contains("(strategie_status)"), "{crosstabs}");
    assert!(out.join("report.html").exists());
    // the same partition, names and certainty (a report counts it) as from the whole file
    assert!(
        std::fs::read(out.join("assignments.csv")).unwrap()
            == assignments(&shipped_survey(), &["--certainty"])
    );
}
