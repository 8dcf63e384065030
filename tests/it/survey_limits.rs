//! Hostile survey files: small SPSS files and workbooks that asked a reader for far more memory or
//! time than they honestly hold, codebook drafts that were not TOML, and `--save-into` copies that
//! lost what the input was. Each test is named after the finding it guards (issue 27) and ran the
//! real binary on a file crafted here; the memory and CPU bounds are the shell's `ulimit`, far
//! above what the reader needs now and far below what it took before.

use std::path::{Path, PathBuf};

use crate::craft::{
    self, bytecode, ods, ods_number, ods_text, xls, xlsx, zlib, zsav_data, Sav, XlsCell,
};

/// Runs `typfrage ARGS` in `dir` with at most `memory_mib` of address space and `cpu_seconds` of
/// CPU time; returns the exit code (none when a limit killed it), stdout and stderr.
fn run_bounded(
    dir: &Path,
    memory_mib: u64,
    cpu_seconds: u64,
    args: &[&str],
) -> (Option<i32>, String, String) {
    let bin = assert_cmd::cargo::cargo_bin("typfrage");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {} && ulimit -t {cpu_seconds} && exec \"$0\" \"$@\"",
            memory_mib * 1024
        ))
        .arg(bin)
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

// ---- the crafted files (each at most 100 KB unless its name says otherwise) ----

/// 1,800 numeric variables and one value label record of 1,800 labels that names every one of
/// them (each variable once took its own copy of the labels).
fn labels_shared_by_many_variables() -> Vec<u8> {
    let mut sav = Sav::new(false);
    let n = 1_800;
    for i in 0..n {
        sav.numeric(&format!("V{i:05}"), &[], None);
    }
    let labels: Vec<(f64, String)> = (0..1_800).map(|k| (k as f64, format!("L{k:06}"))).collect();
    let elements: Vec<i32> = (1..=n as i32).collect();
    sav.value_labels(&labels, &elements);
    sav.finish(&bytecode(1, &vec![1.0; n]))
}

/// A .zsav file whose trailer lists its one block (a few KB, inflating to 4 MB) 2,000 times.
fn zsav_block_listed_again_and_again() -> Vec<u8> {
    let mut sav = Sav::new(true);
    sav.numeric("x", &[], None);
    let data = vec![1 + 100u8; craft::BLOCK_SIZE];
    let block = zlib(&data);
    let mut out = sav.dictionary();
    let entries: Vec<(usize, usize)> = (0..2_000).map(|k| (k * data.len(), data.len())).collect();
    out.extend(zsav_data(out.len(), &block, &entries));
    out
}

/// A .zsav file whose one block declares 1,000 bytes and inflates to 90 MB.
fn zsav_block_inflating_past_its_size() -> Vec<u8> {
    let mut sav = Sav::new(true);
    sav.numeric("x", &[], None);
    let data = vec![1 + 100u8; 90 << 20];
    let block = zlib(&data);
    let mut out = sav.dictionary();
    out.extend(zsav_data(out.len(), &block, &[(0, 1_000)]));
    out
}

/// A .zsav file of 2 million user-missing cells (-1, in the range -2000 to -1) of a variable with
/// 5,000 value labels, which were searched one by one for every cell.
fn user_missing_cells_among_many_labels() -> Vec<u8> {
    let mut sav = Sav::new(true);
    sav.numeric("x", &[], Some((-2_000.0, -1.0)));
    let labels: Vec<(f64, String)> = (0..5_000)
        .map(|k| (-(k as f64) - 2.0, format!("L{k}")))
        .collect();
    sav.value_labels(&labels, &[1]);
    sav.finish(&bytecode(2_000_000, &[-1.0]))
}

/// An SPSS file of `n` numeric variables with long names (over 100 KB when `n` is large).
fn many_variables(n: usize) -> Vec<u8> {
    let mut sav = Sav::new(false);
    let mut names = Vec::with_capacity(n);
    for i in 0..n {
        let short = format!("V{i:07}");
        names.push((short.clone(), format!("variable_{i}")));
        sav.numeric(&short, &[], None);
    }
    sav.long_names(&names);
    sav.finish(&bytecode(2, &vec![1.0; n]))
}

/// An .xlsx workbook with a cell at A1 and one at XFD1048576, the sheet's far corner.
fn xlsx_far_corner() -> Vec<u8> {
    xlsx(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        &["id".to_string()],
    )
}

/// An .xls workbook with a number at A1 and one at row 65,536, column 65,536: the furthest
/// corner a BIFF8 cell record can name (calamine held the rectangle between them: 4.3 billion
/// cells, an allocation that aborts).
fn xls_far_corner() -> Vec<u8> {
    xls(
        "Befragung",
        &[
            XlsCell::Number(0, 0, 1.0),
            XlsCell::Number(u16::MAX, u16::MAX, 2.0),
        ],
        (0, 1),
        (0, 1),
    )
}

/// An .xls workbook of two cells whose DIMENSIONS record declares 16 million rows by 256
/// columns (calamine reserved room for every declared cell before reading one).
fn xls_declared_dimensions() -> Vec<u8> {
    xls(
        "Befragung",
        &[XlsCell::Number(0, 0, 1.0), XlsCell::Number(1, 0, 2.0)],
        (0, 1 << 24),
        (0, 256),
    )
}

/// An .xlsx workbook whose one shared string of 8 MB fills 2,000 cells.
fn xlsx_one_long_string_in_many_cells() -> Vec<u8> {
    let mut rows = String::from(
        r#"<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c></row>"#,
    );
    for r in 2..=2_001 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="B{r}"><v>1</v></c></row>"#
        ));
    }
    xlsx(
        &rows,
        &[
            "x".repeat(8 << 20),
            "id".to_string(),
            "ziel_effizienz".to_string(),
        ],
    )
}

/// An .ods spreadsheet whose second row, of 40 cells, is repeated 1,048,575 times.
fn ods_repeated_row() -> Vec<u8> {
    let header: String = (0..40).map(|j| ods_text(&format!("c{j}"))).collect();
    let cells: String = (0..40).map(|j| ods_number(j as f64)).collect();
    ods(&format!(
        r#"<table:table-row>{header}</table:table-row><table:table-row table:number-rows-repeated="1048575">{cells}</table:table-row>"#
    ))
}

/// An SPSS file of 1,500 coded variables and 3,000 cases in which every variable holds the
/// not-applicable code in two cases, and no earlier variable tells those cases apart (the draft
/// searched every earlier variable in every case for each).
fn many_routed_variables() -> Vec<u8> {
    let (n, cases) = (1_500, 3_000);
    let mut sav = Sav::new(true);
    sav.numeric("id", &[], None);
    for i in 0..n {
        sav.numeric(&format!("V{i:05}"), &[-9.0], None);
    }
    let mut labels: Vec<(f64, String)> =
        (1..=5).map(|k| (k as f64, format!("Stufe {k}"))).collect();
    labels.push((-9.0, "keine Angabe".into()));
    labels.push((-8.0, "trifft nicht zu".into()));
    let elements: Vec<i32> = (2..=n + 1).collect();
    sav.value_labels(&labels, &elements);
    let values = (0..cases).flat_map(|r| {
        std::iter::once(1_000.0 + r as f64).chain((0..n).map(move |v| {
            if r % n == v {
                -8.0
            } else {
                1.0 + ((r + v) % 5) as f64
            }
        }))
    });
    sav.finish(&craft::compress(values))
}

/// Every crafted file that is at most 100 KB, by name.
fn small_hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let mut files = vec![
        ("labels-shared.sav", labels_shared_by_many_variables()),
        (
            "zsav-block-repeated.zsav",
            zsav_block_listed_again_and_again(),
        ),
        (
            "zsav-block-past-size.zsav",
            zsav_block_inflating_past_its_size(),
        ),
        ("user-missing.zsav", user_missing_cells_among_many_labels()),
        ("far-corner.xlsx", xlsx_far_corner()),
        (
            "long-shared-string.xlsx",
            xlsx_one_long_string_in_many_cells(),
        ),
        ("repeated-row.ods", ods_repeated_row()),
        ("far-corner.xls", xls_far_corner()),
        ("declared-dimensions.xls", xls_declared_dimensions()),
        ("many-routed.zsav", many_routed_variables()),
    ];
    files.extend(crate::workbook_limits::small_hostile_workbooks());
    files.extend(crate::ods_limits::small_hostile_spreadsheets());
    files
}

/// Writes the crafted files into `$TYPFRAGE_HOSTILE_DIR`, for `scripts/measure-hostile.sh`.
#[test]
#[ignore = "writes files for the measurement script"]
fn write_the_hostile_files() {
    let dir = PathBuf::from(std::env::var("TYPFRAGE_HOSTILE_DIR").expect("a folder"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in small_hostile_files() {
        write(&dir, name, &bytes);
    }
    write(&dir, "many-variables-80000.sav", &many_variables(80_000));
}

#[test]
fn the_crafted_files_are_small() {
    for (name, bytes) in small_hostile_files() {
        assert!(bytes.len() <= 100 << 10, "{name}: {} bytes", bytes.len());
    }
}

// ---- the readers: each crafted file is refused or read, within a bound it once far exceeded ----

/// The memory (address space) and CPU time each hostile run may take: far above what the reader
/// needs now, far below what it took before (the red team measured 0.7 to 550 GB and 20 to 60 s).
const MEMORY_MIB: u64 = 1_024;
const CPU_SECONDS: u64 = 10;

/// Runs `typfrage ARGS` on the crafted `file` (written into a fresh folder as `name`), within
/// the bounds; returns the exit code and what it printed (stdout, then stderr).
pub fn run_on(name: &str, file: &[u8], args: &[&str]) -> (Option<i32>, String) {
    let dir = crate::common::tempdir();
    write(dir.path(), name, file);
    let mut all = args.to_vec();
    all.insert(1, name);
    let (code, stdout, stderr) = run_bounded(dir.path(), MEMORY_MIB, CPU_SECONDS, &all);
    (code, stdout + &stderr)
}

#[test]
fn zsav_trailer_listing_one_block_again_and_again_is_refused() {
    let (code, stderr) = run_on(
        "x.zsav",
        &zsav_block_listed_again_and_again(),
        &["validate"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("each block is read once"), "{stderr}");
}

#[test]
fn zsav_block_inflating_past_its_declared_size_is_refused() {
    let (code, stderr) = run_on(
        "x.zsav",
        &zsav_block_inflating_past_its_size(),
        &["validate"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("inflates to more than the 1000 bytes its trailer entry"),
        "{stderr}"
    );
}

#[test]
fn spss_file_with_more_variables_than_a_csv_may_have_columns_is_refused() {
    for command in ["validate", "codebook"] {
        let args = [command, "--out", "draft.toml"];
        let args = &args[..if command == "codebook" { 3 } else { 1 }];
        let (code, stderr) = run_on("x.sav", &many_variables(10_001), args);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains("its dictionary has more than 10000 variables"),
            "{stderr}"
        );
    }
}

#[test]
fn spss_value_labels_shared_by_many_variables_are_read_within_bounds() {
    let (code, stderr) = run_on("x.sav", &labels_shared_by_many_variables(), &["validate"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("column V00000: is not in the codebook"),
        "{stderr}"
    );
}

/// 2 million user-missing cells of a variable with 5,000 value labels, behind a string variable
/// (blank in every case) that the draft takes for the identifier, so that `codebook` turns every
/// cell into text when it checks the file against its draft.
fn user_missing_cells_behind_an_identifier() -> Vec<u8> {
    let mut sav = Sav::new(true);
    sav.string("id", 8);
    sav.numeric("x", &[], Some((-2_000.0, -1.0)));
    let labels: Vec<(f64, String)> = (0..5_000)
        .map(|k| (-(k as f64) - 2.0, format!("L{k}")))
        .collect();
    sav.value_labels(&labels, &[2]);
    // per case: 254 (eight blanks), then -1 as its command byte (-1 + bias)
    let cases: Vec<u8> = std::iter::repeat_n([254u8, 99], 2_000_000)
        .flatten()
        .collect();
    let mut out = sav.dictionary();
    let blocks: Vec<(Vec<u8>, usize)> = cases
        .chunks(craft::BLOCK_SIZE)
        .map(|c| (zlib(c), c.len()))
        .collect();
    out.extend(craft::zsav_blocks(out.len(), &blocks));
    out
}

#[test]
fn spss_user_missing_cells_are_found_by_a_map_not_by_scanning_all_labels() {
    let file = user_missing_cells_behind_an_identifier();
    assert!(file.len() <= 100 << 10, "{}", file.len());
    let (code, stderr) = run_on("x.zsav", &file, &["codebook", "--out", "draft.toml"]);
    assert!(code.is_some(), "stopped by the bounds: {stderr}");
    assert!(
        !stderr.contains("cannot be read"),
        "the file is read: {stderr}"
    );
}

#[test]
fn xlsx_cell_in_the_sheets_far_corner_is_refused_before_calamine_reads_it() {
    let (code, stderr) = run_on("x.xlsx", &xlsx_far_corner(), &["validate"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the sheet 'Befragung' reaches cell XFD1048576"),
        "{stderr}"
    );
}

#[test]
fn xls_cell_in_the_far_corner_is_refused_before_calamine_reads_it() {
    let (code, stderr) = run_on("x.xls", &xls_far_corner(), &["validate"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the sheet 'sheet 1' reaches cell CRXP65536"),
        "{stderr}"
    );
}

#[test]
fn xls_dimensions_declaring_millions_of_rows_are_refused_before_calamine_reserves_them() {
    let (code, stderr) = run_on("x.xls", &xls_declared_dimensions(), &["validate"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("declares a used range of 4294967296 cells (its DIMENSIONS record)"),
        "{stderr}"
    );
}

#[test]
fn xls_of_the_shipped_survey_is_read_within_the_limits() {
    let text = shipped_text();
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    let mut width = 0;
    let mut height = 0;
    for (r, record) in reader.records().enumerate() {
        let record = record.unwrap();
        width = width.max(record.len());
        height = r + 1;
        for (c, field) in record.iter().enumerate() {
            let (r, c) = (r as u16, c as u16);
            match field.parse::<f64>() {
                _ if field.is_empty() => {}
                Ok(x) => cells.push(XlsCell::Number(r, c, x)),
                Err(_) => cells.push(XlsCell::Text(r, c, field.to_string())),
            }
        }
    }
    let file = xls("Befragung", &cells, (0, height as u32), (0, width as u16));
    let (code, out) = run_on("x.xls", &file, &["validate"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Excel workbook (.xls)"), "{out}");
}

#[test]
fn xlsx_long_shared_string_used_in_many_cells_is_refused() {
    let (code, stderr) = run_on(
        "x.xlsx",
        &xlsx_one_long_string_in_many_cells(),
        &["validate"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("has 8388608 characters; expected at most 32767"),
        "{stderr}"
    );
}

#[test]
fn xlsx_used_range_beyond_the_cell_limit_is_refused() {
    // a used range of 2,100 rows and 2,000 columns (A1 to BXX2100): 4.2 million cells
    let file = xlsx(
        r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2100"><c r="BXX2100"><v>1</v></c></row>"#,
        &[],
    );
    assert!(file.len() <= 100 << 10, "{}", file.len());
    let (code, stderr) = run_on("x.xlsx", &file, &["validate"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("expected at most 4194304"), "{stderr}");
}

#[test]
fn ods_row_repeated_a_million_times_is_refused() {
    let (code, stderr) = run_on("x.ods", &ods_repeated_row(), &["validate"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the sheet 'Befragung' reaches cell"),
        "{stderr}"
    );
    assert!(stderr.contains("expected at most 4194304"), "{stderr}");
}

#[test]
fn ods_cell_of_repeated_spaces_is_refused() {
    let header: String = ["a", "b"].iter().map(|t| ods_text(t)).collect();
    let cell = r#"<table:table-cell office:value-type="string"><text:p>x<text:s text:c="100000000"/></text:p></table:table-cell>"#;
    let file = ods(&format!(
        "<table:table-row>{header}</table:table-row><table:table-row>{cell}{cell}</table:table-row>"
    ));
    let (code, stderr) = run_on("x.ods", &file, &["validate"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("characters in cell A2"), "{stderr}");
}

// ---- the codebook draft ----

/// An SPSS file (UTF-8) whose variables' long names are no bare TOML keys, differ only in case,
/// or try to end the line they are written on; each with value labels, so each gets a scale.
fn hostile_names() -> (Vec<u8>, Vec<String>) {
    let names: Vec<String> = ["größe", "v1.2", "Abc", "ABC", "x\"]\nevil = 1\n[y", "a b"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut sav = Sav::new(false);
    sav.utf8();
    sav.string("ID", 8);
    let mut pairs = vec![("ID".to_string(), "id".to_string())];
    for (i, name) in names.iter().enumerate() {
        let short = format!("V{i}");
        sav.numeric(&short, &[], None);
        pairs.push((short, name.clone()));
    }
    sav.long_names(&pairs);
    let labels: Vec<(f64, String)> = (1..=3).map(|k| (k as f64, format!("Stufe {k}"))).collect();
    for i in 0..names.len() {
        // each variable its own scale: a label only it has
        let mut own = labels.clone();
        own.push((10.0 + i as f64, format!("eigen {i}")));
        sav.value_labels(&own, &[i as i32 + 2]);
    }
    let mut data = Vec::new();
    for case in 0..3 {
        data.push(craft::STRING_BLANKS);
        data.extend(std::iter::repeat_n(1.0 + case as f64, names.len()));
    }
    let bytes = sav.finish(&craft::compress(data));
    (bytes, names)
}

#[test]
fn codebook_draft_of_hostile_variable_names_is_toml_that_reads_back() {
    let (file, names) = hostile_names();
    let dir = crate::common::tempdir();
    write(dir.path(), "x.sav", &file);
    let (code, _, stderr) = run_bounded(
        dir.path(),
        MEMORY_MIB,
        CPU_SECONDS,
        &["codebook", "x.sav", "--out", "draft.toml"],
    );
    assert!(code.is_some(), "{stderr}");
    let text = std::fs::read_to_string(dir.path().join("draft.toml")).expect("a draft");
    let draft: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(!draft.contains_key("evil"), "{text}");
    let variables = draft["variable"].as_array().unwrap();
    let written: Vec<&str> = variables
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    for name in &names {
        assert!(written.contains(&name.as_str()), "{name}: {written:?}");
    }
    // six variables, six scales, each variable's own
    let scales = draft["scale"].as_table().unwrap();
    assert_eq!(scales.len(), names.len(), "{text}");
    let mut used: Vec<&str> = variables
        .iter()
        .filter_map(|v| v.get("scale").and_then(|s| s.as_str()))
        .collect();
    used.sort_unstable();
    used.dedup();
    assert_eq!(used.len(), names.len(), "{text}");
}

#[test]
fn codebook_draft_over_many_variables_and_cases_is_linear() {
    let (code, stderr) = run_on(
        "x.zsav",
        &many_routed_variables(),
        &["codebook", "--out", "draft.toml"],
    );
    assert!(code.is_some(), "stopped by the bounds: {stderr}");
    assert!(!stderr.contains("cannot"), "{stderr}");
}

// ---- the survey's copy with the types added (`cluster --save-into`) ----

/// Runs `cluster survey.csv --out out --save-into copy.csv ARGS` on `survey` (bytes) in a fresh
/// folder; returns the folder, the exit code and stderr.
fn save_into_csv(
    survey: &[u8],
    files: &[(&str, &str)],
    args: &[&str],
) -> (tempfile::TempDir, Option<i32>, String) {
    let dir = crate::common::tempdir();
    write(dir.path(), "survey.csv", survey);
    for (name, text) in files {
        write(dir.path(), name, text.as_bytes());
    }
    let mut all = vec![
        "cluster",
        "survey.csv",
        "--out",
        "out",
        "--save-into",
        "copy.csv",
    ];
    all.extend_from_slice(args);
    let (code, _, stderr) = run_bounded(dir.path(), 4_096, 120, &all);
    (dir, code, stderr)
}

fn shipped_text() -> String {
    std::fs::read_to_string(crate::common::shipped_survey()).unwrap()
}

/// The built-in types with two names a spreadsheet would take for formulas.
fn types_named_like_formulas() -> String {
    let types = std::fs::read_to_string(crate::common::root().join("data/types.toml")).unwrap();
    let types = types
        .replace(
            r#"name_de = "Die Optimierer""#,
            r#"name_de = "=HYPERLINK(\"x\")""#,
        )
        .replace(
            r#"name_en = "The Optimisers""#,
            r#"name_en = "=HYPERLINK(\"x\")""#,
        );
    assert!(types.contains("HYPERLINK"));
    types
}

#[test]
fn save_into_csv_copy_keeps_windows_1252_and_crlf_and_writes_type_names_formula_safe() {
    let text = shipped_text().replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable && std::str::from_utf8(&bytes).is_err());
    let types = types_named_like_formulas();
    let (dir, code, stderr) = save_into_csv(
        &bytes,
        &[("types.toml", &types)],
        &["--types", "types.toml"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let copy = std::fs::read(dir.path().join("copy.csv")).unwrap();
    assert!(std::str::from_utf8(&copy).is_err(), "written as UTF-8");
    let (copy, _, malformed) = encoding_rs::WINDOWS_1252.decode(&copy);
    assert!(!malformed);
    assert!(copy.contains("ÖFIT"), "{}", &copy[..200]);
    assert_eq!(copy.matches('\n').count(), copy.matches("\r\n").count());
    let header = copy.lines().find(|l| l.starts_with("id,")).unwrap();
    assert!(header.contains(",typ_name"), "{header}");
    assert!(
        copy.contains("'=HYPERLINK"),
        "the type names are formula-safe"
    );
    assert!(!copy.contains(",=HYPERLINK") && !copy.contains(",\"=HYPERLINK"));
}

#[test]
fn save_into_csv_copy_of_utf16_keeps_its_byte_order_mark_and_encoding() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in shipped_text().encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let (dir, code, stderr) = save_into_csv(&bytes, &[], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let copy = std::fs::read(dir.path().join("copy.csv")).unwrap();
    assert_eq!(&copy[..2], &[0xFF, 0xFE]);
    let units: Vec<u16> = copy[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let copy = String::from_utf16(&units).expect("UTF-16LE");
    assert!(copy.starts_with("# SYNTHETIC"), "{}", &copy[..100]);
    let header = copy.lines().find(|l| l.starts_with("id,")).unwrap();
    assert!(header.contains(",typ_name"), "{header}");
}

#[test]
fn save_into_csv_that_already_has_the_added_columns_is_refused() {
    let text: String = shipped_text()
        .lines()
        .map(|line| {
            if line.starts_with('#') {
                format!("{line}\n")
            } else if line.starts_with("id,") {
                format!("{line},Typ_Name\n")
            } else {
                format!("{line},x\n")
            }
        })
        .collect();
    let (dir, code, stderr) = save_into_csv(
        text.as_bytes(),
        &[("map.toml", "ignore = [\"Typ_Name\"]\n")],
        &["--mapping", "map.toml"],
    );
    assert_ne!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("the file already has a column named 'Typ_Name'"),
        "{stderr}"
    );
    assert!(!dir.path().join("copy.csv").exists());
}
