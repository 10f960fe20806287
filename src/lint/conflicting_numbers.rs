//! `conflicting-numbers`: the same subject is given two different amounts.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct ConflictingNumbers;

impl Rule for ConflictingNumbers {
    fn code(&self) -> &'static str {
        "conflicting-numbers"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "the same subject is given two different amounts"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
