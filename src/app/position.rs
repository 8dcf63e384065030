//! `typfrage position`: one municipality's place in a saved typology, from ratings given on the
//! command line or one row of a file: its type by the rule of `classify` (the same function
//! assigns it), how clear, its ratings against its type and all municipalities, the surveyed
//! municipalities nearest to it and suggestions from the nearest other types; on the terminal and
//! as a one-page Markdown or HTML sheet with its profile chart.
//!
//! The model carries the survey's aggregates (means, the spread of the margins, the lessons
//! between types); the nearest municipalities need every surveyed municipality's ratings, which a
//! model handed to participants should not hold, so they are read from the survey (`--survey`, or
//! the `--from` file).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::inputs::{check_output_apart, file_label};
use super::{Outcome, SurveyInput};
use crate::cluster::{self, Classified, Feedback, SavedModel};
use crate::error::{did_you_mean, Error, Result, UsageError};
use crate::lang::Lang;
use crate::output::{read_text_at_most, write_atomic};
use crate::profile::feedback::{Neighbour, Position, NEIGHBOURS};
use crate::show::chart::{Chart, ImageFormat};
use crate::show::views::feedback::Sheet;
use crate::survey::{Codebook, Survey};

/// What `position` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct PositionRequest {
    /// model.json written by typfrage cluster
    pub model: PathBuf,
    /// A rating of a clustered variable, VARIABLE=CODE (repeat for each; a variable left out is
    /// not answered)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long = "rating", value_name = "VARIABLE=CODE"))]
    pub ratings: Vec<String>,
    /// Take the row from this file (with --id); it needs only the identifier and the clustered
    /// variables. --sheet and --mapping say how to read this file (a --survey file is read by its
    /// column names, from a workbook's first sheet)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub from: Option<PathBuf>,
    /// The identifier of the row to place (its row in --from, or its name on the sheet)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "ID"))]
    pub id: Option<String>,
    /// The survey to list the nearest rows from [default: the --from file]
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub survey: Option<PathBuf>,
    /// Codebook to check the survey against (TOML); the 2018/19 codebook is built in
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub codebook: Option<PathBuf>,
    /// The sheet of a workbook survey file (.xlsx, .xls, .ods) to read; the first by default
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "NAME"))]
    pub sheet: Option<String>,
    /// Column mapping (TOML): `[columns]` maps the file's column names to codebook variables,
    /// `ignore = [...]` lists columns to leave out
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub mapping: Option<PathBuf>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// Write the one-page sheet: FILE.md (chart beside it as FILE-chart.svg) or FILE.html
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub out: Option<PathBuf>,
}

/// Reads a model that carries what a municipality's feedback needs.
pub(super) fn read_model(path: &Path) -> Result<SavedModel> {
    let text = read_text_at_most(path, cluster::MAX_MODEL_BYTES)?;
    let model = SavedModel::parse(&text, &path.display().to_string())?;
    if model.feedback.is_none() {
        return Err(Error::Input {
            path: path.display().to_string(),
            message: "holds no feedback part (overall means, spread of the margins, lessons): it was written by an older typfrage; run typfrage cluster again".into(),
        });
    }
    Ok(model)
}

/// A survey file that may hold only the identifier and the model's variables.
pub(super) struct Rows {
    pub label: String,
    pub survey: Survey,
    pub classified: Vec<Classified>,
    pub points: Vec<Option<Vec<f64>>>,
    pub warnings: Vec<String>,
    /// The assigned municipalities by their answer patterns, for the nearest ones.
    index: cluster::NearestIndex,
}

/// Reads a `--survey` file to find the nearest municipalities in: by its column names, on a
/// workbook's first sheet; its warnings, and one when it is not the survey the model was fitted
/// on, go to `warnings`.
pub(super) fn read_survey(
    model: &SavedModel,
    file: &Path,
    codebook: Option<&PathBuf>,
    warnings: &mut Vec<String>,
) -> Result<Rows> {
    let input = SurveyInput {
        file: file.to_path_buf(),
        codebook: codebook.cloned(),
        sheet: None,
        mapping: None,
    };
    let (rows, sha) = read_rows(model, &input)?;
    warnings.extend(rows.warnings.iter().cloned());
    if sha != model.input.sha256 {
        warnings.push(format!(
            "{}: not the survey the model was fitted on (its SHA-256 differs from the model's); its rows are assigned to the model's types",
            file.display()
        ));
    }
    Ok(rows)
}

/// Reads `input` (with its sheet and mapping) for `model`'s variables and classifies every row.
pub(super) fn read_rows(model: &SavedModel, input: &SurveyInput) -> Result<(Rows, String)> {
    let file = &input.file;
    let read = input.read_columns(&model.variables)?;
    let survey = read.loaded.survey.clone();
    let classified = cluster::classify(model, &survey)?;
    let points = cluster::scaled_points(model, &survey)?;
    let index = cluster::NearestIndex::new(&points, survey.ids(), |row| {
        classified[row].type_index.is_some()
    });
    Ok((
        Rows {
            label: file_label(file),
            warnings: input.load_warnings(&read.loaded),
            survey,
            classified,
            points,
            index,
        },
        read.sha256,
    ))
}

impl Rows {
    /// The municipalities nearest to `point`, leaving out row `skip` (on equal distances by
    /// identifier).
    pub fn nearest(&self, point: &[f64], skip: Option<usize>) -> Vec<Neighbour> {
        let ids = self.survey.ids();
        self.index
            .nearest(point, skip, NEIGHBOURS)
            .into_iter()
            .map(|near| Neighbour {
                id: ids[near.row].clone(),
                type_index: self.classified[near.row]
                    .type_index
                    .expect("only assigned rows are indexed"),
                distance: near.distance,
            })
            .collect()
    }

    /// Whether row `row` gives one of `positive` on `variable` (`None`: not answered or absent).
    pub fn done(&self, row: usize, variable: &str, positive: &[i64]) -> Option<bool> {
        let value = self.survey.codes(variable).ok()?.get(row)?;
        Some(positive.contains(&value))
    }

    /// The ratings of row `row`, in the model's variable order.
    pub fn ratings(&self, model: &SavedModel, row: usize) -> Vec<Option<i64>> {
        model
            .variables
            .iter()
            .map(|v| self.survey.codes(v).ok().and_then(|c| c.get(row)))
            .collect()
    }
}

/// Why a municipality was not assigned, as an error naming where it came from.
fn not_assigned(origin: &str, id: &str, c: &Classified) -> Error {
    Error::Input {
        path: origin.to_string(),
        message: format!(
            "'{}' cannot be assigned to a type: {}",
            crate::escape::field(id),
            c.reason.as_deref().unwrap_or("left out")
        ),
    }
}

/// Parses `variable=code` ratings against the model and the codebook.
fn parse_ratings(
    model: &SavedModel,
    book: &Codebook,
    given: &[String],
) -> Result<Vec<Option<i64>>, UsageError> {
    let mut ratings = vec![None; model.variables.len()];
    let mut seen = vec![false; model.variables.len()];
    for text in given {
        let Some((name, value)) = text.split_once('=') else {
            return Err(UsageError::new(format!(
                "--rating {text}: expected VARIABLE=CODE, e.g. {}=4",
                model.variables[0]
            )));
        };
        let (name, value) = (name.trim(), value.trim());
        let Some(j) = model.variables.iter().position(|v| v == name) else {
            let hint = did_you_mean(name, model.variables.iter().map(String::as_str))
                .map(|n| format!("; did you mean '{n}'?"))
                .unwrap_or_default();
            return Err(UsageError::new(format!(
                "--rating {text}: the model has no variable '{name}'{hint}; its variables are {}",
                model.variables.join(", ")
            )));
        };
        if std::mem::replace(&mut seen[j], true) {
            return Err(UsageError::new(format!(
                "--rating {text}: '{name}' is rated twice; expected each variable at most once"
            )));
        }
        let codes: Vec<i64> = book
            .variable(name)
            .map(|v| v.codes.iter().map(|c| c.code).collect())
            .unwrap_or_default();
        match value.parse::<i64>() {
            Ok(code) if codes.contains(&code) => ratings[j] = Some(code),
            _ => {
                return Err(UsageError::new(format!(
                    "--rating {text}: '{value}' is not a code of {name}; expected one of {} (leave a variable out for no answer)",
                    codes.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
                )))
            }
        }
    }
    Ok(ratings)
}

/// Draws the sheet's chart as SVG and returns its text.
pub(super) fn chart_svg(chart: &Chart) -> Result<String> {
    let svg = chart.picture(ImageFormat::Svg, "chart.svg")?;
    // the SVG backend writes text
    Ok(String::from_utf8_lossy(&svg).into_owned())
}

/// The chart a Markdown sheet `out` links to: `<stem>-chart.svg` beside it (`None` for an HTML
/// sheet, which holds its chart).
fn chart_beside(out: &Path) -> Option<PathBuf> {
    let html = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html"));
    let stem = out
        .file_stem()
        .map_or_else(|| "sheet".into(), |s| s.to_string_lossy().into_owned());
    (!html).then(|| out.with_file_name(format!("{stem}-chart.svg")))
}

/// The municipality a sheet is about, assigned by classify itself.
struct Municipality {
    id: String,
    ratings: Vec<Option<i64>>,
    /// Its type, distances to every type and margin.
    assigned: (usize, Vec<f64>, Option<f64>),
    /// Its point in the model's scaled space.
    point: Vec<f64>,
    /// The `--from` file's rows, and its row there.
    from_rows: Option<Rows>,
    from_row: Option<usize>,
}

fn municipality(
    r: &PositionRequest,
    model: &SavedModel,
    book: &Arc<Codebook>,
    warnings: &mut Vec<String>,
) -> Result<Municipality> {
    Ok(match (&r.from, r.ratings.is_empty()) {
        (Some(_), false) => {
            return Err(UsageError::new(
                "give either --rating VARIABLE=CODE ... or --from FILE --id ID, not both",
            )
            .into())
        }
        (None, true) => {
            return Err(UsageError::new(
                "say whose position to show: --rating VARIABLE=CODE ... (one per clustering variable) or --from FILE --id ID",
            )
            .into())
        }
        (Some(file), true) => {
            let Some(id) = &r.id else {
                return Err(UsageError::new("--from FILE needs --id ID: the row to show").into());
            };
            let input = SurveyInput {
                file: file.clone(),
                codebook: r.codebook.clone(),
                sheet: r.sheet.clone(),
                mapping: r.mapping.clone(),
            };
            let (rows, _) = read_rows(model, &input)?;
            warnings.extend(rows.warnings.iter().cloned());
            let Some(row) = rows.survey.ids().iter().position(|i| i == id) else {
                return Err(Error::Input {
                    path: file.display().to_string(),
                    message: format!(
                        "no row with the identifier '{}'",
                        crate::escape::field(id)
                    ),
                });
            };
            let c = &rows.classified[row];
            let Some(t) = c.type_index else {
                return Err(not_assigned(&file.display().to_string(), id, c));
            };
            let assigned = (t, c.distances.clone(), c.margin);
            let point = rows.points[row].clone().expect("classified rows have points");
            let ratings = rows.ratings(model, row);
            Municipality {
                id: id.clone(),
                ratings,
                assigned,
                point,
                from_rows: Some(rows),
                from_row: Some(row),
            }
        }
        (None, false) => {
            let ratings = parse_ratings(model, book, &r.ratings)?;
            let id = r.id.clone().unwrap_or_else(|| {
                if crate::show::words::Words::of_model(model, r.lang).is_study() {
                    r.lang.pick("Ihre Kommune", "your municipality")
                } else {
                    r.lang.pick("Ihre Antworten", "your answers")
                }
                .to_string()
            });
            let mut survey = Survey::blank(Arc::clone(book), 1);
            survey.ids_mut()[0] = id.clone();
            for (v, rating) in model.variables.iter().zip(&ratings) {
                survey.codes_mut(v)?.set(0, *rating);
            }
            let c = cluster::classify(model, &survey)?.remove(0);
            let Some(t) = c.type_index else {
                return Err(not_assigned("--rating", &id, &c));
            };
            let point = cluster::scaled_points(model, &survey)?
                .remove(0)
                .expect("classified rows have points");
            Municipality {
                id,
                ratings,
                assigned: (t, c.distances.clone(), c.margin),
                point,
                from_rows: None,
                from_row: None,
            }
        }
    })
}

/// An output sheet `.md` or `.html`, apart from every input (and so is its chart beside it).
fn check_out(r: &PositionRequest) -> Result<()> {
    if let Some(out) = &r.out {
        let ext = out
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("md" | "html")) {
            return Err(UsageError::new(format!(
                "--out {}: expected a file name ending in .md or .html",
                out.display()
            ))
            .into());
        }
        let inputs = [
            ("model", Some(r.model.as_path())),
            ("file", r.from.as_deref()),
            ("survey", r.survey.as_deref()),
            ("codebook", r.codebook.as_deref()),
            ("mapping", r.mapping.as_deref()),
        ];
        check_output_apart(out, "--out", &inputs)?;
        if let Some(chart) = chart_beside(out) {
            check_output_apart(&chart, "--out (the sheet's chart beside it)", &inputs)?;
        }
    }
    Ok(())
}

pub(super) fn run(r: &PositionRequest) -> Result<Outcome> {
    let book = Arc::new(match &r.codebook {
        Some(p) => Codebook::from_path(p)?,
        None => Codebook::builtin(),
    });
    check_out(r)?;
    if r.from.is_none() && (r.sheet.is_some() || r.mapping.is_some()) {
        return Err(UsageError::new(
            "--sheet and --mapping say how to read the --from file: give --from FILE --id ID",
        )
        .into());
    }
    let model = read_model(&r.model)?;
    super::inputs::check_model_codebook(&model, &r.model, r.codebook.as_deref())?;
    let feedback: &Feedback = model.feedback.as_ref().expect("checked in read_model");
    let mut warnings = Vec::new();

    // the municipality, assigned by classify itself
    let Municipality {
        id,
        ratings,
        assigned,
        point,
        from_rows,
        from_row,
    } = municipality(r, &model, &book, &mut warnings)?;

    // the nearest municipalities: from --survey, else from the --from file
    let neighbours = match (&r.survey, &from_rows) {
        (Some(file), _) => {
            // --sheet and --mapping are the --from file's
            let rows = read_survey(&model, file, r.codebook.as_ref(), &mut warnings)?;
            // the municipality taken from a file is not its own neighbour: its row in the survey
            // (the same file, or another wave that has it) is left out by its identifier
            let own = from_rows
                .as_ref()
                .and_then(|_| rows.survey.ids().iter().position(|i| *i == id));
            Some((rows.label.clone(), rows.nearest(&point, own)))
        }
        (None, Some(rows)) => Some((rows.label.clone(), rows.nearest(&point, from_row))),
        (None, None) => None,
    };
    let votes = model.certainty.as_ref().map(|c| c.votes(&point));
    let position = Position::new(
        (&model, feedback),
        id,
        ratings,
        assigned,
        neighbours,
        |variable, positive| match (&from_rows, from_row) {
            (Some(rows), Some(row)) => rows.done(row, variable, positive),
            _ => None,
        },
    )
    .with_certainty(votes);
    let sheet = Sheet {
        p: &position,
        lang: r.lang,
    };
    let mut stdout = sheet.terminal();
    if let Some(out) = &r.out {
        let svg = chart_svg(&sheet.chart())?;
        let html = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html"));
        if html {
            let page = sheet.html(&svg);
            write_atomic(out, |w| w.write_all(page.as_bytes()))?;
            stdout.push('\n');
            stdout.push_str(&super::wrote(&[out], r.lang));
        } else {
            let chart_path = chart_beside(out).expect("a Markdown sheet has its chart beside it");
            write_atomic(&chart_path, |w| w.write_all(svg.as_bytes()))?;
            let text = sheet.markdown(&file_label(&chart_path));
            write_atomic(out, |w| w.write_all(text.as_bytes()))?;
            stdout.push('\n');
            stdout.push_str(&super::wrote(&[out, &chart_path], r.lang));
        }
    }
    Ok(Outcome::ok(stdout).with_warnings(warnings, r.lang))
}
