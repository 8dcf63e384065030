//! Per type: its size and share, its goal profile against the whole clustered sample, the
//! answers over- or under-represented in it, its strengths against all other types, what it can
//! learn from the type that gives a positive answer most often, and its most typical
//! municipalities. The rules are those of [`crate::profile`].

use crate::cluster::{weighted_mean_variance, TypeDef, Typology};
use crate::stats::{adjusted_residuals, adjusted_residuals_weighted, SMALL_CELL};
use crate::survey::Survey;

use super::crosstabs::{Share, TypeCrossTab};
use super::rules::{LESSON_GAP, LIST_LENGTH, RESIDUAL_FLAG, TYPICAL};

/// One type's numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeProfile {
    pub id: String,
    pub n: usize,
    /// Percent of the clustered municipalities (of their summed weights when weighted).
    pub share: f64,
    pub mean_silhouette: f64,
    /// How much better the name fits than the next type's (none for extra clusters).
    pub name_margin: Option<f64>,
    pub goals: Vec<Goal>,
    pub strengths: Vec<Strength>,
    pub over: Vec<Flag>,
    pub under: Vec<Flag>,
    pub lessons: Vec<Lesson>,
    pub typical: Vec<Typical>,
}

/// A clustering variable: the type's mean against the clustered sample's.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub variable: String,
    pub mean: f64,
    pub sample_mean: f64,
    /// (type mean - sample mean) / sample standard deviation.
    pub standardised_difference: f64,
    /// One of the study's signature goals of the type.
    pub signature: bool,
}

/// A type against all other clustered municipalities on a variable's positive answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Strength {
    /// The cross-tab, by its index in the profile's list.
    pub crosstab: usize,
    pub own: Share,
    pub rest: Share,
    pub difference_points: f64,
    /// The adjusted residual of the 2x2 table (this type against the rest).
    pub residual: f64,
}

/// An answer over- or under-represented in a type (adjusted residual of the full cross-tab).
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub crosstab: usize,
    /// The answer's column in the cross-tab.
    pub answer: usize,
    pub residual: f64,
}

/// A positive answer another type (`from`, its index) gives most often, well ahead of this one.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub crosstab: usize,
    pub from: usize,
    pub theirs: Share,
    pub own: Share,
    pub gap_points: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Typical {
    pub id: String,
    pub distance: f64,
}

/// The clustered sample's mean and standard deviation per clustering variable (weighted: the
/// weighted mean, and the weighted variance Σw(x - m)² / Σw times n / (n - 1)).
fn sample_moments(typology: &Typology) -> (Vec<f64>, Vec<f64>) {
    let x = &typology.matrix.x;
    match &typology.weights {
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
    }
}

fn goals(typology: &Typology, g: usize, def: Option<&TypeDef>) -> Vec<Goal> {
    let (sample_mean, sample_sd) = sample_moments(typology);
    let centroid = &typology.types[g].centroid;
    typology
        .variables()
        .iter()
        .enumerate()
        .map(|(j, v)| Goal {
            variable: v.clone(),
            mean: centroid[j],
            sample_mean: sample_mean[j],
            standardised_difference: if sample_sd[j] > 0.0 {
                (centroid[j] - sample_mean[j]) / sample_sd[j]
            } else {
                0.0
            },
            signature: def.is_some_and(|d| d.signature.contains(v)),
        })
        .collect()
}

/// The answers of a significant cross-tab over- or under-represented in type `g`; with two
/// answers the residuals mirror each other, so only the positive (or first) one is named.
fn flags(c: &TypeCrossTab, i: usize, g: usize, over: &mut Vec<Flag>, under: &mut Vec<Flag>) {
    let table = &c.table;
    for j in 0..table.codes.len() {
        if table.codes.len() == 2 {
            let named = if c.positive.is_empty() {
                j == 0
            } else {
                c.positive.contains(&table.codes[j])
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
            crosstab: i,
            answer: j,
            residual: r,
        };
        if r > 0.0 {
            over.push(flag);
        } else {
            under.push(flag);
        }
    }
}

/// Type `g` against all other types on the positive answers of cross-tab `i`: a strength, and a
/// lesson from the type that gives them most often.
fn contrast(c: &TypeCrossTab, i: usize, g: usize) -> (Option<Strength>, Option<Lesson>) {
    let table = &c.table;
    let k = table.counts.len();
    let weighted = table.is_weighted();
    let (_, hits, base) = table.percent_of(g, &c.positive);
    let (rest_hits, rest_base) = (0..k).filter(|&h| h != g).fold((0, 0), |(a, b), h| {
        let (_, x, n) = table.percent_of(h, &c.positive);
        (a + x, b + n)
    });
    if base == 0 || rest_base == 0 {
        return (None, None);
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
    let own = Share::new(hits, base, weighted.then_some(own_mass));
    let rest = Share::new(rest_hits, rest_base, weighted.then_some(rest_mass));
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
    let strength = (r2 >= RESIDUAL_FLAG && hits >= SMALL_CELL).then_some(Strength {
        crosstab: i,
        own,
        rest,
        difference_points: diff,
        residual: r2,
    });
    // the type that gives the positive answer most often
    let best = (0..k)
        .filter_map(|h| {
            let (p, x, n) = table.percent_of(h, &c.positive);
            p.map(|p| (h, p, x, n))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    let lesson = best.and_then(|(h, p, x, n)| {
        let gap = p - own.percent.unwrap_or(0.0);
        (h != g && gap >= LESSON_GAP && x >= SMALL_CELL).then(|| Lesson {
            crosstab: i,
            from: h,
            theirs: Share::new(x, n, weighted.then(|| masses(h))),
            own,
            gap_points: gap,
        })
    });
    (strength, lesson)
}

/// The most typical members of type `g`: nearest to its centre, ties by identifier.
fn typical(survey: &Survey, typology: &Typology, g: usize) -> Vec<Typical> {
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
    members
        .iter()
        .take(TYPICAL)
        .map(|(id, d)| Typical {
            id: id.to_string(),
            distance: *d,
        })
        .collect()
}

/// Type `g`'s numbers; `practice[i]` says whether cross-tab `i` may give strengths and lessons
/// (what a municipality does or has: not a clustering variable, not derived from one, not an
/// opinion).
pub fn type_profile(
    survey: &Survey,
    typology: &Typology,
    defs: &[TypeDef],
    crosstabs: &[TypeCrossTab],
    practice: &[bool],
    g: usize,
) -> TypeProfile {
    let t = &typology.types[g];
    let def = defs.iter().find(|d| d.id == t.name.id);
    let (mut strengths, mut lessons, mut over, mut under) = (vec![], vec![], vec![], vec![]);
    for (i, c) in crosstabs.iter().enumerate() {
        if !c.significant() {
            continue;
        }
        flags(c, i, g, &mut over, &mut under);
        if !practice[i] {
            continue;
        }
        let (strength, lesson) = contrast(c, i, g);
        strengths.extend(strength);
        lessons.extend(lesson);
    }
    let variable = |i: usize| crosstabs[i].variable();
    strengths.sort_by(|a, b| {
        b.difference_points
            .total_cmp(&a.difference_points)
            .then_with(|| variable(a.crosstab).cmp(variable(b.crosstab)))
    });
    strengths.truncate(LIST_LENGTH);
    lessons.sort_by(|a, b| {
        b.gap_points
            .total_cmp(&a.gap_points)
            .then_with(|| variable(a.crosstab).cmp(variable(b.crosstab)))
    });
    lessons.truncate(LIST_LENGTH);
    over.sort_by(|a, b| b.residual.total_cmp(&a.residual));
    over.truncate(LIST_LENGTH);
    under.sort_by(|a, b| a.residual.total_cmp(&b.residual));
    under.truncate(LIST_LENGTH);
    TypeProfile {
        id: t.name.id.clone(),
        n: t.n,
        share: match &typology.weights {
            None => 100.0 * t.n as f64 / typology.assignments.len().max(1) as f64,
            Some(_) => 100.0 * t.weight / typology.total_weight(),
        },
        mean_silhouette: t.mean_silhouette,
        name_margin: t.name.margin,
        goals: goals(typology, g, def),
        strengths,
        over,
        under,
        lessons,
        typical: typical(survey, typology, g),
    }
}
