//! The key file of identifiers that changed between the waves (`--keys old_new.csv`: columns
//! `old_id,new_id`, one line per earlier identifier, several earlier identifiers may share a later
//! one, as in a municipal merger), and what it says about the two waves at hand.

use std::collections::{HashMap, HashSet};

use super::error::WavesError;
use crate::survey::SmallCsv;

/// One line of the key file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLine {
    /// The line's row in the file (the header is row 1).
    pub row: usize,
    pub old_id: String,
    pub new_id: String,
}

/// A key file read and checked: every earlier identifier once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keys {
    pub lines: Vec<KeyLine>,
}

/// Reads a key file's text (a BOM, `,` or `;` accepted; `path` names it in errors).
pub fn parse_keys(text: &str, path: &str) -> Result<Keys, WavesError> {
    let file_error = |message: String| WavesError::KeyFile {
        path: path.to_string(),
        message,
    };
    let file = SmallCsv::new(text).map_err(file_error)?;
    let (Some(old), Some(new)) = (file.column("old_id"), file.column("new_id")) else {
        return Err(file_error(
            "expected the columns old_id and new_id (one line per earlier identifier and its later one)"
                .into(),
        ));
    };
    let mut lines: Vec<KeyLine> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for line in file.rows() {
        let (row, record) = line.map_err(file_error)?;
        let cell = |at: usize, name: &str| -> Result<String, WavesError> {
            let value = record.get(at).unwrap_or_default().trim();
            if value.is_empty() {
                return Err(WavesError::Keys {
                    path: path.to_string(),
                    row,
                    column: name.to_string(),
                    message: "empty; expected an identifier".into(),
                });
            }
            Ok(value.to_string())
        };
        let (old_id, new_id) = (cell(old, "old_id")?, cell(new, "new_id")?);
        if let Some(first) = seen.get(&old_id) {
            return Err(WavesError::Keys {
                path: path.to_string(),
                row,
                column: "old_id".into(),
                message: format!(
                    "'{}' is listed again (first in row {first}); expected each earlier identifier once (an identifier has one successor)",
                    crate::escape::field(&old_id)
                ),
            });
        }
        seen.insert(old_id.clone(), row);
        lines.push(KeyLine {
            row,
            old_id,
            new_id,
        });
    }
    Ok(Keys { lines })
}

/// What the key file means for two waves: each earlier identifier's later one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Succession {
    /// Earlier identifier -> later identifier, for the key lines whose earlier identifier is in
    /// the earlier wave and whose later one differs from it.
    pub successor: HashMap<String, String>,
    /// Key lines whose earlier identifier is not in the earlier wave (a key file for a whole
    /// country lists many): not used.
    pub unused: usize,
    /// Key lines used whose later identifier is not in the later wave: those municipalities left.
    pub missing_successor: usize,
}

impl Keys {
    /// The key file applied to the identifiers of the two waves. An identifier of the later wave
    /// that the key file gives another successor is refused: it cannot both go on under its own
    /// identifier and merge into another.
    pub fn succession(
        &self,
        old_ids: &[String],
        new_ids: &[String],
        path: &str,
    ) -> Result<Succession, WavesError> {
        let old: HashSet<&str> = old_ids.iter().map(String::as_str).collect();
        let new: HashSet<&str> = new_ids.iter().map(String::as_str).collect();
        let mut s = Succession::default();
        for line in &self.lines {
            if !old.contains(line.old_id.as_str()) {
                s.unused += 1;
                continue;
            }
            if line.old_id == line.new_id {
                continue;
            }
            if new.contains(line.old_id.as_str()) {
                return Err(WavesError::Keys {
                    path: path.to_string(),
                    row: line.row,
                    column: "old_id".into(),
                    message: format!(
                        "'{}' is also an identifier of the later wave, but this line gives it the successor '{}'; expected an identifier that is not continued under its own name (or new_id equal to old_id)",
                        crate::escape::field(&line.old_id),
                        crate::escape::field(&line.new_id)
                    ),
                });
            }
            if !new.contains(line.new_id.as_str()) {
                s.missing_successor += 1;
            }
            s.successor.insert(line.old_id.clone(), line.new_id.clone());
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_merger_of_two_into_a_new_identifier() {
        let keys = parse_keys("\u{feff}old_id;new_id\nA;M\nB;M\nZ;Y\nC;C\n", "k.csv").unwrap();
        assert_eq!(keys.lines.len(), 4);
        let s = keys
            .succession(&ids(&["A", "B", "C", "D"]), &ids(&["M", "C", "D"]), "k.csv")
            .unwrap();
        assert_eq!(s.successor.len(), 2);
        assert_eq!(s.successor["A"], "M");
        assert_eq!((s.unused, s.missing_successor), (1, 0));
    }

    #[test]
    fn bad_lines_are_named_by_row_and_column() {
        let err = parse_keys("old_id,new_id\nA,M\nA,N\n", "k.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "k.csv, row 3, column old_id: 'A' is listed again (first in row 2); expected each earlier identifier once (an identifier has one successor)"
        );
        let err = parse_keys("old_id,new_id\nA,\n", "k.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "k.csv, row 2, column new_id: empty; expected an identifier"
        );
        let err = parse_keys("alt,neu\nA,B\n", "k.csv").unwrap_err();
        assert!(err
            .to_string()
            .contains("expected the columns old_id and new_id"));
        let keys = parse_keys("old_id,new_id\nA,B\n", "k.csv").unwrap();
        let err = keys
            .succession(&ids(&["A"]), &ids(&["A", "B"]), "k.csv")
            .unwrap_err();
        assert!(err
            .to_string()
            .starts_with("k.csv, row 2, column old_id: 'A' is also"));
    }
}
