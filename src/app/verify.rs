//! `typfrage verify`: reads a manifest, checks that its inputs are still the recorded ones, runs the
//! recorded request again into a temporary folder through the same function the command line calls,
//! and compares every output byte for byte (exit status 4 on any difference).
//!
//! A manifest is not trusted, and verify runs what the manifest's command wrote, and only that:
//! outputs must be plain relative paths inside its folder and regular files; the request must be
//! one of a command that writes a manifest, name no output folder and no `save_into` copy (a
//! manifest never records either: such a request is refused, not run), and pass the same check of
//! its parameters as the command line ([`Request::check`]); every file it reads must be an input
//! the manifest lists once under the same path (relative to the manifest's folder), a regular file
//! of a sensible size, hashed as it is read. The re-run writes into a folder inside verify's own
//! temporary folder (its lock and staging folder too), so nothing outside it is written.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Outcome, Request};
use crate::cluster;
use crate::error::Result;
use crate::exit::ExitStatus;
use crate::figures;
use crate::lang::Lang;
use crate::manifest::{self, relative_to, Manifest, ManifestError, BUILTIN};
use crate::output::{sha256_hex, FileAction, FileError};
use crate::survey::DEFAULT_CODEBOOK;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct VerifyRequest {
    /// manifest.json written by typfrage cluster or typfrage figures
    pub manifest: PathBuf,
    // the language of verify's own messages (the re-run uses the recorded request's)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
}

/// The largest input or output file verify reads (a survey of millions of rows stays well below);
/// each is hashed as it is read, never held whole.
const MAX_FILE_BYTES: u64 = 16 << 30;

/// The request as a manifest in `dir` records it: input paths relative to `dir`, no output folder.
pub(super) fn recorded(request: &Request, dir: &Path) -> Result<serde_json::Value> {
    let mut request = request.clone();
    if let Some(paths) = request.recorded_paths() {
        for (_, p) in paths.inputs {
            *p = PathBuf::from(relative_to(p, dir));
        }
        *paths.out = None;
    }
    serde_json::to_value(&request).map_err(|e| {
        ManifestError::Parse {
            path: dir.join(manifest::FILE_NAME).display().to_string(),
            message: format!("cannot record the request: {e}"),
        }
        .into()
    })
}

/// The SHA-256 of the input at `path`, read through one open handle: refused unless it is a
/// regular file of at most [`MAX_FILE_BYTES`] (so no device, pipe or folder is ever read).
fn hash_input(path: &Path, role: &str) -> Result<String, FileError> {
    use sha2::{Digest, Sha256};
    use std::io::Read as _;
    let inspect = |e| FileError::new(FileAction::Inspect, path, e);
    let refuse = |message: String| {
        inspect(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            message,
        ))
    };
    let file = std::fs::File::open(path).map_err(inspect)?;
    let meta = file.metadata().map_err(inspect)?;
    if !meta.is_file() {
        return Err(refuse(format!(
            "the manifest names it as the {role}, but it is not a regular file (a folder, device or other special file); refused"
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(refuse(format!(
            "{} bytes, more than the {MAX_FILE_BYTES} verify reads",
            meta.len()
        )));
    }
    let mut hasher = Sha256::new();
    let copied = std::io::copy(&mut file.take(MAX_FILE_BYTES + 1), &mut hasher)
        .map_err(FileError::reading(path))?;
    if copied > MAX_FILE_BYTES {
        return Err(refuse(format!(
            "it grew beyond the {MAX_FILE_BYTES} bytes verify reads while it was read"
        )));
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn builtin_text(role: &str) -> Option<&'static str> {
    match role {
        "codebook" => Some(DEFAULT_CODEBOOK),
        "types" => Some(cluster::DEFAULT_TYPES),
        "published" => Some(figures::DEFAULT_PUBLISHED),
        _ => None,
    }
}

/// The recorded request, if a replay may run it: a command that writes a manifest, no output
/// folder and no `save_into` (a replay writes only into its own temporary folder), every
/// parameter within the bounds the command line checks.
fn replayable(recorded: &Manifest, shown: &str) -> Result<Request> {
    let bad = |message: String| ManifestError::Parse {
        path: shown.to_string(),
        message,
    };
    let refused = |message: String| ManifestError::Refused {
        path: shown.to_string(),
        message,
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
    if let Request::Cluster(r) | Request::Profile(r) = &request {
        if let Some(copy) = &r.save_into {
            return Err(refused(format!(
                "its request asks for a copy of the survey at '{}' (save_into), a file outside the result folder; a manifest never records one, and verify writes nothing outside its own temporary folder",
                crate::escape::field(&copy.display().to_string())
            ))
            .into());
        }
    }
    let Some(paths) = request.recorded_paths() else {
        return Err(refused(format!(
            "cannot re-run '{}': only the commands that write a result folder with a manifest are re-run",
            recorded.command
        ))
        .into());
    };
    if let Some(out) = paths.out {
        return Err(refused(format!(
            "its request names the output folder '{}'; a manifest never records one (the re-run writes into a temporary folder)",
            crate::escape::field(&out.display().to_string())
        ))
        .into());
    }
    request.check().map_err(|e| {
        refused(format!(
            "its request asks for what the command line refuses: {e}"
        ))
    })?;
    Ok(request)
}

/// Checks that the request reads exactly the inputs the manifest lists (each path as recorded,
/// relative to the manifest's folder `dir`), resolves the request's paths against `dir`, and
/// hashes every input: the inputs whose digest changed, each as a line for people.
fn check_inputs(
    recorded: &Manifest,
    request: &mut Request,
    dir: &Path,
    shown: &str,
    l: Lang,
) -> Result<Vec<String>> {
    let refused = |message: String| ManifestError::Refused {
        path: shown.to_string(),
        message,
    };
    let paths = request.recorded_paths().expect("checked by replayable");
    let mut requested: Vec<(&str, String)> = Vec::new();
    for (role, p) in paths.inputs {
        requested.push((role, p.to_string_lossy().into_owned()));
        if p.is_relative() {
            *p = dir.join(&*p);
        }
    }
    for (role, path) in &requested {
        if recorded.inputs.iter().filter(|i| i.role == *role).count() != 1 {
            return Err(refused(format!(
                "its request reads the {role} '{}', which its list of inputs does not hold exactly once",
                crate::escape::field(path)
            ))
            .into());
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
            return Err(refused(format!(
                "its request and its list of inputs name different files for the {}",
                crate::escape::field(&input.role)
            ))
            .into());
        }
        let (now, name) = match manifest::resolve(dir, input) {
            Some(p) => (hash_input(&p, &input.role)?, p.display().to_string()),
            None => {
                let text = builtin_text(&input.role).ok_or_else(|| {
                    refused(format!(
                        "unknown built-in input '{}'",
                        crate::escape::field(&input.role)
                    ))
                })?;
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
    Ok(changed)
}

pub(super) fn run(r: &VerifyRequest) -> Result<Outcome> {
    let path = &r.manifest;
    let shown = path.display().to_string();
    let recorded = Manifest::read(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut request = replayable(&recorded, &shown)?;
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
    let changed = check_inputs(&recorded, &mut request, &dir, &shown, l)?;
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
            shown: 0,
        }
        .with_warnings(warnings, l));
    }

    // the re-run writes into a folder of its own inside a temporary folder, so that its lock and
    // staging folder (beside its output folder) are inside the temporary folder too
    let tmp = tempfile::tempdir()
        .map_err(|e| FileError::new(FileAction::CreateFolder, &std::env::temp_dir(), e))?;
    let rerun_dir = tmp.path().join("re-run");
    *request.recorded_paths().expect("checked by replayable").out = Some(rerun_dir.clone());
    let rerun = super::run(&request).map_err(|e| ManifestError::Rerun {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let fresh = Manifest::read(&rerun_dir.join(manifest::FILE_NAME))?;
    let mut stderr = differences(&recorded, &fresh, rerun.status, &dir, l);
    stderr.push_str(&changed_on_disk(&recorded, &dir, l));
    let outcome = if stderr.is_empty() {
        let same = recorded.outputs.len();
        stdout.push_str(&match l {
            Lang::De => format!("bestätigt: der neue Lauf hat dieselben {same} Dateien geschrieben, Byte für Byte\n"),
            Lang::En => format!("verified: the re-run wrote the same {same} files, byte for byte\n"),
        });
        Outcome::ok(stdout)
    } else {
        Outcome {
            stdout,
            stderr,
            status: ExitStatus::Differs,
            shown: 0,
        }
    };
    Ok(outcome.with_warnings(warnings, l))
}

/// How the re-run (its manifest `fresh`, its exit status `status`) differs from the recorded run,
/// a line per difference.
fn differences(
    recorded: &Manifest,
    fresh: &Manifest,
    status: ExitStatus,
    dir: &Path,
    l: Lang,
) -> String {
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
    if status != recorded.exit_code {
        let (now, was) = (status.code(), recorded.exit_code.code());
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
    stderr
}

/// The recorded output files (in `dir`) that are missing, no regular file, or no longer the
/// bytes hashed, a line each.
fn changed_on_disk(recorded: &Manifest, dir: &Path, l: Lang) -> String {
    let de = l == Lang::De;
    let mut stderr = String::new();
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
        match hash_input(&on_disk, "output") {
            Ok(sha256) if sha256 == o.sha256 => {}
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
    stderr
}
