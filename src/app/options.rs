//! The bounds of the k-means options every clustering command takes, checked before anything is
//! read: the same check for the command line and for a request `verify` reads from a manifest.

use crate::cluster::{self, ClusterOptions};
use crate::error::UsageError;

/// The most types (clusters) any command fits: more is no typology, and k sizes the work of every
/// k-means iteration.
pub const MAX_K: usize = 100;
/// The most k-means starts a fit makes (each is a whole k-means run).
pub const MAX_N_INIT: usize = 10_000;
/// The most iterations one k-means run makes.
pub const MAX_ITER: u64 = 100_000;

/// Ranges of the k-means options, checked before anything is read: the same check for the command
/// line and for a request `verify` reads from a manifest ([`Request::check`]).
pub(super) fn check_options(o: &ClusterOptions) -> Result<(), UsageError> {
    if o.k < 2 {
        return Err(UsageError::new(format!(
            "--k {}: expected at least 2 types (one type is no typology)",
            o.k
        )));
    }
    if o.k > MAX_K {
        return Err(UsageError::new(format!(
            "--k {}: expected at most {MAX_K} types",
            o.k
        )));
    }
    if o.algorithm == cluster::Algorithm::HartiganWong && o.engine == cluster::Engine::Linfa {
        return Err(UsageError::new(
            "--algorithm hartigan-wong runs on the fast engine; leave out --engine linfa",
        ));
    }
    if o.n_init == 0 {
        return Err(UsageError::new(
            "--n-init 0: expected at least 1 k-means start",
        ));
    }
    if o.n_init > MAX_N_INIT {
        return Err(UsageError::new(format!(
            "--n-init {}: expected at most {MAX_N_INIT} k-means starts",
            o.n_init
        )));
    }
    if !(1..=MAX_ITER).contains(&o.max_iter) {
        return Err(UsageError::new(format!(
            "max_iter {}: expected 1 to {MAX_ITER} k-means iterations",
            o.max_iter
        )));
    }
    if !(o.tolerance.is_finite() && o.tolerance >= 0.0) {
        return Err(UsageError::new(format!(
            "tolerance {}: expected a finite number of at least 0",
            o.tolerance
        )));
    }
    if let Some(vars) = &o.vars {
        if vars.is_empty() || vars.iter().any(|v| v.trim().is_empty()) {
            return Err(UsageError::new(
                "--vars: expected variable names separated by commas, with none empty",
            ));
        }
        check_once("--vars", vars)?;
    }
    Ok(())
}

/// Refuses a list of names (variables, models) that names one twice.
pub(super) fn check_once(option: &str, names: &[String]) -> Result<(), UsageError> {
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(UsageError::new(format!(
                "{option}: '{}' is named twice; expected each at most once",
                crate::escape::field(name)
            )));
        }
    }
    Ok(())
}
