//! What the checks of every block share: the codebook, the decimal mark, where each variable is in
//! the file, each coded variable's allowed codes and value labels, the routing and the rules; and
//! the quick reading of a plain code, which most cells are.

use std::collections::{HashMap, HashSet};

use super::rules::{routed, row_rules, Routed, RowRule};
use crate::survey::numbers::DecimalMark;
use crate::survey::{Codebook, Kind, Problem, Values, Variable};

/// What the checks of every block share: the codebook, the decimal mark, where each variable is
/// in the file, each coded variable's value labels and allowed codes, the routing and the rules.
pub(super) struct Context<'a> {
    pub(super) codebook: &'a Codebook,
    pub(super) mark: DecimalMark,
    /// The field of each codebook variable (none: absent, read as blank).
    pub(super) field_of: Vec<Option<usize>>,
    /// What reading each variable's plain cells needs (codebook order).
    pub(super) slots: Vec<Slot>,
    /// Rows a block is expected to hold, so that its columns are allocated once.
    pub(super) block_rows: usize,
    pub(super) labels: Vec<LabelIndex>,
    pub(super) allowed: Vec<AllowedCodes>,
    pub(super) routed: Vec<Routed<'a>>,
    pub(super) rules: Vec<RowRule<'a>>,
}

/// A block of rows checked: its typed columns (codebook order) and its problems by kind.
pub(super) struct CheckedBlock {
    pub(super) rows: Vec<usize>,
    pub(super) columns: Vec<Values>,
    pub(super) structure: Vec<Problem>,
    pub(super) cells: Vec<Problem>,
    pub(super) routing: Vec<Problem>,
    pub(super) rules: Vec<Problem>,
    /// Whether the block stopped at [`crate::survey::limits::MAX_PROBLEMS`].
    pub(super) stopped: bool,
}

/// How a coded cell was read.
#[derive(Debug, PartialEq)]
pub(super) enum Cell {
    Value(i64),
    NoAnswer,
    NotApplicable,
}

/// Reads block `i` of a file's data rows: visits each record in order with its spreadsheet row and
/// its fields, and returns the records whose structure is broken (those are not visited).
pub(super) type ReadBlock<'r> =
    dyn Fn(usize, &mut dyn FnMut(usize, &[&str])) -> Vec<Problem> + Sync + 'r;

/// The text of a field as checked: without surrounding blanks.
pub(super) fn trimmed(field: &str) -> &str {
    match (field.as_bytes().first(), field.as_bytes().last()) {
        (Some(&a), Some(&b)) if a > b' ' && a < 0x80 && b > b' ' && b < 0x80 => field,
        _ => field.trim(),
    }
}

/// The codes a coded variable allows, for a quick look-up: a bit per code from `low` (codes
/// within 64 of the smallest), the others in a list.
#[derive(Default)]
pub(super) struct AllowedCodes {
    pub(super) low: i64,
    pub(super) bits: u64,
    pub(super) others: Vec<i64>,
}

impl AllowedCodes {
    pub(super) fn new(var: &Variable) -> AllowedCodes {
        let low = var.codes.iter().map(|c| c.code).min().unwrap_or(0);
        let mut allowed = AllowedCodes {
            low,
            ..AllowedCodes::default()
        };
        for c in &var.codes {
            match c.code - low {
                d @ 0..=63 => allowed.bits |= 1 << d,
                _ => allowed.others.push(c.code),
            }
        }
        allowed
    }

    pub(super) fn contains(&self, code: i64) -> bool {
        match code.checked_sub(self.low) {
            Some(d @ 0..=63) => self.bits >> d & 1 == 1,
            _ => self.others.contains(&code),
        }
    }
}

/// A variable's field and what its common cells need, kept together for the loop over a row's
/// cells.
pub(super) struct Slot {
    pub(super) field: Option<usize>,
    pub(super) kind: Kind,
    pub(super) asked_if: bool,
    pub(super) min: Option<f64>,
    pub(super) max: Option<f64>,
}

impl<'a> Context<'a> {
    pub(super) fn new(
        codebook: &'a Codebook,
        mark: DecimalMark,
        field_of: Vec<Option<usize>>,
        block_rows: usize,
    ) -> Context<'a> {
        let slots = codebook
            .variables
            .iter()
            .zip(&field_of)
            .map(|(var, &field)| Slot {
                field,
                kind: var.kind,
                asked_if: var.asked_if.is_some(),
                min: var.min,
                max: var.max,
            })
            .collect();
        let labels = codebook
            .variables
            .iter()
            .map(|v| LabelIndex::new(v, codebook))
            .collect();
        let allowed = codebook.variables.iter().map(AllowedCodes::new).collect();
        let routed = routed(codebook);
        let rules = row_rules(codebook);
        Context {
            codebook,
            mark,
            field_of,
            slots,
            block_rows,
            labels,
            allowed,
            routed,
            rules,
        }
    }

    /// How the coded (or whole-number) cell `text` of variable `v` reads when it is empty or a
    /// plain number that every rule of [`Checker::coded`] takes as it is (the common case, read
    /// without a look at the codebook); `None` when that function must decide.
    #[inline]
    pub(super) fn plain_code(&self, v: usize, slot: &Slot, text: &str) -> Option<Option<Cell>> {
        if text.is_empty() {
            return Some(None);
        }
        let code = plain_whole(text)?;
        let missing = &self.codebook.missing;
        if code == missing.non_response.code {
            return Some(Some(Cell::NoAnswer));
        }
        if code == missing.not_applicable.code {
            return slot.asked_if.then_some(Some(Cell::NotApplicable));
        }
        let valid = match slot.kind {
            Kind::Count | Kind::Integer => {
                let c = code as f64;
                slot.min.is_none_or(|lo| c >= lo) && slot.max.is_none_or(|hi| c <= hi)
            }
            _ => self.allowed[v].contains(code),
        };
        valid.then_some(Some(Cell::Value(code)))
    }
}

pub(super) enum LabelMatch {
    One(Cell),
    Ambiguous(Vec<i64>),
    None,
}

/// Value labels (German and English, either case) of one coded variable and the missing codes.
pub(super) struct LabelIndex {
    pub(super) labels: HashMap<String, Vec<i64>>,
    pub(super) no_answer: HashSet<String>,
    pub(super) not_applicable: HashSet<String>,
}

impl LabelIndex {
    pub(super) fn new(var: &Variable, codebook: &Codebook) -> LabelIndex {
        let mut labels: HashMap<String, Vec<i64>> = HashMap::new();
        if var.kind.is_coded() {
            for c in &var.codes {
                for label in [&c.de, &c.en] {
                    let codes = labels.entry(label.to_lowercase()).or_default();
                    if !codes.contains(&c.code) {
                        codes.push(c.code);
                    }
                }
            }
        }
        let m = &codebook.missing;
        LabelIndex {
            labels,
            no_answer: [&m.non_response.de, &m.non_response.en]
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            not_applicable: [&m.not_applicable.de, &m.not_applicable.en]
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
        }
    }

    pub(super) fn lookup(&self, text: &str) -> LabelMatch {
        let key = text.trim().to_lowercase();
        if self.no_answer.contains(&key) {
            return LabelMatch::One(Cell::NoAnswer);
        }
        if self.not_applicable.contains(&key) {
            return LabelMatch::One(Cell::NotApplicable);
        }
        match self.labels.get(&key).map(Vec::as_slice) {
            Some([code]) => LabelMatch::One(Cell::Value(*code)),
            Some(codes) => LabelMatch::Ambiguous(codes.to_vec()),
            None => LabelMatch::None,
        }
    }
}

/// A cell of an optional minus sign and at most 18 digits, which every rule reads the same way.
pub(super) fn plain_whole(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if let [b] = bytes {
        // most codes are one digit
        let d = b.wrapping_sub(b'0');
        return (d <= 9).then_some(i64::from(d));
    }
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + i64::from(d);
    }
    Some(if negative { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn plain_codes_are_read_as_the_full_rules_read_them(
            v in 0usize..Codebook::builtin().variables.len(),
            text in "-?[0-9]{0,3}|-[0-9]|99|[1-9][0-9]{3,19}|-9223372036854775808|00?1|1 2|x",
        ) {
            let codebook = Codebook::builtin();
            let var = &codebook.variables[v];
            proptest::prop_assume!(!matches!(var.kind, Kind::Identifier | Kind::Decimal));
            let field_of = vec![Some(0); codebook.variables.len()];
            let context = Context::new(&codebook, DecimalMark::Point, field_of, 0);
            if let Some(quick) = context.plain_code(v, &context.slots[v], &text) {
                let mut checker = context.checker();
                let cell = (!text.is_empty()).then_some(text.as_str());
                let full = checker.coded(v, var, 2, cell);
                proptest::prop_assert_eq!(quick, full, "{} {:?}", var.name, text);
                proptest::prop_assert!(checker.cells.is_empty());
            }
        }

    }
}
