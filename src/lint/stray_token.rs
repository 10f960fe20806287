//! `stray-token`: a stray character or fragment left in a line.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct StrayToken;

impl Rule for StrayToken {
    fn code(&self) -> &'static str {
        "stray-token"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a stray character or fragment left in a line"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
