//! The `quizlet` format. (Being written.)

use std::io::Write;

use super::{EmitOptions, Emitter};
use crate::error::{Error, Result};
use crate::model::Deck;

pub struct Quizlet;

impl Quizlet {
    pub fn new(_options: &EmitOptions) -> Self {
        Quizlet
    }
}

impl Emitter for Quizlet {
    fn name(&self) -> &'static str {
        "quizlet"
    }

    fn emit(&self, _deck: &Deck, _out: &mut dyn Write) -> Result<()> {
        Err(Error::Format(
            "the quizlet format is not implemented yet".into(),
        ))
    }
}
