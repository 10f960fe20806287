//! `deckc fmt`: rewrite notes into the canonical syntax, in place and
//! atomically (`--stdout` prints instead; `--check` only reports, for CI).
//!
//! A file with lines that belong to no card (orphans, syntax errors) is not
//! rewritten: the canonical form has no place for them, and `fmt` must never
//! drop what the user wrote. Those findings are printed and the command
//! exits 1. A BOM is kept; the deck name is written only when the source
//! states one (or `--deck` gives it), so the file-stem fallback stays a
//! fallback.

use std::io::Write;

use super::{read_sources, use_color, ExitStatus};
use crate::cli::{ColorChoice, FmtArgs};
use crate::diagnostic::LevelConfig;
use crate::error::Result;
use crate::model::{Role, Syntax};
use crate::parse::{self, canonical};
use crate::{output, render};

pub fn run(args: &FmtArgs) -> Result<ExitStatus> {
    let sources = read_sources(&args.source)?;
    let mut status = ExitStatus::Success;
    for source in sources {
        let syntax: Syntax = match args.source.syntax {
            Some(s) => s.into(),
            None => parse::detect(&source),
        };
        let (mut deck, diagnostics) = parse::parse(&source, syntax);
        let lost = deck
            .lines
            .iter()
            .filter(|l| l.role == Role::Diagnosed)
            .count();
        if lost > 0 {
            let diagnostics = LevelConfig::default().apply(diagnostics);
            let color = use_color(ColorChoice::Auto);
            std::io::stderr().write_all(&render::human(&source, &diagnostics, color))?;
            eprintln!(
                "error: not formatting {}: {lost} line{} belong{} to no card and would be lost; fix {} first",
                source.name(),
                if lost == 1 { "" } else { "s" },
                if lost == 1 { "s" } else { "" },
                if lost == 1 { "it" } else { "them" },
            );
            status = ExitStatus::Failure;
            continue;
        }
        if let Some(name) = &args.source.deck {
            deck.name = name.clone();
        }
        let formatted = canonical::format(&deck);
        if args.stdout {
            std::io::stdout().write_all(formatted.as_bytes())?;
        } else if formatted == *source.text {
            // Already canonical: leave the file (and its mtime) alone.
        } else if args.check {
            eprintln!(
                "would reformat {} (from syntax {}); run `deckc fmt {}`",
                source.name(),
                syntax.name(),
                source.name()
            );
            status = ExitStatus::Failure;
        } else {
            let bom = if source.had_bom { "\u{feff}" } else { "" };
            output::write_atomic(&source.path, |w| {
                w.write_all(bom.as_bytes())?;
                Ok(w.write_all(formatted.as_bytes())?)
            })?;
            eprintln!(
                "formatted {} (from syntax {})",
                source.name(),
                syntax.name()
            );
        }
    }
    Ok(status)
}
