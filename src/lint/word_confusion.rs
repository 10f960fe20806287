//! `word-confusion`: the same phrase with one look-alike word swapped.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct WordConfusion;

impl Rule for WordConfusion {
    fn code(&self) -> &'static str {
        "word-confusion"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "the same phrase with one look-alike word swapped"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
