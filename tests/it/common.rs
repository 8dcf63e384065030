//! Helpers shared by the integration tests: the real binary, fixture paths, the shipped data.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use assert_cmd::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(name)
}

pub fn shipped_survey() -> PathBuf {
    root().join("data").join("survey.csv")
}

/// The `typfrage` binary, run in a fresh temporary directory, in the C locale (so English where
/// a test does not pass `--lang`), whatever the machine's locale is.
pub fn typfrage(dir: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("typfrage").expect("the binary is built");
    cmd.current_dir(dir.path());
    in_locale(&mut cmd, "C");
    cmd
}

/// Runs `cmd` with `LANG` set to `lang` and no `LC_ALL` or `LC_MESSAGES` to override it.
pub fn in_locale(cmd: &mut Command, lang: &str) {
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang);
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// The folder written by `typfrage COMMAND <shipped survey> ARGS --out FOLDER` (in the C locale),
/// run once per test binary and shared by every test that asks for the same command: for the
/// expensive runs on the shipped data that several tests only read. No test may change what it
/// shares. The folders are below cargo's `target/tmp/it-shared`, replaced by the next test run.
pub fn shared_run(command: &str, args: &[&str]) -> PathBuf {
    type Runs = Vec<(Vec<String>, Arc<OnceLock<PathBuf>>)>;
    static RUNS: Mutex<Runs> = Mutex::new(Vec::new());
    let key: Vec<String> = std::iter::once(command)
        .chain(args.iter().copied())
        .map(String::from)
        .collect();
    let run = {
        let mut runs = RUNS.lock().unwrap_or_else(|e| e.into_inner());
        let index = match runs.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                runs.push((key.clone(), Arc::new(OnceLock::new())));
                runs.len() - 1
            }
        };
        (index, Arc::clone(&runs[index].1))
    };
    let (index, cell) = run;
    cell.get_or_init(|| {
        let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("it-shared")
            .join(format!(
                "{index}-{}",
                key.join("_").replace(['/', ' '], "-")
            ));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let mut cmd = Command::cargo_bin("typfrage").expect("the binary is built");
        cmd.current_dir(&folder);
        in_locale(&mut cmd, "C");
        success_stdout(
            cmd.arg(command)
                .arg(shipped_survey())
                .args(args)
                .args(["--out", "out"]),
        );
        folder.join("out")
    })
    .clone()
}

/// Stdout of `typfrage validate FIXTURE`, which must exit with `code`.
pub fn validate_fixture(name: &str, code: i32) -> String {
    let dir = tempdir();
    let out = typfrage(&dir)
        .arg("validate")
        .arg(fixture(name))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs `cmd`, asserts that it succeeded (showing stderr otherwise) and returns its stdout.
pub fn success_stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs `cmd`, asserts that it exited with `code` and returns its stderr.
pub fn failure_stderr(cmd: &mut Command, code: i32) -> String {
    let out = cmd.output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).expect("UTF-8 output")
}

/// The shipped survey without its `#` comment lines: header and rows, as a CSV reader wants them.
pub fn shipped_survey_body() -> String {
    std::fs::read_to_string(shipped_survey())
        .expect("the shipped survey")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Decodes a PNG, returning its width and height.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG image data");
    (info.width, info.height)
}

/// The shipped survey's header and rows as text cells (comment lines dropped).
pub fn shipped_rows() -> (Vec<String>, Vec<Vec<String>>) {
    let body = shipped_survey_body();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The rows of a CSV file as maps from column name to value.
pub type Rows = Vec<std::collections::HashMap<String, String>>;

/// [`Rows`] of a CSV file separated by `delimiter` (a byte-order mark is skipped).
pub fn csv_rows_with(path: &Path, delimiter: u8) -> Rows {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .map(str::to_string)
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// [`Rows`] of a comma-separated file.
pub fn csv_rows(path: &Path) -> Rows {
    csv_rows_with(path, b',')
}
