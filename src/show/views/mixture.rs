//! Gaussian mixtures as people read them: `bic.csv` (one row per k and covariance model,
//! [`bic_table`]) and `memberships.csv` (each municipality's probabilities, [`memberships_table`]).

use crate::cluster::mixture::{MixtureFit, Mixtures, Start};
use crate::show::table::{Cell, CsvStyle, Table};

/// `bic.csv`: one row per k and model (`k,model,n_params,loglik,bic,icl,entropy,min_share,
/// iterations,converged,start`); a model that could not be estimated has empty numbers and
/// `not estimable` as its start.
pub fn bic_csv(m: &Mixtures) -> Result<String, csv::Error> {
    bic_table(m).csv(CsvStyle::Rfc4180)
}

/// `bic.csv` as a table (see [`bic_csv`]), for any CSV style or a workbook.
pub fn bic_table(m: &Mixtures) -> Table {
    let mut t = Table::new([
        "k",
        "model",
        "n_params",
        "loglik",
        "bic",
        "icl",
        "entropy",
        "min_share",
        "iterations",
        "converged",
        "start",
    ]);
    for f in &m.fits {
        let mut row = vec![
            Cell::count(f.k),
            Cell::text(f.model.name()),
            Cell::count(f.n_params),
        ];
        match &f.estimate {
            Some(e) => row.extend([
                Cell::number(e.loglik, 6),
                Cell::number(e.bic, 6),
                Cell::number(e.icl, 6),
                Cell::number(e.entropy, 6),
                Cell::number(e.min_share(), 6),
                Cell::count(e.iterations),
                Cell::text(e.converged.to_string()),
                Cell::text(match e.start {
                    Start::Ward => "ward".into(),
                    Start::KMeans { seed } => format!("kmeans seed {seed}"),
                }),
            ]),
            None => {
                row.extend(std::iter::repeat_n(Cell::Empty, 7));
                row.push(Cell::text("not estimable"));
            }
        }
        t.push(row);
    }
    t
}

/// `memberships.csv` of one fit: identifier, most probable component (1-based) and the
/// probability of every component (only the identifiers when the model was not estimable).
pub fn memberships_csv(ids: &[String], fit: &MixtureFit) -> Result<String, csv::Error> {
    memberships_table(ids, fit).csv(CsvStyle::Rfc4180)
}

/// `memberships.csv` as a table (see [`memberships_csv`]), for any CSV style or a workbook.
pub fn memberships_table(ids: &[String], fit: &MixtureFit) -> Table {
    let Some(e) = &fit.estimate else {
        let mut t = Table::new(["id"]);
        for id in ids {
            t.push(vec![Cell::text(id.as_str())]);
        }
        return t;
    };
    let mut header = vec!["id".to_string(), "component".to_string()];
    header.extend((1..=fit.k).map(|c| format!("p{c}")));
    let mut t = Table::new(header);
    let labels = e.row_labels();
    for (i, (id, l)) in ids.iter().zip(&labels).enumerate() {
        let mut row = vec![Cell::text(id.as_str()), Cell::count(l + 1)];
        row.extend(e.membership(i).iter().map(|&p| Cell::number(p, 6)));
        t.push(row);
    }
    t
}
