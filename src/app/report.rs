//! The profile sheets of a clustering, written: the numbers ([`crate::profile`]), the checks of the
//! types' robustness, the words and charts ([`crate::show::views`]), then every file into the
//! result folder: the charts (each with its numbers beside it), a Markdown sheet per type, the
//! cross-tabs as Markdown and CSV, what sets each type apart (`characteristics.csv`, `eta2.csv`),
//! everything as JSON, the replication and the threshold tree (`validation.csv`, `splits.csv`,
//! `tree.json`, `tree-otherwise.csv`, as `typfrage replicate` writes them, with [`REPORT_SPLITS`]
//! half-splits), and one self-contained HTML report with the charts embedded.

use std::path::{Path, PathBuf};

use super::replicate::{validate_typology, validation_charts, write_validation, REPORT_SPLITS};
use super::workbook::Part;
use crate::cluster::{TypeDef, Typology};
use crate::error::Result;
use crate::lang::Lang;
use crate::output::{ensure_dir, write_atomic, write_chart};
use crate::profile::robustness::{CHOOSE_K_MAX, CHOOSE_K_MIN, MAX_STARTS};
use crate::profile::{check_crosstab_charts, robustness, Source};
use crate::show::chart::look::PRINT_MIN_POINTS;
use crate::show::chart::{ChartLook, ImageFormat};
use crate::show::doc::html::PRINT_WIDTH_MM;
use crate::show::labels::DataSource;
use crate::show::table::{CsvStyle, Table};
use crate::show::views::crosstabs::{crosstabs_document, crosstabs_table};
use crate::show::views::describe::{characteristics_table, eta2_table};
use crate::show::views::profile::build;
use crate::show::views::profile_charts::{crosstab_chart, profile_charts};
use crate::show::views::profile_sheet::type_sheet_markdown;
use crate::show::views::report_page::{report_page, Picture};
use crate::show::views::{replication, tree};
use crate::survey::Survey;

/// What to write (on the command line: the sheets' options of `cluster --report` and `profile`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ReportOptions {
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// Also draw every chart as SVG
    #[cfg_attr(feature = "cli", arg(long))]
    pub svg: bool,
    /// Draw a bar chart of the cross-tab of these variables by type, comma-separated
    #[cfg_attr(
        feature = "cli",
        arg(long = "crosstab", value_delimiter = ',', value_name = "VAR,...")
    )]
    pub crosstab_charts: Vec<String>,
    /// How large the charts are drawn (size, text scale, full share axes).
    #[serde(default)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub chart: ChartLook,
}

/// What [`write_report`] wrote: the files, and the tables of the cross-tabs and of
/// every chart (by the chart's file stem), for a workbook.
pub struct WrittenReport {
    pub files: Vec<PathBuf>,
    pub crosstabs: Table,
    /// What sets each type apart (`characteristics.csv`) and η² (`eta2.csv`).
    pub characteristics: Table,
    pub eta2: Table,
    pub charts: Vec<(String, Table)>,
}

impl WrittenReport {
    /// The line the summary ends with: how many files, and the report's page in `dir`.
    pub fn summary(&self, dir: &Path, lang: Lang) -> String {
        match lang {
            Lang::De => format!(
                "geschrieben: die Steckbriefe, Kreuztabellen und Grafiken ({} Dateien) und {}\n",
                self.files.len(),
                dir.join("report.html").display()
            ),
            Lang::En => format!(
                "wrote the profile sheets, cross-tabs and charts ({} files) and {}\n",
                self.files.len(),
                dir.join("report.html").display()
            ),
        }
    }

    /// The workbook's sheets of the report: the cross-tabs and every chart's numbers.
    pub fn parts(&self, lang: Lang) -> Vec<Part> {
        let mut parts = vec![Part::new(
            "crosstabs",
            self.crosstabs.clone(),
            lang.pick(
                "Kreuztabellen nach Typ mit Chi-Quadrat, p, Cramérs V und standardisierten Residuen",
                "cross-tabs by type with chi-square, p, Cramér's V and adjusted residuals",
            ),
            Some("crosstabs.csv".into()),
        )];
        parts.push(Part::new(
            "characteristics",
            self.characteristics.clone(),
            lang.pick(
                "was jeden Typ auszeichnet: Cla/Mod, Mod/Cla, Global, p und v-Test je Kategorie, Mittelwerte je Variable (wie FactoMineR catdes)",
                "what sets each type apart: Cla/Mod, Mod/Cla, Global, p and v-test per category, means per variable (as FactoMineR's catdes)",
            ),
            Some("characteristics.csv".into()),
        ));
        parts.push(Part::new(
            "eta2",
            self.eta2.clone(),
            lang.pick(
                "η² je numerischer und ordinaler Variable nach Typ, mit p des F-Tests",
                "η² of every numeric and ordinal variable by type, with the F test's p",
            ),
            Some("eta2.csv".into()),
        ));
        for (stem, table) in &self.charts {
            let what = format!(
                "{} {stem}",
                lang.pick("Zahlen der Grafik", "numbers of the chart")
            );
            parts.push(Part::new(
                stem,
                table.clone(),
                what,
                Some(format!("charts/{stem}.csv")),
            ));
        }
        parts
    }
}

/// Writes `text` to `dir/name` and lists the file.
fn write_text(dir: &Path, name: &str, text: &str, written: &mut Vec<PathBuf>) -> Result<()> {
    let path = dir.join(name);
    write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
    written.push(path);
    Ok(())
}

/// Every chart of the sheets rendered and written into `dir/charts` (PNG, SVG when asked); the
/// PNGs come back for the HTML report.
fn write_charts(
    dir: &Path,
    charts: &[(String, crate::show::chart::Chart)],
    options: &ReportOptions,
    csv: CsvStyle,
    written: &mut Vec<PathBuf>,
) -> Result<Vec<Picture>> {
    let chart_dir = dir.join("charts");
    ensure_dir(&chart_dir)?;
    let mut pngs = Vec::new();
    for (stem, chart) in charts {
        let png = chart.render(stem, ImageFormat::Png, csv)?;
        written.extend(write_chart(&chart_dir, stem, png.files())?);
        pngs.push((
            stem.clone(),
            chart.title().to_string(),
            png.picture,
            chart.fonts().smallest(),
        ));
        if options.svg {
            let svg = chart.render(stem, ImageFormat::Svg, csv)?;
            written.extend(
                write_chart(&chart_dir, stem, svg.files())?
                    .into_iter()
                    .take(1),
            );
        }
    }
    Ok(pngs)
}

/// Builds the report and writes everything into `dir`, every CSV in the style `csv`.
pub fn write_report(
    dir: &Path,
    survey: &Survey,
    typology: &Typology,
    defs: &[TypeDef],
    source: Source,
    options: &ReportOptions,
    csv: CsvStyle,
) -> Result<WrittenReport> {
    check_crosstab_charts(survey, typology, &options.crosstab_charts)?;
    let (source_file, source_synthetic) = (source.file.clone(), source.synthetic);
    let profile = crate::profile::build(survey, typology, defs)?;
    let mut report = build(
        &profile,
        typology,
        survey.codebook(),
        defs,
        source,
        options.lang,
    );
    let checks = robustness(typology)?;
    let starts = typology.options.n_init.clamp(1, MAX_STARTS);
    let validation = validate_typology(
        survey,
        typology,
        defs,
        (CHOOSE_K_MIN, CHOOSE_K_MAX),
        REPORT_SPLITS,
        starts,
    )?;
    crate::progress::start(crate::progress::Task::Report, 0);
    report.robustness = Some(checks.clone());
    let mut written = write_validation(dir, &validation, typology, survey, options.lang, csv)?;
    let mut all_charts = profile_charts(&report, typology);
    let data = DataSource {
        file: source_file,
        synthetic: source_synthetic,
    };
    all_charts.extend(validation_charts(
        &validation,
        typology,
        survey,
        &data,
        options.lang,
    ));
    for v in &options.crosstab_charts {
        if let Some(c) = report.crosstabs.iter().find(|c| &c.variable == v) {
            all_charts.push((format!("crosstab-{v}"), crosstab_chart(&report, c)));
        }
    }
    for (_, chart) in &mut all_charts {
        chart.set_look(&options.chart);
        // the page prints every chart across its width: text large enough to read there
        // (2 % to spare for the picture's frame and rounding), unless a text scale was asked
        // for; a picture's height asked for stays
        if options.chart.scale.is_none() {
            let asked = chart.size();
            chart.fit_for_print(PRINT_WIDTH_MM, PRINT_MIN_POINTS * 1.02);
            if options.chart.size.is_some_and(|s| s.height.is_some()) {
                chart.set_size(asked);
            }
        }
    }
    let pngs = write_charts(dir, &all_charts, options, csv, &mut written)?;

    // one Markdown sheet per type
    for (g, t) in report.types.iter().enumerate() {
        let stem = format!("profile-{}", t.id);
        let chart = pngs
            .iter()
            .find(|(s, _, _, _)| *s == stem)
            .map(|(_, _, png, _)| (format!("charts/{stem}.png"), png));
        let text = type_sheet_markdown(
            &report,
            g,
            chart.as_ref().map(|(p, png)| (p.as_str(), png.as_slice())),
        );
        write_text(dir, &format!("{stem}.md"), &text, &mut written)?;
    }
    let crosstabs_md = crosstabs_document(&report, 1).markdown();
    write_text(dir, "crosstabs.md", &crosstabs_md, &mut written)?;
    let crosstabs = crosstabs_table(&report);
    write_text(dir, "crosstabs.csv", &crosstabs.csv(csv)?, &mut written)?;
    let characteristics = characteristics_table(&profile.description, typology);
    write_text(
        dir,
        "characteristics.csv",
        &characteristics.csv(csv)?,
        &mut written,
    )?;
    let eta2 = eta2_table(&profile.description);
    write_text(dir, "eta2.csv", &eta2.csv(csv)?, &mut written)?;
    let json = serde_json::to_string_pretty(&report).expect("JSON of plain values") + "\n";
    write_text(dir, "profiles.json", &json, &mut written)?;
    // the self-contained HTML report
    let embedded = |stem: &str| {
        pngs.iter()
            .find(|(s, _, _, _)| s == stem)
            .map(|(s, title, png, text_px)| {
                (
                    format!("charts/{s}.png"),
                    title.clone(),
                    png.clone(),
                    *text_px,
                )
            })
    };
    let (splits_png, tree_png) = (embedded("splits"), embedded("tree"));
    let v = &validation;
    let sections = [
        replication::report_blocks(
            &v.replication,
            v.starts,
            typology.types.len(),
            &v.columns,
            &v.steps,
            embedded_ref(&splits_png),
            &report.words,
        ),
        tree::report_blocks(
            &v.tree,
            typology,
            survey.codebook(),
            embedded_ref(&tree_png),
            options.lang,
        ),
    ];
    let html = report_page(&report, &checks, &pngs, &options.crosstab_charts, &sections);
    write_text(dir, "report.html", &html, &mut written)?;
    let charts = all_charts
        .iter()
        .map(|(stem, chart)| (stem.clone(), chart.table()))
        .collect();
    Ok(WrittenReport {
        files: written,
        crosstabs,
        characteristics,
        eta2,
        charts,
    })
}

/// A chart's path, title and PNG, borrowed.
fn embedded_ref(p: &Option<(String, String, Vec<u8>, f64)>) -> Option<(&str, &str, &[u8], f64)> {
    p.as_ref()
        .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_slice(), *d))
}
