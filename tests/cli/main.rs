//! Integration tests through the real `deckc` binary, grouped by theme.

mod build;
mod common;
mod fmt;
mod formats;
mod reference;
mod syntaxes;
mod timings;
