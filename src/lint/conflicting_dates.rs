//! `conflicting-dates`: the same event is given two different dates.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct ConflictingDates;

impl Rule for ConflictingDates {
    fn code(&self) -> &'static str {
        "conflicting-dates"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "the same event is given two different dates"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
