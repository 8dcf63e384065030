//! A [`Table`] as aligned plain text for the console: each column as wide as its widest entry
//! (header included) by Unicode width, so that umlauts and wide characters line up; numbers
//! right-aligned in the run's language (decimal comma in German), text left-aligned unless the
//! layout names its column as right-aligned (a number written with its sign or its share); columns
//! apart by a gap, every line after an indent, no space at a line's end; the header may be left out.

use unicode_width::UnicodeWidthStr;

use super::{Cell, Table};
use crate::lang::Lang;
use crate::show::format::number;

/// How a table is laid out on the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    /// The language of the numbers.
    pub lang: Lang,
    /// Spaces before every line.
    pub indent: usize,
    /// Spaces between two columns.
    pub gap: usize,
    /// What an empty cell shows (`-` where a value could not be estimated).
    pub empty: &'static str,
    /// Columns right-aligned although they hold text: numbers written as text (`+0,25`, `12,5%`,
    /// `31 (40,0 %)`).
    pub right: &'static [usize],
    /// Whether the header is written (a list of rows goes without).
    pub header: bool,
}

impl Terminal {
    /// No indent, two spaces between columns, the header written.
    pub fn new(lang: Lang) -> Terminal {
        Terminal {
            lang,
            indent: 0,
            gap: 2,
            empty: "",
            right: &[],
            header: true,
        }
    }

    /// A cell's text: a number with the decimals it asks for (or as few as it needs), a share
    /// with its percent sign.
    fn text(&self, cell: &Cell) -> String {
        match cell {
            Cell::Empty => self.empty.to_string(),
            Cell::Text(s) => s.clone(),
            Cell::Number {
                value,
                decimals: Some(d),
            } => number(*value, *d, self.lang),
            Cell::Number {
                value,
                decimals: None,
            } => match self.lang {
                Lang::De => value.to_string().replace('.', ","),
                Lang::En => value.to_string(),
            },
            Cell::Percent { points, decimals } => {
                let p = number(*points, *decimals, self.lang);
                match self.lang {
                    Lang::De => format!("{p} %"),
                    Lang::En => format!("{p}%"),
                }
            }
        }
    }

    /// The table as lines of text, the header first (if written), each line ending in a line break.
    pub fn render(&self, table: &Table) -> String {
        let rows: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| row.iter().map(|c| self.text(c)).collect())
            .collect();
        let columns = table.header.len();
        // a column of numbers (and gaps) is right-aligned, its header with it
        let right: Vec<bool> = (0..columns)
            .map(|j| {
                self.right.contains(&j)
                    || table.rows.iter().all(|row| {
                        matches!(
                            row.get(j),
                            None | Some(Cell::Empty | Cell::Number { .. } | Cell::Percent { .. })
                        )
                    })
            })
            .collect();
        let header = self.header.then_some(&table.header);
        let widths: Vec<usize> = (0..columns)
            .map(|j| {
                header
                    .map(|h| &h[j])
                    .into_iter()
                    .chain(rows.iter().filter_map(|row| row.get(j)))
                    .map(|s| s.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for line in header.into_iter().chain(&rows) {
            let mut text = " ".repeat(self.indent);
            for (j, cell) in line.iter().enumerate().take(columns) {
                if j > 0 {
                    text.push_str(&" ".repeat(self.gap));
                }
                let pad = " ".repeat(widths[j].saturating_sub(cell.width()));
                if right[j] {
                    text.push_str(&pad);
                    text.push_str(cell);
                } else {
                    text.push_str(cell);
                    text.push_str(&pad);
                }
            }
            out.push_str(text.trim_end_matches(' '));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(["Variable", "gültig", "Anteil"]);
        t.push(vec![
            Cell::text("größe"),
            Cell::count(412),
            Cell::number(0.25, 2),
        ]);
        t.push(vec![
            Cell::text("x"),
            Cell::count(7),
            Cell::percent(31.5, 1),
        ]);
        t
    }

    #[test]
    fn numbers_are_right_aligned_in_the_language_and_text_left_aligned() {
        assert_eq!(
            Terminal::new(Lang::De).render(&table()),
            "Variable  gültig  Anteil\n\
             größe        412    0,25\n\
             x              7  31,5 %\n"
        );
        let english = Terminal {
            indent: 2,
            gap: 1,
            ..Terminal::new(Lang::En)
        };
        assert_eq!(
            english.render(&table()),
            "  Variable gültig Anteil\n  größe       412   0.25\n  x             7  31.5%\n"
        );
    }

    #[test]
    fn named_columns_of_text_are_right_aligned_and_the_header_may_be_left_out() {
        let mut t = Table::new(["type", "difference", "kept"]);
        t.push(vec![
            Cell::text("a"),
            Cell::text("+0,25"),
            Cell::text("31 (40,0 %)"),
        ]);
        t.push(vec![
            Cell::text("bb"),
            Cell::text("−1,50"),
            Cell::text("7 (9,1 %)"),
        ]);
        let term = Terminal {
            right: &[1],
            ..Terminal::new(Lang::De)
        };
        assert_eq!(
            term.render(&t),
            "type  difference  kept\n\
             a          +0,25  31 (40,0 %)\n\
             bb         −1,50  7 (9,1 %)\n"
        );
        let list = Terminal {
            header: false,
            ..term
        };
        assert_eq!(
            list.render(&t),
            "a   +0,25  31 (40,0 %)\nbb  −1,50  7 (9,1 %)\n"
        );
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let mut t = Table::new(["name", "n"]);
        t.push(vec![Cell::text("東京"), Cell::count(1)]);
        t.push(vec![Cell::text("Köln"), Cell::count(22)]);
        assert_eq!(
            Terminal::new(Lang::En).render(&t),
            "name   n\n東京   1\nKöln  22\n"
        );
    }
}
