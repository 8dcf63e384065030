//! Numbers for people to read, in the language of the output: [`number`] is the one formatter
//! with a decimal comma in German, used by the sheets, the charts and the reports; shares where
//! fewer than [`SMALL_CELL`] municipalities stand behind them are never shown as a bare percentage.

use crate::lang::Lang;

pub use crate::stats::SMALL_CELL;

/// `v` with `decimals` decimals in the language's notation: decimal comma in German.
pub fn number(v: f64, decimals: usize, lang: Lang) -> String {
    let s = format!("{v:.decimals$}");
    match lang {
        Lang::De => s.replace('.', ","),
        Lang::En => s,
    }
}

/// [`number`] with its sign: `+0,25`, `−0,25` (a true minus sign).
pub fn signed(v: f64, decimals: usize, lang: Lang) -> String {
    let s = number(v.abs(), decimals, lang);
    if v >= 0.0 {
        format!("+{s}")
    } else {
        format!("−{s}")
    }
}

/// A p-value: three decimals, `< 0,001` below that, `–` where there is none.
pub fn p_value(p: Option<f64>, lang: Lang) -> String {
    match p {
        None => "–".into(),
        Some(p) if p < 0.001 => format!("< {}", number(0.001, 3, lang)),
        Some(p) => number(p, 3, lang),
    }
}

/// [`number`] with as few decimals (up to four) as `v` needs: axis ticks such as `0,15`, `4000`.
pub fn shortest(v: f64, lang: Lang) -> String {
    let decimals = (0..4)
        .find(|&d| {
            let scaled = v * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(4);
    number(v, decimals, lang)
}

/// A share for people to read: `"37 %"`, or `"<5 of 12"` where fewer than [`SMALL_CELL`]
/// municipalities stand behind it, `"–"` on an empty base.
pub fn show_percent(count: u64, base: u64, lang: Lang) -> String {
    if base == 0 {
        return "–".into();
    }
    if count > 0 && count < SMALL_CELL {
        return match lang {
            Lang::De => format!("<5 von {base}"),
            Lang::En => format!("<5 of {base}"),
        };
    }
    let p = number(100.0 * count as f64 / base as f64, 0, lang);
    match lang {
        Lang::De => format!("{p} %"),
        Lang::En => format!("{p}%"),
    }
}

/// A count for people beside a share: the number, or `"<5"` where fewer than [`SMALL_CELL`]
/// municipalities (but at least one) stand behind it, so that a masked share is not undone by its
/// count. An empty cell (0) is shown: there is no municipality in it to recognise.
pub fn show_count(count: u64) -> String {
    if count > 0 && count < SMALL_CELL {
        format!("<{SMALL_CELL}")
    } else {
        count.to_string()
    }
}

/// A share for people when the percent is taken of summed weights: "37 %", but "<5 of n" for a
/// cell of fewer than 5 municipalities (the small-cell rule counts municipalities, not weight).
pub fn show_share(count: u64, base: u64, percent: Option<f64>, lang: Lang) -> String {
    let Some(p) = percent.filter(|_| base > 0) else {
        return "–".into();
    };
    if count > 0 && count < SMALL_CELL {
        return show_percent(count, base, lang);
    }
    let p = number(p, 0, lang);
    match lang {
        Lang::De => format!("{p} %"),
        Lang::En => format!("{p}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_numbers_take_a_decimal_comma() {
        assert_eq!(number(1.25, 2, Lang::De), "1,25");
        assert_eq!(number(1.25, 2, Lang::En), "1.25");
        assert_eq!(signed(-0.5, 1, Lang::De), "−0,5");
        assert_eq!(signed(0.5, 1, Lang::En), "+0.5");
    }

    #[test]
    fn shortest_uses_as_few_decimals_as_the_value_needs() {
        assert_eq!(shortest(4000.0, Lang::De), "4000");
        assert_eq!(shortest(0.15000000000000002, Lang::De), "0,15");
        assert_eq!(shortest(2.05, Lang::En), "2.05");
        assert_eq!(shortest(1.0 / 3.0, Lang::En), "0.3333");
    }

    #[test]
    fn small_cells_are_never_a_bare_percentage() {
        assert_eq!(show_percent(3, 40, Lang::En), "<5 of 40");
        assert_eq!(show_percent(0, 40, Lang::En), "0%");
        assert_eq!(show_percent(10, 40, Lang::De), "25 %");
        assert_eq!(show_percent(0, 0, Lang::De), "–");
        assert_eq!(show_count(3), "<5");
        assert_eq!(show_count(0), "0");
        assert_eq!(show_count(5), "5");
    }
}
