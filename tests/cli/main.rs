//! Integration tests through the real `deckc` binary, grouped by theme.

mod build;
mod check;
mod common;
mod detect;
mod fmt;
mod formats;
mod hostile;
mod lint_dates;
mod lint_variants;
mod lints;
mod notes;
mod reference;
mod syntaxes;
