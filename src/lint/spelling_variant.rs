//! `spelling-variant`: one word with two spellings (British/American and the like).

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct SpellingVariant;

impl Rule for SpellingVariant {
    fn code(&self) -> &'static str {
        "spelling-variant"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "one word with two spellings (British/American and the like)"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
