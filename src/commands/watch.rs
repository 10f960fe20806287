//! `deckc build --watch`: build, then rebuild whenever a notes file or a
//! `deckc.toml` changes, until interrupted.
//!
//! Editors save in bursts (write a temp file, rename, touch), so events are
//! debounced: a rebuild starts once nothing has changed for
//! [`DEBOUNCE`]. Files are watched through their directories, because an
//! editor that saves by renaming replaces the file a direct watch would
//! follow. Our own outputs, lock files and temp files never trigger a
//! rebuild (that would loop).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use super::build::{build, is_notes_file};
use super::term::Term;
use super::ExitStatus;
use crate::cli::BuildArgs;
use crate::config;
use crate::error::{Error, Result};

/// Quiet time after the last change before rebuilding.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// What to watch and which changed paths matter.
#[derive(Debug, Default)]
struct Watched {
    /// Directories to watch, with whether to descend into them.
    dirs: Vec<(PathBuf, RecursiveMode)>,
    /// Notes files named directly.
    files: Vec<PathBuf>,
    /// Directories whose notes files all count.
    trees: Vec<PathBuf>,
    /// Output locations under a watched tree, never read back.
    ignored: Vec<PathBuf>,
}

impl Watched {
    fn of(args: &BuildArgs) -> Result<Watched> {
        let abs = |p: &Path| std::path::absolute(p).map_err(Error::Io);
        let mut w = Watched::default();
        for out in args.out_dir.iter().chain(&args.output) {
            w.ignored.push(abs(out)?);
        }
        for input in &args.source.inputs {
            let input = abs(input)?;
            if input.is_dir() {
                if let Some(out) = config::load(&input.join(config::FILE_NAME))?.build.out_dir {
                    w.ignored.push(abs(&out)?);
                }
                w.dirs.push((input.clone(), RecursiveMode::Recursive));
                w.trees.push(input.clone());
            } else {
                if let Some(out) = config::load(&input)?.build.out_dir {
                    w.ignored.push(abs(&out)?);
                }
                let dir = input.parent().map(Path::to_path_buf).unwrap_or_default();
                w.dirs.push((dir, RecursiveMode::NonRecursive));
                w.files.push(input.clone());
            }
            // The config that applies may sit in a parent directory.
            if let Some(found) = config::find(&input.join(config::FILE_NAME)) {
                if let Some(dir) = found.parent() {
                    w.dirs
                        .push((dir.to_path_buf(), RecursiveMode::NonRecursive));
                }
            }
        }
        w.dirs.sort();
        w.dirs.dedup_by(|a, b| a.0 == b.0);
        Ok(w)
    }

    /// True when a change to `path` calls for a rebuild.
    fn matters(&self, path: &Path) -> bool {
        if self.ignored.iter().any(|i| path.starts_with(i)) {
            return false;
        }
        if path.file_name().is_some_and(|n| n == config::FILE_NAME) {
            return true;
        }
        if self.files.iter().any(|f| f == path) {
            return true;
        }
        let hidden = path
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        self.trees.iter().any(|t| path.starts_with(t))
            && !hidden
            && (is_notes_file(path) || !path.exists())
    }
}

pub fn run(args: &BuildArgs, term: &Term) -> Result<ExitStatus> {
    let watched = Watched::of(args)?;
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    // The watcher is set up before the first build, so a save during that
    // build is not missed.
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
    for (dir, mode) in &watched.dirs {
        watcher
            .watch(dir, *mode)
            .map_err(|e| Error::Usage(format!("cannot watch `{}`: {e}", dir.display())))?;
    }
    rebuild(args, term);
    loop {
        let Ok(event) = rx.recv() else {
            return Ok(ExitStatus::Success);
        };
        let Some(changed) = relevant(&watched, event) else {
            continue;
        };
        // Let the burst of events from one save settle. Only changes that
        // matter restart the wait: a reader polling the output (or our own
        // log file) makes a steady stream of events that must not hold the
        // rebuild back forever.
        let mut deadline = Instant::now() + DEBOUNCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(event) => {
                    if relevant(&watched, event).is_some() {
                        deadline = Instant::now() + DEBOUNCE;
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Ok(ExitStatus::Success),
            }
        }
        if !term.quiet {
            eprintln!(
                "{} `{}` changed; rebuilding",
                term.note(),
                changed.display()
            );
        }
        rebuild(args, term);
    }
}

/// The first changed path that matters, if any.
fn relevant(watched: &Watched, event: notify::Result<notify::Event>) -> Option<PathBuf> {
    let event = event.ok()?;
    if matches!(event.kind, EventKind::Access(_)) {
        return None;
    }
    event.paths.into_iter().find(|p| watched.matters(p))
}

/// One build; a failure is reported and watching goes on.
fn rebuild(args: &BuildArgs, term: &Term) {
    if let Err(e) = build(args, term) {
        eprintln!("{} {e}", term.error());
    }
    if !term.quiet {
        eprintln!("watching for changes (Ctrl-C to stop)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_notes_and_configs_matter_never_outputs() {
        let w = Watched {
            files: vec![PathBuf::from("/p/notes.txt")],
            trees: vec![PathBuf::from("/p/decks")],
            ignored: vec![PathBuf::from("/p/decks/dist"), PathBuf::from("/p/out.json")],
            ..Watched::default()
        };
        assert!(w.matters(Path::new("/p/notes.txt")));
        assert!(w.matters(Path::new("/p/deckc.toml")));
        assert!(!w.matters(Path::new("/p/notes.lock")));
        assert!(!w.matters(Path::new("/p/notes.apkg")));
        assert!(!w.matters(Path::new("/p/out.json")));
        assert!(!w.matters(Path::new("/p/.notes.apkg.x1.tmp")));
        // A notes file removed from a watched folder (it no longer exists).
        assert!(w.matters(Path::new("/p/decks/gone.txt")));
        assert!(!w.matters(Path::new("/p/decks/dist/a.txt")));
        assert!(!w.matters(Path::new("/p/decks/.git/index")));
    }
}
