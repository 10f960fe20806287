//! Integration tests through the real `deckc` binary, grouped by theme.

mod common;
// Needs the notes parser (branch `notes`): enable once it is on main.
// mod lint_dates;
mod reference;
