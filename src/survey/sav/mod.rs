//! SPSS system files, `.sav` and `.zsav`, read after the published description of the format
//! (PSPP's manual, "System File Format"), and copied with variables added for `cluster
//! --save-into`. This file holds the file as read ([`SavFile`]: the dictionary's variables with
//! their labels, value labels, user-missing values and measurement levels, the character
//! encoding, the cases); `dictionary` reads the header and the dictionary's records, `data` the
//! cases (uncompressed, bytecode-compressed or zlib-compressed), `cells` turns them into the text
//! cells every format is checked as, `write` writes the copy. Every length is checked against the
//! bytes that are there (`bytes`), so a truncated or damaged file is an error that says where,
//! never a panic.

mod bytes;
mod cells;
mod data;
mod dictionary;
mod write;

use std::collections::HashMap;
use std::sync::Arc;

use encoding_rs::Encoding;

use dictionary::{Dictionary, Header};

pub(super) use cells::{check_value_labels, sav_table};
pub(super) use write::NewVariable;

/// Why a file cannot be read as an SPSS system file.
pub(super) type SavResult<T> = Result<T, String>;

/// The system-missing value: the most negative finite double.
pub(super) const SYSMIS: f64 = -f64::MAX;

/// How the cases are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Compression {
    None,
    Bytecode,
    Zlib,
}

/// A variable's user-missing values.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Missing {
    pub values: Vec<f64>,
    pub range: Option<(f64, f64)>,
    /// Of a string variable.
    pub strings: Vec<String>,
}

impl Missing {
    pub fn contains(&self, x: f64) -> bool {
        self.values.contains(&x) || self.range.is_some_and(|(lo, hi)| x >= lo && x <= hi)
    }
}

/// One variable of the dictionary.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SavVariable {
    pub name: String,
    pub label: Option<String>,
    /// 0 for a numeric variable, else the string width in bytes.
    pub width: usize,
    /// Index of its first 8-byte element in a case.
    pub element: usize,
    pub missing: Missing,
    /// Value labels of a numeric variable, in the file's order (shared with the other variables
    /// the same value label records name).
    pub labels: Arc<ValueLabels>,
    /// 1 nominal, 2 ordinal, 3 scale (0: not stated).
    pub measure: i32,
    /// Decimals of the print format.
    pub decimals: u8,
}

impl SavVariable {
    pub fn elements(&self) -> usize {
        if self.width == 0 {
            1
        } else {
            self.width.div_ceil(8)
        }
    }
}

/// The value labels of a numeric variable, in the file's order, looked up by value. One value
/// label record's labels are read once and shared by every variable it names.
#[derive(Debug, Default, PartialEq)]
pub(super) struct ValueLabels {
    pairs: Vec<(f64, String)>,
    /// The first pair of each value, by [`value_key`].
    first: HashMap<u64, usize>,
}

/// A number as a key that equals another's exactly when the numbers are equal (both zeros are
/// one key; NaN, which equals nothing, has none).
fn value_key(x: f64) -> Option<u64> {
    if x.is_nan() {
        None
    } else if x == 0.0 {
        Some(0)
    } else {
        Some(x.to_bits())
    }
}

impl ValueLabels {
    pub fn new(pairs: Vec<(f64, String)>) -> ValueLabels {
        let mut first = HashMap::with_capacity(pairs.len());
        for (i, (x, _)) in pairs.iter().enumerate() {
            if let Some(key) = value_key(*x) {
                first.entry(key).or_insert(i);
            }
        }
        ValueLabels { pairs, first }
    }

    /// The label of `x` (the first, when the file labels it twice).
    pub fn get(&self, x: f64) -> Option<&str> {
        let i = *self.first.get(&value_key(x)?)?;
        Some(self.pairs[i].1.as_str())
    }

    pub fn iter(&self) -> std::slice::Iter<'_, (f64, String)> {
        self.pairs.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// One record of the dictionary, as bytes of the file, for copying.
#[derive(Debug, Clone, PartialEq)]
struct RecordSpan {
    kind: i32,
    subtype: i32,
    start: usize,
    end: usize,
}

/// An SPSS system file, read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SavFile {
    pub product: String,
    pub file_label: String,
    pub documents: Vec<String>,
    pub encoding: &'static Encoding,
    /// Where the encoding was taken from.
    pub encoding_source: &'static str,
    pub compression: Compression,
    pub variables: Vec<SavVariable>,
    pub cases: usize,
    big_endian: bool,
    bias: f64,
    /// 8-byte elements per case.
    case_size: usize,
    /// Whether each element holds a number (not a piece of a string).
    numeric_elements: Vec<bool>,
    records: Vec<RecordSpan>,
    /// Every case's elements, end to end, in the file's byte order.
    elements: Vec<[u8; 8]>,
    header: Vec<u8>,
    /// The file's bytes up to its dictionary's end record (999), which the records point into.
    source: Vec<u8>,
}

/// Whether the bytes start like an SPSS system file.
pub(super) fn is_sav(bytes: &[u8]) -> bool {
    bytes.starts_with(b"$FL2") || bytes.starts_with(b"$FL3")
}

/// Bytes of the file as text in its encoding, without trailing blanks and zero bytes.
fn text(encoding: &'static Encoding, bytes: &[u8]) -> String {
    let (s, _, _) = encoding.decode(bytes);
    s.trim_end_matches([' ', '\0']).to_string()
}

impl SavFile {
    /// Reads a system file from its bytes.
    pub fn parse(bytes: &[u8]) -> SavResult<SavFile> {
        let (header, mut r) = Header::read(bytes)?;
        let dict = Dictionary::read(&mut r)?;
        let (encoding, encoding_source) = dict.encoding()?;
        let case_size = dict.case_size();
        if header.nominal >= 0 && header.nominal as usize != case_size {
            return Err(format!(
                "its header says a case has {} elements, the dictionary has {case_size}: the file is damaged",
                header.nominal
            ));
        }
        let (variables, numeric_elements) = dict.variables(encoding, &r)?;
        let elements = data::elements(&mut r, header.compression, header.bias, case_size)?;
        if case_size == 0 {
            return Err("its dictionary has no variables".into());
        }
        let cases = elements.len() / case_size;
        if elements.len() % case_size != 0 || (header.cases >= 0 && header.cases as usize != cases)
        {
            let stated = if header.cases >= 0 {
                format!("its header says {} cases, ", header.cases)
            } else {
                String::new()
            };
            return Err(format!(
                "{stated}the data hold {cases} whole cases and {} elements of another: the file is truncated or damaged",
                elements.len() % case_size
            ));
        }
        Ok(SavFile {
            product: text(encoding, &header.product),
            file_label: text(encoding, &header.file_label),
            documents: dict.documents.iter().map(|d| text(encoding, d)).collect(),
            encoding,
            encoding_source,
            compression: header.compression,
            variables,
            cases,
            big_endian: header.big,
            bias: header.bias,
            case_size,
            numeric_elements,
            source: bytes[..dict.end].to_vec(),
            records: dict.records,
            elements,
            header: header.bytes,
        })
    }

    /// The values of the numeric variable `v`, case by case (system-missing as [`SYSMIS`]).
    pub fn numbers<'a>(&'a self, v: &SavVariable) -> impl ExactSizeIterator<Item = f64> + 'a {
        let (element, big) = (v.element, self.big_endian);
        self.elements
            .iter()
            .skip(element)
            .step_by(self.case_size)
            .map(move |e| {
                if big {
                    f64::from_be_bytes(*e)
                } else {
                    f64::from_le_bytes(*e)
                }
            })
    }

    /// The values of the string variable `v`, case by case, in the file's encoding and without
    /// trailing blanks.
    pub fn strings<'a>(&'a self, v: &SavVariable) -> impl ExactSizeIterator<Item = String> + 'a {
        let (element, width, elements) = (v.element, v.width, v.elements());
        (0..self.cases).map(move |c| {
            let at = c * self.case_size + element;
            text(
                self.encoding,
                &self.elements[at..at + elements].as_flattened()[..width],
            )
        })
    }

    /// The product that wrote the file, without SPSS's "@(#) SPSS DATA FILE" prefix.
    pub fn writer(&self) -> &str {
        self.product
            .trim_start_matches("@(#) SPSS DATA FILE")
            .trim_start_matches([' ', '-'])
            .trim_end()
    }

    pub fn compression_name(&self) -> &'static str {
        match self.compression {
            Compression::None => "uncompressed",
            Compression::Bytecode => "bytecode-compressed",
            Compression::Zlib => "zlib-compressed (.zsav)",
        }
    }
}

/// SPSS files crafted byte by byte, shared with the integration tests.
#[cfg(test)]
#[path = "../../../tests/it/craft.rs"]
pub(super) mod craft;

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::read(root.join("tests/fixtures/formats").join(name)).unwrap()
    }

    #[test]
    fn every_truncation_of_a_system_file_is_an_error_not_a_panic() {
        for name in ["unknown-label.sav", "survey-pspp.zsav"] {
            let bytes = fixture(name);
            assert!(SavFile::parse(&bytes).is_ok());
            let cuts = (0..bytes.len().min(4000)).chain((4000..bytes.len()).step_by(61));
            for cut in cuts {
                assert!(
                    SavFile::parse(&bytes[..cut]).is_err(),
                    "{name} cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn user_missing_values_labels_and_measures_are_read() {
        let file = SavFile::parse(&fixture("unknown-label.sav")).unwrap();
        let status = file
            .variables
            .iter()
            .find(|v| v.name == "feld_verwaltung")
            .unwrap();
        assert_eq!(status.missing.values, vec![-9.0, -8.0]);
        assert_eq!(
            status.labels.get(-8.0),
            Some("trifft nicht zu (Filterführung)")
        );
        assert_eq!(status.measure, 1);
        let goal = file
            .variables
            .iter()
            .find(|v| v.name == "ziel_effizienz")
            .unwrap();
        assert_eq!(
            (goal.missing.values.as_slice(), goal.measure),
            ([-9.0].as_slice(), 2)
        );
        assert_eq!(file.variables[0].width, 12);
        assert_eq!(file.cases, 6);
        assert_eq!(file.encoding, encoding_rs::UTF_8);
    }

    #[test]
    fn value_label_record_naming_many_variables_shares_one_copy_of_its_labels() {
        let mut sav = craft::Sav::new(false);
        for i in 0..500 {
            sav.numeric(&format!("V{i}"), &[], None);
        }
        let labels: Vec<(f64, String)> = (0..200).map(|k| (k as f64, format!("L{k}"))).collect();
        sav.value_labels(&labels, &(1..=500).collect::<Vec<i32>>());
        let file = SavFile::parse(&sav.finish(&craft::bytecode(1, &[1.0; 500]))).unwrap();
        let first = &file.variables[0].labels;
        assert_eq!(first.get(199.0), Some("L199"));
        assert!(file.variables.iter().all(|v| Arc::ptr_eq(&v.labels, first)));
    }

    #[test]
    fn added_variables_short_names_clash_with_none_of_the_files() {
        let mut sav = craft::Sav::new(false);
        sav.utf8();
        sav.numeric("TF000001", &[], None);
        sav.numeric("tf000002", &[], None);
        sav.long_names(&[
            ("TF000001".into(), "meine".into()),
            ("tf000002".into(), "deine".into()),
        ]);
        let file = SavFile::parse(&sav.finish(&craft::bytecode(2, &[1.0, 2.0]))).unwrap();
        // a label of 119 ASCII bytes and an umlaut (2 bytes): cut before the umlaut
        let long = format!("{}ä", "x".repeat(119));
        let added = |name| NewVariable {
            name,
            label: "a type",
            decimals: 0,
            measure: 1,
            labels: vec![(1.0, long.clone())],
            values: vec![Some(1.0), None],
        };
        let copy = file
            .with_variables(&[added("typ"), added("typ_name")])
            .unwrap();
        let copy = SavFile::parse(&copy).unwrap();
        let names: Vec<&str> = copy.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["meine", "deine", "typ", "typ_name"]);
        let shorts: Vec<String> = (0..4).map(|i| copy.short_name_of(i)).collect();
        assert_eq!(shorts[2..], ["TF000003", "TF000004"]);
        assert_eq!(
            copy.variables[2].labels.get(1.0),
            Some("x".repeat(119).as_str())
        );
        assert_eq!(
            copy.numbers(&copy.variables[0]).collect::<Vec<_>>(),
            [1.0, 1.0]
        );
    }
}
