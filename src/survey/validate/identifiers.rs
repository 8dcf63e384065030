//! The identifiers of a survey file: empty, invisible (a zero-width character) and duplicate ones,
//! compared after Unicode NFC normalisation, and those that differ only in case (a warning); the
//! first [`MAX_PROBLEMS`] of each in the order of the file.

use std::borrow::Cow;
use std::hash::Hasher;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::survey::limits::MAX_PROBLEMS;
use crate::survey::Problem;

/// Empty, invisible and duplicate identifiers (`ids` as read, empty when the cell was, with each
/// one's spreadsheet row). Identifiers are compared after Unicode NFC normalisation (`Köln` typed
/// as one character or as `o` and a combining diaeresis is the same municipality); a zero-width
/// character is an error, because it makes two identifiers that look the same differ;
/// identifiers that differ only in case are a warning (pushed to `warnings`).
pub(super) fn check_identifiers(
    name: &str,
    unit: &crate::survey::Unit,
    ids: &[String],
    rows: &[usize],
    warnings: &mut Vec<Problem>,
) -> Vec<Problem> {
    // each identifier that can be kept with the hash of its case-folded form, sorted by hash (and
    // row): identifiers that may be the same (duplicates, other case, or a collision) end up
    // side by side, and only those are compared
    let mut keyed: Vec<(u64, u32)> = ids
        .par_iter()
        .enumerate()
        .filter(|(_, id)| !id.is_empty() && (id.is_ascii() || !id.chars().any(is_zero_width)))
        .map(|(i, id)| (IdKey::of(id).folded_hash(), i as u32))
        .collect();
    keyed.par_sort_unstable();
    let mut found: Vec<(usize, Found)> = Vec::new();
    let mut case_variants: Vec<(usize, usize)> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if id.is_empty() {
            found.push((i, Found::Empty));
        } else if let Some((at, c)) = (!id.is_ascii())
            .then(|| id.chars().enumerate().find(|(_, c)| is_zero_width(*c)))
            .flatten()
        {
            found.push((i, Found::ZeroWidth(at, c)));
        }
    }
    for group in keyed.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        // row by row as read: each identifier against those kept before it
        let mut kept: Vec<usize> = Vec::new();
        for &(_, i) in group {
            let i = i as usize;
            let key = IdKey::of(&ids[i]);
            let mut same_case: Option<usize> = None;
            let mut duplicate: Option<usize> = None;
            for &j in &kept {
                let other = IdKey::of(&ids[j]);
                if other.nfc == key.nfc {
                    duplicate = Some(j);
                    break;
                }
                if same_case.is_none() && other.folds_like(&key) {
                    same_case = Some(j);
                }
            }
            if let Some(j) = duplicate {
                found.push((i, Found::Duplicate(j)));
                continue;
            }
            if let Some(j) = same_case {
                case_variants.push((i, j));
            }
            kept.push(i);
        }
    }
    // the first ones in the order of the file, each said once
    found.sort_by_key(|(i, _)| *i);
    found.truncate(MAX_PROBLEMS);
    case_variants.sort_by_key(|(i, _)| *i);
    case_variants.truncate(MAX_PROBLEMS);
    warnings.extend(case_variants.into_iter().map(|(i, j)| {
        Problem::cell(
            rows[i],
            name,
            &ids[i],
            format!(
                "differs from the identifier in row {} ('{}') only in upper and lower case; both are kept as different {}: check that they are",
                rows[j], ids[j], unit.en_plural
            ),
        )
    }));
    found
        .into_iter()
        .map(|(i, what)| what.problem(name, &unit.en, ids, rows, i))
        .collect()
}

/// What is wrong with an identifier.
enum Found {
    Empty,
    /// A zero-width character, at this character of it.
    ZeroWidth(usize, char),
    /// The same as the one at this position.
    Duplicate(usize),
}

impl Found {
    /// The problem of identifier `i`, of the column `name`.
    fn problem(&self, name: &str, unit: &str, ids: &[String], rows: &[usize], i: usize) -> Problem {
        let id = &ids[i];
        match *self {
            Found::Empty => Problem {
                row: Some(rows[i]),
                column: Some(name.to_string()),
                value: None,
                message: format!("is empty; expected a unique identifier for every {unit}"),
            },
            Found::ZeroWidth(at, c) => Problem::cell(
                rows[i],
                name,
                &show_invisible(id),
                format!(
                    "holds an invisible zero-width character (U+{:04X}, character {}); expected an identifier without it, so that identifiers that look the same are the same",
                    u32::from(c),
                    at + 1
                ),
            ),
            Found::Duplicate(j) => {
                let as_written = &ids[j];
                let form = if as_written == id {
                    String::new()
                } else {
                    format!(
                        " as '{as_written}': the same text in another Unicode normalisation form"
                    )
                };
                Problem::cell(
                    rows[i],
                    name,
                    id,
                    format!(
                        "is a duplicate identifier (first in row {}{form}); expected each {unit} once",
                        rows[j]
                    ),
                )
            }
        }
    }
}

/// An identifier as compared: its NFC form, and its lower-case form (as `str::to_lowercase`
/// makes it). An ASCII identifier is its own NFC form and is folded by ASCII case, without copies.
pub(super) struct IdKey<'a> {
    pub(super) nfc: Cow<'a, str>,
    pub(super) folded: Cow<'a, str>,
}

impl<'a> IdKey<'a> {
    pub(super) fn of(id: &'a str) -> IdKey<'a> {
        if id.is_ascii() {
            return IdKey {
                nfc: Cow::Borrowed(id),
                folded: Cow::Borrowed(id),
            };
        }
        let nfc: String = id.nfc().collect();
        let folded = nfc.to_lowercase();
        IdKey {
            nfc: Cow::Owned(nfc),
            folded: Cow::Owned(folded),
        }
    }

    /// Whether the two lower-case forms are equal (a lower-case form has no ASCII capitals, so
    /// comparing ignoring ASCII case is comparing the lower-case forms).
    pub(super) fn folds_like(&self, other: &IdKey<'_>) -> bool {
        self.folded.eq_ignore_ascii_case(&other.folded)
    }

    pub(super) fn folded_hash(&self) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        for chunk in self.folded.as_bytes().chunks(8) {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(chunk) {
                *w = b.to_ascii_lowercase();
            }
            h.write_u64(u64::from_le_bytes(word));
        }
        h.write_usize(self.folded.len());
        h.finish()
    }
}

/// Zero-width characters: a space, a non-joiner, a joiner, a word joiner, and the byte-order mark
/// used as a zero-width no-break space.
pub(super) fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The identifier with every zero-width character shown as `<U+200B>`.
pub(super) fn show_invisible(id: &str) -> String {
    id.chars()
        .map(|c| {
            if is_zero_width(c) {
                format!("<U+{:04X}>", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identifier check as first written: each identifier against every one kept before it.
    fn identifier_problems_one_by_one(ids: &[String]) -> (Vec<String>, Vec<String>) {
        let (mut problems, mut warnings) = (Vec::new(), Vec::new());
        let mut kept: Vec<usize> = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if id.is_empty() || id.chars().any(is_zero_width) {
                problems.push(format!("{i}: unusable"));
                continue;
            }
            let key = IdKey::of(id);
            let others = kept.iter().map(|&j| (j, IdKey::of(&ids[j])));
            let found: Vec<(usize, IdKey<'_>)> = others.collect();
            if let Some((j, _)) = found.iter().find(|(_, o)| o.nfc == key.nfc) {
                problems.push(format!("{i}: duplicate of {j}"));
                continue;
            }
            if let Some((j, _)) = found.iter().find(|(_, o)| o.folds_like(&key)) {
                warnings.push(format!("{i}: case of {j}"));
            }
            kept.push(i);
        }
        (problems, warnings)
    }

    proptest::proptest! {
        #[test]
        fn identifiers_sorted_by_hash_are_checked_as_one_by_one(
            ids in proptest::collection::vec(
                proptest::sample::select(vec![
                    "", "a", "A", "b", "K\u{f6}ln", "Ko\u{308}ln", "K\u{d6}LN", "k\u{f6}ln",
                    "x\u{200b}", "\u{130}", "i\u{307}", "GEN-1", "gen-1",
                ]),
                0..40,
            )
        ) {
            let ids: Vec<String> = ids.into_iter().map(String::from).collect();
            let rows: Vec<usize> = (0..ids.len()).map(|i| i + 2).collect();
            let mut warnings = Vec::new();
            let problems = check_identifiers("id", &crate::survey::Unit::study(), &ids, &rows, &mut warnings);
            let (expected, expected_warnings) = identifier_problems_one_by_one(&ids);
            let describe = |p: &Problem| {
                let i = p.row.unwrap() - 2;
                if let Some(j) = p.message.split("first in row ").nth(1) {
                    let j: usize = j.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
                    format!("{i}: duplicate of {}", j - 2)
                } else if let Some(j) = p.message.split("identifier in row ").nth(1) {
                    let j: usize = j.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
                    format!("{i}: case of {}", j - 2)
                } else {
                    format!("{i}: unusable")
                }
            };
            proptest::prop_assert_eq!(problems.iter().map(describe).collect::<Vec<_>>(), expected);
            proptest::prop_assert_eq!(warnings.iter().map(describe).collect::<Vec<_>>(), expected_warnings);
        }
    }
}
