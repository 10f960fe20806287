//! `term-variant`: a multi-word term is written two ways (spacing, hyphens).

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct TermVariant;

impl Rule for TermVariant {
    fn code(&self) -> &'static str {
        "term-variant"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a multi-word term is written two ways (spacing, hyphens)"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
