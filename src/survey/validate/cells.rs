//! The rules of one cell: a code, a value label or a missing code for a coded variable, a whole
//! number or a decimal in range, each read by the file's decimal mark; a problem names the row,
//! the column, the value and what was expected.

use super::context::{plain_whole, trimmed, Cell, CheckedBlock, Context, LabelMatch, ReadBlock};
use crate::survey::limits::MAX_PROBLEMS;
use crate::survey::numbers::{DecimalMark, Reading};
use crate::survey::{Codebook, Kind, Problem, Values, Variable};

/// The checks of one block's rows and what they found.
pub(super) struct Checker<'a> {
    pub(super) context: &'a Context<'a>,
    pub(super) codebook: &'a Codebook,
    pub(super) mark: &'a DecimalMark,
    /// Spreadsheet row of each row checked.
    pub(super) rows: Vec<usize>,
    /// The typed columns (codebook order).
    pub(super) columns: Vec<Values>,
    /// The current row's codes (codebook order; none when missing or not a coded variable).
    pub(super) codes: Vec<Option<i64>>,
    /// Whether the current row's cell held the not-applicable code.
    pub(super) not_applicable: Vec<bool>,
    pub(super) cells: Vec<Problem>,
    pub(super) routing: Vec<Problem>,
    pub(super) rules: Vec<Problem>,
    /// Whether the block's problems reached [`MAX_PROBLEMS`], so that its later rows are left
    /// unchecked.
    pub(super) stopped: bool,
}

impl<'c> Context<'c> {
    /// Reads block `i` and checks its cells, row by row: each cell is typed straight into the
    /// block's columns, and its text is gone when the row is checked.
    pub(super) fn check(&self, i: usize, read: &ReadBlock<'_>) -> CheckedBlock {
        let mut checker = self.checker();
        let structure = read(i, &mut |row, fields| checker.check_row(row, fields));
        CheckedBlock {
            rows: checker.rows,
            columns: checker.columns,
            structure,
            cells: checker.cells,
            routing: checker.routing,
            rules: checker.rules,
            stopped: checker.stopped,
        }
    }

    /// A checker for a block of rows, its columns empty.
    pub(super) fn checker(&self) -> Checker<'_> {
        Checker {
            context: self,
            codebook: self.codebook,
            mark: &self.mark,
            rows: Vec::with_capacity(self.block_rows),
            columns: self
                .codebook
                .variables
                .iter()
                .map(|v| {
                    let mut column = Values::empty_for(v, 0);
                    column.reserve(self.block_rows);
                    column
                })
                .collect(),
            codes: vec![None; self.codebook.variables.len()],
            not_applicable: vec![false; self.codebook.variables.len()],
            cells: Vec::new(),
            routing: Vec::new(),
            rules: Vec::new(),
            stopped: false,
        }
    }
}

impl Checker<'_> {
    /// Checks one row's cells (`fields` are the record's), then its routing and the rules; after
    /// the row that brings the block's problems to [`MAX_PROBLEMS`], no more rows.
    pub(super) fn check_row(&mut self, row: usize, fields: &[&str]) {
        if self.stopped {
            return;
        }
        let (context, codebook) = (self.context, self.codebook);
        for (v, slot) in context.slots.iter().enumerate() {
            let text = slot.field.map_or("", |f| trimmed(fields[f]));
            match slot.kind {
                Kind::Identifier | Kind::Text => {
                    if let Values::Ids(ids) = &mut self.columns[v] {
                        ids.push(text.to_string());
                    }
                }
                Kind::Decimal => {
                    let cell = (!text.is_empty()).then_some(text);
                    let value = self.decimal(&codebook.variables[v], row, cell);
                    if let Values::Decimal(column) = &mut self.columns[v] {
                        column.push(value);
                    }
                }
                _ => {
                    let read = match context.plain_code(v, slot, text) {
                        Some(read) => read,
                        None => self.coded(v, &codebook.variables[v], row, Some(text)),
                    };
                    self.not_applicable[v] = matches!(read, Some(Cell::NotApplicable));
                    let code = match read {
                        Some(Cell::Value(code)) => Some(code),
                        _ => None,
                    };
                    self.codes[v] = code;
                    if let Values::Codes(column) = &mut self.columns[v] {
                        column.push(code);
                    }
                }
            }
        }
        self.check_routing(row, fields);
        self.check_rules(row);
        self.rows.push(row);
        self.stopped = self.cells.len() + self.routing.len() + self.rules.len() >= MAX_PROBLEMS;
    }

    pub(super) fn expected(&self, var: &Variable) -> String {
        let missing = &self.codebook.missing;
        let na = if var.asked_if.is_some() {
            format!(", {} (not applicable)", missing.not_applicable.code)
        } else {
            String::new()
        };
        let allowed = match var.kind {
            Kind::Count | Kind::Integer | Kind::Decimal => {
                let what = if var.kind == Kind::Decimal {
                    "a number"
                } else {
                    "a whole number"
                };
                match (var.min, var.max) {
                    (Some(lo), Some(hi)) => format!("{what} from {lo} to {hi}"),
                    (Some(lo), None) => format!("{what} of at least {lo}"),
                    (None, Some(hi)) => format!("{what} of at most {hi}"),
                    (None, None) => what.to_string(),
                }
            }
            _ => describe_codes(var),
        };
        format!(
            "expected {allowed}{na}, {} (no answer) or empty",
            missing.non_response.code
        )
    }

    /// A problem of the cell `text` of `var` in `row`.
    pub(super) fn cell_problem(&mut self, row: usize, var: &Variable, text: &str, message: String) {
        self.cells
            .push(Problem::cell(row, &var.name, text, message));
    }

    /// Reads the cell of the coded (or whole-number) variable at codebook position `v`.
    pub(super) fn coded(
        &mut self,
        v: usize,
        var: &Variable,
        row: usize,
        cell: Option<&str>,
    ) -> Option<Cell> {
        let text = cell?;
        let missing = &self.codebook.missing;
        let (parsed, grouped) = match plain_whole(text) {
            Some(code) => (Some(code), false),
            // a coded variable's point is a decimal point whatever the file's mark
            None => match if var.kind.is_coded() {
                self.mark.code(text)
            } else {
                self.mark.whole(text)
            } {
                Reading::Number(code, grouped) => (Some(code), grouped),
                Reading::NotANumber => (None, false),
                Reading::Invalid(why) => {
                    let msg = format!("{why}; {}", self.expected(var));
                    self.cell_problem(row, var, text, msg);
                    return None;
                }
            },
        };
        // a number written with thousands separators says how it was read
        let read_as = |code: i64| {
            if grouped {
                format!(" (read as {code})")
            } else {
                String::new()
            }
        };
        if let Some(code) = parsed {
            if code == missing.non_response.code {
                return Some(Cell::NoAnswer);
            }
            if code == missing.not_applicable.code {
                if var.asked_if.is_some() {
                    return Some(Cell::NotApplicable);
                }
                let msg = format!(
                    "is the not-applicable code, but every {} is asked this question; {}",
                    self.codebook.meta.unit.en,
                    self.expected(var)
                );
                self.cell_problem(row, var, text, msg);
                return None;
            }
            match var.kind {
                Kind::Count | Kind::Integer => {
                    let c = code as f64;
                    if var.min.is_some_and(|lo| c < lo) || var.max.is_some_and(|hi| c > hi) {
                        let msg =
                            format!("is out of range{}; {}", read_as(code), self.expected(var));
                        self.cell_problem(row, var, text, msg);
                        return None;
                    }
                    return Some(Cell::Value(code));
                }
                _ if self.context.allowed[v].contains(code) => return Some(Cell::Value(code)),
                _ => {
                    let msg = format!(
                        "is not an allowed value{}; {}",
                        read_as(code),
                        self.expected(var)
                    );
                    self.cell_problem(row, var, text, msg);
                    return None;
                }
            }
        }
        if var.kind.is_coded() {
            match self.context.labels[v].lookup(text) {
                LabelMatch::One(cell) => {
                    if matches!(cell, Cell::NotApplicable) && var.asked_if.is_none() {
                        let msg = format!(
                            "means not applicable, but every {} is asked this question; {}",
                            self.codebook.meta.unit.en,
                            self.expected(var)
                        );
                        self.cell_problem(row, var, text, msg);
                        return None;
                    }
                    return Some(cell);
                }
                LabelMatch::Ambiguous(codes) => {
                    let list: Vec<String> = codes.iter().map(i64::to_string).collect();
                    let msg = format!(
                        "is the label of several codes ({}); expected the code itself",
                        list.join(", ")
                    );
                    self.cell_problem(row, var, text, msg);
                    return None;
                }
                LabelMatch::None => {}
            }
        }
        let what = if var.kind.is_coded() {
            "is neither a code nor a value label"
        } else {
            "is not a whole number"
        };
        let msg = format!("{what}; {}", self.expected(var));
        self.cell_problem(row, var, text, msg);
        None
    }

    pub(super) fn decimal(
        &mut self,
        var: &Variable,
        row: usize,
        cell: Option<&str>,
    ) -> Option<f64> {
        let text = cell?;
        let (value, grouped) = match self.mark.decimal(text) {
            Reading::Number(v, grouped) => (v, grouped),
            Reading::Invalid(why) => {
                let msg = format!("{why}; {}", self.expected(var));
                self.cell_problem(row, var, text, msg);
                return None;
            }
            Reading::NotANumber => {
                let mark = match self.mark {
                    DecimalMark::Comma(_) => " (decimal comma)",
                    _ => " (decimal point)",
                };
                let msg = format!("is not a number{mark}; {}", self.expected(var));
                self.cell_problem(row, var, text, msg);
                return None;
            }
        };
        if value == self.codebook.missing.non_response.code as f64 {
            return None;
        }
        if var.min.is_none_or(|lo| value >= lo) && var.max.is_none_or(|hi| value <= hi) {
            return Some(value);
        }
        let read_as = if grouped {
            format!(" (read as {value})")
        } else {
            String::new()
        };
        let msg = format!("is out of range{read_as}; {}", self.expected(var));
        self.cell_problem(row, var, text, msg);
        None
    }
}

/// "1-5 (1 = keine Priorität, …, 5 = sehr hohe Priorität)" or the list of codes when few.
pub(super) fn describe_codes(var: &Variable) -> String {
    let codes: Vec<i64> = var.codes.iter().map(|c| c.code).collect();
    let (Some(&lo), Some(&hi)) = (codes.iter().min(), codes.iter().max()) else {
        return "a code".to_string();
    };
    let contiguous = codes.len() as i64 == hi - lo + 1;
    let first = &var.codes[0];
    let last = &var.codes[var.codes.len() - 1];
    if contiguous && codes.len() > 2 {
        format!(
            "a code {lo}-{hi} ({} = {}, …, {} = {}) or its label",
            first.code, first.de, last.code, last.de
        )
    } else {
        let list: Vec<String> = var
            .codes
            .iter()
            .map(|c| format!("{} = {}", c.code, c.de))
            .collect();
        format!("one of {} (or its label)", list.join(", "))
    }
}
