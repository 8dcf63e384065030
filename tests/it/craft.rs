//! Hostile survey files made byte by byte: SPSS system files (.sav, .zsav) and workbooks (.xlsx,
//! .ods, .xls, .xlsb) that are small on disk but ask a reader for far more than they honestly
//! hold. The writers follow the published formats (PSPP's "System File Format"; ECMA-376, ODF,
//! MS-XLS's BIFF8 records in a compound file written by the `cfb` crate, MS-XLSB's records in a
//! zip archive) only as far as the readers need.
#![allow(dead_code)]

use std::io::Write;

/// An SPSS system file written record by record (little-endian, bias 100).
pub struct Sav {
    zlib: bool,
    compressed: bool,
    /// The dictionary's records after the header, up to the end record.
    records: Vec<u8>,
    /// The elements of a case.
    case_size: usize,
    /// The cases stated in the header (-1: not stated).
    cases: i32,
}

pub const BIAS: f64 = 100.0;

impl Sav {
    /// A file whose cases are bytecode-compressed (zlib-compressed on top for `.zsav`).
    pub fn new(zlib: bool) -> Sav {
        Sav {
            zlib,
            compressed: true,
            records: Vec::new(),
            case_size: 0,
            cases: -1,
        }
    }

    /// A file whose cases are stored uncompressed.
    pub fn uncompressed() -> Sav {
        Sav {
            compressed: false,
            ..Sav::new(false)
        }
    }

    pub fn cases(mut self, n: i32) -> Sav {
        self.cases = n;
        self
    }

    fn i32(&mut self, x: i32) {
        self.records.extend_from_slice(&x.to_le_bytes());
    }

    /// A numeric variable with an 8-byte short name (padded), `missing` its discrete user-missing
    /// values (at most 3), `range` a user-missing range.
    pub fn numeric(&mut self, name: &str, missing: &[f64], range: Option<(f64, f64)>) {
        self.i32(2);
        self.i32(0);
        self.i32(0);
        let kind = match range {
            Some(_) => -2 - missing.len().min(1) as i32,
            None => missing.len() as i32,
        };
        self.i32(kind);
        self.i32((5 << 16) | (8 << 8));
        self.i32((5 << 16) | (8 << 8));
        let mut short = name.as_bytes().to_vec();
        short.resize(8, b' ');
        self.records.extend_from_slice(&short[..8]);
        if let Some((lo, hi)) = range {
            self.records.extend_from_slice(&lo.to_le_bytes());
            self.records.extend_from_slice(&hi.to_le_bytes());
        }
        for x in missing.iter().take(if range.is_some() { 1 } else { 3 }) {
            self.records.extend_from_slice(&x.to_le_bytes());
        }
        self.case_size += 1;
    }

    /// A string variable of `width` bytes (1-255), with its continuation records.
    pub fn string(&mut self, name: &str, width: i32) {
        let mut record = |width: i32, name: &[u8]| {
            self.i32(2);
            self.i32(width);
            self.i32(0);
            self.i32(0);
            self.i32((1 << 16) | (width.max(1) << 8));
            self.i32((1 << 16) | (width.max(1) << 8));
            let mut short = name.to_vec();
            short.resize(8, b' ');
            self.records.extend_from_slice(&short[..8]);
        };
        record(width, name.as_bytes());
        for _ in 1..(width as usize).div_ceil(8) {
            record(-1, b"");
        }
        self.case_size += (width as usize).div_ceil(8);
    }

    /// A value label record with its labels, naming the variables at the 1-based elements
    /// `elements`.
    pub fn value_labels(&mut self, labels: &[(f64, String)], elements: &[i32]) {
        self.i32(3);
        self.i32(labels.len() as i32);
        for (value, label) in labels {
            self.records.extend_from_slice(&value.to_le_bytes());
            let bytes = &label.as_bytes()[..label.len().min(255)];
            self.records.push(bytes.len() as u8);
            let mut padded = bytes.to_vec();
            padded.resize((bytes.len() + 1).div_ceil(8) * 8 - 1, b' ');
            self.records.extend_from_slice(&padded);
        }
        self.i32(4);
        self.i32(elements.len() as i32);
        for e in elements {
            self.i32(*e);
        }
    }

    /// An extension record (type 7) of `count` items of `size` bytes.
    pub fn extension(&mut self, subtype: i32, size: i32, data: &[u8]) {
        self.i32(7);
        self.i32(subtype);
        self.i32(size);
        self.i32(data.len() as i32 / size);
        self.records.extend_from_slice(data);
    }

    /// The long names record: `SHORT=long` pairs.
    pub fn long_names(&mut self, pairs: &[(String, String)]) {
        let text: Vec<String> = pairs.iter().map(|(s, l)| format!("{s}={l}")).collect();
        self.extension(13, 1, text.join("\t").as_bytes());
    }

    /// The UTF-8 encoding record.
    pub fn utf8(&mut self) {
        self.extension(20, 1, b"UTF-8");
    }

    fn header(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(176);
        h.extend_from_slice(if self.zlib { b"$FL3" } else { b"$FL2" });
        let mut product = b"@(#) SPSS DATA FILE typfrage test craft".to_vec();
        product.resize(60, b' ');
        h.extend_from_slice(&product);
        h.extend_from_slice(&2i32.to_le_bytes());
        h.extend_from_slice(&(self.case_size as i32).to_le_bytes());
        let compression: i32 = match (self.zlib, self.compressed) {
            (true, _) => 2,
            (false, true) => 1,
            (false, false) => 0,
        };
        h.extend_from_slice(&compression.to_le_bytes());
        h.extend_from_slice(&0i32.to_le_bytes());
        h.extend_from_slice(&self.cases.to_le_bytes());
        h.extend_from_slice(&BIAS.to_le_bytes());
        h.extend_from_slice(b"01 Jan 2526:00:00");
        h.extend_from_slice(&[b' '; 64]);
        h.extend_from_slice(&[0; 3]);
        assert_eq!(h.len(), 176);
        h
    }

    /// The header and the dictionary, up to and including the end record.
    pub fn dictionary(&self) -> Vec<u8> {
        let mut out = self.header();
        out.extend_from_slice(&self.records);
        out.extend_from_slice(&999i32.to_le_bytes());
        out.extend_from_slice(&0i32.to_le_bytes());
        out
    }

    /// The file with `data` as its cases: bytecode (or raw elements when uncompressed), written
    /// in zlib blocks of [`BLOCK_SIZE`] for a `.zsav`.
    pub fn finish(&self, data: &[u8]) -> Vec<u8> {
        let mut out = self.dictionary();
        if !self.zlib {
            out.extend_from_slice(data);
            return out;
        }
        let blocks: Vec<(Vec<u8>, usize)> = data
            .chunks(BLOCK_SIZE)
            .map(|chunk| (zlib(chunk), chunk.len()))
            .collect();
        let at = out.len();
        out.extend(zsav_blocks(at, &blocks));
        out
    }
}

/// Deflates `data` with a zlib header.
pub fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// The inflated size of a .zsav file's blocks, as PSPP writes them.
pub const BLOCK_SIZE: usize = 0x3ff000;

/// A .zsav file's data after the dictionary (which ends at `at`): the zlib header, the compressed
/// `blocks` (each with its inflated size) one after another, and the trailer listing them.
pub fn zsav_blocks(at: usize, blocks: &[(Vec<u8>, usize)]) -> Vec<u8> {
    let header_at = at as i64;
    let mut block_at = header_at + 24;
    let mut data = Vec::new();
    let mut entries = Vec::new();
    let mut inflated_at = header_at;
    for (block, size) in blocks {
        entries.push((inflated_at, block_at, *size as i32, block.len() as i32));
        data.extend_from_slice(block);
        block_at += block.len() as i64;
        inflated_at += *size as i64;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&header_at.to_le_bytes());
    out.extend_from_slice(&block_at.to_le_bytes());
    out.extend_from_slice(&(24 + 24 * entries.len() as i64).to_le_bytes());
    out.extend_from_slice(&data);
    out.extend_from_slice(&(-(BIAS as i64)).to_le_bytes());
    out.extend_from_slice(&0i64.to_le_bytes());
    out.extend_from_slice(&(BLOCK_SIZE as i32).to_le_bytes());
    out.extend_from_slice(&(entries.len() as i32).to_le_bytes());
    for (inflated, compressed, size, len) in entries {
        out.extend_from_slice(&inflated.to_le_bytes());
        out.extend_from_slice(&compressed.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
    }
    out
}

/// A .zsav file's data after the dictionary (which ends at `at`): the zlib header, one compressed
/// `block`, and a trailer listing `entries` (each the block's offset in the inflated data and its
/// inflated size; every entry points at the one block).
pub fn zsav_data(at: usize, block: &[u8], entries: &[(usize, usize)]) -> Vec<u8> {
    let header_at = at as i64;
    let block_at = header_at + 24;
    let trailer_at = block_at + block.len() as i64;
    let trailer_len = 24 + 24 * entries.len() as i64;
    let mut out = Vec::new();
    out.extend_from_slice(&header_at.to_le_bytes());
    out.extend_from_slice(&trailer_at.to_le_bytes());
    out.extend_from_slice(&trailer_len.to_le_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(&(-(BIAS as i64)).to_le_bytes());
    out.extend_from_slice(&0i64.to_le_bytes());
    out.extend_from_slice(&0x3ff000i32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as i32).to_le_bytes());
    for &(offset, size) in entries {
        out.extend_from_slice(&(header_at + offset as i64).to_le_bytes());
        out.extend_from_slice(&block_at.to_le_bytes());
        out.extend_from_slice(&(size as i32).to_le_bytes());
        out.extend_from_slice(&(block.len() as i32).to_le_bytes());
    }
    out
}

/// Bytecode for `cases` cases of `codes` (each a small whole number, stored as one command byte)
/// per case.
pub fn bytecode(cases: usize, codes: &[f64]) -> Vec<u8> {
    compress((0..cases).flat_map(|_| codes.iter().copied()))
}

/// A value that [`compress`] writes as eight blanks of a string (command 254).
pub const STRING_BLANKS: f64 = f64::MAX;

/// Bytecode for the numbers `values`, in order: a whole number from 1 - bias to 251 - bias as its
/// command byte, any other after a 253 command as 8 bytes.
pub fn compress(values: impl IntoIterator<Item = f64>) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut commands, mut literals) = (Vec::with_capacity(8), Vec::new());
    let flush = |commands: &mut Vec<u8>, literals: &mut Vec<u8>, out: &mut Vec<u8>| {
        commands.resize(8, 0);
        out.extend_from_slice(commands);
        out.append(literals);
        commands.clear();
    };
    for x in values {
        let code = x + BIAS;
        if x == STRING_BLANKS {
            commands.push(254);
        } else if code.fract() == 0.0 && (1.0..=251.0).contains(&code) {
            commands.push(code as u8);
        } else {
            commands.push(253);
            literals.extend_from_slice(&x.to_le_bytes());
        }
        if commands.len() == 8 {
            flush(&mut commands, &mut literals, &mut out);
        }
    }
    if !commands.is_empty() {
        flush(&mut commands, &mut literals, &mut out);
    }
    out
}

/// A zip archive of `entries` (name, bytes), deflated.
pub fn zip(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        let options = if *name == "mimetype" {
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
        } else {
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(9))
        };
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The entries of a zip archive (a workbook): name and contents, in order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read as _;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (entry.name().unwrap().into_owned(), data)
        })
        .collect()
}

/// An .xlsx workbook of one sheet `Befragung` whose worksheet XML holds `sheet_data` (the rows
/// inside `<sheetData>`) and whose shared strings are `shared`.
pub fn xlsx(sheet_data: &str, shared: &[String]) -> Vec<u8> {
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Befragung" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut strings = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">"#,
        shared.len()
    );
    for s in shared {
        strings.push_str("<si><t>");
        strings.push_str(s);
        strings.push_str("</t></si>");
    }
    strings.push_str("</sst>");
    zip(&[
        ("[Content_Types].xml", content_types.as_bytes().to_vec()),
        ("_rels/.rels", rels.as_bytes().to_vec()),
        ("xl/workbook.xml", workbook.as_bytes().to_vec()),
        (
            "xl/_rels/workbook.xml.rels",
            workbook_rels.as_bytes().to_vec(),
        ),
        ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
        ("xl/sharedStrings.xml", strings.into_bytes()),
    ])
}

/// An .ods spreadsheet whose one table `Befragung` holds `rows` (the `<table:table-row>`
/// elements).
pub fn ods(rows: &str) -> Vec<u8> {
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Befragung">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
        ),
        ("META-INF/manifest.xml", manifest.as_bytes().to_vec()),
        ("content.xml", content.into_bytes()),
    ])
}

/// An ODS cell holding `text` (a string cell).
pub fn ods_text(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// An ODS cell holding the number `x`.
pub fn ods_number(x: f64) -> String {
    format!(
        r#"<table:table-cell office:value-type="float" office:value="{x}"><text:p>{x}</text:p></table:table-cell>"#
    )
}

/// A cell of a crafted .xls sheet: a number or a text at (row, column), from 0.
pub enum XlsCell {
    Number(u16, u16, f64),
    Text(u16, u16, String),
    /// A cell showing the shared string of this index (a LabelSst record).
    Shared(u16, u16, u32),
}

/// One BIFF record: type, length, data.
fn biff(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = typ.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
    out
}

/// An .xls workbook (BIFF8 in a compound file) with one sheet named `name` holding `cells`; its
/// DIMENSIONS record declares rows `rows.0 .. rows.1` and columns `columns.0 .. columns.1` (end
/// exclusive, as the format has it), which a crafted file may set apart from the cells.
pub fn xls(name: &str, cells: &[XlsCell], rows: (u32, u32), columns: (u16, u16)) -> Vec<u8> {
    xls_with_strings(name, &[], cells, rows, columns, 1)
}

/// The SST record of `strings` (one byte per character: ASCII text) and the CONTINUE records it
/// needs: a record holds at most 8,224 bytes, a string's characters go on in the next record
/// after a byte that says they are one byte each.
fn sst(strings: &[String]) -> Vec<u8> {
    const MOST: usize = 8224;
    let mut pieces = Vec::new();
    let mut piece = (strings.len() as u32).to_le_bytes().repeat(2);
    for s in strings {
        if piece.len() + 3 > MOST {
            pieces.push(std::mem::take(&mut piece));
        }
        piece.extend((s.len() as u16).to_le_bytes());
        piece.push(0);
        let mut rest = s.as_bytes();
        loop {
            let n = (MOST - piece.len()).min(rest.len());
            piece.extend(&rest[..n]);
            rest = &rest[n..];
            if rest.is_empty() {
                break;
            }
            pieces.push(std::mem::take(&mut piece));
            piece.push(0);
        }
    }
    pieces.push(piece);
    let mut out = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        out.extend(biff(if i == 0 { 0x00FC } else { 0x003C }, p));
    }
    out
}

/// [`xls`] with the shared strings `strings` (an SST record when there are any), which
/// [`XlsCell::Shared`] cells show, and the sheet listed `listings` times (each listing naming the
/// same sheet substream).
pub fn xls_with_strings(
    name: &str,
    strings: &[String],
    cells: &[XlsCell],
    rows: (u32, u32),
    columns: (u16, u16),
    listings: usize,
) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(kind.to_le_bytes());
        d.extend([0u8; 12]);
        biff(0x0809, &d)
    };
    let bound_sheet = |at: u32| {
        let mut d = at.to_le_bytes().to_vec();
        d.extend([0, 0, name.len() as u8, 0]);
        d.extend(name.as_bytes());
        biff(0x0085, &d)
    };
    let eof = biff(0x000A, &[]);
    let shared = if strings.is_empty() {
        Vec::new()
    } else {
        sst(strings)
    };
    let globals_len = bof(5).len() + listings * bound_sheet(0).len() + shared.len() + eof.len();
    let mut stream = bof(5);
    for _ in 0..listings {
        stream.extend(bound_sheet(globals_len as u32));
    }
    stream.extend(&shared);
    stream.extend(&eof);
    stream.extend(bof(0x10));
    let mut dims = rows.0.to_le_bytes().to_vec();
    dims.extend(rows.1.to_le_bytes());
    dims.extend(columns.0.to_le_bytes());
    dims.extend(columns.1.to_le_bytes());
    dims.extend([0, 0]);
    stream.extend(biff(0x0200, &dims));
    for cell in cells {
        match cell {
            XlsCell::Number(r, c, x) => {
                let mut d = r.to_le_bytes().to_vec();
                d.extend(c.to_le_bytes());
                d.extend([0, 0]);
                d.extend(x.to_le_bytes());
                stream.extend(biff(0x0203, &d));
            }
            XlsCell::Text(r, c, text) => {
                let mut d = r.to_le_bytes().to_vec();
                d.extend(c.to_le_bytes());
                d.extend([0, 0]);
                d.extend((text.len() as u16).to_le_bytes());
                d.push(0);
                d.extend(text.as_bytes());
                stream.extend(biff(0x0204, &d));
            }
            XlsCell::Shared(r, c, index) => {
                let mut d = r.to_le_bytes().to_vec();
                d.extend(c.to_le_bytes());
                d.extend([0, 0]);
                d.extend(index.to_le_bytes());
                stream.extend(biff(0x00FD, &d));
            }
        }
    }
    stream.extend(&eof);
    // version 3 (512-byte sectors), as Excel writes .xls files and calamine reads them
    let mut book =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new()))
            .unwrap();
    book.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    book.flush().unwrap();
    book.into_inner().into_inner()
}

/// One record of an .xlsb part: its type and size as variable-length numbers (seven bits a
/// byte, the high bit saying another byte follows), then its data.
pub fn xlsb_record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = if typ < 0x80 {
        vec![typ as u8]
    } else {
        vec![(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8]
    };
    out.extend(xlsb_size(data.len()));
    out.extend(data);
    out
}

/// A record size as MS-XLSB writes it (at most four bytes).
pub fn xlsb_size(mut size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (size & 0x7F) as u8;
        size >>= 7;
        if size == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

/// An `XLWideString`: its length in UTF-16 units, then the units.
fn wide(text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    for u in units {
        out.extend(u.to_le_bytes());
    }
    out
}

/// A cell of a crafted .xlsb sheet at (row, column), from 0.
pub enum XlsbCell {
    Number(u32, u32, f64),
    /// The shared string of this index.
    Shared(u32, u32, u32),
}

/// The records of an .xlsb sheet holding `cells` (a row header before each cell whose row
/// differs from the previous one's), its dimension record declaring `dimension` (first row, last
/// row, first column, last column).
pub fn xlsb_sheet(cells: &[XlsbCell], dimension: [u32; 4]) -> Vec<u8> {
    let mut out = xlsb_record(0x0081, &[]);
    let dims: Vec<u8> = dimension.iter().flat_map(|d| d.to_le_bytes()).collect();
    out.extend(xlsb_record(0x0094, &dims));
    out.extend(xlsb_record(0x0091, &[]));
    let mut row = None;
    for cell in cells {
        let (r, c) = match *cell {
            XlsbCell::Number(r, c, _) | XlsbCell::Shared(r, c, _) => (r, c),
        };
        if row != Some(r) {
            let mut header = r.to_le_bytes().to_vec();
            header.extend([0u8; 13]);
            out.extend(xlsb_record(0x0000, &header));
            row = Some(r);
        }
        let mut data = c.to_le_bytes().to_vec();
        data.extend([0u8; 4]);
        match *cell {
            XlsbCell::Number(_, _, x) => {
                data.extend(x.to_le_bytes());
                out.extend(xlsb_record(0x0005, &data));
            }
            XlsbCell::Shared(_, _, i) => {
                data.extend(i.to_le_bytes());
                out.extend(xlsb_record(0x0007, &data));
            }
        }
    }
    out.extend(xlsb_record(0x0092, &[]));
    out.extend(xlsb_record(0x0082, &[]));
    out
}

/// The shared strings part of an .xlsb workbook: its counts (declaring `declared` strings), then
/// `strings`.
pub fn xlsb_strings(strings: &[String], declared: u32) -> Vec<u8> {
    let mut counts = declared.to_le_bytes().to_vec();
    counts.extend(declared.to_le_bytes());
    let mut out = xlsb_record(0x009F, &counts);
    for s in strings {
        let mut item = vec![0u8];
        item.extend(wide(s));
        out.extend(xlsb_record(0x0013, &item));
    }
    out.extend(xlsb_record(0x00A0, &[]));
    out
}

/// An .xlsb workbook of one sheet `Befragung` whose records are `sheet` (see [`xlsb_sheet`]) and
/// whose shared strings part is `strings` (see [`xlsb_strings`]), as Excel lays the parts out.
pub fn xlsb(sheet: Vec<u8>, strings: Vec<u8>) -> Vec<u8> {
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#;
    let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.bin"/></Relationships>"#;
    let mut listing = 0u32.to_le_bytes().to_vec();
    listing.extend(1u32.to_le_bytes());
    listing.extend(wide("rId1"));
    listing.extend(wide("Befragung"));
    let mut workbook = xlsb_record(0x0083, &[]);
    workbook.extend(xlsb_record(0x008F, &[]));
    workbook.extend(xlsb_record(0x009C, &listing));
    workbook.extend(xlsb_record(0x0090, &[]));
    workbook.extend(xlsb_record(0x0084, &[]));
    zip(&[
        ("_rels/.rels", rels.as_bytes().to_vec()),
        ("xl/workbook.bin", workbook),
        (
            "xl/_rels/workbook.bin.rels",
            workbook_rels.as_bytes().to_vec(),
        ),
        ("xl/worksheets/sheet1.bin", sheet),
        ("xl/sharedStrings.bin", strings),
    ])
}
