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
    cards: Cards<'a>,
}

/// The deck's cards, each made into its JSON object only as it is
/// written: a million cards' objects (each with its answer and deck path
/// as strings of their own) held at once were some 350 MB.
struct Cards<'a>(&'a Deck);

impl Serialize for Cards<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let deck = self.0;
        let mut seq = serializer.serialize_seq(Some(deck.cards.len()))?;
        for c in &deck.cards {
            seq.serialize_element(&CardJson {
                guid: &c.guid,
                question: &c.question,
                answer: c.answer_text(),
                tags: &c.tags,
                deck: c.deck_path(&deck.name),
                line: c.line_number(),
            })?;
        }
        seq.end()
    }
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
            cards: Cards(deck),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_deck::tricky_deck;

    fn emit(deck: &Deck) -> String {
        let mut out = Vec::new();
        Json.emit(deck, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn follows_the_documented_contract() {
        let deck = tricky_deck();
        let doc: serde_json::Value = serde_json::from_str(&emit(&deck)).unwrap();
        assert_eq!(doc["deck"], deck.name.as_str());
        let cards = doc["cards"].as_array().unwrap();
        assert_eq!(cards.len(), deck.cards.len());
        for (json, card) in cards.iter().zip(&deck.cards) {
            let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["answer", "deck", "guid", "line", "question", "tags"]);
            assert_eq!(json["question"], &*card.question);
            assert_eq!(json["answer"], card.answer_text().as_str());
            assert_eq!(json["guid"], &*card.guid);
            assert_eq!(json["line"], card.line);
            assert_eq!(json["deck"], card.deck_path(&deck.name).as_str());
            assert_eq!(json["tags"], serde_json::json!(card.tags));
        }
    }

    #[test]
    fn snapshot_tricky_fields() {
        insta::assert_snapshot!(emit(&tricky_deck()));
    }
}
