//! The published figures, findings and type profiles (`data/published-figures.toml`, a copy of the
//! project's reference list, embedded as the default). They are only ever compared against.

use std::path::Path;

use serde::Deserialize;

use super::FigureError;

/// The published figures that ship with `typfrage`.
pub const DEFAULT_PUBLISHED: &str = include_str!("../../data/published-figures.toml");

/// How a computed value must relate to the published one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The text prints the integer: within +/- 0.5.
    Exact,
    /// The text rounds: within +/- 2.5 points (+/- 0.5 for a mean in other units).
    Approx,
    /// Greater than the value.
    Gt,
    /// Less than the value.
    Lt,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Exact => "exact",
            Relation::Approx => "approx",
            Relation::Gt => "gt",
            Relation::Lt => "lt",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PublishedFigure {
    pub id: String,
    pub value: f64,
    /// `None` means percent.
    pub unit: Option<String>,
    pub relation: Relation,
    pub base: String,
    pub text: String,
    pub source: String,
}

impl PublishedFigure {
    pub fn is_percent(&self) -> bool {
        self.unit.is_none()
    }

    /// The allowed distance for exact and approximate figures.
    pub fn tolerance(&self) -> f64 {
        match (self.relation, self.is_percent()) {
            (Relation::Approx, true) => 2.5,
            _ => 0.5,
        }
    }

    /// Whether `computed` reproduces this figure.
    pub fn holds(&self, computed: f64) -> bool {
        match self.relation {
            Relation::Exact | Relation::Approx => (computed - self.value).abs() <= self.tolerance(),
            Relation::Gt => computed > self.value,
            Relation::Lt => computed < self.value,
        }
    }

    /// How the relation reads, e.g. "14 ±0.5", "> 95".
    pub fn relation_text(&self) -> String {
        match self.relation {
            Relation::Exact | Relation::Approx => format!("{} ±{}", self.value, self.tolerance()),
            Relation::Gt => format!("> {}", self.value),
            Relation::Lt => format!("< {}", self.value),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PublishedFinding {
    pub id: String,
    pub text: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PublishedType {
    pub id: String,
    pub name_de: String,
    pub name_en: String,
    pub motto: Option<String>,
    pub goals: Vec<String>,
    pub profile: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Published {
    pub n_respondents: usize,
    pub n_contacted: Option<usize>,
    #[serde(rename = "figure")]
    pub figures: Vec<PublishedFigure>,
    #[serde(rename = "finding", default)]
    pub findings: Vec<PublishedFinding>,
    #[serde(rename = "type", default)]
    pub types: Vec<PublishedType>,
}

impl Published {
    pub fn builtin() -> Published {
        Published::parse(DEFAULT_PUBLISHED, "builtin published figures")
            .expect("the builtin published figures are checked by the test suite")
    }

    pub fn from_path(path: &Path) -> Result<Published, FigureError> {
        let text = crate::output::read_text(path)?;
        Published::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, origin: &str) -> Result<Published, FigureError> {
        toml::from_str(text).map_err(|e| FigureError::Published {
            origin: origin.to_string(),
            message: e.to_string(),
        })
    }
}
