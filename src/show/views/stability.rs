//! Bootstrap stability as people read it: the console table of each type's Jaccard and the
//! adjusted Rand index over the resamples ([`stability_text`]), `stability.csv`
//! ([`stability_table`]) and the warning for an unstable type ([`unstable_type`]).

use super::typology::{console_names, type_name};
use crate::cluster::{Stability, TypeResult, Typology};
use crate::lang::Lang;
use crate::show::format::number;
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, Table};

/// The warning that type `t` is unstable, with its mean Jaccard `jaccard`.
pub fn unstable_type(t: &TypeResult, jaccard: f64, lang: Lang) -> String {
    let name = type_name(&t.name, lang);
    let j = number(jaccard, 2, lang);
    match lang {
        Lang::De => format!("Typ {name} ist instabil (Jaccard-Mittel {j})"),
        Lang::En => format!("type {name} is unstable (mean Jaccard {j})"),
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The stability table, in `lang`.
pub fn stability_text(t: &Typology, s: &Stability, lang: Lang) -> String {
    let mut out = match lang {
        Lang::De => format!(
            "Bootstrap-Stabilität: {} Stichproben, k = {}, je {} Neustarts (Jaccard jedes Typs mit seinem besten Gegenstück; ab 0,85 sehr stabil, 0,75–0,85 stabil, 0,6–0,75 ein Muster, darunter nicht verlässlich; ≤ 0,5 in einer Stichprobe: aufgelöst)\n",
            s.resamples, t.options.k, t.options.n_init
        ),
        Lang::En => format!(
            "bootstrap stability: {} resamples, k = {}, {} restarts each (Jaccard of each type with its best match; 0.85 and more highly stable, 0.75-0.85 stable, 0.6-0.75 a pattern, below that not reliable; ≤ 0.5 in a resample: dissolved)\n",
            s.resamples, t.options.k, t.options.n_init
        ),
    };
    let names = console_names(t, lang);
    let mut table = Table::new([
        lang.pick("Typ", "type"),
        lang.pick("Jaccard-Mittel", "mean Jaccard"),
        lang.pick("SD", "sd"),
        "q10",
        lang.pick("aufgelöst", "dissolved"),
    ]);
    let n = |v: f64, d: usize| number(v, d, lang);
    for (name, st) in names.iter().zip(&s.types) {
        let mut sorted = st.jaccard.clone();
        sorted.sort_by(f64::total_cmp);
        table.push(vec![
            Cell::text(name.as_str()),
            Cell::number(st.mean_jaccard, 3),
            Cell::number(st.sd_jaccard, 3),
            Cell::number(quantile(&sorted, 0.1), 3),
            Cell::text(format!("{}%", n(100.0 * st.dissolved, 1))),
        ]);
    }
    let term = Terminal {
        right: &[4],
        ..Terminal::new(lang)
    };
    out.push_str(&term.render(&table));
    let mut ari = s.ari.clone();
    ari.sort_by(f64::total_cmp);
    let mean = ari.iter().sum::<f64>() / ari.len() as f64;
    let q = |p: f64| n(quantile(&ari, p), 3);
    out.push_str(&match lang {
        Lang::De => format!(
            "bereinigter Rand-Index mit der ursprünglichen Partition: Mittel {}, Min. {}, q10 {}, Median {}, q90 {}, Max. {}\n",
            n(mean, 3), q(0.0), q(0.1), q(0.5), q(0.9), q(1.0)
        ),
        Lang::En => format!(
            "adjusted Rand index with the original partition: mean {}, min {}, q10 {}, median {}, q90 {}, max {}\n",
            n(mean, 3), q(0.0), q(0.1), q(0.5), q(0.9), q(1.0)
        ),
    });
    out
}

/// `stability.csv`: per resample, each type's Jaccard and the adjusted Rand index.
pub fn stability_table(t: &Typology, s: &Stability) -> Table {
    let mut header = vec!["resample".to_string()];
    header.extend(t.types.iter().map(|ty| format!("jaccard_{}", ty.name.id)));
    header.push("ari".into());
    let mut table = Table::new(header);
    for b in 0..s.resamples {
        let mut rec = vec![Cell::count(b + 1)];
        rec.extend(s.types.iter().map(|st| Cell::number(st.jaccard[b], 6)));
        rec.push(Cell::number(s.ari[b], 6));
        table.push(rec);
    }
    table
}
