//! The profile sheets in words: the numbers of [`crate::profile`] with the codebook's labels, the
//! types' names and mottos and every share as people read it ("37 %", "<5 of 40"), in the report's
//! language. This is what `profiles.json` holds and what the sheets, the cross-tabs and the report
//! page are written from.

use serde::Serialize;

use crate::cluster::{TypeDef, Typology};
use crate::lang::Lang;
use crate::profile::{self as numbers, Profile, Robustness, Source, TypeCrossTab};
use crate::show::format::{show_percent, show_share};
use crate::show::labels::DataSource;
use crate::show::labels::{code_label, display_label, item_label, positive_label, question_label};
use crate::survey::Codebook;

pub use crate::profile::types::Typical;
pub use crate::profile::{ALPHA, LESSON_GAP, RESIDUAL_FLAG};

/// The file and whether it is synthetic, for notes under charts.
pub fn data_source(source: &Source) -> DataSource {
    DataSource {
        file: source.file.clone(),
        synthetic: source.synthetic,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileReport {
    pub lang: Lang,
    pub title: String,
    pub source: Source,
    pub rows: usize,
    pub clustered: usize,
    pub left_out: usize,
    pub k: usize,
    pub seed: u64,
    pub scale: String,
    pub missing_policy: String,
    /// The typfrage version that wrote the report.
    pub version: String,
    pub types: Vec<TypeSheet>,
    pub crosstabs: Vec<CrossTabReport>,
    /// The weight variable, when the shares and tests are weighted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<String>,
    /// The checks of the types' robustness, where the report ran them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robustness: Option<Robustness>,
    /// What one row and the clustered block are called (the codebook's words).
    #[serde(skip)]
    pub words: crate::show::words::Words,
    /// The clustering variables' answer scale: lowest and highest code with their labels.
    #[serde(skip)]
    pub answers: AnswerScale,
}

/// The answer scale of the clustering variables (the first one's codes), for the charts' axes.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerScale {
    pub range: [f64; 2],
    /// The labels of the lowest and the highest code, in the report's language (empty when the
    /// variables are not coded).
    pub ends: [String; 2],
}

impl AnswerScale {
    fn of(book: &Codebook, typology: &Typology, lang: Lang) -> AnswerScale {
        let var = typology.variables().first().and_then(|v| book.variable(v));
        let codes = var.map(|v| v.codes.as_slice()).unwrap_or_default();
        match (
            codes.iter().min_by_key(|c| c.code),
            codes.iter().max_by_key(|c| c.code),
        ) {
            (Some(lo), Some(hi)) if lo.code < hi.code => AnswerScale {
                range: [lo.code as f64, hi.code as f64],
                ends: [
                    lang.pick(&lo.de, &lo.en).to_string(),
                    lang.pick(&hi.de, &hi.en).to_string(),
                ],
            },
            _ => {
                let values = typology
                    .types
                    .iter()
                    .flat_map(|t| t.centroid.iter().copied());
                let lo = values.clone().fold(f64::INFINITY, f64::min).floor();
                let hi = values.fold(f64::NEG_INFINITY, f64::max).ceil();
                AnswerScale {
                    range: if lo < hi { [lo, hi] } else { [lo, lo + 1.0] },
                    ends: [String::new(), String::new()],
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeSheet {
    pub id: String,
    pub name: String,
    /// The type's motto in the report's language.
    pub motto: Option<String>,
    /// The motto is quoted from the study (otherwise it sums up the study's description).
    pub motto_quoted: bool,
    /// The German original of a quoted motto that `motto` translates.
    pub motto_original: Option<String>,
    /// What marks a type without a motto: its most characteristic variables
    /// ([`super::typology::description`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub n: usize,
    /// Percent of the clustered municipalities (of their summed weights when weighted).
    pub share: f64,
    pub mean_silhouette: f64,
    /// How much better the name fits than the next type's (none for extra clusters).
    pub name_margin: Option<f64>,
    pub composition: Vec<Composition>,
    pub goals: Vec<GoalRow>,
    pub strengths: Vec<Contrast>,
    pub over: Vec<Flag>,
    pub under: Vec<Flag>,
    pub lessons: Vec<Lesson>,
    pub typical: Vec<Typical>,
    /// What sets the type apart by v-test (FactoMineR's `catdes`), strongest first.
    pub traits: Vec<super::describe::Trait>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Composition {
    pub variable: String,
    pub label: String,
    pub answers: Vec<Share>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub answer: String,
    pub count: u64,
    pub base: u64,
    pub percent: Option<f64>,
    /// For people: "37 %", or "<5 of 40" for a small cell.
    pub shown: String,
    /// The cell's summed weights, when weighted (`percent` is then of these).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted: Option<f64>,
    /// The base's summed weights, when weighted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_base: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalRow {
    pub variable: String,
    pub label: String,
    pub mean: f64,
    pub sample_mean: f64,
    /// (type mean - sample mean) / sample standard deviation.
    pub standardised_difference: f64,
    pub signature: bool,
    /// The v-test of the type's mean (`catdes`): the type differs on the goal where it is at
    /// least 2 in size.
    pub v_test: Option<f64>,
}

/// A type against all other clustered municipalities on a variable's positive answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contrast {
    pub variable: String,
    pub item: String,
    pub answer: String,
    pub type_share: Share,
    pub rest_share: Share,
    pub difference_points: f64,
    pub residual: f64,
    pub p_value: f64,
    pub cramers_v: f64,
}

/// An answer over- or under-represented in a type (adjusted residual of the full cross-tab).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub variable: String,
    pub item: String,
    pub answer: String,
    pub share: Share,
    pub total_percent: Option<f64>,
    pub residual: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lesson {
    pub variable: String,
    pub item: String,
    pub answer: String,
    pub from_type: String,
    pub their_share: Share,
    pub own_share: Share,
    pub gap_points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTabReport {
    pub variable: String,
    pub question: String,
    pub item: String,
    pub answers: Vec<String>,
    /// Type names, in the typology's order.
    pub groups: Vec<String>,
    /// `shares[group][answer]`; the last row is all clustered municipalities.
    pub shares: Vec<Vec<Share>>,
    /// `residuals[group][answer]`.
    pub residuals: Vec<Vec<Option<f64>>>,
    pub missing: Vec<u64>,
    pub chi_square: Option<f64>,
    pub df: Option<usize>,
    pub p_value: Option<f64>,
    pub cramers_v: Option<f64>,
    pub min_expected: Option<f64>,
    /// Kish's design effect the test is Rao-Scott corrected by, when weighted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub design_effect: Option<f64>,
    pub small_cells: usize,
    /// The clustering variable this one is derived from (`derived_from` in the codebook): it
    /// restates what the types are built from, so it is never a strength or a lesson.
    pub restates: Option<String>,
}

/// A share as people read it: `"37 %"`, or `"<5 of 40"` for a small cell.
fn share(s: &numbers::Share, answer: String, lang: Lang) -> Share {
    Share {
        answer,
        count: s.count,
        base: s.base,
        percent: s.percent,
        shown: match s.weighted {
            None => show_percent(s.count, s.base, lang),
            Some(_) => show_share(s.count, s.base, s.percent, lang),
        },
        weighted: s.weighted,
        weighted_base: s.weighted_base,
    }
}

/// One cross-tab with its labels.
fn crosstab(c: &TypeCrossTab, book: &Codebook, names: &[String], lang: Lang) -> CrossTabReport {
    let var = book
        .variable(c.variable())
        .expect("the cross-tabs are of the codebook's variables");
    let answers: Vec<String> = c
        .table
        .codes
        .iter()
        .map(|&code| code_label(var, code, lang))
        .collect();
    let question = match &c.restates {
        Some(source) => {
            let mark = lang.pick(
                "wiederholt die Clustervariable",
                "restates the clustering variable",
            );
            let never = lang.pick("nie Stärke oder Lernfeld", "never a strength or a lesson");
            format!("{} [{mark} {source}: {never}]", question_label(var, lang))
        }
        None => question_label(var, lang).to_string(),
    };
    let independence = c.independence;
    CrossTabReport {
        variable: var.name.clone(),
        question,
        item: display_label(book, var, lang),
        shares: c
            .shares
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&answers)
                    .map(|(s, a)| share(s, a.clone(), lang))
                    .collect()
            })
            .collect(),
        answers,
        groups: names.to_vec(),
        residuals: c.residuals.clone(),
        missing: c.table.missing.clone(),
        chi_square: independence.map(|i| i.chi_square),
        df: independence.map(|i| i.df),
        p_value: independence.map(|i| i.p_value),
        cramers_v: independence.map(|i| i.cramers_v),
        min_expected: independence.map(|i| i.min_expected),
        design_effect: c.design_effect(),
        small_cells: c.small_cells,
        restates: c.restates.clone(),
    }
}

/// The words of a type's sheet around its numbers.
struct Words<'a> {
    book: &'a Codebook,
    crosstabs: &'a [CrossTabReport],
    names: &'a [String],
    lang: Lang,
}

impl Words<'_> {
    fn positive(&self, c: &CrossTabReport) -> String {
        self.book
            .variable(&c.variable)
            .map_or_else(String::new, |v| positive_label(v, self.lang))
    }

    fn goals(&self, p: &numbers::TypeProfile) -> Vec<GoalRow> {
        p.goals
            .iter()
            .map(|goal| GoalRow {
                variable: goal.variable.clone(),
                label: self.book.variable(&goal.variable).map_or_else(
                    || goal.variable.clone(),
                    |var| item_label(var, self.lang).to_string(),
                ),
                mean: goal.mean,
                sample_mean: goal.sample_mean,
                standardised_difference: goal.standardised_difference,
                signature: goal.signature,
                v_test: None,
            })
            .collect()
    }

    fn strengths(&self, p: &numbers::TypeProfile) -> Vec<Contrast> {
        p.strengths
            .iter()
            .map(|s| {
                let c = &self.crosstabs[s.crosstab];
                Contrast {
                    variable: c.variable.clone(),
                    item: c.item.clone(),
                    answer: self.positive(c),
                    type_share: share(&s.own, String::new(), self.lang),
                    rest_share: share(&s.rest, String::new(), self.lang),
                    difference_points: s.difference_points,
                    residual: s.residual,
                    p_value: c.p_value.unwrap_or(1.0),
                    cramers_v: c.cramers_v.unwrap_or(0.0),
                }
            })
            .collect()
    }

    fn flags(&self, flags: &[numbers::types::Flag], g: usize) -> Vec<Flag> {
        flags
            .iter()
            .map(|f| {
                let c = &self.crosstabs[f.crosstab];
                let all = c.shares.len() - 1;
                Flag {
                    variable: c.variable.clone(),
                    item: c.item.clone(),
                    answer: c.answers[f.answer].clone(),
                    share: c.shares[g][f.answer].clone(),
                    total_percent: c.shares[all][f.answer].percent,
                    residual: f.residual,
                }
            })
            .collect()
    }

    fn lessons(&self, p: &numbers::TypeProfile) -> Vec<Lesson> {
        p.lessons
            .iter()
            .map(|l| {
                let c = &self.crosstabs[l.crosstab];
                Lesson {
                    variable: c.variable.clone(),
                    item: c.item.clone(),
                    answer: self.positive(c),
                    from_type: self.names[l.from].clone(),
                    their_share: share(&l.theirs, String::new(), self.lang),
                    own_share: share(&l.own, String::new(), self.lang),
                    gap_points: l.gap_points,
                }
            })
            .collect()
    }

    fn sheet(&self, p: &numbers::TypeProfile, g: usize, def: Option<&TypeDef>) -> TypeSheet {
        let lang = self.lang;
        let composition = ["gebietskoerperschaft", "groessenklasse"]
            .iter()
            .filter_map(|name| self.crosstabs.iter().find(|c| c.variable == *name))
            .map(|c| Composition {
                variable: c.variable.clone(),
                label: c.item.clone(),
                answers: c.shares[g].clone(),
            })
            .collect();
        TypeSheet {
            id: p.id.clone(),
            name: self.names[g].clone(),
            motto: def.and_then(|d| match lang {
                Lang::De => d.motto.clone(),
                Lang::En => d.motto_en.clone(),
            }),
            motto_quoted: def.is_some_and(|d| d.motto_quoted),
            motto_original: def
                .filter(|d| lang == Lang::En && d.motto_quoted)
                .and_then(|d| d.motto.clone()),
            description: def
                .is_none_or(|d| d.motto.is_none() && d.centroid.is_some())
                .then(|| {
                    let profile: Vec<f64> =
                        p.goals.iter().map(|g| g.standardised_difference).collect();
                    let vars: Vec<String> = p.goals.iter().map(|g| g.variable.clone()).collect();
                    let labels = super::typology::short_labels(Some(self.book), &vars, lang);
                    super::typology::description(&profile, &labels, lang)
                }),
            n: p.n,
            share: p.share,
            mean_silhouette: p.mean_silhouette,
            name_margin: p.name_margin,
            composition,
            goals: self.goals(p),
            strengths: self.strengths(p),
            over: self.flags(&p.over, g),
            under: self.flags(&p.under, g),
            lessons: self.lessons(p),
            typical: p.typical.clone(),
            traits: Vec::new(),
        }
    }
}

/// The sheets of a profile's numbers in `lang` (without the robustness checks, which the caller
/// adds when it ran them).
pub fn build(
    profile: &Profile,
    typology: &Typology,
    book: &Codebook,
    defs: &[TypeDef],
    source: Source,
    lang: Lang,
) -> ProfileReport {
    let names: Vec<String> = typology
        .types
        .iter()
        .map(|t| super::typology::type_name(&t.name, lang))
        .collect();
    let crosstabs: Vec<CrossTabReport> = profile
        .crosstabs
        .iter()
        .map(|c| crosstab(c, book, &names, lang))
        .collect();
    let words = Words {
        book,
        crosstabs: &crosstabs,
        names: &names,
        lang,
    };
    let mut types: Vec<TypeSheet> = profile
        .types
        .iter()
        .enumerate()
        .map(|(g, p)| words.sheet(p, g, defs.iter().find(|d| d.id == p.id)))
        .collect();
    for (g, t) in types.iter_mut().enumerate() {
        t.traits = super::describe::traits(&profile.description, g, book, lang);
        for goal in &mut t.goals {
            goal.v_test = profile.description.mean_v_test(g, &goal.variable);
        }
    }
    ProfileReport {
        lang,
        title: if crate::show::words::Words::of(book, lang).is_study() {
            lang.pick(
                "Steckbriefe der Digitalisierungstypen",
                "Profile sheets of the digitalisation types",
            )
        } else {
            lang.pick("Steckbriefe der Typen", "Profile sheets of the types")
        }
        .into(),
        source,
        rows: profile.rows,
        clustered: profile.clustered,
        left_out: profile.left_out,
        k: typology.types.len(),
        seed: typology.options.seed,
        scale: typology.options.scale.as_str().into(),
        missing_policy: typology.options.missing.as_str().into(),
        version: env!("CARGO_PKG_VERSION").into(),
        types,
        crosstabs,
        weight: typology.weight_variable.clone(),
        robustness: None,
        words: crate::show::words::Words::of(book, lang),
        answers: AnswerScale::of(book, typology, lang),
    }
}
