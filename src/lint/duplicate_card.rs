//! `duplicate-card`: the same card twice.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct DuplicateCard;

impl Rule for DuplicateCard {
    fn code(&self) -> &'static str {
        "duplicate-card"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "the same card twice"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
