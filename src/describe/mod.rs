//! Types described by what sets them apart, as FactoMineR's `catdes` describes the classes of a
//! partition ([`catdes`]): per type and category of every coded variable Cla/Mod, Mod/Cla,
//! Global, the mid-p hypergeometric p-value and the v-test; per type and numeric (or ordinal)
//! variable the v-test of its mean; per numeric (or ordinal) variable η² with the p-value of its
//! F test. Numbers, codes and identifiers only: the words and charts made of them are
//! `crate::show::views::describe`'s. This file only declares the modules and re-exports their
//! public items.
//!
//! Rules, stated once here and in the guide:
//! - every variable is described on the clustered municipalities that answered it (missing
//!   answers and "not asked" are left out, as `catdes` run on that variable's answering rows);
//! - categorical and binary variables give one row per category; ordinal variables one row per
//!   category and one row of their codes' mean (and an η²); counts, integers and decimals (not
//!   the weight) one row of their mean and an η²;
//! - with survey weights every case counts with its weight rescaled so that the weights of the
//!   cases counted for a variable sum to their Kish effective number, (Σw)²/Σw²: the shares and
//!   means are the weighted ones, and the tests are those of `catdes(…, row.w = w')` with these
//!   rescaled weights (its hypergeometric test on the rounded weighted counts), so a weighted
//!   run tests on the effective number of cases, never on the summed weights; unweighted, every
//!   weight is 1 and the numbers are `catdes`'s.

pub mod catdes;

pub use catdes::{describe, Characteristic, Description, Eta2, Measure};
