//! `typfrage response-style`: whether a type is a response style. The k-means typology is fitted
//! as `cluster` fits it, then the clustering is re-run on each municipality's ratings centred on
//! its own mean (optionally also divided by its own spread); the new clusters are matched to the
//! types (largest overlap, Hungarian method), and the command reports how many municipalities keep
//! their type and which type depends most on the overall rating level. A result folder with a
//! manifest, like `cluster`'s.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::folder::Staged;
use super::inputs::type_definitions;
use super::sealed::seal;
use super::{out_or, Outcome, RecordedPaths, Request, SurveyInput};
use crate::cluster::response_style::{response_style, ResponseStyle, ResponseStyleOptions};
use crate::cluster::{self, ClusterOptions};
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::output::{default_out_dir, write_atomic};
use crate::show::format::{number, signed};
use crate::show::table::{Cell, CsvStyle, Table};

/// The table `response-style` writes.
pub const RESPONSE_STYLE_FILE: &str = "response-style.csv";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseStyleRequest {
    #[serde(flatten)]
    pub input: SurveyInput,
    /// The k-means typology, as `cluster` fits it; the re-run uses the same settings.
    pub options: ClusterOptions,
    /// Also divide each municipality's centred ratings by their spread.
    #[serde(default)]
    pub by_spread: bool,
    /// Language of the summary and of the type names in the table.
    #[serde(default)]
    pub lang: Lang,
    /// How CSV files are written (RFC 4180, or for German Excel).
    #[serde(default)]
    pub csv: CsvStyle,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out: Option<PathBuf>,
}

impl ResponseStyleRequest {
    /// The files it reads, by their role in a manifest, and its output folder.
    pub(super) fn recorded_paths(&mut self) -> RecordedPaths<'_> {
        RecordedPaths {
            inputs: self.input.paths_mut(),
            out: &mut self.out,
        }
    }
}

impl ResponseStyleRequest {
    pub(super) fn check(&self) -> Result<(), UsageError> {
        super::cluster::check_options(&self.options)
    }
}

/// `response-style.csv`: one line per type: size, mean rating level, its distance from the overall
/// level in standard deviations, members kept, and the members by matched new cluster.
fn table(r: &ResponseStyle, lang: Lang) -> Table {
    let mut head: Vec<String> = [
        "type_id",
        "type",
        "n",
        "mean_level",
        "level_difference_sd",
        "kept",
        "kept_share",
        "most_level_dependent",
    ]
    .map(String::from)
    .to_vec();
    head.extend(r.types.iter().map(|t| format!("in_{}", t.id)));
    let mut t = Table::new(head);
    for (i, (level, row)) in r.types.iter().zip(&r.crosstab).enumerate() {
        let mut cells = vec![
            Cell::text(level.id.as_str()),
            Cell::text(lang.pick(&level.name_de, &level.name_en)),
            Cell::count(level.n),
            Cell::number(level.mean_level, 4),
            Cell::number(level.level_difference, 4),
            Cell::count(level.kept),
            Cell::number(level.kept_share, 4),
            Cell::text(if i == r.most_level_dependent {
                "yes"
            } else {
                "no"
            }),
        ];
        cells.extend(row.iter().map(|&c| Cell::count(c)));
        t.push(cells);
    }
    t
}

fn summary(r: &ResponseStyle, file: &str, lang: Lang) -> String {
    let pct = |share: f64| format!("{} %", number(100.0 * share, 1, lang));
    let centred = match (lang, r.by_spread) {
        (Lang::De, false) => "um den eigenen Mittelwert jeder Kommune zentriert",
        (Lang::De, true) => {
            "um den eigenen Mittelwert jeder Kommune zentriert und durch ihre eigene Streuung geteilt"
        }
        (Lang::En, false) => "centred on each municipality's own mean",
        (Lang::En, true) => {
            "centred on each municipality's own mean and divided by its own spread"
        }
    };
    let mut out = match lang {
        Lang::De => format!(
            "{file}: {} Kommunen, {} Typen; die Clusteranalyse erneut auf den Bewertungen, {centred}.\n\
             {} von {} Kommunen ({}) behalten ihren Typ (neue Cluster den Typen zugeordnet nach größter Überschneidung, Ungarische Methode); bereinigter Rand-Index {}.\n",
            r.n,
            r.types.len(),
            r.kept,
            r.n,
            pct(r.kept_share),
            number(r.ari, 3, lang)
        ),
        Lang::En => format!(
            "{file}: {} municipalities, {} types; the clustering re-run on the ratings {centred}.\n\
             {} of {} municipalities ({}) keep their type (new clusters matched to the types by largest overlap, Hungarian method); adjusted Rand index {}.\n",
            r.n,
            r.types.len(),
            r.kept,
            r.n,
            pct(r.kept_share),
            number(r.ari, 3, lang)
        ),
    };
    let names: Vec<&str> = r
        .types
        .iter()
        .map(|t| lang.pick(&t.name_de, &t.name_en))
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(4) + 2;
    let head = match lang {
        Lang::De => ["Typ", "n", "Niveau", "Abstand (SD)", "behalten"],
        Lang::En => ["type", "n", "level", "difference (SD)", "kept"],
    };
    out.push_str(&format!(
        "  {:<width$}{:>6}{:>9}{:>17}{:>16}\n",
        head[0], head[1], head[2], head[3], head[4]
    ));
    for (name, t) in names.iter().zip(&r.types) {
        out.push_str(&format!(
            "  {name:<width$}{:>6}{:>9}{:>17}{:>16}\n",
            t.n,
            number(t.mean_level, 2, lang),
            signed(t.level_difference, 2, lang),
            format!("{} ({})", t.kept, pct(t.kept_share))
        ));
    }
    if let Some(t) = r.types.get(r.most_level_dependent) {
        let name = names[r.most_level_dependent];
        out.push_str(&match lang {
            Lang::De => format!(
                "Am stärksten vom allgemeinen Bewertungsniveau abhängig: {name} (behält {} seiner Mitglieder; sein Niveau liegt {} Standardabweichungen vom Mittel aller).\n",
                pct(t.kept_share),
                signed(t.level_difference, 2, lang)
            ),
            Lang::En => format!(
                "Depends most on the overall rating level: {name} (keeps {} of its members; its level is {} standard deviations from the mean of all).\n",
                pct(t.kept_share),
                signed(t.level_difference, 2, lang)
            ),
        });
    }
    if r.constant_rows > 0 {
        out.push_str(&match lang {
            Lang::De => format!(
                "{} Kommunen gaben jedem Ziel dieselbe Bewertung; zentriert sind ihre Bewertungen alle 0.\n",
                r.constant_rows
            ),
            Lang::En => format!(
                "{} municipalities gave every goal the same rating; centred, their ratings are all 0.\n",
                r.constant_rows
            ),
        });
    }
    out
}

pub(super) fn run(r: &ResponseStyleRequest) -> Result<Outcome> {
    let dir = out_or(&r.out, || {
        default_out_dir(&r.input.file).join("response-style")
    });
    let read = r.input.read_for(&dir, r.options.vars.as_deref())?;
    let _bar = super::progress::show(r.lang);
    let survey = &read.loaded.survey;
    let typology = cluster::fit_typology(survey, &r.options, &type_definitions(None)?)?;
    let result = response_style(
        &typology,
        &ResponseStyleOptions {
            by_spread: r.by_spread,
        },
    )?;
    let staged = Staged::begin(&dir)?;
    let path = staged.dir().join(RESPONSE_STYLE_FILE);
    let text = table(&result, r.lang).csv(r.csv)?;
    write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
    let shown = seal(
        staged,
        &Request::ResponseStyle(r.clone()),
        &r.input,
        &read.sha256,
        Some(r.options.seed),
        &[path],
    )?;
    let mut stdout = summary(&result, &r.input.file.display().to_string(), r.lang);
    stdout.push_str(&super::wrote(&shown, r.lang));
    let warnings = r.input.load_warnings(&read.loaded);
    Ok(Outcome::ok(stdout).with_warnings(
        warnings.into_iter().chain(typology.warnings(r.lang)),
        r.lang,
    ))
}
