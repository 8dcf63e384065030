//! Colours of the charts: the colour-blind safe categorical palette ([`PALETTE`]), light-to-dark
//! shades for ordered answers ([`sequential`]), a chart file's `#RRGGBB` read ([`parse_color`]),
//! and the ink that reads on a fill ([`ink_on`]).

use plotters::style::{RGBColor, BLACK, WHITE};

/// Colour-blind safe categorical colours (Okabe & Ito), then greys.
pub const PALETTE: [&str; 10] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#999999", "#666666",
];

/// The grey of notes and small print.
pub const GREY_TEXT: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// `n` categorical colours.
pub fn palette(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| PALETTE[i % PALETTE.len()].to_string())
        .collect()
}

/// `n` shades from light to dark blue, for ordered answers (first = lowest).
pub fn sequential(n: usize) -> Vec<String> {
    let (light, dark) = ((0xd6, 0xe6, 0xf4), (0x08, 0x30, 0x6b));
    (0..n)
        .map(|i| {
            let t = if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                1.0
            };
            let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
            format!(
                "#{:02X}{:02X}{:02X}",
                mix(light.0, dark.0),
                mix(light.1, dark.1),
                mix(light.2, dark.2)
            )
        })
        .collect()
}

/// `#RRGGBB` as red, green and blue.
pub fn parse_color(hex: &str) -> Option<(u8, u8, u8)> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// A chart file's colour, grey where it is not one (a checked chart has none such).
pub fn color(hex: &str) -> RGBColor {
    parse_color(hex).map_or(RGBColor(0x99, 0x99, 0x99), |(r, g, b)| RGBColor(r, g, b))
}

/// Black or white, whichever reads better on `c`.
pub fn ink_on(c: RGBColor) -> RGBColor {
    let lum = 0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64;
    if lum > 150.0 {
        BLACK
    } else {
        WHITE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_reject() {
        assert_eq!(parse_color("#0072B2"), Some((0, 0x72, 0xb2)));
        assert_eq!(parse_color("0072B2"), None);
        assert_eq!(parse_color("#00ä2B2"), None);
        assert_eq!(sequential(3)[0], "#D6E6F4");
        assert_eq!(sequential(3)[2], "#08306B");
    }
}
