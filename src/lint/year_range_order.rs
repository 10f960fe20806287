//! `year-range-order`: a year range runs backwards (1979-1967).

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct YearRangeOrder;

impl Rule for YearRangeOrder {
    fn code(&self) -> &'static str {
        "year-range-order"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a year range runs backwards (1979-1967)"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
