//! The bounds a chart is checked against wherever the input decides the work ([`MAX_MAGNITUDE`],
//! [`MAX_DECIMALS`], [`MAX_BARS`], [`MAX_POINTS`], ...), and the small checks every kind's check
//! is made of, each message naming the field, the value and what was expected.

/// The largest size of a number a chart may hold (ranges, values, coordinates): far beyond any
/// share, mean or index, and small enough that every difference, padding and tick computed from
/// such numbers stays finite.
pub const MAX_MAGNITUDE: f64 = 1e12;

/// The most decimals a number is drawn with.
pub const MAX_DECIMALS: usize = 6;

/// The most bars (rows x series) of a bar chart, and cells of a heatmap.
pub const MAX_BARS: usize = 10_000;

/// The most points of a scatter plot (points and centres), and values of a silhouette plot: the
/// municipalities of a survey many times the size of the study's.
pub const MAX_POINTS: usize = 100_000;

/// The most series, groups or panels of a chart (each gets a colour and a legend entry).
pub const MAX_GROUPS: usize = 100;

/// The longest text (title, note, label, name) of a chart, in characters.
pub const MAX_TEXT: usize = 2_000;

/// The most x of a line chart.
pub const MAX_LINE_X: usize = 1_000;

/// The largest chart file `typfrage chart` reads.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// At most `most` of `what`.
pub fn count(what: &str, n: usize, most: usize) -> Result<(), String> {
    if n > most {
        Err(format!("{n} {what}: expected at most {most}"))
    } else {
        Ok(())
    }
}

/// A number for a message: in scientific notation where it is very large or very small.
pub fn shown(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// A number within [`MAX_MAGNITUDE`].
pub fn finite(what: &str, v: f64) -> Result<(), String> {
    if v.is_finite() && v.abs() <= MAX_MAGNITUDE {
        Ok(())
    } else {
        Err(format!(
            "{what} {}: expected a number from -{MAX_MAGNITUDE:e} to {MAX_MAGNITUDE:e}",
            shown(v)
        ))
    }
}

/// A value range: two numbers within the limits, low < high, apart by more than rounding.
pub fn check_range(r: [f64; 2]) -> Result<(), String> {
    let ok = r.iter().all(|v| v.is_finite() && v.abs() <= MAX_MAGNITUDE)
        && r[1] - r[0] > 1e-9 * r[0].abs().max(r[1].abs()).max(1.0);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "range [{}, {}]: expected two numbers from -{MAX_MAGNITUDE:e} to {MAX_MAGNITUDE:e}, low < high (apart by more than a billionth of their size)",
            shown(r[0]),
            shown(r[1])
        ))
    }
}
