//! `typfrage cluster` and `typfrage profile`: k-means over the goal priorities, the clusters named
//! after the published types; the assignments, the model and the manifest, and with a report (always
//! for `profile`) the profile sheets, cross-tabs, charts and report.html.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::folder::Staged;
use super::inputs::{check_output_apart, check_variable_names, record_input, type_definitions};
use super::options::{check_once, check_options};
use super::report::{write_report, ReportOptions};
use super::workbook::{self, About, Part};
use super::{out_or, Outcome, RecordedPaths, Request, SurveyInput};
use crate::cluster::hierarchy::{crosstab, ward_rows, ward_start, TwoStep};
use crate::cluster::{self, ClusterOptions, SavedModel, Typology};
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::manifest::{self, Manifest};
use crate::output::{default_out_dir, write_atomic};
use crate::profile::{check_crosstab_charts, Source};
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, CsvStyle, Table};
use crate::show::views::typology as cw;
use crate::show::weights;
use crate::show::words::Words;
use crate::survey::Role;

/// The workbook `cluster` and `profile` write.
pub const WORKBOOK: &str = "types.xlsx";

/// What `cluster` and `profile` are asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ClusterRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    /// Type definitions (TOML) naming the types by their signature variables; the study's four
    /// published types are built in
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub types: Option<PathBuf>,
    #[cfg_attr(feature = "cli", command(flatten))]
    pub options: ClusterOptions,
    // profile sheets to write beside the assignments (`profile` always writes them; on the
    // command line `--report` and the sheets' options)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub report: Option<ReportOptions>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
    // language of the console text, the tables' type names and the workbook (the report's own
    // `lang` is set alike by the command line)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// Output folder for assignments.csv and model.json [default: <input stem>-typfrage beside the input]
    // not recorded in manifests
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub out: Option<PathBuf>,
    /// Where k-means starts: restarts (n-init seeded k-means++ starts) or ward (once from the
    /// centroids of Ward's k groups; reports the agreement of the two partitions)
    // not recorded when it is the default, so that older manifests mean the same
    #[serde(default, skip_serializing_if = "KMeansStart::is_restarts")]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub start: KMeansStart,
    /// With --start ward: run Ward on a seeded sample (--seed) of N rows, then k-means on all
    /// from its centroids (for surveys with more answer patterns than Ward takes)
    // not recorded when unset
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "N"))]
    pub ward_sample: Option<usize>,
    /// Write a copy of the survey file (same format: .sav, .csv, .xlsx or .parquet) with the type
    /// (coded, with value labels), the distance to its centre and the margin added as variables
    // not recorded in manifests: `verify` writes no copy, and refuses a recorded request that
    // asks for one
    #[serde(default, skip_serializing)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub save_into: Option<PathBuf>,
    /// Add each row's certainty to assignments.csv: the share of 100 seeded bootstrap resamples
    /// in which it lands in its own type (always with --report)
    // not recorded when unset
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "cli", arg(long))]
    pub certainty: bool,
    /// Add each row's posterior to assignments.csv: its probability under the Gaussian mixture
    /// (best by BIC with as many components as types) of the component matching its type
    // not recorded when unset
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "cli", arg(long))]
    pub mixture: bool,
}

impl ClusterRequest {
    /// The files it reads, by their role in a manifest, and its output folder (`save_into` is
    /// not among them: a manifest never records it, and `verify` refuses a request that has it).
    pub(super) fn recorded_paths(&mut self) -> RecordedPaths<'_> {
        let mut inputs = self.input.paths_mut();
        if let Some(p) = self.types.as_mut() {
            inputs.push(("types", p));
        }
        RecordedPaths {
            inputs,
            out: &mut self.out,
        }
    }
}

/// Where k-means starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum KMeansStart {
    /// `n_init` seeded k-means++ starts, the smallest within-cluster sum of squares kept.
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
    #[default]
    Restarts,
    /// One deterministic start from the centroids of Ward's partition into k groups (the
    /// two-step procedure); the seed and `n_init` are not used.
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
    Ward,
}

impl KMeansStart {
    fn is_restarts(&self) -> bool {
        *self == KMeansStart::Restarts
    }
}

/// The file `cluster --start ward` writes: Ward's groups by the final types.
pub const WARD_START_FILE: &str = "ward-start.csv";

/// Which of the two commands runs: they differ in their default folder and in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Command {
    Cluster,
    Profile,
}

/// The whole request's ranges: the k-means options, and the report's charts when one is asked for.
pub(super) fn check(r: &ClusterRequest) -> Result<(), UsageError> {
    check_options(&r.options)?;
    if r.start == KMeansStart::Ward && r.options.algorithm == cluster::Algorithm::HartiganWong {
        return Err(UsageError::new(
            "--algorithm hartigan-wong runs from k-means++ restarts; leave out --start ward",
        ));
    }
    if let Some(n) = r.ward_sample {
        if r.start != KMeansStart::Ward {
            return Err(UsageError::new(format!(
                "--ward-sample {n}: Ward's sample is only drawn with --start ward"
            )));
        }
        check_ward_sample(n, r.options.k)?;
    }
    if let Some(report) = &r.report {
        report.chart.check().map_err(UsageError::new)?;
        check_once("--crosstab", &report.crosstab_charts)?;
    }
    Ok(())
}

/// A Ward sample must hold more municipalities than types and at most as many as Ward takes.
pub(super) fn check_ward_sample(n: usize, k: usize) -> Result<(), UsageError> {
    let most = cluster::hierarchy::WARD_MAX_PATTERNS;
    if n <= k || n > most {
        return Err(UsageError::new(format!(
            "--ward-sample {n}: expected more rows than the k = {k} groups and at most {most}"
        )));
    }
    Ok(())
}

impl ClusterRequest {
    fn out_dir(&self, command: Command) -> PathBuf {
        out_or(&self.out, || {
            let dir = default_out_dir(&self.input.file);
            match command {
                Command::Cluster => dir,
                Command::Profile => dir.join("profiles"),
            }
        })
    }
}

/// The most municipalities whose assignments the workbook holds as a sheet (65,536, the rows older
/// spreadsheet programs open); a larger survey's are in assignments.csv only, and the sheet says so
/// (a sheet of a million rows is slow to write and to open, and Excel stops at 1,048,576 rows).
pub const WORKBOOK_ASSIGNMENTS_MAX: usize = 65_536;

/// The workbook's assignments sheet: the assignments, or for a survey of more than
/// [`WORKBOOK_ASSIGNMENTS_MAX`] rows, where they are.
fn assignments_part(typology: &Typology, ids: &[String], words: &Words) -> Part {
    let lang = words.lang;
    if ids.len() <= WORKBOOK_ASSIGNMENTS_MAX {
        return Part::new(
            "assignments",
            cw::assignments_table(typology, ids, lang),
            match lang {
                Lang::De => format!("Typ jeder {} mit Abständen zu den Typzentren, Silhouette und Abstand zum zweitnächsten Typ", words.unit()),
                Lang::En => format!("each {}'s type, with distances to the type centres, silhouette and margin", words.unit()),
            },
            Some("assignments.csv".into()),
        );
    }
    let mut note = Table::new([lang.pick("Hinweis", "note")]);
    note.push(vec![Cell::text(match lang {
        Lang::De => format!(
            "Die Typen der {} {units} stehen nur in assignments.csv: ein Blatt dieser Arbeitsmappe hält sie bis zu {} {units}.",
            ids.len(),
            WORKBOOK_ASSIGNMENTS_MAX,
            units = words.units()
        ),
        Lang::En => format!(
            "The types of the {} {units} are in assignments.csv only: a sheet of this workbook holds them up to {} {units}.",
            ids.len(),
            WORKBOOK_ASSIGNMENTS_MAX,
            units = words.units()
        ),
    })]);
    Part::new(
        "assignments",
        note,
        match lang {
            Lang::De => format!(
                "wo die Typen der {} stehen (assignments.csv)",
                words.units()
            ),
            Lang::En => format!("where the {}' types are (assignments.csv)", words.units()),
        },
        None,
    )
}

/// The note on the codebook variables the survey file lacks (none: empty).
fn absent_note(absent: &[String], lang: Lang) -> String {
    if absent.is_empty() {
        return String::new();
    }
    let (n, list) = (absent.len(), absent.join(", "));
    match lang {
        Lang::De => format!("ausgelassen: {n} Variablen des Codebuchs fehlen in der Datei, die Profile sagen nichts über sie: {list}\n"),
        Lang::En => format!("left out: the file lacks {n} variables of the codebook, so the profiles say nothing about them: {list}\n"),
    }
}

pub(super) fn run(r: &ClusterRequest, command: Command) -> Result<Outcome> {
    let dir = r.out_dir(command);
    let mut inputs = r.input.roles();
    inputs.push(("type definitions", r.types.as_deref()));
    check_output_apart(&dir, "--out", &inputs)?;
    super::save_into::check(r, &dir)?;
    // the type definitions are checked (ids name files) before anything is created
    let type_defs = type_definitions(r.types.as_deref())?;
    let staged = Staged::begin(&dir)?;
    // the file needs the identifier and the clustering variables; the codebook's other variables
    // it lacks are left out (the sheets then have nothing to say about them)
    let required = match &r.options.vars {
        Some(vars) => vars.clone(),
        None => r
            .input
            .codebook()?
            .with_role(Role::Clustering)
            .map(|v| v.name.clone())
            .collect(),
    };
    let mut read = r.input.read_columns(&required)?;
    if !read.loaded.absent.is_empty() {
        read.loaded.survey = read.loaded.survey.without(&read.loaded.absent);
    }
    let absent_line = absent_note(&read.loaded.absent, r.lang);
    let survey = &read.loaded.survey;
    let book = survey.codebook();
    if let Some(vars) = &r.options.vars {
        check_variable_names(vars, book, "--vars")?;
    }
    if let Some(report) = &r.report {
        check_variable_names(&report.crosstab_charts, book, "--crosstab")?;
    }
    let weighting = r.input.weights(&read, &r.options.weight)?;
    let (mut typology, ward) = fit(r, survey, &type_defs, &weighting)?;
    if r.certainty || r.report.is_some() {
        typology.count_certainty(cluster::CERTAINTY_RESAMPLES)?;
    }
    if r.mixture {
        typology.count_posterior()?;
    }
    // the types are known: the summary now, on a terminal, before the report's long checks
    let words = Words::of(book, r.lang);
    let summary = cw::summary(
        &typology,
        &r.input.file.display().to_string(),
        &words,
        Some(book),
    );
    let shown = match r.report {
        Some(_) => super::progress::print_now(&summary),
        None => 0,
    };
    if let Some(report) = &r.report {
        check_crosstab_charts(survey, &typology, &report.crosstab_charts)?;
    }
    let copy = super::save_into::copy(r, &read, &typology)?;

    let out = staged.dir();
    let lang = r.lang;
    let model_json = model_json(r, &read, &typology, &type_defs)?;
    let assignments_path = out.join("assignments.csv");
    let model_path = out.join("model.json");
    write_atomic(&assignments_path, |w| {
        let rows = cw::assignment_rows(&typology, survey.ids(), lang);
        let header = cw::assignments_header(&typology);
        crate::show::table::write_csv(&header, rows, r.csv, std::io::BufWriter::new(w))
            .map_err(std::io::Error::other)
    })?;
    write_atomic(&model_path, |w| w.write_all(model_json.as_bytes()))?;
    let mut written = vec![assignments_path.clone(), model_path.clone()];
    if let Some(w) = &ward {
        let path = out.join(WARD_START_FILE);
        let text = w.table.csv(r.csv)?;
        write_atomic(&path, |f| f.write_all(text.as_bytes()))?;
        written.push(path);
    }
    let mut report_line = String::new();
    let synthetic = read.loaded.dialect.says_synthetic();
    let mut parts = typology_parts(&typology, survey.ids(), ward.as_ref(), &words);
    if let Some(report) = &r.report {
        let source = Source {
            file: r.input.label(),
            sha256: read.sha256.clone(),
            synthetic,
        };
        let bar = super::progress::show(lang);
        let done = write_report(out, survey, &typology, &type_defs, source, report, r.csv)?;
        drop(bar);
        report_line = done.summary(&dir, lang);
        parts.extend(done.parts(lang));
        written.extend(done.files);
    }
    let label = r.input.label();
    let about = workbook_about(
        r,
        (&label, &read.sha256),
        synthetic,
        &weighting,
        words.clone(),
    );
    written.push(workbook::write(&out.join(WORKBOOK), &about, parts)?);

    seal(r, command, &read.sha256, out, &written)?;
    let (assignments_path, model_path) = (
        staged.final_path(&assignments_path),
        staged.final_path(&model_path),
    );
    // the copy is part of the result: written before the folder is committed, so that a copy
    // that cannot be written leaves the previous result folder as it was
    let copy_line = match copy {
        Some((path, bytes)) => write_copy(&path, &bytes, lang)?,
        None => String::new(),
    };
    staged.commit()?;

    let mut stdout = summary;
    stdout.push_str(&absent_line);
    stdout.push_str(&super::wrote(
        &[
            assignments_path,
            model_path,
            dir.join(WORKBOOK),
            dir.join(manifest::FILE_NAME),
        ],
        lang,
    ));
    if let Some(w) = &ward {
        stdout.push_str(&w.summary(&typology, &words));
    }
    stdout.push_str(&report_line);
    stdout.push_str(&copy_line);
    let warnings = r.input.load_warnings(&read.loaded);
    let mut outcome = Outcome::ok(stdout)
        .with_warnings(
            warnings.into_iter().chain(cw::advice(&typology, lang)),
            lang,
        )
        .with_note(weights::note(&weighting, &words));
    outcome.shown = shown;
    Ok(outcome)
}

/// The workbook's sheets of a clustering: the assignments, the types, their goal profiles and,
/// after `--start ward`, Ward's partition against the final types.
fn typology_parts(
    typology: &Typology,
    ids: &[String],
    ward: Option<&WardAgreement>,
    words: &Words,
) -> Vec<Part> {
    let lang = words.lang;
    let profiles = if words.is_study() {
        lang.pick(
            "Zielprofile: mittlere Priorität je Ziel und standardisierte Differenz zu allen",
            "goal profiles: mean priority per goal and standardised difference from all",
        )
        .to_string()
    } else {
        match lang {
            Lang::De => format!(
                "{}: Mittelwert je Variable und standardisierte Differenz zu allen",
                words.block_profile()
            ),
            Lang::En => format!(
                "{}: mean per variable and standardised difference from all",
                words.block_profile()
            ),
        }
    };
    let mut parts = vec![
        assignments_part(typology, ids, words),
        Part::new(
            "types",
            cw::types_table(typology, lang),
            lang.pick(
                "die Typen: Größe, Anteil, Silhouette, Namensabstand",
                "the types: size, share, silhouette, name margin",
            ),
            None,
        ),
        Part::new(
            "goal profiles",
            cw::goal_profiles_table(typology, lang),
            profiles,
            None,
        ),
    ];
    if let Some(w) = ward {
        parts.push(w.part(lang));
    }
    parts
}

/// What the workbook's first sheet says about the run.
fn workbook_about<'a>(
    r: &ClusterRequest,
    (file, sha256): (&'a str, &'a str),
    synthetic: bool,
    weighting: &crate::survey::Weighting,
    words: Words,
) -> About<'a> {
    let title = if words.is_study() {
        r.lang
            .pick(
                "typfrage: die Digitalisierungstypen der Kommunen (k-means über die Zielprioritäten)",
                "typfrage: the municipalities' digitalisation types (k-means over the goal priorities)",
            )
            .into()
    } else {
        match r.lang {
            Lang::De => format!(
                "typfrage: die Typen der {} (k-means über die {})",
                words.units(),
                words.block()
            ),
            Lang::En => format!(
                "typfrage: the types of the {} (k-means over the {})",
                words.units(),
                words.block()
            ),
        }
    };
    let weighting = weights::describe(weighting, &words);
    About {
        title,
        file,
        sha256,
        synthetic,
        seed: Some(r.options.seed),
        words,
        weighting,
    }
}

/// The saved model as JSON (`model.json`): the types, the scaling, and what a municipality's
/// feedback needs (the survey's aggregates, with their labels).
fn model_json(
    r: &ClusterRequest,
    read: &super::inputs::Read,
    typology: &Typology,
    type_defs: &[cluster::TypeDef],
) -> Result<String> {
    let survey = &read.loaded.survey;
    let book = survey.codebook();
    let mut model = SavedModel::from_typology(
        typology,
        &cw::names_de_en(typology),
        &r.input.label(),
        &read.sha256,
        &book.meta.label(),
    );
    model.input.synthetic = Some(read.loaded.dialect.says_synthetic());
    if !book.meta.unit.is_study() || book.meta.block != crate::survey::Block::study() {
        model.unit = Some(book.meta.unit.clone());
        model.block = Some(book.meta.block.clone());
    }
    let de = cw::descriptions(typology, type_defs, Some(book), crate::lang::Lang::De);
    let en = cw::descriptions(typology, type_defs, Some(book), crate::lang::Lang::En);
    for ((t, de), en) in model.types.iter_mut().zip(de).zip(en) {
        t.description_de = de;
        t.description_en = en;
    }
    let numbers = crate::profile::feedback::feedback_numbers(survey, typology)?;
    let mut feedback =
        crate::show::views::feedback::saved_feedback(&numbers, book, typology, type_defs);
    feedback.tree = Some(crate::show::views::tree::saved_tree(
        &super::replicate::tree_of(typology),
        typology,
        book,
    ));
    model.feedback = Some(feedback);
    Ok(serde_json::to_string_pretty(&model)
        .map_err(|e| cluster::ClusterError::Model(e.to_string()))?
        + "\n")
}

/// The types, from k-means restarts or from Ward's clustering (then with how the two agree).
fn fit(
    r: &ClusterRequest,
    survey: &crate::survey::Survey,
    type_defs: &[cluster::TypeDef],
    weighting: &crate::survey::Weighting,
) -> Result<(Typology, Option<WardAgreement>)> {
    let mut ward = None;
    let typology = match r.start {
        KMeansStart::Restarts => {
            cluster::fit_typology_weighted(survey, &r.options, type_defs, weighting)?
        }
        KMeansStart::Ward => {
            if weighting.is_weighted() {
                return Err(UsageError::new(
                    "--start ward: Ward's clustering here is unweighted; give --weight none, or start from restarts".to_string(),
                )
                .into());
            }
            let o = &r.options;
            cluster::fit_typology_with(survey, o, type_defs, |x, survey_rows| {
                let rows = ward_rows(survey_rows, r.ward_sample.map(|n| (n, o.seed)));
                let (two, partition) = ward_start(x, &rows, o.k, o.max_iter, o.tolerance)?;
                ward = Some((two, rows));
                Ok(partition)
            })?
        }
    };
    let ward = ward.map(|(two, rows)| WardAgreement::new(two, &rows, &typology));
    Ok((typology, ward))
}

/// Writes the manifest of a clustering's result folder `out`: the request, the inputs' digests
/// and the outputs `written`.
fn seal(
    r: &ClusterRequest,
    command: Command,
    sha256: &str,
    out: &std::path::Path,
    written: &[PathBuf],
) -> Result<()> {
    let recorded = match command {
        Command::Cluster => Request::Cluster(r.clone()),
        Command::Profile => Request::Profile(r.clone()),
    };
    let mut m = Manifest::new(recorded.command(), super::verify::recorded(&recorded, out)?);
    m.seed = Some(r.options.seed);
    r.input.record(&mut m, sha256, out)?;
    record_input(
        &mut m,
        "types",
        r.types.as_deref(),
        cluster::DEFAULT_TYPES,
        out,
    )?;
    m.add_outputs(out, written)?;
    m.write(out)?;
    Ok(())
}

/// Writes the `--save-into` copy of the survey to `path`; the line the summary says it with.
fn write_copy(path: &std::path::Path, bytes: &[u8], lang: Lang) -> Result<String> {
    write_atomic(path, |w| w.write_all(bytes))?;
    Ok(match lang {
        Lang::De => format!(
            "geschrieben: {} (die Umfrage mit typ, typ_abstand und typ_marge ergänzt)\n",
            path.display()
        ),
        Lang::En => format!(
            "wrote {} (the survey with typ, typ_abstand and typ_marge added)\n",
            path.display()
        ),
    })
}

/// How Ward's partition and the types found from its centroids agree.
struct WardAgreement {
    two: TwoStep,
    /// How many municipalities the types cover (more than Ward's when Ward ran on a sample).
    clustered: usize,
    /// Adjusted Rand index of Ward's groups and the types.
    ari: f64,
    /// `crosstab[g][t]`: members of Ward's group g in type t (the types in output order).
    crosstab: Vec<Vec<usize>>,
    /// `ward-start.csv`: one line per Ward group, its size and its members by type.
    table: Table,
}

impl WardAgreement {
    /// `rows`: the positions (in the typology's order) of the rows Ward clustered, in its order.
    fn new(two: TwoStep, rows: &[usize], typology: &Typology) -> WardAgreement {
        let types: Vec<usize> = rows
            .iter()
            .map(|&i| typology.assignments[i].type_index)
            .collect();
        let ari = cluster::adjusted_rand_index(&two.ward_labels, &types);
        let mut crosstab = crosstab(&two.ward_labels, &types);
        for row in &mut crosstab {
            row.resize(typology.types.len(), 0);
        }
        let mut head = vec!["ward_group".to_string(), "n".to_string()];
        head.extend(typology.types.iter().map(|t| t.name.id.clone()));
        let mut table = Table::new(head);
        for (g, row) in crosstab.iter().enumerate() {
            let mut cells = vec![Cell::count(g + 1), Cell::count(row.iter().sum())];
            cells.extend(row.iter().map(|&c| Cell::count(c)));
            table.push(cells);
        }
        WardAgreement {
            two,
            clustered: typology.assignments.len(),
            ari,
            crosstab,
            table,
        }
    }

    /// The workbook's sheet of Ward's groups by type.
    fn part(&self, lang: Lang) -> Part {
        Part::new(
            "ward start",
            self.table.clone(),
            format!(
                "{} {:.3}",
                lang.pick(
                    "Ward-Gruppen nach Typ (k-means vom Ward-Start); bereinigter Rand-Index",
                    "Ward's groups by type (k-means from the Ward start); adjusted Rand index",
                ),
                self.ari
            ),
            Some(WARD_START_FILE.into()),
        )
    }

    fn summary(&self, typology: &Typology, words: &Words) -> String {
        let (lang, units) = (words.lang, words.units());
        let n = self.two.ward_labels.len();
        let (k, moved) = (self.two.k, self.two.moved);
        let (wss, ward_wss, ari) = (
            crate::show::format::number(self.two.kmeans_wss, 2, lang),
            crate::show::format::number(self.two.ward_wss, 2, lang),
            crate::show::format::number(self.ari, 3, lang),
        );
        let dative = words.units_dative();
        let mut out = String::new();
        if n < self.clustered {
            let (all, seed, wss) = (
                self.clustered,
                typology.options.seed,
                crate::show::format::number(typology.wss, 2, lang),
            );
            out.push_str(&match lang {
                Lang::De => format!(
                    "Ward-Verfahren auf einer Zufallsstichprobe von {n} der {all} {units} (Seed {seed}); k-means von den Zentren seiner Gruppen auf allen {all}: Quadratsumme innerhalb der Cluster {wss}; die Zahlen darunter gelten für die Stichprobe\n"
                ),
                Lang::En => format!(
                    "Ward's clustering on a seeded sample of {n} of the {all} {units} (seed {seed}); k-means from its groups' centroids on all {all}: within-cluster sum of squares {wss}; the numbers below are the sample's\n"
                ),
            });
        }
        out += &match lang {
            Lang::De => format!(
                "k-means einmal von den Zentren der {k} Ward-Gruppen gestartet (Seed und Neustarts nicht verwendet): \
                 Quadratsumme innerhalb der Cluster {wss} (Ward-Partition {ward_wss});\n\
                 Übereinstimmung der Ward-Partition mit den Typen: bereinigter Rand-Index {ari}, {moved} von {n} {dative} gewechselt\n"
            ),
            Lang::En => format!(
                "k-means started once from the centroids of Ward's {k} groups (seed and restarts not used): \
                 within-cluster sum of squares {wss} (Ward's partition {ward_wss});\n\
                 agreement of Ward's partition with the types: adjusted Rand index {ari}, {moved} of {n} {units} moved\n"
            ),
        };
        let mut head = vec![lang.pick("Ward \\ Typ", "Ward \\ type").to_string()];
        head.extend(typology.types.iter().map(|t| t.name.id.clone()));
        let mut table = Table::new(head);
        for (g, row) in self.crosstab.iter().enumerate() {
            let mut cells = vec![Cell::text((g + 1).to_string())];
            cells.extend(row.iter().map(|&c| Cell::count(c)));
            table.push(cells);
        }
        let term = Terminal {
            indent: 2,
            ..Terminal::new(lang)
        };
        out + &term.render(&table)
    }
}
