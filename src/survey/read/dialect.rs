//! The shape of a delimited text file around its cells: line endings (LF, CRLF, CR), a preamble
//! of `#` comment lines (also as a spreadsheet quotes them), blank lines, and the separator
//! (comma, semicolon or tab) that splits the header line most.

use std::borrow::Cow;

use super::LineEnding;

const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];

/// Whether a line (as bytes or text) is a comment line: it starts with `#`, or with `"#` as a
/// spreadsheet writes a comment line that holds a separator.
pub(in crate::survey) fn is_comment(line: &[u8]) -> bool {
    line.starts_with(b"#") || line.starts_with(b"\"#")
}

/// Normalises line endings to LF and says which the file used (the most frequent).
pub(super) fn normalise_line_endings(text: Cow<'_, str>) -> (Cow<'_, str>, LineEnding) {
    let crlf = text.matches("\r\n").count();
    let cr = text.matches('\r').count() - crlf;
    let lf = text.matches('\n').count() - crlf;
    let ending = if crlf > 0 && crlf >= lf && crlf >= cr {
        LineEnding::CrLf
    } else if cr > lf {
        LineEnding::Cr
    } else {
        LineEnding::Lf
    };
    if crlf + cr == 0 {
        return (text, ending);
    }
    (
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")),
        ending,
    )
}

/// Splits off leading comment lines; returns their text and the rest. A comment line starts with
/// `#`, or with `"#` where a spreadsheet quoted it because it holds a separator (`"# a; b";;;`):
/// the quotes are taken off, and so are the empty fields a spreadsheet adds after it.
pub(super) fn strip_preamble(text: &str) -> (Vec<String>, &str) {
    let mut rest = text;
    let mut lines = Vec::new();
    while is_comment(rest.as_bytes()) {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        lines.push(comment_text(line));
        rest = after;
    }
    (lines, rest)
}

/// The text of a comment line, without `#`, quotes and trailing empty fields.
fn comment_text(line: &str) -> String {
    let unquoted = match line.strip_prefix('"') {
        Some(quoted) => {
            // the quoted field, with doubled quotes undone, then what follows it
            let mut field = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut after = "";
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().is_some_and(|&(_, d)| d == '"') {
                        chars.next();
                    } else {
                        after = &quoted[i + 1..];
                        break;
                    }
                }
                field.push(c);
            }
            field + after
        }
        None => line.to_string(),
    };
    let text = unquoted.strip_prefix('#').unwrap_or(&unquoted);
    text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '\t'))
        .trim()
        .to_string()
}

/// Drops blank lines outside quoted fields (exports often end with some); returns the text
/// (borrowed when there is no blank line to drop) and, for each line kept, its 1-based line number
/// in `body`.
pub(super) fn drop_blank_lines(body: &str) -> (Cow<'_, str>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut quoted = false;
    let mut blank = false;
    let pieces = body.split('\n').count();
    for (i, line) in body.split('\n').enumerate() {
        let starts_quoted = quoted;
        quoted ^= line.bytes().filter(|&b| b == b'"').count() % 2 == 1;
        if !starts_quoted && line.trim().is_empty() {
            // the empty piece after a final line break is no blank line
            blank |= !(i + 1 == pieces && line.is_empty());
            continue;
        }
        lines.push(i + 1);
    }
    if !blank {
        return (Cow::Borrowed(body), lines);
    }
    let mut out = String::with_capacity(body.len());
    let mut kept = lines.iter().peekable();
    for (i, line) in body.split('\n').enumerate() {
        if kept.next_if(|&&k| k == i + 1).is_some() {
            out.push_str(line);
            out.push('\n');
        }
    }
    (Cow::Owned(out), lines)
}

/// Counts `sep` outside double quotes in one line.
pub(super) fn count_outside_quotes(line: &str, sep: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            !quoted && b == sep
        })
        .count()
}

/// The separator that splits the header line into the most fields (comma on a tie or none).
pub(in crate::survey) fn detect_separator(header_line: &str) -> u8 {
    let mut best = (0, b',');
    for sep in SEPARATORS {
        let n = count_outside_quotes(header_line, sep);
        if n > best.0 {
            best = (n, sep);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_is_the_one_that_splits_the_header_most() {
        assert_eq!(detect_separator("a;b;c"), b';');
        assert_eq!(detect_separator("a,b,c"), b',');
        assert_eq!(detect_separator("a\tb\tc"), b'\t');
        assert_eq!(detect_separator("\"a,1\";\"b,2\";c"), b';');
    }

    #[test]
    fn spreadsheet_quoted_comment_lines_are_comment_lines() {
        assert_eq!(
            strip_preamble("\"# a; \"\"b\"\"\";;;\n# c;;\nid;x\n"),
            (vec!["a; \"b\"".to_string(), "c".to_string()], "id;x\n")
        );
    }

    #[test]
    fn line_endings_are_normalised() {
        let (text, ending) = normalise_line_endings("a\r\nb\r\n".into());
        assert_eq!((text.as_ref(), ending), ("a\nb\n", LineEnding::CrLf));
        let (text, ending) = normalise_line_endings("a\rb\r".into());
        assert_eq!((text.as_ref(), ending), ("a\nb\n", LineEnding::Cr));
    }

    #[test]
    fn blank_lines_outside_quotes_are_dropped_with_their_numbers_kept() {
        let (text, lines) = drop_blank_lines("a,b\n\n1,2\n\"x\n\ny\",3\n\n");
        assert_eq!(text, "a,b\n1,2\n\"x\n\ny\",3\n");
        assert_eq!(lines, vec![1, 3, 4, 5, 6]);
    }

    #[test]
    fn preamble_comment_lines_are_counted() {
        assert_eq!(
            strip_preamble("# x\n#y\na,b\n"),
            (vec!["x".to_string(), "y".to_string()], "a,b\n")
        );
        assert_eq!(strip_preamble("a,b\n"), (vec![], "a,b\n"));
    }
}
