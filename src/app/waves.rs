//! `typfrage waves OLD NEW`: two waves of a survey compared. Each wave is clustered as `cluster`
//! clusters one, the types are matched, and every identifier gets its reason
//! ([`crate::waves`]); written: `switches.csv`, `transitions.csv`, `matching.csv`, the flow
//! chart (`flow.png` with its `.json` and `.csv`), a short report (`report.md`, `report.html`)
//! and the manifest, which `verify` replays.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::folder::Staged;
use super::inputs::{check_output_apart, check_variable_names, record_input, type_definitions};
use super::{out_or, Outcome, RecordedPaths, Request, SurveyInput};
use crate::cluster::{self, ClusterOptions};
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::manifest::{self, Manifest};
use crate::output::{default_out_dir, read_file, read_text_at_most, write_atomic, write_chart};
use crate::show::chart::ImageFormat;
use crate::show::doc::{html_page, Document};
use crate::show::labels::DataSource;
use crate::show::table::CsvStyle;
use crate::show::views::typology;
use crate::show::views::waves::{self as view, Block, Names};
use crate::waves::{self, Keys, Wave};

/// What `waves` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct WavesRequest {
    /// Survey file of the earlier wave (read with the same --codebook, --sheet and --mapping)
    pub old: PathBuf,
    // the later wave
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    /// Type definitions (TOML) naming the types by their signature variables; the study's four
    /// published types are built in
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub types: Option<PathBuf>,
    /// Identifiers that changed between the waves (CSV: old_id,new_id; several earlier
    /// identifiers may share a later one, as in a merger)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub keys: Option<PathBuf>,
    // how each wave is clustered (both alike, as `cluster`)
    #[cfg_attr(feature = "cli", command(flatten))]
    pub options: ClusterOptions,
    /// k-means seed of the later wave [default: --seed]
    // not recorded when unset
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long = "seed-new", value_name = "N"))]
    pub new_seed: Option<u64>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// Output folder [default: <later file's stem>-typfrage/waves beside the later file]
    // not recorded in manifests
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub out: Option<PathBuf>,
}

/// The largest key file read (a country's municipalities take a few hundred KB).
const MAX_KEYS_BYTES: u64 = 64 << 20;

impl WavesRequest {
    pub(super) fn recorded_paths(&mut self) -> RecordedPaths<'_> {
        let mut inputs = vec![("old_survey", &mut self.old)];
        inputs.extend(self.input.paths_mut());
        if let Some(p) = self.types.as_mut() {
            inputs.push(("types", p));
        }
        if let Some(p) = self.keys.as_mut() {
            inputs.push(("keys", p));
        }
        RecordedPaths {
            inputs,
            out: &mut self.out,
        }
    }

    pub(super) fn check(&self) -> Result<(), UsageError> {
        super::options::check_options(&self.options)
    }

    fn old_input(&self) -> SurveyInput {
        SurveyInput {
            file: self.old.clone(),
            ..self.input.clone()
        }
    }
}

/// The report's blocks as the document model writes them (Markdown and HTML alike).
fn document(blocks: Vec<Block>) -> Document {
    let mut d = Document::default();
    for b in blocks {
        match b {
            Block::Heading(level, text) => d.heading(level, text),
            Block::Paragraph(text) => d.paragraph(text),
            Block::Table {
                header,
                rows,
                numeric,
            } => d.table(header, rows, numeric),
        }
    }
    d
}

pub(super) fn run(r: &WavesRequest) -> Result<Outcome> {
    let dir = out_or(&r.out, || default_out_dir(&r.input.file).join("waves"));
    let mut inputs = r.input.roles();
    inputs.push(("earlier wave", Some(r.old.as_path())));
    inputs.push(("type definitions", r.types.as_deref()));
    inputs.push(("key file", r.keys.as_deref()));
    check_output_apart(&dir, "--out", &inputs)?;
    let type_defs = type_definitions(r.types.as_deref())?;
    let keys = match &r.keys {
        Some(p) => waves::parse_keys(
            &read_text_at_most(p, MAX_KEYS_BYTES)?,
            &p.display().to_string(),
        )?,
        None => Keys::default(),
    };
    let old_input = r.old_input();
    let old_read = old_input.read()?;
    let new_read = r.input.read()?;
    if let Some(vars) = &r.options.vars {
        check_variable_names(vars, new_read.loaded.survey.codebook(), "--vars")?;
    }
    let old_weights = old_input.weights(&old_read, &r.options.weight)?;
    let new_weights = r.input.weights(&new_read, &r.options.weight)?;
    let (old_name, new_name) = (old_input.label(), r.input.label());
    let keys_name = r.keys.as_ref().map(|p| p.display().to_string());
    let new_options = ClusterOptions {
        seed: r.new_seed.unwrap_or(r.options.seed),
        ..r.options.clone()
    };
    let w = waves::compare(
        Wave {
            survey: &old_read.loaded.survey,
            weighting: &old_weights,
            name: &r.old.display().to_string(),
        },
        Wave {
            survey: &new_read.loaded.survey,
            weighting: &new_weights,
            name: &r.input.file.display().to_string(),
        },
        [&r.options, &new_options],
        &type_defs,
        &keys,
        keys_name.as_deref().unwrap_or_default(),
    )?;
    let names = Names {
        old: &old_name,
        new: &new_name,
    };
    let lang = r.lang;
    let staged = Staged::begin(&dir)?;
    let out = staged.dir().to_path_buf();
    let mut written = Vec::new();
    for (file, table) in [
        ("switches.csv", view::switches_table(&w)),
        ("transitions.csv", view::transitions_table(&w, lang)),
        ("matching.csv", view::matching_table(&w, lang)),
    ] {
        let text = table.csv(r.csv)?;
        let path = out.join(file);
        write_atomic(&path, |f| f.write_all(text.as_bytes()))?;
        written.push(path);
    }
    let synthetic =
        old_read.loaded.dialect.says_synthetic() || new_read.loaded.dialect.says_synthetic();
    let source = DataSource {
        file: format!("{old_name}, {new_name}"),
        synthetic,
    };
    let words = crate::show::words::Words::of(new_read.loaded.survey.codebook(), lang);
    let chart = view::flow_chart(&w, names, &source, &words);
    let rendered = chart.render("flow", ImageFormat::Png, r.csv)?;
    written.extend(write_chart(&out, &rendered.stem, rendered.files())?);
    let (title, blocks) = view::report(&w, names, "flow.png", &words);
    let doc = document(blocks);
    let html = html_page(&title, lang.pick("de", "en"), &doc.html_body());
    for (file, text) in [("report.md", doc.markdown()), ("report.html", html)] {
        let path = out.join(file);
        write_atomic(&path, |f| f.write_all(text.as_bytes()))?;
        written.push(path);
    }
    let recorded = Request::Waves(r.clone());
    let mut m = Manifest::new(
        recorded.command(),
        super::verify::recorded(&recorded, &out)?,
    );
    m.seed = Some(r.options.seed);
    m.add_input_digest("old_survey", Some(&r.old), old_read.sha256.clone(), &out);
    r.input.record(&mut m, &new_read.sha256, &out)?;
    record_input(
        &mut m,
        "types",
        r.types.as_deref(),
        cluster::DEFAULT_TYPES,
        &out,
    )?;
    if let Some(p) = &r.keys {
        m.add_input("keys", Some(p), &read_file(p)?, &out);
    }
    m.add_outputs(&out, &written)?;
    m.write(&out)?;
    let mut shown: Vec<PathBuf> = written.iter().map(|p| staged.final_path(p)).collect();
    shown.push(staged.final_path(&out.join(manifest::FILE_NAME)));
    staged.commit()?;

    let mut stdout = view::summary(&w, names, keys_name.as_deref(), &words);
    stdout.push_str(&super::wrote(&shown, lang));
    let mut outcome = Outcome::ok(stdout);
    for (weighting, name) in [(&old_weights, &old_name), (&new_weights, &new_name)] {
        outcome = outcome.with_note(
            crate::show::weights::note(weighting, &words).map(|note| format!("{name}: {note}")),
        );
    }
    let warnings = old_input
        .load_warnings(&old_read.loaded)
        .into_iter()
        .chain(r.input.load_warnings(&new_read.loaded))
        .chain(
            typology::advice(&w.old, lang)
                .into_iter()
                .map(|x| format!("{old_name}: {x}")),
        )
        .chain(
            typology::advice(&w.new, lang)
                .into_iter()
                .map(|x| format!("{new_name}: {x}")),
        );
    Ok(outcome.with_warnings(warnings, lang))
}
