//! `typfrage hierarchy`: Ward's hierarchical clustering (as R's `hclust(dist(x), "ward.D2")`) on the
//! variables, scaling and missing-value policy of `cluster`, its merge schedule, its partition into k
//! groups, and k-means started from the Ward centroids with the agreement of the two partitions.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{out_or, Outcome, SurveyInput};
use crate::cluster::hierarchy::{merges_csv, ward_survey, WardOptions};
use crate::cluster::ClusterOptions;
use crate::error::Result;
use crate::output::{default_out_dir, ensure_dir, write_atomic};
use crate::tables::{Cell, CsvStyle, Table};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HierarchyRequest {
    #[serde(flatten)]
    pub input: SurveyInput,
    /// Variables, scaling, missing values and k as for `cluster` (seed and restarts unused: the
    /// k-means refinement has one deterministic start, the Ward centroids).
    pub options: ClusterOptions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out: Option<PathBuf>,
}

/// Formats a cross-tab of two partitions as aligned text (rows: Ward groups).
fn crosstab_text(table: &[Vec<usize>]) -> String {
    let mut out = String::from("  Ward \\ k-means");
    for j in 0..table.first().map_or(0, Vec::len) {
        out.push_str(&format!("{:>7}", j + 1));
    }
    out.push('\n');
    for (i, row) in table.iter().enumerate() {
        out.push_str(&format!("  {:<15}", i + 1));
        for n in row {
            out.push_str(&format!("{n:>7}"));
        }
        out.push('\n');
    }
    out
}

pub(super) fn run(r: &HierarchyRequest) -> Result<Outcome> {
    let dir = out_or(&r.out, || default_out_dir(&r.input.file).join("hierarchy"));
    let read = r.input.read_for(&dir, r.options.vars.as_deref())?;
    let survey = &read.loaded.survey;
    let o = &r.options;
    let result = ward_survey(
        survey,
        &WardOptions {
            k: o.k,
            scale: o.scale,
            vars: o.vars.clone(),
            missing: o.missing,
            max_iter: o.max_iter,
            tolerance: o.tolerance,
        },
    )?;
    ensure_dir(&dir)?;
    let merges_path = dir.join("merges.csv");
    let merges = merges_csv(&result.dendrogram)?;
    write_atomic(&merges_path, |w| w.write_all(merges.as_bytes()))?;
    let two = &result.two_step;
    let mut partition = Table::new(["id", "ward_group", "kmeans_group"]);
    for ((id, a), b) in result
        .ids
        .iter()
        .zip(&two.ward_labels)
        .zip(&two.kmeans_labels)
    {
        partition.push(vec![
            Cell::text(id.as_str()),
            Cell::count(a + 1),
            Cell::count(b + 1),
        ]);
    }
    let partition = partition.csv(CsvStyle::Rfc4180)?;
    let partition_path = dir.join("partition.csv");
    write_atomic(&partition_path, |w| w.write_all(partition.as_bytes()))?;

    let n = result.ids.len();
    let last = result.dendrogram.merges.iter().rev().take(8);
    let mut stdout = format!(
        "{}: {n} municipalities clustered ({} left out), {} variables, scaling {}\n\
         Ward's minimum-variance clustering (as R's hclust ward.D2): {} merges; the last ones \
         (height, increase in the within-cluster sum of squares):\n",
        r.input.file.display(),
        result.excluded,
        result.variables.len(),
        o.scale.as_str(),
        result.dendrogram.merges.len(),
    );
    for m in last {
        stdout.push_str(&format!(
            "  {:>2} groups -> {:>2}: height {:>9.3}  increase {:>9.2}\n",
            n - m.step + 1,
            n - m.step,
            m.height,
            m.ss_increase
        ));
    }
    stdout.push_str(&format!(
        "\nk = {}: Ward within-cluster sum of squares {:.2}; k-means started from the Ward centroids {:.2}\n\
         agreement of the two partitions: adjusted Rand index {:.3}, {} of {n} municipalities moved\n",
        two.k, two.ward_wss, two.kmeans_wss, two.ari, two.moved
    ));
    stdout.push_str(&crosstab_text(&two.crosstab));
    stdout.push_str(&format!(
        "wrote {} and {}\n",
        merges_path.display(),
        partition_path.display()
    ));
    stdout.push_str(
        &r.input
            .unweighted_line(&read, &r.options.weight, "hierarchy")?,
    );
    Ok(Outcome::ok(stdout).with_warnings(r.input.load_warnings(&read.loaded)))
}
