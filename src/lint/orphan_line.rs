//! `orphan-line`: content that belongs to no card.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct OrphanLine;

impl Rule for OrphanLine {
    fn code(&self) -> &'static str {
        "orphan-line"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "content that belongs to no card"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
