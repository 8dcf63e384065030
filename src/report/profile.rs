//! Profile sheets ("Steckbriefe"): one per type, computed from the survey and a fitted typology.
//!
//! For every type: size and share, composition by kind of authority and size class, the goal
//! profile against the whole clustered sample, every other coded variable cross-tabulated by type
//! (shares, chi-square test, Cramér's V, adjusted standardised residuals), strengths, what it can
//! learn from the other types, and its most typical municipalities.
//!
//! Rules, stated once here and in every sheet:
//! - a cross-tab counts the clustered municipalities that were asked and answered;
//! - an answer is over- or under-represented in a type when its adjusted standardised residual is
//!   at least 1.96 in size (5 % two-sided, no correction for the many tests: a guide, not proof);
//! - strengths and lessons are drawn only from what a municipality does or has, never from the
//!   clustering variables or a variable the codebook marks as derived from one of them
//!   (`derived_from`: the top-3 goals restate the goal priorities), nor from an opinion (a scale
//!   the codebook marks `opinion`: how helpful FIM is, the broadband grade); those stay in the
//!   cross-tabs, marked where they restate;
//! - a strength is a "positive" answer (the codebook's `positive` codes: uses, offers, supports)
//!   that the type gives more often than all other types together, with the 2x2
//!   residual at least 1.96, at least 5 municipalities, and the cross-tab significant (p < 0.05);
//! - a lesson from another type: where another type gives the positive answer most often, at least
//!   10 points more often than this type, in a significant cross-tab;
//! - cells with fewer than 5 municipalities are shown as "<5 of n", never as a bare percentage.
//!
//! With survey weights (the typology's), shares are taken of the summed weights (the counts and
//! bases shown beside them stay numbers of municipalities), the type shares and the goal profile's
//! "all" column are weighted, and every test and residual is first-order Rao-Scott corrected
//! (X² and residuals divided by Kish's design effect of the weights in the table).

use serde::Serialize;

use super::tabulate::CrossTab;
use crate::cluster::{weighted_mean_variance, TypeDef, Typology};
use crate::lang::Lang;
use crate::show::format::{show_percent, show_share, SMALL_CELL};
use crate::show::labels::DataSource;
use crate::show::labels::{code_label, display_label, item_label, positive_label, question_label};
use crate::stats::{adjusted_residuals, adjusted_residuals_weighted};
use crate::survey::{Role, Survey, SurveyError};

/// Residual size that flags an answer as over- or under-represented.
pub const RESIDUAL_FLAG: f64 = 1.96;
/// Significance level of a cross-tab for strengths and lessons.
pub const ALPHA: f64 = 0.05;
/// Minimum gap, in percentage points, for a lesson from another type.
pub const LESSON_GAP: f64 = 10.0;
/// How many strengths, lessons, flags and typical municipalities a sheet lists.
pub const LIST_LENGTH: usize = 6;
pub const TYPICAL: usize = 5;

/// Where the data come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    pub synthetic: bool,
}

impl Source {
    /// The file and whether it is synthetic, for notes under charts.
    pub fn data(&self) -> DataSource {
        DataSource {
            file: self.file.clone(),
            synthetic: self.synthetic,
        }
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
    pub robustness: Option<super::robustness::Robustness>,
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
pub struct Typical {
    pub id: String,
    pub distance: f64,
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
    #[serde(skip)]
    table: Option<CrossTab>,
    #[serde(skip)]
    positive: Vec<i64>,
}

impl CrossTabReport {
    pub fn significant(&self) -> bool {
        self.p_value.is_some_and(|p| p < ALPHA)
    }
}

fn share(count: u64, base: u64, lang: Lang) -> Share {
    Share {
        answer: String::new(),
        count,
        base,
        percent: (base > 0).then(|| 100.0 * count as f64 / base as f64),
        shown: show_percent(count, base, lang),
        weighted: None,
        weighted_base: None,
    }
}

/// A share of `count` municipalities of `base`; with `mass` (the summed weights of the cell and
/// of the base) the percent is of those, the small-cell rule still on the municipalities.
fn share_weighted(count: u64, base: u64, mass: Option<(f64, f64)>, lang: Lang) -> Share {
    let Some((m, mb)) = mass else {
        return share(count, base, lang);
    };
    let percent = (base > 0 && mb > 0.0).then(|| 100.0 * m / mb);
    Share {
        answer: String::new(),
        count,
        base,
        percent,
        shown: show_share(count, base, percent, lang),
        weighted: Some(m),
        weighted_base: Some(mb),
    }
}

/// Builds every type's sheet and the cross-tabs.
pub fn build(
    survey: &Survey,
    typology: &Typology,
    source: Source,
    lang: Lang,
    defs: &[TypeDef],
) -> Result<ProfileReport, SurveyError> {
    let book = survey.codebook();
    let k = typology.types.len();
    let mut group_of = vec![None; survey.len()];
    for a in &typology.assignments {
        group_of[a.row] = Some(a.type_index);
    }
    let names: Vec<String> = typology
        .types
        .iter()
        .map(|t| crate::show::views::typology::type_name(&t.name, lang))
        .collect();
    let clustered = typology.assignments.len();
    // each survey row's weight (0 for a row not clustered, which is in no group)
    let row_weights = typology.row_weights();
    let weighted = row_weights.is_some();

    // cross-tabs of every coded profile variable that is not clustered on
    let mut crosstabs = Vec::new();
    for var in &book.variables {
        if !var.kind.is_coded()
            || var.role != Role::Profile
            || typology.variables().contains(&var.name)
        {
            continue;
        }
        let t = CrossTab::new_weighted(
            survey,
            &var.name,
            &group_of,
            names.clone(),
            row_weights.as_deref(),
        )?;
        let independence = t.independence();
        let residuals = t.residuals();
        let total = t.total();
        let total_base: u64 = total.iter().sum();
        let total_weighted = t.total_weighted();
        let total_mass: f64 = total_weighted.iter().flatten().sum();
        let mut shares: Vec<Vec<Share>> = (0..k)
            .map(|g| {
                t.codes
                    .iter()
                    .enumerate()
                    .map(|(j, &c)| Share {
                        answer: code_label(var, c, lang),
                        ..share_weighted(
                            t.counts[g][j],
                            t.base(g),
                            weighted.then(|| (t.mass(g, j), t.mass_base(g))),
                            lang,
                        )
                    })
                    .collect()
            })
            .collect();
        shares.push(
            t.codes
                .iter()
                .enumerate()
                .map(|(j, &c)| Share {
                    answer: code_label(var, c, lang),
                    ..share_weighted(
                        total[j],
                        total_base,
                        total_weighted.as_ref().map(|w| (w[j], total_mass)),
                        lang,
                    )
                })
                .collect(),
        );
        let restates = book.restated(var, typology.variables()).map(str::to_string);
        let question = match &restates {
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
        let small_cells = t
            .counts
            .iter()
            .flatten()
            .filter(|&&n| n > 0 && n < SMALL_CELL)
            .count();
        crosstabs.push(CrossTabReport {
            variable: var.name.clone(),
            question,
            item: display_label(book, var, lang),
            answers: t.codes.iter().map(|&c| code_label(var, c, lang)).collect(),
            groups: names.clone(),
            shares,
            residuals,
            missing: t.missing.clone(),
            chi_square: independence.map(|i| i.chi_square),
            df: independence.map(|i| i.df),
            p_value: independence.map(|i| i.p_value),
            cramers_v: independence.map(|i| i.cramers_v),
            min_expected: independence.map(|i| i.min_expected),
            design_effect: weighted.then_some(t.deff),
            small_cells,
            restates,
            table: Some(t),
            positive: var.positive.clone(),
        });
    }

    // goal profile: the clustered sample's mean and standard deviation per variable (weighted:
    // the weighted mean, and the weighted variance Σw(x - m)² / Σw times n / (n - 1))
    let x = &typology.matrix.x;
    let (sample_mean, sample_sd): (Vec<f64>, Vec<f64>) = match &typology.weights {
        None => {
            let sample_mean: Vec<f64> = (0..x.ncols())
                .map(|j| x.column(j).mean().unwrap_or(0.0))
                .collect();
            let sample_sd = (0..x.ncols())
                .map(|j| {
                    let m = sample_mean[j];
                    let n = x.nrows().max(2) as f64;
                    (x.column(j).iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                })
                .collect();
            (sample_mean, sample_sd)
        }
        Some(w) => {
            let total: f64 = w.iter().sum();
            let n = x.nrows().max(2) as f64;
            (0..x.ncols())
                .map(|j| {
                    let (m, var) = weighted_mean_variance(x.column(j), w, total);
                    (m, (var * n / (n - 1.0)).sqrt())
                })
                .unzip()
        }
    };

    let mut types = Vec::with_capacity(k);
    for (g, t) in typology.types.iter().enumerate() {
        let def = defs.iter().find(|d| d.id == t.name.id);
        let composition = ["gebietskoerperschaft", "groessenklasse"]
            .iter()
            .filter_map(|name| crosstabs.iter().find(|c| c.variable == *name))
            .map(|c| Composition {
                variable: c.variable.clone(),
                label: c.item.clone(),
                answers: c.shares[g].clone(),
            })
            .collect();
        let goals = typology
            .variables()
            .iter()
            .enumerate()
            .map(|(j, v)| {
                let var = book.variable(v);
                GoalRow {
                    variable: v.clone(),
                    label: var.map_or(v.clone(), |var| item_label(var, lang).to_string()),
                    mean: t.centroid[j],
                    sample_mean: sample_mean[j],
                    standardised_difference: if sample_sd[j] > 0.0 {
                        (t.centroid[j] - sample_mean[j]) / sample_sd[j]
                    } else {
                        0.0
                    },
                    signature: def.is_some_and(|d| d.signature.contains(v)),
                }
            })
            .collect();

        let mut strengths = Vec::new();
        let mut lessons = Vec::new();
        let mut over = Vec::new();
        let mut under = Vec::new();
        for c in &crosstabs {
            let Some(table) = &c.table else { continue };
            if !c.significant() {
                continue;
            }
            for (j, answer) in c.answers.iter().enumerate() {
                // with two answers the residuals mirror each other: name the positive (or first) one
                if c.answers.len() == 2 {
                    let code = table.codes[j];
                    let named = if c.positive.is_empty() {
                        j == 0
                    } else {
                        c.positive.contains(&code)
                    };
                    if !named {
                        continue;
                    }
                }
                let Some(r) = c.residuals[g][j] else { continue };
                if r.abs() < RESIDUAL_FLAG || table.counts[g][j] < SMALL_CELL && r > 0.0 {
                    continue;
                }
                let flag = Flag {
                    variable: c.variable.clone(),
                    item: c.item.clone(),
                    answer: answer.clone(),
                    share: c.shares[g][j].clone(),
                    total_percent: c.shares[k][j].percent,
                    residual: r,
                };
                if r > 0.0 {
                    over.push(flag);
                } else {
                    under.push(flag);
                }
            }
            // strengths and lessons: what a municipality does or has, not what the types are
            // built from, nor an opinion (how helpful, what grade)
            let practice = book
                .variable(&c.variable)
                .is_some_and(|v| book.describes_practice(v, typology.variables()));
            if !practice {
                continue;
            }
            let answer = book
                .variable(&c.variable)
                .map_or_else(String::new, |v| positive_label(v, lang));
            let (_, hits, base) = table.percent_of(g, &c.positive);
            let (rest_hits, rest_base) = (0..k).filter(|&h| h != g).fold((0, 0), |(a, b), h| {
                let (_, x, n) = table.percent_of(h, &c.positive);
                (a + x, b + n)
            });
            if base == 0 || rest_base == 0 {
                continue;
            }
            // the weights of the positive answers and of the bases, this type and the rest
            let masses = |h: usize| (table.mass_of(h, &c.positive), table.mass_base(h));
            let (own_mass, rest_mass) = (
                masses(g),
                (0..k)
                    .filter(|&h| h != g)
                    .map(masses)
                    .fold((0.0, 0.0), |(a, b), (x, n)| (a + x, b + n)),
            );
            let own = share_weighted(hits, base, weighted.then_some(own_mass), lang);
            let rest = share_weighted(rest_hits, rest_base, weighted.then_some(rest_mass), lang);
            let diff = own.percent.unwrap_or(0.0) - rest.percent.unwrap_or(0.0);
            let r2 = if weighted {
                adjusted_residuals_weighted(
                    &[
                        vec![own_mass.0, own_mass.1 - own_mass.0],
                        vec![rest_mass.0, rest_mass.1 - rest_mass.0],
                    ],
                    (base + rest_base) as f64,
                    table.deff,
                )
            } else {
                adjusted_residuals(&[
                    vec![hits as usize, (base - hits) as usize],
                    vec![rest_hits as usize, (rest_base - rest_hits) as usize],
                ])
            }[0][0]
                .unwrap_or(0.0);
            if r2 >= RESIDUAL_FLAG && hits >= SMALL_CELL {
                strengths.push(Contrast {
                    variable: c.variable.clone(),
                    item: c.item.clone(),
                    answer: answer.clone(),
                    type_share: own.clone(),
                    rest_share: rest,
                    difference_points: diff,
                    residual: r2,
                    p_value: c.p_value.unwrap_or(1.0),
                    cramers_v: c.cramers_v.unwrap_or(0.0),
                });
            }
            // the type that gives the positive answer most often
            let best = (0..k)
                .filter_map(|h| {
                    let (p, x, n) = table.percent_of(h, &c.positive);
                    p.map(|p| (h, p, x, n))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((h, p, x, n)) = best {
                let gap = p - own.percent.unwrap_or(0.0);
                if h != g && gap >= LESSON_GAP && x >= SMALL_CELL {
                    lessons.push(Lesson {
                        variable: c.variable.clone(),
                        item: c.item.clone(),
                        answer: answer.clone(),
                        from_type: names[h].clone(),
                        their_share: share_weighted(
                            x,
                            n,
                            weighted.then(|| (table.mass_of(h, &c.positive), table.mass_base(h))),
                            lang,
                        ),
                        own_share: own,
                        gap_points: gap,
                    });
                }
            }
        }
        strengths.sort_by(|a, b| {
            b.difference_points
                .total_cmp(&a.difference_points)
                .then_with(|| a.variable.cmp(&b.variable))
        });
        strengths.truncate(LIST_LENGTH);
        lessons.sort_by(|a, b| {
            b.gap_points
                .total_cmp(&a.gap_points)
                .then_with(|| a.variable.cmp(&b.variable))
        });
        lessons.truncate(LIST_LENGTH);
        over.sort_by(|a, b| b.residual.total_cmp(&a.residual));
        over.truncate(LIST_LENGTH);
        under.sort_by(|a, b| a.residual.total_cmp(&b.residual));
        under.truncate(LIST_LENGTH);

        let distances = typology.distances();
        let mut members: Vec<(&str, f64)> = typology
            .assignments
            .iter()
            .zip(typology.matrix.ids(survey))
            .enumerate()
            .filter(|(_, (a, _))| a.type_index == g)
            .map(|(i, (_, id))| (id, distances.of(i)[g]))
            .collect();
        members.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
        let typical = members
            .iter()
            .take(TYPICAL)
            .map(|(id, d)| Typical {
                id: id.to_string(),
                distance: *d,
            })
            .collect();
        let motto = def.and_then(|d| match lang {
            Lang::De => d.motto.clone(),
            Lang::En => d.motto_en.clone(),
        });
        let motto_quoted = def.is_some_and(|d| d.motto_quoted);
        let motto_original = def
            .filter(|d| lang == Lang::En && d.motto_quoted)
            .and_then(|d| d.motto.clone());
        types.push(TypeSheet {
            id: t.name.id.clone(),
            name: names[g].clone(),
            motto,
            motto_quoted,
            motto_original,
            n: t.n,
            share: match &typology.weights {
                None => 100.0 * t.n as f64 / clustered.max(1) as f64,
                Some(_) => 100.0 * t.weight / typology.total_weight(),
            },
            mean_silhouette: t.mean_silhouette,
            name_margin: t.name.margin,
            composition,
            goals,
            strengths,
            over,
            under,
            lessons,
            typical,
        });
    }
    Ok(ProfileReport {
        lang,
        title: lang
            .pick(
                "Steckbriefe der Digitalisierungstypen",
                "Profile sheets of the digitalisation types",
            )
            .into(),
        source,
        rows: survey.len(),
        clustered,
        left_out: typology.matrix.excluded.len(),
        k,
        seed: typology.options.seed,
        scale: typology.options.scale.as_str().into(),
        missing_policy: typology.options.missing.as_str().into(),
        version: env!("CARGO_PKG_VERSION").into(),
        types,
        crosstabs,
        weight: typology.weight_variable.clone(),
        robustness: None,
    })
}
