//! Integration tests through the real `deckc` binary, grouped by theme.

mod build;
mod check;
mod common;
// Needs the canonical parser (branch `syntaxes`): enable once it is on main.
// mod formats;
mod lints;
mod reference;
