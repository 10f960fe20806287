//! Integration tests through the real `deckc` binary, grouped by theme.

mod check;
mod common;
mod lints;
mod reference;
