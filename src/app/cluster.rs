//! `typfrage cluster` and `typfrage profile`: k-means over the goal priorities, the clusters named
//! after the published types; the assignments, the model and the manifest, and with a report (always
//! for `profile`) the profile sheets, cross-tabs, charts and report.html.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::folder::Staged;
use super::inputs::{check_output_apart, check_variable_names, record_input, type_definitions};
use super::workbook::{self, About, Part};
use super::{out_or, Outcome, Request, SurveyInput};
use crate::cluster::{self, write as cw, ClusterOptions, SavedModel};
use crate::error::{Result, UsageError};
use crate::manifest::{self, Manifest};
use crate::output::{default_out_dir, write_atomic};
use crate::present::Lang;
use crate::report::profile::Source;
use crate::report::sheets::{check_crosstab_charts, write_report, ReportOptions};
use crate::tables::CsvStyle;

/// The workbook `cluster` and `profile` write.
pub const WORKBOOK: &str = "types.xlsx";

/// What `cluster` and `profile` are asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterRequest {
    #[serde(flatten)]
    pub input: SurveyInput,
    /// Type definitions (TOML); `None`: the four published types.
    #[serde(default)]
    pub types: Option<PathBuf>,
    pub options: ClusterOptions,
    /// Profile sheets to write beside the assignments (`profile` always writes them).
    #[serde(default)]
    pub report: Option<ReportOptions>,
    /// How CSV files are written (RFC 4180, or for German Excel).
    #[serde(default)]
    pub csv: CsvStyle,
    /// The output folder; `None`: beside the input. Not recorded in manifests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out: Option<PathBuf>,
    /// A copy of the survey file with the type, distance and margin added. Not recorded in
    /// manifests (`verify` writes no copy).
    #[serde(default, skip_serializing)]
    pub save_into: Option<PathBuf>,
}

/// Which of the two commands runs: they differ in their default folder and in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Command {
    Cluster,
    Profile,
}

/// Ranges of the k-means options, checked before anything is read.
pub(super) fn check_options(o: &ClusterOptions) -> Result<(), UsageError> {
    if o.k < 2 {
        return Err(UsageError::new(format!(
            "--k {}: expected at least 2 types (one type is no typology)",
            o.k
        )));
    }
    if o.n_init == 0 {
        return Err(UsageError::new(
            "--n-init 0: expected at least 1 k-means start",
        ));
    }
    if let Some(vars) = &o.vars {
        if vars.is_empty() || vars.iter().any(|v| v.trim().is_empty()) {
            return Err(UsageError::new(
                "--vars: expected variable names separated by commas, with none empty",
            ));
        }
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

pub(super) fn run(r: &ClusterRequest, command: Command) -> Result<Outcome> {
    let dir = r.out_dir(command);
    check_output_apart(
        &dir,
        "--out",
        &[
            ("survey", Some(r.input.file.as_path())),
            ("codebook", r.input.codebook.as_deref()),
            ("type definitions", r.types.as_deref()),
        ],
    )?;
    super::save_into::check(r)?;
    // the type definitions are checked (ids name files) before anything is created
    let type_defs = type_definitions(r.types.as_deref())?;
    let staged = Staged::begin(&dir)?;
    let read = r.input.read()?;
    let survey = &read.loaded.survey;
    let book = survey.codebook();
    if let Some(vars) = &r.options.vars {
        check_variable_names(vars, book, "--vars")?;
    }
    if let Some(report) = &r.report {
        check_variable_names(&report.crosstab_charts, book, "--crosstab")?;
    }
    let typology = cluster::fit_typology(survey, &r.options, &type_defs)?;
    if let Some(report) = &r.report {
        check_crosstab_charts(survey, &typology, &report.crosstab_charts)?;
    }
    let copy = super::save_into::copy(r, &read, &typology)?;

    let out = staged.dir();
    let model = SavedModel::from_typology(
        &typology,
        &r.input.label(),
        &read.sha256,
        &format!("{} {}", book.meta.title, book.meta.version),
    );
    let assignments_table = cw::assignments_table(&typology, survey.ids());
    let assignments = assignments_table.csv(r.csv)?;
    let model_json = serde_json::to_string_pretty(&model)
        .map_err(|e| cluster::ClusterError::Model(e.to_string()))?
        + "\n";
    let assignments_path = out.join("assignments.csv");
    let model_path = out.join("model.json");
    write_atomic(&assignments_path, |w| w.write_all(assignments.as_bytes()))?;
    write_atomic(&model_path, |w| w.write_all(model_json.as_bytes()))?;
    let mut written = vec![assignments_path.clone(), model_path.clone()];
    let mut report_line = String::new();
    let synthetic = read.loaded.dialect.says_synthetic();
    let lang = r.report.as_ref().map_or(Lang::De, |o| o.lang);
    let mut parts = vec![
        Part::new(
            "assignments",
            assignments_table,
            lang.pick(
                "Typ jeder Kommune mit Abständen zu den Typzentren, Silhouette und Abstand zum zweitnächsten Typ",
                "each municipality's type, with distances to the type centres, silhouette and margin",
            ),
            Some("assignments.csv".into()),
        ),
        Part::new(
            "types",
            cw::types_table(&typology),
            lang.pick("die Typen: Größe, Anteil, Silhouette, Namensabstand", "the types: size, share, silhouette, name margin"),
            None,
        ),
        Part::new(
            "goal profiles",
            cw::goal_profiles_table(&typology),
            lang.pick(
                "Zielprofile: mittlere Priorität je Ziel und standardisierte Differenz zu allen",
                "goal profiles: mean priority per goal and standardised difference from all",
            ),
            None,
        ),
    ];
    if let Some(report) = &r.report {
        let source = Source {
            file: r.input.label(),
            sha256: read.sha256.clone(),
            synthetic,
        };
        let done = write_report(out, survey, &typology, &type_defs, source, report, r.csv)?;
        report_line = format!(
            "wrote the profile sheets, cross-tabs and charts ({} files) and {}\n",
            done.files.len(),
            dir.join("report.html").display()
        );
        written.extend(done.files);
        parts.push(Part::new(
            "crosstabs",
            done.crosstabs,
            lang.pick(
                "Kreuztabellen nach Typ mit Chi-Quadrat, p, Cramérs V und standardisierten Residuen",
                "cross-tabs by type with chi-square, p, Cramér's V and adjusted residuals",
            ),
            Some("crosstabs.csv".into()),
        ));
        for (stem, table) in done.charts {
            let what = format!(
                "{} {stem}",
                lang.pick("Zahlen der Grafik", "numbers of the chart")
            );
            parts.push(Part::new(
                &stem,
                table,
                what,
                Some(format!("charts/{stem}.csv")),
            ));
        }
    }
    let about = About {
        title: lang
            .pick(
                "typfrage: die Digitalisierungstypen der Kommunen (k-means über die Zielprioritäten)",
                "typfrage: the municipalities' digitalisation types (k-means over the goal priorities)",
            )
            .into(),
        file: &r.input.label(),
        sha256: &read.sha256,
        synthetic,
        seed: Some(r.options.seed),
        lang,
    };
    written.push(workbook::write(&out.join(WORKBOOK), &about, parts)?);

    let recorded = match command {
        Command::Cluster => Request::Cluster(r.clone()),
        Command::Profile => Request::Profile(r.clone()),
    };
    let mut m = Manifest::new(recorded.command(), super::verify::recorded(&recorded, out)?);
    m.seed = Some(r.options.seed);
    r.input.record(&mut m, &read.sha256, out)?;
    record_input(
        &mut m,
        "types",
        r.types.as_deref(),
        cluster::DEFAULT_TYPES,
        out,
    )?;
    m.add_outputs(out, &written)?;
    m.write(out)?;
    let (assignments_path, model_path) = (
        staged.final_path(&assignments_path),
        staged.final_path(&model_path),
    );
    staged.commit()?;
    let copy_line = match copy {
        Some((path, bytes)) => {
            write_atomic(&path, |w| w.write_all(&bytes))?;
            format!(
                "wrote {} (the survey with typ, typ_abstand and typ_marge added)\n",
                path.display()
            )
        }
        None => String::new(),
    };

    let mut stdout = cw::summary(&typology, &r.input.file.display().to_string());
    stdout.push_str(&format!(
        "wrote {}, {}, {} and {}\n",
        assignments_path.display(),
        model_path.display(),
        dir.join(WORKBOOK).display(),
        dir.join(manifest::FILE_NAME).display()
    ));
    stdout.push_str(&report_line);
    stdout.push_str(&copy_line);
    let warnings = r.input.load_warnings(&read.loaded);
    Ok(Outcome::ok(stdout).with_warnings(warnings.into_iter().chain(typology.warnings())))
}
