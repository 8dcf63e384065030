//! The end of a command that writes a result folder from one survey: the manifest (the request as
//! recorded, the survey and codebook digests, every output's digest), then the staged folder
//! committed into place. `cluster` and `figures` record more inputs and keep their own endings.

use std::path::PathBuf;

use super::folder::Staged;
use super::inputs::SurveyInput;
use super::Request;
use crate::error::Result;
use crate::manifest::{self, Manifest};

/// Writes the manifest for `request` beside `written` (paths inside `staged.dir()`), commits the
/// folder, and returns the final paths of the outputs and of the manifest.
pub(super) fn seal(
    staged: Staged,
    request: &Request,
    input: &SurveyInput,
    sha256: &str,
    seed: Option<u64>,
    written: &[PathBuf],
) -> Result<Vec<PathBuf>> {
    let out = staged.dir().to_path_buf();
    let mut m = Manifest::new(request.command(), super::verify::recorded(request, &out)?);
    m.seed = seed;
    input.record(&mut m, sha256, &out)?;
    m.add_outputs(&out, written)?;
    m.write(&out)?;
    let mut shown: Vec<PathBuf> = written.iter().map(|p| staged.final_path(p)).collect();
    shown.push(staged.final_path(&out.join(manifest::FILE_NAME)));
    staged.commit()?;
    Ok(shown)
}
