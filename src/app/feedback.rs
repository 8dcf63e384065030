//! `typfrage feedback`: a one-page sheet (HTML, chart inline, printable) for every municipality of
//! a survey, assigned with a saved model exactly as `classify` and `position` assign it, in one
//! result folder with an index (`index.html`, `index.csv`) and a manifest, so that a survey team
//! can send each participant its own result. A municipality the model cannot assign (a goal not
//! rated under the listwise policy) gets no sheet; the index says why.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use serde::{Deserialize, Serialize};

use super::folder::Staged;
use super::position::{chart_svg, read_model, read_rows, Rows};
use super::{out_or, Outcome, RecordedPaths, Request, SurveyInput};
use crate::cluster::{Feedback, SavedModel};
use crate::lang::Lang;
use crate::manifest::Manifest;
use crate::output::{default_out_dir, read_file, sync_files, write_atomic, write_unsynced};
use crate::profile::feedback::Position;
use crate::show::labels::synthetic_note;
use crate::show::table::CsvStyle;
use crate::show::views::feedback::{
    index_page, index_table, IndexEntry, IndexSheet, Sheet as View,
};
use crate::show::words::Words;

/// What `feedback` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(
    feature = "cli",
    command(
        mut_arg("file", |a| a.help("Survey file (needs only the identifier and the clustered variables; more columns give better suggestions)"))
    )
)]
pub struct FeedbackRequest {
    /// model.json written by typfrage cluster
    pub model: PathBuf,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
    /// Output folder [default: <input stem>-typfrage/feedback beside the input]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub out: Option<PathBuf>,
}

impl FeedbackRequest {
    /// The files it reads, by their role in a manifest, and its output folder.
    pub(super) fn recorded_paths(&mut self) -> RecordedPaths<'_> {
        let mut inputs = self.input.paths_mut();
        inputs.push(("model", &mut self.model));
        RecordedPaths {
            inputs,
            out: &mut self.out,
        }
    }
}

/// A file name for a municipality's sheet: its row number and its identifier with everything but
/// ASCII letters, digits, `-` and `_` replaced by `_` (at most 40 characters), so that any
/// identifier gives a safe and unique name.
fn sheet_name(row: usize, id: &str) -> String {
    let slug: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    format!("{:04}-{slug}.html", row + 1)
}

/// What became of one municipality.
enum Sheet {
    /// Not assigned, for this reason.
    LeftOut(String),
    Written {
        name: String,
        type_index: usize,
        type_name: String,
        borderline: bool,
        certainty: Option<f64>,
    },
}

/// Writes row `row`'s sheet into `out`, or says why it has none.
fn write_sheet(
    model: &SavedModel,
    feedback: &Feedback,
    rows: &Rows,
    row: usize,
    lang: Lang,
    out: &Path,
) -> Result<Sheet, crate::error::Error> {
    let id = &rows.survey.ids()[row];
    let c = &rows.classified[row];
    let (Some(t), Some(point)) = (c.type_index, &rows.points[row]) else {
        return Ok(Sheet::LeftOut(c.reason.clone().unwrap_or_default()));
    };
    let position = Position::new(
        (model, feedback),
        id.clone(),
        rows.ratings(model, row),
        (t, c.distances.clone(), c.margin),
        Some((rows.label.clone(), rows.nearest(point, Some(row)))),
        |variable, positive| rows.done(row, variable, positive),
    )
    .with_certainty(c.votes.clone());
    let name = sheet_name(row, id);
    let view = View { p: &position, lang };
    let page = view.html(&chart_svg(&view.chart())?);
    // forced to disk together with the others before the folder is committed (see `run`)
    write_unsynced(&out.join(&name), |w| w.write_all(page.as_bytes()))?;
    Ok(Sheet::Written {
        name,
        type_index: t,
        type_name: view.type_name(t).to_string(),
        borderline: position.borderline(),
        certainty: position.certainty.map(|(share, _)| share),
    })
}

pub(super) fn run(r: &FeedbackRequest) -> Result<Outcome, crate::error::Error> {
    let dir = out_or(&r.out, || default_out_dir(&r.input.file).join("feedback"));
    let mut roles = r.input.roles();
    roles.push(("model", Some(r.model.as_path())));
    super::inputs::check_output_apart(&dir, "--out", &roles)?;
    let model = read_model(&r.model)?;
    super::inputs::check_model_codebook(&model, &r.model, r.input.codebook.as_deref())?;
    let feedback = model.feedback.as_ref().expect("checked in read_model");
    let staged = Staged::begin(&dir)?;
    let (rows, sha256) = read_rows(&model, &r.input)?;
    let lang = r.lang;
    let out = staged.dir();
    let ids = rows.survey.ids();
    let bar = super::progress::show(lang);
    crate::progress::start(crate::progress::Task::Sheets, ids.len() as u64);
    // the sheets are written in parallel; the index follows the survey's order
    let done: Vec<Result<Sheet, crate::error::Error>> = (0..ids.len())
        .into_par_iter()
        .map(|row| {
            let sheet = write_sheet(&model, feedback, &rows, row, lang, out);
            crate::progress::advance(1);
            sheet
        })
        .collect();
    drop(bar);
    let mut entries = Vec::with_capacity(ids.len());
    for (row, sheet) in done.into_iter().enumerate() {
        let id = ids[row].clone();
        entries.push(match sheet? {
            Sheet::LeftOut(reason) => IndexEntry {
                id,
                sheet: Err(reason),
            },
            Sheet::Written {
                name,
                type_index,
                type_name,
                borderline,
                certainty,
            } => IndexEntry {
                id,
                sheet: Ok(IndexSheet {
                    name,
                    type_id: model.types[type_index].id.clone(),
                    type_name,
                    margin: rows.classified[row].margin,
                    borderline,
                    certainty,
                }),
            },
        });
    }
    let mut written: Vec<PathBuf> = entries
        .iter()
        .filter_map(|e| e.sheet.as_ref().ok())
        .map(|s| out.join(&s.name))
        .collect();
    let sheets = written.len();
    sync_files(&written)?;
    let index_html = out.join("index.html");
    let model_file = super::inputs::file_label(&r.model);
    let page = index_page(&entries, (&model, &model_file), &rows.label, lang);
    write_atomic(&index_html, |w| w.write_all(page.as_bytes()))?;
    let index_csv = out.join("index.csv");
    let csv = index_table(&entries).csv(r.csv)?;
    write_atomic(&index_csv, |w| w.write_all(csv.as_bytes()))?;
    written.push(index_html);
    written.push(index_csv);

    let recorded = Request::Feedback(r.clone());
    let mut m = Manifest::new(recorded.command(), super::verify::recorded(&recorded, out)?);
    r.input.record(&mut m, &sha256, out)?;
    m.add_input("model", Some(&r.model), &read_file(&r.model)?, out);
    m.add_outputs(out, &written)?;
    m.write(out)?;
    staged.commit()?;
    let (file, n, model_file) = (r.input.file.display(), ids.len(), r.model.display());
    let note = synthetic_note(&model, lang)
        .map(|n| n + "\n")
        .unwrap_or_default();
    let folder = dir.join("index.html");
    let units = Words::of_model(&model, lang).units().to_string();
    let stdout = match lang {
        Lang::De => format!(
            "{file}: {n} {units}, {sheets} Blätter mit dem Modell {model_file} geschrieben\n{note}"
        ),
        Lang::En => format!(
            "{file}: {n} {units}, {sheets} sheets written with the model {model_file}\n{note}"
        ),
    } + &super::wrote(
        &[
            folder,
            dir.join("index.csv"),
            dir.join(crate::manifest::FILE_NAME),
        ],
        lang,
    );
    Ok(Outcome::ok(stdout).with_warnings(rows.warnings, lang))
}
