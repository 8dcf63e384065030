//! `typfrage classify`: the municipalities of a new survey wave assigned to the types of a saved
//! model (its scaling and centroids, never re-fitted), and who switched type since an earlier
//! assignments file. The file needs only the identifier and the model's variables; the summary
//! says when the model was fitted on synthetic stand-in data.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::inputs::check_output_apart;
use super::{Outcome, SurveyInput};
use crate::cluster::{self, SavedModel};
use crate::error::{Error, Result};
use crate::escape::field;
use crate::escape::restore;
use crate::lang::Lang;
use crate::output::{read_text, read_text_at_most, write_atomic};
use crate::show::labels::synthetic_note;
use crate::show::table::CsvStyle;
use crate::show::views::classification::{classified_table, switch_lines};
use crate::show::words::Words;
use crate::survey::SmallCsv;

/// What `classify` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(
    feature = "cli",
    command(
        mut_arg("file", |a| a.help("Survey file of the new wave"))
    )
)]
pub struct ClassifyRequest {
    /// model.json written by typfrage cluster
    pub model: PathBuf,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    /// An earlier assignments file: list who switched type
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub previous: Option<PathBuf>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// Where to write the classification [default: <input stem>-classified.csv beside the input]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub out: Option<PathBuf>,
}

/// Reads an assignments file of either CSV style (RFC 4180, or German Excel: BOM and `;`, told
/// apart by the header line): id -> type, with neutralised text restored.
fn read_assignments(path: &Path) -> Result<HashMap<String, String>> {
    let text = read_text(path)?;
    let input = |message: String| Error::Input {
        path: path.display().to_string(),
        message,
    };
    let file = SmallCsv::new(&text).map_err(input)?;
    let (Some(id), Some(ty)) = (file.column("id"), file.column("type")) else {
        return Err(input(
            "expected the columns id and type (an assignments file of typfrage cluster or classify)"
                .into(),
        ));
    };
    let mut out = HashMap::new();
    for row in file.rows() {
        let (_, record) = row.map_err(input)?;
        let field = |i: usize| restore(record.get(i).unwrap_or_default()).to_string();
        out.insert(field(id), field(ty));
    }
    Ok(out)
}

pub(super) fn run(r: &ClassifyRequest) -> Result<Outcome> {
    let file = &r.input.file;
    let path = r.out.clone().unwrap_or_else(|| {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("survey");
        file.with_file_name(format!("{stem}-classified.csv"))
    });
    let mut inputs = r.input.roles();
    inputs.push(("model", Some(r.model.as_path())));
    inputs.push(("earlier assignments file", r.previous.as_deref()));
    check_output_apart(&path, "--out", &inputs)?;
    let text = read_text_at_most(&r.model, cluster::MAX_MODEL_BYTES)?;
    let model = SavedModel::parse(&text, &r.model.display().to_string())?;
    super::inputs::check_model_codebook(&model, &r.model, r.input.codebook.as_deref())?;
    // a file with the identifier and the model's variables is enough; other columns may be absent
    let read = r.input.read_columns(&model.variables)?;
    let rows = cluster::classify(&model, &read.loaded.survey)?;
    let previous = r.previous.as_deref().map(read_assignments).transpose()?;
    let table = classified_table(&model, &rows, r.lang).csv(r.csv)?;
    write_atomic(&path, |w| w.write_all(table.as_bytes()))?;
    let classified = rows.iter().filter(|r| r.type_index.is_some()).count();
    let lang = r.lang;
    let (file, n, model_file) = (file.display(), rows.len(), r.model.display());
    let left_out = n - classified;
    let words = Words::of_model(&model, lang);
    let units = words.units();
    let mut stdout = match lang {
        Lang::De => format!(
            "{file}: {n} {units}, {classified} mit dem gespeicherten Modell {model_file} zugeordnet ({left_out} ausgelassen)\n"
        ),
        Lang::En => format!(
            "{file}: {n} {units}, {classified} classified with the saved model {model_file} ({left_out} left out)\n"
        ),
    };
    if let Some(note) = synthetic_note(&model, lang) {
        stdout.push_str(&note);
        stdout.push('\n');
    }
    for (i, t) in model.types.iter().enumerate() {
        let n = rows.iter().filter(|r| r.type_index == Some(i)).count();
        let name = field(lang.pick(&t.name_de, &t.name_en));
        stdout.push_str(&format!("  {name:<28} {n:>5}\n"));
    }
    stdout.push_str(&crate::show::views::classification::certainty_lines(
        &model, &rows, lang,
    ));
    if let (Some(before), Some(prev)) = (previous, &r.previous) {
        stdout.push_str(&switch_lines(
            &model,
            &rows,
            &before,
            &prev.display().to_string(),
            &words,
        ));
    }
    stdout.push_str(&super::wrote(&[&path], lang));
    Ok(Outcome::ok(stdout).with_warnings(r.input.load_warnings(&read.loaded), lang))
}
