//! A chart's legend under its plot ([`BottomLegend`]): a coloured square and a name per series or
//! group, flowing left to right and onto further rows where the width ends.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::colour::color;
use super::ruler::{Area, DrawResult, Ruler};
use super::text::text_width;

/// The legend's entries: each name with its colour.
fn legend_entries(names: &[String], colors: &[String]) -> Vec<(String, RGBColor)> {
    names
        .iter()
        .zip(colors)
        .map(|(n, c)| (n.clone(), color(c)))
        .collect()
}

/// Legend entries flowing left to right from `(x, y)` within `width`, drawn or (with `draw`
/// false) only measured; returns the height used.
fn legend<DB: DrawingBackend>(
    root: &Area<DB>,
    (x, y): (i32, i32),
    width: i32,
    entries: &[(String, RGBColor)],
    draw: bool,
    r: &Ruler,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = r.text(r.fonts().label, BLACK);
    let (mut cx, mut cy) = (x, y);
    for (label, c) in entries {
        let item = r.px(46.0) + text_width(root, label, &style);
        if cx > x && cx + item > x + width {
            cx = x;
            cy += r.px(24.0);
        }
        if draw {
            root.draw(&Rectangle::new(
                [(cx, cy), (cx + r.px(16.0), cy + r.px(16.0))],
                c.filled(),
            ))?;
            root.draw(&Text::new(
                label.clone(),
                (cx + r.px(22.0), cy + r.px(8.0)),
                style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        cx += item;
    }
    Ok(cy - y + r.px(24.0))
}

/// The legend under a plot, above the note: measured before the plot is laid out (its height
/// leaves room), drawn after.
pub struct BottomLegend {
    entries: Vec<(String, RGBColor)>,
    /// The height it takes.
    pub height: i32,
}

impl BottomLegend {
    /// The legend of `names` in `colors`, measured for the picture's width.
    pub fn measure<DB: DrawingBackend>(
        root: &Area<DB>,
        names: &[String],
        colors: &[String],
        r: &Ruler,
    ) -> Result<BottomLegend, DrawingAreaErrorKind<DB::ErrorType>> {
        let entries = legend_entries(names, colors);
        let (w, _) = root.dim_in_pixel();
        let height = legend(
            root,
            (r.px(20.0), 0),
            w as i32 - r.px(40.0),
            &entries,
            false,
            r,
        )?;
        Ok(BottomLegend { entries, height })
    }

    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB> {
        let (w, h) = root.dim_in_pixel();
        legend(
            root,
            (r.px(20.0), h as i32 - r.px(40.0) - self.height),
            w as i32 - r.px(40.0),
            &self.entries,
            true,
            r,
        )?;
        Ok(())
    }
}
