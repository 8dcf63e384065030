//! The frame every chart kind draws in: a white picture with the title at the top left (wrapped
//! onto at most two lines) and the data-source note at the bottom left, and the area inside
//! margins that never collapses however large the text is drawn.

use plotters::prelude::*;

use super::colour::GREY_TEXT;
use super::ruler::{Area, Ruler};
use super::text::wrap;

fn title_lines<DB: DrawingBackend>(root: &Area<DB>, title: &str, r: &Ruler) -> Vec<String> {
    let (w, _) = root.dim_in_pixel();
    wrap(
        root,
        title,
        &title_style(r),
        w.saturating_sub(2 * r.px(20.0) as u32),
        2,
    )
}

fn title_style(r: &Ruler) -> TextStyle<'static> {
    r.bold(r.fonts().title, BLACK)
}

/// The most lines a note is wrapped onto (the last shortened with an ellipsis).
const NOTE_LINES: usize = 3;

/// Fills the picture white and draws the title at the top left and the note at the bottom left,
/// wrapped onto lines that fit the picture; returns the height the title takes and the area
/// the chart has above the note: the whole picture where the note takes one line (each kind
/// leaves room for that line), less the further lines of a longer note.
pub fn frame<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    note: &str,
    r: &Ruler,
) -> Result<(i32, Area<DB>), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let style = title_style(r);
    let lines = title_lines(root, title, r);
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (r.px(20.0), r.px(12.0 + 28.0 * i as f64)),
            style.clone(),
        ))?;
    }
    let note_style = r.text(r.fonts().note, GREY_TEXT);
    let notes = wrap(
        root,
        note,
        &note_style,
        w.saturating_sub(2 * r.px(20.0) as u32),
        NOTE_LINES,
    );
    let step = r.px(19.0);
    let extra = step * (notes.len() as i32 - 1).max(0);
    for (i, line) in notes.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (r.px(20.0), h as i32 - r.px(24.0) - extra + step * i as i32),
            note_style.clone(),
        ))?;
    }
    // never more than half the picture to the note's further lines
    let extra = extra.clamp(0, h as i32 / 2) as u32;
    let chart = root.margin(0, extra, 0, 0);
    Ok((r.px(16.0 + 28.0 * lines.len() as f64), chart))
}

/// `root` without the margins, each shrunk in proportion where together they would leave fewer
/// than a tenth of the picture (a large text scale on a small picture): never an empty or
/// inverted area.
pub fn inside<DB: DrawingBackend>(
    root: &Area<DB>,
    (top, bottom, left, right): (i32, i32, i32, i32),
) -> Area<DB> {
    let (w, h) = root.dim_in_pixel();
    let fit = |a: i32, b: i32, room: u32| -> (u32, u32) {
        let (a, b) = (a.max(0) as f64, b.max(0) as f64);
        let most = room as f64 * 0.9;
        let k = if a + b > most { most / (a + b) } else { 1.0 };
        ((a * k) as u32, (b * k) as u32)
    };
    let (top, bottom) = fit(top, bottom, h);
    let (left, right) = fit(left, right, w);
    root.margin(top, bottom, left, right)
}
