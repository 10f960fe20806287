//! `deckc check`: report problems; `--explain` shows each line's role;
//! `--fix` applies safe fixes in place and re-checks.

use std::io::Write;

use super::{counts_phrase, options, read_sources, report, ExitStatus};
use crate::cli::CheckArgs;
use crate::diagnostic::Counts;
use crate::error::Result;
use crate::model::{Deck, Role};
use crate::source::SourceFile;
use crate::timings::{Stage, Timings};
use crate::{fix, output, Compiled, Options};

pub fn run(args: &CheckArgs) -> Result<ExitStatus> {
    let timings = if args.timings {
        Timings::enabled()
    } else {
        Timings::default()
    };
    let sources = timings.stage(Stage::Read, || read_sources(&args.source))?;
    let mut status = ExitStatus::Success;
    let mut total = Counts::default();
    for mut source in sources {
        let opts = crate::Options {
            timings: timings.clone(),
            ..options(&args.source, &args.lints, &source.path)?
        };
        if !args.fix && !args.explain {
            // Only the findings are wanted: the deck is normalized in place
            // (one deck held, not the parsed one and a normalized copy).
            let compiled = crate::compile_deck(&source, &opts);
            report(&args.lints, &source, &compiled.diagnostics)?;
            total.add(Counts::of(&compiled.diagnostics));
            if compiled.has_errors() {
                status = ExitStatus::Failure;
            }
            continue;
        }
        let mut compiled = crate::compile(&source, &opts);
        if args.fix {
            let (fixed, fixes) = fix_source(&source, compiled, &opts)?;
            (source, compiled) = fixed;
            for line in &fixes {
                eprintln!("fixed {line}");
            }
            if !fixes.is_empty() {
                eprintln!(
                    "fixed {}: {} fix{} applied",
                    source.name(),
                    fixes.len(),
                    if fixes.len() == 1 { "" } else { "es" }
                );
            }
        }
        if args.explain {
            let mut out = std::io::stdout().lock();
            let why = match opts.syntax {
                Some(_) => "set by --syntax",
                None => crate::parse::detect::detect_with_reason(&source).1,
            };
            let syntax = format!("{} ({why})", compiled.syntax.name());
            out.write_all(explain_lines(&source, &compiled.parsed, &syntax).as_bytes())?;
        }
        report(&args.lints, &source, &compiled.diagnostics)?;
        total.add(Counts::of(&compiled.diagnostics));
        if compiled.has_errors() {
            status = ExitStatus::Failure;
        }
    }
    if args.lints.message_format == crate::cli::MessageFormat::Human {
        let phrase = counts_phrase(total);
        if phrase.is_empty() {
            eprintln!("checked: no problems found");
        } else {
            eprintln!("checked: {phrase}");
        }
    }
    eprint!("{}", timings.report());
    Ok(status)
}

/// Passes of fix-and-recheck: a fix skipped because it overlapped another
/// is retried on the next pass, against the new text.
const FIX_PASSES: usize = 4;

/// Applies fixes until none applies (at most [`FIX_PASSES`] times), writes
/// the file atomically if anything changed (BOM and line endings kept), and
/// returns the re-checked source with one `file:line: what [code]` entry
/// per applied fix.
fn fix_source(
    source: &SourceFile,
    compiled: Compiled,
    opts: &Options,
) -> Result<((SourceFile, Compiled), Vec<String>)> {
    let mut current = (source.clone(), compiled);
    let mut fixes = Vec::new();
    for _ in 0..FIX_PASSES {
        let (src, compiled) = &current;
        let (text, applied) = fix::apply(&src.text, &compiled.diagnostics);
        if applied.is_empty() || text == *src.text {
            break;
        }
        for d in applied.iter().filter_map(|&i| compiled.diagnostics.get(i)) {
            if let Some(f) = &d.fix {
                let line = src.line_of(d.span.start);
                fixes.push(format!("{}:{line}: {} [{}]", src.name(), f.message, d.code));
            }
        }
        let mut next = SourceFile::new(src.path.clone(), text);
        next.had_bom = source.had_bom;
        let compiled = crate::compile(&next, opts);
        current = (next, compiled);
    }
    if !fixes.is_empty() {
        let (src, _) = &current;
        let bom = if src.had_bom { "\u{feff}" } else { "" };
        output::write_atomic(&src.path, |w| {
            w.write_all(bom.as_bytes())?;
            Ok(w.write_all(src.text.as_bytes())?)
        })?;
    }
    Ok((current, fixes))
}

/// Every line with its role and the rule that decided it.
pub fn explain_lines(source: &SourceFile, deck: &Deck, syntax: &str) -> String {
    let mut out = format!("{}: syntax {syntax}, deck `{}`\n", source.name(), deck.name);
    for line in source.lines() {
        let info = deck.lines.get(line.number - 1).unwrap_or_default();
        let role = match info.role {
            Role::Question(i) => format!("question #{}", i + 1),
            Role::Answer(i) => format!("answer #{}", i + 1),
            Role::Section(_) => "section".to_string(),
            other => other.name().to_string(),
        };
        out.push_str(&format!(
            "{:>5} {:<12} {:<22} | {}\n",
            line.number, role, info.rule, line.text
        ));
    }
    out
}
