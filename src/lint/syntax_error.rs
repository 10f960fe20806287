//! `syntax-error`: a line the syntax cannot make sense of.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct SyntaxError;

impl Rule for SyntaxError {
    fn code(&self) -> &'static str {
        "syntax-error"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a line the syntax cannot make sense of"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
