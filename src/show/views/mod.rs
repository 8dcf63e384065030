//! Views: one module per result, turning the typed numbers a stage computes into what people
//! read: console text, tables (CSV and workbook sheets through [`super::table`]) and charts
//! (through [`super::chart`]), in the run's language. The stages below never word their results;
//! the application layer calls a view and writes what it returns.

pub mod choose_k;
pub mod classification;
pub mod figures;
pub mod hierarchy;
pub mod mixture;
pub mod response_style;
pub mod stability;
pub mod typology;
