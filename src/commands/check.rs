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
use crate::{fix, output};

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
        let mut compiled = crate::compile(&source, &opts);
        if args.fix {
            let (text, applied) = fix::apply(&source.text, &compiled.diagnostics);
            if applied > 0 {
                let bom = if source.had_bom { "\u{feff}" } else { "" };
                output::write_atomic(&source.path, |w| {
                    w.write_all(bom.as_bytes())?;
                    Ok(w.write_all(text.as_bytes())?)
                })?;
                eprintln!(
                    "fixed {}: {applied} fix{} applied",
                    source.path.display(),
                    if applied == 1 { "" } else { "es" }
                );
                source = SourceFile::new(source.path.clone(), text);
                compiled = crate::compile(&source, &opts);
            }
        }
        if args.explain {
            let mut out = std::io::stdout().lock();
            out.write_all(
                explain_lines(&source, &compiled.parsed, compiled.syntax.name()).as_bytes(),
            )?;
        }
        report(&args.lints, &source, &compiled.diagnostics)?;
        let c = Counts::of(&compiled.diagnostics);
        total.errors += c.errors;
        total.warnings += c.warnings;
        total.notes += c.notes;
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

/// Every line with its role and the rule that decided it.
pub fn explain_lines(source: &SourceFile, deck: &Deck, syntax: &str) -> String {
    let mut out = format!("{}: syntax {syntax}, deck `{}`\n", source.name(), deck.name);
    for line in source.lines() {
        let info = deck.lines.get(line.number - 1).copied().unwrap_or_default();
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
