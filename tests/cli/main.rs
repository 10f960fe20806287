//! Integration tests through the real `deckc` binary, grouped by theme.

mod common;
mod detect;
mod notes;
mod reference;
