//! What every chart kind provides ([`Kind`]): its frame's fields (title, size, text scale), the
//! layout its type sizes refer to, its own checks, the texts and colours it holds, its table and
//! its drawing. [`super::Chart`] dispatches to its kind through this trait, so a new kind is a new
//! file implementing it and one variant of the enum.

use plotters::prelude::*;

use super::ruler::{Area, DrawResult, Ruler};
use crate::show::table::Table;

/// The text scale of a chart file that has none (written before the field existed).
pub fn unit_scale() -> f64 {
    1.0
}

/// The accessors of the fields every kind has (`title`, `size`, `scale`), for its `impl Kind`.
macro_rules! frame_fields {
    () => {
        fn title(&self) -> &str {
            &self.title
        }

        fn size(&self) -> [u32; 2] {
            self.size
        }

        fn scale(&self) -> f64 {
            self.scale
        }

        fn look_mut(&mut self) -> (&mut [u32; 2], &mut f64) {
            (&mut self.size, &mut self.scale)
        }
    };
}
pub(super) use frame_fields;

/// One kind of chart: its fields, check, table and drawing.
pub trait Kind {
    fn title(&self) -> &str;

    /// The picture's size in pixels, `[width, height]`.
    fn size(&self) -> [u32; 2];

    /// Text, markers and lines this many times as large as the picture's size alone makes them.
    fn scale(&self) -> f64;

    /// The size and the text scale, to be set.
    fn look_mut(&mut self) -> (&mut [u32; 2], &mut f64);

    /// The reference layout: the width at which text, markers and lines have their reference
    /// sizes ([`super::ruler::Fonts::REFERENCE`]), and the least height that layout needs.
    fn reference_size(&self) -> (f64, f64);

    /// What drawing this kind relies on beyond the frame (shapes, numbers within the limits);
    /// the message names the field, the value and what was expected.
    fn check(&self) -> Result<(), String>;

    /// Every text the chart draws or writes into its CSV, in the order they are checked.
    fn texts_mut(&mut self) -> Vec<&mut String>;

    /// The colours the chart file names (`#RRGGBB`).
    fn colors(&self) -> &[String];

    /// The numbers as a table (the chart's `.csv`, a workbook sheet).
    fn table(&self) -> Table;

    /// Draws the chart on `root`, which has the chart's size, with lengths from `r`.
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, r: &Ruler) -> DrawResult<DB>;
}
