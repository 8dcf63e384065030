//! A copy of an SPSS file with numeric variables appended (`cluster --save-into`): every record
//! of the dictionary kept, the display parameters and long names extended, the new variables'
//! records and value labels written after the last variable, and the cases written again with the
//! same compression (a .zsav file's bytecode-compressed, so the copy is a .sav). The new variables'
//! short names clash with none of the file's, and their labels are cut at the end of a character.

use std::collections::HashSet;

use super::{Compression, RecordSpan, SavFile, SavResult, SYSMIS};

/// A numeric variable to add to a copy of the file.
pub(in crate::survey) struct NewVariable<'a> {
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

/// Writes numbers in the file's byte order.
#[derive(Clone, Copy)]
struct Order {
    big: bool,
}

impl Order {
    fn i32(self, x: i32) -> [u8; 4] {
        if self.big {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        }
    }

    fn f64(self, x: f64) -> [u8; 8] {
        if self.big {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        }
    }
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
        let order = Order {
            big: self.big_endian,
        };
        let mut out = self.header.clone();
        if self.compression == Compression::Zlib {
            out[..4].copy_from_slice(b"$FL2");
        }
        let case_size = (self.case_size + added.len()) as i32;
        out[68..72].copy_from_slice(&order.i32(case_size));
        if self.compression == Compression::Zlib {
            out[72..76].copy_from_slice(&order.i32(1));
        }
        let names = self.added_short_names(added.len());
        self.write_dictionary(added, &names, order, &mut out)?;
        self.write_cases(added, order, &mut out);
        Ok(out)
    }

    /// The short names of `n` added variables: `TF000001`, `TF000002` … skipping every short name
    /// the file has (compared as SPSS does, in upper case), so that no reader takes a variable of
    /// the user's for an added one.
    fn added_short_names(&self, n: usize) -> Vec<String> {
        let taken: HashSet<String> = (0..self.variables.len())
            .map(|i| self.short_name_of(i).to_ascii_uppercase())
            .collect();
        (1..)
            .map(|k| format!("TF{k:06}"))
            .filter(|name| !taken.contains(name))
            .take(n)
            .collect()
    }

    /// The short name of the file's variable `i`, as its variable record holds it.
    pub(super) fn short_name_of(&self, i: usize) -> String {
        let short_name = &self.source_bytes()[self.variable_name_at(i)..][..8];
        String::from_utf8_lossy(short_name).trim_end().to_string()
    }

    /// The dictionary's records with `added` after the last variable record, the display
    /// parameters and long names extended, and the end record.
    fn write_dictionary(
        &self,
        added: &[NewVariable],
        names: &[String],
        order: Order,
        out: &mut Vec<u8>,
    ) -> SavResult<()> {
        let i32b = |x: i32| order.i32(x);
        let source = |span: &RecordSpan| &self.source_bytes()[span.start..span.end];
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
                        text.extend_from_slice(format!("\t{}={}", names[i], v.name).as_bytes());
                    }
                    out.extend_from_slice(&extension(13, 1, &text, i32b));
                    long_names_written = true;
                }
                _ => out.extend_from_slice(source(span)),
            }
            if index == last_variable {
                self.write_variables(added, names, order, out);
            }
        }
        if !long_names_written {
            out.extend_from_slice(&extension(13, 1, &self.long_names(added, names), i32b));
        }
        out.extend_from_slice(&i32b(999));
        out.extend_from_slice(&i32b(0));
        Ok(())
    }

    /// The variable records of `added`, then a value label record for each that has labels.
    fn write_variables(
        &self,
        added: &[NewVariable],
        names: &[String],
        order: Order,
        out: &mut Vec<u8>,
    ) {
        let i32b = |x: i32| order.i32(x);
        for (i, v) in added.iter().enumerate() {
            out.extend_from_slice(&i32b(2));
            out.extend_from_slice(&i32b(0));
            out.extend_from_slice(&i32b(1));
            out.extend_from_slice(&i32b(0));
            let format = (5 << 16) | (8 << 8) | i32::from(v.decimals);
            out.extend_from_slice(&i32b(format));
            out.extend_from_slice(&i32b(format));
            let mut name = names[i].clone().into_bytes();
            name.resize(8, b' ');
            out.extend_from_slice(&name);
            let mut label = self.encode_cut(v.label, 255);
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
                out.extend_from_slice(&order.f64(*value));
                let mut label = self.encode_cut(label, 120);
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

    /// The text of a long names record for a file that has none: every variable's short name with
    /// its name, then the added ones.
    fn long_names(&self, added: &[NewVariable], names: &[String]) -> Vec<u8> {
        let mut text = Vec::new();
        for (i, v) in self.variables.iter().enumerate() {
            let short_name = self.short_name_of(i);
            if i > 0 {
                text.push(b'\t');
            }
            text.extend_from_slice(short_name.as_bytes());
            text.push(b'=');
            text.extend_from_slice(&self.encoding.encode(&v.name).0);
        }
        for (i, v) in added.iter().enumerate() {
            if !text.is_empty() {
                text.push(b'\t');
            }
            text.extend_from_slice(format!("{}={}", names[i], v.name).as_bytes());
        }
        text
    }

    /// Every case with the values of `added` after its own elements, compressed as the file's.
    fn write_cases(&self, added: &[NewVariable], order: Order, out: &mut Vec<u8>) {
        let mut numeric = self.numeric_elements.clone();
        numeric.extend(added.iter().map(|_| true));
        let mut case: Vec<[u8; 8]> = Vec::with_capacity(self.case_size + added.len());
        let mut writer = Compressor::new(
            self.compression != Compression::None,
            self.bias,
            self.big_endian,
        );
        for c in 0..self.cases {
            case.clear();
            case.extend_from_slice(&self.elements[c * self.case_size..(c + 1) * self.case_size]);
            case.extend(
                added
                    .iter()
                    .map(|v| order.f64(v.values[c].unwrap_or(SYSMIS))),
            );
            for (element, is_number) in case.iter().zip(&numeric) {
                writer.push(*element, *is_number, out);
            }
        }
        writer.finish(out);
    }

    /// `text` in the file's encoding, cut to at most `max` bytes at the end of a character (SPSS
    /// keeps a value label to 120 bytes, a variable label to 255).
    fn encode_cut(&self, text: &str, max: usize) -> Vec<u8> {
        let mut text = text;
        loop {
            let bytes = self.encoding.encode(text).0;
            if bytes.len() <= max {
                return bytes.into_owned();
            }
            let last = text.char_indices().next_back().map_or(0, |(i, _)| i);
            text = &text[..last];
        }
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
