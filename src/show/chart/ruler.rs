//! Lengths and type sizes of a drawn chart: every length (text, margins, markers, lines) is its
//! size at the reference layout times the chart's factor ([`super::Chart::factor`]), so a larger
//! picture is the same chart with everything larger. [`Ruler`] makes those lengths, [`Fonts`] the
//! sizes of the chart's texts, in the embedded font ([`FONT`]).

use plotters::coord::Shift;
use plotters::prelude::*;

/// The family the backend registers the embedded font under.
pub const FONT: &str = "sans-serif";

/// What drawing on a plotters area returns.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A drawing area of any plotters backend (PNG and SVG are drawn by the same code).
pub type Area<DB> = DrawingArea<DB, Shift>;

/// Font sizes in pixels of a chart's texts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fonts {
    pub title: f64,
    /// Row and group labels, legends, axis titles.
    pub label: f64,
    /// Axis ticks.
    pub tick: f64,
    /// Values beside or on bars and in cells.
    pub value: f64,
    /// The note under the chart.
    pub note: f64,
    /// Panel titles of a line chart.
    pub panel: f64,
}

impl Fonts {
    /// At the reference layout ([`super::Chart::reference_size`]).
    pub const REFERENCE: Fonts = Fonts {
        title: 24.0,
        label: 14.0,
        tick: 14.0,
        value: 13.0,
        note: 13.0,
        panel: 16.0,
    };

    /// The smallest of the sizes (what decides whether a chart can be read in print).
    pub fn smallest(&self) -> f64 {
        [
            self.title, self.label, self.tick, self.value, self.note, self.panel,
        ]
        .into_iter()
        .fold(f64::INFINITY, f64::min)
    }

    /// Every size times `f`.
    pub fn times(self, f: f64) -> Fonts {
        Fonts {
            title: self.title * f,
            label: self.label * f,
            tick: self.tick * f,
            value: self.value * f,
            note: self.note * f,
            panel: self.panel * f,
        }
    }
}

/// Lengths at the reference layout made the chart's lengths: times the chart's factor.
pub struct Ruler {
    f: f64,
    fonts: Fonts,
}

impl Ruler {
    /// The ruler of a chart drawn `factor` times as large as at the reference layout.
    pub fn new(factor: f64) -> Ruler {
        Ruler {
            f: factor,
            fonts: Fonts::REFERENCE.times(factor),
        }
    }

    /// A length in pixels.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.f).round() as i32
    }

    /// A length in pixels, at least `min`.
    pub fn at_least(&self, v: f64, min: u32) -> u32 {
        ((v * self.f).round().max(0.0) as u32).max(min)
    }

    /// A line's width, at least one pixel.
    pub fn stroke(&self, v: f64) -> u32 {
        self.at_least(v, 1)
    }

    /// The sizes the chart's texts are drawn with.
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    pub fn text(&self, size: f64, c: RGBColor) -> TextStyle<'static> {
        (FONT, size).into_font().color(&c)
    }

    pub fn bold(&self, size: f64, c: RGBColor) -> TextStyle<'static> {
        (FONT, size).into_font().style(FontStyle::Bold).color(&c)
    }
}
