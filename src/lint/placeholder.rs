//! `placeholder`: placeholder text such as TODO, FILLER or ???.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct Placeholder;

impl Rule for Placeholder {
    fn code(&self) -> &'static str {
        "placeholder"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "placeholder text such as TODO, FILLER or ???"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
