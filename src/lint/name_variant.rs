//! `name-variant`: a name is spelled two ways.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct NameVariant;

impl Rule for NameVariant {
    fn code(&self) -> &'static str {
        "name-variant"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a name is spelled two ways"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
