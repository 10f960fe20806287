//! Integration tests through the real `deckc` binary, grouped by theme.

mod anki;
mod anki_identity;
mod anki_import;
mod apkg;
mod build;
mod check;
mod common;
mod config;
mod detect;
mod docs_commands;
mod fmt;
mod formats;
mod hostile;
mod identity;
mod lint_dates;
mod lint_variants;
mod lints;
mod notes;
mod notetypes;
mod realworld;
mod realworld_lints;
mod reference;
mod reliability;
mod rule_fixtures;
mod syntaxes;
mod tooling;
