//! Which Anki note type a card becomes, and the cloze syntax that decides it.
//!
//! - **Cloze** when the question holds a well-formed `{{c1::…}}` deletion:
//!   one Anki card per distinct cloze number (`c1` → card 1, `c2` → card 2).
//! - **Basic (and reversed card)** when the deck asks for it (`--reverse`,
//!   or `note-type = "reversed"` in `deckc.toml`): two cards per note.
//! - **Basic** otherwise: one card per note.
//!
//! The scanner follows Anki's cloze reader (`rslib/src/cloze.rs`): the
//! opening tag is `{{c<number>::`, case-insensitive, deletions may nest,
//! and each one ends at the next unmatched `}}`. Everything that looks like
//! a cloze but is not one is reported, so the `malformed-cloze` lint can
//! say what is wrong instead of leaving a literal `{{c1:` on a card.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::model::Card;

/// The note type of one card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteKind {
    Basic,
    Reversed,
    Cloze,
}

impl NoteKind {
    pub const ALL: [NoteKind; 3] = [NoteKind::Basic, NoteKind::Reversed, NoteKind::Cloze];

    /// The note type a card becomes: cloze wins over the deck's choice,
    /// because a cloze question makes no sense as the back of a card.
    pub fn of(card: &Card) -> NoteKind {
        if !cloze_numbers(&card.question).is_empty() {
            NoteKind::Cloze
        } else if card.reversed {
            NoteKind::Reversed
        } else {
            NoteKind::Basic
        }
    }

    /// The name of Anki's own (English) stock note type of this kind, as
    /// the text import's `#notetype:` must spell it.
    pub fn stock_name(self) -> &'static str {
        match self {
            NoteKind::Basic => "Basic",
            NoteKind::Reversed => "Basic (and reversed card)",
            NoteKind::Cloze => "Cloze",
        }
    }

    /// The card ordinals (template indices, or cloze number − 1) a card of
    /// this kind produces, in order.
    pub fn ords(self, card: &Card) -> Vec<u32> {
        match self {
            NoteKind::Basic => vec![0],
            NoteKind::Reversed => vec![0, 1],
            NoteKind::Cloze => cloze_numbers(&card.question)
                .into_iter()
                .map(|n| n - 1)
                .collect(),
        }
    }
}

/// The deck-wide choice for cards without a cloze (`--reverse`,
/// `note-type` in `deckc.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoteTypeChoice {
    #[default]
    Basic,
    Reversed,
}

impl NoteTypeChoice {
    /// Reads the config spelling: `basic` or `reversed`.
    pub fn parse(name: &str) -> Option<NoteTypeChoice> {
        match name {
            "basic" => Some(NoteTypeChoice::Basic),
            "reversed" => Some(NoteTypeChoice::Reversed),
            _ => None,
        }
    }
}

/// What is wrong with something that looks like a cloze deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClozeProblem {
    /// `{{c1:text}}`: one colon where Anki needs two.
    SingleColon,
    /// `{{c::text}}`: no number after the `c`.
    MissingNumber,
    /// `{{c0::text}}`: cloze numbers start at 1.
    ZeroNumber,
    /// `{{c1::text` without the closing `}}`.
    Unclosed,
    /// `{{c1::}}`: nothing to hide.
    Empty,
}

impl ClozeProblem {
    pub fn message(&self) -> &'static str {
        match self {
            ClozeProblem::SingleColon => "cloze deletion with one colon: Anki needs `{{c1::…}}`",
            ClozeProblem::MissingNumber => "cloze deletion without a number: write `{{c1::…}}`",
            ClozeProblem::ZeroNumber => "cloze numbers start at 1: `{{c0::…}}` makes no card",
            ClozeProblem::Unclosed => "cloze deletion is never closed with `}}`",
            ClozeProblem::Empty => "empty cloze deletion: nothing is hidden",
        }
    }
}

/// The result of scanning one text for cloze deletions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClozeScan {
    /// Distinct numbers of the well-formed deletions, ascending.
    pub numbers: BTreeSet<u32>,
    /// Malformed deletions: byte range of the opening (or of the whole
    /// deletion, when empty) and what is wrong.
    pub problems: Vec<(Range<usize>, ClozeProblem)>,
}

/// The distinct cloze numbers in `text`, ascending (empty: not a cloze).
pub fn cloze_numbers(text: &str) -> BTreeSet<u32> {
    if !text.contains("{{") {
        return BTreeSet::new();
    }
    scan(text).numbers
}

/// An opening tag at the start of `s` (which starts with `{{`): its length
/// and number, or what is wrong with it; `None` if it is no cloze at all
/// (e.g. `{{Front}}`).
fn opening(s: &str) -> Option<Result<(usize, u32), ClozeProblem>> {
    let rest = s.get(2..)?;
    let rest = rest.strip_prefix('c').or_else(|| rest.strip_prefix('C'))?;
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let after = rest.get(digits..)?;
    if !after.starts_with(':') {
        return None;
    }
    if digits == 0 {
        return Some(Err(ClozeProblem::MissingNumber));
    }
    if !after.starts_with("::") {
        return Some(Err(ClozeProblem::SingleColon));
    }
    let number: u32 = rest.get(..digits)?.parse().ok()?;
    if number == 0 {
        return Some(Err(ClozeProblem::ZeroNumber));
    }
    Some(Ok((3 + digits + 2, number)))
}

/// Scans `text` for cloze deletions, nested ones included.
pub fn scan(text: &str) -> ClozeScan {
    let mut out = ClozeScan::default();
    // Open deletions: (start of the opening tag, its end, number).
    let mut open: Vec<(usize, usize, u32)> = Vec::new();
    let mut i = 0;
    while let Some(rest) = text.get(i..) {
        let next_open = rest.find("{{");
        let next_close = if open.is_empty() {
            None
        } else {
            rest.find("}}")
        };
        match (next_open, next_close) {
            (Some(o), c) if c.is_none_or(|c| o < c) => {
                let at = i + o;
                match text.get(at..).and_then(opening) {
                    Some(Ok((len, number))) => {
                        open.push((at, at + len, number));
                        i = at + len;
                    }
                    Some(Err(problem)) => {
                        let end = text
                            .get(at..)
                            .and_then(|s| s.find(':'))
                            .map_or(text.len(), |e| at + e + 1);
                        out.problems.push((at..end, problem));
                        i = at + 2;
                    }
                    None => i = at + 2,
                }
            }
            (_, Some(c)) => {
                let at = i + c;
                if let Some((start, body, number)) = open.pop() {
                    let inner = text.get(body..at).unwrap_or_default();
                    let answer = inner.split("::").next().unwrap_or_default();
                    if answer.trim().is_empty() {
                        out.problems.push((start..at + 2, ClozeProblem::Empty));
                    } else {
                        out.numbers.insert(number);
                    }
                }
                i = at + 2;
            }
            _ => break,
        }
    }
    for (start, body, _) in open {
        out.problems.push((start..body, ClozeProblem::Unclosed));
    }
    out.problems.sort_by_key(|(r, _)| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<u32> {
        cloze_numbers(text).into_iter().collect()
    }

    fn problems(text: &str) -> Vec<(&str, ClozeProblem)> {
        scan(text)
            .problems
            .into_iter()
            .map(|(r, p)| (&text[r], p))
            .collect()
    }

    #[test]
    fn distinct_numbers_in_order() {
        assert_eq!(
            numbers("{{c2::b}} and {{c1::a}} and {{c2::c::hint}}"),
            [1, 2]
        );
        assert_eq!(numbers("{{C3::upper}}"), [3]);
        assert_eq!(numbers("{{c1::outer {{c2::inner}} text}}"), [1, 2]);
        assert!(numbers("What is {{Front}}? Nothing {c1::x}").is_empty());
        assert!(numbers("plain").is_empty());
    }

    #[test]
    fn malformed_openings_are_named() {
        assert_eq!(
            problems("The {{c1:Treaty}} was"),
            [("{{c1:", ClozeProblem::SingleColon)]
        );
        assert_eq!(
            problems("{{c::x}}"),
            [("{{c:", ClozeProblem::MissingNumber)]
        );
        assert_eq!(problems("{{c0::x}}"), [("{{c0:", ClozeProblem::ZeroNumber)]);
        assert_eq!(
            problems("signed in {{c2::1950"),
            [("{{c2::", ClozeProblem::Unclosed)]
        );
        assert_eq!(
            problems("a {{c1::}} b"),
            [("{{c1::}}", ClozeProblem::Empty)]
        );
        assert_eq!(
            problems("a {{c1::  ::hint}}"),
            [("{{c1::  ::hint}}", ClozeProblem::Empty)]
        );
    }

    #[test]
    fn well_formed_text_has_no_problems() {
        for text in [
            "{{c1::a}} {{c2::b::hint}}",
            "{{c1::outer {{c2::inner}} text}}",
            "a }} stray close without an open cloze",
            "{{Front}} and {{c1::x}}",
            "€ {{c1::ünïcode}} ✓",
        ] {
            assert_eq!(problems(text), [], "{text}");
        }
    }

    #[test]
    fn kind_follows_the_question() {
        let card = |q: &str, reversed: bool| Card {
            question: q.into(),
            reversed,
            ..Card::default()
        };
        assert_eq!(NoteKind::of(&card("Who?", false)), NoteKind::Basic);
        assert_eq!(NoteKind::of(&card("Who?", true)), NoteKind::Reversed);
        let cloze = card("{{c1::Mao}} met {{c3::Stalin}}", true);
        assert_eq!(NoteKind::of(&cloze), NoteKind::Cloze);
        assert_eq!(NoteKind::Cloze.ords(&cloze), [0, 2]);
        assert_eq!(NoteKind::Reversed.ords(&cloze), [0, 1]);
        assert_eq!(NoteKind::of(&card("{{c1:Mao}}", false)), NoteKind::Basic);
    }
}
