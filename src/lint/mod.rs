//! The validator: one rule per file, registered in [`RULES`].
//!
//! A rule looks at the parsed [`Deck`] (and its source) and pushes
//! [`Diagnostic`]s at its default level; [`crate::diagnostic::LevelConfig`]
//! re-levels them afterwards. Rules must stay near-linear in deck size:
//! index first (keywords, n-grams, spelling keys), then compare candidates.

mod conflicting_dates;
mod conflicting_numbers;
mod duplicate_card;
mod duplicate_id;
mod duplicate_question;
mod empty_answer;
mod empty_question;
mod missing_media;
mod name_variant;
mod orphan_line;
mod placeholder;
mod repeated_answer;
mod spelling_variant;
mod stray_token;
mod syntax_error;
mod term_variant;
mod unbalanced_delimiters;
mod word_confusion;
mod words;
mod year_range_order;

use crate::diagnostic::{Diagnostic, Level};
use crate::model::Deck;
use crate::source::SourceFile;

/// What a rule gets to look at.
pub struct Context<'a> {
    pub deck: &'a Deck,
    pub source: &'a SourceFile,
    pub config: &'a LintConfig,
}

/// Rule settings from `deckc.toml` (preferred spellings and the like).
#[derive(Debug, Clone, Default)]
pub struct LintConfig {
    /// Spellings the user prefers; variant rules suggest these.
    pub preferred: Vec<String>,
}

/// One lint rule.
pub trait Rule: Sync {
    /// Kebab-case code, e.g. `conflicting-dates`.
    fn code(&self) -> &'static str;
    fn default_level(&self) -> Level;
    /// One line: what it finds.
    fn summary(&self) -> &'static str;
    /// Markdown doc: What it does / Why it matters / Example / Fix.
    fn doc(&self) -> &'static str;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Every rule, in the order `deckc explain` lists them.
pub const RULES: &[&dyn Rule] = &[
    &conflicting_dates::ConflictingDates,
    &conflicting_numbers::ConflictingNumbers,
    &year_range_order::YearRangeOrder,
    &name_variant::NameVariant,
    &term_variant::TermVariant,
    &spelling_variant::SpellingVariant,
    &word_confusion::WordConfusion,
    &stray_token::StrayToken,
    &empty_question::EmptyQuestion,
    &empty_answer::EmptyAnswer,
    &orphan_line::OrphanLine,
    &syntax_error::SyntaxError,
    &duplicate_question::DuplicateQuestion,
    &duplicate_card::DuplicateCard,
    &duplicate_id::DuplicateId,
    &repeated_answer::RepeatedAnswer,
    &unbalanced_delimiters::UnbalancedDelimiters,
    &placeholder::Placeholder,
    &missing_media::MissingMedia,
];

/// Looks a rule up by code.
pub fn rule(code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.code() == code)
}

/// Runs every rule.
pub fn run(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES {
        rule.check(cx, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code()).collect();
        for c in &codes {
            assert!(
                c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{c}"
            );
        }
        codes.sort();
        let n = codes.len();
        codes.dedup();
        assert_eq!(n, codes.len(), "duplicate rule codes");
    }
}
