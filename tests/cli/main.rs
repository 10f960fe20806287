//! Integration tests through the real `deckc` binary, grouped by theme.

mod anki_import;
mod apkg;
mod build;
mod check;
mod common;
mod detect;
mod fmt;
mod formats;
mod identity;
mod lint_dates;
mod lint_variants;
mod lints;
mod notes;
mod realworld_lints;
mod reference;
mod syntaxes;
mod timings;
