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

/// Fills the picture white and draws the title at the top left and the note at the bottom left;
/// returns the height the title takes.
pub fn frame<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    note: &str,
    r: &Ruler,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (_, h) = root.dim_in_pixel();
    let style = title_style(r);
    let lines = title_lines(root, title, r);
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (r.px(20.0), r.px(12.0 + 28.0 * i as f64)),
            style.clone(),
        ))?;
    }
    root.draw(&Text::new(
        note.to_string(),
        (r.px(20.0), h as i32 - r.px(24.0)),
        r.text(r.fonts().note, GREY_TEXT),
    ))?;
    Ok(r.px(16.0 + 28.0 * lines.len() as f64))
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
