//! `duplicate-id`: two cards that would get the same identity in Anki.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct DuplicateId;

impl Rule for DuplicateId {
    fn code(&self) -> &'static str {
        "duplicate-id"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "two cards that would get the same identity in Anki"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
