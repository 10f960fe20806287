//! The `blocks` syntax. (Being written: see the parse module docs.)

use crate::diagnostic::Diagnostic;
use crate::model::Deck;
use crate::source::SourceFile;

use super::DeckBuilder;

pub fn parse(src: &SourceFile) -> (Deck, Vec<Diagnostic>) {
    DeckBuilder::new(src).finish()
}
