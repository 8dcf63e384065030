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
    /// Inside the closed range `low`..=`high` (the wording pins both ends, e.g. "knapp 30 %").
    Between,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Exact => "exact",
            Relation::Approx => "approx",
            Relation::Gt => "gt",
            Relation::Lt => "lt",
            Relation::Between => "between",
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
    /// Lower and upper end of a `between` relation.
    pub low: Option<f64>,
    pub high: Option<f64>,
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

    /// The range a computed value must lie in: closed ends for exact, approximate and `between`
    /// figures, open ends (the bound itself excluded, the other side unbounded) for `gt` and `lt`.
    pub fn range(&self) -> (f64, f64) {
        match self.relation {
            Relation::Exact | Relation::Approx => {
                (self.value - self.tolerance(), self.value + self.tolerance())
            }
            Relation::Gt => (self.value, f64::INFINITY),
            Relation::Lt => (f64::NEG_INFINITY, self.value),
            Relation::Between => (self.low.unwrap_or(f64::NAN), self.high.unwrap_or(f64::NAN)),
        }
    }

    /// Whether `computed` reproduces this figure.
    pub fn holds(&self, computed: f64) -> bool {
        let (low, high) = self.range();
        match self.relation {
            Relation::Exact | Relation::Approx | Relation::Between => {
                low <= computed && computed <= high
            }
            Relation::Gt => computed > low,
            Relation::Lt => computed < high,
        }
    }

    /// How the relation reads, e.g. "14 ±0.5", "> 95", "28 to 33.4".
    pub fn relation_text(&self) -> String {
        let (low, high) = self.range();
        match self.relation {
            Relation::Exact | Relation::Approx => format!("{} ±{}", self.value, self.tolerance()),
            Relation::Gt => format!("> {}", self.value),
            Relation::Lt => format!("< {}", self.value),
            Relation::Between => format!("{low} to {high}"),
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
        let published: Published = toml::from_str(text).map_err(|e| FigureError::Published {
            origin: origin.to_string(),
            message: e.to_string(),
        })?;
        for fig in &published.figures {
            let problem = match (fig.relation, fig.low, fig.high) {
                (Relation::Between, Some(low), Some(high)) if low <= high => None,
                (Relation::Between, Some(low), Some(high)) => Some(format!(
                    "low = {low} is above high = {high}; expected low <= high"
                )),
                (Relation::Between, _, _) => Some(
                    "relation \"between\" needs both `low` and `high`; expected e.g. low = 27, high = 30"
                        .to_string(),
                ),
                (_, None, None) => None,
                (r, _, _) => Some(format!(
                    "`low`/`high` are only read with relation \"between\", not \"{}\"; expected relation = \"between\" or no low/high",
                    r.as_str()
                )),
            };
            if let Some(message) = problem {
                return Err(FigureError::Published {
                    origin: origin.to_string(),
                    message: format!("figure {}: {message}", fig.id),
                });
            }
        }
        Ok(published)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(relation: &str) -> Result<Published, FigureError> {
        Published::parse(
            &format!(
                "n_respondents = 1\n[[figure]]\nid = \"x\"\nvalue = 30\n{relation}\nbase = \"all\"\ntext = \"t\"\nsource = \"s\"\n"
            ),
            "test",
        )
    }

    #[test]
    fn between_relation_pins_both_ends() {
        let p = one("relation = \"between\"\nlow = 27\nhigh = 30").unwrap();
        let fig = &p.figures[0];
        assert_eq!(fig.range(), (27.0, 30.0));
        for (value, holds) in [
            (26.99, false),
            (27.0, true),
            (29.0, true),
            (30.0, true),
            (30.01, false),
        ] {
            assert_eq!(fig.holds(value), holds, "{value}");
        }
        assert_eq!(fig.relation_text(), "27 to 30");
    }

    #[test]
    fn between_without_both_ends_or_with_them_reversed_is_an_error() {
        for (text, expect) in [
            (
                "relation = \"between\"\nlow = 27",
                "needs both `low` and `high`",
            ),
            (
                "relation = \"between\"\nlow = 31\nhigh = 30",
                "low = 31 is above high = 30",
            ),
            (
                "relation = \"exact\"\nlow = 27",
                "only read with relation \"between\"",
            ),
        ] {
            let err = one(text).unwrap_err().to_string();
            assert!(err.contains("figure x: ") && err.contains(expect), "{err}");
        }
    }

    #[test]
    fn the_revised_published_list_pins_the_just_under_figures() {
        let p = Published::builtin();
        let range = |id: &str| {
            let f = p.figures.iter().find(|f| f.id == id).unwrap();
            assert_eq!(f.relation, Relation::Between, "{id}");
            f.range()
        };
        assert_eq!(range("community_exactly_one"), (27.0, 30.0));
        assert_eq!(range("fim_known"), (28.0, 30.0));
        assert_eq!(range("goal_attractiveness"), (28.0, 33.4));
        assert_eq!(range("goal_public_services"), (28.0, 33.4));
    }
}
