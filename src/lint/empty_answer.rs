//! `empty-answer`: a card without an answer.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct EmptyAnswer;

impl Rule for EmptyAnswer {
    fn code(&self) -> &'static str {
        "empty-answer"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a card without an answer"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
