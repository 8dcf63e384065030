//! Showing text from the data where it could take effect: control characters (ESC, BEL, the C1
//! controls, line breaks inside a value, and the bidirectional overrides that reorder what is
//! shown) become visible escapes such as `\u{1b}`, never raw bytes. [`field`] is for one piece of
//! data inside a line (an identifier, a cell value, a type name, a file name); [`terminal`] is for
//! whole lines of text, keeping their line breaks and tabs: the command line passes everything it
//! prints through it. The Markdown sheets ([`crate::show::doc`]) and the chart pictures
//! ([`crate::show`]) show control characters through [`field`] too.
//!
//! Text cells that a spreadsheet would read as a formula are written with a leading apostrophe
//! ([`neutralise`], undone by [`restore`]): in every CSV dialect, the workbooks and the copies of
//! a survey file that `--save-into` writes.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal, a Markdown file or a picture raw: the Unicode control
/// characters (C0, DEL, C1) and the bidirectional embedding, override and isolate marks.
pub fn is_hazard(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every hazard shown as `\u{…}` (hexadecimal code point), including line breaks and
/// tabs: for one piece of data inside a line.
pub fn field(text: &str) -> Cow<'_, str> {
    escape(text, |_| true)
}

/// `text` with every hazard except line breaks (`\n`) and tabs shown as `\u{…}`: for whole lines
/// of output (a raw `\r` could still overwrite a line, so it is shown too).
pub fn terminal(text: &str) -> Cow<'_, str> {
    escape(text, |c| c != '\n' && c != '\t')
}

fn escape(text: &str, shown: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_hazard(c) && shown(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hazard(c) && shown(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The characters that make a spreadsheet read a text cell as a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return), and the apostrophe itself, so that the rule can be undone without ambiguity.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// A text cell as written: with a leading `'` when it starts with `=`, `+`, `-`, `@`, a tab, a
/// carriage return or an apostrophe (so `=1+1` is written `'=1+1`, and `'x` is written `''x`).
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Undoes [`neutralise`]: the text cell as it was before writing.
pub fn restore(written: &str) -> &str {
    match written.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => written,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(
            field("a\u{1b}]0;title\u{7}b\nc"),
            "a\\u{1b}]0;title\\u{7}b\\u{a}c"
        );
        assert_eq!(terminal("x\u{9b}2J\ny\tz\r"), "x\\u{9b}2J\ny\tz\\u{d}");
        assert_eq!(field("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert!(matches!(field("Die Bedächtigen"), Cow::Borrowed(_)));
    }

    #[test]
    fn formula_starts_are_neutralised_with_a_leading_apostrophe() {
        for (raw, written) in [
            ("=1+1", "'=1+1"),
            ("@SUM(1;2)", "'@SUM(1;2)"),
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+49 30", "'+49 30"),
            ("-5", "'-5"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted", "''quoted"),
        ] {
            assert_eq!(neutralise(raw), written, "{raw:?}");
            assert_eq!(restore(&neutralise(raw)), raw, "{raw:?}");
        }
        for plain in ["Die Bedächtigen", "a=b", "1+1", "", "x-'y"] {
            assert_eq!(neutralise(plain), plain);
            assert_eq!(restore(plain), plain);
        }
    }
}
