//! Files: the one error for a failed file operation ([`FileError`]: what was being done, to which
//! path, why), reading inputs, and writing outputs atomically: into a temporary file beside the
//! target, forced to disk, then renamed, so that a failure never leaves a half-written file behind,
//! and a reader (or the disk after a power cut) sees the old file or the new one. A chart's three
//! files (picture, chart file, numbers) are written from their rendered bytes by [`write_chart`].

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

/// What was being done to a file or folder when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    Read,
    Write,
    CreateFolder,
    Inspect,
}

impl fmt::Display for FileAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileAction::Read => "cannot read the file",
            FileAction::Write => "cannot write the file",
            FileAction::CreateFolder => "cannot create the folder",
            FileAction::Inspect => "cannot look at",
        })
    }
}

/// A failed file operation: what, on which path, and the system's reason in plain words.
#[derive(Debug, Error)]
#[error("{}: {action}: {}", path.display(), plain_reason(source))]
pub struct FileError {
    pub action: FileAction,
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

impl FileError {
    pub fn new(action: FileAction, path: &Path, source: io::Error) -> FileError {
        FileError {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// A closure for `map_err`: `fs::read(p).map_err(FileError::reading(p))`.
    pub fn reading(path: &Path) -> impl FnOnce(io::Error) -> FileError + '_ {
        move |source| FileError::new(FileAction::Read, path, source)
    }

    pub fn writing(path: &Path) -> impl FnOnce(io::Error) -> FileError + '_ {
        move |source| FileError::new(FileAction::Write, path, source)
    }
}

/// The system's reason, in words a user recognises for the common cases.
fn plain_reason(e: &io::Error) -> String {
    if e.get_ref().is_some() {
        // a message of ours or of a library, already in words
        return e.to_string();
    }
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::AlreadyExists => "something else already exists at that path".into(),
        io::ErrorKind::StorageFull => "the disk is full".into(),
        io::ErrorKind::NotADirectory => "a part of the path is a file, not a folder".into(),
        io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        io::ErrorKind::InvalidData => format!("it is not valid text ({e})"),
        _ => e.to_string(),
    }
}

/// Reads a whole file, naming it in the error.
pub fn read_file(path: &Path) -> Result<Vec<u8>, FileError> {
    std::fs::read(path).map_err(FileError::reading(path))
}

/// Reads a whole UTF-8 text file, naming it in the error.
pub fn read_text(path: &Path) -> Result<String, FileError> {
    std::fs::read_to_string(path).map_err(FileError::reading(path))
}

/// Reads a whole UTF-8 text file of at most `max` bytes (a configuration file, a model), naming
/// it in the error; a larger file, or one that is no regular file (a device, a pipe), is refused
/// before it is read.
pub fn read_text_at_most(path: &Path, max: u64) -> Result<String, FileError> {
    use std::io::Read as _;
    let refuse = |message: String| {
        FileError::new(
            FileAction::Read,
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, message),
        )
    };
    let file = std::fs::File::open(path).map_err(FileError::reading(path))?;
    let meta = file.metadata().map_err(FileError::reading(path))?;
    if !meta.is_file() {
        return Err(refuse(
            "not a regular file (a folder, device or pipe); expected a file".into(),
        ));
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(FileError::reading(path))?;
    if bytes.len() as u64 > max {
        return Err(refuse(format!(
            "more than {max} bytes; expected a file of at most that size"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        refuse(format!(
            "not UTF-8 text (byte {} is not part of a UTF-8 character)",
            e.utf8_error().valid_up_to() + 1
        ))
    })
}

/// Writes `path` atomically with `write`.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), FileError> {
    let err = FileError::writing(path);
    if let Some(e) = injected_failure() {
        return Err(err(e));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = match tempfile::NamedTempFile::new_in(dir) {
        Ok(tmp) => tmp,
        Err(e) => return Err(err(e)),
    };
    if let Err(e) = write(tmp.as_file_mut()) {
        return Err(err(e));
    }
    // a temporary file is private (0600); the output is an ordinary file
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(e) = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
        {
            return Err(err(e));
        }
    }
    // the data reach the disk before the name points at them: after a power cut the file is the
    // old one or the new one, not an empty one
    if let Err(e) = tmp.as_file().sync_all() {
        return Err(err(e));
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Writes `path`, inside a staging folder that no one reads before its commit, with `write`,
/// without forcing the data to disk: [`sync_files`] does that for many files at once before the
/// commit, where one `fsync` per file in turn would spend most of a many-file run waiting for the
/// disk (100,000 feedback sheets: about 100 s of 160 on a virtual disk).
pub fn write_unsynced(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), FileError> {
    if let Some(e) = injected_failure() {
        return Err(FileError::writing(path)(e));
    }
    let mut file = std::fs::File::create(path).map_err(FileError::writing(path))?;
    write(&mut file).map_err(FileError::writing(path))
}

/// How many files [`sync_files`] forces to disk at a time: the waits overlap (a journaling file
/// system commits the concurrent requests together), so this is about the disk, not the cores.
const SYNC_AT_ONCE: usize = 32;

/// Forces the data of every file in `paths` to disk, [`SYNC_AT_ONCE`] at a time; the error of the
/// first path (in the order given) that fails.
pub fn sync_files(paths: &[PathBuf]) -> Result<(), FileError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::Mutex::new(None::<(usize, io::Error)>);
    std::thread::scope(|scope| {
        for _ in 0..SYNC_AT_ONCE.min(paths.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                if let Err(e) = std::fs::File::open(path).and_then(|f| f.sync_all()) {
                    let mut failed = failed.lock().unwrap_or_else(|p| p.into_inner());
                    if failed.as_ref().is_none_or(|(first, _)| i < *first) {
                        *failed = Some((i, e));
                    }
                }
            });
        }
    });
    match failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some((i, e)) => Err(FileError::writing(&paths[i])(e)),
        None => Ok(()),
    }
}

/// Writes a chart's files into `dir` from their rendered bytes, each atomically: `<stem>.<ext>`
/// for each extension and bytes given (the picture, its chart file and its numbers, as
/// [`crate::show::chart::RenderedChart::files`] gives them); `stem` must be a slug
/// ([`check_slug`]). Returns the paths in the order given.
pub fn write_chart(
    dir: &Path,
    stem: &str,
    files: [(&str, &[u8]); 3],
) -> Result<Vec<PathBuf>, FileError> {
    check_slug(stem).map_err(|message| {
        FileError::new(
            FileAction::Write,
            dir,
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("chart name: {message}"),
            ),
        )
    })?;
    let mut written = Vec::with_capacity(files.len());
    for (extension, bytes) in files {
        let path = dir.join(format!("{stem}.{extension}"));
        write_atomic(&path, |w| w.write_all(bytes))?;
        written.push(path);
    }
    Ok(written)
}

/// Forces a folder's entries (the names of the files in it) to disk, so that a rename into it
/// or out of it survives a power cut.
pub fn sync_folder(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// A testing hook: with `TYPFRAGE_FAIL_AFTER_WRITES=N` in the environment, every file write of the
/// process after the first N fails, so that tests can check that a run failing at any point leaves
/// its result folder as it was.
fn injected_failure() -> Option<io::Error> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::OnceLock;
    static LIMIT: OnceLock<Option<usize>> = OnceLock::new();
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let limit = (*LIMIT.get_or_init(|| {
        std::env::var("TYPFRAGE_FAIL_AFTER_WRITES")
            .ok()
            .and_then(|n| n.parse().ok())
    }))?;
    let n = WRITES.fetch_add(1, Ordering::SeqCst);
    (n >= limit).then(|| io::Error::other("injected failure (TYPFRAGE_FAIL_AFTER_WRITES)"))
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The SHA-256 of a file as lowercase hex, read in pieces (an output of a hundred megabytes is
/// never held whole); the same as [`sha256_hex`] of its bytes.
pub fn sha256_file(path: &Path) -> Result<String, FileError> {
    use sha2::{Digest, Sha256};
    let mut file = std::fs::File::open(path).map_err(FileError::reading(path))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(FileError::reading(path))?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The default output folder for `input`: `<stem>-typfrage` beside it.
/// The longest name part ([`check_slug`]) taken from data or configuration.
pub const SLUG_MAX: usize = 64;

/// Checks that `text`, taken from data or configuration (a type id, a variable name), can name a
/// file: 1 to [`SLUG_MAX`] ASCII letters, digits, `-` or `_`, starting with a letter or digit. So
/// no path separator, no `..`, no control character and no hidden file can come from it.
pub fn check_slug(text: &str) -> Result<(), String> {
    let ok = text.len() <= SLUG_MAX
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{}' cannot name a file; expected 1 to {SLUG_MAX} ASCII letters, digits, '-' or '_', starting with a letter or digit",
            crate::escape::field(text)
        ))
    }
}

pub fn default_out_dir(input: &Path) -> std::path::PathBuf {
    let stem = input
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("survey");
    input.with_file_name(format!("{stem}-typfrage"))
}

/// Creates `dir` (and parents) if needed; an existing file or a dangling link at that path is
/// named as such.
pub fn ensure_dir(dir: &Path) -> Result<(), FileError> {
    let fail = |message: &str| {
        FileError::new(
            FileAction::CreateFolder,
            dir,
            io::Error::new(io::ErrorKind::AlreadyExists, message.to_string()),
        )
    };
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_file() => {
            return Err(fail("a file of that name exists; --out names a folder"))
        }
        Ok(m) if m.file_type().is_symlink() && std::fs::metadata(dir).is_err() => {
            return Err(fail("it is a link to nothing (a dangling symbolic link)"))
        }
        _ => {}
    }
    std::fs::create_dir_all(dir)
        .map_err(|source| FileError::new(FileAction::CreateFolder, dir, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_written_unsynced_are_synced_together_and_a_failure_names_the_first_path() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..100)
            .map(|i| dir.path().join(format!("{i:03}.txt")))
            .collect();
        for (i, p) in paths.iter().enumerate() {
            write_unsynced(p, |w| write!(w, "sheet {i}")).unwrap();
        }
        sync_files(&paths).unwrap();
        assert_eq!(std::fs::read_to_string(&paths[42]).unwrap(), "sheet 42");
        // two paths that do not exist: the error names the earlier one, whichever thread
        // met its path first
        let mut broken = paths.clone();
        broken[30] = dir.path().join("missing-a");
        broken[70] = dir.path().join("missing-b");
        let e = sync_files(&broken).unwrap_err().to_string();
        assert!(e.contains("missing-a"), "{e}");
    }
}
