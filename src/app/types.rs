//! `typfrage types MODEL.json --out types.toml`: a types file drafted from a saved model (the
//! centroids as the types' signatures, names to edit), which `cluster --types` reads back.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::inputs::check_output_apart;
use super::position::read_model;
use super::Outcome;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::output::write_atomic;

/// What `types` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct TypesRequest {
    /// model.json written by typfrage cluster
    pub model: PathBuf,
    /// Where to write the draft types file (TOML)
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub out: PathBuf,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
}

pub(super) fn run(r: &TypesRequest) -> Result<Outcome> {
    check_output_apart(&r.out, "--out", &[("model", Some(r.model.as_path()))])?;
    let model = read_model(&r.model)?;
    let text = crate::show::views::types_draft::draft(&model, &r.model.display().to_string());
    // a draft that does not read back is a fault of the drafting
    crate::cluster::parse_types(&text, &r.out.display().to_string()).map_err(|e| Error::Input {
        path: r.model.display().to_string(),
        message: format!(
            "the types drafted from the model do not read back, so none were written: {e}"
        ),
    })?;
    write_atomic(&r.out, |w| w.write_all(text.as_bytes()))?;
    let (out, k) = (r.out.display(), model.types.len());
    Ok(Outcome::ok(r.lang.pick(
        &format!("geschrieben: {out}: {k} Typen mit ihren Zentren (TODO: Namen vergeben); mit cluster --types {out} behalten die Typen ihre Namen\n"),
        &format!("wrote {out}: {k} types with their centroids (TODO: give the names); with cluster --types {out} the types keep their names\n"),
    ).to_string()))
}
