//! `empty-question`: a card without a question.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct EmptyQuestion;

impl Rule for EmptyQuestion {
    fn code(&self) -> &'static str {
        "empty-question"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a card without a question"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
