//! What sets each type apart (`crate::describe`, FactoMineR's `catdes`), shown: the tables
//! `characteristics.csv` and `eta2.csv` (and their workbook sheets), and per type the
//! characteristics a mayor reads first, worded with the codebook's labels in the run's language.

use serde::Serialize;

use crate::cluster::Typology;
use crate::describe::{Characteristic, Description, Measure};
use crate::lang::Lang;
use crate::show::format::{number as num, signed};
use crate::show::labels::{code_label, display_label};
use crate::show::table::{Cell, Table};
use crate::survey::{Codebook, Kind};

/// A v-test at least this large in size marks a characteristic (about 5 % two-sided).
pub const V_TEST_FLAG: f64 = 2.0;
/// At most this many characteristics above, and below, the whole sample per type.
const SHOWN_OVER: usize = 8;
const SHOWN_UNDER: usize = 5;

/// The columns of `characteristics.csv`.
pub const CHARACTERISTICS_COLUMNS: [&str; 12] = [
    "type",
    "variable",
    "category",
    "cla_mod",
    "mod_cla",
    "global",
    "p_value",
    "v_test",
    "mean_in_type",
    "mean_overall",
    "sd_in_type",
    "sd_overall",
];

/// `characteristics.csv`: one row per type × variable × category (or mean), in `catdes`' order;
/// numbers in their shortest exact form.
pub fn characteristics_table(description: &Description, typology: &Typology) -> Table {
    let mut table = Table::new(CHARACTERISTICS_COLUMNS);
    for c in &description.characteristics {
        let mut row = vec![
            Cell::text(typology.types[c.type_index].name.id.clone()),
            Cell::text(c.variable.clone()),
        ];
        match c.measure {
            Measure::Category {
                code,
                cla_mod,
                mod_cla,
                global,
                ..
            } => {
                row.push(Cell::exact(code as f64));
                row.extend([cla_mod, mod_cla, global].map(Cell::exact));
                row.extend([c.p_value, c.v_test].map(Cell::exact));
                row.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
            }
            Measure::Mean {
                mean_in_type,
                mean_overall,
                sd_in_type,
                sd_overall,
            } => {
                row.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
                row.extend([c.p_value, c.v_test].map(Cell::exact));
                row.extend([mean_in_type, mean_overall, sd_in_type, sd_overall].map(Cell::exact));
            }
        }
        table.push(row);
    }
    table
}

/// `eta2.csv`: η² of every numeric and ordinal variable by type, with its F test's p-value.
pub fn eta2_table(description: &Description) -> Table {
    let mut table = Table::new(["variable", "eta2", "p_value"]);
    for e in &description.eta2 {
        table.push(vec![
            Cell::text(e.variable.clone()),
            Cell::exact(e.eta2),
            Cell::exact(e.p_value),
        ]);
    }
    table
}

/// One characteristic of a type, worded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trait {
    pub variable: String,
    /// The category's code (none for a mean).
    pub category: Option<i64>,
    /// What it is: the answer and the question, or the question of a mean.
    pub what: String,
    /// The type's share or mean, as people read it.
    pub in_type: String,
    /// All clustered municipalities' share or mean.
    pub overall: String,
    pub v_test: f64,
    pub p_value: f64,
}

/// The characteristics of type `g` a reader sees first: up to eight the type holds clearly more
/// often (or higher) than all clustered municipalities (v-test at least 2), then up to five it
/// holds clearly less often (v-test at most -2), strongest first. An ordinal variable is shown by
/// its mean, not by each of its categories (`characteristics.csv` has both).
pub fn traits(description: &Description, g: usize, book: &Codebook, lang: Lang) -> Vec<Trait> {
    let shown = |c: &&Characteristic| {
        book.variable(&c.variable)
            .is_some_and(|v| !(v.kind == Kind::Ordinal && c.code().is_some()))
    };
    let mut rows: Vec<&Characteristic> = description.of_type(g).filter(shown).collect();
    rows.sort_by(|a, b| b.v_test.total_cmp(&a.v_test));
    let over = rows
        .iter()
        .filter(|c| c.v_test >= V_TEST_FLAG)
        .take(SHOWN_OVER);
    let under = rows
        .iter()
        .rev()
        .filter(|c| c.v_test <= -V_TEST_FLAG)
        .take(SHOWN_UNDER);
    over.chain(under)
        .filter_map(|c| worded(c, book, lang))
        .collect()
}

/// A characteristic in words.
fn worded(c: &Characteristic, book: &Codebook, lang: Lang) -> Option<Trait> {
    let var = book.variable(&c.variable)?;
    let label = display_label(book, var, lang);
    let (what, in_type, overall) = match c.measure {
        Measure::Category {
            code,
            count,
            base,
            mod_cla,
            global,
            ..
        } => {
            let answer = code_label(var, code, lang);
            let what = match lang {
                Lang::De => format!("{label}: „{answer}“"),
                Lang::En => format!("{label}: “{answer}”"),
            };
            let in_type = if count > 0 && count < crate::show::format::SMALL_CELL {
                format!("<5 {} {base}", lang.pick("von", "of"))
            } else {
                format!("{} %", num(mod_cla, 0, lang))
            };
            (what, in_type, format!("{} %", num(global, 0, lang)))
        }
        Measure::Mean {
            mean_in_type,
            mean_overall,
            ..
        } => {
            let what = match lang {
                Lang::De => format!("{label} (Mittelwert)"),
                Lang::En => format!("{label} (mean)"),
            };
            let decimals = if mean_overall.abs() >= 100.0 { 0 } else { 2 };
            (
                what,
                num(mean_in_type, decimals, lang),
                num(mean_overall, decimals, lang),
            )
        }
    };
    Some(Trait {
        variable: c.variable.clone(),
        category: c.code(),
        what,
        in_type,
        overall,
        v_test: c.v_test,
        p_value: c.p_value,
    })
}

/// A v-test as people read it: one decimal, with its sign.
pub fn v_test(v: f64, lang: Lang) -> String {
    signed(v, 1, lang)
}
