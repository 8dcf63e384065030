//! Reports: profile sheets per type, cross-tabulations with tests, and charts (PNG or SVG) drawn
//! from the analysis results, with an embedded font so that text, umlauts included, renders without
//! any system font.

pub mod charts;
pub mod document;
pub mod pca;
pub mod plot;
pub mod profile;
pub mod sheets;
pub mod tabulate;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReportError {
    #[error("{path}: cannot draw the chart: {message}")]
    Chart { path: String, message: String },
    #[error("{0}")]
    Options(String),
    #[error(transparent)]
    Survey(#[from] crate::survey::SurveyError),
    #[error(transparent)]
    File(#[from] crate::output::FileError),
}

/// Where the data come from, for the note under each chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSource {
    pub file: String,
    pub synthetic: bool,
}

impl DataSource {
    pub fn note(&self, base: &str, lang: Lang) -> String {
        let data = match (lang, self.synthetic) {
            (Lang::De, true) => format!("Daten: {} (synthetische Ersatzdaten)", self.file),
            (Lang::De, false) => format!("Daten: {}", self.file),
            (Lang::En, true) => format!("Data: {} (synthetic stand-in data)", self.file),
            (Lang::En, false) => format!("Data: {}", self.file),
        };
        format!("{base}. {data}")
    }
}

/// Language of labels and headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// The German or the English text.
    pub fn pick<'a>(self, de: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }
}
