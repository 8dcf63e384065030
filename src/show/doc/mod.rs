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
//!
//! [`model`] holds the document; [`markdown`] and [`html`] render it. This file only declares
//! the modules and re-exports their public items.

pub mod html;
pub mod markdown;
pub mod model;

pub use html::{escape, html_page};
pub use markdown::markdown_escape;
pub use model::{Block, Document, Span, Text};

#[cfg(test)]
mod tests {
    use super::markdown::block_start;
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
    fn the_print_width_is_the_page_less_its_margins() {
        let page = html_page("t", "de", "");
        let margins = "@page { size: A4; margin: 16mm 14mm 16mm 14mm; }";
        assert!(page.contains(margins), "{page}");
        assert_eq!(html::PRINT_WIDTH_MM, 210.0 - 14.0 - 14.0);
    }

    #[test]
    fn a_chart_states_its_smallest_text_on_the_page() {
        let mut d = Document::default();
        d.chart(Some(("charts/a.png", "A chart", &[1, 2, 3], 18.72)));
        assert!(d
            .html_body()
            .contains("<img alt=\"A chart\" data-text-px=\"18.72\" src="));
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
