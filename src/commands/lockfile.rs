//! The lock file around a build: read `<stem>.lock` next to the notes,
//! match the deck against it, and (for file outputs) write it back.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::lock::{self, Change, Lock};
use crate::model::Deck;
use crate::output;

/// A deck matched against its lock.
pub struct Locked {
    pub path: PathBuf,
    /// Whether there was a lock file before the build.
    pub existed: bool,
    /// The new lock's text, when it differs from the file's (an unchanged
    /// lock holds no text: at 100,000 cards the two texts are 23 MB that
    /// would otherwise stay alive for the whole build).
    pub new_text: Option<String>,
    pub changes: Vec<Change>,
}

impl Locked {
    pub fn changed(&self) -> bool {
        self.new_text.is_some()
    }
}

/// `notes.txt` → `notes.lock` in the same directory.
pub fn path_for(source: &Path) -> PathBuf {
    source.with_extension("lock")
}

/// The time given to changed cards: `SOURCE_DATE_EPOCH`, else now.
fn now() -> Result<i64> {
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
        return v.trim().parse().map_err(|_| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH must be a whole number of seconds, not `{v}`"
            ))
        });
    }
    Ok(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0))
}

/// Matches `deck` against the lock next to `source`. Without a lock every
/// card keeps the modification time the pipeline gave it.
pub fn resolve(source: &Path, deck: &mut Deck, first_build_mtime: i64) -> Result<Locked> {
    let path = path_for(source);
    let old_text = match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(Error::Read {
                path: path.clone(),
                source,
            })
        }
    };
    let resolution = match &old_text {
        Some(text) => {
            let old = Lock::parse(text).map_err(|e| Error::Lock {
                path: path.clone(),
                line: e.line,
                message: e.message,
            })?;
            lock::resolve(deck, &old, now()?)
        }
        None => lock::resolve(deck, &Lock::default(), first_build_mtime),
    };
    let new_text = resolution.lock.render();
    drop(resolution.lock);
    Ok(Locked {
        path,
        existed: old_text.is_some(),
        new_text: (old_text.as_deref() != Some(new_text.as_str())).then_some(new_text),
        changes: resolution.changes,
    })
}

/// Writes what `--locked` refused, or the removed cards of a normal build,
/// to `out` (a buffer, so parallel builds print in input order).
pub fn report(locked: &Locked, strict: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if strict {
        writeln!(
            out,
            "error: the lock file `{}` is not up to date (--locked):",
            locked.path.display()
        )?;
        if !locked.existed {
            writeln!(out, "  there is no lock file yet")?;
        }
        for c in &locked.changes {
            writeln!(out, "  {}", c.describe())?;
        }
        writeln!(
            out,
            "help: run `deckc build` without --locked and commit the updated lock file"
        )?;
        return Ok(());
    }
    let removed: Vec<_> = locked
        .changes
        .iter()
        .filter(|c| matches!(c, Change::Removed { .. }))
        .collect();
    if !removed.is_empty() && locked.existed {
        writeln!(
            out,
            "note: {} card{} removed from the notes; Anki never deletes notes on import, so \
             learners keep them until deleted (search `guid:GUID` in Anki's browser):",
            removed.len(),
            if removed.len() == 1 { " was" } else { "s were" }
        )?;
        for c in removed {
            writeln!(out, "  {}", c.describe())?;
        }
    }
    Ok(())
}

/// Writes the lock file if it changed.
pub fn write(locked: &Locked) -> Result<()> {
    if let Some(text) = &locked.new_text {
        output::write_atomic(&locked.path, |w| Ok(w.write_all(text.as_bytes())?))?;
    }
    Ok(())
}
