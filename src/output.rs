//! Writing output files atomically: into a temporary file beside the target, then renamed, so that
//! a failure never leaves a half-written file behind, and a reader sees the old file or the new one.
//! The data are not forced to disk (no fsync): that guards against a power cut, not against a
//! failed run, and costs milliseconds per file.

use std::io::Write;
use std::path::Path;

use crate::survey::SurveyError;

/// Writes `path` atomically with `write`.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), SurveyError> {
    let err = |source| SurveyError::Write {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    write(tmp.as_file_mut()).map_err(err)?;
    // a temporary file is private (0600); the output is an ordinary file
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(err)?;
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// CSV records written by `records` into text. An error of the CSV writer (a record of another
/// length than the first, say) is returned, never turned into a short or empty file.
pub fn csv_text(
    records: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>,
) -> csv::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    records(&mut w)?;
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    // every field was a `str`
    String::from_utf8(bytes)
        .map_err(|e| csv::Error::from(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The default output folder for `input`: `<stem>-typfrage` beside it.
pub fn default_out_dir(input: &Path) -> std::path::PathBuf {
    let stem = input
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("survey");
    input.with_file_name(format!("{stem}-typfrage"))
}

/// Creates `dir` (and parents) if needed.
pub fn ensure_dir(dir: &Path) -> Result<(), SurveyError> {
    std::fs::create_dir_all(dir).map_err(|source| SurveyError::Write {
        path: dir.display().to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_write_error_is_returned_not_turned_into_a_short_file() {
        let ok = csv_text(|w| {
            w.write_record(["a", "b"])?;
            w.write_record(["1", "2"])
        });
        assert_eq!(ok.unwrap(), "a,b\n1,2\n");
        // a record of another length than the header is an error of the CSV writer
        let err = csv_text(|w| {
            w.write_record(["a", "b"])?;
            w.write_record(["1"])
        });
        assert!(err.is_err(), "{err:?}");
    }
}
