//! How large a chart is drawn, asked for on the command line or in a request: the picture's size
//! ([`ChartSize`], `1920x1080` for a slide, a width alone for print), how large text, markers and
//! lines are relative to the picture, and whether share axes run the full 0-100 %
//! ([`ChartLook`]). Applied to a chart before it is drawn ([`super::Chart::set_look`]); the chart
//! file records the result.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The smallest and largest picture a chart may have (as [`super::Chart::check`] requires).
pub const WIDTHS: std::ops::RangeInclusive<u32> = 200..=6000;
pub const HEIGHTS: std::ops::RangeInclusive<u32> = 150..=12000;

/// The least height (in points) of a chart's text where a page prints it: the report draws its
/// charts large enough for it ([`super::Chart::scale_for_print`]), its print check holds it.
pub const PRINT_MIN_POINTS: f64 = 8.0;

/// The range of the text scale (`--chart-scale`, a chart file's `scale`).
pub const SCALES: std::ops::RangeInclusive<f64> = 0.5..=2.0;

/// A picture size: `WIDTHxHEIGHT`, or `WIDTH` alone (the height then keeps the chart's shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChartSize {
    pub width: u32,
    pub height: Option<u32>,
}

impl fmt::Display for ChartSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.height {
            Some(h) => write!(f, "{}x{h}", self.width),
            None => write!(f, "{}", self.width),
        }
    }
}

impl From<ChartSize> for String {
    fn from(s: ChartSize) -> String {
        s.to_string()
    }
}

impl TryFrom<String> for ChartSize {
    type Error = String;
    fn try_from(s: String) -> Result<ChartSize, String> {
        s.parse()
    }
}

impl FromStr for ChartSize {
    type Err = String;
    /// `1920x1080` (or `1920×1080`, `1920X1080`) or `3000`, within [`WIDTHS`] and [`HEIGHTS`].
    fn from_str(s: &str) -> Result<ChartSize, String> {
        let expected = || {
            format!(
                "'{}' is not a chart size; expected WIDTHxHEIGHT in pixels (1920x1080) or a width alone (3000), {} to {} wide and {} to {} high",
                crate::escape::field(s),
                WIDTHS.start(),
                WIDTHS.end(),
                HEIGHTS.start(),
                HEIGHTS.end()
            )
        };
        let number = |t: &str| -> Result<u32, String> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(expected());
            }
            t.parse().map_err(|_| expected())
        };
        let t = s.trim();
        let size = match t.split_once(['x', 'X', '×']) {
            Some((w, h)) => ChartSize {
                width: number(w.trim())?,
                height: Some(number(h.trim())?),
            },
            None => ChartSize {
                width: number(t)?,
                height: None,
            },
        };
        size.check().map_err(|_| expected())?;
        Ok(size)
    }
}

impl ChartSize {
    pub fn check(&self) -> Result<(), String> {
        let wide = WIDTHS.contains(&self.width);
        let high = self.height.is_none_or(|h| HEIGHTS.contains(&h));
        if wide && high {
            Ok(())
        } else {
            Err(format!(
                "chart size {self}: expected {} to {} pixels wide and {} to {} high",
                WIDTHS.start(),
                WIDTHS.end(),
                HEIGHTS.start(),
                HEIGHTS.end()
            ))
        }
    }

    /// The picture for a chart whose own size is `(w, h)`: this width, and this height or the
    /// one that keeps the chart's shape.
    pub fn resolve(&self, (w, h): (u32, u32)) -> (u32, u32) {
        let height = self.height.unwrap_or_else(|| {
            (h as f64 * self.width as f64 / w.max(1) as f64)
                .round()
                .clamp(1.0, u32::MAX as f64) as u32
        });
        (self.width, height)
    }
}

/// How charts are drawn, beyond what they show: recorded in the requests of the commands that
/// draw (`--chart-size`, `--chart-scale`, `--full-scale`; the fields' doc comments are their help
/// texts). Nothing given: the charts as built.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ChartLook {
    /// Picture size of every chart in pixels: WIDTHxHEIGHT (1920x1080 for a slide) or a width
    /// alone (3000 for print; the height keeps each chart's shape). Text, markers and lines
    /// grow with the picture [default: 1200 (1500 for choose-k) wide, as high as the chart needs]
    // `None`: each chart's own size
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long = "chart-size", value_name = "WxH"))]
    pub size: Option<ChartSize>,
    /// Text, markers and lines this many times as large, relative to the picture (0.5 to 2)
    // `None`: as the chart has it (1 for a new chart)
    #[serde(default)]
    #[cfg_attr(
        feature = "cli",
        arg(id = "chart_scale", long = "chart-scale", value_name = "F")
    )]
    pub scale: Option<f64>,
    /// Share axes from 0 to 100 % [default: to a round value above the largest share]
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub full_scale: bool,
}

impl ChartLook {
    /// The options' ranges, named as on the command line.
    pub fn check(&self) -> Result<(), String> {
        if let Some(size) = &self.size {
            size.check().map_err(|e| format!("--chart-size: {e}"))?;
        }
        if let Some(s) = self.scale {
            if !(s.is_finite() && SCALES.contains(&s)) {
                return Err(format!(
                    "--chart-scale {s}: expected a number from {} to {}",
                    SCALES.start(),
                    SCALES.end()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_sizes_parse_and_bad_ones_are_refused() {
        assert_eq!(
            "1920x1080".parse::<ChartSize>(),
            Ok(ChartSize {
                width: 1920,
                height: Some(1080)
            })
        );
        assert_eq!(
            "1920×1080".parse::<ChartSize>().unwrap().to_string(),
            "1920x1080"
        );
        assert_eq!(
            "3000".parse::<ChartSize>().unwrap(),
            ChartSize {
                width: 3000,
                height: None
            }
        );
        for bad in [
            "",
            "x",
            "1920x",
            "x1080",
            "0x0",
            "100x100",
            "1920x-5",
            "1e3x900",
            "7000x900",
            "1920x1080x2",
        ] {
            assert!(bad.parse::<ChartSize>().is_err(), "{bad}");
        }
        let wide = ChartSize {
            width: 2400,
            height: None,
        };
        assert_eq!(wide.resolve((1200, 451)), (2400, 902));
    }

    #[test]
    fn a_look_checks_its_scale() {
        let look = |scale| ChartLook {
            scale: Some(scale),
            ..ChartLook::default()
        };
        assert!(look(1.5).check().is_ok());
        assert!(look(0.1).check().is_err());
        assert!(look(2.5).check().is_err());
        assert!(look(f64::NAN).check().is_err());
        assert!(ChartLook::default().check().is_ok());
    }
}
