//! The encoding of a delimited text file, decided on the whole file: UTF-8 with or without BOM,
//! UTF-16 with BOM, Windows-1252 as German Excel writes it; UTF-32, and UTF-16 or UTF-32 without
//! a byte-order mark, are refused with a hint.

use std::borrow::Cow;

use super::dialect::is_comment;
use super::Unreadable;
use crate::survey::Problem;

/// The file as text (borrowed when the file is UTF-8 already), with its encoding and what
/// deserves a look.
pub(super) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
    pub warnings: Vec<Problem>,
}

/// The lines of the bytes (LF, CRLF or CR), without their endings.
fn byte_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&bytes[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&bytes[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        lines.push(&bytes[start..]);
    }
    lines
}

/// The first byte of `line` that is not UTF-8, in hex, with the line around it.
fn invalid_byte(line: &[u8]) -> String {
    let at = std::str::from_utf8(line)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let from = at.saturating_sub(20);
    let context = String::from_utf8_lossy(&line[from..(at + 20).min(line.len())]).into_owned();
    format!(
        "byte 0x{:02X} in {}",
        line[at],
        crate::survey::problems::quote(&context)
    )
}

/// The first character of the bytes that is a valid UTF-8 multi-byte sequence, with its line.
fn first_multibyte(lines: &[&[u8]]) -> Option<(usize, char)> {
    lines.iter().enumerate().find_map(|(i, line)| {
        line.utf8_chunks()
            .find_map(|chunk| chunk.valid().chars().find(|c| !c.is_ascii()))
            .map(|c| (i + 1, c))
    })
}

/// UTF-16 or UTF-32 without a byte-order mark, told by where the zero bytes are.
fn wide_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let sample = &bytes[..bytes.len().min(4096) / 4 * 4];
    if sample.is_empty() {
        return None;
    }
    let quarter = (sample.len() / 4) as f64;
    let zero = |k: usize| {
        sample
            .iter()
            .skip(k)
            .step_by(4)
            .filter(|&&b| b == 0)
            .count() as f64
            / quarter
    };
    let z = [zero(0), zero(1), zero(2), zero(3)];
    let many = |k: usize| z[k] > 0.5;
    if many(1) && many(2) && many(3) && !many(0) {
        Some("UTF-32LE")
    } else if many(0) && many(1) && many(2) && !many(3) {
        Some("UTF-32BE")
    } else if many(1) && many(3) && !many(0) && !many(2) {
        Some("UTF-16LE")
    } else if many(0) && many(2) && !many(1) && !many(3) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// Decodes the bytes to text, deciding the encoding on the whole file:
/// - a byte-order mark decides it (UTF-8, UTF-16; UTF-32 is not read);
/// - zero bytes mean UTF-16 or UTF-32 without a mark (or not a text file): an error with a hint;
/// - valid UTF-8 is UTF-8;
/// - otherwise, if any valid UTF-8 multi-byte sequence occurs, the file is UTF-8: bytes that are
///   not UTF-8 in a comment line are a warning (they show as U+FFFD), in a data row an error
///   naming the row;
/// - otherwise (bytes 0x80-0xFF, none forming UTF-8) Windows-1252.
pub(super) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, Unreadable> {
    fn decoded<'a>(text: Cow<'a, str>, encoding: &'static str) -> Decoded<'a> {
        Decoded {
            text,
            encoding,
            warnings: Vec::new(),
        }
    }
    for (bom, name) in [
        (b"\xFF\xFE\x00\x00".as_slice(), "UTF-32LE"),
        (b"\x00\x00\xFE\xFF".as_slice(), "UTF-32BE"),
    ] {
        if bytes.starts_with(bom) {
            return Err(Problem::file(format!(
                "the file is {name} (it starts with that byte-order mark), which is not read; expected UTF-8, UTF-16 or Windows-1252: save it as \"CSV UTF-8\""
            ))
            .into());
        }
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return Ok(decoded(Cow::Owned(text.into_owned()), "UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return Ok(decoded(Cow::Owned(text.into_owned()), "UTF-16BE"));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let message = match wide_without_bom(bytes) {
            Some(name) => format!(
                "the file holds zero bytes where text has none: it looks like {name} without a byte-order mark; expected UTF-8, Windows-1252, or UTF-16 with a byte-order mark: save it as \"CSV UTF-8\" (or as Excel's \"Unicode text\", which writes the mark)"
            ),
            None if bytes.starts_with(b"PK") => "the file is not text (it starts like a zip archive: is it an .xlsx workbook?); expected a CSV or tab-separated text export".to_string(),
            None => format!(
                "the file holds a zero byte (byte {}), which text does not; expected a CSV or tab-separated text export in UTF-8, Windows-1252 or UTF-16 with a byte-order mark",
                at + 1
            ),
        };
        return Err(Problem::file(message).into());
    }
    let (rest, encoding) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, "UTF-8 with BOM"),
        None => (bytes, "UTF-8"),
    };
    if let Ok(text) = std::str::from_utf8(rest) {
        return Ok(decoded(Cow::Borrowed(text), encoding));
    }
    let lines = byte_lines(rest);
    let why = match first_multibyte(&lines) {
        Some((row, c)) => format!("row {row} has '{c}' in UTF-8"),
        None if encoding == "UTF-8 with BOM" => "it starts with a UTF-8 byte-order mark".into(),
        None => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            return Ok(decoded(Cow::Owned(text.into_owned()), "Windows-1252"));
        }
    };
    utf8_with_stray_bytes(rest, &lines, encoding, why)
}

/// A UTF-8 file with bytes that are not UTF-8: a warning for each comment line that has them, an
/// error for each data row; `why` says why the file is taken as UTF-8.
fn utf8_with_stray_bytes<'a>(
    rest: &[u8],
    lines: &[&[u8]],
    encoding: &'static str,
    why: String,
) -> Result<Decoded<'a>, Unreadable> {
    let preamble = lines.iter().take_while(|l| is_comment(l)).count();
    let mut warnings = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if std::str::from_utf8(line).is_ok() {
            continue;
        }
        let bad = invalid_byte(line);
        if i < preamble {
            warnings.push(Problem::row(
                i + 1,
                format!(
                    "the comment line holds a {bad} that is not UTF-8; the data rows are UTF-8 ({why}), so the file is read as UTF-8 and the comment shows U+FFFD there"
                ),
            ));
        } else {
            problems.push(Problem::row(
                i + 1,
                format!(
                    "holds a {bad} that is not UTF-8, but the file is UTF-8 ({why}); expected one encoding throughout: save the file again as \"CSV UTF-8\" or fix this row"
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Unreadable {
            problems,
            note: Some("The file mixes encodings, so the cells were not checked.".to_string()),
        });
    }
    Ok(Decoded {
        text: Cow::Owned(String::from_utf8_lossy(rest).into_owned()),
        encoding,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (String, &'static str, usize) {
        let d = decode(bytes).unwrap_or_else(|u| panic!("{:?}", u.problems));
        (d.text.into_owned(), d.encoding, d.warnings.len())
    }

    #[test]
    fn windows_1252_is_detected_when_not_utf8() {
        assert_eq!(
            decoded(b"Th\xfcringen"),
            ("Thüringen".to_string(), "Windows-1252", 0)
        );
        assert_eq!(
            decoded("Thüringen".as_bytes()),
            ("Thüringen".to_string(), "UTF-8", 0)
        );
    }

    #[test]
    fn a_stray_byte_in_a_comment_line_leaves_a_utf8_file_utf8() {
        let bytes = b"# K\xf6ln\nid,land\nx,Th\xc3\xbcringen\n";
        assert_eq!(
            decoded(bytes),
            (
                "# K\u{FFFD}ln\nid,land\nx,Thüringen\n".to_string(),
                "UTF-8",
                1
            )
        );
        let bad_row = b"id,land\nx,Th\xc3\xbcringen\r\ny,K\xf6ln\n";
        let err = decode(bad_row).err().expect("an error");
        assert_eq!(err.problems.len(), 1);
        assert_eq!(err.problems[0].row, Some(3));
    }

    #[test]
    fn wide_text_without_a_mark_is_named() {
        let utf16: Vec<u8> = "id;land\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(wide_without_bom(&utf16), Some("UTF-16LE"));
        let utf16be: Vec<u8> = "id;land\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(wide_without_bom(&utf16be), Some("UTF-16BE"));
        let utf32: Vec<u8> = "id;land\n"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert_eq!(wide_without_bom(&utf32), Some("UTF-32LE"));
    }
}
