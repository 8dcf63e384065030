//! Views: the words, tables and charts of one command's results, in the run's language, built
//! from the typed numbers a compute folder returns (`waves`: two waves compared).

pub mod waves;
