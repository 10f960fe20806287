//! Integration tests through the real `deckc` binary, grouped by theme.

mod build;
mod common;
// Needs the canonical parser (branch `syntaxes`): enable once it is on main.
// mod formats;
// Needs the notes parser (branch `notes`): enable once it is on main.
// mod lint_dates;
mod reference;
