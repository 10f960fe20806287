//! `duplicate-question`: the same question asked twice with different answers.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct DuplicateQuestion;

impl Rule for DuplicateQuestion {
    fn code(&self) -> &'static str {
        "duplicate-question"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "the same question asked twice with different answers"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
