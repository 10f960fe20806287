//! `missing-media`: a referenced media file that cannot be packed.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct MissingMedia;

impl Rule for MissingMedia {
    fn code(&self) -> &'static str {
        "missing-media"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn summary(&self) -> &'static str {
        "a referenced media file that cannot be packed"
    }

    fn doc(&self) -> &'static str {
        "(not written yet)"
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
