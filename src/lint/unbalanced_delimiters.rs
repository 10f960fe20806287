//! `unbalanced-delimiters`: an unclosed quote or bracket.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct UnbalancedDelimiters;

impl Rule for UnbalancedDelimiters {
    fn code(&self) -> &'static str {
        "unbalanced-delimiters"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "an unclosed quote or bracket"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
