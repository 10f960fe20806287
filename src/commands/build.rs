//! `deckc build`: compile notes files (or whole folders of them) and write
//! decks — one output per file and format, or `--bundle` into one.
//!
//! Everything that can be checked from the flags alone is checked before
//! any input is read (see `build/plan.rs`). Files are then built in
//! parallel; each file's messages are buffered and printed in input order,
//! so a parallel build prints and writes exactly what `--jobs 1` does.

mod bundle;
mod parallel;
mod plan;

use std::io::Write;
use std::path::Path;
use std::time::Instant;

pub(super) use plan::{is_notes_file, notes_files};

use super::lockfile::{self, Locked};
use super::term::{Progress, Term};
use super::{counts_phrase, options_with, ExitStatus};
use crate::cli::{BuildArgs, MessageFormat};
use crate::diagnostic::{Counts, Level};
use crate::emit::quizlet::{Quizlet, Separators};
use crate::emit::{self, ApkgSettings, EmitOptions, Format};
use crate::error::{Error, Result};
use crate::model::Deck;
use crate::notetype::NoteTypeChoice;
use crate::source::SourceFile;
use crate::timings::{Stage, Timings};
use crate::{output, render};
use plan::{Input, Plan, Target};

/// At most this many separator warnings are listed per file.
const MAX_SEPARATOR_WARNINGS: usize = 10;

pub fn run(args: &BuildArgs) -> Result<ExitStatus> {
    let term = Term::new(args.lints.color, args.terminal);
    if args.watch {
        return super::watch::run(args, &term);
    }
    build(args, &term)
}

/// What one file's build printed, in the order it should appear.
#[derive(Default)]
struct Log {
    /// Machine-readable diagnostics (`--message-format json|github`).
    out: Vec<u8>,
    /// Everything for people.
    err: Vec<u8>,
}

/// The result of building one input.
#[derive(Default)]
struct Outcome {
    log: Log,
    counts: Counts,
    cards: usize,
    /// Lint errors, or `--locked` refused: nothing was written.
    failed: bool,
    /// The file could not be built at all.
    error: Option<Error>,
    /// In a bundle: the placed deck and its lock, written later.
    piece: Option<(Deck, Option<Locked>)>,
}

/// Settings shared by every file of one build.
struct Ctx<'a> {
    args: &'a BuildArgs,
    term: &'a Term,
    separators: &'a Separators,
    bundle: Option<&'a plan::Bundle>,
    timings: Timings,
    /// Cores are left over by the files built at once: each `.apkg` is
    /// written beside its file's lints (see [`crate::compile_deck_beside`]).
    beside: bool,
    /// One file is built and then the process ends (no `--watch`, no
    /// bundle): what it read and made is left for the system to take back.
    once: bool,
}

/// One build of everything the command line names.
pub(super) fn build(args: &BuildArgs, term: &Term) -> Result<ExitStatus> {
    let started = Instant::now();
    let separators = Separators::parse(
        args.term_separator.as_deref(),
        args.card_separator.as_deref(),
    )?;
    let Plan { inputs, bundle } = plan::plan(args)?;
    let jobs = match args.jobs {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let ctx = Ctx {
        args,
        term,
        separators: &separators,
        bundle: bundle.as_ref(),
        timings: if args.timings {
            Timings::enabled()
        } else {
            Timings::default()
        },
        beside: bundle.is_none() && inputs.len() < jobs,
        once: !args.watch && bundle.is_none() && inputs.len() == 1,
    };
    let progress = Progress::new(term.progress_allowed() && inputs.len() > 1, inputs.len());
    let mut total = Counts::default();
    let (mut cards, mut built, mut failed) = (0, 0, 0);
    let mut errors = Vec::new();
    let mut pieces = Vec::new();
    let mut locks = Vec::new();
    let mut io_result = Ok(());
    parallel::ordered(
        &inputs,
        jobs,
        |input| build_input(&ctx, input),
        |i, outcome| {
            let name = inputs.get(i).map(|x| x.path.display().to_string());
            progress.advance(name.as_deref().unwrap_or_default());
            let printed = progress.suspend(|| flush(&outcome.log));
            if io_result.is_ok() {
                io_result = printed;
            }
            total.add(outcome.counts);
            cards += outcome.cards;
            if let Some(e) = outcome.error {
                errors.push(e);
            } else if outcome.failed {
                failed += 1;
            } else {
                built += 1;
            }
            if let (Some((deck, lock)), Some(input)) = (outcome.piece, inputs.get(i)) {
                pieces.push((input.path.clone(), deck));
                locks.extend(lock);
            }
        },
        || progress.tick(),
    );
    progress.finish();
    io_result?;
    let n = inputs.len();
    if n == 1 && bundle.is_none() {
        if let Some(e) = errors.pop() {
            return Err(e);
        }
    } else if !errors.is_empty() {
        for e in &errors {
            eprintln!("{} {e}", term.error());
        }
        return Err(Error::Usage(format!(
            "{} of {n} notes files could not be built",
            errors.len()
        )));
    }
    let mut status = if failed > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    if let Some(bundle) = &bundle {
        if failed > 0 {
            for target in &bundle.targets {
                eprintln!(
                    "{} not writing `{}`: {failed} of {n} notes files failed",
                    term.error(),
                    display(&target.path)
                );
            }
            return Ok(ExitStatus::Failure);
        }
        let mut counts = total;
        let merged = write_bundle(&ctx, bundle, pieces, &locks, &mut counts)?;
        let deny = args.lints.levels().is_ok_and(|l| l.deny_warnings)
            || inputs.iter().any(|i| i.config.deny_warnings);
        if counts.warnings > total.warnings && deny {
            status = ExitStatus::Failure;
        }
        if !term.quiet {
            eprintln!(
                "{} {}: {merged} card{} from {n} file{}{}{} in {} ms",
                term.status("built"),
                bundle_targets(bundle),
                plural(merged),
                plural(n),
                if counts_phrase(counts).is_empty() {
                    ""
                } else {
                    ", "
                },
                counts_phrase(counts),
                started.elapsed().as_millis()
            );
        }
    } else if n > 1 && !term.quiet {
        let phrase = counts_phrase(total);
        let files = if built == n {
            format!("{n} files")
        } else {
            format!("{built} of {n} files")
        };
        eprintln!(
            "{} {files}: {cards} card{}{}{phrase} in {} ms",
            term.status("built"),
            plural(cards),
            if phrase.is_empty() { "" } else { ", " },
            started.elapsed().as_millis()
        );
    }
    eprint!("{}", ctx.timings.report());
    Ok(status)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn bundle_targets(bundle: &plan::Bundle) -> String {
    let names: Vec<String> = bundle.targets.iter().map(|t| display(&t.path)).collect();
    names.join(", ")
}

/// Prints one file's buffered messages.
fn flush(log: &Log) -> Result<()> {
    std::io::stdout().write_all(&log.out)?;
    std::io::stderr().write_all(&log.err)?;
    Ok(())
}

/// Builds one input; never panics, never prints (everything goes to the log).
fn build_input(ctx: &Ctx<'_>, input: &Input) -> Outcome {
    let mut outcome = Outcome::default();
    if let Err(e) = try_build_input(ctx, input, &mut outcome) {
        outcome.error = Some(e);
    }
    outcome
}

fn try_build_input(ctx: &Ctx<'_>, input: &Input, outcome: &mut Outcome) -> Result<()> {
    let (args, term) = (ctx.args, ctx.term);
    let started = Instant::now();
    let source = ctx
        .timings
        .stage(Stage::Read, || SourceFile::read(&input.path))?;
    crate::memory::fit_to_input(source.text.len());
    let mut opts = options_with(&args.source, &args.lints, &input.path, input.config.clone())?;
    opts.timings = ctx.timings.clone();
    if let Some(q) = args.quotes {
        opts.quotes = q;
    }
    if ctx.bundle.is_some() {
        // In a bundle `--deck` and `[deck] name` name the bundle; each file
        // is a subdeck named by its title line or file name.
        opts.deck_name = None;
    }
    let beside =
        ctx.beside && source.text.len() < BESIDE_BELOW && input.targets.iter().any(made_beside);
    let (mut compiled, mut prepared) = if beside {
        let (compiled, prepared) = crate::compile_deck_beside(&source, &opts, |deck| {
            prepare(ctx, input, &source, opts.mtime, deck)
        });
        (compiled, Some(prepared))
    } else {
        let mut compiled = crate::compile_deck(&source, &opts);
        mark_reversed(ctx, input, &mut compiled.deck);
        (compiled, None)
    };
    outcome.counts = Counts::of(&compiled.diagnostics);
    outcome.cards = compiled.deck.cards.len();
    report(ctx, &source, &compiled.diagnostics, &mut outcome.log)?;
    let err = &mut outcome.log.err;
    if term.verbose {
        let config = input
            .config
            .path
            .as_ref()
            .map_or("none".into(), |p| format!("`{}`", p.display()));
        writeln!(
            err,
            "{} {}: {} syntax, {} card{}, config {config}",
            term.note(),
            source.path.display(),
            compiled.syntax.name(),
            outcome.cards,
            plural(outcome.cards)
        )?;
    }
    if compiled.has_errors() {
        let phrase = counts_phrase(outcome.counts);
        if ctx.bundle.is_some() {
            writeln!(
                err,
                "{} `{}`: {phrase}",
                term.error(),
                source.path.display()
            )?;
        }
        for target in &input.targets {
            writeln!(
                err,
                "{} not writing `{}`: {phrase}",
                term.error(),
                display(&target.path)
            )?;
        }
        outcome.failed = true;
        return Ok(());
    }
    let locked = match prepared.as_mut() {
        Some(p) => std::mem::replace(&mut p.locked, Ok(None))?,
        None => {
            match ctx.bundle {
                Some(b) => {
                    crate::config::add_tags(&mut compiled.deck, &input.config.deck.tags);
                    bundle::place(&mut compiled.deck, &input.folders, &b.name);
                }
                None => input.config.deck.apply(&mut compiled.deck),
            }
            resolve_lock(ctx, &source, opts.mtime, &mut compiled.deck)?
        }
    };
    if let Some(locked) = &locked {
        if args.locked && locked.changed() {
            lockfile::report(locked, true, err)?;
            outcome.failed = true;
            return Ok(());
        }
        if !term.quiet {
            lockfile::report(locked, false, err)?;
        }
    }
    if ctx.bundle.is_some() {
        outcome.piece = Some((compiled.deck, locked));
        return Ok(());
    }
    for (i, target) in input.targets.iter().enumerate() {
        let apkg = input.config.build.apkg();
        let bytes = prepared
            .as_mut()
            .and_then(|p| p.packages.get_mut(i))
            .and_then(Option::take)
            .transpose()?;
        write_target(ctx, &source, &compiled.deck, target, apkg, bytes, err)?;
        if !term.quiet {
            let phrase = counts_phrase(outcome.counts);
            writeln!(
                err,
                "{} {}: {} card{}{}{phrase} in {} ms",
                term.status("built"),
                display(&target.path),
                outcome.cards,
                plural(outcome.cards),
                if phrase.is_empty() { "" } else { ", " },
                started.elapsed().as_millis()
            )?;
        }
        if target.format == Format::Quizlet && !term.quiet {
            writeln!(err, "{} in Quizlet's import dialog, choose", term.note())?;
            for line in ctx.separators.dialog_settings().lines() {
                writeln!(err, "  {line}")?;
            }
        }
    }
    // A preview on standard output does not move the lock forward.
    let to_file = input.targets.iter().any(|t| !output::is_stdout(&t.path));
    if let Some(locked) = locked.as_ref().filter(|_| to_file) {
        lockfile::write(locked)?;
    }
    if ctx.once {
        // Everything is written and the process ends: the system takes the
        // notes and the deck back at once. Freeing them string by string
        // and returning the pages took 15 ms at 100,000 cards.
        crate::memory::keep_freed_memory();
        std::mem::forget(compiled);
        std::mem::forget(source);
    }
    Ok(())
}

/// Gives every card its reverse card when `--reverse` or the config asks.
fn mark_reversed(ctx: &Ctx<'_>, input: &Input, deck: &mut Deck) {
    if ctx.args.reverse || input.config.deck.note_type == Some(NoteTypeChoice::Reversed) {
        for card in &mut deck.cards {
            card.reversed = true;
        }
    }
}

/// Reconciles `deck` with its lock file, unless `--no-lock`.
fn resolve_lock(
    ctx: &Ctx<'_>,
    source: &SourceFile,
    mtime: i64,
    deck: &mut Deck,
) -> Result<Option<Locked>> {
    if ctx.args.no_lock {
        return Ok(None);
    }
    lockfile::resolve(&source.path, deck, mtime).map(Some)
}

/// Notes this large or larger are packed after their lints, not beside
/// them. The package keeps both cores busy on its own now (a thread
/// renders the rows, another deflates ahead, then every core deflates),
/// and beside the lints it also holds a second, normalized copy of the
/// deck. Measured (interleaved, the same binary with and without `--jobs
/// 1`, the blocks corpus): 10,000 cards (3 MB) 0.16 s beside, 0.17 s
/// after, the same memory; 30,000 cards 0.74 and 0.75 s; 100,000 cards
/// (32 MB) 1.24 s and 243 MB beside, 1.18 s and 181 MB after; a million
/// 12.7 s and 1,557 MB beside, 12.2 s and 1,139 MB after.
const BESIDE_BELOW: usize = 8 << 20;

/// Whether `target`'s output is made beside the lints (when a build does
/// that at all): an `.apkg` written to a file.
fn made_beside(target: &Target) -> bool {
    target.format == Format::Apkg && !output::is_stdout(&target.path)
}

/// What a build does beside the lints (see [`crate::compile_deck_beside`]):
/// the deck made ready to write, with its lock resolved, and each `.apkg`
/// target's package in memory. Nothing is written here; whether any of it
/// is used depends on what the lints find.
struct Prepared {
    locked: Result<Option<Locked>>,
    /// By target index: the package, for `.apkg` targets that are files.
    packages: Vec<Option<Result<Vec<u8>>>>,
}

/// The part of a build that does not depend on the lints, for one
/// non-bundle input: the same steps `try_build_input` takes after them.
fn prepare(
    ctx: &Ctx<'_>,
    input: &Input,
    source: &SourceFile,
    mtime: i64,
    deck: &mut Deck,
) -> Prepared {
    mark_reversed(ctx, input, deck);
    input.config.deck.apply(deck);
    let locked = resolve_lock(ctx, source, mtime, deck);
    let refused = match &locked {
        Ok(Some(l)) => ctx.args.locked && l.changed(),
        Ok(None) => false,
        Err(_) => true,
    };
    let packages = if refused {
        Vec::new()
    } else {
        input
            .targets
            .iter()
            .map(|t| {
                made_beside(t).then(|| {
                    let options = emit_options(ctx, source, &t.path, input.config.build.apkg());
                    let mut bytes = Vec::new();
                    ctx.timings
                        .stage(Stage::Emit, || {
                            emit::emitter(t.format, &options).emit(deck, &mut bytes)
                        })
                        .map(|()| bytes)
                })
            })
            .collect()
    };
    Prepared { locked, packages }
}

/// How to emit a file's deck.
fn emit_options(
    ctx: &Ctx<'_>,
    source: &SourceFile,
    output: &Path,
    apkg: ApkgSettings,
) -> EmitOptions {
    let args = ctx.args;
    EmitOptions {
        html: args.html,
        media_dir: source.path.parent().map(Path::to_path_buf),
        quizlet_term_separator: args.term_separator.clone(),
        quizlet_card_separator: args.card_separator.clone(),
        compression: args.compression.or(apkg.compression).unwrap_or_default(),
        package: args.package.or(apkg.package).unwrap_or_default(),
        output: (!crate::output::is_stdout(output)).then(|| output.to_path_buf()),
        timings: ctx.timings.clone(),
    }
}

/// Renders diagnostics into the log (under `--quiet`, people see only
/// errors; machine formats always get everything).
fn report(
    ctx: &Ctx<'_>,
    source: &SourceFile,
    diagnostics: &[crate::Diagnostic],
    log: &mut Log,
) -> Result<()> {
    let format = ctx.args.lints.message_format;
    let shown: Vec<crate::Diagnostic> = if ctx.term.quiet && format == MessageFormat::Human {
        diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .cloned()
            .collect()
    } else {
        diagnostics.to_vec()
    };
    let bytes = render::render(format, source, &shown, ctx.term.color);
    match format {
        MessageFormat::Human => log.err.extend_from_slice(&bytes),
        _ => log.out.extend_from_slice(&bytes),
    }
    Ok(())
}

/// Emits `deck` to one target, atomically; `emitted` is the output when
/// it was made beside the lints.
fn write_target(
    ctx: &Ctx<'_>,
    source: &SourceFile,
    deck: &Deck,
    target: &Target,
    apkg: ApkgSettings,
    emitted: Option<Vec<u8>>,
    err: &mut Vec<u8>,
) -> Result<()> {
    let emit_options = emit_options(ctx, source, &target.path, apkg);
    if target.format == Format::Quizlet && !ctx.term.quiet {
        warn_separator_conflicts(ctx, source, deck, err)?;
    }
    if target.create_dir {
        if let Some(parent) = target.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
    }
    let emitter = emit::emitter(target.format, &emit_options);
    ctx.timings.stage(Stage::Write, || {
        output::write_atomic(&target.path, |w| match &emitted {
            Some(bytes) => w.write_all(bytes).map_err(Error::Io),
            None => ctx.timings.stage(Stage::Emit, || emitter.emit(deck, w)),
        })
    })
}

/// Merges the bundle's pieces, writes it and then the locks. Returns the
/// card count; GUID clashes between files are warnings added to `counts`.
fn write_bundle(
    ctx: &Ctx<'_>,
    bundle: &plan::Bundle,
    pieces: Vec<(std::path::PathBuf, Deck)>,
    locks: &[Locked],
    counts: &mut Counts,
) -> Result<usize> {
    let term = ctx.term;
    let root = pieces.first().map(|(p, _)| p.clone()).unwrap_or_default();
    let (deck, clashes) = bundle::merge(&bundle.name, pieces);
    for clash in &clashes {
        counts.warnings += 1;
        eprintln!(
            "{} {} and {} have the same GUID `{}`: Anki would import them as one note\n\
             {} reword one question, or pin an id (`{{#id}}`) on one of them",
            term.warning(),
            bundle::at(&clash.second),
            bundle::at(&clash.first),
            clash.guid,
            term.help(),
        );
    }
    // The bundle's media are looked up next to its first file.
    let source = SourceFile::new(root, String::new());
    for target in &bundle.targets {
        let mut err = Vec::new();
        write_target(ctx, &source, &deck, target, bundle.apkg, None, &mut err)?;
        std::io::stderr().write_all(&err)?;
    }
    if bundle.targets.iter().any(|t| !output::is_stdout(&t.path)) {
        for locked in locks {
            lockfile::write(locked)?;
        }
    }
    Ok(deck.cards.len())
}

/// How an output path is named in messages.
fn display(path: &Path) -> String {
    if output::is_stdout(path) {
        "standard output".into()
    } else {
        path.display().to_string()
    }
}

/// Tells the user which fields held a Quizlet separator (replaced by a
/// space in the output).
fn warn_separator_conflicts(
    ctx: &Ctx<'_>,
    source: &SourceFile,
    deck: &Deck,
    err: &mut Vec<u8>,
) -> Result<()> {
    let term = ctx.term;
    let conflicts = Quizlet::with_separators(ctx.separators.clone()).conflicts(deck);
    for c in conflicts.iter().take(MAX_SEPARATOR_WARNINGS) {
        writeln!(
            err,
            "{} {}:{}: the {} contains the Quizlet separator `{}`; it is replaced by a space",
            term.warning(),
            source.path.display(),
            c.line,
            c.field,
            c.separator
        )?;
    }
    if conflicts.len() > MAX_SEPARATOR_WARNINGS {
        writeln!(
            err,
            "{} … and {} more fields containing a separator",
            term.warning(),
            conflicts.len() - MAX_SEPARATOR_WARNINGS
        )?;
    }
    if !conflicts.is_empty() {
        writeln!(
            err,
            "{} choose separators that do not occur in the notes, e.g. \
             --term-separator '::' --card-separator ';;'",
            term.help()
        )?;
    }
    Ok(())
}
