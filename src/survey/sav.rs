//! Reading (and, for `cluster --save-into`, copying with variables added) SPSS system files,
//! `.sav` and `.zsav`, after the published description of the format (PSPP's manual, "System File
//! Format"): the dictionary (variables with their labels, value labels, user-missing values,
//! measurement level, long names, the character encoding) and the cases, uncompressed, bytecode
//! compressed or zlib compressed. Every length is checked against the bytes that are there, so a
//! truncated or damaged file is an error that says where, never a panic.

use std::io::Read;

use encoding_rs::Encoding;

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
    /// Value labels of a numeric variable, in the file's order.
    pub labels: Vec<(f64, String)>,
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

/// The values of one variable.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum SavColumn {
    /// System-missing as [`SYSMIS`].
    Numeric(Vec<f64>),
    /// Without trailing blanks.
    Text(Vec<String>),
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
    pub columns: Vec<SavColumn>,
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

/// Reads numbers and byte runs from the file, each checked against its end.
struct Bytes<'a> {
    bytes: &'a [u8],
    pos: usize,
    big: bool,
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize, what: &str) -> SavResult<&'a [u8]> {
        match self.pos.checked_add(n) {
            Some(end) if end <= self.bytes.len() => {
                let slice = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(slice)
            }
            _ => Err(format!(
                "the file ends at byte {} inside {what} (it needs {n} more bytes from byte {}): the file is truncated",
                self.bytes.len(),
                self.pos
            )),
        }
    }

    fn i32(&mut self, what: &str) -> SavResult<i32> {
        let b: [u8; 4] = self.take(4, what)?.try_into().expect("4 bytes");
        Ok(if self.big {
            i32::from_be_bytes(b)
        } else {
            i32::from_le_bytes(b)
        })
    }

    fn f64(&mut self, what: &str) -> SavResult<f64> {
        let b: [u8; 8] = self.take(8, what)?.try_into().expect("8 bytes");
        Ok(self.float(b))
    }

    fn i64(&mut self, what: &str) -> SavResult<i64> {
        let b: [u8; 8] = self.take(8, what)?.try_into().expect("8 bytes");
        Ok(if self.big {
            i64::from_be_bytes(b)
        } else {
            i64::from_le_bytes(b)
        })
    }

    fn float(&self, b: [u8; 8]) -> f64 {
        if self.big {
            f64::from_be_bytes(b)
        } else {
            f64::from_le_bytes(b)
        }
    }

    /// A count that must fit in the bytes left, each item `each` bytes long.
    fn count(&mut self, each: usize, what: &str) -> SavResult<usize> {
        let n = self.i32(what)?;
        let left = self.bytes.len() - self.pos;
        if n < 0 || (n as usize).saturating_mul(each) > left {
            return Err(format!(
                "{what} at byte {} is {n}, which does not fit in the {left} bytes left: the file is damaged or truncated",
                self.pos - 4
            ));
        }
        Ok(n as usize)
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

/// Whether the bytes start like an SPSS system file.
pub(super) fn is_sav(bytes: &[u8]) -> bool {
    bytes.starts_with(b"$FL2") || bytes.starts_with(b"$FL3")
}

fn text(encoding: &'static Encoding, bytes: &[u8]) -> String {
    let (s, _, _) = encoding.decode(bytes);
    s.trim_end_matches([' ', '\0']).to_string()
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

impl SavFile {
    /// Reads a system file from its bytes.
    pub fn parse(bytes: &[u8]) -> SavResult<SavFile> {
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
        let product = r.take(60, "the header record")?.to_vec();
        r.i32("the header record")?;
        let nominal = r.i32("the header record")?;
        let compression = match r.i32("the header record")? {
            0 => Compression::None,
            1 => Compression::Bytecode,
            2 if zlib_file => Compression::Zlib,
            c => return Err(format!("its header names compression {c}, which is not one of 0 (none), 1 (bytecode) or 2 (zlib, in a .zsav file)")),
        };
        r.i32("the header record")?; // weight index
        let header_cases = r.i32("the header record")?;
        let bias = r.f64("the header record")?;
        r.take(17, "the header record")?; // creation date and time
        let file_label = r.take(64, "the header record")?.to_vec();
        r.take(3, "the header record")?;
        let header = bytes[..r.pos].to_vec();

        let mut raw_vars: Vec<RawVariable> = Vec::new();
        let mut label_sets: Vec<LabelSet> = Vec::new();
        let mut documents: Vec<Vec<u8>> = Vec::new();
        let mut records = Vec::new();
        let mut encoding_name: Option<Vec<u8>> = None;
        let mut character_code = None;
        let mut long_names: Option<Vec<u8>> = None;
        let mut display: Option<Vec<i32>> = None;
        let dictionary_end;
        loop {
            let start = r.pos;
            let kind = r.i32("a dictionary record")?;
            let mut subtype = 0;
            match kind {
                2 => {
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
                        m => return Err(format!("variable record at byte {start} has missing-value count {m}, expected -3 to 3")),
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
                    raw_vars.push(RawVariable {
                        width,
                        name,
                        label,
                        missing,
                        missing_kind,
                        decimals: (print & 0xFF) as u8,
                    });
                }
                3 => {
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
                    label_sets.push((labels, vars));
                }
                6 => {
                    let n = r.count(80, "a document record's line count")?;
                    for _ in 0..n {
                        documents.push(r.take(80, "a document line")?.to_vec());
                    }
                }
                7 => {
                    subtype = r.i32("an extension record")?;
                    let size = r.i32("an extension record")?;
                    let count = r.i32("an extension record")?;
                    let len = (size.max(0) as usize).saturating_mul(count.max(0) as usize);
                    if size < 0 || count < 0 {
                        return Err(format!("extension record at byte {start} has a negative size"));
                    }
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
                        3 if size == 4 && count >= 8 => character_code = Some(ints()[7]),
                        11 if size == 4 => display = Some(ints()),
                        13 => long_names = Some(data.to_vec()),
                        14 => {
                            return Err("it holds string variables longer than 255 bytes (very long strings), which typfrage does not read".into())
                        }
                        20 => encoding_name = Some(data.to_vec()),
                        _ => {}
                    }
                }
                999 => {
                    dictionary_end = start;
                    r.i32("the dictionary's end record")?;
                    break;
                }
                k => {
                    return Err(format!(
                        "at byte {start} a dictionary record of type {k} starts, expected 2, 3, 6, 7 or 999: the file is damaged"
                    ))
                }
            }
            records.push(RecordSpan {
                kind,
                subtype,
                start,
                end: r.pos,
            });
        }

        let (encoding, encoding_source) = match &encoding_name {
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
            None => match character_code.and_then(code_page) {
                Some(e) => (e, "its code page"),
                None => (
                    encoding_rs::WINDOWS_1252,
                    "no encoding stated: Windows-1252, as older SPSS writes",
                ),
            },
        };

        // variables: one per record that is not a string continuation
        let case_size = raw_vars.len();
        if nominal >= 0 && nominal as usize != case_size {
            return Err(format!(
                "its header says a case has {nominal} elements, the dictionary has {case_size}: the file is damaged"
            ));
        }
        let mut numeric_elements = Vec::with_capacity(case_size);
        let mut variables: Vec<SavVariable> = Vec::new();
        let mut starts = vec![None; case_size];
        let mut i = 0;
        while i < raw_vars.len() {
            let v = &raw_vars[i];
            if v.width < 0 {
                return Err(format!(
                    "element {} is a string continuation without a string before it: the file is damaged",
                    i + 1
                ));
            }
            let width = v.width as usize;
            let elements = if width == 0 { 1 } else { width.div_ceil(8) };
            for k in 1..elements {
                if raw_vars.get(i + k).is_none_or(|c| c.width != -1) {
                    return Err(format!(
                        "the string variable {} of width {width} lacks its continuation records",
                        text(encoding, &v.name)
                    ));
                }
            }
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
            starts[i] = Some(variables.len());
            variables.push(SavVariable {
                name: text(encoding, &v.name),
                label: v.label.as_ref().map(|l| text(encoding, l)),
                width,
                element: i,
                missing,
                labels: Vec::new(),
                measure: 0,
                decimals: v.decimals,
            });
            for k in 0..elements {
                numeric_elements.push(width == 0 && k == 0);
            }
            i += elements;
        }
        if let Some(names) = &long_names {
            let names = encoding.decode(names).0.into_owned();
            for pair in names.split('\t') {
                if let Some((short, long)) = pair.split_once('=') {
                    if let Some(v) = variables.iter_mut().find(|v| v.name == short) {
                        v.name = long.trim_end_matches('\0').to_string();
                    }
                }
            }
        }
        if let Some(display) = &display {
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
        for (labels, vars) in &label_sets {
            for &index in vars {
                let var = index
                    .checked_sub(1)
                    .and_then(|e| starts.get(e).copied().flatten())
                    .ok_or_else(|| {
                        format!(
                            "a value label set names variable index {index}, which is not the start of a variable (1 to {case_size}): the file is damaged"
                        )
                    })?;
                let v = &mut variables[var];
                if v.width == 0 {
                    v.labels.extend(
                        labels
                            .iter()
                            .map(|(value, label)| (r.float(*value), text(encoding, label))),
                    );
                }
            }
        }

        // the cases
        let data_start = r.pos;
        let elements = match compression {
            Compression::None => {
                let data = &bytes[data_start..];
                let whole = data.len() / 8;
                (0..whole)
                    .map(|k| data[8 * k..8 * k + 8].try_into().expect("8"))
                    .collect::<Vec<[u8; 8]>>()
            }
            Compression::Bytecode => decompress(&bytes[data_start..], bias, big, data_start)?,
            Compression::Zlib => {
                let inflated = inflate(&mut r)?;
                decompress(&inflated, bias, big, 0)?
            }
        };
        if case_size == 0 {
            return Err("its dictionary has no variables".into());
        }
        let cases = elements.len() / case_size;
        if elements.len() % case_size != 0 || (header_cases >= 0 && header_cases as usize != cases)
        {
            let stated = if header_cases >= 0 {
                format!("its header says {header_cases} cases, ")
            } else {
                String::new()
            };
            return Err(format!(
                "{stated}the data hold {cases} whole cases and {} elements of another: the file is truncated or damaged",
                elements.len() % case_size
            ));
        }
        let mut columns = Vec::with_capacity(variables.len());
        for v in &variables {
            let cells = (0..cases).map(|c| &elements[c * case_size + v.element..]);
            columns.push(if v.width == 0 {
                SavColumn::Numeric(cells.map(|e| r.float(e[0])).collect())
            } else {
                SavColumn::Text(
                    cells
                        .map(|e| {
                            let raw: Vec<u8> =
                                e[..v.elements()].iter().flatten().copied().collect();
                            text(encoding, &raw[..v.width])
                        })
                        .collect(),
                )
            });
        }
        Ok(SavFile {
            product: text(encoding, &product),
            file_label: text(encoding, &file_label),
            documents: documents.iter().map(|d| text(encoding, d)).collect(),
            encoding,
            encoding_source,
            compression,
            variables,
            columns,
            cases,
            big_endian: big,
            bias,
            case_size,
            numeric_elements,
            records,
            elements,
            header,
            source: bytes[..dictionary_end].to_vec(),
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

/// The bytecode-compressed data as 8-byte elements. `offset` is where `data` starts in the file.
fn decompress(data: &[u8], bias: f64, big: bool, offset: usize) -> SavResult<Vec<[u8; 8]>> {
    let number = |x: f64| {
        if big {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        }
    };
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut pos = 0;
    'blocks: while pos + 8 <= data.len() {
        let commands: [u8; 8] = data[pos..pos + 8].try_into().expect("8");
        pos += 8;
        for c in commands {
            match c {
                0 => {}
                1..=251 => out.push(number(f64::from(c) - bias)),
                252 => break 'blocks,
                253 => {
                    let Some(raw) = data.get(pos..pos + 8) else {
                        return Err(format!(
                            "the file ends at byte {} inside a compressed value: the file is truncated",
                            offset + data.len()
                        ));
                    };
                    out.push(raw.try_into().expect("8"));
                    pos += 8;
                }
                254 => out.push(*b"        "),
                255 => out.push(number(SYSMIS)),
            }
        }
    }
    Ok(out)
}

/// The zlib-compressed data of a .zsav file, inflated (blocks as its trailer lists them).
fn inflate(r: &mut Bytes) -> SavResult<Vec<u8>> {
    let what = "the zlib data header";
    let header_at = r.pos;
    let _ = r.i64(what)?;
    let trailer_at = r.i64(what)?;
    let trailer_len = r.i64(what)?;
    let bad = |m: &str| format!("its zlib data {m}: the file is damaged or truncated");
    if trailer_at < 0 || trailer_at as usize > r.bytes.len() || trailer_len < 24 {
        return Err(bad(&format!(
            "header at byte {header_at} points past the end of the file ({trailer_at})"
        )));
    }
    let mut t = Bytes {
        bytes: r.bytes,
        pos: trailer_at as usize,
        big: r.big,
    };
    t.i64("the zlib trailer")?;
    t.i64("the zlib trailer")?;
    t.i32("the zlib trailer")?;
    let blocks = t.count(24, "the zlib trailer's block count")?;
    let mut out = Vec::new();
    for _ in 0..blocks {
        let _ = t.i64("a zlib block entry")?;
        let at = t.i64("a zlib block entry")?;
        let _ = t.i32("a zlib block entry")?;
        let size = t.i32("a zlib block entry")?;
        let (at, size) = (at.max(0) as usize, size.max(0) as usize);
        let block = r
            .bytes
            .get(at..at.saturating_add(size))
            .ok_or_else(|| bad("names a block beyond the end of the file"))?;
        flate2::read::ZlibDecoder::new(block)
            .read_to_end(&mut out)
            .map_err(|e| bad(&format!("block at byte {at} cannot be inflated ({e})")))?;
    }
    Ok(out)
}

/// A numeric variable to add to a copy of the file.
pub(super) struct NewVariable<'a> {
    pub name: &'a str,
    pub label: &'a str,
    /// Decimals shown.
    pub decimals: u8,
    /// 1 nominal, 3 scale.
    pub measure: i32,
    pub labels: Vec<(f64, String)>,
    /// One value per case; `None` is system-missing.
    pub values: Vec<Option<f64>>,
}

impl SavFile {
    /// A copy of the file with `added` appended as numeric variables: every record of the
    /// dictionary is kept, the variables' display parameters and long names are extended, and the
    /// cases are written with the same compression (a .zsav file's cases bytecode-compressed, so
    /// the copy is a .sav).
    pub fn with_variables(&self, added: &[NewVariable]) -> SavResult<Vec<u8>> {
        for v in added {
            if self
                .variables
                .iter()
                .any(|x| x.name.eq_ignore_ascii_case(v.name))
            {
                return Err(format!(
                    "the file already has a variable named '{}'; typfrage adds it and does not replace it",
                    v.name
                ));
            }
            if v.values.len() != self.cases {
                return Err(format!(
                    "{} values for {} cases",
                    v.values.len(),
                    self.cases
                ));
            }
        }
        let big = self.big_endian;
        let i32b = |x: i32| {
            if big {
                x.to_be_bytes()
            } else {
                x.to_le_bytes()
            }
        };
        let f64b = |x: f64| {
            if big {
                x.to_be_bytes()
            } else {
                x.to_le_bytes()
            }
        };
        let encode = |s: &str| self.encoding.encode(s).0.into_owned();
        let source = |span: &RecordSpan| &self.source_bytes()[span.start..span.end];

        let mut out = self.header.clone();
        if self.compression == Compression::Zlib {
            out[..4].copy_from_slice(b"$FL2");
        }
        let case_size = (self.case_size + added.len()) as i32;
        out[68..72].copy_from_slice(&i32b(case_size));
        if self.compression == Compression::Zlib {
            out[72..76].copy_from_slice(&i32b(1));
        }
        let short = |i: usize| format!("TF{:06}", i + 1);
        let last_variable = self
            .records
            .iter()
            .rposition(|s| s.kind == 2)
            .ok_or("its dictionary has no variables")?;
        let mut long_names_written = false;
        for (index, span) in self.records.iter().enumerate() {
            match (span.kind, span.subtype) {
                (7, 11) => {
                    let mut rec = source(span).to_vec();
                    let per = (span.end - span.start - 16) / 4 / self.variables.len().max(1);
                    for v in added {
                        let entry = [v.measure, 8, 1];
                        for x in &entry[..per.clamp(2, 3)] {
                            rec.extend_from_slice(&i32b(*x));
                        }
                    }
                    let count = ((rec.len() - 16) / 4) as i32;
                    rec[12..16].copy_from_slice(&i32b(count));
                    out.extend_from_slice(&rec);
                }
                (7, 13) => {
                    let mut text = source(span)[16..].to_vec();
                    for (i, v) in added.iter().enumerate() {
                        text.extend_from_slice(format!("\t{}={}", short(i), v.name).as_bytes());
                    }
                    out.extend_from_slice(&extension(13, 1, &text, i32b));
                    long_names_written = true;
                }
                _ => out.extend_from_slice(source(span)),
            }
            if index == last_variable {
                for (i, v) in added.iter().enumerate() {
                    out.extend_from_slice(&i32b(2));
                    out.extend_from_slice(&i32b(0));
                    out.extend_from_slice(&i32b(1));
                    out.extend_from_slice(&i32b(0));
                    let format = (5 << 16) | (8 << 8) | i32::from(v.decimals);
                    out.extend_from_slice(&i32b(format));
                    out.extend_from_slice(&i32b(format));
                    let mut name = short(i).into_bytes();
                    name.resize(8, b' ');
                    out.extend_from_slice(&name);
                    let mut label = encode(v.label);
                    label.truncate(255);
                    out.extend_from_slice(&i32b(label.len() as i32));
                    label.resize(label.len().div_ceil(4) * 4, b' ');
                    out.extend_from_slice(&label);
                }
                for (i, v) in added.iter().enumerate() {
                    if v.labels.is_empty() {
                        continue;
                    }
                    out.extend_from_slice(&i32b(3));
                    out.extend_from_slice(&i32b(v.labels.len() as i32));
                    for (value, label) in &v.labels {
                        out.extend_from_slice(&f64b(*value));
                        let mut label = encode(label);
                        label.truncate(120);
                        out.push(label.len() as u8);
                        let padded = (label.len() + 1).div_ceil(8) * 8 - 1;
                        label.resize(padded, b' ');
                        out.extend_from_slice(&label);
                    }
                    out.extend_from_slice(&i32b(4));
                    out.extend_from_slice(&i32b(1));
                    out.extend_from_slice(&i32b((self.case_size + i + 1) as i32));
                }
            }
        }
        if !long_names_written {
            let mut text = Vec::new();
            for (i, v) in self.variables.iter().enumerate() {
                let short_name = &self.source_bytes()[self.variable_name_at(i)..][..8];
                let short_name = String::from_utf8_lossy(short_name).trim_end().to_string();
                if i > 0 {
                    text.push(b'\t');
                }
                text.extend_from_slice(short_name.as_bytes());
                text.push(b'=');
                text.extend_from_slice(&encode(&v.name));
            }
            for (i, v) in added.iter().enumerate() {
                if !text.is_empty() {
                    text.push(b'\t');
                }
                text.extend_from_slice(format!("{}={}", short(i), v.name).as_bytes());
            }
            out.extend_from_slice(&extension(13, 1, &text, i32b));
        }
        out.extend_from_slice(&i32b(999));
        out.extend_from_slice(&i32b(0));

        let mut numeric = self.numeric_elements.clone();
        numeric.extend(added.iter().map(|_| true));
        let mut case: Vec<[u8; 8]> = Vec::with_capacity(case_size as usize);
        let mut writer = Compressor::new(self.compression != Compression::None, self.bias, big);
        for c in 0..self.cases {
            case.clear();
            case.extend_from_slice(&self.elements[c * self.case_size..(c + 1) * self.case_size]);
            case.extend(added.iter().map(|v| f64b(v.values[c].unwrap_or(SYSMIS))));
            for (element, is_number) in case.iter().zip(&numeric) {
                writer.push(*element, *is_number, &mut out);
            }
        }
        writer.finish(&mut out);
        Ok(out)
    }

    fn source_bytes(&self) -> &[u8] {
        &self.source
    }

    /// Byte offset of the 8-byte short name in the record of variable `i`.
    fn variable_name_at(&self, i: usize) -> usize {
        let element = self.variables[i].element;
        let span = self
            .records
            .iter()
            .filter(|s| s.kind == 2)
            .nth(element)
            .expect("a record per element");
        span.start + 24
    }
}

/// An extension record of one-byte items.
fn extension(subtype: i32, size: i32, data: &[u8], i32b: impl Fn(i32) -> [u8; 4]) -> Vec<u8> {
    let mut rec = Vec::with_capacity(16 + data.len());
    rec.extend_from_slice(&i32b(7));
    rec.extend_from_slice(&i32b(subtype));
    rec.extend_from_slice(&i32b(size));
    rec.extend_from_slice(&i32b(data.len() as i32));
    rec.extend_from_slice(data);
    rec
}

/// Writes elements uncompressed or bytecode-compressed.
struct Compressor {
    compress: bool,
    bias: f64,
    big: bool,
    commands: Vec<u8>,
    literals: Vec<u8>,
}

impl Compressor {
    fn new(compress: bool, bias: f64, big: bool) -> Compressor {
        Compressor {
            compress,
            bias,
            big,
            commands: Vec::with_capacity(8),
            literals: Vec::with_capacity(64),
        }
    }

    fn push(&mut self, element: [u8; 8], is_number: bool, out: &mut Vec<u8>) {
        if !self.compress {
            out.extend_from_slice(&element);
            return;
        }
        let command = if is_number {
            let x = if self.big {
                f64::from_be_bytes(element)
            } else {
                f64::from_le_bytes(element)
            };
            let code = x + self.bias;
            if x == SYSMIS {
                255
            } else if code.fract() == 0.0 && (1.0..=251.0).contains(&code) {
                code as u8
            } else {
                253
            }
        } else if element == *b"        " {
            254
        } else {
            253
        };
        if command == 253 {
            self.literals.extend_from_slice(&element);
        }
        self.commands.push(command);
        if self.commands.len() == 8 {
            self.flush(out);
        }
    }

    fn flush(&mut self, out: &mut Vec<u8>) {
        self.commands.resize(8, 0);
        out.extend_from_slice(&self.commands);
        out.append(&mut self.literals);
        self.commands.clear();
    }

    fn finish(&mut self, out: &mut Vec<u8>) {
        if self.compress && !self.commands.is_empty() {
            self.flush(out);
        }
    }
}

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
        assert!(status
            .labels
            .contains(&(-8.0, "trifft nicht zu (Filterführung)".into())));
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
}
