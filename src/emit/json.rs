//! JSON: the deck model, for scripts and tests.
//!
//! `{"deck": NAME, "cards": [{"guid", "question", "answer", "tags", "deck", "line"}]}`
//! where `answer` is the answer's lines joined with `\n` as written.

use std::io::Write;

use serde::Serialize;

use super::Emitter;
use crate::error::Result;
use crate::model::Deck;

pub struct Json;

#[derive(Serialize)]
struct DeckJson<'a> {
    deck: &'a str,
    cards: Vec<CardJson<'a>>,
}

#[derive(Serialize)]
struct CardJson<'a> {
    guid: &'a str,
    question: &'a str,
    answer: String,
    tags: &'a [String],
    deck: String,
    line: usize,
}

impl Emitter for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn emit(&self, deck: &Deck, out: &mut dyn Write) -> Result<()> {
        let doc = DeckJson {
            deck: &deck.name,
            cards: deck
                .cards
                .iter()
                .map(|c| CardJson {
                    guid: &c.guid,
                    question: &c.question,
                    answer: c.answer_text(),
                    tags: &c.tags,
                    deck: c.deck_path(&deck.name),
                    line: c.line,
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}
