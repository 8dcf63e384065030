//! Times one k-means fit on the synthetic benchmark data and reports the sum of squares and the
//! peak memory of the process, for benches/compare_sklearn.py.
//!
//! cargo run --release --example kmeans_timing -- ROWS [fast|linfa] [N_INIT]

use std::time::Instant;

use typfrage::cluster::{kmeans, synthetic, Algorithm, Engine, KMeansSettings};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let engine = match args.get(2).map(String::as_str) {
        Some("linfa") => Engine::Linfa,
        _ => Engine::Fast,
    };
    let n_init: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(10);
    let x = synthetic(rows, 12, 42);
    let s = KMeansSettings {
        engine,
        algorithm: Algorithm::Lloyd,
        k: 4,
        seed: 1,
        n_init,
        max_iter: 300,
        tolerance: 1e-4,
    };
    let start = Instant::now();
    let p = kmeans(&x, &s).expect("k-means");
    let seconds = start.elapsed().as_secs_f64();
    println!("{{\"rows\": {rows}, \"engine\": \"{engine:?}\", \"seconds\": {seconds:.4}, \"wss\": {:.4}, \"peak_mb\": {:.1}}}", p.wss, peak_rss_mb());
}
