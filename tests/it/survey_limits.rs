//! Hostile survey files: small SPSS files and workbooks that asked a reader for far more memory or
//! time than they honestly hold, codebook drafts that were not TOML, and `--save-into` copies that
//! lost what the input was. Each test is named after the finding it guards (issue 27) and ran the
//! real binary on a file crafted here; the memory and CPU bounds are the shell's `ulimit`, far
//! above what the reader needs now and far below what it took before.

use std::path::{Path, PathBuf};

use crate::craft::{self, bytecode, ods, ods_number, ods_text, xlsx, zlib, zsav_data, Sav};

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
    let elements: Vec<i32> = (2..=n as i32 + 1).collect();
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
    vec![
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
        ("many-routed.zsav", many_routed_variables()),
    ]
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
