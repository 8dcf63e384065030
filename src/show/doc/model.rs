//! The document model: running text of plain, strong and linked spans ([`Text`]), blocks
//! (headings, paragraphs, tables, lists, quotes, images, sections, a table of contents) and the
//! [`Document`] they make, built by the views and rendered by `markdown` and `html`.

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
        /// The height of the picture's smallest text in its pixels, where known: the HTML page
        /// states it (`data-text-px`) so that a print check can tell how large it prints.
        text_px: Option<f64>,
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

    /// A section opened by its heading and the paragraph that says what it holds.
    pub fn section(level: u8, heading: &str, intro: impl Into<Text>) -> Document {
        let mut d = Document::default();
        d.heading(level, heading);
        d.paragraph(intro);
        d
    }

    /// A chart's picture, where one was drawn: its path, alternative text, PNG bytes and the
    /// height of its smallest text in pixels.
    pub fn chart(&mut self, chart: Option<(&str, &str, &[u8], f64)>) {
        if let Some((path, alt, png, text_px)) = chart {
            self.blocks.push(Block::Image {
                alt: alt.into(),
                path: path.into(),
                png: png.to_vec(),
                caption: String::new(),
                text_px: Some(text_px),
            });
        }
    }

    pub fn table(&mut self, header: Vec<String>, rows: Vec<Vec<String>>, numeric: Vec<bool>) {
        self.blocks.push(Block::Table {
            header,
            rows,
            numeric,
        });
    }
}
