//! A hand-built deck with fields that trip up writers, shared by the
//! emitters' unit tests (compiled only for tests).

use crate::model::{AnswerLine, Card, Deck};
use crate::source::Span;

fn card(question: &str, answer: &[&str], tags: &[&str], subdeck: Option<&str>) -> Card {
    Card {
        question: question.into(),
        line: 0,
        answer: answer
            .iter()
            .map(|t| AnswerLine::new(*t, Span::default()))
            .collect(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        subdeck: subdeck.map(Box::from),
        ..Card::default()
    }
}

/// Markup characters, quotes at the start and inside, a leading `#`, a tab,
/// emoji, right-to-left text, marker lines, tags and a subdeck.
pub fn tricky_deck() -> Deck {
    let mut deck = Deck {
        name: "Tricky \"Deck\"".to_string(),
        cards: vec![
            card(
                "Is 1 < 2 & 3 > 2?",
                &["Yes: 1 < 2", "& 3 > 2"],
                &["maths"],
                None,
            ),
            card(
                "\"Quoted\" question",
                &["He said \"hi\"", "> a marker line", "> another"],
                &[],
                None,
            ),
            card(
                "# not a comment",
                &["#hashtag answer"],
                &["Cold War", "x"],
                None,
            ),
            card("Tab\there", &["col1\tcol2"], &[], Some("Sub::Deep")),
            card(
                "Emoji 🎉 and RTL שלום עולם",
                &["مرحبا بالعالم", "- 🚀 list"],
                &[],
                None,
            ),
            card(
                "Semicolon; comma, slash / pipe |",
                &["a; b", "c, d"],
                &[],
                None,
            ),
        ],
        ..Deck::default()
    };
    for (i, c) in deck.cards.iter_mut().enumerate() {
        c.line = crate::model::small(i * 3 + 1);
    }
    crate::identity::assign(&mut deck, 1_700_000_000, 1);
    deck
}
