//! The subcommands: each turns validated flags into pipeline calls and
//! reports. Exit codes: 0 success, 1 lint failure, 2 could not run.

mod build;
mod check;
mod completions;
mod explain;
mod fmt;
mod init;
mod inspect;
mod lockfile;
mod preview;
mod term;
mod watch;

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::cli::{Cli, ColorChoice, Command, LintArgs, SourceArgs};
use crate::diagnostic::{Counts, Diagnostic};
use crate::error::{Error, Result};
use crate::source::SourceFile;
use crate::{render, Options};

/// What a finished command tells `main` to exit with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: everything went well (warnings allowed).
    Success,
    /// 1: lints failed (errors, or warnings under `-D warnings`), or
    /// `--check`/`--locked` found a difference.
    Failure,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitStatus> {
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => completions::completions(args.shell),
        Command::Man => completions::man(),
        Command::Inspect(args) => inspect::run(&args),
        Command::Preview(args) => preview::run(&args),
    }
}

/// Reads every input; a directory stands for the notes files in its tree
/// (sorted; hidden files, lock files and the config's out-dir skipped).
fn read_sources(args: &SourceArgs) -> Result<Vec<SourceFile>> {
    let mut paths = Vec::new();
    for p in &args.inputs {
        if p.is_dir() {
            paths.extend(build::notes_files(p)?);
        } else {
            paths.push(p.clone());
        }
    }
    let sources: Vec<SourceFile> = paths
        .iter()
        .map(|p| SourceFile::read(p))
        .collect::<Result<_>>()?;
    crate::memory::fit_to_input(sources.iter().map(|s| s.text.len()).sum());
    Ok(sources)
}

/// Modification time for notes: `SOURCE_DATE_EPOCH` when set, else the
/// source file's mtime; never later than now, so Anki never sees a note
/// from the future.
fn note_mtime(path: &Path) -> Result<i64> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
        let t: i64 = v.trim().parse().map_err(|_| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH must be a whole number of seconds, not `{v}`"
            ))
        })?;
        return Ok(t.min(now));
    }
    let t = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Ok(t.min(now))
}

/// Compilation options from the shared flags and the `deckc.toml` that
/// applies to `path` (flags override the file).
fn options(source: &SourceArgs, lints: &LintArgs, path: &Path) -> Result<Options> {
    options_with(source, lints, path, crate::config::load(path)?)
}

/// [`options`] with the config already loaded.
fn options_with(
    source: &SourceArgs,
    lints: &LintArgs,
    path: &Path,
    config: crate::config::Config,
) -> Result<Options> {
    let cli_levels = lints.levels()?;
    Ok(Options {
        syntax: source.syntax.map(Into::into),
        deck_name: source.deck.clone().or(config.deck.name.clone()),
        levels: config.levels_with(cli_levels),
        lint: config.lint,
        quotes: config.deck.quotes.unwrap_or_default(),
        mtime: note_mtime(path)?,
        timings: Default::default(),
    })
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

/// Prints diagnostics: human ones to stderr, machine formats to stdout.
fn report(lints: &LintArgs, source: &SourceFile, diagnostics: &[Diagnostic]) -> Result<()> {
    use crate::cli::MessageFormat;
    let bytes = render::render(
        lints.message_format,
        source,
        diagnostics,
        use_color(lints.color),
    );
    match lints.message_format {
        MessageFormat::Human => std::io::stderr().write_all(&bytes)?,
        _ => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}

/// "6 warnings, 3 notes" (empty when there is nothing).
fn counts_phrase(counts: Counts) -> String {
    let mut parts = Vec::new();
    for (n, word) in [
        (counts.errors, "error"),
        (counts.warnings, "warning"),
        (counts.notes, "note"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {word}{}", if n == 1 { "" } else { "s" }));
        }
    }
    parts.join(", ")
}
