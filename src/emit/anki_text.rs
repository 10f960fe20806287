//! The `anki_text` format. (Being written.)

use std::io::Write;

use super::{EmitOptions, Emitter};
use crate::error::{Error, Result};
use crate::model::Deck;

pub struct AnkiText;

impl AnkiText {
    pub fn new(_options: &EmitOptions) -> Self {
        AnkiText
    }
}

impl Emitter for AnkiText {
    fn name(&self) -> &'static str {
        "anki_text"
    }

    fn emit(&self, _deck: &Deck, _out: &mut dyn Write) -> Result<()> {
        Err(Error::Format(
            "the anki_text format is not implemented yet".into(),
        ))
    }
}
