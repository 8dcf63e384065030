//! Text on a chart: its width in the face it is drawn in, wrapped onto lines that fit a width
//! (the last shortened with an ellipsis), and row labels right-aligned against an axis.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ruler::{Area, DrawResult};

/// The width of `s` in pixels.
pub fn text_width<DB: DrawingBackend>(area: &Area<DB>, s: &str, style: &TextStyle) -> i32 {
    area.estimate_text_size(s, style)
        .map_or(8 * s.chars().count() as u32, |(w, _)| w) as i32
}

/// Splits `text` into lines no wider than `max` pixels (at most `max_lines`, the last shortened
/// with an ellipsis).
pub fn wrap<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    style: &TextStyle,
    max: u32,
    max_lines: usize,
) -> Vec<String> {
    let width = |s: &str| area.estimate_text_size(s, style).map_or(0, |(w, _)| w);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // a word wider than the line is broken, each piece but the last ending in a hyphen
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let mut rest = word;
        // (no more pieces than the lines can show)
        while words.len() <= max_lines && width(rest) > max && rest.chars().count() > 1 {
            let cut = rest
                .char_indices()
                .skip(1)
                .map(|(i, _)| i)
                .take_while(|&i| width(&format!("{}-", &rest[..i])) <= max)
                .last()
                .unwrap_or_else(|| rest.char_indices().nth(1).map_or(rest.len(), |(i, _)| i));
            words.push(format!("{}-", &rest[..cut]));
            rest = &rest[cut..];
        }
        words.push(rest.to_string());
    }
    for word in words.iter().map(String::as_str) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        while !last.is_empty() && width(&format!("{last} …")) > max {
            last.pop();
        }
        last.push_str(" …");
    }
    lines
}

/// Row labels wrapped to at most two lines within 36 % of the width, and the widest line's width.
pub fn row_labels<DB: DrawingBackend>(
    root: &Area<DB>,
    rows: &[String],
    style: &TextStyle,
) -> (Vec<Vec<String>>, u32) {
    let max = (root.dim_in_pixel().0 as f64 * 0.36) as u32;
    let wrapped: Vec<Vec<String>> = rows.iter().map(|r| wrap(root, r, style, max, 2)).collect();
    let width = wrapped
        .iter()
        .flatten()
        .map(|l| root.estimate_text_size(l, style).map_or(0, |(w, _)| w))
        .max()
        .unwrap_or(0);
    (wrapped, width)
}

/// A row label's lines, right-aligned at `x`, centred on `y`, `step` pixels apart.
pub fn draw_row_label<DB: DrawingBackend>(
    root: &Area<DB>,
    lines: &[String],
    (x, y): (i32, i32),
    style: &TextStyle,
    step: i32,
) -> DrawResult<DB> {
    let first = y - step * (lines.len() as i32 - 1) / 2;
    for (l, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (x, first + step * l as i32),
            style.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    Ok(())
}
