//! A small document model (headings, paragraphs, tables, images) rendered to Markdown and to one
//! self-contained HTML page, so that both say exactly the same.

use base64::Engine as _;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(String),
    Quote(String),
    List(Vec<String>),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Columns to right-align (numbers).
        numeric: Vec<bool>,
    },
    /// An image: `path` relative to the Markdown file; the HTML embeds `png`.
    Image {
        alt: String,
        path: String,
        png: Vec<u8>,
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

    pub fn paragraph(&mut self, text: impl Into<String>) {
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
        for block in &self.blocks {
            match block {
                Block::Heading(level, text) => {
                    out.push_str(&"#".repeat(*level as usize));
                    out.push(' ');
                    out.push_str(text);
                    out.push_str("\n\n");
                }
                Block::Paragraph(text) => {
                    out.push_str(text);
                    out.push_str("\n\n");
                }
                Block::Quote(text) => {
                    out.push_str("> ");
                    out.push_str(text);
                    out.push_str("\n\n");
                }
                Block::List(items) => {
                    for item in items {
                        out.push_str("- ");
                        out.push_str(item);
                        out.push('\n');
                    }
                    out.push('\n');
                }
                Block::Table {
                    header,
                    rows,
                    numeric,
                } => {
                    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
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
                Block::Image { alt, path, .. } => {
                    out.push_str(&format!("![{alt}]({path})\n\n"));
                }
            }
        }
        out
    }

    /// The body of an HTML page (no `<html>` wrapper); images are embedded as data URIs.
    pub fn html_body(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Heading(level, text) => {
                    let id = anchor(text);
                    out.push_str(&format!(
                        "<h{level} id=\"{id}\">{}</h{level}>\n",
                        inline(text)
                    ));
                }
                Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", inline(text))),
                Block::Quote(text) => {
                    out.push_str(&format!("<blockquote>{}</blockquote>\n", inline(text)))
                }
                Block::List(items) => {
                    out.push_str("<ul>\n");
                    for item in items {
                        out.push_str(&format!("<li>{}</li>\n", inline(item)));
                    }
                    out.push_str("</ul>\n");
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
                        out.push_str(&format!("<th{}>{}</th>", align(i), inline(h)));
                    }
                    out.push_str("</tr></thead>\n<tbody>\n");
                    for row in rows {
                        out.push_str("<tr>");
                        for (i, c) in row.iter().enumerate() {
                            out.push_str(&format!("<td{}>{}</td>", align(i), inline(c)));
                        }
                        out.push_str("</tr>\n");
                    }
                    out.push_str("</tbody>\n</table>\n");
                }
                Block::Image { alt, png, .. } => {
                    out.push_str(&format!(
                        "<figure><img alt=\"{}\" src=\"data:image/png;base64,{}\"><figcaption>{}</figcaption></figure>\n",
                        escape(alt),
                        base64::engine::general_purpose::STANDARD.encode(png),
                        escape(alt)
                    ));
                }
            }
        }
        out
    }
}

/// A whole self-contained HTML page.
pub fn html_page(title: &str, lang: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

const STYLE: &str = "body { font-family: 'DejaVu Sans', Verdana, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { border-bottom: 3px solid #0072B2; padding-bottom: .2em; }
h2 { margin-top: 2.2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; vertical-align: top; }
th { background: #f3f6f9; text-align: left; }
td.num, th.num { text-align: right; white-space: nowrap; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .85em; color: #555; }
blockquote { border-left: 4px solid #E69F00; margin: 1em 0; padding: .2em 1em; font-style: italic; }
";

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escapes text and turns Markdown `**bold**` into `<strong>`.
fn inline(s: &str) -> String {
    let escaped = escape(s);
    let mut out = String::with_capacity(escaped.len());
    let mut bold = false;
    let mut rest = escaped.as_str();
    while let Some(i) = rest.find("**") {
        out.push_str(&rest[..i]);
        out.push_str(if bold { "</strong>" } else { "<strong>" });
        bold = !bold;
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    if bold {
        out.push_str("</strong>");
    }
    out
}

fn anchor(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_say_the_same() {
        let mut d = Document::default();
        d.heading(1, "Die Bedächtigen");
        d.paragraph("**42** Kommunen <klein>");
        d.table(
            vec!["a|b".into(), "n".into()],
            vec![vec!["x".into(), "3".into()]],
            vec![false, true],
        );
        let md = d.markdown();
        assert!(md.contains("# Die Bedächtigen\n"));
        assert!(md.contains("| a\\|b | n |\n|---|---:|\n| x | 3 |"));
        let html = d.html_body();
        assert!(html.contains("<strong>42</strong> Kommunen &lt;klein&gt;"));
        assert!(html.contains("<td class=\"num\">3</td>"));
    }
}
