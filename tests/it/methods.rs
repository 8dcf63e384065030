//! Ward's clustering and the Gaussian mixtures against numbers recorded from R 4.2.2 with mclust
//! 6.0.0 by tests/reference/ward_mclust.R, which also wrote the fixture these tests read,
//! tests/reference/goals.csv: the goal matrix of the shipped survey as typfrage clusters it (388
//! rows after listwise deletion, eleven goals, no scaling, canonical row order).

use std::sync::OnceLock;

use ndarray::Array2;
use typfrage::cluster::adjusted_rand_index;
use typfrage::cluster::hierarchy::{two_step, ward};
use typfrage::cluster::mixture::{fit_mixtures, CovarianceModel, MixtureOptions, Mixtures};
use typfrage::show::views::hierarchy::merges_csv;
use typfrage::show::views::mixture::bic_csv;

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference");

fn read(name: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(format!("{REFERENCE}/{name}")).expect(name);
    r.records().map(|r| r.expect("record")).collect()
}

/// The goal matrix (388 x 11), rows in the order of the fixture.
fn goals() -> &'static Array2<f64> {
    static X: OnceLock<Array2<f64>> = OnceLock::new();
    X.get_or_init(|| {
        let rows = read("goals.csv");
        let d = rows[0].len() - 1;
        Array2::from_shape_fn((rows.len(), d), |(i, j)| rows[i][j + 1].parse().unwrap())
    })
}

fn mixtures() -> &'static Mixtures {
    static M: OnceLock<Mixtures> = OnceLock::new();
    M.get_or_init(|| fit_mixtures(goals(), &MixtureOptions::default()).unwrap())
}

fn relative(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn the_fixture_is_the_clustered_goal_matrix() {
    let x = goals();
    assert_eq!(x.dim(), (388, 11));
    assert!(x
        .iter()
        .all(|v| (1.0..=5.0).contains(v) && v.fract() == 0.0));
}

/// Every merge is R's merge (the same two groups, in R's notation) at R's height to 1e-9
/// relative, ties included: the tie rules are R's.
#[test]
fn ward_merges_reproduce_r_hclust_ward_d2() {
    let tree = ward(goals()).unwrap();
    let reference = read("ward_merges.csv");
    assert_eq!(tree.merges.len(), reference.len());
    for (m, r) in tree.merges.iter().zip(&reference) {
        let (a, b): (i64, i64) = (r[1].parse().unwrap(), r[2].parse().unwrap());
        let height: f64 = r[3].parse().unwrap();
        assert_eq!((m.a, m.b), (a, b), "merge {}", m.step);
        assert!(
            relative(m.height, height) <= 1e-9,
            "merge {}: height {} against R's {height}",
            m.step,
            m.height
        );
        assert!((m.ss_increase - m.height * m.height / 2.0).abs() <= 1e-9 * m.ss_increase);
    }
}

/// The rows in the order of the survey file (its identifiers are in file order) give R's tree on
/// the file, ties included: the tree `typfrage hierarchy` writes.
#[test]
fn ward_merges_in_file_order_reproduce_r_on_the_file() {
    let rows = read("goals.csv");
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| rows[a][0].cmp(&rows[b][0]));
    let x = goals().select(ndarray::Axis(0), &order);
    let tree = ward(&x).unwrap();
    let reference = read("ward_merges_file_order.csv");
    assert_eq!(tree.merges.len(), reference.len());
    for (m, r) in tree.merges.iter().zip(&reference) {
        let (a, b): (i64, i64) = (r[1].parse().unwrap(), r[2].parse().unwrap());
        let height: f64 = r[3].parse().unwrap();
        assert_eq!((m.a, m.b), (a, b), "merge {}", m.step);
        assert!(relative(m.height, height) <= 1e-9, "merge {}", m.step);
    }
}

/// Cutting the tree into four groups gives R's `cutree(hc, 4)`, group numbers included.
#[test]
fn ward_cut_at_four_is_r_cutree() {
    let tree = ward(goals()).unwrap();
    let labels = tree.cut(4).unwrap();
    let reference: Vec<usize> = read("ward_k4.csv")
        .iter()
        .map(|r| r[1].parse::<usize>().unwrap() - 1)
        .collect();
    assert_eq!(labels, reference);
}

/// The within-cluster sum of squares of a cut, summed from the merges' increases, is the sum of
/// squared distances to the groups' means.
#[test]
fn ward_increases_add_up_to_the_within_cluster_sum_of_squares() {
    let x = goals();
    let tree = ward(x).unwrap();
    for k in [1, 2, 4, 8, 50] {
        let labels = tree.cut(k).unwrap();
        let mut wss = 0.0;
        for c in 0..k {
            let members: Vec<usize> = (0..x.nrows()).filter(|&i| labels[i] == c).collect();
            for j in 0..x.ncols() {
                let mean = members.iter().map(|&i| x[[i, j]]).sum::<f64>() / members.len() as f64;
                wss += members
                    .iter()
                    .map(|&i| (x[[i, j]] - mean).powi(2))
                    .sum::<f64>();
            }
        }
        assert!(relative(tree.within_ss(k), wss) < 1e-9, "k = {k}");
    }
}

/// k-means from the Ward centroids ends in a partition where every row is nearest to its own
/// centroid, with a smaller sum of squares than Ward's, and the cross-tab adds up.
#[test]
fn two_step_refines_the_ward_partition() {
    let x = goals();
    let tree = ward(x).unwrap();
    let t = two_step(x, &tree, 4, 300, 1e-9).unwrap();
    assert!(t.kmeans_wss <= t.ward_wss);
    assert!(relative(t.ward_wss, tree.within_ss(4)) < 1e-9);
    for (i, row) in x.rows().into_iter().enumerate() {
        let d: Vec<f64> = t
            .kmeans_centroids
            .iter()
            .map(|c| c.iter().zip(row).map(|(a, b)| (a - b) * (a - b)).sum())
            .collect();
        assert!(d[t.kmeans_labels[i]] <= d.iter().copied().fold(f64::INFINITY, f64::min) + 1e-9);
    }
    assert_eq!(t.crosstab.iter().flatten().sum::<usize>(), 388);
    let stay: usize = (0..4).map(|c| t.crosstab[c][c]).sum();
    assert_eq!(stay + t.moved, 388);
    assert_eq!(t.ari, adjusted_rand_index(&t.ward_labels, &t.kmeans_labels));
}

#[test]
fn merges_csv_has_a_row_per_merge() {
    let tree = ward(goals()).unwrap();
    let csv = merges_csv(&tree).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "step,a,b,height,ss_increase,size");
    assert_eq!(lines.len(), 388);
    assert!(lines[387].ends_with(",388"));
}

/// Each model's BIC against mclust's. The parameter counts must be mclust's. mclust starts EM
/// once, from its model-based hierarchical clustering; typfrage from Ward's partition and four
/// k-means partitions, keeping the best likelihood. So a fit may reach another local optimum:
/// where typfrage's BIC is lower than mclust's, it must be within 0.1 %; where it is higher,
/// typfrage found a better optimum (the test prints both). Where mclust could not estimate a
/// model (VVI for k >= 5), typfrage may have found an estimable optimum from another start.
#[test]
fn mixture_bic_matches_mclust_or_is_a_better_optimum() {
    let m = mixtures();
    let reference = read("mclust_bic.csv");
    assert_eq!(m.fits.len(), reference.len());
    let (mut close, mut better) = (0, 0);
    for (f, r) in m.fits.iter().zip(&reference) {
        assert_eq!((f.k.to_string().as_str(), f.model.name()), (&r[0], &r[1]));
        let ours = f.estimate.as_ref().map(|e| e.bic);
        if &r[4] == "NA" {
            eprintln!("k {} {}: mclust NA, typfrage {ours:?}", f.k, f.model.name());
            continue;
        }
        assert_eq!(
            f.n_params.to_string(),
            &r[3],
            "k {} {}",
            f.k,
            f.model.name()
        );
        let theirs: f64 = r[4].parse().unwrap();
        let ours = ours.unwrap_or_else(|| panic!("k {} {} not estimable", f.k, f.model.name()));
        if relative(ours, theirs) <= 1e-3 {
            close += 1;
        } else {
            assert!(
                ours > theirs,
                "k {} {}: BIC {ours} below mclust's {theirs} by more than 0.1 %",
                f.k,
                f.model.name()
            );
            better += 1;
            eprintln!(
                "k {} {}: typfrage BIC {ours:.2}, mclust {theirs:.2} (a better optimum)",
                f.k,
                f.model.name()
            );
        }
    }
    eprintln!("{close} within 0.1 % of mclust, {better} better");
    assert!(close + better == reference.iter().filter(|r| &r[4] != "NA").count());
}

/// The model BIC prefers is mclust's choice (EII with 6 components: mclust's largest BIC in
/// tests/reference/mclust_bic.csv).
#[test]
fn bic_chooses_the_model_mclust_chooses() {
    let reference = read("mclust_bic.csv");
    let best = reference
        .iter()
        .filter(|r| &r[4] != "NA")
        .max_by(|a, b| {
            a[4].parse::<f64>()
                .unwrap()
                .total_cmp(&b[4].parse().unwrap())
        })
        .unwrap();
    let ours = mixtures().best(None).unwrap();
    assert_eq!(
        (ours.k.to_string().as_str(), ours.model.name()),
        (&best[0], &best[1])
    );
}

#[test]
fn em_never_lowers_the_likelihood_and_memberships_are_probabilities() {
    for f in &mixtures().fits {
        let Some(e) = &f.estimate else { continue };
        for w in e.trace.windows(2) {
            assert!(
                w[1] >= w[0] - 1e-9 * w[0].abs(),
                "k {} {}",
                f.k,
                f.model.name()
            );
        }
        assert_eq!(e.z.len(), 388);
        for (z, &l) in e.z.iter().zip(&e.labels) {
            assert!((z.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            assert!(z.iter().all(|p| (0.0..=1.0).contains(p)));
            assert!(z.iter().all(|&p| p <= z[l]));
        }
        assert!((e.proportions.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(e.icl <= e.bic && e.entropy >= 0.0);
    }
}

#[test]
fn bic_csv_has_a_row_per_k_and_model() {
    let csv = bic_csv(mixtures()).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 7 * CovarianceModel::ALL.len());
    assert!(lines[0].starts_with("k,model,n_params,loglik,bic,icl"));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("8,VVI,183,") && l.ends_with("not estimable")));
}

/// The response-style check on the shipped survey's typology: the numbers add up (what they are
/// is printed; they change when the stand-in data are re-generated).
#[test]
fn response_style_on_the_shipped_survey() {
    use std::sync::Arc;
    use typfrage::cluster::response_style::{response_style, ResponseStyleOptions};
    use typfrage::cluster::{builtin_types, fit_typology, ClusterOptions};
    use typfrage::survey::{load_path, Codebook};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/survey.csv");
    let survey = load_path(&path, Arc::new(Codebook::builtin()))
        .unwrap()
        .survey;
    let typology = fit_typology(&survey, &ClusterOptions::default(), &builtin_types()).unwrap();
    for by_spread in [false, true] {
        let r = response_style(&typology, &ResponseStyleOptions { by_spread }).unwrap();
        assert_eq!(r.n, typology.assignments.len());
        assert_eq!(r.crosstab.iter().flatten().sum::<usize>(), r.n);
        assert_eq!(r.types.iter().map(|t| t.n).sum::<usize>(), r.n);
        assert_eq!(r.types.iter().map(|t| t.kept).sum::<usize>(), r.kept);
        let weakest = &r.types[r.most_level_dependent];
        assert!(r.types.iter().all(|t| t.kept_share >= weakest.kept_share));
        eprintln!(
            "by spread {by_spread}: {} of {} keep their type (ARI {:.3}); {} constant rows; {:?}",
            r.kept, r.n, r.ari, r.constant_rows, r.crosstab
        );
        for t in &r.types {
            eprintln!(
                "  {:<26} n {:>3} level {:.2} ({:+.2} sd) kept {:>3} ({:.1} %)",
                t.id,
                t.n,
                t.mean_level,
                t.level_difference,
                t.kept,
                100.0 * t.kept_share
            );
        }
    }
}

/// The best mixture (by BIC, and the best with four components) against the k-means partition
/// `cluster` finds (50 k-means++ restarts, seed 2020); and the Ward two-step's agreement. The
/// numbers are printed for the reader; the test checks that they are what they claim to be.
#[test]
fn agreement_with_the_k_means_partition() {
    use typfrage::cluster::mixture::agreement;
    use typfrage::cluster::{fit_fast, Algorithm, Engine, KMeansSettings};
    let x = goals();
    let settings = KMeansSettings {
        engine: Engine::Fast,
        algorithm: Algorithm::Lloyd,
        k: 4,
        seed: 2020,
        n_init: 50,
        max_iter: 300,
        tolerance: 1e-6,
    };
    let types = fit_fast(x, &settings).unwrap().labels;
    for fit in [mixtures().best(None), mixtures().best(Some(4))] {
        let fit = fit.unwrap();
        let a = agreement(fit, &types).unwrap();
        let labels = &fit.estimate.as_ref().unwrap().labels;
        assert_eq!(a.ari, adjusted_rand_index(&types, labels));
        assert_eq!(a.crosstab.iter().flatten().sum::<usize>(), 388);
        eprintln!(
            "{} k = {}: ARI with the k-means types {:.3}, cross-tab {:?}",
            a.model.name(),
            a.k,
            a.ari,
            a.crosstab
        );
    }
    let t = two_step(x, &ward(x).unwrap(), 4, 300, 1e-9).unwrap();
    eprintln!(
        "Ward k = 4 (wss {:.2}) -> k-means (wss {:.2}): ARI {:.3}, {} moved; k-means from the Ward centroids vs 50 restarts: ARI {:.3}",
        t.ward_wss,
        t.kmeans_wss,
        t.ari,
        t.moved,
        adjusted_rand_index(&t.kmeans_labels, &types)
    );
}

/// Ward on a survey uses `cluster`'s matrix: the same rows and left-out municipalities, in the
/// order of the survey file.
#[test]
fn ward_on_the_survey_clusters_what_cluster_clusters() {
    use std::sync::Arc;
    use typfrage::cluster::hierarchy::{ward_survey, WardOptions};
    use typfrage::cluster::{builtin_types, fit_typology, ClusterOptions};
    use typfrage::survey::{load_path, Codebook};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/survey.csv");
    let survey = load_path(&path, Arc::new(Codebook::builtin()))
        .unwrap()
        .survey;
    let typology = fit_typology(&survey, &ClusterOptions::default(), &builtin_types()).unwrap();
    let w = ward_survey(&survey, &WardOptions::default()).unwrap();
    let mut ids: Vec<(usize, String)> = typology
        .matrix
        .rows
        .iter()
        .map(|&r| (r, survey.ids()[r].clone()))
        .collect();
    ids.sort();
    let in_file_order: Vec<String> = ids.into_iter().map(|(_, id)| id).collect();
    assert_eq!(w.ids, in_file_order);
    assert_eq!(w.clustered, w.ids.len());
    assert_eq!(w.excluded, typology.matrix.excluded.len());
    assert_eq!(w.dendrogram.n, w.ids.len());
    assert_eq!(w.two_step.kmeans_labels.len(), w.ids.len());
    assert_eq!(w.variables, typology.variables());
}
