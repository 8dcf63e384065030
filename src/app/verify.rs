//! `typfrage verify`: reads a manifest, checks that its inputs are still the recorded ones, runs the
//! recorded request again into a temporary folder through the same function the command line calls,
//! and compares every output byte for byte (exit status 4 on any difference).
//!
//! A manifest is not trusted: outputs must be plain relative paths inside its folder and regular
//! files; inputs (which may lie outside it, e.g. the survey beside the result folder) must be regular
//! files of a sensible size; the request must name the same inputs as the list of digests.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Outcome, Request};
use crate::cluster;
use crate::error::Result;
use crate::exit::ExitStatus;
use crate::figures;
use crate::lang::Lang;
use crate::manifest::{self, relative_to, Manifest, ManifestError, BUILTIN};
use crate::output::{read_file, sha256_hex, FileAction, FileError};
use crate::survey::DEFAULT_CODEBOOK;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifyRequest {
    /// The manifest.json to check.
    pub manifest: PathBuf,
    /// Language of verify's own messages (the re-run uses the recorded request's).
    #[serde(default)]
    pub lang: Lang,
}

/// The largest input or output file verify reads (a survey of millions of rows stays well below).
const MAX_FILE_BYTES: u64 = 16 << 30;

/// The input files of a recorded request, by role, and its output folder.
type RecordedPaths<'a> = (
    Vec<(&'static str, &'a mut PathBuf)>,
    &'a mut Option<PathBuf>,
);

/// The input paths of a request that manifests record, by role, and its output folder.
fn paths_mut(request: &mut Request) -> Option<RecordedPaths<'_>> {
    match request {
        Request::Cluster(r) | Request::Profile(r) => {
            let mut paths = vec![("survey", &mut r.input.file)];
            if let Some(p) = r.input.codebook.as_mut() {
                paths.push(("codebook", p));
            }
            if let Some(p) = r.types.as_mut() {
                paths.push(("types", p));
            }
            Some((paths, &mut r.out))
        }
        Request::Hierarchy(r) => Some(survey_paths(&mut r.input, &mut r.out)),
        Request::Mixture(r) => Some(survey_paths(&mut r.input, &mut r.out)),
        Request::ResponseStyle(r) => Some(survey_paths(&mut r.input, &mut r.out)),
        Request::Figures(r) => {
            let mut paths = vec![("survey", &mut r.input.file)];
            if let Some(p) = r.input.codebook.as_mut() {
                paths.push(("codebook", p));
            }
            if let Some(p) = r.published.as_mut() {
                paths.push(("published", p));
            }
            Some((paths, &mut r.out))
        }
        Request::Feedback(r) => {
            let mut paths = vec![("survey", &mut r.input.file), ("model", &mut r.model)];
            if let Some(p) = r.input.codebook.as_mut() {
                paths.push(("codebook", p));
            }
            Some((paths, &mut r.out))
        }
        _ => None,
    }
}

/// The survey and codebook of a request that reads nothing else, and its output folder.
fn survey_paths<'a>(
    input: &'a mut super::SurveyInput,
    out: &'a mut Option<PathBuf>,
) -> RecordedPaths<'a> {
    let mut paths = vec![("survey", &mut input.file)];
    if let Some(p) = input.codebook.as_mut() {
        paths.push(("codebook", p));
    }
    (paths, out)
}

/// The request as a manifest in `dir` records it: input paths relative to `dir`, no output folder.
pub(super) fn recorded(request: &Request, dir: &Path) -> Result<serde_json::Value> {
    let mut request = request.clone();
    if let Some((paths, out)) = paths_mut(&mut request) {
        for (_, p) in paths {
            *p = PathBuf::from(relative_to(p, dir));
        }
        *out = None;
    }
    serde_json::to_value(&request).map_err(|e| {
        ManifestError::Parse {
            path: dir.join(manifest::FILE_NAME).display().to_string(),
            message: format!("cannot record the request: {e}"),
        }
        .into()
    })
}

/// Refuses anything but a regular file of a sensible size, before reading it.
fn check_regular_file(path: &Path, what: &str) -> Result<(), FileError> {
    let refuse = |message: String| {
        FileError::new(
            FileAction::Inspect,
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, message),
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| FileError::new(FileAction::Inspect, path, e))?;
    if !meta.is_file() {
        return Err(refuse(format!(
            "the manifest names it as {what}, but it is not a regular file (a folder, device or other special file); refused"
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(refuse(format!(
            "{} bytes, more than the {MAX_FILE_BYTES} verify reads",
            meta.len()
        )));
    }
    Ok(())
}

fn builtin_text(role: &str) -> Option<&'static str> {
    match role {
        "codebook" => Some(DEFAULT_CODEBOOK),
        "types" => Some(cluster::DEFAULT_TYPES),
        "published" => Some(figures::DEFAULT_PUBLISHED),
        _ => None,
    }
}

pub(super) fn run(r: &VerifyRequest) -> Result<Outcome> {
    let path = &r.manifest;
    let shown = path.display().to_string();
    let bad = |message: String| ManifestError::Parse {
        path: shown.clone(),
        message,
    };
    let recorded = Manifest::read(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut request: Request = serde_json::from_value(recorded.request.clone())
        .map_err(|e| bad(format!("the recorded request cannot be read: {e}")))?;
    if request.command() != recorded.command {
        return Err(bad(format!(
            "it records the command '{}' but a request for '{}'",
            recorded.command,
            request.command()
        ))
        .into());
    }
    let l = r.lang;
    let (command, version, outputs) =
        (&recorded.command, &recorded.version, recorded.outputs.len());
    let mut stdout = match l {
        Lang::De => format!("{shown}: {command} von typfrage {version}, {outputs} Ausgaben\n"),
        Lang::En => format!("{shown}: {command} by typfrage {version}, {outputs} outputs\n"),
    };
    let mut warnings = Vec::new();
    if recorded.version != env!("CARGO_PKG_VERSION") {
        let this = env!("CARGO_PKG_VERSION");
        warnings.push(match l {
            Lang::De => format!(
                "{shown} wurde von typfrage {version} geschrieben; dies ist typfrage {this}: ein Unterschied kann von der Version kommen"
            ),
            Lang::En => format!(
                "{shown} was written by typfrage {version}; this is typfrage {this}: a difference may come from the version"
            ),
        });
    }

    // the request's inputs, resolved against the manifest's folder, must be the ones listed
    let tmp = tempfile::tempdir()
        .map_err(|e| FileError::new(FileAction::CreateFolder, &std::env::temp_dir(), e))?;
    let Some((paths, out)) = paths_mut(&mut request) else {
        return Err(bad(format!(
            "cannot re-run '{}' (only cluster, profile and figures write manifests)",
            recorded.command
        ))
        .into());
    };
    *out = Some(tmp.path().to_path_buf());
    let mut requested: Vec<(&str, String)> = Vec::new();
    for (role, p) in paths {
        requested.push((role, p.to_string_lossy().into_owned()));
        if p.is_relative() {
            *p = dir.join(&*p);
        }
    }
    let mut changed = Vec::new();
    for input in &recorded.inputs {
        let in_request = requested.iter().find(|(role, _)| *role == input.role);
        let consistent = match in_request {
            Some((_, p)) => *p == input.path,
            None => input.path == BUILTIN,
        };
        if !consistent {
            return Err(bad(format!(
                "its request and its list of inputs name different files for the {}",
                input.role
            ))
            .into());
        }
        let (now, name) = match manifest::resolve(&dir, input) {
            Some(p) => {
                check_regular_file(&p, &input.role)?;
                (sha256_hex(&read_file(&p)?), p.display().to_string())
            }
            None => {
                let text = builtin_text(&input.role)
                    .ok_or_else(|| bad(format!("unknown built-in input '{}'", input.role)))?;
                (
                    sha256_hex(text.as_bytes()),
                    match l {
                        Lang::De => format!("eingebaut: {}", input.role),
                        Lang::En => format!("the built-in {}", input.role),
                    },
                )
            }
        };
        if now != input.sha256 {
            let (role, was) = (&input.role, &input.sha256);
            changed.push(match l {
                Lang::De => format!("{role} ({name}): SHA-256 jetzt {now}, aufgezeichnet {was}"),
                Lang::En => format!("{role} ({name}): SHA-256 {now} now, {was} recorded"),
            });
        }
    }
    if let Some((role, _)) = requested
        .iter()
        .find(|(role, _)| recorded.input(role).is_none())
    {
        return Err(bad(format!(
            "its request names a {role} that its list of inputs lacks"
        ))
        .into());
    }
    if !changed.is_empty() {
        return Ok(Outcome {
            stdout,
            stderr: format!(
                "{shown}: {}:\n  {}\n",
                l.pick(
                    "die Eingaben weichen von den aufgezeichneten ab, daher lassen sich die Ausgaben nicht vergleichen",
                    "the inputs differ from the recorded ones, so the outputs cannot be compared"
                ),
                changed.join("\n  ")
            ),
            status: ExitStatus::Differs,
        }
        .with_warnings(warnings, l));
    }

    let rerun = super::run(&request)?;
    let fresh = Manifest::read(&tmp.path().join(manifest::FILE_NAME))?;
    let cmp = manifest::compare(&recorded.outputs, &fresh.outputs);
    let mut stderr = String::new();
    let de = l == Lang::De;
    for (file, was, now) in &cmp.differ {
        let file = dir.join(file);
        let file = file.display();
        stderr.push_str(&if de {
            format!("weicht ab: {file} (SHA-256 jetzt {now}, aufgezeichnet {was})\n")
        } else {
            format!("differs: {file} (SHA-256 {now} now, {was} recorded)\n")
        });
    }
    for file in &cmp.missing {
        let file = dir.join(file);
        let file = file.display();
        stderr.push_str(&if de {
            format!(
                "fehlt: {file} ist aufgezeichnet, aber der neue Lauf hat es nicht geschrieben\n"
            )
        } else {
            format!("missing: {file} is recorded but the re-run did not write it\n")
        });
    }
    for file in &cmp.extra {
        stderr.push_str(&if de {
            format!("nicht aufgezeichnet: der neue Lauf hat auch {file} geschrieben\n")
        } else {
            format!("not recorded: the re-run also wrote {file}\n")
        });
    }
    if rerun.status != recorded.exit_code {
        let (now, was) = (rerun.status.code(), recorded.exit_code.code());
        stderr.push_str(&if de {
            format!("Exit-Code: jetzt {now}, aufgezeichnet {was}\n")
        } else {
            format!("exit code: {now} now, {was} recorded\n")
        });
    }
    if fresh.seed != recorded.seed {
        let (now, was) = (fresh.seed, recorded.seed);
        stderr.push_str(&if de {
            format!("Seed: die Anfrage läuft mit {now:?}, das Manifest zeichnet {was:?} auf\n")
        } else {
            format!("seed: the request runs with {now:?}, the manifest records {was:?}\n")
        });
    }
    // the recorded files themselves must still be the ones hashed
    for o in &recorded.outputs {
        let on_disk = dir.join(&o.path);
        let shown = on_disk.display();
        let regular = std::fs::symlink_metadata(&on_disk)
            .is_ok_and(|m| m.is_file() && m.len() <= MAX_FILE_BYTES);
        if !regular {
            stderr.push_str(&if de {
                format!("fehlt auf der Platte: {shown} (oder keine reguläre Datei)\n")
            } else {
                format!("missing on disk: {shown} (or not a regular file)\n")
            });
            continue;
        }
        match std::fs::read(&on_disk) {
            Ok(bytes) if sha256_hex(&bytes) == o.sha256 => {}
            Ok(_) => stderr.push_str(&if de {
                format!("auf der Platte geändert: {shown} passt nicht mehr zu seinem aufgezeichneten SHA-256\n")
            } else {
                format!("changed on disk: {shown} no longer matches its recorded SHA-256\n")
            }),
            Err(_) => stderr.push_str(&format!(
                "{}: {shown}\n",
                l.pick("nicht lesbar", "cannot read")
            )),
        }
    }
    let outcome = if stderr.is_empty() {
        let same = cmp.same.len();
        stdout.push_str(&if de {
            format!("bestätigt: der neue Lauf hat dieselben {same} Dateien geschrieben, Byte für Byte\n")
        } else {
            format!("verified: the re-run wrote the same {same} files, byte for byte\n")
        });
        Outcome::ok(stdout)
    } else {
        Outcome {
            stdout,
            stderr,
            status: ExitStatus::Differs,
        }
    };
    Ok(outcome.with_warnings(warnings, l))
}
