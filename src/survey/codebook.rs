//! The codebook: every variable of the survey, its allowed codes and labels, its missing-value codes,
//! its role in the analysis, and the checks that span several variables of one row.
//!
//! The codebook is data (`data/codebook.toml`, embedded in the binary as the default); this module
//! parses it, resolves shared code lists and checks that it is consistent in itself.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::SurveyError;

/// The codebook that ships with `typfrage` (the 2018/19 ÖFIT/KGSt survey).
pub const DEFAULT_CODEBOOK: &str = include_str!("../../data/codebook.toml");

/// What kind of values a variable holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Identifier,
    Categorical,
    Ordinal,
    Binary,
    Count,
    Integer,
    Decimal,
    /// Text kept as written (a name, a comment): never clustered or cross-tabulated.
    Text,
}

impl Kind {
    /// Whether the variable takes one of a list of codes.
    pub fn is_coded(self) -> bool {
        matches!(self, Kind::Categorical | Kind::Ordinal | Kind::Binary)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Identifier => "identifier",
            Kind::Categorical => "categorical",
            Kind::Ordinal => "ordinal",
            Kind::Binary => "binary",
            Kind::Count => "count",
            Kind::Integer => "integer",
            Kind::Decimal => "decimal",
            Kind::Text => "text",
        }
    }

    /// Whether the cells are kept as text (the identifier, a text variable).
    pub fn is_text(self) -> bool {
        matches!(self, Kind::Identifier | Kind::Text)
    }
}

/// What a variable is used for in the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Identifier,
    Weight,
    Clustering,
    Profile,
}

/// One allowed code with its German and English value labels.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Code {
    pub code: i64,
    pub de: String,
    pub en: String,
    /// Lower bound of a count that this code stands for (size classes).
    pub min: Option<i64>,
    /// Upper bound of a count that this code stands for (size classes).
    pub max: Option<i64>,
}

/// Routing: the question was asked only when `variable` holds one of `codes`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AskedIf {
    pub variable: String,
    pub codes: Vec<i64>,
}

/// One column of a survey file.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub name: String,
    pub block: String,
    pub question_de: String,
    pub label_en: String,
    pub kind: Kind,
    pub role: Role,
    pub codes: Vec<Code>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub asked_if: Option<AskedIf>,
    pub note: Option<String>,
    /// Codes that mean the municipality does or has what is asked (from the scale's `positive`).
    pub positive: Vec<i64>,
    /// A name for the positive codes together, where there are several.
    pub positive_label: Option<Label>,
    /// The answers give an opinion on what is asked (how helpful, what grade, how important)
    /// rather than say whether the municipality does or has it (the scale's `opinion`).
    pub opinion: bool,
    /// The variable this one is derived from or restates (the top-3 goals restate the goal
    /// priorities): when that one is clustered on, this one cannot describe what a type does.
    pub derived_from: Option<String>,
    /// Other names a survey file may give this variable's column (an online survey's codes).
    pub aliases: Vec<String>,
}

impl Variable {
    pub fn code(&self, code: i64) -> Option<&Code> {
        self.codes.iter().find(|c| c.code == code)
    }
}

/// A missing-value code.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MissingCode {
    pub code: i64,
    pub de: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MissingCodes {
    /// Item non-response; an empty cell means the same.
    pub non_response: MissingCode,
    /// The respondent was routed past the question. A codebook without routing may leave it out:
    /// then it is [`MissingCodes::UNDECLARED`], a code no cell can hold.
    pub not_applicable: MissingCode,
}

impl MissingCodes {
    /// The not-applicable code of a codebook that declares none: no cell reads as it (the
    /// smallest 64-bit integer has 19 digits after its sign, one more than a code may have).
    pub const UNDECLARED: i64 = i64::MIN;

    /// Whether the codebook declares a not-applicable code.
    pub fn declares_not_applicable(&self) -> bool {
        self.not_applicable.code != MissingCodes::UNDECLARED
    }
}

#[derive(Deserialize)]
struct RawMissing {
    non_response: MissingCode,
    not_applicable: Option<MissingCode>,
}

impl From<RawMissing> for MissingCodes {
    fn from(raw: RawMissing) -> MissingCodes {
        MissingCodes {
            non_response: raw.non_response,
            not_applicable: raw.not_applicable.unwrap_or(MissingCode {
                code: MissingCodes::UNDECLARED,
                de: "trifft nicht zu".to_string(),
                en: "not applicable".to_string(),
            }),
        }
    }
}

/// A check across several variables of one row.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// At most `n` of `variables` hold code 1 (a "name at most n" question).
    AtMost {
        n: usize,
        variables: Vec<String>,
        what: String,
    },
    /// When `variable` holds 1, none of `variables` may hold 1 ("none of these").
    Exclusive {
        variable: String,
        variables: Vec<String>,
        what: String,
    },
    /// `variable`'s code must have `min`/`max` bounds that contain the count in `count`.
    SizeClass {
        variable: String,
        count: String,
        what: String,
    },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Meta {
    pub title: String,
    pub title_en: String,
    pub version: String,
    /// A codebook drafted from a file's dictionary that a person has still to complete (loading
    /// the survey with it warns).
    #[serde(default)]
    pub draft: bool,
    /// What one row of the survey is ("Kommune" / "municipality"). A codebook that does not say
    /// was written before it could, for the study's survey or a copy of its codebook: the study's
    /// words (so its results verify as they were written); a drafted codebook says the neutral
    /// "Fall" / "case" ([`Unit::default`]).
    #[serde(default = "Unit::study")]
    pub unit: Unit,
    /// What the clustering variables are together ("Ziele" / "goals"); where the codebook does
    /// not say, the study's words as for `unit` (a draft says "Items" / "items").
    #[serde(default = "Block::study")]
    pub block: Block,
}

/// What one row of the survey is, in German and English, singular and plural, and the German
/// word's gender, which the German sentences about one row need ("jede Kommune", "jeder Fall",
/// "jedes Unternehmen").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub de: String,
    pub de_plural: String,
    pub en: String,
    pub en_plural: String,
    /// "f", "m" or "n"; a codebook written before the field existed leaves it out (then the
    /// study's "Kommune" is feminine and another word is read by its ending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub de_gender: Option<Gender>,
}

/// The grammatical gender of a German noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Gender {
    #[serde(rename = "f")]
    Feminine,
    #[serde(rename = "m")]
    Masculine,
    #[serde(rename = "n")]
    Neuter,
}

impl Unit {
    /// Whether these are the study's words ("Kommune" / "municipality"), with or without the
    /// gender written out.
    pub fn is_study(&self) -> bool {
        let study = Unit::study();
        (&self.de, &self.de_plural, &self.en, &self.en_plural)
            == (&study.de, &study.de_plural, &study.en, &study.en_plural)
            && self.de_gender.is_none_or(|g| g == Gender::Feminine)
    }

    /// The study's unit: "Kommune" / "municipality".
    pub fn study() -> Unit {
        Unit {
            de: "Kommune".into(),
            de_plural: "Kommunen".into(),
            en: "municipality".into(),
            en_plural: "municipalities".into(),
            de_gender: None,
        }
    }
}

impl Default for Unit {
    fn default() -> Self {
        Unit {
            de: "Fall".into(),
            de_plural: "Fälle".into(),
            en: "case".into(),
            en_plural: "cases".into(),
            de_gender: Some(Gender::Masculine),
        }
    }
}

/// What the clustering variables are together (a plural noun), in German and English.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub de: String,
    pub en: String,
}

impl Block {
    /// The study's block: "Ziele" / "goals".
    pub fn study() -> Block {
        Block {
            de: "Ziele".into(),
            en: "goals".into(),
        }
    }
}

impl Default for Block {
    fn default() -> Self {
        Block {
            de: "Items".into(),
            en: "items".into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    codes: Vec<Code>,
    #[serde(default)]
    positive: Vec<i64>,
    positive_label: Option<Label>,
    #[serde(default)]
    opinion: bool,
}

/// A text in German and English.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub de: String,
    pub en: String,
}

/// The topic of the variables whose names start with `prefix`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Battery {
    pub prefix: String,
    pub de: String,
    pub en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariable {
    name: String,
    block: String,
    question_de: String,
    label_en: String,
    kind: Kind,
    role: Role,
    scale: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    asked_if: Option<AskedIf>,
    note: Option<String>,
    /// Overrides the scale's positive codes (an empty list for a "none of these" item).
    positive: Option<Vec<i64>>,
    derived_from: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
struct RawCodebook {
    codebook: Meta,
    missing: RawMissing,
    #[serde(default)]
    scale: BTreeMap<String, RawScale>,
    variable: Vec<RawVariable>,
    #[serde(default)]
    rule: Vec<Rule>,
    #[serde(default)]
    battery: Vec<Battery>,
}

/// The parsed and checked codebook.
#[derive(Debug, Clone, PartialEq)]
pub struct Codebook {
    pub meta: Meta,
    pub missing: MissingCodes,
    pub variables: Vec<Variable>,
    pub rules: Vec<Rule>,
    pub batteries: Vec<Battery>,
    index: HashMap<String, usize>,
}

impl Meta {
    /// The codebook as a model names it: its title and version (`SavedModel::codebook`).
    pub fn label(&self) -> String {
        format!("{} {}", self.title, self.version)
    }
}

impl Codebook {
    /// The codebook that ships with `typfrage`.
    pub fn builtin() -> Codebook {
        Codebook::parse(DEFAULT_CODEBOOK, "builtin codebook")
            .expect("the builtin codebook is checked by the test suite")
    }

    /// Reads a codebook file.
    pub fn from_path(path: &Path) -> Result<Codebook, SurveyError> {
        let text = crate::output::read_text(path)?;
        Codebook::parse(&text, &path.display().to_string())
    }

    /// Parses and checks a codebook given as TOML text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Codebook, SurveyError> {
        let err = |message: String| SurveyError::Codebook {
            origin: origin.to_string(),
            message,
        };
        let raw: RawCodebook = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let missing = MissingCodes::from(raw.missing);
        let mut variables = Vec::with_capacity(raw.variable.len());
        let mut index = HashMap::new();
        for v in raw.variable {
            if index.insert(v.name.clone(), variables.len()).is_some() {
                return Err(err(format!("variable '{}' is defined twice", v.name)));
            }
            let (codes, positive, positive_label, opinion) = match (&v.scale, v.kind.is_coded()) {
                (Some(scale), true) => {
                    let scale = raw.scale.get(scale).ok_or_else(|| {
                        err(format!(
                            "variable '{}' uses scale '{scale}', which is not defined",
                            v.name
                        ))
                    })?;
                    (
                        scale.codes.clone(),
                        scale.positive.clone(),
                        scale.positive_label.clone(),
                        scale.opinion,
                    )
                }
                (None, true) => {
                    return Err(err(format!(
                        "variable '{}' is {} but names no scale",
                        v.name,
                        v.kind.as_str()
                    )))
                }
                (Some(_), false) => {
                    return Err(err(format!(
                        "variable '{}' is {} and cannot have a scale",
                        v.name,
                        v.kind.as_str()
                    )))
                }
                (None, false) => (Vec::new(), Vec::new(), None, false),
            };
            let positive = v.positive.unwrap_or(positive);
            if let Some(p) = positive
                .iter()
                .find(|p| !codes.iter().any(|c| c.code == **p))
            {
                return Err(err(format!(
                    "variable '{}': positive code {p} is not one of its scale's codes",
                    v.name
                )));
            }
            if v.kind == Kind::Binary && codes.iter().any(|c| c.code != 0 && c.code != 1) {
                return Err(err(format!(
                    "binary variable '{}' must use codes 0 and 1",
                    v.name
                )));
            }
            let reserved = [missing.non_response.code, missing.not_applicable.code];
            if v.kind == Kind::Text && matches!(v.role, Role::Clustering | Role::Weight) {
                return Err(err(format!(
                    "variable '{}' is text and cannot be a {} variable; expected role = \"profile\"",
                    v.name,
                    if v.role == Role::Weight { "weight" } else { "clustering" }
                )));
            }
            if let Some(c) = codes.iter().find(|c| reserved.contains(&c.code)) {
                return Err(err(format!(
                    "variable '{}' uses code {}, which is reserved for missing values",
                    v.name, c.code
                )));
            }
            variables.push(Variable {
                name: v.name,
                block: v.block,
                question_de: v.question_de,
                label_en: v.label_en,
                kind: v.kind,
                role: v.role,
                codes,
                min: v.min,
                max: v.max,
                asked_if: v.asked_if,
                note: v.note,
                positive,
                positive_label,
                opinion,
                derived_from: v.derived_from,
                aliases: v.aliases,
            });
        }
        let book = Codebook {
            meta: raw.codebook,
            missing,
            variables,
            rules: raw.rule,
            batteries: raw.battery,
            index,
        };
        book.check_references().map_err(err)?;
        Ok(book)
    }

    fn check_references(&self) -> Result<(), String> {
        let ids = self
            .variables
            .iter()
            .filter(|v| v.kind == Kind::Identifier)
            .count();
        if ids != 1 {
            return Err(format!(
                "needs exactly one identifier variable, found {ids}"
            ));
        }
        for v in &self.variables {
            if let Some(source) = &v.derived_from {
                if self.variable(source).is_none() || source == &v.name {
                    return Err(format!(
                        "variable '{}' is derived from '{source}', which is not another defined variable",
                        v.name
                    ));
                }
            }
            if let Some(cond) = &v.asked_if {
                if !self.missing.declares_not_applicable() {
                    return Err(format!(
                        "variable '{}' is routed (asked_if), but [missing] declares no not_applicable code for the cases routed past it",
                        v.name
                    ));
                }
                let Some(filter) = self.variable(&cond.variable) else {
                    return Err(format!(
                        "variable '{}' is routed by '{}', which is not defined",
                        v.name, cond.variable
                    ));
                };
                if !filter.kind.is_coded() {
                    return Err(format!(
                        "variable '{}' is routed by '{}', which is not coded",
                        v.name, cond.variable
                    ));
                }
            }
        }
        let mut names: HashMap<&str, &str> = HashMap::new();
        for v in &self.variables {
            for alias in &v.aliases {
                let clash = self.variable(alias).map(|o| o.name.as_str());
                if let Some(other) = clash.or_else(|| names.insert(alias, &v.name)) {
                    return Err(format!(
                        "variable '{}' has the alias '{alias}', which already names variable '{other}'",
                        v.name
                    ));
                }
            }
        }
        for rule in &self.rules {
            let names: Vec<&String> = match rule {
                Rule::AtMost { variables, .. } => variables.iter().collect(),
                Rule::Exclusive {
                    variable,
                    variables,
                    ..
                } => std::iter::once(variable).chain(variables).collect(),
                Rule::SizeClass {
                    variable, count, ..
                } => vec![variable, count],
            };
            if let Some(missing) = names.iter().find(|n| self.variable(n).is_none()) {
                return Err(format!("a rule names '{missing}', which is not defined"));
            }
        }
        Ok(())
    }

    /// The topic of a battery item (longest matching prefix).
    pub fn battery(&self, name: &str) -> Option<&Battery> {
        self.batteries
            .iter()
            .filter(|b| name.starts_with(&b.prefix))
            .max_by_key(|b| b.prefix.len())
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.index.get(name).map(|&i| &self.variables[i])
    }

    /// Position of a variable in codebook order.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn identifier(&self) -> &Variable {
        self.variables
            .iter()
            .find(|v| v.kind == Kind::Identifier)
            .expect("checked when parsed")
    }

    /// Whether a positive answer to `var` says what a municipality does or has, so that it may be
    /// a type's strength or a lesson from another type: a profile variable with positive codes,
    /// not an opinion (how helpful, what grade), that does not restate a variable of `clustered`
    /// (what the types are built from).
    pub fn describes_practice(&self, var: &Variable, clustered: &[String]) -> bool {
        var.role == Role::Profile
            && !var.positive.is_empty()
            && !var.opinion
            && self.restated(var, clustered).is_none()
    }

    /// The variable of `clustered` that `var` is, or is derived from (`derived_from`, followed to
    /// its source): then `var` restates what the types are built from.
    pub fn restated<'a>(&'a self, var: &'a Variable, clustered: &[String]) -> Option<&'a str> {
        let mut current = Some(var);
        // a chain longer than the codebook would be a cycle
        for _ in 0..=self.variables.len() {
            let v = current?;
            if clustered.contains(&v.name) {
                return Some(&v.name);
            }
            current = v.derived_from.as_deref().and_then(|d| self.variable(d));
        }
        None
    }

    /// The codebook without the variables `names` (a survey file that lacks them): the rules
    /// that name one of them, the routing by one of them and what is derived from one of them go
    /// too. The identifier stays.
    pub fn without(&self, names: &[String]) -> Codebook {
        let gone = |n: &String| names.contains(n) && *n != self.identifier().name;
        let variables: Vec<Variable> = self
            .variables
            .iter()
            .filter(|v| !gone(&v.name))
            .map(|v| {
                let mut v = v.clone();
                if v.asked_if.as_ref().is_some_and(|a| gone(&a.variable)) {
                    v.asked_if = None;
                }
                if v.derived_from.as_ref().is_some_and(gone) {
                    v.derived_from = None;
                }
                v
            })
            .collect();
        let rules = self
            .rules
            .iter()
            .filter(|rule| match rule {
                Rule::AtMost { variables, .. } => !variables.iter().any(gone),
                Rule::Exclusive {
                    variable,
                    variables,
                    ..
                } => !gone(variable) && !variables.iter().any(gone),
                Rule::SizeClass {
                    variable, count, ..
                } => !gone(variable) && !gone(count),
            })
            .cloned()
            .collect();
        let index = variables
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.clone(), i))
            .collect();
        Codebook {
            meta: self.meta.clone(),
            missing: self.missing.clone(),
            variables,
            rules,
            batteries: self.batteries.clone(),
            index,
        }
    }

    /// The variables with the given role, in codebook order.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &Variable> {
        self.variables.iter().filter(move |v| v.role == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_top3_goal_is_marked_as_restating_its_goal_priority() {
        let book = Codebook::builtin();
        let clustered: Vec<String> = book
            .with_role(Role::Clustering)
            .map(|v| v.name.clone())
            .collect();
        let top3: Vec<&Variable> = book
            .variables
            .iter()
            .filter(|v| v.name.starts_with("top3_"))
            .collect();
        assert_eq!(top3.len(), clustered.len());
        for v in top3 {
            let goal = format!("ziel_{}", &v.name["top3_".len()..]);
            assert_eq!(book.restated(v, &clustered), Some(goal.as_str()));
            // not when its goal is not clustered on
            let others: Vec<String> = clustered.iter().filter(|c| **c != goal).cloned().collect();
            assert_eq!(book.restated(v, &others), None);
        }
        let basis = book.variable("basis_epayment").unwrap();
        assert_eq!(book.restated(basis, &clustered), None);
    }

    #[test]
    fn derived_from_must_name_another_variable() {
        let text = DEFAULT_CODEBOOK.replacen(
            "derived_from = \"ziel_effizienz\"",
            "derived_from = \"ziel_nirgends\"",
            1,
        );
        let err = Codebook::parse(&text, "test").unwrap_err().to_string();
        assert_eq!(
            err,
            "codebook (test): variable 'top3_effizienz' is derived from 'ziel_nirgends', which is not another defined variable"
        );
    }

    #[test]
    fn opinion_scales_mark_their_variables_and_other_scales_do_not() {
        let book = Codebook::builtin();
        let opinion: Vec<&str> = book
            .variables
            .iter()
            .filter(|v| v.opinion && v.role == Role::Profile)
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(
            opinion,
            [
                "fim_leistungen",
                "fim_datenfelder",
                "fim_prozesse",
                "breitband_note"
            ]
        );
        // a scale that does not say is not an opinion
        let text = DEFAULT_CODEBOOK.replacen(
            "[scale.helpfulness]\nopinion = true\n",
            "[scale.helpfulness]\n",
            1,
        );
        let book = Codebook::parse(&text, "test").unwrap();
        assert!(!book.variable("fim_leistungen").unwrap().opinion);
    }
}
