//! deckc compiles plain-text notes into validated flashcard decks.
//!
//! ```text
//! read + decode ─▶ detect syntax ─▶ parse ─▶ lint ─▶ normalize ─▶ identify ─▶ emit ─▶ atomic write
//!   source.rs      parse/detect.rs  parse/   lint/   normalize.rs  identity.rs  emit/   output.rs
//! ```
//!
//! Every stage between the two ends is a pure function of the previous
//! stage's value. Findings are [`Diagnostic`] values collected along the way;
//! [`Error`] is only for "could not run" (I/O, bad flags, undecodable input).

pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod emit;
pub mod error;
pub mod fileio;
pub mod fix;
pub mod identity;
pub mod inspect;
pub mod lint;
pub mod lock;
pub mod media;
pub mod memory;
pub mod model;
pub mod normalize;
pub mod notetype;
pub mod output;
mod par;
pub mod parse;
pub mod preview;
pub mod render;
pub mod source;
pub mod text;
pub mod timings;

pub use diagnostic::{Diagnostic, Level};
pub use error::{Error, Result};
pub use model::{Card, Deck, Syntax};
pub use source::{SourceFile, Span};

use diagnostic::LevelConfig;
use normalize::QuoteStyle;

/// Settings for one compilation.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Force a syntax instead of detecting it.
    pub syntax: Option<Syntax>,
    /// Override the deck name.
    pub deck_name: Option<String>,
    pub levels: LevelConfig,
    pub lint: lint::LintConfig,
    pub quotes: QuoteStyle,
    /// Modification time given to notes (seconds since the epoch).
    pub mtime: i64,
    /// Where `--timings` records each stage (disabled by default).
    pub timings: timings::Timings,
}

/// The result of compiling one source: the deck and every finding.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub syntax: Syntax,
    /// The deck as parsed (spans point into the source), before
    /// normalization.
    pub parsed: Deck,
    /// The normalized deck with identities, ready to emit.
    pub deck: Deck,
    /// Findings, already levelled by `Options::levels`, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    /// True when an error-level finding remains.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// Parses only (no lint, no identity): detection, parse, deck name.
pub fn parse_source(source: &SourceFile, options: &Options) -> (Syntax, Deck, Vec<Diagnostic>) {
    let syntax = options.syntax.unwrap_or_else(|| parse::detect(source));
    let (mut deck, diagnostics) = parse::parse(source, syntax);
    if let Some(name) = &options.deck_name {
        deck.name = name.clone();
    } else if deck.name.trim().is_empty() {
        deck.name = source
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Deck".to_string());
    }
    (syntax, deck, diagnostics)
}

/// What `deckc build` needs of a compilation: [`Compiled`] without the
/// parsed deck.
#[derive(Debug, Clone)]
pub struct CompiledDeck {
    pub syntax: Syntax,
    /// The normalized deck with identities, ready to emit.
    pub deck: Deck,
    /// Findings, already levelled by `Options::levels`, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl CompiledDeck {
    /// True when an error-level finding remains.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// `deck` with its GUIDs and modification times, and the identity clashes
/// found on the way.
/// GUIDs are hashed on up to `threads` threads.
fn identified(mut deck: Deck, options: &Options, threads: usize) -> (Deck, Vec<Diagnostic>) {
    let findings = identity::assign(&mut deck, options.mtime, threads);
    (deck, findings)
}

/// The findings of every lint rule `options` lets run, on at most
/// `threads` threads.
fn lints(parsed: &Deck, source: &SourceFile, options: &Options, threads: usize) -> Vec<Diagnostic> {
    let cx = lint::Context::new(parsed, source, &options.lint);
    lint::run(&cx, |code| options.levels.runs(code), threads)
}

/// [`compile`] for a build: the parsed deck is normalized in place once
/// the lints are done with it, so only one deck is ever held (at 100,000
/// cards that is tens of megabytes).
pub fn compile_deck(source: &SourceFile, options: &Options) -> CompiledDeck {
    use timings::Stage;
    let t = &options.timings;
    let (syntax, parsed, mut diagnostics) = t.stage(Stage::Parse, || parse_source(source, options));
    diagnostics.extend(t.stage(Stage::Lint, || {
        lints(&parsed, source, options, lint::cores())
    }));
    let (deck, identity_findings) = t.stage(Stage::Identity, || {
        // After the lints every core is free.
        let threads = lint::cores();
        identified(
            normalize::normalize(parsed, options.quotes, threads),
            options,
            threads,
        )
    });
    diagnostics.extend(identity_findings);
    let diagnostics = t.stage(Stage::Lint, || options.levels.apply(diagnostics));
    CompiledDeck {
        syntax,
        deck,
        diagnostics,
    }
}

/// [`compile_deck`] with `then` run beside the lints: a second thread
/// normalizes a copy of the parsed deck, assigns identities and hands the
/// deck to `then` (`deckc build` writes the package there) while the lints
/// read the parsed deck on the other cores. Writing the package gets a core
/// of its own, at the cost of holding the parsed and the normalized deck at
/// once.
/// `then` runs whatever the lints find: the caller decides from the
/// diagnostics whether to use its result, and must not let it touch
/// anything the user can see (write to memory or a temporary file).
pub fn compile_deck_beside<T: Send>(
    source: &SourceFile,
    options: &Options,
    then: impl FnOnce(&mut Deck) -> T + Send,
) -> (CompiledDeck, T) {
    use timings::Stage;
    let t = &options.timings;
    let (syntax, parsed, mut diagnostics) = t.stage(Stage::Parse, || parse_source(source, options));
    // Shared, so that the parsed deck is freed as soon as both threads are
    // done with it: the side thread after normalizing its copy, this one
    // after the lints (at 100,000 cards it is ~70 MB, which the package's
    // collection and its indices would otherwise sit on top of).
    let parsed = std::sync::Arc::new(parsed);
    let (lint_found, lines, (mut deck, identity_findings, value)) = std::thread::scope(|s| {
        let copy = std::sync::Arc::clone(&parsed);
        let side = s.spawn(move || {
            let (mut deck, findings) = t.stage(Stage::Identity, || {
                let normalized = normalize::normalized(&copy, options.quotes);
                drop(copy);
                // The lints have the other core.
                identified(normalized, options, 1)
            });
            let value = then(&mut deck);
            (deck, findings, value)
        });
        // The side thread has a core of its own: it is the longer of the
        // two (writing the package costs more than the lints), and three
        // threads on two cores slowed it down more than the lints gained.
        let threads = lint::cores().saturating_sub(1).max(1);
        let found = t.stage(Stage::Lint, || lints(&parsed, source, options, threads));
        let lines = match std::sync::Arc::try_unwrap(parsed) {
            Ok(mut parsed) => std::mem::take(&mut parsed.lines),
            // Still being normalized: the side thread frees it.
            Err(shared) => shared.lines.clone(),
        };
        let side = side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (found, lines, side)
    });
    deck.lines = lines;
    diagnostics.extend(lint_found);
    diagnostics.extend(identity_findings);
    let diagnostics = t.stage(Stage::Lint, || options.levels.apply(diagnostics));
    (
        CompiledDeck {
            syntax,
            deck,
            diagnostics,
        },
        value,
    )
}

/// Runs the whole pipeline on one source, short of writing output.
pub fn compile(source: &SourceFile, options: &Options) -> Compiled {
    use timings::Stage;
    let t = &options.timings;
    let (syntax, parsed, mut diagnostics) = t.stage(Stage::Parse, || parse_source(source, options));
    diagnostics.extend(t.stage(Stage::Lint, || {
        lints(&parsed, source, options, lint::cores())
    }));
    let (deck, identity_findings) = t.stage(Stage::Identity, || {
        let mut deck = normalize::normalized(&parsed, options.quotes);
        deck.lines = parsed.lines.clone();
        identified(deck, options, lint::cores())
    });
    diagnostics.extend(identity_findings);
    let diagnostics = t.stage(Stage::Lint, || options.levels.apply(diagnostics));
    Compiled {
        syntax,
        parsed,
        deck,
        diagnostics,
    }
}
