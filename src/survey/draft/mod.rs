//! A codebook drafted from a survey file, ready to cluster once a person has looked at it: from an
//! SPSS file's dictionary (variable names, variable labels as question wording, value labels as
//! scales, user-missing values, measurement levels) or from a text table's columns (CSV,
//! workbook, Parquet: names, and the values found), with the values in the file as kind and range.
//!
//! The kinds ([`kinds`]): a labelled scale of three or more ordered codes (consecutive whole
//! numbers, at most 11) or SPSS's ordinal or scale level is `ordinal`; labels 0/1 `binary`; other
//! labelled codes `categorical`; unlabelled whole numbers with a small range (3 to 11 values) are
//! `ordinal` with a TODO, 0/1 `binary`; other numbers `count`, `integer` or `decimal` with the
//! range found; a text column with few distinct answers is `categorical` (its answers the labels
//! of codes 1 … n), any other `text` (kept, never clustered). The missing codes are only those the
//! file declares (SPSS) or uses (a negative whole number in columns of otherwise non-negative
//! numbers); `--cluster` names or patterns (`A*`) mark the clustering variables. What only a
//! person can decide is marked `TODO`, and the draft says `draft = true`, which makes loading a
//! survey with it warn. Names and labels are written as TOML strings and keys that read back as
//! themselves whatever they hold ([`toml`]); scales are found by value (one per distinct set of
//! codes), and routing by bit sets of cases ([`routing`]), so a draft of thousands of variables
//! and cases takes seconds, and its codes in all are bounded like the file's value labels.

mod columns;
mod kinds;
mod routing;
mod toml;

use std::collections::BTreeMap;
use std::fmt::Write;

use super::numbers::number_text;
use super::read::read_raw;
use super::source::{parse, Parsed, ReadOptions};
use super::SurveyError;
use columns::{from_sav, from_table, Cells, Source};
use kinds::Kinds;
use routing::{proposed, Cases, Filter};
use toml::string as quote;

/// What the draft is asked for besides the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftOptions {
    /// The sheet of a workbook (the first when `None`).
    pub sheet: Option<String>,
    /// The clustering variables: names, or patterns with `*` (`A*`).
    pub cluster: Vec<String>,
}

/// A drafted codebook.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The codebook as TOML text.
    pub text: String,
    /// How many TODO marks it has.
    pub todo: usize,
    /// The variables marked as clustering variables.
    pub clustered: Vec<String>,
}

/// A missing code of the draft: its code and its label.
type MissingCode = (i64, String);

/// The candidate missing codes, most frequent first: in an SPSS file the user-missing values the
/// variables declare (with how many declare each, and its label); in a table (or an SPSS file
/// that declares none) the negative whole numbers used in columns of otherwise non-negative
/// numbers (with how many columns use each).
fn candidates(source: &Source) -> Vec<(i64, usize, String)> {
    let mut found: BTreeMap<i64, (usize, String)> = BTreeMap::new();
    for c in &source.columns {
        for &x in &c.declared {
            if x.fract() == 0.0 && x.abs() < 1e9 {
                let label = c.label_of(x).unwrap_or_default().to_string();
                let entry = found.entry(x as i64).or_insert((0, label));
                entry.0 += 1;
            }
        }
    }
    if found.is_empty() {
        for c in &source.columns {
            let xs: Vec<f64> = c
                .numbers()
                .iter()
                .copied()
                .filter(|x| !x.is_nan())
                .collect();
            let mut negative: Vec<i64> = xs
                .iter()
                .filter(|&&x| x < 0.0 && x.fract() == 0.0 && x > -1e9)
                .map(|&x| x as i64)
                .collect();
            if negative.is_empty() || negative.len() == xs.len() {
                continue;
            }
            negative.sort_unstable();
            negative.dedup();
            for x in negative {
                let label = c.label_of(x as f64).unwrap_or_default().to_string();
                let entry = found.entry(x).or_insert((0, label));
                entry.0 += 1;
            }
        }
    }
    let mut by_count: Vec<(i64, usize, String)> =
        found.into_iter().map(|(c, (n, l))| (c, n, l)).collect();
    by_count.sort_by_key(|(c, n, _)| (std::cmp::Reverse(*n), *c));
    by_count
}

/// The missing codes ("no answer", "not applicable") among the candidates: not applicable is the
/// first one labelled like "trifft nicht zu" / "not applicable" or that `routed` says the routing
/// explains, else the second; no answer the first other one. None where there is no candidate.
fn missing_codes(
    by_count: &[(i64, usize, String)],
    declared: bool,
    routed: impl Fn(i64) -> bool,
) -> [Option<MissingCode>; 2] {
    let labelled = |l: &str| {
        let l = l.to_lowercase();
        l.contains("nicht zu") || l.contains("filter") || l.contains("not applicable")
    };
    let na_index = by_count
        .iter()
        .position(|(_, _, l)| labelled(l))
        .or_else(|| by_count.iter().position(|(c, _, _)| routed(*c)))
        // a second code the file neither labels nor routes is taken as not applicable only
        // where it declares it (SPSS); in a table it is an answer (the draft must read back)
        .or(if by_count.len() > 1 && declared {
            Some(1)
        } else {
            None
        });
    let nr_index = (0..by_count.len()).find(|&i| Some(i) != na_index);
    let take = |i: Option<usize>, default: &str| {
        i.and_then(|i| by_count.get(i)).map(|(c, _, l)| {
            let label = if l.is_empty() { default } else { l };
            (*c, label.to_string())
        })
    };
    [
        take(nr_index, "keine Angabe"),
        take(na_index, "trifft nicht zu (Filterführung)"),
    ]
}

/// Whether every column that holds `code` holds it exactly when an earlier coded column has
/// certain codes (the routing explains it).
fn explained_by_routing(source: &Source, code: i64, filters: &[Filter]) -> bool {
    let mut any = false;
    for (i, c) in source.columns.iter().enumerate() {
        let mut routed = Cases::new(source.cases);
        let mut n = 0;
        for (case, &x) in c.numbers().iter().enumerate() {
            if x == code as f64 {
                routed.insert(case);
                n += 1;
            }
        }
        if n == 0 {
            continue;
        }
        if proposed(filters, i, &routed).is_none() {
            return false;
        }
        any = true;
    }
    any
}

/// The variable that identifies the cases: an SPSS file's first string variable; else the first
/// text column with a different value in every case, else the first numeric one with a different
/// whole number in every case, else the first text column.
fn identifier(source: &Source, file_name: &str) -> Result<usize, SurveyError> {
    let distinct = |c: &columns::Column| match &c.cells {
        Cells::Text(t) => {
            let mut v: Vec<&str> = t.iter().map(String::as_str).collect();
            v.sort_unstable();
            v.dedup();
            v.len() == source.cases && !v.contains(&"")
        }
        Cells::Numbers(xs) => {
            let mut v: Vec<i64> = xs
                .iter()
                .filter(|x| x.fract() == 0.0)
                .map(|&x| x as i64)
                .collect();
            v.sort_unstable();
            v.dedup();
            v.len() == source.cases
        }
    };
    let text = |c: &columns::Column| matches!(c.cells, Cells::Text(_));
    let columns = &source.columns;
    // an SPSS file's first string variable (a dictionary's identifier is one, filled or not)
    let spss = source
        .declares_missing
        .then(|| columns.iter().position(text))
        .flatten();
    spss.or_else(|| columns.iter().position(|c| text(c) && distinct(c)))
        .or_else(|| columns.iter().position(|c| !text(c) && distinct(c)))
        .or_else(|| columns.iter().position(text))
        .ok_or_else(|| SurveyError::Codebook {
            origin: file_name.to_string(),
            message: "no column can identify the cases (no text column, no numeric one with a different value in every case)".into(),
        })
}

/// Writes the draft's opening comment, its `[codebook]` table and its missing codes; returns the
/// TODO marks written.
fn write_head(
    out: &mut String,
    source: &Source,
    file_name: &str,
    missing: &[Option<MissingCode>; 2],
) -> usize {
    let title = if source.title.is_empty() {
        file_name.to_string()
    } else {
        source.title.clone()
    };
    let shown = toml::comment(file_name);
    let what = if source.declares_missing {
        "its dictionary (names, variable labels, value\n# labels, user-missing values, measurement levels) and the ranges of its values"
    } else {
        "its columns (names, the values found)\n# and the ranges of its values"
    };
    writeln!(out, "# Codebook DRAFTED by `typfrage codebook` from {shown}: {what}. A person must still decide").unwrap();
    writeln!(out, "# what is marked TODO: which variables to cluster (role = \"clustering\"; or --cluster when drafting, --vars").unwrap();
    writeln!(out, "# when clustering), routing (asked_if) proposed from the data, ranges, labels, checks across variables").unwrap();
    writeln!(out, "# ([[rule]]). Then delete the `draft = true` line. The fields are explained in typfrage's data/codebook.toml.\n").unwrap();
    writeln!(out, "[codebook]\ntitle = {}\ntitle_en = {}  # TODO: English title\nversion = \"draft\"\ndraft = true", quote(&title), quote(&title)).unwrap();
    writeln!(out, "# TODO: what one row is (\"Person\" / \"respondent\", \"Kommune\" / \"municipality\") and what the clustering\n# variables are together (\"Items\" / \"items\", \"Ziele\" / \"goals\"): every text typfrage writes uses these words;\n# de_gender is the German word's gender (f, m or n: \"jede Person\", \"jeder Fall\", \"jedes Unternehmen\")").unwrap();
    writeln!(out, "unit = {{ de = \"Fall\", de_plural = \"Fälle\", de_gender = \"m\", en = \"case\", en_plural = \"cases\" }}\nblock = {{ de = \"Items\", en = \"items\" }}\n").unwrap();
    let whence = if source.declares_missing {
        "from the user-missing values the variables declare"
    } else {
        "the negative codes the file uses beside other answers"
    };
    writeln!(out, "[missing]  # {whence}").unwrap();
    match &missing[0] {
        Some((code, label)) => writeln!(
            out,
            "non_response = {{ code = {code}, de = {}, en = {} }}",
            quote(label),
            quote(english(label))
        )
        .unwrap(),
        None => writeln!(
            out,
            "# no code for no answer is declared or used: an empty cell is no answer, and so is this code\nnon_response = {{ code = {}, de = \"keine Angabe\", en = \"no answer\" }}",
            unused_code(source)
        )
        .unwrap(),
    }
    if let Some((code, label)) = &missing[1] {
        writeln!(
            out,
            "not_applicable = {{ code = {code}, de = {}, en = {} }}",
            quote(label),
            quote(english(label))
        )
        .unwrap();
    }
    out.push('\n');
    2
}

/// The English label of a missing code: the draft's own German defaults translated, a file's
/// label as it is (a person writes the English one).
fn english(label: &str) -> &str {
    match label {
        "keine Angabe" => "no answer",
        "trifft nicht zu (Filterführung)" => "not applicable (routed past)",
        other => other,
    }
}

/// -9, or below every number of the file when -9 is one of them: the no-answer code of a file
/// that declares and uses none.
fn unused_code(source: &Source) -> i64 {
    let mut lowest = f64::INFINITY;
    let mut nine = false;
    for x in source.columns.iter().flat_map(|c| c.numbers()) {
        lowest = lowest.min(*x);
        nine |= *x == -9.0;
    }
    if nine {
        (lowest.floor() as i64).saturating_sub(1).min(-10)
    } else {
        -9
    }
}

/// Reads the file into the columns a draft is made from.
fn read(bytes: &[u8], file_name: &str, sheet: Option<String>) -> Result<Source, SurveyError> {
    let unreadable = |problems: Vec<super::Problem>| {
        SurveyError::Codebook {
        origin: file_name.to_string(),
        message: format!(
            "a codebook is drafted from a survey file (CSV, SPSS, workbook, Parquet), and this one cannot be read: {}",
            problems
                .iter()
                .map(|p| p.render(file_name))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
    };
    let options = ReadOptions {
        sheet,
        mapping: None,
    };
    match parse(bytes, file_name, &options).map_err(|u| unreadable(u.problems))? {
        Parsed::Sav(file) => Ok(from_sav(&file)),
        Parsed::Table(raw, _) => Ok(from_table(&raw)),
        Parsed::Text(_) => {
            let raw = read_raw(bytes).map_err(|u| unreadable(u.problems))?;
            Ok(from_table(&raw))
        }
    }
}

/// The codebook drafted from a survey file (`file_name` names it and tells its format).
pub fn draft_codebook(
    bytes: &[u8],
    file_name: &str,
    options: &DraftOptions,
) -> Result<Draft, SurveyError> {
    let source = read(bytes, file_name, options.sheet.clone())?;
    let by_count = candidates(&source);
    let codes: Vec<f64> = by_count.iter().map(|(c, _, _)| *c as f64).collect();
    let identifier = identifier(&source, file_name)?;
    let kinds = Kinds::of(&source, identifier, &codes, file_name)?;
    let skip = |x: f64| x.is_nan() || codes.contains(&x);
    let filters: Vec<Filter> = source
        .columns
        .iter()
        .enumerate()
        .filter(|(i, c)| kinds.scale_of[*i].is_some() && matches!(c.cells, Cells::Numbers(_)))
        .map(|(i, c)| Filter::new(i, c.numbers(), skip))
        .collect();
    // a table labels no code: the routing tells "not applicable" apart
    let missing = missing_codes(&by_count, source.declares_missing, |code| {
        !source.declares_missing && explained_by_routing(&source, code, &filters)
    });
    // the codebook holds two missing codes: a negative code the file uses beyond them is an
    // answer of the variables that use it (so the draft reads its own file back), not missing
    let chosen: Vec<f64> = missing.iter().flatten().map(|(c, _)| *c as f64).collect();
    let (kinds, codes) = if chosen.len() < codes.len() {
        (Kinds::of(&source, identifier, &chosen, file_name)?, chosen)
    } else {
        (kinds, codes)
    };
    let clustered = kinds::clustered(&source, &kinds, &options.cluster, file_name)?;
    let mut out = String::new();
    let mut todo = write_head(&mut out, &source, file_name, &missing);
    todo += kinds.write_scales(&mut out);
    let not_applicable = missing[1].as_ref().map(|(c, _)| *c as f64);
    for (i, c) in source.columns.iter().enumerate() {
        let role = if clustered.contains(&i) {
            "clustering"
        } else if i == identifier {
            "identifier"
        } else {
            "profile"
        };
        todo += kinds.write_variable(&mut out, &source, i, role, &codes);
        if matches!(c.cells, Cells::Numbers(_)) {
            if let Some(na) = not_applicable {
                if let Some(routing) = routing(&source, i, na, &filters) {
                    writeln!(out, "{routing}").unwrap();
                    todo += 1;
                }
            }
        }
        out.push('\n');
    }
    if clustered.is_empty() {
        writeln!(out, "# TODO: no variable has role = \"clustering\": mark the variables to cluster (or draft again with --cluster NAMES)").unwrap();
        todo += 1;
    }
    Ok(Draft {
        text: out,
        todo,
        clustered: clustered
            .iter()
            .map(|&i| source.columns[i].name.clone())
            .collect(),
    })
}

/// Routing proposed from the data for column `i` when it holds the not-applicable code: the
/// first coded column before it whose codes tell apart the cases that hold it from the others.
fn routing(source: &Source, i: usize, not_applicable: f64, filters: &[Filter]) -> Option<String> {
    let mut routed = Cases::new(source.cases);
    let mut n = 0;
    for (case, &x) in source.columns[i].numbers().iter().enumerate() {
        if x == not_applicable {
            routed.insert(case);
            n += 1;
        }
    }
    if n == 0 {
        return None;
    }
    if let Some((filter, asked)) = proposed(filters, i, &routed) {
        let name = &source.columns[filter.variable].name;
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
