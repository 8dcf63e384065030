//! Result folders committed whole. A command that writes a result folder (`cluster`, `profile`,
//! `figures`) writes every output into a staging folder beside the target, and only when all of them
//! (the manifest last) are written, moves them into place: the previous run's files are set aside,
//! the new ones moved in, files of the previous run that this run does not write are removed, and
//! the set-aside files are deleted. A failure at any point before that leaves the target as it was;
//! a failure while moving puts the previous files back. Every file is on disk before it is moved
//! (written by [`write_atomic`](crate::output::write_atomic), or, for the many sheets of `feedback`,
//! forced to disk together by [`sync_files`](crate::output::sync_files)), and so are the folders' entries
//! before a move and after it (before the previous files are deleted), so that a power cut leaves
//! the previous run's files or this run's.
//!
//! A lock file beside the target refuses a second run into the same folder while one is writing.
//! A folder that holds files but no manifest and is not a typfrage folder is refused, so that
//! `--out ~/Documents` never mixes results into someone's files.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Result, UsageError};
use crate::manifest::{self, Manifest};
use crate::output::{ensure_dir, sync_folder, FileAction, FileError};

/// Files and folders that other typfrage commands write into the same default folder (`choose-k`,
/// `stability`, and the folders of `figures`, `profile`, `hierarchy`, `mixture`, `response-style`
/// and `replicate` below `cluster`'s): a folder holding only these is not foreign.
const KNOWN_NEIGHBOURS: [&str; 12] = [
    "choose-k.csv",
    "choose-k.png",
    "choose-k.svg",
    "choose-k.json",
    "stability.csv",
    "figures",
    "profiles",
    "hierarchy",
    "mixture",
    "feedback",
    "response-style",
    "replication",
];

/// A result folder being written: outputs go into [`Staged::dir`], then [`Staged::commit`].
pub(super) struct Staged {
    target: PathBuf,
    staging: Option<tempfile::TempDir>,
    lock: Lock,
}

impl Staged {
    /// Takes the lock on `target` and makes a staging folder beside it.
    pub fn begin(target: &Path) -> Result<Staged> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != "..")
            .ok_or_else(|| {
                UsageError::new(format!(
                    "--out {}: name a folder by its own name (not '.', '..' or a root)",
                    target.display()
                ))
            })?;
        let parent = parent_of(target);
        ensure_dir(&parent)?;
        if let Ok(meta) = fs::symlink_metadata(target) {
            if !meta.is_dir() {
                // the message of ensure_dir names a file or a dangling link
                ensure_dir(target)?;
                return Err(UsageError::new(format!(
                    "--out {}: it exists and is not a folder",
                    target.display()
                ))
                .into());
            }
        }
        let lock = Lock::take(&parent.join(format!(".{name}.typfrage-lock")), target)?;
        remove_stale_staging(&parent, &name);
        check_not_foreign(target)?;
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.typfrage-staging-"))
            .tempdir_in(&parent)
            .map_err(|e| FileError::new(FileAction::CreateFolder, &parent, e))?;
        Ok(Staged {
            target: target.to_path_buf(),
            staging: Some(staging),
            lock,
        })
    }

    /// Where the outputs are written until the commit.
    pub fn dir(&self) -> &Path {
        self.staging
            .as_ref()
            .map_or(self.target.as_path(), |s| s.path())
    }

    /// The final path of an output written at `staged` (a path inside [`Staged::dir`]).
    pub fn final_path(&self, staged: &Path) -> PathBuf {
        staged
            .strip_prefix(self.dir())
            .map_or_else(|_| staged.to_path_buf(), |rel| self.target.join(rel))
    }

    /// Moves the staged outputs into the target, replacing the previous run's files.
    pub fn commit(mut self) -> Result<()> {
        let staging = self.staging.take().expect("committed once");
        let result = if fs::symlink_metadata(&self.target).is_err() {
            // nothing there yet: one rename puts the whole folder, on disk, in place
            let path = staging.keep();
            match sync_folders(&path).and_then(|()| fs::rename(&path, &self.target)) {
                Ok(()) => {
                    let parent = parent_of(&self.target);
                    sync_folder(&parent).map_err(|e| FileError::new(FileAction::Write, &parent, e))
                }
                Err(e) => {
                    let _ = fs::remove_dir_all(&path);
                    Err(FileError::new(FileAction::Write, &self.target, e))
                }
            }
            .map_err(Into::into)
        } else {
            let result = replace_files(staging.path(), &self.target);
            drop(staging);
            result
        };
        self.lock.release();
        result
    }
}

/// The folder `path` is in (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Forces the entries of `dir` and of every folder below it to disk.
fn sync_folders(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            sync_folders(&entry.path())?;
        }
    }
    sync_folder(dir)
}

/// Files below `dir`, relative to it, sorted.
fn files_below(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in fs::read_dir(dir.join(&rel))? {
            let entry = entry?;
            let rel = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(rel);
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The files the previous run in `target` wrote: its manifest's outputs and the manifest.
fn previous_files(target: &Path) -> Vec<PathBuf> {
    let path = target.join(manifest::FILE_NAME);
    let Ok(m) = Manifest::read(&path) else {
        return if path.is_file() {
            vec![PathBuf::from(manifest::FILE_NAME)]
        } else {
            Vec::new()
        };
    };
    let mut files: Vec<PathBuf> = m.outputs.iter().map(|o| PathBuf::from(&o.path)).collect();
    files.push(PathBuf::from(manifest::FILE_NAME));
    files
}

/// Sets the previous run's files aside, moves the new ones in, and deletes the set-aside ones; on a
/// failure, puts everything back as it was.
fn replace_files(staging: &Path, target: &Path) -> Result<()> {
    let new = files_below(staging).map_err(|e| FileError::new(FileAction::Read, staging, e))?;
    let previous: Vec<PathBuf> = previous_files(target)
        .into_iter()
        .filter(|f| target.join(f).is_file())
        .collect();
    let aside = tempfile::Builder::new()
        .prefix(".typfrage-previous-")
        .tempdir_in(target)
        .map_err(|e| FileError::new(FileAction::CreateFolder, target, e))?;
    let mut moved_aside = Vec::new();
    let mut moved_in = Vec::new();
    let step = |from: &Path, to: &Path| -> io::Result<()> {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(from, to)
    };
    let mut run = || -> io::Result<()> {
        for f in &previous {
            step(&target.join(f), &aside.path().join(f))?;
            moved_aside.push(f.clone());
        }
        for f in &new {
            step(&staging.join(f), &target.join(f))?;
            moved_in.push(f.clone());
        }
        // the new files in place on disk before the previous ones are deleted
        let mut folders: Vec<PathBuf> = new.iter().map(|f| parent_of(&target.join(f))).collect();
        folders.sort();
        folders.dedup();
        folders.iter().try_for_each(|d| sync_folder(d))
    };
    if let Err(e) = run() {
        for f in moved_in.iter().rev() {
            let _ = fs::rename(target.join(f), staging.join(f));
        }
        for f in moved_aside.iter().rev() {
            let _ = fs::rename(aside.path().join(f), target.join(f));
        }
        return Err(FileError::new(FileAction::Write, target, e).into());
    }
    drop(aside);
    // folders the previous run wrote into and this one left empty (charts/, say)
    for f in &previous {
        let mut dir = f.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            if fs::remove_dir(target.join(d)).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

/// Refuses a folder that holds files of its own: not empty, no manifest, not only typfrage's.
fn check_not_foreign(target: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(target) else {
        return Ok(());
    };
    if target.join(manifest::FILE_NAME).is_file() {
        return Ok(());
    }
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // another run's lock or staging folder (a `profile` run below a `cluster` folder, say)
        let ours = name.starts_with('.') && name.contains(".typfrage-");
        if !ours && !KNOWN_NEIGHBOURS.contains(&name.as_str()) {
            return Err(UsageError::new(format!(
                "--out {}: the folder already holds files that typfrage did not write (such as '{name}') and no manifest.json; choose an empty or new folder, or a result folder of an earlier run (nothing was written)",
                target.display()
            ))
            .into());
        }
    }
    Ok(())
}

/// Staging folders left by a run that was killed (the lock is ours now, so none is in use).
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.typfrage-staging-");
    if let Ok(entries) = fs::read_dir(parent) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// A lock file holding the process id of the run that writes the folder.
struct Lock {
    path: Option<PathBuf>,
}

impl Lock {
    fn take(path: &Path, target: &Path) -> Result<Lock> {
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(Lock {
                        path: Some(path.to_path_buf()),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(path).unwrap_or_default();
                    let pid = holder.trim().parse::<u32>().ok();
                    if pid.is_some_and(|pid| !process_alive(pid)) {
                        // left by a run that was killed: take it over
                        let _ = fs::remove_file(path);
                        continue;
                    }
                    return Err(UsageError::new(format!(
                        "--out {}: another typfrage run (process {}) is writing into this folder; wait for it, or remove {} if no such run is going on (nothing was written)",
                        target.display(),
                        pid.map_or_else(|| "unknown".to_string(), |p| p.to_string()),
                        path.display()
                    ))
                    .into());
                }
                Err(e) => return Err(FileError::new(FileAction::Write, path, e).into()),
            }
        }
        Err(UsageError::new(format!(
            "--out {}: cannot take the lock {}",
            target.display(),
            path.display()
        ))
        .into())
    }

    fn release(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = fs::remove_file(path);
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        self.release();
    }
}

/// Whether a process with this id runs (Linux: its /proc entry; elsewhere assume it does).
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}
