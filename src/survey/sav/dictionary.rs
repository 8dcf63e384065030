//! An SPSS file's header record and dictionary: the records read as bytes (variables, value
//! labels, documents, the extension records typfrage uses), the character encoding decided, and
//! the variables built from them with their names, labels, user-missing values, value labels and
//! measurement levels. The variables and a case's values are held to the limits of a CSV file's
//! columns and lines; a value label record is read once and its labels shared by every variable
//! it names.

use std::collections::HashMap;
use std::sync::Arc;

use encoding_rs::Encoding;

use super::bytes::Bytes;
use super::{is_sav, text, Compression, Missing, RecordSpan, SavResult, SavVariable, ValueLabels};
use crate::survey::limits::{MAX_COLUMNS, MAX_LINE_BYTES, MAX_NAME_BYTES, MAX_VALUE_LABELS};

/// The header record: how the rest of the file is to be read.
pub(super) struct Header {
    pub big: bool,
    pub product: Vec<u8>,
    /// The elements per case the header states (negative: not stated).
    pub nominal: i32,
    pub compression: Compression,
    /// The cases the header states (negative: not stated).
    pub cases: i32,
    pub bias: f64,
    pub file_label: Vec<u8>,
    /// The header record's bytes, for copying.
    pub bytes: Vec<u8>,
}

impl Header {
    /// Reads the header record; `r` is left after it.
    pub fn read<'a>(bytes: &'a [u8]) -> SavResult<(Header, Bytes<'a>)> {
        if !is_sav(bytes) {
            return Err(format!(
                "it does not start with \"$FL2\" or \"$FL3\" (it starts with {:?})",
                String::from_utf8_lossy(&bytes[..bytes.len().min(4)])
            ));
        }
        let zlib_file = bytes.starts_with(b"$FL3");
        let layout = bytes
            .get(64..68)
            .ok_or("the file ends inside its header record (176 bytes): the file is truncated")?;
        let big = match (
            i32::from_le_bytes(layout.try_into().expect("4")),
            i32::from_be_bytes(layout.try_into().expect("4")),
        ) {
            (2 | 3, _) => false,
            (_, 2 | 3) => true,
            _ => return Err("its header names no known byte order (layout code 2 or 3)".into()),
        };
        let mut r = Bytes { bytes, pos: 4, big };
        let what = "the header record";
        let product = r.take(60, what)?.to_vec();
        r.i32(what)?;
        let nominal = r.i32(what)?;
        let compression = match r.i32(what)? {
            0 => Compression::None,
            1 => Compression::Bytecode,
            2 if zlib_file => Compression::Zlib,
            c => return Err(format!("its header names compression {c}, which is not one of 0 (none), 1 (bytecode) or 2 (zlib, in a .zsav file)")),
        };
        r.i32(what)?; // weight index
        let cases = r.i32(what)?;
        let bias = r.f64(what)?;
        r.take(17, what)?; // creation date and time
        let file_label = r.take(64, what)?.to_vec();
        r.take(3, what)?;
        let header = Header {
            big,
            product,
            nominal,
            compression,
            cases,
            bias,
            file_label,
            bytes: bytes[..r.pos].to_vec(),
        };
        Ok((header, r))
    }
}

/// A value label record as read: (value, label) pairs and the variables (1-based element indices)
/// they label.
type LabelSet = (Vec<([u8; 8], Vec<u8>)>, Vec<usize>);

/// A variable record as read, before the encoding is known.
struct RawVariable {
    width: i32,
    name: Vec<u8>,
    label: Option<Vec<u8>>,
    missing: Vec<[u8; 8]>,
    missing_kind: i32,
    decimals: u8,
}

/// The dictionary's records as read, before the encoding is known.
#[derive(Default)]
pub(super) struct Dictionary {
    raw_vars: Vec<RawVariable>,
    /// The variables (records that are not a string's continuation).
    variables: usize,
    label_sets: Vec<LabelSet>,
    pub documents: Vec<Vec<u8>>,
    /// Every record but the end record, for copying.
    pub records: Vec<RecordSpan>,
    encoding_name: Option<Vec<u8>>,
    character_code: Option<i32>,
    long_names: Option<Vec<u8>>,
    display: Option<Vec<i32>>,
    /// Where the end record (999) starts.
    pub end: usize,
}

impl Dictionary {
    /// Reads the records from where `r` is up to and including the end record.
    pub fn read(r: &mut Bytes) -> SavResult<Dictionary> {
        let mut dict = Dictionary::default();
        loop {
            let start = r.pos;
            let kind = r.i32("a dictionary record")?;
            let mut subtype = 0;
            match kind {
                2 => dict.variable_record(r, start)?,
                3 => dict.value_label_record(r, start)?,
                6 => {
                    let n = r.count(80, "a document record's line count")?;
                    for _ in 0..n {
                        dict.documents.push(r.take(80, "a document line")?.to_vec());
                    }
                }
                7 => subtype = dict.extension_record(r, start)?,
                999 => {
                    dict.end = start;
                    r.i32("the dictionary's end record")?;
                    return Ok(dict);
                }
                k => {
                    return Err(format!(
                        "at byte {start} a dictionary record of type {k} starts, expected 2, 3, 6, 7 or 999: the file is damaged"
                    ))
                }
            }
            dict.records.push(RecordSpan {
                kind,
                subtype,
                start,
                end: r.pos,
            });
        }
    }

    /// A variable record (type 2), which starts at `start`.
    fn variable_record(&mut self, r: &mut Bytes, start: usize) -> SavResult<()> {
        let what = "a variable record";
        let width = r.i32(what)?;
        let has_label = r.i32(what)?;
        let missing_kind = r.i32(what)?;
        let print = r.i32(what)?;
        r.i32(what)?;
        let name = r.take(8, what)?.to_vec();
        let label = if has_label == 1 {
            let n = r.count(1, "a variable label's length")?;
            Some(r.take(n.div_ceil(4) * 4, what)?[..n].to_vec())
        } else {
            None
        };
        let n_missing = match missing_kind {
            0..=3 => missing_kind as usize,
            -2 => 2,
            -3 => 3,
            m => {
                return Err(format!(
                    "variable record at byte {start} has missing-value count {m}, expected -3 to 3"
                ))
            }
        };
        let mut missing = Vec::new();
        for _ in 0..n_missing {
            missing.push(r.take(8, what)?.try_into().expect("8"));
        }
        if !(-1..=255).contains(&width) {
            return Err(format!(
                "variable record at byte {start} has width {width}, expected 0 (numeric), 1-255 (string) or -1 (continuation)"
            ));
        }
        if width >= 0 {
            self.variables += 1;
            if self.variables > MAX_COLUMNS {
                return Err(format!(
                    "its dictionary has more than {MAX_COLUMNS} variables (variable record at byte {start}); expected at most {MAX_COLUMNS}, as for the columns of a CSV file"
                ));
            }
        }
        if (self.raw_vars.len() + 1) * 8 > MAX_LINE_BYTES {
            return Err(format!(
                "its cases are longer than {MAX_LINE_BYTES} bytes (variable record at byte {start}); expected at most that many, as for a line of a CSV file"
            ));
        }
        self.raw_vars.push(RawVariable {
            width,
            name,
            label,
            missing,
            missing_kind,
            decimals: (print & 0xFF) as u8,
        });
        Ok(())
    }

    /// A value label record (type 3) with the record naming its variables (type 4) after it.
    fn value_label_record(&mut self, r: &mut Bytes, start: usize) -> SavResult<()> {
        let n = r.count(9, "a value label record's count")?;
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let value: [u8; 8] = r.take(8, "a value label")?.try_into().expect("8");
            let len = r.take(1, "a value label")?[0] as usize;
            let padded = (len + 1).div_ceil(8) * 8 - 1;
            let label = r.take(padded, "a value label")?[..len].to_vec();
            labels.push((value, label));
        }
        if r.i32("the variables of a value label set")? != 4 {
            return Err(format!(
                "the value label record at byte {start} is not followed by the record naming its variables (type 4)"
            ));
        }
        let n = r.count(4, "a value label set's variable count")?;
        let mut vars = Vec::with_capacity(n);
        for _ in 0..n {
            vars.push(r.i32("a value label set's variables")? as usize);
        }
        self.label_sets.push((labels, vars));
        Ok(())
    }

    /// An extension record (type 7); returns its subtype.
    fn extension_record(&mut self, r: &mut Bytes, start: usize) -> SavResult<i32> {
        let subtype = r.i32("an extension record")?;
        let size = r.i32("an extension record")?;
        let count = r.i32("an extension record")?;
        let len = (size.max(0) as usize).saturating_mul(count.max(0) as usize);
        if size < 0 || count < 0 {
            return Err(format!(
                "extension record at byte {start} has a negative size"
            ));
        }
        let big = r.big;
        let data = r.take(len, "an extension record")?;
        let ints = || -> Vec<i32> {
            data.chunks_exact(4)
                .map(|c| {
                    let b: [u8; 4] = c.try_into().expect("4");
                    if big {
                        i32::from_be_bytes(b)
                    } else {
                        i32::from_le_bytes(b)
                    }
                })
                .collect()
        };
        match subtype {
            3 if size == 4 && count >= 8 => self.character_code = Some(ints()[7]),
            11 if size == 4 => self.display = Some(ints()),
            13 => self.long_names = Some(data.to_vec()),
            14 => {
                return Err("it holds string variables longer than 255 bytes (very long strings), which typfrage does not read".into())
            }
            20 => self.encoding_name = Some(data.to_vec()),
            _ => {}
        }
        Ok(subtype)
    }

    /// The character encoding: the encoding record's, else the code page's, else Windows-1252;
    /// with where it was taken from.
    pub fn encoding(&self) -> SavResult<(&'static Encoding, &'static str)> {
        Ok(match &self.encoding_name {
            Some(name) => (
                Encoding::for_label(String::from_utf8_lossy(name).trim().as_bytes()).ok_or_else(
                    || {
                        format!(
                            "it names the character encoding {:?}, which is not known",
                            String::from_utf8_lossy(name)
                        )
                    },
                )?,
                "its encoding record",
            ),
            None => match self.character_code.and_then(code_page) {
                Some(e) => (e, "its code page"),
                None => (
                    encoding_rs::WINDOWS_1252,
                    "no encoding stated: Windows-1252, as older SPSS writes",
                ),
            },
        })
    }

    /// The elements of a case: one per variable record (a string's continuations included).
    pub fn case_size(&self) -> usize {
        self.raw_vars.len()
    }

    /// The variables (one per record that is not a string continuation) with their long names,
    /// measurement levels and value labels, and whether each element of a case holds a number.
    pub fn variables(
        &self,
        encoding: &'static Encoding,
        r: &Bytes,
    ) -> SavResult<(Vec<SavVariable>, Vec<bool>)> {
        let case_size = self.raw_vars.len();
        let mut numeric_elements = Vec::with_capacity(case_size);
        let mut variables: Vec<SavVariable> = Vec::new();
        let mut starts = vec![None; case_size];
        let mut i = 0;
        while i < self.raw_vars.len() {
            let v = &self.raw_vars[i];
            if v.width < 0 {
                return Err(format!(
                    "element {} is a string continuation without a string before it: the file is damaged",
                    i + 1
                ));
            }
            let width = v.width as usize;
            let elements = if width == 0 { 1 } else { width.div_ceil(8) };
            for k in 1..elements {
                if self.raw_vars.get(i + k).is_none_or(|c| c.width != -1) {
                    return Err(format!(
                        "the string variable {} of width {width} lacks its continuation records",
                        text(encoding, &v.name)
                    ));
                }
            }
            starts[i] = Some(variables.len());
            variables.push(SavVariable {
                name: text(encoding, &v.name),
                label: v.label.as_ref().map(|l| text(encoding, l)),
                width,
                element: i,
                missing: missing(v, width, encoding, r),
                labels: Arc::default(),
                measure: 0,
                decimals: v.decimals,
            });
            for k in 0..elements {
                numeric_elements.push(width == 0 && k == 0);
            }
            i += elements;
        }
        self.name_long(&mut variables, encoding)?;
        self.measure(&mut variables);
        self.label(&mut variables, &starts, encoding, r)?;
        Ok((variables, numeric_elements))
    }

    /// Gives the variables their long names (the long names record maps short names to them),
    /// each at most [`MAX_NAME_BYTES`] long.
    fn name_long(
        &self,
        variables: &mut [SavVariable],
        encoding: &'static Encoding,
    ) -> SavResult<()> {
        let Some(names) = &self.long_names else {
            return Ok(());
        };
        let mut by_short: HashMap<String, usize> = HashMap::with_capacity(variables.len());
        for (i, v) in variables.iter().enumerate() {
            by_short.entry(v.name.clone()).or_insert(i);
        }
        let names = encoding.decode(names).0;
        for pair in names.split('\t') {
            if let Some((short, long)) = pair.split_once('=') {
                if let Some(&i) = by_short.get(short) {
                    let long = long.trim_end_matches('\0');
                    if long.len() > MAX_NAME_BYTES {
                        return Err(format!(
                            "its long names record names the variable {short} with {} bytes; expected at most {MAX_NAME_BYTES}, as SPSS writes them",
                            long.len()
                        ));
                    }
                    variables[i].name = long.to_string();
                }
            }
        }
        Ok(())
    }

    /// Gives the variables their measurement levels (the display parameters record).
    fn measure(&self, variables: &mut [SavVariable]) {
        if let Some(display) = &self.display {
            let per = if display.len() == 3 * variables.len() {
                3
            } else {
                2
            };
            if display.len() == per * variables.len() {
                for (v, d) in variables.iter_mut().zip(display.chunks(per)) {
                    v.measure = d[0];
                }
            }
        }
    }

    /// Gives the numeric variables their value labels; `starts` is the variable that starts at each
    /// element. Each record's labels are read once and shared by the variables it names; a
    /// variable that several records name gets their labels joined, once for each such list of
    /// records. The labels held in all are at most [`MAX_VALUE_LABELS`].
    fn label(
        &self,
        variables: &mut [SavVariable],
        starts: &[Option<usize>],
        encoding: &'static Encoding,
        r: &Bytes,
    ) -> SavResult<()> {
        let mut held = 0;
        let mut hold = |n: usize| {
            held += n;
            if held > MAX_VALUE_LABELS {
                return Err(format!(
                    "its value labels add up to more than {MAX_VALUE_LABELS} (each set counted once however many variables share it); expected at most that many"
                ));
            }
            Ok(())
        };
        // the records that name each variable, in the file's order
        let mut records_of: Vec<Vec<usize>> = vec![Vec::new(); variables.len()];
        let mut sets = Vec::with_capacity(self.label_sets.len());
        for (k, (labels, vars)) in self.label_sets.iter().enumerate() {
            hold(labels.len())?;
            sets.push(Arc::new(ValueLabels::new(
                labels
                    .iter()
                    .map(|(value, label)| (r.float(*value), text(encoding, label)))
                    .collect(),
            )));
            for &index in vars {
                let var = index
                    .checked_sub(1)
                    .and_then(|e| starts.get(e).copied().flatten())
                    .ok_or_else(|| {
                        format!(
                            "a value label set names variable index {index}, which is not the start of a variable (1 to {}): the file is damaged",
                            starts.len()
                        )
                    })?;
                if variables[var].width == 0 {
                    records_of[var].push(k);
                }
            }
        }
        let mut joined: HashMap<Vec<usize>, Arc<ValueLabels>> = HashMap::new();
        for (v, records) in variables.iter_mut().zip(records_of) {
            v.labels = match records.as_slice() {
                [] => continue,
                [k] => Arc::clone(&sets[*k]),
                _ => match joined.get(&records) {
                    Some(labels) => Arc::clone(labels),
                    None => {
                        let pairs: Vec<(f64, String)> = records
                            .iter()
                            .flat_map(|&k| sets[k].iter().cloned())
                            .collect();
                        hold(pairs.len())?;
                        let labels = Arc::new(ValueLabels::new(pairs));
                        joined.insert(records, Arc::clone(&labels));
                        labels
                    }
                },
            };
        }
        Ok(())
    }
}

/// A variable's user-missing values as its record states them.
fn missing(v: &RawVariable, width: usize, encoding: &'static Encoding, r: &Bytes) -> Missing {
    let mut missing = Missing::default();
    let floats: Vec<f64> = v.missing.iter().map(|b| r.float(*b)).collect();
    if width == 0 {
        match v.missing_kind {
            -2 => missing.range = Some((floats[0], floats[1])),
            -3 => {
                missing.range = Some((floats[0], floats[1]));
                missing.values.push(floats[2]);
            }
            _ => missing.values = floats,
        }
    } else {
        missing.strings = v.missing.iter().map(|b| text(encoding, b)).collect();
    }
    missing
}

/// The encoding named by a code page number of the integer info record.
fn code_page(code: i32) -> Option<&'static Encoding> {
    match code {
        65001 => Some(encoding_rs::UTF_8),
        1252 => Some(encoding_rs::WINDOWS_1252),
        28591 => Some(encoding_rs::WINDOWS_1252),
        28605 => Some(encoding_rs::ISO_8859_15),
        1250 => Some(encoding_rs::WINDOWS_1250),
        2..=4 => None,
        _ => Encoding::for_label(format!("cp{code}").as_bytes()),
    }
}
