//! The document model as one self-contained HTML page: every string escaped once, headings
//! with ids unique within the page, images embedded as data URIs, and the page's style for the
//! screen and for print on A4.

use base64::Engine as _;

use super::model::{Block, Document, Span, Text};

impl Document {
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

impl Text {
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
                alt,
                png,
                caption,
                text_px,
                ..
            } => {
                let text = text_px.map_or(String::new(), |px| format!(" data-text-px=\"{px:.2}\""));
                out.push_str(&format!(
                    "<figure><img alt=\"{}\"{text} src=\"data:image/png;base64,{}\">",
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

/// The width of the text of a page printed on A4 with [`STYLE`]'s page margins, in mm: a picture
/// prints this wide.
pub const PRINT_WIDTH_MM: f64 = 210.0 - 2.0 * 14.0;

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
  section.opening table { display: inline-table; vertical-align: top; margin: .3em 1.2em .3em 0; }
  figure img { width: 100%; max-height: none; }
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
