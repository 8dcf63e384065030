//! The document model as Markdown (CommonMark with GitHub's extensions): every string escaped
//! once, so that text from the data shows as written.

use super::model::{Block, Document, Span, Text};

impl Document {
    /// The document as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        markdown_blocks(&self.blocks, &mut out);
        out
    }
}

impl Text {
    fn markdown(&self) -> String {
        let mut out = String::new();
        for span in &self.0 {
            match span {
                Span::Plain(s) | Span::Link { text: s, .. } => out.push_str(&markdown_escape(s)),
                Span::Strong(s) if s.is_empty() => {}
                Span::Strong(s) => {
                    out.push_str("**");
                    out.push_str(&markdown_escape(s));
                    out.push_str("**");
                }
            }
        }
        block_start(out)
    }
}

fn markdown_blocks(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                out.push_str(&"#".repeat(*level as usize));
                out.push(' ');
                out.push_str(&markdown_escape(text));
                out.push_str("\n\n");
            }
            Block::Paragraph(text) => {
                out.push_str(&text.markdown());
                out.push_str("\n\n");
            }
            Block::Quote(text) => {
                out.push_str("> ");
                out.push_str(&block_start(markdown_escape(text)));
                out.push_str("\n\n");
            }
            Block::List(items) => {
                for item in items {
                    out.push_str("- ");
                    out.push_str(&block_start(markdown_escape(item)));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Points(items) => {
                for item in items {
                    out.push_str("- ");
                    out.push_str(&item.markdown());
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Terms(terms) => {
                for (term, meaning) in terms {
                    out.push_str(&format!(
                        "- **{}**: {}\n",
                        markdown_escape(term),
                        meaning.markdown()
                    ));
                }
                out.push('\n');
            }
            // a Markdown file is read from its top; its headings are its contents
            Block::Contents { .. } => {}
            Block::Section { blocks, .. } => markdown_blocks(blocks, out),
            Block::Table {
                header,
                rows,
                numeric,
            } => {
                let cell = |s: &str| markdown_escape(s);
                out.push_str("| ");
                out.push_str(
                    &header
                        .iter()
                        .map(|h| cell(h))
                        .collect::<Vec<_>>()
                        .join(" | "),
                );
                out.push_str(" |\n|");
                for i in 0..header.len() {
                    out.push_str(if numeric.get(i).copied().unwrap_or(false) {
                        "---:|"
                    } else {
                        "---|"
                    });
                }
                out.push('\n');
                for row in rows {
                    out.push_str("| ");
                    out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
                    out.push_str(" |\n");
                }
                out.push('\n');
            }
            Block::Image {
                alt, path, caption, ..
            } => {
                // `path` is made from slugs (chart stems), checked where they are read
                out.push_str(&format!("![{}]({path})\n\n", markdown_escape(alt)));
                if !caption.is_empty() {
                    out.push_str(&block_start(markdown_escape(caption)));
                    out.push_str("\n\n");
                }
            }
        }
    }
}

/// Escapes text for Markdown (CommonMark with GitHub's extensions), so that it shows as written:
/// control characters as `\u{…}`; a backslash before every character that could start markup
/// (`\\ ` * [ ] > & | ~ # @`; `<` before a letter, `/`, `!` or `?`, as HTML and autolinks start;
/// `_` unless it stands between two letters or digits, where it cannot emphasise); `://` and
/// `www.` broken with a backslash so that no address becomes a link; `<5 von 12` stays as it is.
pub fn markdown_escape(s: &str) -> String {
    let s = crate::escape::field(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let escaped = match c {
            '\\' | '`' | '*' | '[' | ']' | '>' | '&' | '|' | '~' | '#' | '@' => true,
            // HTML and autolinks start with `<` and a letter, `/`, `!` or `?`
            '<' => after.is_some_and(|a| a.is_ascii_alphabetic() || matches!(a, '/' | '!' | '?')),
            '_' => !(word(before) && word(after)),
            ':' => chars[i + 1..].starts_with(&['/', '/']),
            '.' => i >= 3 && chars[i - 3..i].iter().all(|w| w.eq_ignore_ascii_case(&'w')),
            _ => false,
        };
        if escaped {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what would start a list or a heading underline at the start of a block: a leading
/// `-`, `+` or `=`, or the `.`/`)` after leading digits (`1. `).
pub(super) fn block_start(mut text: String) -> String {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let at = match text[digits..].chars().next() {
        Some('-' | '+' | '=') if digits == 0 => Some(0),
        Some('.' | ')') if digits > 0 => Some(digits),
        _ => None,
    };
    if let Some(at) = at {
        text.insert(at, '\\');
    }
    text
}
