//! CSV text of a [`Table`]: RFC 4180 for programs or German Excel (`;`, decimal comma, BOM,
//! CRLF), with text that a spreadsheet would read as a formula neutralised
//! ([`crate::escape::neutralise`]), a
//! table of a million rows written row by row ([`write_csv`]).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{Cell, Table};
use crate::escape::neutralise;

/// How CSV files are written. Recorded in the requests (and so in manifests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum CsvStyle {
    /// RFC 4180 for programs: `,`, decimal point, UTF-8 without BOM, LF line ends.
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
    #[default]
    Rfc4180,
    /// Excel on a German locale: `;`, decimal comma, UTF-8 with BOM, CRLF line ends.
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
    ExcelDe,
}

impl Cell {
    /// The cell's text in a CSV of `style`.
    pub fn csv_text(&self, style: CsvStyle) -> Cow<'_, str> {
        let number = |text: String| match style {
            CsvStyle::Rfc4180 => Cow::Owned(text),
            CsvStyle::ExcelDe => Cow::Owned(text.replace('.', ",")),
        };
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => neutralise(s),
            Cell::Number { value, decimals } => number(Cell::number_text(*value, *decimals)),
            Cell::Percent { points, decimals } => {
                number(Cell::number_text(*points, Some(*decimals)))
            }
        }
    }
}

impl Table {
    /// The table as CSV text in `style`. A row of another length than the header is an error of
    /// the CSV writer, returned, never turned into a short file.
    pub fn csv(&self, style: CsvStyle) -> csv::Result<String> {
        let mut bytes = Vec::new();
        write_csv(&self.header, &self.rows, style, &mut bytes)?;
        // every field was a `str`
        String::from_utf8(bytes)
            .map_err(|e| csv::Error::from(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
    }
}

/// Writes a header and rows as CSV in `style` to `out` row by row, so that a table of a million
/// rows is never held whole; the same bytes as [`Table::csv`] of the same cells.
pub fn write_csv<R: AsRef<[Cell]>, W: std::io::Write>(
    header: &[String],
    rows: impl IntoIterator<Item = R>,
    style: CsvStyle,
    mut out: W,
) -> csv::Result<()> {
    let mut builder = csv::WriterBuilder::new();
    if style == CsvStyle::ExcelDe {
        out.write_all("\u{feff}".as_bytes())?;
        builder.delimiter(b';').terminator(csv::Terminator::CRLF);
    }
    let mut w = builder.from_writer(out);
    for h in header {
        w.write_field(neutralise(h).as_bytes())?;
    }
    w.write_record(None::<&[u8]>)?;
    for row in rows {
        for c in row.as_ref() {
            w.write_field(c.csv_text(style).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escape::restore;

    #[test]
    fn very_small_and_very_large_numbers_are_written_with_an_exponent_as_python_writes_them() {
        let mut t = Table::new(["p", "q", "r", "s", "t"]);
        t.push(vec![
            Cell::exact(2.753342147410307e-51),
            Cell::exact(0.0001),
            Cell::exact(-0.00001234),
            Cell::exact(1e16),
            Cell::exact(0.0),
        ]);
        assert_eq!(
            t.csv(CsvStyle::Rfc4180).unwrap(),
            "p,q,r,s,t\n2.753342147410307e-51,0.0001,-1.234e-5,1e16,0\n"
        );
        assert_eq!(
            t.csv(CsvStyle::ExcelDe).unwrap(),
            "\u{feff}p;q;r;s;t\r\n2,753342147410307e-51;0,0001;-1,234e-5;1e16;0\r\n"
        );
        // each reads back as the same number
        for (text, value) in [
            ("2.753342147410307e-51", 2.753342147410307e-51),
            ("-1.234e-5", -0.00001234),
        ] {
            assert_eq!(text.parse::<f64>().unwrap(), value);
        }
    }

    #[test]
    fn negative_numbers_stay_numbers_and_text_that_looks_like_one_does_not() {
        let mut t = Table::new(["id", "value"]);
        t.push(vec![Cell::text("-1"), Cell::number(-0.5, 3)]);
        assert_eq!(t.csv(CsvStyle::Rfc4180).unwrap(), "id,value\n'-1,-0.500\n");
        assert_eq!(
            t.csv(CsvStyle::ExcelDe).unwrap(),
            "\u{feff}id;value\r\n'-1;-0,500\r\n"
        );
    }

    #[test]
    fn german_excel_style_uses_semicolons_decimal_commas_bom_and_crlf() {
        let mut t = Table::new(["name", "share", "n", "published"]);
        t.push(vec![
            Cell::text("Thüringen; Nord"),
            Cell::percent(31.153, 3),
            Cell::count(412),
            Cell::exact(0.051),
        ]);
        t.push(vec![
            Cell::text("a,b"),
            Cell::number(f64::NAN, 2),
            Cell::Empty,
            Cell::exact(31.0),
        ]);
        assert_eq!(
            t.csv(CsvStyle::Rfc4180).unwrap(),
            "name,share,n,published\nThüringen; Nord,31.153,412,0.051\n\"a,b\",,,31\n"
        );
        assert_eq!(
            t.csv(CsvStyle::ExcelDe).unwrap(),
            "\u{feff}name;share;n;published\r\n\"Thüringen; Nord\";31,153;412;0,051\r\na,b;;;31\r\n"
        );
    }

    #[test]
    fn rounded_numbers_drop_trailing_zeros_and_binary_noise() {
        let mut t = Table::new(["v"]);
        for v in [4.5, 12.0, 0.1 + 0.2, 1.0 / 3.0, -2.25, 1234.5678949] {
            t.push(vec![Cell::rounded(v, 6)]);
        }
        let expected = "v\n4.5\n12\n0.3\n0.333333\n-2.25\n1234.567895\n";
        assert_eq!(t.csv(CsvStyle::Rfc4180).unwrap(), expected);
        assert_eq!(
            t.csv(CsvStyle::ExcelDe).unwrap(),
            format!(
                "\u{feff}{}",
                expected.replace('.', ",").replace('\n', "\r\n")
            )
        );
        // too large to scale: written as it is; not finite: an empty cell
        assert_eq!(Cell::rounded(1e300, 6), Cell::exact(1e300));
        assert_eq!(Cell::rounded(f64::NAN, 6), Cell::Empty);
    }

    #[test]
    fn a_row_of_another_length_is_an_error_not_a_short_file() {
        let mut t = Table::new(["a", "b"]);
        t.push(vec![Cell::text("1")]);
        assert!(t.csv(CsvStyle::Rfc4180).is_err());
        assert!(t.csv(CsvStyle::ExcelDe).is_err());
    }

    proptest::proptest! {
        /// Any text: written, it never starts a formula, and reading it back restores it; a
        /// number cell is never neutralised.
        #[test]
        fn neutralised_text_never_starts_a_formula_and_is_restored(
            text in "[=+@'\\t\\r a-z0-9-]{0,6}",
            value in -1.0e6f64..1.0e6,
        ) {
            let written = neutralise(&text);
            proptest::prop_assert!(
                !written.starts_with(['=', '+', '-', '@', '\t', '\r'])
            );
            proptest::prop_assert_eq!(restore(&written), text.as_str());
            let mut t = Table::new(["v"]);
            t.push(vec![Cell::number(value, 3)]);
            let csv = t.csv(CsvStyle::Rfc4180).unwrap();
            proptest::prop_assert!(!csv.contains('\''));
            proptest::prop_assert_eq!(csv, format!("v\n{value:.3}\n"));
        }
    }

    #[test]
    fn csv_styles_are_recorded_by_name() {
        assert_eq!(
            serde_json::to_string(&CsvStyle::ExcelDe).unwrap(),
            "\"excel-de\""
        );
        assert_eq!(
            serde_json::to_string(&CsvStyle::Rfc4180).unwrap(),
            "\"rfc4180\""
        );
    }
}
