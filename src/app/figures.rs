//! `typfrage figures`: every published figure and finding recomputed from a survey file and
//! compared; the table in four formats, the study's charts, the workbook and the manifest (read →
//! compute in `crate::figures` → show in `crate::show::views::figures` → write → seal). Exit
//! status 3 when a figure or finding is not reproduced.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::folder::Staged;
use super::inputs::{check_output_apart, record_input};
use super::workbook::{self, About, Part};
use super::{out_or, Outcome, RecordedPaths, Request, SurveyInput};
use crate::error::Result;
use crate::exit::ExitStatus;
use crate::figures::{self, Published, Verdict};
use crate::lang::Lang;
use crate::manifest::Manifest;
use crate::output::{default_out_dir, write_atomic, write_chart};
use crate::show::chart::{ChartLook, ImageFormat};
use crate::show::labels::DataSource;
use crate::show::table::CsvStyle;
use crate::show::views::figures::charts::{self, StudyChart};
use crate::show::views::figures::render::{self, Format};
use crate::show::weights;
use crate::survey::{WeightChoice, Weighting};

/// How the figures table is printed on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    Table,
    #[cfg_attr(feature = "cli", value(name = "md"))]
    Markdown,
    Csv,
    Json,
}

impl From<TableFormat> for Format {
    fn from(f: TableFormat) -> Format {
        match f {
            TableFormat::Table => Format::Table,
            TableFormat::Markdown => Format::Markdown,
            TableFormat::Csv => Format::Csv,
            TableFormat::Json => Format::Json,
        }
    }
}

/// The workbook `figures` writes.
pub const WORKBOOK: &str = "figures.xlsx";

/// What `figures` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct FiguresRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    /// Published figures to compare against (TOML); the 2019 short study's are built in
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub published: Option<PathBuf>,
    /// What is printed on the terminal (the files are written in every format)
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = TableFormat::Table))]
    pub format: TableFormat,
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// Draw the charts as SVG instead of PNG
    #[cfg_attr(feature = "cli", arg(long))]
    pub svg: bool,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
    /// Output folder for the figures table, the study's charts and manifest.json
    /// [default: <input stem>-typfrage/figures beside the input]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub out: Option<PathBuf>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub chart: ChartLook,
    /// Weight the shares and means by this variable, or none [default: none: the published
    /// figures are unweighted shares, so figures weights only when asked]
    // not written when unweighted, so a manifest reads as before weights existed
    #[serde(default, skip_serializing_if = "unweighted")]
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_name = "VAR|none",
            default_value = "none",
            hide_default_value = true
        )
    )]
    pub weight: WeightChoice,
}

impl FiguresRequest {
    /// The files it reads, by their role in a manifest, and its output folder.
    pub(super) fn recorded_paths(&mut self) -> RecordedPaths<'_> {
        let mut inputs = self.input.paths_mut();
        if let Some(p) = self.published.as_mut() {
            inputs.push(("published", p));
        }
        RecordedPaths {
            inputs,
            out: &mut self.out,
        }
    }
}

fn unweighted(choice: &WeightChoice) -> bool {
    *choice == WeightChoice::None
}

pub(super) fn run(r: &FiguresRequest) -> Result<Outcome> {
    // read
    let published = match &r.published {
        Some(p) => Published::from_path(p)?,
        None => Published::builtin(),
    };
    let dir = out_or(&r.out, || default_out_dir(&r.input.file).join("figures"));
    let mut inputs = r.input.roles();
    inputs.push(("published figures", r.published.as_deref()));
    check_output_apart(&dir, "--out", &inputs)?;
    let staged = Staged::begin(&dir)?;
    // only the identifier must be there: the codebook's variables the file lacks read as blank,
    // and the figures that need them are said to be not computable
    let read = r.input.read_columns(&[])?;
    let survey = &read.loaded.survey;
    let weighting = r.input.weights(&read, &r.weight)?;
    // compute
    let report = figures::check_weighted(survey, &published, &weighting)?;
    let numbers = figures::study_numbers(survey)?;
    // show
    let l = r.lang;
    let mut stdout = render::render(&report, r.format.into(), l)?;
    let source = DataSource {
        file: r.input.label(),
        synthetic: read.loaded.dialect.says_synthetic(),
    };
    let mut study = charts::study_charts(&numbers, survey.codebook(), &source, l);
    for c in &mut study {
        c.chart.set_look(&r.chart);
    }
    // write
    let out = staged.dir();
    let written = write_files(r, out, &report, &study)?;
    let about = About {
        title: l
            .pick(
                "typfrage figures: die veröffentlichten Zahlen der Kurzstudie 2019, aus den Daten nachgerechnet",
                "typfrage figures: the published figures of the 2019 short study, recomputed from the data",
            )
            .into(),
        file: &r.input.label(),
        sha256: &read.sha256,
        synthetic: source.synthetic,
        seed: None,
        words: crate::show::words::Words::of(survey.codebook(), l),
        weighting: render::weighting_line(&report, l)
            .unwrap_or_else(|| {
                weights::describe(
                    &Weighting::none(),
                    &crate::show::words::Words::of(survey.codebook(), l),
                )
            }),
    };
    let mut written = written;
    written.push(workbook::write(
        &out.join(WORKBOOK),
        &about,
        workbook_parts(&report, &study, l),
    )?);
    // seal: where the file lacks variables, the figures and findings not computed are put down
    // to them, named, and are not failures
    let absent = &read.loaded.absent;
    let uncomputable: Vec<&str> = if absent.is_empty() {
        Vec::new()
    } else {
        report
            .figures
            .iter()
            .filter(|f| f.verdict == Verdict::NotComputed)
            .map(|f| f.published.id.as_str())
            .chain(
                report
                    .findings
                    .iter()
                    .filter(|f| f.verdict == Verdict::NotComputed)
                    .map(|f| f.published.id.as_str()),
            )
            .collect()
    };
    let failures: Vec<&str> = report
        .failures()
        .into_iter()
        .filter(|id| !uncomputable.contains(id))
        .collect();
    let status = if failures.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::NotReproduced
    };
    let mut m = Manifest::new(
        "figures",
        super::verify::recorded(&Request::Figures(r.clone()), out)?,
    );
    r.input.record(&mut m, &read.sha256, out)?;
    record_input(
        &mut m,
        "published",
        r.published.as_deref(),
        figures::DEFAULT_PUBLISHED,
        out,
    )?;
    m.exit_code = status;
    m.add_outputs(out, &written)?;
    m.write(out)?;
    staged.commit()?;
    if r.format == TableFormat::Table {
        stdout.push_str(&render::wrote(
            written.len(),
            study.len(),
            &dir,
            report.weight.is_none(),
            l,
        ));
    }
    let note = weights::note(
        &weighting,
        &crate::show::words::Words::of(read.loaded.survey.codebook(), l),
    );
    stdout.push_str(&render::absent_note(absent, &uncomputable, l));
    let warnings = r.input.load_warnings(&read.loaded);
    if failures.is_empty() {
        return Ok(Outcome::ok(stdout)
            .with_warnings(warnings, l)
            .with_note(note));
    }
    let not_computed = report
        .figures
        .iter()
        .filter(|f| f.verdict == Verdict::NotComputed)
        .count();
    let file = r.input.file.display().to_string();
    Ok(Outcome {
        stdout,
        stderr: render::not_reproduced(&file, &failures, not_computed, l),
        status,
        shown: 0,
    }
    .with_warnings(warnings, l)
    .with_note(note))
}

/// `figures.csv`, `figures.md`, `figures.json` and the study's charts, into `out`.
fn write_files(
    r: &FiguresRequest,
    out: &Path,
    report: &figures::FiguresReport,
    study: &[StudyChart],
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let path = out.join("figures.csv");
    let text = render::figures_table(report, r.lang).csv(r.csv);
    write_atomic(&path, |w| w.write_all(text?.as_bytes()))?;
    written.push(path);
    for (name, format) in [
        ("figures.md", Format::Markdown),
        ("figures.json", Format::Json),
    ] {
        let path = out.join(name);
        let text = render::render(report, format, r.lang)?;
        write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
        written.push(path);
    }
    let image = if r.svg {
        ImageFormat::Svg
    } else {
        ImageFormat::Png
    };
    for c in study {
        let rendered = c.chart.render(c.stem, image, r.csv)?;
        written.extend(write_chart(out, &rendered.stem, rendered.files())?);
    }
    Ok(written)
}

/// The workbook's sheets: the figures table and each chart's numbers.
fn workbook_parts(report: &figures::FiguresReport, study: &[StudyChart], l: Lang) -> Vec<Part> {
    let mut parts = vec![Part::new(
        "figures",
        render::figures_table(report, l),
        l.pick(
            "jede veröffentlichte Zahl und jeder Befund: veröffentlicht und aus den Daten berechnet, Abweichung, Test, Urteil",
            "every published figure and finding: published and computed from the data, deviation, test, verdict",
        ),
        Some("figures.csv".into()),
    )];
    for c in study {
        let what = format!(
            "{} {}",
            l.pick("Zahlen der Grafik", "numbers of the chart"),
            c.chart.title()
        );
        parts.push(Part::new(
            c.stem,
            c.chart.table(),
            what,
            Some(format!("{}.csv", c.stem)),
        ));
    }
    parts
}
