//! CSV: RFC 4180 with a header row `question,answer,tags,guid`.
//!
//! Answers keep their line breaks (quoted, as RFC 4180 allows); tags are
//! space-separated, as Anki and most spreadsheets expect.

use std::io::Write;

use super::Emitter;
use crate::error::Result;
use crate::model::Deck;

pub struct Csv;

impl Emitter for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }

    fn emit(&self, deck: &Deck, out: &mut dyn Write) -> Result<()> {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(["question", "answer", "tags", "guid"])?;
        for card in &deck.cards {
            let tags = card.tags.join(" ");
            w.write_record([
                card.question.as_str(),
                card.answer_text().as_str(),
                tags.as_str(),
                card.guid.as_str(),
            ])?;
        }
        w.flush()?;
        Ok(())
    }
}
