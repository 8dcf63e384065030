//! An SPSS file's cases: the data after the dictionary, uncompressed, bytecode-compressed or
//! zlib-compressed (a .zsav file's blocks, as its trailer lists them, each inflated and then
//! bytecode-decompressed), as 8-byte elements, and the elements as each variable's column.

use std::io::Read;

use encoding_rs::Encoding;

use super::bytes::Bytes;
use super::{text, Compression, SavColumn, SavResult, SavVariable, SYSMIS};

/// The cases' elements, end to end, read from where `r` is (after the dictionary).
pub(super) fn elements(
    r: &mut Bytes,
    compression: Compression,
    bias: f64,
) -> SavResult<Vec<[u8; 8]>> {
    let (bytes, big, data_start) = (r.bytes, r.big, r.pos);
    Ok(match compression {
        Compression::None => {
            let data = &bytes[data_start..];
            let whole = data.len() / 8;
            (0..whole)
                .map(|k| data[8 * k..8 * k + 8].try_into().expect("8"))
                .collect::<Vec<[u8; 8]>>()
        }
        Compression::Bytecode => decompress(&bytes[data_start..], bias, big, data_start)?,
        Compression::Zlib => {
            let inflated = inflate(r)?;
            decompress(&inflated, bias, big, 0)?
        }
    })
}

/// Each variable's values from the cases' elements (`case_size` elements a case).
pub(super) fn columns(
    variables: &[SavVariable],
    elements: &[[u8; 8]],
    case_size: usize,
    cases: usize,
    encoding: &'static Encoding,
    r: &Bytes,
) -> Vec<SavColumn> {
    let mut columns = Vec::with_capacity(variables.len());
    for v in variables {
        let cells = (0..cases).map(|c| &elements[c * case_size + v.element..]);
        columns.push(if v.width == 0 {
            SavColumn::Numeric(cells.map(|e| r.float(e[0])).collect())
        } else {
            SavColumn::Text(
                cells
                    .map(|e| {
                        let raw: Vec<u8> = e[..v.elements()].iter().flatten().copied().collect();
                        text(encoding, &raw[..v.width])
                    })
                    .collect(),
            )
        });
    }
    columns
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
