//! `repeated-answer`: an answer that repeats the previous card's last line.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct RepeatedAnswer;

impl Rule for RepeatedAnswer {
    fn code(&self) -> &'static str {
        "repeated-answer"
    }

    fn default_level(&self) -> Level {
        Level::Note
    }

    fn summary(&self) -> &'static str {
        "an answer that repeats the previous card's last line"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
