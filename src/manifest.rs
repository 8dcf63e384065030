//! Reproducibility manifests. `typfrage cluster`, `profile` and `figures` write `manifest.json` beside
//! their outputs: the request that was run (every option in effect, in the library's own terms, not
//! the command line, so a renamed flag never changes what a manifest means), what went in (the
//! survey's SHA-256, the codebook's and any other input file's), the tool version, the exit status and
//! the SHA-256 of every output file. `typfrage verify` runs the recorded request again into a fresh
//! folder and compares.
//!
//! A manifest holds no time stamps and names files relative to its own folder, so the same run gives
//! the same manifest, byte for byte, and a folder with its manifest can be moved as a whole. This
//! module knows the request only as JSON: the application layer owns its type.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::exit::ExitStatus;
use crate::output::{read_file, sha256_file, sha256_hex, write_atomic, FileError};

pub const FILE_NAME: &str = "manifest.json";
/// The `path` of an input that is built into the tool.
pub const BUILTIN: &str = "builtin";
/// The manifest format this version writes and reads. Format 1 recorded the command line; format 2
/// records the typed request.
pub const FORMAT: u32 = 2;
/// A manifest larger than this is not one of ours.
const MAX_BYTES: u64 = 16 << 20;

#[derive(Debug, Error)]
pub enum ManifestError {
    #[error("{path}: not a typfrage manifest: {message}")]
    Parse { path: String, message: String },
    #[error("{path}: written in manifest format {found}; this typfrage reads format {FORMAT}. Run the command again to write a new manifest.")]
    Format { path: String, found: u32 },
    #[error("{path}: the manifest names {what} '{named}', which {problem}; refused before reading anything")]
    UnsafePath {
        path: String,
        what: &'static str,
        named: String,
        problem: &'static str,
    },
    /// A manifest that asks a replay for something it may not do (write outside its folder, read
    /// what it does not list, run with parameters the command line refuses).
    #[error("{path}: refused: {message} (verify ran nothing and wrote nothing)")]
    Refused { path: String, message: String },
    /// The recorded request failed when `verify` ran it again.
    #[error("{path}: its request, run again, failed: {message}")]
    Rerun { path: String, message: String },
    #[error(transparent)]
    File(#[from] FileError),
}

/// An input file: its role (survey, codebook, types, published), where it is and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub role: String,
    /// Relative to the manifest's folder where possible, or [`BUILTIN`].
    pub path: String,
    pub sha256: String,
}

/// An output file and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// Relative to the manifest's folder.
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    /// The manifest format ([`FORMAT`]).
    pub format: u32,
    /// The command: `cluster`, `profile` or `figures`.
    pub command: String,
    /// The request that was run, as the application layer serialises it; input paths relative to
    /// the manifest's folder, no output folder.
    pub request: serde_json::Value,
    pub inputs: Vec<Input>,
    pub seed: Option<u64>,
    pub exit_code: ExitStatus,
    pub outputs: Vec<Output>,
}

impl Manifest {
    pub fn new(command: &str, request: serde_json::Value) -> Manifest {
        Manifest {
            tool: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            format: FORMAT,
            command: command.into(),
            request,
            inputs: Vec::new(),
            seed: None,
            exit_code: ExitStatus::Success,
            outputs: Vec::new(),
        }
    }

    /// Records an input file read from disk (`bytes` as read) or built in (`path` = `None`).
    pub fn add_input(&mut self, role: &str, path: Option<&Path>, bytes: &[u8], dir: &Path) {
        self.add_input_digest(role, path, sha256_hex(bytes), dir);
    }

    /// Records an input whose SHA-256 is already known.
    pub fn add_input_digest(
        &mut self,
        role: &str,
        path: Option<&Path>,
        sha256: String,
        dir: &Path,
    ) {
        self.inputs.push(Input {
            role: role.into(),
            path: path.map_or(BUILTIN.into(), |p| relative_to(p, dir)),
            sha256,
        });
    }

    /// Records the output files (paths inside `dir`), reading each to hash it.
    pub fn add_outputs(&mut self, dir: &Path, files: &[PathBuf]) -> Result<(), ManifestError> {
        for file in files {
            self.outputs.push(Output {
                path: relative_to(file, dir),
                sha256: sha256_file(file)?,
            });
        }
        self.outputs.sort_by(|a, b| a.path.cmp(&b.path));
        self.outputs.dedup();
        Ok(())
    }

    pub fn input(&self, role: &str) -> Option<&Input> {
        self.inputs.iter().find(|i| i.role == role)
    }

    /// Writes `manifest.json` into `dir`; returns its path.
    pub fn write(&self, dir: &Path) -> Result<PathBuf, ManifestError> {
        let path = dir.join(FILE_NAME);
        let text = serde_json::to_string_pretty(self).map_err(|e| ManifestError::Parse {
            path: path.display().to_string(),
            message: e.to_string(),
        })? + "\n";
        write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
        Ok(path)
    }

    /// Reads and checks a manifest: its size, tool, format, and that every output it names lies
    /// inside its folder. Nothing of a file that fails to parse is repeated in the error.
    pub fn read(path: &Path) -> Result<Manifest, ManifestError> {
        let shown = path.display().to_string();
        let parse = |message: String| ManifestError::Parse {
            path: shown.clone(),
            message,
        };
        let meta = std::fs::metadata(path).map_err(FileError::reading(path))?;
        if !meta.is_file() {
            return Err(parse("it is not a regular file".into()));
        }
        if meta.len() > MAX_BYTES {
            return Err(parse(format!(
                "it has {} bytes; a manifest has at most {MAX_BYTES}",
                meta.len()
            )));
        }
        let bytes = read_file(path)?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            parse(format!(
                "not JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        if value.get("tool").and_then(|t| t.as_str()) != Some(env!("CARGO_PKG_NAME")) {
            return Err(parse("it does not say it was written by typfrage".into()));
        }
        let found = value.get("format").and_then(|f| f.as_u64()).unwrap_or(1);
        if found != u64::from(FORMAT) {
            return Err(ManifestError::Format {
                path: shown,
                found: u32::try_from(found).unwrap_or(u32::MAX),
            });
        }
        let m: Manifest = serde_json::from_value(value).map_err(|e| parse(e.to_string()))?;
        for o in &m.outputs {
            if let Some(problem) = unsafe_output_path(&o.path) {
                return Err(ManifestError::UnsafePath {
                    path: shown,
                    what: "the output",
                    named: o.path.clone(),
                    problem,
                });
            }
        }
        Ok(m)
    }
}

/// Why an output path recorded in a manifest may not be followed: outputs lie inside the manifest's
/// folder, named by plain relative paths.
fn unsafe_output_path(path: &str) -> Option<&'static str> {
    let p = Path::new(path);
    if path.is_empty() {
        return Some("is empty");
    }
    if path.chars().any(char::is_control) {
        return Some("contains control characters");
    }
    if !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return Some("is not a plain path inside the manifest's folder (absolute, or with '..')");
    }
    None
}

/// Where an input recorded in a manifest in `dir` is now.
pub fn resolve(dir: &Path, input: &Input) -> Option<PathBuf> {
    (input.path != BUILTIN).then(|| {
        let p = Path::new(&input.path);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            dir.join(p)
        }
    })
}

/// How a re-run's outputs compare with the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comparison {
    pub same: Vec<String>,
    /// (path, recorded SHA-256, new SHA-256)
    pub differ: Vec<(String, String, String)>,
    /// Recorded, but the re-run did not write it.
    pub missing: Vec<String>,
    /// Written by the re-run, but not recorded.
    pub extra: Vec<String>,
}

impl Comparison {
    pub fn ok(&self) -> bool {
        self.differ.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Compares the recorded outputs with those of a re-run.
pub fn compare(recorded: &[Output], rerun: &[Output]) -> Comparison {
    let mut c = Comparison::default();
    for r in recorded {
        match rerun.iter().find(|o| o.path == r.path) {
            Some(o) if o.sha256 == r.sha256 => c.same.push(r.path.clone()),
            Some(o) => c
                .differ
                .push((r.path.clone(), r.sha256.clone(), o.sha256.clone())),
            None => c.missing.push(r.path.clone()),
        }
    }
    for o in rerun {
        if !recorded.iter().any(|r| r.path == o.path) {
            c.extra.push(o.path.clone());
        }
    }
    c
}

/// `path` relative to `dir` (both made absolute first), with `/` separators; the absolute path
/// when they share no root.
pub fn relative_to(path: &Path, dir: &Path) -> String {
    let abs = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let (p, d) = (abs(path), abs(dir));
    let pc: Vec<Component> = p.components().collect();
    let dc: Vec<Component> = d.components().collect();
    let common = pc.iter().zip(&dc).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return p.display().to_string();
    }
    let mut parts: Vec<String> = vec!["..".into(); dc.len() - common];
    parts.extend(
        pc[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a/out");
        std::fs::create_dir_all(&out).unwrap();
        let input = dir.path().join("data/survey.csv");
        std::fs::create_dir_all(input.parent().unwrap()).unwrap();
        std::fs::write(&input, "x").unwrap();
        assert_eq!(relative_to(&input, &out), "../../data/survey.csv");
        assert_eq!(relative_to(&out.join("m.json"), &out), "m.json");
        let resolved = resolve(
            &out,
            &Input {
                role: "survey".into(),
                path: "../../data/survey.csv".into(),
                sha256: String::new(),
            },
        )
        .unwrap();
        assert_eq!(std::fs::read(resolved).unwrap(), b"x");
    }

    #[test]
    fn comparison_names_what_differs() {
        let o = |p: &str, s: &str| Output {
            path: p.into(),
            sha256: s.into(),
        };
        let c = compare(
            &[o("a", "1"), o("b", "2"), o("c", "3")],
            &[o("a", "1"), o("b", "9"), o("d", "4")],
        );
        assert_eq!(c.same, vec!["a"]);
        assert_eq!(c.differ, vec![("b".into(), "2".into(), "9".into())]);
        assert_eq!(c.missing, vec!["c"]);
        assert_eq!(c.extra, vec!["d"]);
        assert!(!c.ok());
        assert!(compare(&[o("a", "1")], &[o("a", "1")]).ok());
    }
}
