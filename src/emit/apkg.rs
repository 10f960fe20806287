//! The `apkg` format. (Being written.)

use std::io::Write;

use super::{EmitOptions, Emitter};
use crate::error::{Error, Result};
use crate::model::Deck;

pub struct Apkg;

impl Apkg {
    pub fn new(_options: &EmitOptions) -> Self {
        Apkg
    }
}

impl Emitter for Apkg {
    fn name(&self) -> &'static str {
        "apkg"
    }

    fn emit(&self, _deck: &Deck, _out: &mut dyn Write) -> Result<()> {
        Err(Error::Format(
            "the apkg format is not implemented yet".into(),
        ))
    }
}
