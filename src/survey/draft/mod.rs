//! A codebook drafted from an SPSS file's dictionary: variable names, variable labels as question
//! wording, value labels as scales, user-missing codes as the missing codes, measurement level and
//! the values in the file as kind and range. What only a person can decide (roles, the variables
//! to cluster, routing, English labels) is marked `TODO`, and the draft says `draft = true`, which
//! makes loading a survey with it warn. Names and labels are written as TOML strings and keys
//! that read back as themselves whatever they hold ([`toml`]); scales are found by value (one per
//! distinct set of codes), and routing by bit sets of cases ([`routing`]), so a draft of thousands
//! of variables and cases takes seconds, and its codes in all are bounded like the file's value
//! labels.

mod routing;
mod toml;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use super::limits::MAX_VALUE_LABELS;
use super::numbers::number_text;
use super::sav::{SavFile, SavVariable, SYSMIS};
use super::SurveyError;
use routing::{proposed, Cases, Filter};
use toml::string as quote;

/// The missing codes: the user-missing value most variables declare is "no answer", the next (or
/// one labelled like "trifft nicht zu" / "not applicable") "not applicable"; -9 and -8 when the
/// file declares none.
fn missing_codes(file: &SavFile) -> [(i64, String); 2] {
    let mut declared: BTreeMap<i64, (usize, String)> = BTreeMap::new();
    for v in &file.variables {
        for &x in &v.missing.values {
            if x.fract() == 0.0 && x.abs() < 1e9 {
                let label = label(v, x).unwrap_or_default();
                let entry = declared.entry(x as i64).or_insert((0, label));
                entry.0 += 1;
            }
        }
    }
    let mut by_count: Vec<(i64, usize, String)> =
        declared.into_iter().map(|(c, (n, l))| (c, n, l)).collect();
    by_count.sort_by_key(|(c, n, _)| (std::cmp::Reverse(*n), *c));
    let routed = |l: &str| {
        let l = l.to_lowercase();
        l.contains("nicht zu") || l.contains("filter") || l.contains("not applicable")
    };
    let not_applicable = by_count.iter().position(|(_, _, l)| routed(l));
    let take = |i: Option<usize>, default: (i64, &str)| {
        i.and_then(|i| by_count.get(i))
            .map(|(c, _, l)| {
                (
                    *c,
                    if l.is_empty() {
                        default.1.to_string()
                    } else {
                        l.clone()
                    },
                )
            })
            .unwrap_or((default.0, default.1.to_string()))
    };
    let na_index = not_applicable.or(if by_count.len() > 1 { Some(1) } else { None });
    let nr_index = (0..by_count.len()).find(|&i| Some(i) != na_index);
    let mut non_response = take(nr_index, (-9, "keine Angabe"));
    let mut not_applicable = take(na_index, (-8, "trifft nicht zu (Filterführung)"));
    if non_response.0 == not_applicable.0 {
        not_applicable = (non_response.0 + 1, "trifft nicht zu (Filterführung)".into());
        if let Some((c, _, l)) = by_count.first() {
            non_response = (*c, l.clone());
        }
    }
    [non_response, not_applicable]
}

fn label(v: &SavVariable, x: f64) -> Option<String> {
    v.labels.get(x).map(str::to_string)
}

/// The valid (not missing) numbers of a numeric variable.
fn valid(file: &SavFile, v: &SavVariable, missing: &[f64]) -> Vec<f64> {
    if v.width > 0 {
        return Vec::new();
    }
    file.numbers(v)
        .filter(|&x| x != SYSMIS && !x.is_nan() && !v.missing.contains(x) && !missing.contains(&x))
        .collect()
}

/// The variable that identifies the cases: the first string variable, else the first numeric one
/// with a different value in every case.
fn identifier(file: &SavFile, missing: &[f64; 2], file_name: &str) -> Result<usize, SurveyError> {
    file
        .variables
        .iter()
        .position(|v| v.width > 0)
        .or_else(|| {
            file.variables.iter().position(|v| {
                let xs = valid(file, v, missing);
                let mut sorted: Vec<i64> = xs.iter().map(|&x| x as i64).collect();
                sorted.sort_unstable();
                sorted.dedup();
                xs.len() == file.cases && sorted.len() == file.cases
            })
        })
        .ok_or_else(|| SurveyError::Codebook {
            origin: file_name.to_string(),
            message: "no variable can identify the cases (no string variable, no numeric one with a different value in every case)".into(),
        })
}

/// Writes the draft's opening comment, its `[codebook]` table and its missing codes; returns the
/// TODO marks written.
fn write_head(
    out: &mut String,
    file: &SavFile,
    file_name: &str,
    non_response: &(i64, String),
    not_applicable: &(i64, String),
) -> usize {
    let mut todo = 0;
    let title = if file.file_label.is_empty() {
        file_name.to_string()
    } else {
        file.file_label.clone()
    };
    let shown = toml::comment(file_name);
    writeln!(out, "# Codebook DRAFTED by `typfrage codebook` from {shown}: its dictionary (names, variable labels, value").unwrap();
    writeln!(out, "# labels, user-missing values, measurement levels) and the ranges of its values. A person must still decide").unwrap();
    writeln!(out, "# what is marked TODO: which variables to cluster (role = \"clustering\"; or name them with --vars), routing").unwrap();
    writeln!(out, "# (asked_if) proposed from the data, ranges, English labels, checks across variables ([[rule]]). Then delete").unwrap();
    writeln!(
        out,
        "# the `draft = true` line. The fields are explained in typfrage's data/codebook.toml.\n"
    )
    .unwrap();
    writeln!(out, "[codebook]\ntitle = {}\ntitle_en = {}  # TODO: English title\nversion = \"draft\"\ndraft = true\n", quote(&title), quote(&title)).unwrap();
    todo += 1;
    writeln!(
        out,
        "[missing]  # from the user-missing values most variables declare"
    )
    .unwrap();
    for (key, (code, label)) in [
        ("non_response", non_response),
        ("not_applicable", not_applicable),
    ] {
        writeln!(
            out,
            "{key} = {{ code = {code}, de = {}, en = {} }}",
            quote(label),
            quote(label)
        )
        .unwrap();
    }
    out.push('\n');
    todo
}

/// A scale of the draft: its name and codes (borrowed from the file's value labels).
struct Scale<'f> {
    name: String,
    codes: Vec<(i64, &'f str)>,
}

/// What the draft says each variable is: its kind and, for a coded one, its scale.
struct Kinds<'f> {
    scales: Vec<Scale<'f>>,
    /// The scale of each variable (none: not coded).
    scale_of: Vec<Option<usize>>,
    kinds: Vec<&'static str>,
}

impl<'f> Kinds<'f> {
    /// One scale per distinct set of codes (the value labels that are not missing codes), named
    /// after the first variable that has it (distinct from every other scale's name, also when two
    /// variables' names differ only in case); every other variable's kind from its values. The
    /// codes in all, and the codes the variables have in all (a codebook gives each variable its
    /// scale's codes), are at most [`MAX_VALUE_LABELS`].
    fn of(
        file: &'f SavFile,
        identifier: usize,
        missing: &[f64; 2],
        file_name: &str,
    ) -> Result<Kinds<'f>, SurveyError> {
        let mut kinds = Kinds {
            scales: Vec::new(),
            scale_of: Vec::with_capacity(file.variables.len()),
            kinds: Vec::with_capacity(file.variables.len()),
        };
        let mut found: HashMap<Vec<(i64, &'f str)>, usize> = HashMap::new();
        let mut names: HashSet<String> = HashSet::new();
        let (mut written, mut given) = (0, 0);
        for (i, v) in file.variables.iter().enumerate() {
            if i == identifier {
                kinds.scale_of.push(None);
                kinds.kinds.push("identifier");
                continue;
            }
            let xs = valid(file, v, missing);
            let codes: Vec<(i64, &'f str)> = v
                .labels
                .iter()
                .filter(|(x, _)| {
                    !missing.contains(x) && !v.missing.contains(*x) && x.fract() == 0.0
                })
                .map(|(x, l)| (*x as i64, l.as_str()))
                .collect();
            let labelled =
                |x: f64| x.fract() == 0.0 && x.abs() < 9.2e18 && v.labels.get(x).is_some();
            if codes.is_empty() || !xs.iter().all(|&x| labelled(x)) {
                kinds.scale_of.push(None);
                kinds.kinds.push(if xs.iter().any(|x| x.fract() != 0.0) {
                    "decimal"
                } else if xs.iter().all(|&x| x >= 0.0) {
                    "count"
                } else {
                    "integer"
                });
                continue;
            }
            let binary = codes.iter().all(|(c, _)| *c == 0 || *c == 1);
            kinds.kinds.push(if binary {
                "binary"
            } else if v.measure == 2 {
                "ordinal"
            } else {
                "categorical"
            });
            given += codes.len();
            let at = match found.get(&codes) {
                Some(&at) => at,
                None => {
                    written += codes.len();
                    let name = unique(format!("s_{}", v.name.to_lowercase()), &mut names);
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
                        v.name
                    ),
                });
            }
            kinds.scale_of.push(Some(at));
        }
        Ok(kinds)
    }
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

/// The codebook draft as TOML text, and how many TODO marks it has.
pub fn draft_codebook(bytes: &[u8], file_name: &str) -> Result<(String, usize), SurveyError> {
    let file = SavFile::parse(bytes).map_err(|why| SurveyError::Codebook {
        origin: file_name.to_string(),
        message: format!("a codebook is drafted from an SPSS system file (.sav, .zsav), and this one cannot be read: {why}"),
    })?;
    let [non_response, not_applicable] = missing_codes(&file);
    let missing = [non_response.0 as f64, not_applicable.0 as f64];
    let identifier = identifier(&file, &missing, file_name)?;
    let mut out = String::new();
    let mut todo = write_head(&mut out, &file, file_name, &non_response, &not_applicable);
    let kinds = Kinds::of(&file, identifier, &missing, file_name)?;
    for scale in &kinds.scales {
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
    let skip = |x: f64| x == SYSMIS || x.is_nan() || missing.contains(&x);
    let filters: Vec<Filter> = file
        .variables
        .iter()
        .enumerate()
        .filter(|(i, v)| kinds.scale_of[*i].is_some() && v.width == 0)
        .map(|(i, v)| Filter::new(i, &file.numbers(v).collect::<Vec<f64>>(), skip))
        .collect();
    for (i, v) in file.variables.iter().enumerate() {
        todo += write_variable(&mut out, &file, i, identifier, &kinds, &missing);
        if v.width > 0 && i != identifier {
            continue;
        }
        if let Some(routing) = routing(&file, i, missing[1], &filters) {
            writeln!(out, "{routing}").unwrap();
            todo += 1;
        }
        out.push('\n');
    }
    Ok((out, todo))
}

/// Writes variable `i` (but its routing); returns the TODO marks written.
fn write_variable(
    out: &mut String,
    file: &SavFile,
    i: usize,
    identifier: usize,
    kinds: &Kinds,
    missing: &[f64; 2],
) -> usize {
    let v = &file.variables[i];
    if v.width > 0 && i != identifier {
        writeln!(out, "# TODO: the string variable {} has no kind a codebook knows: leave it out (`ignore` in a --mapping file)\n", toml::comment(&v.name)).unwrap();
        return 1;
    }
    let mut todo = 1;
    let question = v.label.clone().unwrap_or_else(|| v.name.clone());
    writeln!(out, "[[variable]]\nname = {}\nblock = \"draft\"\nquestion_de = {}\nlabel_en = {}  # TODO: English label", quote(&v.name), quote(&question), quote(&question)).unwrap();
    let kind = kinds.kinds[i];
    let role = if kind == "identifier" {
        "identifier"
    } else {
        "profile"
    };
    writeln!(out, "kind = \"{kind}\"\nrole = \"{role}\"").unwrap();
    if let Some(s) = kinds.scale_of[i] {
        writeln!(out, "scale = {}", quote(&kinds.scales[s].name)).unwrap();
    } else if kind != "identifier" {
        let xs = valid(file, v, missing);
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
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
    todo
}

/// Routing proposed from the data for variable `i` when it holds the not-applicable code: the
/// first coded variable before it whose codes tell apart the cases that hold it from the others.
fn routing(file: &SavFile, i: usize, not_applicable: f64, filters: &[Filter]) -> Option<String> {
    let v = &file.variables[i];
    if v.width > 0 {
        return None;
    }
    let mut routed = Cases::new(file.cases);
    let mut n = 0;
    for (case, x) in file.numbers(v).enumerate() {
        if x == not_applicable {
            routed.insert(case);
            n += 1;
        }
    }
    if n == 0 {
        return None;
    }
    if let Some((filter, asked)) = proposed(filters, i, &routed) {
        let name = &file.variables[filter.variable].name;
        let codes: Vec<String> = asked.iter().map(i64::to_string).collect();
        return Some(format!(
            "asked_if = {{ variable = {}, codes = [{}] }}  # TODO check: proposed from the data (the cases with {} hold {} exactly when {} is not one of these)",
            quote(name),
            codes.join(", "),
            number_text(not_applicable),
            number_text(not_applicable),
            toml::comment(name)
        ));
    }
    Some(format!(
        "# TODO: {n} cases hold the not-applicable code {}: give this variable an asked_if",
        number_text(not_applicable)
    ))
}
