//! A small document model (headings, paragraphs, tables, images) rendered to Markdown and to one
//! self-contained HTML page, so that both say exactly the same.
//!
//! Every string in a document is text, never markup: the renderers escape each one, once, here
//! ([`markdown_escape`] for the sheets, [`escape`] for the page), so that an identifier, a type
//! name, a motto, a label or a file name shows as written and never takes effect (no raw HTML, no
//! links or images, no emphasis). Emphasis the sheets mean is a [`Span::Strong`] of a [`Text`].
//! Control characters show as `\u{…}` ([`crate::escape::field`]).
//!
//! In the page every heading gets an id made from its text (ASCII, unique within the page: a
//! repeated heading gets `-2`, `-3`, …), which the table of contents ([`Block::Contents`]) and
//! in-page links ([`Span::Link`]) point to; the page's style prints it on A4 without a heading
//! alone at the bottom of a page and without splitting a table, chart or box.

use base64::Engine as _;

/// A piece of running text: plain and strong spans.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text(pub Vec<Span>);

#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Plain(String),
    /// Shown in bold (`**…**`, `<strong>`).
    Strong(String),
    /// A link to the heading with this text in the same page (plain text in Markdown).
    Link {
        text: String,
        heading: String,
    },
}

impl Text {
    /// Text that starts in bold.
    pub fn strong(text: impl Into<String>) -> Text {
        Text(vec![Span::Strong(text.into())])
    }

    /// Appends plain text.
    pub fn plain(mut self, text: impl Into<String>) -> Text {
        self.0.push(Span::Plain(text.into()));
        self
    }

    /// Appends bold text.
    pub fn and_strong(mut self, text: impl Into<String>) -> Text {
        self.0.push(Span::Strong(text.into()));
        self
    }

    /// Appends a link to the heading `heading` of the same page.
    pub fn link(mut self, text: impl Into<String>, heading: impl Into<String>) -> Text {
        self.0.push(Span::Link {
            text: text.into(),
            heading: heading.into(),
        });
        self
    }

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

    fn html(&self, ids: &Ids) -> String {
        self.0
            .iter()
            .map(|span| match span {
                Span::Plain(s) => escape(s),
                Span::Strong(s) => format!("<strong>{}</strong>", escape(s)),
                Span::Link { text, heading } => match ids.of_text(heading) {
                    Some(id) => format!("<a href=\"#{id}\">{}</a>", escape(text)),
                    None => escape(text),
                },
            })
            .collect()
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(vec![Span::Plain(s)])
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::from(s.to_string())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(Text),
    Quote(String),
    List(Vec<String>),
    /// A list of running texts.
    Points(Vec<Text>),
    /// Terms and what they mean.
    Terms(Vec<(String, Text)>),
    /// The table of contents: every heading of these levels after this block, linked.
    Contents {
        title: String,
        levels: Vec<u8>,
    },
    /// The blocks inside, kept together in a box of this class (`summary`, `note`, `appendix`).
    Section {
        class: String,
        blocks: Vec<Block>,
    },
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Columns to right-align (numbers).
        numeric: Vec<bool>,
    },
    /// An image: `path` relative to the Markdown file; the HTML embeds `png`. The caption says
    /// what the picture does not (how to read it), and is left out where empty.
    Image {
        alt: String,
        path: String,
        png: Vec<u8>,
        caption: String,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.blocks.push(Block::Heading(level, text.into()));
    }

    pub fn paragraph(&mut self, text: impl Into<Text>) {
        self.blocks.push(Block::Paragraph(text.into()));
    }

    pub fn table(&mut self, header: Vec<String>, rows: Vec<Vec<String>>, numeric: Vec<bool>) {
        self.blocks.push(Block::Table {
            header,
            rows,
            numeric,
        });
    }

    pub fn markdown(&self) -> String {
        let mut out = String::new();
        markdown_blocks(&self.blocks, &mut out);
        out
    }

    /// The body of an HTML page (no `<html>` wrapper); images are embedded as data URIs.
    pub fn html_body(&self) -> String {
        let ids = Ids::of(&self.blocks);
        let mut out = String::new();
        let mut next = 0;
        html_blocks(&self.blocks, &ids, &mut next, &mut out);
        out
    }

    /// The id every heading gets in the page, in document order: `(level, text, id)`.
    pub fn heading_ids(&self) -> Vec<(u8, String, String)> {
        Ids::of(&self.blocks).headings
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

fn html_blocks(blocks: &[Block], ids: &Ids, next: &mut usize, out: &mut String) {
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                let id = &ids.headings[*next].2;
                *next += 1;
                out.push_str(&format!(
                    "<h{level} id=\"{id}\">{}</h{level}>\n",
                    escape(text)
                ));
            }
            Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", text.html(ids))),
            Block::Quote(text) => {
                out.push_str(&format!("<blockquote>{}</blockquote>\n", escape(text)))
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", escape(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Points(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", item.html(ids)));
                }
                out.push_str("</ul>\n");
            }
            Block::Terms(terms) => {
                out.push_str("<dl>\n");
                for (term, meaning) in terms {
                    out.push_str(&format!(
                        "<dt>{}</dt><dd>{}</dd>\n",
                        escape(term),
                        meaning.html(ids)
                    ));
                }
                out.push_str("</dl>\n");
            }
            Block::Contents { title, levels } => {
                out.push_str(&format!(
                    "<nav class=\"contents\" aria-label=\"{t}\">\n<p class=\"contents-title\">{t}</p>\n<ul>\n",
                    t = escape(title)
                ));
                for (level, text, id) in &ids.headings[*next..] {
                    if levels.contains(level) {
                        out.push_str(&format!(
                            "<li class=\"level-{level}\"><a href=\"#{id}\">{}</a></li>\n",
                            escape(text)
                        ));
                    }
                }
                out.push_str("</ul>\n</nav>\n");
            }
            Block::Section { class, blocks } => {
                out.push_str(&format!("<section class=\"{}\">\n", escape(class)));
                html_blocks(blocks, ids, next, out);
                out.push_str("</section>\n");
            }
            Block::Table {
                header,
                rows,
                numeric,
            } => {
                let align = |i: usize| {
                    if numeric.get(i).copied().unwrap_or(false) {
                        " class=\"num\""
                    } else {
                        ""
                    }
                };
                out.push_str("<table>\n<thead><tr>");
                for (i, h) in header.iter().enumerate() {
                    out.push_str(&format!("<th{}>{}</th>", align(i), escape(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for (i, c) in row.iter().enumerate() {
                        out.push_str(&format!("<td{}>{}</td>", align(i), escape(c)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Image {
                alt, png, caption, ..
            } => {
                out.push_str(&format!(
                    "<figure><img alt=\"{}\" src=\"data:image/png;base64,{}\">",
                    escape(alt),
                    base64::engine::general_purpose::STANDARD.encode(png),
                ));
                if !caption.is_empty() {
                    out.push_str(&format!("<figcaption>{}</figcaption>", escape(caption)));
                }
                out.push_str("</figure>\n");
            }
        }
    }
}

/// The ids of a page's headings: made from the heading's text, unique within the page.
struct Ids {
    headings: Vec<(u8, String, String)>,
}

impl Ids {
    fn of(blocks: &[Block]) -> Ids {
        fn walk(blocks: &[Block], out: &mut Vec<(u8, String)>) {
            for b in blocks {
                match b {
                    Block::Heading(level, text) => out.push((*level, text.clone())),
                    Block::Section { blocks, .. } => walk(blocks, out),
                    _ => {}
                }
            }
        }
        let mut found = Vec::new();
        walk(blocks, &mut found);
        let mut used = std::collections::HashSet::new();
        let headings = found
            .into_iter()
            .map(|(level, text)| {
                let base = anchor(&text);
                let mut id = base.clone();
                let mut n = 1;
                while !used.insert(id.clone()) {
                    n += 1;
                    id = format!("{base}-{n}");
                }
                (level, text, id)
            })
            .collect();
        Ids { headings }
    }

    /// The id of the first heading with this text.
    fn of_text(&self, text: &str) -> Option<&str> {
        self.headings
            .iter()
            .find(|h| h.1 == text)
            .map(|h| h.2.as_str())
    }
}

/// A whole self-contained HTML page.
pub fn html_page(title: &str, lang: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// The page's style: for the screen, and for print on A4 (headings, and a table's lead-in, kept
/// with what follows,
/// tables, charts and boxes never split, a chapter's opening never split, a page break after the
/// summary, nothing wider than the page).
const STYLE: &str = "body { font-family: 'DejaVu Sans', Verdana, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { border-bottom: 3px solid #0072B2; padding-bottom: .2em; }
h2 { margin-top: 2.2em; border-bottom: 1px solid #ccc; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p:has(+ table) { break-after: avoid; page-break-after: avoid; }
p, li, dd { overflow-wrap: break-word; }
table { border-collapse: collapse; margin: 1em 0; font-size: .9em; max-width: 100%; }
th, td { border: 1px solid #ddd; padding: .25em .6em; vertical-align: top; overflow-wrap: break-word; }
th { background: #f3f6f9; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
th.num { text-align: right; }
td:first-child { min-width: 7em; }
table, figure, blockquote, dd, nav.contents li, section.note { break-inside: avoid; page-break-inside: avoid; }
dt { break-after: avoid; page-break-after: avoid; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; box-sizing: border-box; }
figcaption { font-size: .85em; color: #444; margin-top: .3em; }
blockquote { border-left: 4px solid #E69F00; margin: 1em 0; padding: .2em 1em; font-style: italic; }
dt { font-weight: bold; margin-top: .5em; }
dd { margin-left: 1.5em; }
section.summary { background: #f7f9fb; border: 1px solid #d5dde5; padding: .2em 1.2em .6em; }
section.summary h2 { margin-top: .8em; }
section.note { border-left: 4px solid #0072B2; padding: .1em 1em; background: #f7f9fb; }
nav.contents ul { list-style: none; padding-left: 0; columns: 2; column-gap: 2em; }
nav.contents li.level-3 { padding-left: 1.2em; font-size: .92em; }
p.contents-title { font-weight: bold; font-size: 1.2em; }
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9pt; line-height: 1.35; }
  h1 { font-size: 17pt; margin-top: 0; }
  h2 { font-size: 13pt; margin-top: 1.2em; }
  h3 { font-size: 10.5pt; }
  h4 { font-size: 9.5pt; }
  section.summary { break-after: page; page-break-after: always; background: none; border: none; padding: 0; }
  section.opening { break-inside: avoid; page-break-inside: avoid; }
  figure img { max-height: 120mm; width: auto; max-width: 100%; }
  table { font-size: 8pt; }
  a { color: inherit; text-decoration: none; }
}
";

/// Escapes text for HTML (text and double-quoted attributes); control characters show as `\u{…}`.
pub fn escape(s: &str) -> String {
    crate::escape::field(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
fn block_start(mut text: String) -> String {
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

/// An id from a heading: lower-case ASCII letters and digits, umlauts and ß spelled out, every
/// other run of characters one `-`; `h` where nothing is left.
fn anchor(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let spelled = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            'é' | 'è' | 'ê' => "e",
            'á' | 'à' | 'â' => "a",
            _ => "",
        };
        if !spelled.is_empty() {
            out.push_str(spelled);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('h');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_say_the_same() {
        let mut d = Document::default();
        d.heading(1, "Die Bedächtigen");
        d.paragraph(Text::strong("42").plain(" Kommunen <klein>"));
        d.table(
            vec!["a|b".into(), "n".into()],
            vec![vec!["x".into(), "3".into()]],
            vec![false, true],
        );
        let md = d.markdown();
        assert!(md.contains("# Die Bedächtigen\n"));
        assert!(md.contains("**42** Kommunen \\<klein\\>"));
        assert!(md.contains("| a\\|b | n |\n|---|---:|\n| x | 3 |"));
        let html = d.html_body();
        assert!(html.contains("<strong>42</strong> Kommunen &lt;klein&gt;"));
        assert!(html.contains("<td class=\"num\">3</td>"));
    }

    #[test]
    fn markup_in_the_data_is_shown_not_rendered() {
        let hostile = "**x** [a](http://e.example/t.png) ![i](t.png) <script>alert(1)</script> _y_ `c` www.e.example a\u{1b}]0;t\u{7}\n# h";
        let md = markdown_escape(hostile);
        assert_eq!(
            md,
            "\\*\\*x\\*\\* \\[a\\](http\\://e.example/t.png) !\\[i\\](t.png) \\<script\\>alert(1)\\</script\\> \\_y\\_ \\`c\\` www\\.e.example a\\\\u{1b}\\]0;t\\\\u{7}\\\\u{a}\\# h"
        );
        // an underscore inside a word cannot emphasise and stays as it is
        assert_eq!(markdown_escape("ziel_effizienz"), "ziel_effizienz");
        assert_eq!(
            markdown_escape("<5 von 12, p < 0,001"),
            "<5 von 12, p < 0,001"
        );
        assert_eq!(block_start(markdown_escape("1. Liga")), "1\\. Liga");
        assert_eq!(block_start(markdown_escape("- x")), "\\- x");
        let mut d = Document::default();
        d.paragraph(Text::from(hostile));
        let html = d.html_body();
        assert!(!html.contains("<script>") && !html.contains("<strong>"));
        assert!(html.contains("\\u{1b}"));
    }
}
