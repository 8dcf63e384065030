//! Criterion benches of the clustering core: the whole typology on the shipped survey, the
//! bootstrap, and k-means (fast path and linfa) on synthetic data. Results: docs/benchmarks.md.

use std::path::Path;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use typfrage::cluster::{
    builtin_types, fit_typology, kmeans, stability, synthetic, Algorithm, ClusterOptions, Engine,
    KMeansSettings,
};
use typfrage::survey::{load_path, Codebook};

fn survey() -> typfrage::survey::Survey {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/survey.csv");
    load_path(&path, Arc::new(Codebook::builtin()))
        .unwrap()
        .survey
}

fn typology(c: &mut Criterion) {
    let survey = survey();
    let types = builtin_types();
    let mut group = c.benchmark_group("survey");
    group.sample_size(20);
    group.bench_function("typology_50_restarts", |b| {
        b.iter(|| fit_typology(&survey, &ClusterOptions::default(), &types).unwrap())
    });
    let options = ClusterOptions {
        n_init: 10,
        ..ClusterOptions::default()
    };
    let t = fit_typology(&survey, &options, &types).unwrap();
    let labels: Vec<usize> = t.assignments.iter().map(|a| a.type_index).collect();
    let x = t.scaled();
    group.sample_size(10);
    group.bench_function("stability_1000x10", |b| {
        b.iter(|| stability(&x, &labels, &options.settings(), 1000, &|| {}).unwrap())
    });
    group.finish();
}

fn synthetic_kmeans(c: &mut Criterion) {
    let mut group = c.benchmark_group("kmeans_100k_x_12");
    group.sample_size(10);
    let x = synthetic(100_000, 12, 42);
    for engine in [Engine::Fast, Engine::Linfa] {
        let s = KMeansSettings {
            engine,
            algorithm: Algorithm::Lloyd,
            k: 4,
            seed: 1,
            n_init: 10,
            max_iter: 300,
            tolerance: 1e-4,
        };
        group.bench_function(format!("{engine:?}"), |b| {
            b.iter(|| kmeans(&x, &s).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, typology, synthetic_kmeans);
criterion_main!(benches);
