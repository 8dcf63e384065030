//! The typed survey table: one column per codebook variable, missing values as `None`.
//!
//! Item non-response and "not applicable" are both `None` here: which of the two a missing cell is
//! follows from the routing in the codebook (`asked_if`), which the loader has already checked.

use std::io::Write;
use std::sync::Arc;

use super::{Codebook, Kind, SurveyError};

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Ids(Vec<String>),
    Codes(Vec<Option<i64>>),
    Decimal(Vec<Option<f64>>),
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
            Values::Codes(v) => v.iter().filter(|x| x.is_none()).count(),
            Values::Decimal(v) => v.iter().filter(|x| x.is_none()).count(),
        }
    }

    fn empty_for(kind: Kind, n: usize) -> Values {
        match kind {
            Kind::Identifier => Values::Ids(vec![String::new(); n]),
            Kind::Decimal => Values::Decimal(vec![None; n]),
            _ => Values::Codes(vec![None; n]),
        }
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
                (Kind::Identifier, Values::Ids(_)) | (Kind::Decimal, Values::Decimal(_))
            ) || (!matches!(v.kind, Kind::Identifier | Kind::Decimal)
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
            .map(|v| Values::empty_for(v.kind, rows))
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
    pub fn codes(&self, name: &str) -> Result<&[Option<i64>], SurveyError> {
        match self.column(name)? {
            Values::Codes(v) => Ok(v),
            _ => Err(SurveyError::NotCoded(name.to_string())),
        }
    }

    pub fn codes_mut(&mut self, name: &str) -> Result<&mut Vec<Option<i64>>, SurveyError> {
        let i = self
            .codebook
            .position(name)
            .ok_or_else(|| SurveyError::NoVariable(name.to_string()))?;
        match &mut self.columns[i] {
            Values::Codes(v) => Ok(v),
            _ => Err(SurveyError::NotCoded(name.to_string())),
        }
    }

    pub fn decimals_mut(&mut self, name: &str) -> Result<&mut Vec<Option<f64>>, SurveyError> {
        let i = self
            .codebook
            .position(name)
            .ok_or_else(|| SurveyError::NoVariable(name.to_string()))?;
        match &mut self.columns[i] {
            Values::Decimal(v) => Ok(v),
            _ => Err(SurveyError::NotCoded(name.to_string())),
        }
    }

    /// Whether row `row` was asked variable `var` (its routing condition holds).
    pub fn was_asked(&self, var: usize, row: usize) -> bool {
        let Some(cond) = &self.codebook.variables[var].asked_if else {
            return true;
        };
        let Some(filter) = self.codebook.position(&cond.variable) else {
            return false;
        };
        match &self.columns[filter] {
            Values::Codes(v) => v[row].is_some_and(|c| cond.codes.contains(&c)),
            _ => false,
        }
    }

    /// A copy with the rows in the given order (a permutation or a selection of row indices).
    pub fn select_rows(&self, rows: &[usize]) -> Survey {
        let columns = self
            .columns
            .iter()
            .map(|c| match c {
                Values::Ids(v) => Values::Ids(rows.iter().map(|&r| v[r].clone()).collect()),
                Values::Codes(v) => Values::Codes(rows.iter().map(|&r| v[r]).collect()),
                Values::Decimal(v) => Values::Decimal(rows.iter().map(|&r| v[r]).collect()),
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
        let mut record: Vec<String> = Vec::with_capacity(self.columns.len());
        for row in 0..self.rows {
            record.clear();
            for (var, column) in self.columns.iter().enumerate() {
                record.push(match column {
                    Values::Ids(v) => v[row].clone(),
                    Values::Codes(v) => match v[row] {
                        Some(c) => c.to_string(),
                        None if !self.was_asked(var, row) => not_applicable.clone(),
                        None => String::new(),
                    },
                    Values::Decimal(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
                });
            }
            w.write_record(&record)?;
        }
        w.flush()?;
        Ok(())
    }
}
