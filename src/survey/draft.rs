//! A codebook drafted from an SPSS file's dictionary: variable names, variable labels as question
//! wording, value labels as scales, user-missing codes as the missing codes, measurement level and
//! the values in the file as kind and range. What only a person can decide (roles, the variables
//! to cluster, routing, English labels) is marked `TODO`, and the draft says `draft = true`, which
//! makes loading a survey with it warn.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::numbers::number_text;
use super::sav::{SavColumn, SavFile, SavVariable, SYSMIS};
use super::SurveyError;

fn quote(s: &str) -> String {
    // a JSON string is a TOML basic string (the same escapes)
    serde_json::to_string(s).expect("a string serialises")
}

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
    v.labels
        .iter()
        .find(|(y, _)| *y == x)
        .map(|(_, l)| l.clone())
}

/// The valid (not missing) numbers of a numeric column.
fn valid(v: &SavVariable, column: &SavColumn, missing: &[f64]) -> Vec<f64> {
    match column {
        SavColumn::Numeric(xs) => xs
            .iter()
            .copied()
            .filter(|&x| {
                x != SYSMIS && !x.is_nan() && !v.missing.contains(x) && !missing.contains(&x)
            })
            .collect(),
        SavColumn::Text(_) => Vec::new(),
    }
}

/// The variable that identifies the cases: the first string variable, else the first numeric one
/// with a different value in every case.
fn identifier(file: &SavFile, missing: &[f64; 2], file_name: &str) -> Result<usize, SurveyError> {
    file
        .variables
        .iter()
        .position(|v| v.width > 0)
        .or_else(|| {
            file.variables.iter().zip(&file.columns).position(|(v, c)| {
                let xs = valid(v, c, missing);
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
    writeln!(out, "# Codebook DRAFTED by `typfrage codebook` from {file_name}: its dictionary (names, variable labels, value").unwrap();
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

    // scales: one per distinct set of value labels (missing codes left out)
    let mut scales: Vec<(String, Vec<(i64, String)>)> = Vec::new();
    let mut scale_of: Vec<Option<usize>> = Vec::new();
    let mut kinds: Vec<&'static str> = Vec::new();
    for (i, (v, column)) in file.variables.iter().zip(&file.columns).enumerate() {
        if i == identifier {
            scale_of.push(None);
            kinds.push("identifier");
            continue;
        }
        let xs = valid(v, column, &missing);
        let codes: Vec<(i64, String)> = v
            .labels
            .iter()
            .filter(|(x, _)| !missing.contains(x) && !v.missing.contains(*x) && x.fract() == 0.0)
            .map(|(x, l)| (*x as i64, l.clone()))
            .collect();
        let labelled = |x: f64| codes.iter().any(|(c, _)| *c as f64 == x);
        let coded = !codes.is_empty() && xs.iter().all(|&x| labelled(x));
        if coded {
            let binary = codes.iter().all(|(c, _)| *c == 0 || *c == 1);
            kinds.push(if binary {
                "binary"
            } else if v.measure == 2 {
                "ordinal"
            } else {
                "categorical"
            });
            let at = scales
                .iter()
                .position(|(_, c)| *c == codes)
                .unwrap_or_else(|| {
                    scales.push((format!("s_{}", v.name.to_lowercase()), codes));
                    scales.len() - 1
                });
            scale_of.push(Some(at));
        } else {
            scale_of.push(None);
            kinds.push(if xs.iter().any(|x| x.fract() != 0.0) {
                "decimal"
            } else if xs.iter().all(|&x| x >= 0.0) {
                "count"
            } else {
                "integer"
            });
        }
    }
    for (name, codes) in &scales {
        writeln!(out, "[scale.{name}]\ncodes = [").unwrap();
        for (code, label) in codes {
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

    for (i, (v, column)) in file.variables.iter().zip(&file.columns).enumerate() {
        if v.width > 0 && i != identifier {
            writeln!(out, "# TODO: the string variable {} has no kind a codebook knows: leave it out (`ignore` in a --mapping file)\n", v.name).unwrap();
            todo += 1;
            continue;
        }
        let question = v.label.clone().unwrap_or_else(|| v.name.clone());
        writeln!(out, "[[variable]]\nname = {}\nblock = \"draft\"\nquestion_de = {}\nlabel_en = {}  # TODO: English label", quote(&v.name), quote(&question), quote(&question)).unwrap();
        todo += 1;
        let kind = kinds[i];
        let role = if kind == "identifier" {
            "identifier"
        } else {
            "profile"
        };
        writeln!(out, "kind = \"{kind}\"\nrole = \"{role}\"").unwrap();
        if let Some(s) = scale_of[i] {
            writeln!(out, "scale = \"{}\"", scales[s].0).unwrap();
        } else if kind != "identifier" {
            let xs = valid(v, column, &missing);
            let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() {
                writeln!(out, "min = {}\nmax = {}  # TODO: the range found in the file; set the allowed range", number_text(lo), number_text(hi)).unwrap();
                todo += 1;
            }
        }
        if let Some(routing) = routing(&file, i, missing, &scale_of) {
            writeln!(out, "{routing}").unwrap();
            todo += 1;
        }
        out.push('\n');
    }
    Ok((out, todo))
}

/// Routing proposed from the data for variable `i` when it holds the not-applicable code: the
/// first coded variable before it whose codes tell apart the cases that hold it from the others.
fn routing(
    file: &SavFile,
    i: usize,
    missing: [f64; 2],
    scale_of: &[Option<usize>],
) -> Option<String> {
    let not_applicable = missing[1];
    let SavColumn::Numeric(xs) = &file.columns[i] else {
        return None;
    };
    let routed: Vec<bool> = xs.iter().map(|&x| x == not_applicable).collect();
    if !routed.iter().any(|&r| r) {
        return None;
    }
    for (f, column) in file.columns.iter().enumerate().take(i) {
        let (Some(_), SavColumn::Numeric(filter)) = (scale_of[f], column) else {
            continue;
        };
        let mut asked = std::collections::BTreeSet::new();
        let mut past = std::collections::BTreeSet::new();
        for (r, &x) in routed.iter().zip(filter) {
            if x == SYSMIS || x.fract() != 0.0 || missing.contains(&x) {
                continue;
            }
            if *r {
                past.insert(x as i64);
            } else {
                asked.insert(x as i64);
            }
        }
        if !asked.is_empty() && asked.is_disjoint(&past) {
            let codes: Vec<String> = asked.iter().map(i64::to_string).collect();
            return Some(format!(
                "asked_if = {{ variable = {}, codes = [{}] }}  # TODO check: proposed from the data (the cases with {} hold {} exactly when {} is not one of these)",
                quote(&file.variables[f].name),
                codes.join(", "),
                number_text(not_applicable),
                number_text(not_applicable),
                file.variables[f].name
            ));
        }
    }
    Some(format!(
        "# TODO: {} cases hold the not-applicable code {}: give this variable an asked_if",
        routed.iter().filter(|&&r| r).count(),
        number_text(not_applicable)
    ))
}
