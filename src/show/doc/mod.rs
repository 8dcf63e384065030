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

mod html;
mod markdown;

pub use html::{escape, html_page};
pub use markdown::markdown_escape;

use html::{html_blocks, Ids};
use markdown::{block_start, markdown_blocks};

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
