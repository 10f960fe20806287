//! Integration tests through the real `deckc` binary, grouped by theme.

mod build;
mod common;
mod detect;
mod fmt;
mod formats;
mod notes;
mod reference;
mod syntaxes;
