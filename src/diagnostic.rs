//! Diagnostics: findings about the notes, collected as values.
//!
//! Parsers and lint rules push [`Diagnostic`]s; the level each one ends up
//! with is decided afterwards from the configuration ([`LevelConfig`]), so
//! every finding, wherever it was made, obeys `-A/-W/-D`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::source::Span;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Switched off: not reported.
    Allow,
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "note" => Some(Level::Note),
            "warn" | "warning" => Some(Level::Warning),
            "deny" | "error" => Some(Level::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Another place that explains the finding ("first stated here").
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// One text replacement of a fix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A machine-applicable fix: edits that are safe to apply without review.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// What applying the fix does ("replace `Krushchev` with `Khrushchev`").
    pub message: String,
    pub edits: Vec<Edit>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Kebab-case rule code, e.g. `conflicting-dates`.
    pub code: &'static str,
    pub level: Level,
    pub message: String,
    /// The primary place.
    pub span: Span,
    /// Label under the primary caret (may be empty).
    pub label: String,
    pub related: Vec<Related>,
    /// A hint on what to do.
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(code: &'static str, level: Level, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            level,
            message: message.into(),
            span,
            label: String::new(),
            related: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, message: impl Into<String>, edits: Vec<Edit>) -> Self {
        self.fix = Some(Fix {
            message: message.into(),
            edits,
        });
        self
    }
}

/// Lint levels chosen by the user: per-code overrides plus `-D warnings`.
#[derive(Debug, Clone, Default)]
pub struct LevelConfig {
    /// Explicit levels by code, applied in order (`-A x -W x`: last wins).
    pub overrides: BTreeMap<String, Level>,
    /// `-D warnings`: every warning becomes an error.
    pub deny_warnings: bool,
}

impl LevelConfig {
    /// The level a finding of `code` with default `default` ends up with.
    pub fn level_for(&self, code: &str, default: Level) -> Level {
        let level = self.overrides.get(code).copied().unwrap_or(default);
        if self.deny_warnings && level == Level::Warning {
            Level::Error
        } else {
            level
        }
    }

    /// Whether a lint rule needs to run: its findings would not all be
    /// allowed (dropped).
    pub fn runs(&self, code: &str) -> bool {
        crate::lint::rule(code)
            .is_none_or(|rule| self.level_for(code, rule.default_level()) != Level::Allow)
    }

    /// Re-levels every diagnostic and drops the allowed ones; the result is
    /// sorted by position, then code, so output order is deterministic.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter_map(|mut d| {
                d.level = self.level_for(d.code, d.level);
                (d.level != Level::Allow).then_some(d)
            })
            .collect();
        out.sort_by(|a, b| {
            (a.span.start, a.span.end, a.code, &a.message).cmp(&(
                b.span.start,
                b.span.end,
                b.code,
                &b.message,
            ))
        });
        out
    }
}

/// Counts by level, for summaries and exit codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diagnostics {
            match d.level {
                Level::Error => c.errors += 1,
                Level::Warning => c.warnings += 1,
                Level::Note => c.notes += 1,
                Level::Allow => {}
            }
        }
        c
    }

    /// Adds another file's counts.
    pub fn add(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.notes += other.notes;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_warnings_promotes_and_allow_drops() {
        let mut cfg = LevelConfig {
            deny_warnings: true,
            ..Default::default()
        };
        cfg.overrides.insert("b".into(), Level::Allow);
        let ds = vec![
            Diagnostic::new("a", Level::Warning, Span::new(5, 6), "x"),
            Diagnostic::new("b", Level::Warning, Span::new(0, 1), "y"),
            Diagnostic::new("c", Level::Note, Span::new(0, 1), "z"),
        ];
        let out = cfg.apply(ds);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].code, out[0].level), ("c", Level::Note));
        assert_eq!((out[1].code, out[1].level), ("a", Level::Error));
    }
}
