//! The stand-in data set is made by the project's seeded generator.

use crate::common;

use std::sync::Arc;

use typfrage::cluster::builtin_types;
use typfrage::figures::{check, Published};
use typfrage::survey::{load_bytes, load_path, Codebook};
use typfrage::synth::{generate, preamble, SynthOptions};

#[test]
fn the_generator_reproduces_the_shipped_file_byte_for_byte() {
    let options = SynthOptions::default();
    let made = generate(
        Arc::new(Codebook::builtin()),
        &Published::builtin(),
        &options,
    )
    .unwrap();
    let lines = preamble(&options);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut bytes = Vec::new();
    made.survey.write_csv(&mut bytes, &lines).unwrap();
    let shipped = std::fs::read(common::shipped_survey()).unwrap();
    assert!(
        bytes == shipped,
        "data/survey.csv is not what `typfrage synth` makes: regenerate it"
    );
    let types =
        std::fs::read_to_string(common::root().join("data/survey-planted-types.csv")).unwrap();
    let planted: Vec<&str> = types
        .lines()
        .skip(2)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(planted, made.planted);
}

#[test]
fn the_file_says_it_is_synthetic() {
    let shipped = std::fs::read_to_string(common::shipped_survey()).unwrap();
    assert!(shipped.starts_with("# SYNTHETIC STAND-IN DATA - not the original answers"));
}

#[test]
fn another_seed_gives_other_data_that_still_reproduce_the_figures() {
    let options = SynthOptions {
        seed: 7,
        ..SynthOptions::default()
    };
    let codebook = Arc::new(Codebook::builtin());
    let published = Published::builtin();
    let made = generate(Arc::clone(&codebook), &published, &options).unwrap();
    let mut bytes = Vec::new();
    made.survey.write_csv(&mut bytes, &[]).unwrap();
    assert!(bytes != std::fs::read(common::shipped_survey()).unwrap());
    // what was written loads back to the same table and passes the check
    let loaded = load_bytes(&bytes, "seed7.csv", codebook).unwrap();
    assert!(loaded.survey == made.survey);
    let report = check(&loaded.survey, &published).unwrap();
    assert!(report.failures().is_empty(), "{:?}", report.failures());
}

#[test]
fn synth_command_writes_both_files() {
    let dir = common::tempdir();
    common::typfrage(&dir)
        .args([
            "synth",
            "--seed",
            "3",
            "--rows",
            "300",
            "--out",
            "s.csv",
            "--types-out",
            "t.csv",
        ])
        .assert()
        .success();
    let survey = std::fs::read_to_string(dir.path().join("s.csv")).unwrap();
    assert_eq!(survey.lines().filter(|l| !l.starts_with('#')).count(), 301);
    common::typfrage(&dir)
        .args(["validate", "s.csv"])
        .assert()
        .success();
    // the planted types: the comment and header as written, then one row per municipality of
    // s.csv, in its order, each planted type one of the published types
    let loaded = load_path(&dir.path().join("s.csv"), Arc::new(Codebook::builtin())).unwrap();
    let types = std::fs::read_to_string(dir.path().join("t.csv")).unwrap();
    let mut lines = types.lines();
    assert_eq!(
        lines.next(),
        Some("# Planted type of each municipality of the SYNTHETIC stand-in s.csv.")
    );
    assert_eq!(lines.next(), Some("id,planted_type"));
    let rows: Vec<(&str, &str)> = lines.map(|l| l.split_once(',').unwrap()).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.0).collect();
    assert_eq!(ids, loaded.survey.ids());
    let known: Vec<String> = builtin_types().into_iter().map(|t| t.id).collect();
    for (id, planted) in &rows {
        assert!(known.iter().any(|k| k == planted), "{id}: {planted}");
    }
    // all four types are planted
    for k in &known {
        assert!(rows.iter().any(|r| r.1 == k), "no municipality of type {k}");
    }
}
