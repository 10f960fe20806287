//! The `blocks` syntax: cards separated by blank lines.
//!
//! ```text
//! Cold War Flashcards
//!
//! Define détente
//! a relaxation of tension
//! - SALT I, 1972
//!
//! (Context)
//! When was NATO founded?
//! 1949
//! ```
//!
//! In each block (a run of non-blank lines) leading `(Label)` lines are
//! section markers; of the rest, the first line is the question and the
//! others are the answer, markers kept. A first block of a single line is
//! the deck title; any other one-line block is a card with an empty answer
//! (the `empty-answer` lint reports it). `#` has no meaning here.

use crate::diagnostic::Diagnostic;
use crate::model::Deck;
use crate::source::{Line, SourceFile};

use super::qa::{section_label, title_name};
use super::{trimmed, DeckBuilder};

pub fn parse(src: &SourceFile) -> (Deck, Vec<Diagnostic>) {
    let mut b = DeckBuilder::new(src);
    let mut first_block = true;
    for block in blocks(src) {
        let mut rest = block.as_slice();
        while let Some((line, tail)) = rest.split_first() {
            let (text, span) = trimmed(line);
            match section_label(text) {
                Some(label) => b.section(line.number, label, span, "section-marker"),
                None => break,
            }
            rest = tail;
        }
        let Some((head, answer)) = rest.split_first() else {
            first_block = false;
            continue;
        };
        let (text, span) = trimmed(head);
        if first_block && answer.is_empty() && rest.len() == block.len() {
            b.title(head.number, title_name(text), span, "blocks-title");
        } else {
            b.question(head.number, text, span, "blocks-first-line");
            for line in answer {
                let (text, span) = trimmed(line);
                b.answer(line.number, text, span, "blocks-rest-of-block");
            }
        }
        first_block = false;
    }
    b.finish()
}

/// The source's runs of non-blank lines.
fn blocks(src: &SourceFile) -> Vec<Vec<Line<'_>>> {
    let mut out: Vec<Vec<Line<'_>>> = Vec::new();
    let mut current = Vec::new();
    for line in src.lines() {
        if line.is_blank() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    fn deck(text: &str) -> Deck {
        parse(&SourceFile::new("t.txt", text)).0
    }

    #[test]
    fn blocks_make_cards_and_titles() {
        let d = deck(
            "History Flashcards\n\nQ one\na\n- b\n\n\n(Sec)\nQ two\n# not a heading\n\nlonely\n",
        );
        assert_eq!(d.name, "History");
        let qs: Vec<_> = d.cards.iter().map(|c| c.question.as_str()).collect();
        assert_eq!(qs, ["Q one", "Q two", "lonely"]);
        assert_eq!(d.cards[0].answer_text(), "a\n- b");
        assert_eq!(d.cards[1].answer_text(), "# not a heading");
        assert_eq!(d.cards[1].tags, ["Sec"]);
        assert_eq!(d.cards[2].tags, ["Sec"]);
        assert!(d.cards[2].answer.is_empty());
        assert_eq!(d.lines[7].role, Role::Section(0));
    }

    #[test]
    fn a_section_alone_is_not_a_title() {
        let d = deck("(Sec)\n\nQ\nA\n");
        assert_eq!(d.name, "");
        assert_eq!(d.cards[0].tags, ["Sec"]);
    }
}
