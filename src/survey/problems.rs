//! Problems found in a survey file, each naming file, row, column, value and what was expected.

use std::fmt;

/// One problem in a survey file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Row as a spreadsheet numbers it (the header is row 1 unless comment lines precede it).
    pub row: Option<usize>,
    pub column: Option<String>,
    /// The offending cell text, if the problem is about one cell.
    pub value: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    pub fn file(message: impl Into<String>) -> Problem {
        Problem {
            row: None,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    pub fn row(row: usize, message: impl Into<String>) -> Problem {
        Problem {
            row: Some(row),
            ..Problem::file(message)
        }
    }

    pub fn column(column: &str, message: impl Into<String>) -> Problem {
        Problem {
            column: Some(column.to_string()),
            ..Problem::file(message)
        }
    }

    pub fn cell(row: usize, column: &str, value: &str, message: impl Into<String>) -> Problem {
        Problem {
            row: Some(row),
            column: Some(column.to_string()),
            value: Some(value.to_string()),
            message: message.into(),
        }
    }

    /// The problem as one line, prefixed with the file name.
    pub fn render(&self, file: &str) -> String {
        let mut out = crate::escape::field(file).into_owned();
        if let Some(row) = self.row {
            out.push_str(&format!(", row {row}"));
        }
        if let Some(column) = &self.column {
            out.push_str(&format!(", column {}", crate::escape::field(column)));
        }
        out.push_str(": ");
        if let Some(value) = &self.value {
            out.push_str(&format!("{} ", quote(value)));
        }
        out.push_str(&self.message);
        out
    }
}

impl Problem {
    /// The problem as a warning line: `warning: ` and [`Problem::render`].
    pub fn render_warning(&self, file: &str) -> String {
        format!("warning: {}", self.render(file))
    }
}

/// Quotes a cell value for a message, shortening very long ones; control characters are shown
/// as `\u{…}`.
pub(crate) fn quote(value: &str) -> String {
    const LONG: usize = 40;
    if value.chars().count() > LONG {
        let short: String = value.chars().take(LONG).collect();
        format!("'{}…'", crate::escape::field(&short))
    } else {
        format!("'{}'", crate::escape::field(value))
    }
}

/// All problems found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems {
    pub file: String,
    pub problems: Vec<Problem>,
    /// A note printed after the list (for example that cell checks were not run).
    pub note: Option<String>,
    /// Warnings found on the way (see `Loaded::warnings`), printed after the problems.
    pub warnings: Vec<Problem>,
}

impl Problems {
    /// Default number of problems listed before the rest are only counted.
    pub const DEFAULT_LIMIT: usize = 50;

    /// The problems, at most `limit` of them listed, with a closing count.
    pub fn render(&self, limit: usize) -> String {
        let mut lines: Vec<String> = self
            .problems
            .iter()
            .take(limit)
            .map(|p| p.render(&self.file))
            .collect();
        let total = self.problems.len();
        if total > limit {
            lines.push(format!(
                "... and {} more ({total} problems in all; --max-problems shows more)",
                total - limit
            ));
        }
        let noun = if total == 1 { "problem" } else { "problems" };
        lines.push(format!(
            "{}: {total} {noun} found",
            crate::escape::field(&self.file)
        ));
        if let Some(note) = &self.note {
            lines.push(note.clone());
        }
        lines.extend(self.warnings.iter().map(|w| w.render_warning(&self.file)));
        lines.join("\n")
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Self::DEFAULT_LIMIT))
    }
}
