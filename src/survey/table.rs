//! The typed survey table: one column per codebook variable, missing values as `None`. Codes are
//! kept as Arrow and polars keep a column: the values in the smallest integer type the codebook's
//! codes fit (one byte for a five-point scale), decimals as `f64`, each with a validity mask; a
//! stage reads a column through `get(row)` and `iter()` without converting the table.
//!
//! Item non-response and "not applicable" are both `None` here: which of the two a missing cell is
//! follows from the routing in the codebook (`asked_if`), which the loader has already checked.

use std::io::Write;
use std::sync::Arc;

use super::{Codebook, Kind, SurveyError, Variable};

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Ids(Vec<String>),
    Codes(CodeColumn),
    Decimal(DecimalColumn),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Ids(v) => v.len(),
            Values::Codes(v) => v.len(),
            Values::Decimal(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn missing(&self) -> usize {
        match self {
            Values::Ids(_) => 0,
            Values::Codes(v) => v.missing(),
            Values::Decimal(v) => v.missing(),
        }
    }

    /// Appends the rows of `other` (a column of the same kind; the loader's blocks).
    pub(super) fn append(&mut self, other: Values) {
        match (self, other) {
            (Values::Ids(a), Values::Ids(mut b)) => a.append(&mut b),
            (Values::Codes(a), Values::Codes(b)) => a.append(&b),
            (Values::Decimal(a), Values::Decimal(b)) => a.append(&b),
            _ => unreachable!("blocks hold the same kinds of columns"),
        }
    }

    /// `n` rows of `var` with every value missing (and empty identifiers).
    /// Room for `more` rows, so that a column read block by block is allocated once.
    pub(super) fn reserve(&mut self, more: usize) {
        match self {
            Values::Ids(v) => v.reserve_exact(more),
            Values::Codes(c) => {
                match &mut c.data {
                    CodeData::I8(v) => v.reserve_exact(more),
                    CodeData::I16(v) => v.reserve_exact(more),
                    CodeData::I32(v) => v.reserve_exact(more),
                    CodeData::I64(v) => v.reserve_exact(more),
                }
                c.valid.reserve(more);
            }
            Values::Decimal(c) => {
                c.values.reserve_exact(more);
                c.valid.reserve(more);
            }
        }
    }

    pub(super) fn empty_for(var: &Variable, n: usize) -> Values {
        match var.kind {
            Kind::Identifier | Kind::Text => Values::Ids(vec![String::new(); n]),
            Kind::Decimal => Values::Decimal(DecimalColumn::missing_values(n)),
            _ => Values::Codes(CodeColumn::missing_values(IntWidth::for_variable(var), n)),
        }
    }
}

/// Which values are present: one bit per row (as Arrow and polars keep them).
#[derive(Debug, Clone, Default)]
pub struct Validity {
    bits: Vec<u64>,
    len: usize,
}

impl Validity {
    fn reserve(&mut self, more: usize) {
        let words = (self.len + more).div_ceil(64);
        self.bits
            .reserve_exact(words.saturating_sub(self.bits.len()));
    }

    fn all(present: bool, len: usize) -> Validity {
        let word = if present { u64::MAX } else { 0 };
        Validity {
            bits: vec![word; len.div_ceil(64)],
            len,
        }
    }

    fn get(&self, i: usize) -> bool {
        self.bits[i / 64] >> (i % 64) & 1 == 1
    }

    fn set(&mut self, i: usize, present: bool) {
        let bit = 1u64 << (i % 64);
        if present {
            self.bits[i / 64] |= bit;
        } else {
            self.bits[i / 64] &= !bit;
        }
    }

    #[inline]
    fn push(&mut self, present: bool) {
        let bit = self.len % 64;
        if bit == 0 {
            self.bits.push(u64::from(present));
        } else {
            self.set(self.len, present);
        }
        self.len += 1;
    }

    fn append(&mut self, other: &Validity) {
        let shift = self.len % 64;
        if shift == 0 {
            self.bits.truncate(self.len / 64);
            self.bits.extend_from_slice(&other.bits);
        } else {
            // the bits of `other` shifted into the free high bits of the last word and onwards
            let mut last = self.bits.pop().unwrap_or(0) & ((1u64 << shift) - 1);
            for &word in &other.bits {
                self.bits.push(last | word << shift);
                last = word >> (64 - shift);
            }
            self.bits.push(last);
        }
        self.len += other.len;
        self.bits.truncate(self.len.div_ceil(64));
    }

    /// Rows without a value.
    fn count_missing(&self) -> usize {
        let full = self.len / 64;
        let mut present: usize = self.bits[..full]
            .iter()
            .map(|w| w.count_ones() as usize)
            .sum();
        if self.len % 64 != 0 {
            let mask = (1u64 << (self.len % 64)) - 1;
            present += (self.bits[full] & mask).count_ones() as usize;
        }
        self.len - present
    }
}

/// The smallest integer type that holds a variable's codes (or its range of counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntWidth {
    I8,
    I16,
    I32,
    I64,
}

impl IntWidth {
    /// The width of a value.
    pub fn of(v: i64) -> IntWidth {
        if i8::try_from(v).is_ok() {
            IntWidth::I8
        } else if i16::try_from(v).is_ok() {
            IntWidth::I16
        } else if i32::try_from(v).is_ok() {
            IntWidth::I32
        } else {
            IntWidth::I64
        }
    }

    /// The width the codebook asks for: its codes, or the range of a count or whole number
    /// (64 bits where the range is open).
    pub fn for_variable(var: &Variable) -> IntWidth {
        if var.kind.is_coded() {
            return var
                .codes
                .iter()
                .map(|c| IntWidth::of(c.code))
                .max()
                .unwrap_or(IntWidth::I8);
        }
        let bound = |b: Option<f64>| {
            b.filter(|x| x.is_finite() && x.abs() < 9.0e18)
                .map_or(IntWidth::I64, |x| IntWidth::of(x as i64))
        };
        bound(var.min).max(bound(var.max))
    }
}

/// Codes stored in the width the codebook's codes fit.
#[derive(Debug, Clone)]
enum CodeData {
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
}

macro_rules! each_width {
    ($data:expr, $v:ident => $body:expr) => {
        match $data {
            CodeData::I8($v) => $body,
            CodeData::I16($v) => $body,
            CodeData::I32($v) => $body,
            CodeData::I64($v) => $body,
        }
    };
}

impl CodeData {
    fn zeros(width: IntWidth, n: usize) -> CodeData {
        match width {
            IntWidth::I8 => CodeData::I8(vec![0; n]),
            IntWidth::I16 => CodeData::I16(vec![0; n]),
            IntWidth::I32 => CodeData::I32(vec![0; n]),
            IntWidth::I64 => CodeData::I64(vec![0; n]),
        }
    }

    fn width(&self) -> IntWidth {
        match self {
            CodeData::I8(_) => IntWidth::I8,
            CodeData::I16(_) => IntWidth::I16,
            CodeData::I32(_) => IntWidth::I32,
            CodeData::I64(_) => IntWidth::I64,
        }
    }

    // (the 64-bit arm converts to its own type)
    #[allow(clippy::useless_conversion)]
    fn get(&self, i: usize) -> i64 {
        each_width!(self, v => i64::from(v[i]))
    }

    #[allow(clippy::useless_conversion)]
    fn to_i64(&self) -> Vec<i64> {
        each_width!(self, v => v.iter().map(|&x| i64::from(x)).collect())
    }

    fn from_i64(width: IntWidth, values: &[i64]) -> CodeData {
        // every value fits `width` (callers widen first)
        match width {
            IntWidth::I8 => CodeData::I8(values.iter().map(|&x| x as i8).collect()),
            IntWidth::I16 => CodeData::I16(values.iter().map(|&x| x as i16).collect()),
            IntWidth::I32 => CodeData::I32(values.iter().map(|&x| x as i32).collect()),
            IntWidth::I64 => CodeData::I64(values.to_vec()),
        }
    }

    /// Stores `x` at `i`; `x` fits the width.
    fn put(&mut self, i: usize, x: i64) {
        each_width!(self, v => v[i] = x as _)
    }

    #[inline]
    fn push(&mut self, x: i64) {
        each_width!(self, v => v.push(x as _))
    }

    fn len(&self) -> usize {
        each_width!(self, v => v.len())
    }
}

/// The codes of a coded, count or whole-number variable: one integer per row in the smallest type
/// the codebook's codes fit, and a validity mask (a missing answer has no value).
#[derive(Debug, Clone)]
pub struct CodeColumn {
    data: CodeData,
    valid: Validity,
}

impl CodeColumn {
    /// `n` rows, all missing.
    pub fn missing_values(width: IntWidth, n: usize) -> CodeColumn {
        CodeColumn {
            data: CodeData::zeros(width, n),
            valid: Validity::all(false, n),
        }
    }

    /// An empty column of the given width, to be filled with [`CodeColumn::push`].
    pub fn with_width(width: IntWidth) -> CodeColumn {
        CodeColumn::missing_values(width, 0)
    }

    pub fn len(&self) -> usize {
        self.valid.len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The code in row `row`, `None` when the answer is missing.
    pub fn get(&self, row: usize) -> Option<i64> {
        self.valid.get(row).then(|| self.data.get(row))
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Option<i64>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The codes as a plain vector (a copy).
    pub fn to_vec(&self) -> Vec<Option<i64>> {
        self.iter().collect()
    }

    /// Rows without a value.
    pub fn missing(&self) -> usize {
        self.valid.count_missing()
    }

    /// The width the codes are stored in.
    pub fn width(&self) -> IntWidth {
        self.data.width()
    }

    #[inline]
    fn widen_for(&mut self, x: i64) {
        let need = IntWidth::of(x);
        if need > self.data.width() {
            self.data = CodeData::from_i64(need, &self.data.to_i64());
        }
    }

    /// Sets row `row` (a value wider than the column's type widens the column).
    pub fn set(&mut self, row: usize, value: Option<i64>) {
        match value {
            Some(x) => {
                self.widen_for(x);
                self.data.put(row, x);
                self.valid.set(row, true);
            }
            None => {
                self.data.put(row, 0);
                self.valid.set(row, false);
            }
        }
    }

    /// Appends a row.
    #[inline(always)]
    pub fn push(&mut self, value: Option<i64>) {
        let x = value.unwrap_or(0);
        // one look at the width: a value that fits is stored, a wider one widens the column first
        let stored = match &mut self.data {
            CodeData::I8(v) => i8::try_from(x).map(|x| v.push(x)).is_ok(),
            CodeData::I16(v) => i16::try_from(x).map(|x| v.push(x)).is_ok(),
            CodeData::I32(v) => i32::try_from(x).map(|x| v.push(x)).is_ok(),
            CodeData::I64(v) => {
                v.push(x);
                true
            }
        };
        if !stored {
            self.push_wider(x);
        }
        self.valid.push(value.is_some());
    }

    /// Widens the column for `x` and stores it (rare: a value wider than the codebook's codes).
    #[cold]
    #[inline(never)]
    fn push_wider(&mut self, x: i64) {
        self.widen_for(x);
        self.data.push(x);
    }

    /// Appends the rows of `other`.
    pub fn append(&mut self, other: &CodeColumn) {
        if other.width() > self.width() {
            self.data = CodeData::from_i64(other.width(), &self.data.to_i64());
        }
        match (&mut self.data, &other.data) {
            (CodeData::I8(a), CodeData::I8(b)) => a.extend_from_slice(b),
            (CodeData::I16(a), CodeData::I16(b)) => a.extend_from_slice(b),
            (CodeData::I32(a), CodeData::I32(b)) => a.extend_from_slice(b),
            (CodeData::I64(a), CodeData::I64(b)) => a.extend_from_slice(b),
            (a, b) => {
                for i in 0..b.len() {
                    a.push(b.get(i));
                }
            }
        }
        self.valid.append(&other.valid);
    }

    /// The values as 64-bit integers (0 where missing) and the validity per row, for export.
    pub fn parts(&self) -> (Vec<i64>, Vec<bool>) {
        (
            self.data.to_i64(),
            (0..self.len()).map(|i| self.valid.get(i)).collect(),
        )
    }
}

impl From<Vec<Option<i64>>> for CodeColumn {
    /// A column in the smallest width its values fit.
    fn from(values: Vec<Option<i64>>) -> CodeColumn {
        let width = values.iter().flatten().map(|&x| IntWidth::of(x)).max();
        let mut column = CodeColumn::with_width(width.unwrap_or(IntWidth::I8));
        for v in values {
            column.push(v);
        }
        column
    }
}

impl PartialEq for CodeColumn {
    /// The same codes in the same rows, whatever their storage width.
    fn eq(&self, other: &CodeColumn) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// The values of a decimal variable with a validity mask.
#[derive(Debug, Clone)]
pub struct DecimalColumn {
    values: Vec<f64>,
    valid: Validity,
}

impl DecimalColumn {
    /// `n` rows, all missing.
    pub fn missing_values(n: usize) -> DecimalColumn {
        DecimalColumn {
            values: vec![0.0; n],
            valid: Validity::all(false, n),
        }
    }

    pub fn len(&self) -> usize {
        self.valid.len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, row: usize) -> Option<f64> {
        self.valid.get(row).then(|| self.values[row])
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Option<f64>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    pub fn to_vec(&self) -> Vec<Option<f64>> {
        self.iter().collect()
    }

    pub fn missing(&self) -> usize {
        self.valid.count_missing()
    }

    pub fn set(&mut self, row: usize, value: Option<f64>) {
        self.values[row] = value.unwrap_or(0.0);
        self.valid.set(row, value.is_some());
    }

    pub fn push(&mut self, value: Option<f64>) {
        self.values.push(value.unwrap_or(0.0));
        self.valid.push(value.is_some());
    }

    pub fn append(&mut self, other: &DecimalColumn) {
        self.values.extend_from_slice(&other.values);
        self.valid.append(&other.valid);
    }
}

impl From<Vec<Option<f64>>> for DecimalColumn {
    fn from(values: Vec<Option<f64>>) -> DecimalColumn {
        let mut column = DecimalColumn::missing_values(0);
        for v in values {
            column.push(v);
        }
        column
    }
}

impl PartialEq for DecimalColumn {
    fn eq(&self, other: &DecimalColumn) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// A survey: rows are municipalities, columns follow the codebook's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    codebook: Arc<Codebook>,
    columns: Vec<Values>,
    rows: usize,
}

impl Survey {
    /// The survey without the variables `names` (absent from its file): its codebook
    /// [`Codebook::without`] them, and their columns gone.
    pub fn without(&self, names: &[String]) -> Survey {
        let codebook = Arc::new(self.codebook.without(names));
        let columns = self
            .codebook
            .variables
            .iter()
            .zip(&self.columns)
            .filter(|(v, _)| codebook.variable(&v.name).is_some())
            .map(|(_, c)| c.clone())
            .collect();
        Survey {
            codebook,
            columns,
            rows: self.rows,
        }
    }

    /// Builds a survey from columns in codebook order.
    pub fn new(codebook: Arc<Codebook>, columns: Vec<Values>) -> Result<Survey, SurveyError> {
        if columns.len() != codebook.variables.len() {
            return Err(SurveyError::Shape(format!(
                "{} columns given, the codebook has {} variables",
                columns.len(),
                codebook.variables.len()
            )));
        }
        let rows = columns.first().map_or(0, Values::len);
        for (v, c) in codebook.variables.iter().zip(&columns) {
            let fits = matches!(
                (v.kind, c),
                (Kind::Identifier | Kind::Text, Values::Ids(_))
                    | (Kind::Decimal, Values::Decimal(_))
            ) || (!matches!(v.kind, Kind::Identifier | Kind::Text | Kind::Decimal)
                && matches!(c, Values::Codes(_)));
            if !fits || c.len() != rows {
                return Err(SurveyError::Shape(format!(
                    "column '{}' has the wrong type or length",
                    v.name
                )));
            }
        }
        Ok(Survey {
            codebook,
            columns,
            rows,
        })
    }

    /// A survey of `rows` rows with every value missing and empty identifiers.
    pub fn blank(codebook: Arc<Codebook>, rows: usize) -> Survey {
        let columns = codebook
            .variables
            .iter()
            .map(|v| Values::empty_for(v, rows))
            .collect();
        Survey {
            codebook,
            columns,
            rows,
        }
    }

    pub fn codebook(&self) -> &Codebook {
        &self.codebook
    }

    pub fn codebook_arc(&self) -> Arc<Codebook> {
        Arc::clone(&self.codebook)
    }

    /// Number of rows (municipalities).
    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    pub fn columns(&self) -> &[Values] {
        &self.columns
    }

    pub fn column(&self, name: &str) -> Result<&Values, SurveyError> {
        let i = self
            .codebook
            .position(name)
            .ok_or_else(|| SurveyError::NoVariable(name.to_string()))?;
        Ok(&self.columns[i])
    }

    /// The identifiers, in row order.
    pub fn ids(&self) -> &[String] {
        let i = self
            .codebook
            .position(&self.codebook.identifier().name)
            .expect("the identifier is a codebook variable");
        match &self.columns[i] {
            Values::Ids(ids) => ids,
            _ => unreachable!("checked in Survey::new"),
        }
    }

    pub fn ids_mut(&mut self) -> &mut Vec<String> {
        let i = self
            .codebook
            .position(&self.codebook.identifier().name)
            .expect("the identifier is a codebook variable");
        match &mut self.columns[i] {
            Values::Ids(ids) => ids,
            _ => unreachable!("checked in Survey::new"),
        }
    }

    /// The codes of a coded, count or integer variable.
    pub fn codes(&self, name: &str) -> Result<&CodeColumn, SurveyError> {
        match self.column(name)? {
            Values::Codes(v) => Ok(v),
            _ => Err(SurveyError::NotCoded(name.to_string())),
        }
    }

    pub fn codes_mut(&mut self, name: &str) -> Result<&mut CodeColumn, SurveyError> {
        match self.column_mut(name)? {
            Values::Codes(v) => Ok(v),
            _ => Err(SurveyError::NotCoded(name.to_string())),
        }
    }

    /// The values of a decimal variable.
    pub fn decimals(&self, name: &str) -> Result<&DecimalColumn, SurveyError> {
        match self.column(name)? {
            Values::Decimal(v) => Ok(v),
            _ => Err(SurveyError::NotCoded(name.to_string())),
        }
    }

    pub fn decimals_mut(&mut self, name: &str) -> Result<&mut DecimalColumn, SurveyError> {
        match self.column_mut(name)? {
            Values::Decimal(v) => Ok(v),
            _ => Err(SurveyError::NotCoded(name.to_string())),
        }
    }

    fn column_mut(&mut self, name: &str) -> Result<&mut Values, SurveyError> {
        let i = self
            .codebook
            .position(name)
            .ok_or_else(|| SurveyError::NoVariable(name.to_string()))?;
        Ok(&mut self.columns[i])
    }

    /// Whether row `row` was asked variable `var` (its routing condition holds).
    pub fn was_asked(&self, var: usize, row: usize) -> bool {
        self.routing(var).asked(row)
    }

    /// Variable `var`'s routing condition resolved once, to ask of many rows.
    pub fn routing(&self, var: usize) -> Routing<'_> {
        let Some(cond) = &self.codebook.variables[var].asked_if else {
            return Routing::Always;
        };
        match self
            .codebook
            .position(&cond.variable)
            .map(|filter| &self.columns[filter])
        {
            Some(Values::Codes(filter)) => Routing::When {
                filter,
                codes: &cond.codes,
            },
            _ => Routing::Never,
        }
    }

    /// A copy with the rows in the given order (a permutation or a selection of row indices).
    pub fn select_rows(&self, rows: &[usize]) -> Survey {
        let columns = self
            .columns
            .iter()
            .map(|c| match c {
                Values::Ids(v) => Values::Ids(rows.iter().map(|&r| v[r].clone()).collect()),
                Values::Codes(v) => {
                    let mut out = CodeColumn::with_width(v.width());
                    for &r in rows {
                        out.push(v.get(r));
                    }
                    Values::Codes(out)
                }
                Values::Decimal(v) => {
                    Values::Decimal(rows.iter().map(|&r| v.get(r)).collect::<Vec<_>>().into())
                }
            })
            .collect();
        Survey {
            codebook: Arc::clone(&self.codebook),
            columns,
            rows: rows.len(),
        }
    }

    /// Writes the survey as comma-separated UTF-8 with codes, in codebook order. Each line of
    /// `preamble` is written first as a `# ` comment line. A missing answer to a question the row
    /// was routed past is written as the not-applicable code, any other missing answer as empty.
    pub fn write_csv<W: Write>(&self, out: W, preamble: &[&str]) -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(out);
        for line in preamble {
            writeln!(out, "# {line}")?;
        }
        let mut w = csv::WriterBuilder::new().from_writer(out);
        w.write_record(self.codebook.variables.iter().map(|v| v.name.as_str()))?;
        let not_applicable = self.codebook.missing.not_applicable.code.to_string();
        let routing: Vec<Routing> = (0..self.columns.len()).map(|v| self.routing(v)).collect();
        let mut record: Vec<String> = Vec::with_capacity(self.columns.len());
        for row in 0..self.rows {
            record.clear();
            for (var, column) in self.columns.iter().enumerate() {
                record.push(match column {
                    Values::Ids(v) => v[row].clone(),
                    Values::Codes(v) => match v.get(row) {
                        Some(c) => c.to_string(),
                        None if !routing[var].asked(row) => not_applicable.clone(),
                        None => String::new(),
                    },
                    Values::Decimal(v) => v.get(row).map(|x| x.to_string()).unwrap_or_default(),
                });
            }
            w.write_record(&record)?;
        }
        w.flush()?;
        Ok(())
    }
}

/// Which rows were asked a variable: all, none (its filter variable is not coded), or those whose
/// filter variable holds one of the codes.
#[derive(Debug, Clone, Copy)]
pub enum Routing<'a> {
    Always,
    Never,
    When {
        filter: &'a CodeColumn,
        codes: &'a [i64],
    },
}

impl Routing<'_> {
    pub fn asked(&self, row: usize) -> bool {
        match self {
            Routing::Always => true,
            Routing::Never => false,
            Routing::When { filter, codes } => filter.get(row).is_some_and(|c| codes.contains(&c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_are_stored_in_the_width_the_codebook_gives() {
        let book = Codebook::builtin();
        let width = |name: &str| IntWidth::for_variable(book.variable(name).unwrap());
        assert_eq!(width("ziel_effizienz"), IntWidth::I8);
        assert_eq!(width("bundesland"), IntWidth::I8);
        // counts up to 5,000,000 inhabitants
        assert_eq!(width("einwohner"), IntWidth::I32);
        let survey = Survey::blank(Arc::new(book), 3);
        assert_eq!(
            survey.codes("ziel_effizienz").unwrap().width(),
            IntWidth::I8
        );
    }

    #[test]
    fn a_value_wider_than_the_column_widens_it() {
        let mut c = CodeColumn::missing_values(IntWidth::I8, 3);
        c.set(1, Some(5));
        c.set(2, Some(70_000));
        assert_eq!(c.width(), IntWidth::I32);
        assert_eq!(c.to_vec(), [None, Some(5), Some(70_000)]);
        assert_eq!(c.missing(), 1);
        c.set(1, None);
        assert_eq!(c.to_vec(), [None, None, Some(70_000)]);
    }

    proptest! {
        #[test]
        fn appended_columns_hold_the_rows_of_both(
            a in prop::collection::vec(prop::option::of(-200i64..200), 0..300),
            b in prop::collection::vec(prop::option::of(-9i64..9), 0..300),
        ) {
            let mut c = CodeColumn::from(a.clone());
            c.append(&CodeColumn::from(b.clone()));
            let all: Vec<Option<i64>> = a.iter().chain(&b).copied().collect();
            prop_assert_eq!(c.missing(), all.iter().filter(|x| x.is_none()).count());
            prop_assert_eq!(c.to_vec(), all.clone());
            let mut d = DecimalColumn::from(a.iter().map(|x| x.map(|v| v as f64)).collect::<Vec<_>>());
            d.append(&DecimalColumn::from(b.iter().map(|x| x.map(|v| v as f64)).collect::<Vec<_>>()));
            prop_assert_eq!(d.to_vec(), all.iter().map(|x| x.map(|v| v as f64)).collect::<Vec<_>>());
        }
    }
}
