//! Quizlet's import text: term, separator, definition; cards separated by
//! another separator (by default a tab and a newline, which Quizlet's import
//! dialog calls "Tab" and "New line").
//!
//! Quizlet reads no quoting, so separators must never occur inside a field:
//! - line breaks inside a field would start a new card when a separator is
//!   a single newline (the default), so lines are then joined with
//!   [`LINE_JOINER`] (` / `, visible and rare in notes); with other
//!   separators (`--card-separator '\n\n'` or `';;'`) fields keep their
//!   line breaks;
//! - any other occurrence of a separator inside a field is replaced by a
//!   space, and [`Quizlet::conflicts`] lists them so `deckc build` can warn.
//!
//! Fields are plain text: markers (`> `, `- `) are kept as written.

use std::io::Write;

use super::{EmitOptions, Emitter};
use crate::error::{Error, Result};
use crate::model::{Card, Deck};

/// Joins answer lines when line breaks cannot be kept.
pub const LINE_JOINER: &str = " / ";

/// The two separators, validated and unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Separators {
    pub term: String,
    pub card: String,
}

impl Default for Separators {
    fn default() -> Self {
        Separators {
            term: "\t".into(),
            card: "\n".into(),
        }
    }
}

impl Separators {
    /// Validates `--term-separator` / `--card-separator` values. The escapes
    /// `\t`, `\n` and `\\` are understood, since a real tab or newline is
    /// awkward to type in a shell.
    pub fn parse(term: Option<&str>, card: Option<&str>) -> Result<Separators> {
        let default = Separators::default();
        let term = term.map(unescape).unwrap_or(default.term);
        let card = card.map(unescape).unwrap_or(default.card);
        if term.is_empty() || card.is_empty() {
            return Err(Error::Usage(
                "a Quizlet separator cannot be empty; the defaults are a tab between term and \
                 definition and a newline between cards"
                    .into(),
            ));
        }
        if term.contains(card.as_str()) || card.contains(term.as_str()) {
            return Err(Error::Usage(format!(
                "the Quizlet separators `{}` and `{}` overlap, so Quizlet could not tell terms \
                 from cards; choose two different separators",
                escape(&term),
                escape(&card)
            )));
        }
        Ok(Separators { term, card })
    }

    /// Line breaks inside fields survive unless a separator is a single
    /// line break (Quizlet's "New line"): then every line would be a card.
    /// Longer separators (`\n\n`, `;;`) leave room for multi-line fields.
    fn keeps_line_breaks(&self) -> bool {
        ![&self.term, &self.card]
            .iter()
            .any(|s| matches!(s.as_str(), "\n" | "\r\n" | "\r"))
    }

    /// What to pick in Quizlet's import dialog, one setting per line.
    pub fn dialog_settings(&self) -> String {
        let term = match self.term.as_str() {
            "\t" => "Tab".to_string(),
            "," => "Comma".to_string(),
            other => format!("Custom: {}", escape(other)),
        };
        let card = match self.card.as_str() {
            "\n" => "New line".to_string(),
            ";" => "Semicolon".to_string(),
            other => format!("Custom: {}", escape(other)),
        };
        format!("Between term and definition: {term}\nBetween rows: {card}")
    }
}

/// A separator found inside a field (and replaced by a space).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Source line of the card's question.
    pub line: usize,
    /// `"term"` or `"definition"`.
    pub field: &'static str,
    /// The separator, escaped for display.
    pub separator: String,
}

pub struct Quizlet {
    separators: Separators,
}

impl Quizlet {
    /// Invalid separators fall back to the defaults; `deckc build`
    /// validates them with [`Separators::parse`] before any work.
    pub fn new(options: &EmitOptions) -> Self {
        let separators = Separators::parse(
            options.quizlet_term_separator.as_deref(),
            options.quizlet_card_separator.as_deref(),
        )
        .unwrap_or_default();
        Quizlet { separators }
    }

    pub fn with_separators(separators: Separators) -> Self {
        Quizlet { separators }
    }

    /// Term and definition as they will be written, plus the conflicts met.
    fn fields(&self, card: &Card) -> ([String; 2], Vec<Conflict>) {
        let mut conflicts = Vec::new();
        let raw = [
            ("term", card.question.to_string()),
            ("definition", card.answer_text()),
        ];
        let out = raw.map(|(field, text)| {
            let text = if self.separators.keeps_line_breaks() {
                text
            } else {
                join_lines(&text)
            };
            let mut text = text;
            for sep in [&self.separators.term, &self.separators.card] {
                if text.contains(sep.as_str()) {
                    conflicts.push(Conflict {
                        line: card.line_number(),
                        field,
                        separator: escape(sep),
                    });
                    text = text.replace(sep.as_str(), " ");
                }
            }
            text
        });
        (out, conflicts)
    }

    /// Every separator that occurs inside a field, in card order.
    pub fn conflicts(&self, deck: &Deck) -> Vec<Conflict> {
        deck.cards.iter().flat_map(|c| self.fields(c).1).collect()
    }
}

impl Emitter for Quizlet {
    fn name(&self) -> &'static str {
        "quizlet"
    }

    fn emit(&self, deck: &Deck, out: &mut dyn Write) -> Result<()> {
        for (i, card) in deck.cards.iter().enumerate() {
            if i > 0 {
                out.write_all(self.separators.card.as_bytes())?;
            }
            let ([term, definition], _) = self.fields(card);
            out.write_all(term.as_bytes())?;
            out.write_all(self.separators.term.as_bytes())?;
            out.write_all(definition.as_bytes())?;
        }
        // A text file ends with a newline; any other card separator is only
        // written between cards, so Quizlet sees no empty last card.
        if self.separators.card == "\n" && !deck.cards.is_empty() {
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// Lines joined with [`LINE_JOINER`], blank lines dropped.
fn join_lines(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(LINE_JOINER)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A separator shown with `\t`, `\n` and `\\` escapes.
pub fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_deck::tricky_deck;

    fn emit(deck: &Deck, seps: Separators) -> String {
        let mut out = Vec::new();
        Quizlet::with_separators(seps).emit(deck, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn seps(term: &str, card: &str) -> Separators {
        Separators::parse(Some(term), Some(card)).unwrap()
    }

    #[test]
    fn default_is_one_card_per_line_with_joined_definitions() {
        let deck = tricky_deck();
        let text = emit(&deck, Separators::default());
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), deck.cards.len());
        for row in &rows {
            assert_eq!(row.matches('\t').count(), 1, "{row:?}");
        }
        assert_eq!(rows[0], "Is 1 < 2 & 3 > 2?\tYes: 1 < 2 / & 3 > 2");
        assert_eq!(rows[3], "Tab here\tcol1 col2");
        assert!(text.ends_with('\n'));
    }

    #[test]
    fn custom_separators_keep_line_breaks() {
        let deck = tricky_deck();
        let text = emit(&deck, seps("::", "\\n\\n===\\n\\n"));
        let cards: Vec<&str> = text.split("\n\n===\n\n").collect();
        assert_eq!(cards.len(), deck.cards.len());
        assert_eq!(cards[0], "Is 1 < 2 & 3 > 2?::Yes: 1 < 2\n& 3 > 2");
        assert!(!text.ends_with('\n'));
    }

    #[test]
    fn separators_inside_fields_are_replaced_and_reported() {
        let deck = tricky_deck();
        let q = Quizlet::with_separators(seps(",", ";"));
        let conflicts = q.conflicts(&deck);
        assert_eq!(
            conflicts,
            [
                Conflict {
                    line: 16,
                    field: "term",
                    separator: ",".into()
                },
                Conflict {
                    line: 16,
                    field: "term",
                    separator: ";".into()
                },
                Conflict {
                    line: 16,
                    field: "definition",
                    separator: ",".into()
                },
                Conflict {
                    line: 16,
                    field: "definition",
                    separator: ";".into()
                },
            ]
        );
        let text = emit(&deck, seps(",", ";"));
        assert_eq!(text.split(';').count(), deck.cards.len());
        assert!(text.ends_with("Semicolon  comma  slash / pipe |,a  b\nc  d"));
    }

    #[test]
    fn default_separators_meet_no_conflict_in_clean_text() {
        let mut deck = tricky_deck();
        deck.cards.retain(|c| !c.question.contains('\t'));
        assert_eq!(
            Quizlet::with_separators(Separators::default()).conflicts(&deck),
            []
        );
    }

    #[test]
    fn bad_separators_are_refused() {
        assert!(Separators::parse(Some(""), None).is_err());
        assert!(Separators::parse(Some("\\n"), None).is_err());
        assert!(Separators::parse(Some(";"), Some(";;")).is_err());
        assert!(Separators::parse(Some("\\t"), Some("\\n")).is_ok());
    }

    #[test]
    fn dialog_settings_name_quizlet_options() {
        assert_eq!(
            Separators::default().dialog_settings(),
            "Between term and definition: Tab\nBetween rows: New line"
        );
        assert_eq!(
            seps(",", ";").dialog_settings(),
            "Between term and definition: Comma\nBetween rows: Semicolon"
        );
        assert_eq!(
            seps("::", "\\n\\n").dialog_settings(),
            "Between term and definition: Custom: ::\nBetween rows: Custom: \\n\\n"
        );
    }

    #[test]
    fn snapshot_default() {
        insta::assert_snapshot!(emit(&tricky_deck(), Separators::default()));
    }
}
