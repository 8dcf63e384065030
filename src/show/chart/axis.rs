//! Axis ticks: round values at a round step (1, 2, 2.5 or 5 times a power of ten), each labelled
//! with the decimals the step needs, so that no two ticks read the same, in the output's language
//! (decimal comma in German, a true minus sign); the end of a share axis that fits the data; a
//! plotters axis with exactly those ticks ([`Ticked`]); and the look every chart's axes share
//! ([`style_axes`]).

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::ruler::{Ruler, FONT};
use crate::lang::Lang;
use crate::show::format::number;

/// Ticks of an axis from `lo` to `hi`: about `target` round values inside it, and the decimals
/// that tell them apart.
pub fn ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, usize) {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return (vec![lo], 0);
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|step| *step >= raw * 0.999_999)
        .unwrap_or(10.0 * power);
    // the decimals of the step: 0.05 and 0.25 need 2, 5 needs none
    let decimals = (0..=6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(6) as usize;
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let ticks = (first..=last.max(first))
        .take(1000)
        .map(|i| {
            let v = i as f64 * step;
            if v == 0.0 {
                0.0
            } else {
                v
            }
        })
        .filter(|v| *v >= lo - step * 1e-9 && *v <= hi + step * 1e-9)
        .collect();
    (ticks, decimals)
}

/// A tick's label: `decimals` decimals in the language's notation, negative values with a true
/// minus sign.
pub fn tick_label(v: f64, decimals: usize, lang: Lang) -> String {
    let s = number(v.abs(), decimals, lang);
    let zero = s.chars().all(|c| matches!(c, '0' | ',' | '.'));
    if v < 0.0 && !zero {
        format!("−{s}")
    } else {
        s
    }
}

/// The end of a share axis (in percent) that fits shares up to `max`: the first of 10, 20, 25,
/// 30, 40, 50, 60, 75, 80 and 100 % that leaves a tenth of the axis free beyond the longest bar
/// (for its label); 100 where none does.
pub fn share_axis_end(max: f64) -> f64 {
    [10.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 75.0, 80.0, 100.0]
        .into_iter()
        .find(|end| max <= end * 0.9)
        .unwrap_or(100.0)
}

/// A numeric axis with the ticks given (plotters' own choice of ticks cannot be told the
/// decimals its labels need).
pub struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

/// An axis from `lo` to `hi` with these ticks.
pub fn ticked(lo: f64, hi: f64, ticks: Vec<f64>) -> Ticked {
    Ticked {
        inner: (lo..hi).into(),
        ticks,
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// Axis ticks from `lo` to `hi` and their labels' formatter.
pub fn axis(lo: f64, hi: f64, target: usize, lang: Lang) -> (Vec<f64>, impl Fn(&f64) -> String) {
    let (t, decimals) = ticks(lo, hi, target);
    (t, move |v: &f64| tick_label(*v, decimals, lang))
}

/// A tick of an axis whose ticks plotters chooses: the value with the decimals it needs to be
/// shown exactly (at most 3).
pub fn exact_tick(v: f64, lang: Lang) -> String {
    let decimals = (0..=3)
        .find(|&d| {
            let scaled = v * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(3);
    tick_label(v, decimals, lang)
}

/// The look the axes of bars, scatter, silhouette and line charts share: tick labels and axis
/// titles in the chart's type sizes, tick marks, black axes, and grid lines of `grid`.
pub fn style_axes<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    r: &Ruler,
    grid: RGBColor,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged,
    Y: Ranged,
    DB: DrawingBackend,
{
    mesh.label_style((FONT, r.fonts().tick))
        .axis_desc_style((FONT, r.fonts().label))
        .set_all_tick_mark_size(r.at_least(5.0, 1))
        .axis_style(BLACK.stroke_width(r.stroke(1.0)))
        .bold_line_style(grid.stroke_width(r.stroke(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(lo: f64, hi: f64, lang: Lang) -> Vec<String> {
        let (t, d) = ticks(lo, hi, 6);
        t.iter().map(|v| tick_label(*v, d, lang)).collect()
    }

    #[test]
    fn silhouette_ticks_are_told_apart_with_a_decimal_comma() {
        // the silhouette axis used to read "-0.1, 0, 0.1, 0.1, 0.2, 0.2"
        assert_eq!(
            labels(-0.08, 0.4, Lang::De),
            ["0,0", "0,1", "0,2", "0,3", "0,4"]
        );
        assert_eq!(labels(-0.1, 0.25, Lang::De), ["−0,1", "0,0", "0,1", "0,2"]);
        assert_eq!(labels(-0.1, 0.25, Lang::En)[..3], ["−0.1", "0.0", "0.1"]);
    }

    #[test]
    fn tick_labels_are_distinct_on_any_axis() {
        for (lo, hi) in [
            (0.0, 100.0),
            (0.0, 40.0),
            (1.0, 5.0),
            (2600.0, 4000.0),
            (1.95, 2.3),
            (0.1, 0.17),
            (-3.2, 2.9),
            (0.0, 1e-5),
            (-1e12, 1e12),
        ] {
            let l = labels(lo, hi, Lang::De);
            assert!(l.len() >= 2, "{lo}..{hi}: {l:?}");
            let mut unique = l.clone();
            unique.dedup();
            assert_eq!(unique, l, "{lo}..{hi}");
        }
        assert_eq!(
            labels(0.0, 100.0, Lang::De),
            ["0", "20", "40", "60", "80", "100"]
        );
        assert_eq!(labels(1.0, 5.0, Lang::De), ["1", "2", "3", "4", "5"]);
    }

    #[test]
    fn a_share_axis_ends_at_a_round_value_above_the_largest_share() {
        // Abb. 10 peaks at 32 %
        assert_eq!(share_axis_end(31.6), 40.0);
        assert_eq!(share_axis_end(88.0), 100.0);
        assert_eq!(share_axis_end(5.0), 10.0);
        assert_eq!(share_axis_end(45.0), 50.0);
        assert_eq!(share_axis_end(0.0), 10.0);
    }
}
