//! Axis ticks: round values at a round step (1, 2, 2.5 or 5 times a power of ten), each labelled
//! with the decimals the step needs, so that no two ticks read the same, in the output's language
//! (decimal comma in German, a true minus sign); and the end of a share axis that fits the data.

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
