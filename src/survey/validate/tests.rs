//! The checks on generated files of many blocks: in blocks or whole, from disk or from memory,
//! with a mapping or some columns only, the same survey and the same problems.

use std::sync::Arc;

use super::load::{check_raw, load_file_in_blocks};
use super::*;
use crate::survey::read::read_raw;
use crate::survey::read::scan::{self, Scanned};

/// The shipped survey's rows repeated to `rows` rows with new identifiers, separated by `sep`;
/// `edit(row, column name, cell)` may change any cell (rows counted from 0).
fn generated(rows: usize, sep: char, edit: impl Fn(usize, &str, &str) -> String) -> Vec<u8> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/survey.csv"),
    )
    .unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let data: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut out = String::from("# generated\n");
    out.push_str(&header.join(&sep.to_string()));
    out.push('\n');
    for row in 0..rows {
        let source = &data[row % data.len()];
        let id = format!("GEN-{row:06}");
        let cells: Vec<String> = header
            .iter()
            .zip(source)
            .map(|(name, cell)| {
                let cell = if *name == "id" { id.as_str() } else { cell };
                edit(row, name, cell)
            })
            .collect();
        out.push_str(&cells.join(&sep.to_string()));
        out.push('\n');
    }
    out.into_bytes()
}

/// Loads `bytes` in blocks and as one block: the same survey, or the same problems.
fn same_either_way(bytes: &[u8]) -> Result<Loaded, SurveyError> {
    assert!(bytes.len() > 2 * BLOCK_BYTES, "{} bytes", bytes.len());
    let codebook = Arc::new(Codebook::builtin());
    let blocks = load_bytes(bytes, "x.csv", Arc::clone(&codebook));
    let whole = match read_raw(bytes) {
        Ok(raw) => check_raw(raw, Vec::new(), "x.csv", &codebook, SourceInfo::default()),
        Err(u) => Err(invalid("x.csv", u.problems, u.note, Vec::new())),
    };
    match (&blocks, &whole) {
        (Ok(a), Ok(b)) => {
            assert!(a.survey == b.survey);
            assert_eq!(a.warnings, b.warnings);
            assert_eq!(a.dialect, b.dialect);
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("blocks: {blocks:?}\nwhole: {whole:?}"),
    }
    blocks
}

#[test]
fn blocks_give_the_survey_and_problems_of_the_whole_file() {
    let plain = generated(12_000, ',', |_, _, cell| cell.to_string());
    let loaded = same_either_way(&plain).unwrap();
    assert_eq!(loaded.survey.len(), 12_000);

    // problems in every block, a duplicate and a case variant of identifiers in other blocks
    let broken = generated(12_000, ',', |row, name, cell| match (row, name) {
        (100, "ziel_effizienz") | (11_900, "ziel_offenheit") => "7".into(),
        (5_000, "id") => "GEN-000010".into(),
        (9_000, "id") => "gen-000020".into(),
        (7_000, "einwohner") => "abc".into(),
        _ => cell.to_string(),
    });
    let err = same_either_way(&broken).unwrap_err();
    let SurveyError::Invalid(problems) = err else {
        panic!("{err}")
    };
    let rows: Vec<Option<usize>> = problems.problems.iter().map(|p| p.row).collect();
    // spreadsheet rows: the comment line and the header come first
    assert_eq!(
        rows,
        [Some(103), Some(5_003), Some(7_003), Some(11_903)],
        "{:?}",
        problems.problems
    );
    assert_eq!(problems.warnings.len(), 1, "{:?}", problems.warnings);
}

/// Whether two loads agree: the same survey, warnings, dialect and source, or the same error.
fn assert_same(a: &Result<Loaded, SurveyError>, b: &Result<Loaded, SurveyError>, what: &str) {
    match (a, b) {
        (Ok(a), Ok(b)) => {
            assert!(a.survey == b.survey, "{what}");
            assert_eq!(a.warnings, b.warnings, "{what}");
            assert_eq!(a.dialect, b.dialect, "{what}");
            assert_eq!(a.source, b.source, "{what}");
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{what}"),
        _ => panic!("{what}\n{a:?}\n{b:?}"),
    }
}

#[test]
fn a_file_read_from_disk_in_blocks_is_read_as_from_memory() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut files = vec![root.join("data/survey.csv")];
    for entry in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            files.push(path);
        }
    }
    let quoted = generated(3_000, ';', |row, name, cell| match (row, name) {
        (_, "id") => format!("\"{cell}\""),
        (2_000, "einwohner") => "\"12\n3\"".into(),
        (_, "gewicht") => "1,5".into(),
        _ => cell.to_string(),
    });
    let broken = generated(3_000, ',', |row, name, cell| match (row, name) {
        (10, "ziel_effizienz") => "7".into(),
        (2_500, "id") => "GEN-000010".into(),
        (2_900, "einwohner") => "1,2".into(),
        _ => cell.to_string(),
    });
    let mut blank_end = generated(500, ',', |_, _, cell| cell.to_string());
    blank_end.extend_from_slice(b"\n  \n");
    let mut no_final_break = generated(500, '\t', |_, _, cell| cell.to_string());
    no_final_break.pop();
    let lf = String::from_utf8(generated(500, ',', |_, _, cell| cell.to_string())).unwrap();
    let crlf = lf.replace('\n', "\r\n");
    let mixed = crlf.replacen("\r\n", "\n", 300);
    let old_mac = lf.replace('\n', "\r");
    let crlf_quoted = crlf.replacen("GEN-000001", "\"GEN-000001\"", 1);
    let r_style = {
        let (head, rest) = lf.split_once("\nid,").unwrap();
        let (header, data) = rest.split_once('\n').unwrap();
        let quoted: Vec<String> = format!("id,{header}")
            .split(',')
            .map(|name| format!("\"{name}\""))
            .collect();
        format!("{head}\n{}\n{data}", quoted.join(","))
    };
    let crlf_in_a_cell = crlf.replacen("GEN-000002", "GEN-\r000002", 1);
    for (name, bytes) in [
        ("quoted.csv", quoted),
        ("broken.csv", broken),
        ("blank_end.csv", blank_end),
        ("no_final_break.tsv", no_final_break),
        ("crlf.csv", crlf.into_bytes()),
        ("mixed.csv", mixed.into_bytes()),
        ("old_mac.csv", old_mac.into_bytes()),
        ("crlf_quoted.csv", crlf_quoted.into_bytes()),
        ("crlf_in_a_cell.csv", crlf_in_a_cell.into_bytes()),
        ("quote_in_header.csv", b"a\"b,\"c\n1,2\n".to_vec()),
        ("quoted_header.csv", r_style.into_bytes()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        files.push(path);
    }
    let codebook = Arc::new(Codebook::builtin());
    let options = ReadOptions::default();
    let mut plain = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let name = path.display().to_string();
        let in_memory = load_bytes_as(&bytes, &name, &options, || Ok(Arc::clone(&codebook)));
        if matches!(scan::scan(path, BLOCK_BYTES), Ok(Scanned::Plain { .. })) {
            plain.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
        for block_bytes in [1, 100, 4096, BLOCK_BYTES] {
            let from_disk = load_file_in_blocks(
                path,
                &options,
                || Ok(Arc::clone(&codebook)),
                None,
                block_bytes,
            );
            let what = format!("{name}, blocks of {block_bytes} bytes");
            let (from_disk, sha256) = match from_disk {
                Ok((loaded, sha256)) => (Ok(loaded), Some(sha256)),
                Err(e) => (Err(e), None),
            };
            assert_same(&from_disk, &in_memory, &what);
            if let Some(sha256) = sha256 {
                assert_eq!(sha256, crate::output::sha256_hex(&bytes), "{what}");
            }
        }
    }
    // most files are plain text, read from disk block by block; the others are read whole
    let plain_ones = [
        "survey.csv",
        "quoted.csv",
        "broken.csv",
        "no_final_break.tsv",
        "crlf.csv",
        "mixed.csv",
        "quoted_header.csv",
    ];
    for name in plain_ones {
        assert!(plain.iter().any(|p| p == name), "{name}: {plain:?}");
    }
    let read_whole = [
        "blank_end.csv",
        "old_mac.csv",
        "crlf_quoted.csv",
        "crlf_in_a_cell.csv",
        "quote_in_header.csv",
    ];
    for name in read_whole {
        assert!(!plain.iter().any(|p| p == name), "{name}: {plain:?}");
    }
    assert!(plain.len() > 20 && plain.len() < files.len(), "{plain:?}");
}

/// `text` with a column renamed in the header and a column `notiz` added at the end of
/// every line.
fn renamed_with_note(text: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(text.to_vec()).unwrap();
    let mut out = String::new();
    let mut header_done = false;
    for line in text.lines() {
        if line.starts_with('#') {
            out.push_str(line);
        } else if !header_done {
            header_done = true;
            let header: Vec<&str> = line
                .split(',')
                .map(|h| if h == from { to } else { h })
                .collect();
            out.push_str(&header.join(","));
            out.push_str(",notiz");
        } else {
            out.push_str(line);
            out.push_str(",frei");
        }
        out.push('\n');
    }
    out.into_bytes()
}

#[test]
fn a_mapping_renames_and_leaves_out_columns_in_every_block() {
    let plain = generated(12_000, ',', |_, _, cell| cell.to_string());
    let mapped = renamed_with_note(&plain, "ziel_effizienz", "G01Q01");
    assert!(mapped.len() > 2 * BLOCK_BYTES);
    let options = ReadOptions {
        sheet: None,
        mapping: Some(
            super::super::Mapping::parse(
                "ignore = [\"notiz\"]\n[columns]\nG01Q01 = \"ziel_effizienz\"\n",
                "map.toml",
            )
            .unwrap(),
        ),
    };
    let codebook = Arc::new(Codebook::builtin());
    let expected = load_bytes(&plain, "x.csv", Arc::clone(&codebook)).unwrap();
    let got = load_bytes_as(&mapped, "x.csv", &options, || Ok(Arc::clone(&codebook))).unwrap();
    assert!(got.survey == expected.survey);
    assert_eq!(got.source.mapped.len(), 1);
    assert_eq!(got.source.ignored, ["notiz"]);

    // a problem in a mapped column is named by its variable, at its row
    let broken = generated(12_000, ',', |row, name, cell| match (row, name) {
        (11_000, "ziel_effizienz") => "9".into(),
        _ => cell.to_string(),
    });
    let broken = renamed_with_note(&broken, "ziel_effizienz", "G01Q01");
    let err = load_bytes_as(&broken, "x.csv", &options, || Ok(Arc::clone(&codebook))).unwrap_err();
    let SurveyError::Invalid(problems) = err else {
        panic!("{err}")
    };
    assert_eq!(problems.problems.len(), 1, "{:?}", problems.problems);
    assert_eq!(problems.problems[0].row, Some(11_003));
    assert_eq!(
        problems.problems[0].column.as_deref(),
        Some("ziel_effizienz")
    );
}

#[test]
fn a_file_of_some_columns_is_read_in_blocks_with_the_others_blank() {
    let plain = generated(60_000, ';', |_, _, cell| cell.to_string());
    let codebook = Arc::new(Codebook::builtin());
    let full = load_bytes(&plain, "x.csv", Arc::clone(&codebook)).unwrap();
    let goals: Vec<String> = codebook
        .with_role(super::super::Role::Clustering)
        .map(|v| v.name.clone())
        .collect();
    let mut keep = vec!["id".to_string()];
    keep.extend(goals.iter().cloned());
    // the identifier and the goals only
    let text = String::from_utf8(plain).unwrap();
    let mut lines = text.lines();
    let comment = lines.next().unwrap();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let at: Vec<usize> = keep
        .iter()
        .map(|k| header.iter().position(|h| h == k).unwrap())
        .collect();
    let mut out = format!("{comment}\n{}\n", keep.join(";"));
    for line in lines {
        let cells: Vec<&str> = line.split(';').collect();
        let picked: Vec<&str> = at.iter().map(|&i| cells[i]).collect();
        out.push_str(&picked.join(";"));
        out.push('\n');
    }
    assert!(out.len() > BLOCK_BYTES, "more than one block");
    let part = load_bytes_with_columns(
        out.as_bytes(),
        "x.csv",
        &ReadOptions::default(),
        || Ok(Arc::clone(&codebook)),
        &goals,
    )
    .unwrap();
    assert_eq!(part.survey.len(), 60_000);
    for goal in &goals {
        assert!(
            part.survey
                .codes(goal)
                .unwrap()
                .iter()
                .eq(full.survey.codes(goal).unwrap().iter()),
            "{goal}"
        );
    }
    let absent = codebook
        .variables
        .iter()
        .find(|v| !keep.contains(&v.name) && v.kind.is_coded())
        .unwrap();
    assert!(part
        .survey
        .codes(&absent.name)
        .unwrap()
        .iter()
        .all(|c| c.is_none()));
}

#[test]
fn a_decimal_comma_in_the_last_block_decides_the_mark_of_the_first() {
    // `160.000` in row 1 is 160000 only because a decimal comma appears at the end
    let bytes = generated(12_000, ';', |row, name, cell| match (row, name) {
        (0, "einwohner") => "160.000".into(),
        (11_990, "gewicht") => "1,0".into(),
        _ => cell.to_string(),
    });
    let loaded = same_either_way(&bytes).unwrap();
    assert_eq!(
        loaded.survey.codes("einwohner").unwrap().get(0),
        Some(160_000)
    );
    // without it, the lone group of three digits in a count is read by the default rule
    let bytes = generated(12_000, ';', |row, name, cell| match (row, name) {
        (0, "einwohner") => "160.000".into(),
        _ => cell.to_string(),
    });
    same_either_way(&bytes).unwrap();
}

#[test]
fn a_ragged_row_in_a_late_block_is_reported_before_the_cells() {
    let bytes = generated(12_000, ',', |row, name, cell| match (row, name) {
        (100, "ziel_effizienz") => "7".into(),
        (11_000, "id") => "GEN-011000,extra".into(),
        _ => cell.to_string(),
    });
    let err = same_either_way(&bytes).unwrap_err();
    assert!(err.to_string().contains("row 11003"), "{err}");
    assert!(!err.to_string().contains("row 103"), "{err}");
}
