//! How a survey file writes numbers: its decimal mark and thousands separators, decided once for
//! the whole file from its separator and its cells, and reading whole and decimal numbers by that
//! decision. No reading is a quiet choice: a cell that two conventions read differently is an error
//! that says so. And the other way: a number as a CSV export writes it ([`number_text`]), for the
//! cells of the formats that store numbers (SPSS files, workbooks).
//!
//! The rules (also in docs/guide.md, "Checking a survey file", and in every message):
//! - comma-separated file: the decimal mark is the point; a comma in a number (it must have been
//!   quoted) separates thousands, in groups of three digits (`"160,000"`, `"1,234.5"`);
//! - semicolon- or tab-separated file: the decimal mark is the comma and a point separates
//!   thousands in groups of three digits (`160.000`, `1.234.567`, `1.234,5`), unless no cell uses a
//!   decimal comma and some cell of a decimal column uses a point that cannot group thousands
//!   (`1.5`, `1.0`): then the file writes decimals with a point, as comma-separated files do;
//! - where points separate thousands, a point not followed by groups of three digits (`1.5`,
//!   `160.00`) is an error, and so is a lone group in a decimal column (`1.234`: 1234 or 1.234?)
//!   when no cell of the file uses a decimal comma to decide;
//! - where the point is the decimal mark, a whole number with a three-digit zero fraction
//!   (`160.000`: 160, or 160000 with a thousands point?) is an error;
//! - in a coded variable (categorical, ordinal, binary), whatever the file's mark, a single point
//!   followed by digits is a decimal point, never a thousands separator: `2.0` and `3.00` are
//!   codes with a zero fraction (as `pandas.to_csv(sep=";")` writes codes of a column with an
//!   empty cell), and `2.5` is no code ([`DecimalMark::code`]).

/// The rule that reads a point in a coded variable's cell, for messages.
pub(super) const CODE_RULE: &str = "in a coded variable a point followed by digits is a decimal \
     point, never a thousands separator (2.0 is code 2, as pandas writes codes)";

/// A cell that decided the file's decimal mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Evidence {
    pub row: usize,
    pub column: String,
    pub value: String,
}

/// The decimal mark of a file, and what decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DecimalMark {
    /// A comma-separated file: the point.
    Point,
    /// A semicolon- or tab-separated file whose decimal cells use a point (this one), and no cell
    /// a decimal comma.
    PointBy(Evidence),
    /// A semicolon- or tab-separated file: the comma, first used by this cell (`None`: no cell
    /// uses a decimal comma, and none a decimal point).
    Comma(Option<Evidence>),
}

/// The first cell (by row) with a decimal comma, and the first with a decimal point in a decimal
/// column: what decides a semicolon or tab file's decimal mark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct MarkEvidence {
    comma: Option<Evidence>,
    point: Option<Evidence>,
}

impl MarkEvidence {
    /// The evidence of `cells` (row, column, value, whether the column holds decimals); on a tie
    /// in the row the first cell given counts.
    pub fn of<'a>(cells: impl Iterator<Item = (usize, &'a str, &'a str, bool)>) -> MarkEvidence {
        let mut found = MarkEvidence::default();
        for (row, column, value, decimal) in cells {
            let Some(body) = numeric_shape(value) else {
                continue;
            };
            let slot = if body.contains(',') {
                &mut found.comma
            } else if decimal && point_is_decimal(body) {
                &mut found.point
            } else {
                continue;
            };
            if slot.as_ref().is_none_or(|e| row < e.row) {
                *slot = Some(Evidence {
                    row,
                    column: column.to_string(),
                    value: value.to_string(),
                });
            }
        }
        found
    }

    /// Whether a decimal comma was seen, which decides the mark whatever later rows hold.
    pub fn decided_by_comma(&self) -> bool {
        self.comma.is_some()
    }

    /// The evidence of two parts of the file (`later` holds rows after this one's).
    pub fn merge(self, later: MarkEvidence) -> MarkEvidence {
        MarkEvidence {
            comma: self.comma.or(later.comma),
            point: self.point.or(later.point),
        }
    }
}

/// What a cell holds, read as a number.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Reading<T> {
    /// The number, and whether thousands separators were taken out.
    Number(T, bool),
    /// Not written as a number at all (perhaps a value label).
    NotANumber,
    /// Written as a number, but not one that may be read (the message says why).
    Invalid(String),
}

/// A number split at its marks: sign, digits before the decimal mark (thousands separators taken
/// out), digits after it.
struct Parts {
    negative: bool,
    whole: String,
    fraction: String,
    /// Thousands separators were taken out; `groups` is how many.
    groups: usize,
}

/// How a cell looks before a decimal mark is chosen: only digits, points and commas after a sign.
fn numeric_shape(text: &str) -> Option<&str> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let ok = body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
    ok.then_some(body)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Digits grouped in threes by `sep` (at least one `sep`): the digits and the number of groups.
fn ungroup(s: &str, sep: char) -> Option<(String, usize)> {
    let mut parts = s.split(sep);
    let first = parts.next()?;
    if !all_digits(first) || first.len() > 3 {
        return None;
    }
    let mut digits = first.to_string();
    let mut groups = 0;
    for p in parts {
        if p.len() != 3 || !all_digits(p) {
            return None;
        }
        digits.push_str(p);
        groups += 1;
    }
    (groups > 0).then_some((digits, groups))
}

/// Whether a numeric cell uses a point that cannot separate thousands (so it is a decimal point).
fn point_is_decimal(body: &str) -> bool {
    body.contains('.') && !body.contains(',') && ungroup(body, '.').is_none()
}

/// A cell of at most 15 digits with an optional minus sign, which every rule reads the same way
/// (the common case, read without the general path's allocations).
fn plain_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i64 = digits.parse().ok()?;
    Some(if digits.len() < text.len() { -v } else { v })
}

impl DecimalMark {
    /// Decides the mark from the separator and the cells: `cells` gives every non-identifier cell
    /// with its row, its column and whether the column holds decimals. A comma in any number
    /// means a decimal comma; only a decimal column can show that the point is the decimal mark,
    /// because in a whole-number column a point that does not group thousands (`160.00`) is more
    /// likely a slip than a convention.
    #[cfg(test)]
    pub fn decide<'a>(
        separator: u8,
        cells: impl Iterator<Item = (usize, &'a str, &'a str, bool)>,
    ) -> DecimalMark {
        if separator == b',' {
            return DecimalMark::Point;
        }
        DecimalMark::from_evidence(separator, MarkEvidence::of(cells))
    }

    /// The mark from the evidence of all the file's cells (gathered block by block with
    /// [`MarkEvidence::of`] and [`MarkEvidence::merge`]).
    pub fn from_evidence(separator: u8, evidence: MarkEvidence) -> DecimalMark {
        if separator == b',' {
            return DecimalMark::Point;
        }
        match (evidence.comma, evidence.point) {
            (Some(c), _) => DecimalMark::Comma(Some(c)),
            (None, Some(p)) => DecimalMark::PointBy(p),
            (None, None) => DecimalMark::Comma(None),
        }
    }
    /// (thousands separator, decimal mark)
    fn marks(&self) -> (char, char) {
        match self {
            DecimalMark::Point | DecimalMark::PointBy(_) => (',', '.'),
            DecimalMark::Comma(_) => ('.', ','),
        }
    }

    /// The rule in force, for messages.
    pub fn rule(&self) -> String {
        match self {
            DecimalMark::Point => {
                "in a comma-separated file the decimal mark is a point and a comma \
                 can only separate thousands, in groups of three digits (\"160,000\")"
                    .to_string()
            }
            DecimalMark::PointBy(e) => format!(
                "this file writes decimals with a point (row {}, column {}: '{}') and no cell \
                 with a decimal comma, so a point is the decimal mark and a comma can only \
                 separate thousands",
                e.row, e.column, e.value
            ),
            DecimalMark::Comma(Some(e)) => format!(
                "this file writes decimals with a comma (row {}, column {}: '{}'), so a point can \
                 only separate thousands, in groups of three digits (160.000)",
                e.row, e.column, e.value
            ),
            DecimalMark::Comma(None) => {
                "in a semicolon- or tab-separated file the decimal mark is \
                 a comma and a point can only separate thousands, in groups of three digits \
                 (160.000)"
                    .to_string()
            }
        }
    }

    /// Splits a numeric cell at its marks, or says why it cannot be read.
    fn parts(&self, text: &str) -> Result<Option<Parts>, String> {
        let Some(body) = numeric_shape(text) else {
            return Ok(None);
        };
        let negative = text.starts_with('-');
        let (thousands, decimal) = self.marks();
        let mut split = body.split(decimal);
        let whole = split.next().unwrap_or_default();
        let fraction = split.next().unwrap_or_default();
        let bad_separator = || {
            let what = if thousands == '.' { "point" } else { "comma" };
            format!(
                "has a {what} that does not separate thousands: {}",
                self.rule()
            )
        };
        if split.next().is_some() {
            let what = if decimal == '.' { "point" } else { "comma" };
            return Err(format!(
                "has more than one {what}, and the {what} is the decimal mark: {}",
                self.rule()
            ));
        }
        if fraction.contains(thousands) {
            return Err(bad_separator());
        }
        if body.contains(decimal) && !all_digits(fraction) {
            return Ok(None);
        }
        let (whole, groups) = if whole.contains(thousands) {
            ungroup(whole, thousands).ok_or_else(bad_separator)?
        } else if whole.is_empty() && !fraction.is_empty() {
            ("0".to_string(), 0)
        } else if all_digits(whole) {
            (whole.to_string(), 0)
        } else {
            return Ok(None);
        };
        Ok(Some(Parts {
            negative,
            whole,
            fraction: fraction.to_string(),
            groups,
        }))
    }

    /// Reads a whole number: a code, a count or an integer. A zero fraction is allowed (`3,0`).
    pub fn whole(&self, text: &str) -> Reading<i64> {
        if let Some(v) = plain_integer(text) {
            return Reading::Number(v, false);
        }
        let decimal_point = matches!(self, DecimalMark::Point | DecimalMark::PointBy(_));
        // points that look like thousands separators where the point is the decimal mark
        if let Some((digits, groups)) = numeric_shape(text)
            .filter(|_| decimal_point)
            .and_then(|body| ungroup(body, '.'))
            .filter(|(digits, _)| !digits.starts_with('0'))
        {
            let sign = if text.starts_with('-') { "-" } else { "" };
            let thousands = digits.len() - 3 * groups;
            let (head, tail) = digits.split_at(thousands);
            if groups == 1 && tail.bytes().all(|b| b == b'0') {
                return Reading::Invalid(format!(
                    "is ambiguous: {sign}{head} with a decimal point, or {sign}{digits} with a \
                     thousands point; {}; write {sign}{digits} or {sign}{head}",
                    self.rule()
                ));
            }
            return Reading::Invalid(format!(
                "is not a whole number: {}; if {sign}{digits} is meant, write {sign}{digits}",
                self.rule()
            ));
        }
        let parts = match self.parts(text) {
            Ok(Some(p)) => p,
            Ok(None) => return Reading::NotANumber,
            Err(why) => return Reading::Invalid(why),
        };
        if !parts.fraction.bytes().all(|b| b == b'0') {
            return Reading::NotANumber;
        }
        match parts.whole.parse::<i64>() {
            Ok(v) => Reading::Number(if parts.negative { -v } else { v }, parts.groups > 0),
            Err(_) => Reading::NotANumber,
        }
    }

    /// Reads a code of a coded variable: a single point followed by digits is a decimal point
    /// whatever the file's mark (codes have no thousands), so `2.0` and `-9.00` are codes with a
    /// zero fraction and `2.5` is no code; anything else is read as [`DecimalMark::whole`] reads it.
    pub fn code(&self, text: &str) -> Reading<i64> {
        let body = text.strip_prefix('-').unwrap_or(text);
        let Some((whole, fraction)) = body.split_once('.') else {
            return self.whole(text);
        };
        if !all_digits(whole) || !all_digits(fraction) || whole.len() > 15 {
            return self.whole(text);
        }
        if !fraction.bytes().all(|b| b == b'0') {
            return Reading::Invalid(format!(
                "is not a code: {CODE_RULE}, and this one has a fraction that is not zero"
            ));
        }
        match whole.parse::<i64>() {
            Ok(v) if body.len() < text.len() => Reading::Number(-v, false),
            Ok(v) => Reading::Number(v, false),
            Err(_) => Reading::NotANumber,
        }
    }

    /// Reads a decimal number.
    pub fn decimal(&self, text: &str) -> Reading<f64> {
        // (not with a sign: "-0" reads as -0.0)
        if let Some(v) = plain_integer(text).filter(|_| !text.starts_with('-')) {
            return Reading::Number(v as f64, false);
        }
        let parts = match self.parts(text) {
            Ok(Some(p)) => p,
            Ok(None) => return Reading::NotANumber,
            Err(why) => return Reading::Invalid(why),
        };
        if *self == DecimalMark::Comma(None) && parts.groups == 1 && parts.fraction.is_empty() {
            let (thousand, small) = (
                &parts.whole[..parts.whole.len() - 3],
                &parts.whole[parts.whole.len() - 3..],
            );
            return Reading::Invalid(format!(
                "is ambiguous: {} with a thousands point, or {thousand}.{small} with a decimal \
                 point, and no cell of the file uses a decimal comma or a decimal point to decide; \
                 write {} or {thousand},{small}",
                parts.whole, parts.whole
            ));
        }
        let sign = if parts.negative { "-" } else { "" };
        let fraction = if parts.fraction.is_empty() {
            "0"
        } else {
            &parts.fraction
        };
        match format!("{sign}{}.{fraction}", parts.whole).parse::<f64>() {
            Ok(v) if v.is_finite() => Reading::Number(v, parts.groups > 0),
            _ => Reading::NotANumber,
        }
    }
}

/// The text of a number as a CSV export holds it: whole numbers without a decimal point ("1", not
/// "1.0"), others as the shortest decimal that reads back as the same number.
pub(super) fn number_text(x: f64) -> String {
    let mut text = String::new();
    push_number_text(x, &mut text);
    text
}

/// [`number_text`] written onto the end of `text` (no allocation of its own).
pub(super) fn push_number_text(x: f64, text: &mut String) {
    use std::fmt::Write;
    // 2^53: beyond it not every whole number is a float
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        write!(text, "{}", x as i64).expect("a String takes any text");
    } else {
        write!(text, "{x}").expect("a String takes any text");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comma() -> DecimalMark {
        DecimalMark::Comma(Some(Evidence {
            row: 2,
            column: "gewicht".into(),
            value: "1,0".into(),
        }))
    }

    #[test]
    fn thousands_points_group_digits_in_threes_where_the_decimal_mark_is_a_comma() {
        for mark in [comma(), DecimalMark::Comma(None)] {
            assert_eq!(mark.whole("160.000"), Reading::Number(160_000, true));
            assert_eq!(mark.whole("1.234.567"), Reading::Number(1_234_567, true));
            assert_eq!(mark.whole("301.031"), Reading::Number(301_031, true));
            assert_eq!(mark.whole("3,0"), Reading::Number(3, false));
            assert_eq!(mark.whole("-9"), Reading::Number(-9, false));
            assert_eq!(mark.whole("1,5"), Reading::NotANumber);
            for bad in ["1.5", "160.00", "3.0", "160000.0", "1.2345", "1..000"] {
                assert!(matches!(mark.whole(bad), Reading::Invalid(_)), "{bad}");
            }
            assert_eq!(mark.decimal("1.234,5"), Reading::Number(1234.5, true));
            assert_eq!(mark.decimal("1,25"), Reading::Number(1.25, false));
            assert_eq!(
                mark.decimal("1.234.567"),
                Reading::Number(1_234_567.0, true)
            );
        }
        assert_eq!(comma().decimal("1.234"), Reading::Number(1234.0, true));
        assert!(matches!(
            DecimalMark::Comma(None).decimal("1.234"),
            Reading::Invalid(m) if m.starts_with("is ambiguous: 1234 with a thousands point, or 1.234")
        ));
    }

    #[test]
    fn a_decimal_point_file_takes_no_thousands_points() {
        let by = DecimalMark::PointBy(Evidence {
            row: 3,
            column: "gewicht".into(),
            value: "1.5".into(),
        });
        for mark in [DecimalMark::Point, by] {
            assert_eq!(mark.whole("3.0"), Reading::Number(3, false));
            assert_eq!(mark.whole("160000.0"), Reading::Number(160_000, false));
            assert!(
                matches!(mark.whole("160.000"), Reading::Invalid(m) if m.starts_with("is ambiguous: 160 with a decimal point, or 160000"))
            );
            assert!(
                matches!(mark.whole("1.234.567"), Reading::Invalid(m) if m.starts_with("is not a whole number: ") && m.ends_with("write 1234567"))
            );
            assert!(
                matches!(mark.whole("2.500"), Reading::Invalid(m) if m.ends_with("if 2500 is meant, write 2500"))
            );
            assert_eq!(mark.whole("0.000"), Reading::Number(0, false));
            assert_eq!(mark.decimal("1.234"), Reading::Number(1.234, false));
            assert_eq!(mark.whole("160,000"), Reading::Number(160_000, true));
            assert_eq!(mark.decimal("1,234.5"), Reading::Number(1234.5, true));
            assert!(matches!(mark.decimal("1,5"), Reading::Invalid(_)));
        }
    }

    #[test]
    fn the_cells_decide_the_mark_of_a_semicolon_file() {
        let cells = [
            (2, "a", "1.000", true),
            (3, "b", "1.5", true),
            (4, "c", "2,5", false),
            (5, "d", "x", true),
            (1, "e", "3.0", false),
        ];
        assert!(matches!(
            DecimalMark::decide(b';', cells.iter().copied()),
            DecimalMark::Comma(Some(e)) if e.row == 4
        ));
        assert!(matches!(
            DecimalMark::decide(b';', cells[..2].iter().chain(&cells[4..]).copied()),
            DecimalMark::PointBy(e) if e.row == 3
        ));
        assert_eq!(
            DecimalMark::decide(b';', cells[4..].iter().copied()),
            DecimalMark::Comma(None),
            "a point in a whole-number column does not decide"
        );
        assert_eq!(
            DecimalMark::decide(b'\t', cells[..1].iter().copied()),
            DecimalMark::Comma(None)
        );
        assert_eq!(
            DecimalMark::decide(b',', cells.iter().copied()),
            DecimalMark::Point
        );
    }

    #[test]
    fn a_point_in_a_code_is_a_decimal_point_whatever_the_files_mark() {
        let by = DecimalMark::PointBy(Evidence {
            row: 3,
            column: "gewicht".into(),
            value: "1.5".into(),
        });
        for mark in [comma(), DecimalMark::Comma(None), DecimalMark::Point, by] {
            assert_eq!(mark.code("2.0"), Reading::Number(2, false));
            assert_eq!(mark.code("3.00"), Reading::Number(3, false));
            assert_eq!(mark.code("-9.0"), Reading::Number(-9, false));
            assert_eq!(mark.code("1.000"), Reading::Number(1, false), "never 1000");
            assert_eq!(mark.code("4"), Reading::Number(4, false));
            assert!(
                matches!(mark.code("2.5"), Reading::Invalid(m) if m.contains("2.0 is code 2")),
                "{mark:?}"
            );
            assert_eq!(mark.code("ja"), Reading::NotANumber);
            assert_eq!(mark.code("2."), mark.whole("2."));
        }
        assert_eq!(comma().code("3,0"), Reading::Number(3, false));
    }

    #[test]
    fn words_are_not_numbers() {
        for mark in [comma(), DecimalMark::Point] {
            assert_eq!(mark.whole("viele"), Reading::NotANumber);
            assert_eq!(mark.whole(""), Reading::NotANumber);
            assert_eq!(mark.decimal("NaN"), Reading::NotANumber);
            assert_eq!(mark.decimal("eins"), Reading::NotANumber);
        }
    }

    #[test]
    fn numbers_read_as_a_csv_export_writes_them() {
        assert_eq!(number_text(1.0), "1");
        assert_eq!(number_text(-9.0), "-9");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_text(1.25), "1.25");
        assert_eq!(number_text(160000.0), "160000");
    }
}
