//! Times Ward's clustering and the Gaussian mixtures on a numeric CSV file (a header row; every
//! column numeric, except a first column named `id`), for `benches/compare_r.R`, which runs R's
//! `hclust` and `Mclust` on the same file in the same run. Reading the file is not timed.
//!
//! ```sh
//! cargo build --release --example compare_r
//! target/release/examples/compare_r ward FILE.csv [REPEATS]
//! target/release/examples/compare_r mixtures FILE.csv [REPEATS]   # k = 2..8, EII VII EEI VVI EEE VVV
//! ```
//! Prints the best time in seconds and a check value (the last merge height; the best BIC).

use std::time::Instant;

use ndarray::Array2;
use typfrage::cluster::hierarchy::ward;
use typfrage::cluster::mixture::{fit_mixtures, MixtureOptions};

fn read(path: &str) -> Result<Array2<f64>, Box<dyn std::error::Error>> {
    let mut reader = csv::Reader::from_path(path)?;
    let skip = usize::from(reader.headers()?.get(0) == Some("id"));
    let mut values = Vec::new();
    let mut rows = 0;
    for record in reader.records() {
        let record = record?;
        for (j, field) in record.iter().enumerate().skip(skip) {
            values.push(field.parse::<f64>().map_err(|e| {
                format!("{path}, row {}, column {}: '{field}': {e}", rows + 2, j + 1)
            })?);
        }
        rows += 1;
    }
    let cols = values.len() / rows.max(1);
    Ok(Array2::from_shape_vec((rows, cols), values)?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(what), Some(path)) = (args.get(1), args.get(2)) else {
        return Err("usage: compare_r ward|mixtures FILE.csv [REPEATS]".into());
    };
    let repeats: usize = args.get(3).map_or(Ok(3), |r| r.parse())?;
    let x = read(path)?;
    let mut best = f64::INFINITY;
    let mut check = 0.0;
    for _ in 0..repeats.max(1) {
        let start = Instant::now();
        check = match what.as_str() {
            "ward" => ward(&x)?.merges.last().map_or(0.0, |m| m.height),
            "mixtures" => {
                let m = fit_mixtures(&x, &MixtureOptions::default())?;
                m.best(None)
                    .and_then(|f| f.estimate.as_ref())
                    .map_or(f64::NAN, |e| e.bic)
            }
            other => {
                return Err(format!("unknown work '{other}'; expected ward or mixtures").into())
            }
        };
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("{best:.4} {check:.6}");
    Ok(())
}
