//! Integration tests through the real `deckc` binary, grouped by theme.

mod common;
mod lint_variants;
mod reference;
