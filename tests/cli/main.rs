//! Integration tests through the real `deckc` binary, grouped by theme.

mod build;
mod common;
mod fmt;
mod formats;
mod lint_variants;
mod reference;
mod syntaxes;
