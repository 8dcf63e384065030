//! Ward's clustering as people read it: `merges.csv` ([`merges_table`]) and the dendrogram as a
//! chart file ([`dendrogram_chart`]): only the top of the tree, the last merges over at most a
//! given number of groups (each leaf a group of municipalities labelled with its size), so that
//! it reads the same for 400 and for 10,000 rows; the cut into k groups dashed.

use crate::cluster::hierarchy::Dendrogram;
use crate::cluster::{Named, TypeName};
use crate::lang::Lang;
use crate::show::chart::{Chart, DendrogramChart, DendrogramLeaf, DendrogramMerge};
use crate::show::labels::DataSource;
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, CsvStyle, Table};
use crate::show::words::Words;

/// `merges.csv` as a table (see [`merges_csv`]), for any CSV style or a workbook.
pub fn merges_table(tree: &Dendrogram) -> Table {
    let mut t = Table::new(["step", "a", "b", "height", "ss_increase", "size"]);
    for m in &tree.merges {
        t.push(vec![
            Cell::count(m.step),
            Cell::exact(m.a as f64),
            Cell::exact(m.b as f64),
            Cell::exact(m.height),
            Cell::exact(m.ss_increase),
            Cell::count(m.size),
        ]);
    }
    t
}

/// `merges.csv`: one row per merge in merge order (`step,a,b,height,ss_increase,size`; `a`, `b` in
/// R's notation), numbers with full precision.
pub fn merges_csv(tree: &Dendrogram) -> Result<String, csv::Error> {
    merges_table(tree).csv(CsvStyle::Rfc4180)
}

/// The last merges (at most `last`, the final one first) as a console table: how many groups
/// before and after each (of `n` clustered rows), its height and the increase in the
/// within-cluster sum of squares.
pub fn last_merges_text(tree: &Dendrogram, n: usize, last: usize, lang: Lang) -> String {
    let mut table = Table::new([
        lang.pick("Gruppen", "groups"),
        lang.pick("Höhe", "height"),
        lang.pick("Zunahme", "increase"),
    ]);
    for m in tree.merges.iter().rev().take(last) {
        table.push(vec![
            Cell::text(format!("{} -> {}", n - m.step + 1, n - m.step)),
            Cell::number(m.height, 3),
            Cell::number(m.ss_increase, 2),
        ]);
    }
    let term = Terminal {
        indent: 2,
        right: &[0],
        ..Terminal::new(lang)
    };
    term.render(&table)
}

/// How many groups the dendrogram chart starts from by default.
pub const DENDROGRAM_LEAVES: usize = 30;

/// The tree above the last `leaves` groups (all rows when there are fewer): the groups that
/// exist after the first `n - leaves` merges become the leaves, the last `leaves - 1` merges join
/// them, renumbered in R's notation among themselves. The leaves in order of the number R's
/// notation gives them (a row by its number, a group by the step that formed it).
pub fn truncate(tree: &Dendrogram, leaves: usize) -> (Vec<DendrogramLeaf>, Vec<DendrogramMerge>) {
    let n = tree.n;
    let p = leaves.clamp(1, n.max(1));
    let first_kept = n - p; // merges[first_kept..] are drawn
    let size_of = |x: i64| -> usize {
        if x < 0 {
            1
        } else {
            tree.merges[x as usize - 1].size
        }
    };
    let mut leaf_ids: Vec<i64> = Vec::with_capacity(p);
    let mut merges = Vec::with_capacity(p.saturating_sub(1));
    // the leaf number (1-based) of an original group, in order of first appearance
    for m in &tree.merges[first_kept..] {
        let mut side = |x: i64| -> i64 {
            if x > 0 && x as usize > first_kept {
                x - first_kept as i64
            } else {
                let at = leaf_ids.iter().position(|&l| l == x).unwrap_or_else(|| {
                    leaf_ids.push(x);
                    leaf_ids.len() - 1
                });
                -(at as i64 + 1)
            }
        };
        let (a, b) = (side(m.a), side(m.b));
        merges.push(DendrogramMerge {
            a,
            b,
            height: m.height,
        });
    }
    if merges.is_empty() {
        // one leaf: the whole tree (or the only row)
        leaf_ids.push(if n <= 1 { -1 } else { n as i64 - 1 });
    }
    let leaves = leaf_ids
        .iter()
        .map(|&x| {
            let size = size_of(x);
            DendrogramLeaf {
                label: size.to_string(),
                size: size as u64,
            }
        })
        .collect();
    (leaves, merges)
}

/// The chart: the tree above the last `leaves` groups, the cut into `k` groups dashed (halfway
/// between the heights of the merges that make k and k - 1 groups).
pub fn dendrogram_chart(
    tree: &Dendrogram,
    leaves: usize,
    k: usize,
    source: &DataSource,
    words: &Words,
) -> Chart {
    let lang = words.lang;
    let (units, units_dative) = (words.units(), words.units_dative());
    let (leaf_list, merges) = truncate(tree, leaves);
    let n = tree.n;
    let cut = (k >= 2 && k <= leaf_list.len() && k <= n).then(|| {
        let below = tree.merges[n - k - 1].height;
        let above = tree.merges[n - k].height;
        (below + above) / 2.0
    });
    let title = match lang {
        Lang::De => format!(
            "Ward-Clusteranalyse: die letzten {} Verschmelzungen von {n} {units_dative}",
            merges.len()
        ),
        Lang::En => format!(
            "Ward's clustering: the last {} merges of {n} {units}",
            merges.len()
        ),
    };
    let base = match lang {
        Lang::De => format!("Die Blätter sind Gruppen, beschriftet mit ihrer Zahl an {units_dative}; Höhe wie in R: hclust(…, \"ward.D2\")"),
        Lang::En => format!("Leaves are groups, labelled with their number of {units}; heights as in R: hclust(…, \"ward.D2\")"),
    };
    Chart::Dendrogram(DendrogramChart {
        title,
        note: source.note(&base, lang),
        height_label: lang.pick("Höhe (Ward)", "Height (Ward)").into(),
        leaf_label: match lang {
            Lang::De => format!("Gruppen (Zahl der {units})"),
            Lang::En => format!("Groups (number of {units})"),
        },
        leaves: leaf_list,
        merges,
        cut,
        cut_label: match lang {
            Lang::De => format!("Schnitt in k = {k} Gruppen"),
            Lang::En => format!("cut into k = {k} groups"),
        },
        color: "#333333".into(),
        size: [1100, 640],
        scale: 1.0,
        lang,
    })
}

/// The margin below which a group's name is doubtful (as `cluster`'s advice on a type's name):
/// it is shown with a question mark.
const DOUBTFUL_MARGIN: f64 = 0.2;

/// A group's label: the name of the type it matches ("Die Bedächtigen", "Die Optimierer?" where
/// the margin to the next best type is under [`DOUBTFUL_MARGIN`]), or "Gruppe 3" / "group 3"
/// (its number, from 1) where no type was given to it.
pub fn group_label(named: Option<&Named>, index: usize, lang: Lang) -> String {
    match named.map(|n| (&n.name, n.margin)) {
        Some((TypeName::Published { de, en }, Some(m))) => {
            let name = crate::escape::field(lang.pick(de, en)).into_owned();
            if m < DOUBTFUL_MARGIN {
                format!("{name}?")
            } else {
                name
            }
        }
        _ => format!("{} {}", lang.pick("Gruppe", "group"), index + 1),
    }
}

/// A cross-tab of two partitions as aligned text: rows Ward's groups, columns the k-means groups,
/// each labelled by [`group_label`] from `names` (Ward's, k-means').
pub fn crosstab_text(crosstab: &[Vec<usize>], names: (&[Named], &[Named]), lang: Lang) -> String {
    let columns = crosstab.first().map_or(0, Vec::len);
    let corner = lang.pick("Ward \\ k-means", "Ward \\ k-means");
    let mut table = Table::new(
        std::iter::once(corner.to_string())
            .chain((0..columns).map(|j| group_label(names.1.get(j), j, lang))),
    );
    for (i, row) in crosstab.iter().enumerate() {
        let mut cells = vec![Cell::text(group_label(names.0.get(i), i, lang))];
        cells.extend(row.iter().map(|&n| Cell::count(n)));
        table.push(cells);
    }
    let term = Terminal {
        indent: 2,
        ..Terminal::new(lang)
    };
    let mut out = term.render(&table);
    if names
        .0
        .iter()
        .chain(names.1)
        .any(|n| n.margin.is_some_and(|m| m < DOUBTFUL_MARGIN))
    {
        out.push_str(lang.pick(
            "  ?: Name passt kaum besser als der eines anderen Typs (Namensabstand unter 0,2)\n",
            "  ?: the name fits only slightly better than another type's (name margin under 0.2)\n",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::hierarchy::ward;
    use ndarray::Array2;

    /// The truncated tree has its leaves' sizes summing to n, one merge fewer than leaves, and
    /// the last heights of the whole tree.
    #[test]
    fn truncation_keeps_every_row_and_the_last_heights() {
        let x = Array2::from_shape_fn((40, 2), |(i, j)| ((i * 7 + j * 3) % 11) as f64 + i as f64);
        let tree = ward(&x).unwrap();
        for p in [1, 2, 5, 30, 40, 100] {
            let (leaves, merges) = truncate(&tree, p);
            let p = p.min(40);
            assert_eq!(leaves.len(), p);
            assert_eq!(merges.len(), p - 1);
            assert_eq!(leaves.iter().map(|l| l.size).sum::<u64>(), 40);
            let tail: Vec<f64> = tree.merges[40 - p..].iter().map(|m| m.height).collect();
            let drawn: Vec<f64> = merges.iter().map(|m| m.height).collect();
            assert_eq!(drawn, tail);
        }
        let chart = dendrogram_chart(
            &tree,
            30,
            4,
            &DataSource {
                file: "x.csv".into(),
                synthetic: true,
            },
            &Words::study(Lang::En),
        );
        chart.check().unwrap();
    }
}
