//! A small CSV file read by the names of its columns: an earlier assignments file (`classify
//! --previous`), a key file of changed identifiers (`waves --keys`). Either CSV style is taken,
//! told apart by the header line: RFC 4180 (`,`) or German Excel (a BOM and `;`).

/// The header of a small CSV file, and its rows still to read.
pub struct SmallCsv<'t> {
    reader: csv::Reader<&'t [u8]>,
    header: csv::StringRecord,
}

impl<'t> SmallCsv<'t> {
    /// Reads the header of `text` (a BOM dropped; `;` separates where the header line has a `;`
    /// and no `,`, else `,`). An error is its message (`row 1: …`).
    pub fn new(text: &'t str) -> Result<SmallCsv<'t>, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let header_line = text.lines().next().unwrap_or_default();
        let delimiter = if header_line.contains(';') && !header_line.contains(',') {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let header = reader.headers().map_err(|e| format!("row 1: {e}"))?.clone();
        Ok(SmallCsv { reader, header })
    }

    /// Where the column `name` stands (a header name read without the spaces around it).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h.trim() == name)
    }

    /// The rows after the header, each with its row in the file (the header is row 1); a row that
    /// cannot be read is its message (`row N: …`).
    pub fn rows(self) -> impl Iterator<Item = Result<(usize, csv::StringRecord), String>> + 't {
        self.reader.into_records().enumerate().map(|(i, record)| {
            let row = i + 2;
            record
                .map(|r| (row, r))
                .map_err(|e| format!("row {row}: {e}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn either_style_is_read_by_column_name() {
        for text in ["id,type\na,x\nb,y\n", "\u{feff}id;type\r\na;x\r\nb;y\r\n"] {
            let file = SmallCsv::new(text).unwrap();
            assert_eq!((file.column("type"), file.column("other")), (Some(1), None));
            let rows: Vec<(usize, String)> = file
                .rows()
                .map(|r| r.map(|(row, rec)| (row, rec[1].to_string())).unwrap())
                .collect();
            assert_eq!(rows, [(2, "x".to_string()), (3, "y".to_string())]);
        }
    }

    #[test]
    fn a_row_that_cannot_be_read_names_its_row() {
        let file = SmallCsv::new("id,type\na,x\nb,y,z\n").unwrap();
        let err = file.rows().find_map(Result::err).unwrap();
        assert!(err.starts_with("row 3: "), "{err}");
    }
}
