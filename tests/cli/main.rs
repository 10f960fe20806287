//! Integration tests through the real `deckc` binary, grouped by theme.

mod anki_import;
mod apkg;
mod common;
mod reference;
