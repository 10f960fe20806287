//! Writing output atomically: a temporary file in the target directory,
//! flushed and synced, then renamed over the target. A failed or killed
//! build leaves any previous output untouched, and no temporary file stays
//! behind (it is deleted when dropped).
//!
//! A build killed outright (SIGKILL, power loss) cannot delete its
//! temporary file; its name carries the process id, so the next build to
//! the same target removes it once that process is gone.
//!
//! Two exceptions keep the rename from doing harm: a target that exists and
//! is not a regular file (`/dev/stdout`, `/dev/full`, a named pipe) is
//! written in place, since renaming over it would replace the device; and a
//! symbolic link is followed, so the link keeps pointing at the new output.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// True for the path `-`, which means standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes the bytes produced by `write` to `path` atomically, or to standard
/// output when `path` is `-`.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    if is_stdout(path) {
        let stdout = std::io::stdout();
        let mut lock = BufWriter::new(stdout.lock());
        write(&mut lock).map_err(plain_io)?;
        lock.flush()?;
        return Ok(());
    }
    let err = |source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let Place {
        target,
        dir,
        file_name,
    } = Place::of(path);
    let existing = std::fs::metadata(&target).ok();
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(err(std::io::Error::other(
                "it is a directory; name a file, or use --out-dir for a directory",
            )));
        }
        if !meta.is_file() {
            let file = File::options()
                .write(true)
                .truncate(true)
                .open(&target)
                .map_err(err)?;
            return write_through(file, write, &err);
        }
    }
    let dir = dir.as_path();
    if !dir.is_dir() {
        return Err(err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            no_directory(dir),
        )));
    }
    remove_stale_temps(dir, &file_name);
    let tmp = temp_beside(dir, &file_name).map_err(|e| {
        // Say why a temp file is involved and what to do: the bare
        // error names a path the user never gave.
        err(std::io::Error::new(
            e.kind(),
            format!(
                "cannot create a file in `{}` ({e}); make the directory writable \
                     or choose another output",
                dir.display()
            ),
        ))
    })?;
    write_through(tmp.as_file(), write, &err)?;
    set_permissions(tmp.as_file(), existing.as_ref()).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(&target).map_err(|e| err(e.error))?;
    Ok(())
}

/// Where an output file goes: the file a symlink names (or the path as
/// given; a dangling link is replaced), its directory and its name.
pub struct Place {
    pub target: PathBuf,
    pub dir: PathBuf,
    pub file_name: String,
}

impl Place {
    pub fn of(path: &Path) -> Place {
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Place {
            target,
            dir,
            file_name,
        }
    }
}

/// A new file in `dir` named `.NAME.PID.RANDOM.tmp`, for output `file_name`:
/// the pattern a later build's [`remove_stale_temps`] removes when this
/// process has died.
pub fn temp_beside(dir: &Path, file_name: &str) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&format!(".{file_name}.{}.", std::process::id()))
        .suffix(".tmp")
        .tempfile_in(dir)
}

/// Why `dir`, which is not a directory, cannot hold an output, and what to
/// do: create it when nothing is there, or (when it or a directory above
/// it is a file) choose another place, since `mkdir -p` would fail.
pub fn no_directory(dir: &Path) -> String {
    let blocker = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| std::fs::metadata(a).is_ok());
    match blocker {
        Some(file) if !file.is_dir() => format!(
            "`{}` is not a directory but a file; write the output elsewhere, or move \
             that file out of the way",
            file.display()
        ),
        _ => format!(
            "directory `{}` does not exist; create it first (mkdir -p {})",
            dir.display(),
            dir.display()
        ),
    }
}

/// Deletes `.NAME.PID.RANDOM.tmp` files left in `dir` by killed builds of
/// `NAME`. A file whose process still runs is a build in progress (two
/// builds racing to one output) and is left alone; so is anything that is
/// not exactly our pattern. Failures are ignored: this is housekeeping.
fn remove_stale_temps(dir: &Path, file_name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{file_name}.");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.split_once('.'))
            .filter(|(_, random)| {
                !random.is_empty() && random.bytes().all(|b| b.is_ascii_alphanumeric())
            })
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` exists. Only Linux can tell cheaply without
/// `unsafe` (through `/proc`); elsewhere, and when `/proc` is not mounted,
/// every process counts as alive, so nothing is ever deleted wrongly.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !cfg!(target_os = "linux") || !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// Unwraps an I/O error the JSON or CSV writer wrapped, so that `main`
/// sees a closed pipe (`deckc build -o - | head`) as the success it is.
fn plain_io(e: Error) -> Error {
    match e {
        Error::Json(j) if j.io_error_kind().is_some() => Error::Io(j.into()),
        Error::Csv(c) => match c.into_kind() {
            ::csv::ErrorKind::Io(io) => Error::Io(io),
            // Not reachable from a writer; kept readable rather than lost.
            other => Error::Format(format!("cannot write the CSV: {other:?}")),
        },
        other => other,
    }
}

/// Runs `write` into `file`, naming the path in I/O errors.
fn write_through(
    file: impl Write,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
    err: &dyn Fn(std::io::Error) -> Error,
) -> Result<()> {
    let mut w = BufWriter::new(file);
    write(&mut w).map_err(|e| match e {
        Error::Io(source) => err(source),
        other => other,
    })?;
    w.flush().map_err(err)?;
    Ok(())
}

/// The temporary file is created private (0600); the output should look
/// like any other file the user writes: the old file's mode when replacing
/// one, else readable by all (0644).
fn set_permissions(file: &File, existing: Option<&std::fs::Metadata>) -> std::io::Result<()> {
    let perms = match existing {
        Some(meta) => meta.permissions(),
        None => default_permissions(file)?,
    };
    file.set_permissions(perms)
}

#[cfg(unix)]
fn default_permissions(_file: &File) -> std::io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(file: &File) -> std::io::Result<std::fs::Permissions> {
    Ok(file.metadata()?.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        std::fs::write(&target, "old").unwrap();
        let r = write_atomic(&target, |w| {
            w.write_all(b"partial")?;
            Err(Error::Format("boom".into()))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(entries(dir.path()), ["out.txt"]);
        write_atomic(&target, |w| Ok(w.write_all(b"new")?)).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(entries(dir.path()), ["out.txt"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn temps_of_dead_builds_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        // pid_max is at most 2^22 on Linux: this process cannot exist.
        let dead = dir.path().join(".out.txt.4294967295.AbC123.tmp");
        let live = dir
            .path()
            .join(format!(".out.txt.{}.XyZ789.tmp", std::process::id()));
        let parent = dir.path().join(".out.txt.1.q1w2e3.tmp"); // init is alive
        let other = dir.path().join(".other.txt.4294967295.AbC123.tmp");
        let unrelated = dir.path().join(".out.txt.notapid.tmp");
        for p in [&dead, &live, &parent, &other, &unrelated] {
            std::fs::write(p, "x").unwrap();
        }
        write_atomic(&target, |w| Ok(w.write_all(b"new")?)).unwrap();
        assert!(!dead.exists());
        for kept in [&live, &parent, &other, &unrelated] {
            assert!(kept.exists(), "{}", kept.display());
        }
    }

    #[test]
    fn wrapped_io_errors_are_unwrapped() {
        let pipe = || std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let json = Error::Json(serde_json::Error::io(pipe()));
        assert!(
            matches!(plain_io(json), Error::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
        );
        let csv = Error::Csv(::csv::Error::from(pipe()));
        assert!(
            matches!(plain_io(csv), Error::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
        );
        assert!(matches!(
            plain_io(Error::Format("x".into())),
            Error::Format(_)
        ));
    }

    #[test]
    fn missing_directory_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("nope/out.txt");
        let e = write_atomic(&target, |w| Ok(w.write_all(b"x")?)).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("does not exist; create it first"), "{msg}");
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn a_file_in_the_way_is_named_not_called_missing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        for target in [file.join("out.txt"), file.join("a/b/out.txt")] {
            let e = write_atomic(&target, |w| Ok(w.write_all(b"y")?)).unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.contains(&format!("`{}` is not a directory", file.display())),
                "{msg}"
            );
            assert!(!msg.contains("mkdir"), "{msg}");
        }
        assert_eq!(std::fs::read(&file).unwrap(), b"x");
    }

    #[test]
    fn a_directory_target_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), |w| Ok(w.write_all(b"x")?)).unwrap_err();
        assert!(e.to_string().contains("is a directory"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_world_readable_and_modes_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        write_atomic(&target, |w| Ok(w.write_all(b"a")?)).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&target), 0o644);
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&target, |w| Ok(w.write_all(b"b")?)).unwrap();
        assert_eq!(mode(&target), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, |w| Ok(w.write_all(b"new")?)).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_device_is_an_error_and_stays_a_device() {
        let e = write_atomic(Path::new("/dev/full"), |w| {
            Ok(w.write_all(&[b'x'; 100_000])?)
        })
        .unwrap_err();
        assert!(e.to_string().contains("/dev/full"), "{e}");
        let meta = std::fs::metadata("/dev/full").unwrap();
        assert!(!meta.is_file());
    }
}
