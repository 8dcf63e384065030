//! What the draft says each column is (its kind, its scale, what a person should check) and
//! writing that as the draft's `[scale.*]` tables and `[[variable]]` entries; and the clustering
//! variables named by `--cluster`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write;

use super::super::codebook::Kind;
use super::super::limits::MAX_VALUE_LABELS;
use super::super::numbers::number_text;
use super::super::SurveyError;
use super::columns::{Cells, Column, Source};
use super::toml::{self, string as quote};

/// Whether k-means can take a variable of this kind (numbers on one scale).
fn clusterable(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Ordinal | Kind::Binary | Kind::Count | Kind::Integer | Kind::Decimal
    )
}

/// The most answers a text column may have to be drafted categorical (each answer a code).
const MAX_TEXT_CODES: usize = 20;
/// The most codes of a scale drafted ordinal from its codes alone (0-10 ratings).
const MAX_ORDINAL_CODES: usize = 11;

/// A scale of the draft: its name and codes.
struct Scale {
    name: String,
    codes: Vec<(i64, String)>,
}

/// What the draft says each column is: its kind, for a coded one its scale, and what a person
/// should check.
pub(super) struct Kinds {
    scales: Vec<Scale>,
    /// The scale of each column (none: not coded).
    pub scale_of: Vec<Option<usize>>,
    pub kinds: Vec<Kind>,
    /// A TODO to write with the variable.
    notes: Vec<Option<String>>,
}

/// A column's kind, its codes (for a coded one) and what to check.
type Drafted = (Kind, Vec<(i64, String)>, Option<String>);

/// The kind of a text column: categorical when it has few distinct answers, each given more than
/// once on average (and none two ways in upper and lower case), text otherwise.
fn text_kind(texts: &[String]) -> Drafted {
    let given: Vec<&str> = texts
        .iter()
        .map(String::as_str)
        .filter(|t| !t.is_empty())
        .collect();
    let distinct: BTreeSet<&str> = given.iter().copied().collect();
    let folded: HashSet<String> = distinct.iter().map(|t| t.to_lowercase()).collect();
    if distinct.is_empty()
        || distinct.len() > MAX_TEXT_CODES
        || distinct.len() * 2 > given.len()
        || folded.len() != distinct.len()
    {
        return (Kind::Text, Vec::new(), None);
    }
    let codes = distinct
        .iter()
        .enumerate()
        .map(|(i, t)| (i as i64 + 1, t.to_string()))
        .collect();
    let note = "TODO check: drafted from the answers written out, coded 1 … n in alphabetical order; reorder the codes if the answers have an order (then kind = \"ordinal\")";
    (Kind::Categorical, codes, Some(note.to_string()))
}

/// The kind of a numeric column from its valid values `xs`.
fn number_kind(c: &Column, xs: &[f64], missing: &[f64]) -> Drafted {
    let usable = |x: f64| !missing.contains(&x) && !c.declares_missing(x) && x.fract() == 0.0;
    let labelled: Vec<(i64, String)> = c
        .labels
        .iter()
        .filter(|(x, _)| usable(*x) && x.abs() < 1e9)
        .map(|(x, l)| (*x as i64, l.clone()))
        .collect();
    let whole = xs.iter().all(|x| x.fract() == 0.0 && x.abs() < 1e9);
    // by bits (+0.0 and -0.0 apart, as a label set keeps them), not a scan of every label
    let by_value: HashMap<u64, &str> = c
        .labels
        .iter()
        .map(|(x, l)| (x.to_bits(), l.as_str()))
        .collect();
    let label_of = |x: f64| by_value.get(&x.to_bits()).copied();
    let all_labelled = xs.iter().all(|&x| label_of(x).is_some());
    if !labelled.is_empty() && whole && all_labelled {
        let mut sorted: Vec<i64> = labelled.iter().map(|(x, _)| *x).collect();
        sorted.sort_unstable();
        let consecutive = sorted.windows(2).all(|w| w[1] == w[0] + 1);
        let kind = if sorted.iter().all(|&x| x == 0 || x == 1) {
            Kind::Binary
        } else if matches!(c.measure, 2 | 3) {
            Kind::Ordinal
        } else if consecutive && (3..=MAX_ORDINAL_CODES).contains(&sorted.len()) {
            return (Kind::Ordinal, labelled, Some(format!("TODO check: ordinal because its labels are {} consecutive codes; kind = \"categorical\" if they have no order", sorted.len())));
        } else {
            Kind::Categorical
        };
        return (kind, labelled, None);
    }
    if whole && !xs.is_empty() {
        let mut values: BTreeSet<i64> = xs.iter().map(|&x| x as i64).collect();
        values.extend(labelled.iter().map(|(x, _)| *x));
        let (lo, hi) = (values.first().copied(), values.last().copied());
        let (Some(lo), Some(hi)) = (lo, hi) else {
            unreachable!("xs is not empty")
        };
        let label = |x: i64| label_of(x as f64).map_or_else(|| x.to_string(), str::to_string);
        if lo == 0 && hi == 1 {
            let codes = (0..=1).map(|x| (x, label(x))).collect();
            return (
                Kind::Binary,
                codes,
                Some(
                    "TODO check: unlabelled values 0 and 1, drafted binary; label the codes".into(),
                ),
            );
        }
        let clear = (lo..=hi).all(|x| !missing.contains(&(x as f64)));
        if values.len() >= 3 && hi - lo < MAX_ORDINAL_CODES as i64 && clear {
            let codes = (lo..=hi).map(|x| (x, label(x))).collect();
            return (Kind::Ordinal, codes, Some(format!("TODO check: unlabelled whole numbers from {lo} to {hi}, drafted as an ordered scale; label its codes, or make it a count")));
        }
    }
    let kind = if !whole {
        Kind::Decimal
    } else if xs.iter().all(|&x| x >= 0.0) {
        Kind::Count
    } else {
        Kind::Integer
    };
    (kind, Vec::new(), None)
}

impl Kinds {
    /// Each column's kind; one scale per distinct set of codes, named after the first column that
    /// has it (distinct from every other scale's name, also when two names differ only in case).
    /// The codes in all, and the codes the variables have in all (a codebook gives each variable
    /// its scale's codes), are at most [`MAX_VALUE_LABELS`].
    pub fn of(
        source: &Source,
        identifier: usize,
        missing: &[f64],
        file_name: &str,
    ) -> Result<Kinds, SurveyError> {
        let n = source.columns.len();
        let mut kinds = Kinds {
            scales: Vec::new(),
            scale_of: Vec::with_capacity(n),
            kinds: Vec::with_capacity(n),
            notes: Vec::with_capacity(n),
        };
        let mut found: HashMap<Vec<(i64, String)>, usize> = HashMap::new();
        let mut names: HashSet<String> = HashSet::new();
        let (mut written, mut given) = (0, 0);
        for (i, c) in source.columns.iter().enumerate() {
            let (kind, codes, note) = if i == identifier {
                (Kind::Identifier, Vec::new(), None)
            } else {
                match &c.cells {
                    Cells::Text(texts) => text_kind(texts),
                    Cells::Numbers(xs) => {
                        let valid: Vec<f64> = xs
                            .iter()
                            .copied()
                            .filter(|&x| {
                                !x.is_nan() && !c.declares_missing(x) && !missing.contains(&x)
                            })
                            .collect();
                        number_kind(c, &valid, missing)
                    }
                }
            };
            kinds.kinds.push(kind);
            kinds.notes.push(note);
            if codes.is_empty() {
                kinds.scale_of.push(None);
                continue;
            }
            given += codes.len();
            let at = match found.get(&codes) {
                Some(&at) => at,
                None => {
                    written += codes.len();
                    let name = unique(format!("s_{}", c.name.to_lowercase()), &mut names);
                    found.insert(codes.clone(), kinds.scales.len());
                    kinds.scales.push(Scale { name, codes });
                    kinds.scales.len() - 1
                }
            };
            if written.max(given) > MAX_VALUE_LABELS {
                return Err(SurveyError::Codebook {
                    origin: file_name.to_string(),
                    message: format!(
                        "the draft would give its variables more than {MAX_VALUE_LABELS} codes in all (a codebook gives each coded variable its scale's codes; here up to variable {}); expected at most that many",
                        c.name
                    ),
                });
            }
            kinds.scale_of.push(Some(at));
        }
        Ok(kinds)
    }

    /// Writes the `[scale.*]` tables; returns the TODO marks written.
    pub fn write_scales(&self, out: &mut String) -> usize {
        for scale in &self.scales {
            writeln!(out, "[scale.{}]\ncodes = [", toml::key(&scale.name)).unwrap();
            for (code, label) in &scale.codes {
                writeln!(
                    out,
                    "  {{ code = {code}, de = {}, en = {} }},",
                    quote(label),
                    quote(label)
                )
                .unwrap();
            }
            writeln!(out, "]\n").unwrap();
        }
        0
    }

    /// Writes column `i` with its `role` (but its routing); returns the TODO marks written.
    pub fn write_variable(
        &self,
        out: &mut String,
        source: &Source,
        i: usize,
        role: &str,
        missing: &[f64],
    ) -> usize {
        let c = &source.columns[i];
        let mut todo = 1;
        let question = c.label.clone().unwrap_or_else(|| c.name.clone());
        writeln!(out, "[[variable]]\nname = {}\nblock = \"draft\"\nquestion_de = {}\nlabel_en = {}  # TODO: English label", quote(&c.name), quote(&question), quote(&question)).unwrap();
        let kind = self.kinds[i];
        let comment = if kind == Kind::Text {
            "  # text: kept as written, never clustered or cross-tabulated"
        } else {
            ""
        };
        writeln!(
            out,
            "kind = \"{}\"{comment}\nrole = \"{role}\"",
            kind.as_str()
        )
        .unwrap();
        if let Some(s) = self.scale_of[i] {
            writeln!(out, "scale = {}", quote(&self.scales[s].name)).unwrap();
        } else if matches!(kind, Kind::Count | Kind::Integer | Kind::Decimal) {
            let xs = c
                .numbers()
                .iter()
                .copied()
                .filter(|&x| !x.is_nan() && !c.declares_missing(x) && !missing.contains(&x));
            let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(x), hi.max(x))
            });
            if lo.is_finite() {
                writeln!(
                    out,
                    "min = {}\nmax = {}  # TODO: the range found in the file; set the allowed range",
                    number_text(lo),
                    number_text(hi)
                )
                .unwrap();
                todo += 1;
            }
        }
        if let Some(note) = &self.notes[i] {
            writeln!(out, "# {note}").unwrap();
            todo += 1;
        }
        todo
    }
}

/// Whether `name` matches `pattern`: the same name, or with `*` for any run of characters.
fn matches(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The columns that `--cluster` names (names, or patterns with `*`), in the file's order; each
/// name or pattern must find a column, and each column found must hold numbers on a scale.
pub(super) fn clustered(
    source: &Source,
    kinds: &Kinds,
    patterns: &[String],
    file_name: &str,
) -> Result<Vec<usize>, SurveyError> {
    let err = |message: String| SurveyError::Codebook {
        origin: file_name.to_string(),
        message,
    };
    let mut chosen = BTreeSet::new();
    for pattern in patterns {
        let found: Vec<usize> = (0..source.columns.len())
            .filter(|&i| matches(pattern, &source.columns[i].name))
            .collect();
        if found.is_empty() {
            return Err(err(format!(
                "--cluster {}: no column of the file is named so{}; expected a column name or a pattern with * (A*)",
                crate::escape::field(pattern),
                if pattern.contains('*') { " (or matches)" } else { "" }
            )));
        }
        for i in found {
            let kind = kinds.kinds[i];
            if !clusterable(kind) {
                return Err(err(format!(
                    "--cluster {}: column {} is drafted {} and cannot be clustered; expected columns of numbers on one scale (ordinal, binary, count, integer or decimal)",
                    crate::escape::field(pattern),
                    crate::escape::field(&source.columns[i].name),
                    kind.as_str()
                )));
            }
            chosen.insert(i);
        }
    }
    Ok(chosen.into_iter().collect())
}

/// `name`, or `name_2`, `name_3` … when it is taken; the name returned is taken from then on.
fn unique(name: String, taken: &mut HashSet<String>) -> String {
    let mut candidate = name.clone();
    let mut k = 1;
    while taken.contains(&candidate) {
        k += 1;
        candidate = format!("{name}_{k}");
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_with_stars() {
        assert!(matches("A*", "A1"));
        assert!(matches("A*", "A"));
        assert!(!matches("A*", "BA1"));
        assert!(matches("*_1", "x_1"));
        assert!(matches("a*b*c", "a-b-c"));
        assert!(!matches("a*b*c", "a-c"));
        assert!(matches("x", "x"));
        assert!(!matches("x", "xy"));
    }
}
