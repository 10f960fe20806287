//! `deckc build`: compile notes and write a deck.
//!
//! Everything that can be checked from the flags alone is checked before
//! any input is read: the output format (from `--format` or the output's
//! extension), the Quizlet separators, where each output goes, that no two
//! inputs write the same file and that no output overwrites an input.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{counts_phrase, lockfile, options, read_sources, report, ExitStatus};
use crate::cli::BuildArgs;
use crate::diagnostic::Counts;
use crate::emit::quizlet::{Quizlet, Separators};
use crate::emit::{self, EmitOptions, Format};
use crate::error::{Error, Result};
use crate::output;
use crate::timings::{Stage, Timings};

/// At most this many separator warnings are listed per file.
const MAX_SEPARATOR_WARNINGS: usize = 10;

/// Where one input's deck goes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    path: PathBuf,
    format: Format,
}

pub fn run(args: &BuildArgs) -> Result<ExitStatus> {
    let separators = Separators::parse(
        args.term_separator.as_deref(),
        args.card_separator.as_deref(),
    )?;
    let targets = plan(args)?;
    let timings = if args.timings {
        Timings::enabled()
    } else {
        Timings::default()
    };
    let sources = timings.stage(Stage::Read, || read_sources(&args.source))?;
    let mut status = ExitStatus::Success;
    for (source, target) in sources.iter().zip(&targets) {
        let started = Instant::now();
        let opts = crate::Options {
            quotes: args.quotes,
            timings: timings.clone(),
            ..options(&args.source, &args.lints, &source.path)?
        };
        let mut compiled = crate::compile(source, &opts);
        report(&args.lints, source, &compiled.diagnostics)?;
        let counts = Counts::of(&compiled.diagnostics);
        if compiled.has_errors() {
            eprintln!(
                "error: not writing `{}`: {}",
                display(&target.path),
                counts_phrase(counts)
            );
            status = ExitStatus::Failure;
            continue;
        }
        let locked = if args.no_lock {
            None
        } else {
            Some(timings.stage(Stage::Identity, || {
                lockfile::resolve(&source.path, &mut compiled.deck, opts.mtime)
            })?)
        };
        if let Some(locked) = &locked {
            if args.locked && locked.changed() {
                lockfile::report(locked, true);
                status = ExitStatus::Failure;
                continue;
            }
            lockfile::report(locked, false);
        }
        let emit_options = EmitOptions {
            html: args.html,
            media_dir: source.path.parent().map(Path::to_path_buf),
            quizlet_term_separator: args.term_separator.clone(),
            quizlet_card_separator: args.card_separator.clone(),
        };
        if target.format == Format::Quizlet {
            warn_separator_conflicts(source, &compiled.deck, &separators);
        }
        let emitter = emit::emitter(target.format, &emit_options);
        timings.stage(Stage::Write, || {
            output::write_atomic(&target.path, |w| {
                timings.stage(Stage::Emit, || emitter.emit(&compiled.deck, w))
            })
        })?;
        // A preview on standard output does not move the lock forward.
        if let Some(locked) = locked.as_ref().filter(|_| !output::is_stdout(&target.path)) {
            timings.stage(Stage::Write, || lockfile::write(locked))?;
        }
        let cards = compiled.deck.cards.len();
        let phrase = counts_phrase(counts);
        eprintln!(
            "built {}: {cards} card{}{}{phrase} in {} ms",
            display(&target.path),
            if cards == 1 { "" } else { "s" },
            if phrase.is_empty() { "" } else { ", " },
            started.elapsed().as_millis()
        );
        if target.format == Format::Quizlet {
            eprintln!("note: in Quizlet's import dialog, choose");
            for line in separators.dialog_settings().lines() {
                eprintln!("  {line}");
            }
        }
    }
    eprint!("{}", timings.report());
    Ok(status)
}

/// How an output path is named in messages.
fn display(path: &Path) -> String {
    if output::is_stdout(path) {
        "standard output".into()
    } else {
        path.display().to_string()
    }
}

/// Every input's target, validated before any work.
fn plan(args: &BuildArgs) -> Result<Vec<Target>> {
    let inputs = &args.source.inputs;
    if args.output.is_some() && inputs.len() > 1 {
        return Err(Error::Usage(
            "-o names one output but several inputs were given; use --out-dir DIR".into(),
        ));
    }
    if let Some(dir) = &args.out_dir {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "output directory `{}` does not exist; create it first (mkdir -p {})",
                dir.display(),
                dir.display()
            )));
        }
    }
    let mut targets: Vec<Target> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let target = destination(args, input)?;
        if let Some(other) = inputs.iter().find(|i| same_file(&target.path, i)) {
            return Err(Error::Usage(format!(
                "refusing to write the output over the input `{}`; choose another -o",
                other.display()
            )));
        }
        if targets.iter().any(|t| t.path == target.path) {
            return Err(Error::Usage(format!(
                "two inputs would both be written to `{}`; give them different file names \
                 or build them separately with -o",
                target.path.display()
            )));
        }
        targets.push(target);
    }
    Ok(targets)
}

/// Where one input's output goes, and in which format.
fn destination(args: &BuildArgs, input: &Path) -> Result<Target> {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "deck".into());
    let target = match (&args.output, &args.out_dir) {
        (Some(o), _) if output::is_stdout(o) => {
            let format = args.format.unwrap_or(Format::Json);
            if format == Format::Apkg && std::io::stdout().is_terminal() {
                return Err(Error::Usage(
                    "refusing to write a binary .apkg to the terminal; redirect it \
                     (`-o - > deck.apkg`) or name a file with -o deck.apkg"
                        .into(),
                ));
            }
            Target {
                path: o.clone(),
                format,
            }
        }
        (Some(o), _) => {
            let format = match args.format {
                Some(f) => {
                    warn_extension_mismatch(o, f);
                    f
                }
                None => Format::from_path(o)?,
            };
            if let Some(parent) = o.parent().filter(|p| !p.as_os_str().is_empty()) {
                if !parent.is_dir() {
                    return Err(Error::Usage(format!(
                        "cannot write `{}`: directory `{}` does not exist; create it first \
                         (mkdir -p {})",
                        o.display(),
                        parent.display(),
                        parent.display()
                    )));
                }
            }
            Target {
                path: o.clone(),
                format,
            }
        }
        (None, dir) => {
            let format = args.format.unwrap_or(Format::Apkg);
            let name = format!("{stem}.{}", format.extension());
            let path = match dir {
                Some(d) => d.join(name),
                None => PathBuf::from(name),
            };
            Target { path, format }
        }
    };
    Ok(target)
}

/// `--format csv -o deck.apkg` is allowed (the flag wins) but surprising.
fn warn_extension_mismatch(path: &Path, format: Format) {
    if let Ok(implied) = Format::from_path(path) {
        if implied != format {
            eprintln!(
                "warning: writing {} to `{}`, whose extension suggests {}",
                format.name(),
                path.display(),
                implied.name()
            );
        }
    }
}

/// Tells the user which fields held a Quizlet separator (replaced by a
/// space in the output).
fn warn_separator_conflicts(
    source: &crate::SourceFile,
    deck: &crate::Deck,
    separators: &Separators,
) {
    let conflicts = Quizlet::with_separators(separators.clone()).conflicts(deck);
    for c in conflicts.iter().take(MAX_SEPARATOR_WARNINGS) {
        eprintln!(
            "warning: {}:{}: the {} contains the Quizlet separator `{}`; it is replaced by a space",
            source.path.display(),
            c.line,
            c.field,
            c.separator
        );
    }
    if conflicts.len() > MAX_SEPARATOR_WARNINGS {
        eprintln!(
            "warning: … and {} more fields containing a separator",
            conflicts.len() - MAX_SEPARATOR_WARNINGS
        );
    }
    if !conflicts.is_empty() {
        eprintln!(
            "help: choose separators that do not occur in the notes, e.g. \
             --term-separator '::' --card-separator ';;'"
        );
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
