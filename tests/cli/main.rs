//! Integration tests through the real `deckc` binary, grouped by theme.

mod build;
mod check;
mod common;
mod detect;
mod fmt;
mod formats;
mod lint_dates;
mod lint_variants;
mod lints;
mod notes;
mod realworld_lints;
mod reference;
mod syntaxes;
