//! CSV: RFC 4180 (CRLF line ends, fields quoted only when needed, inner
//! quotes doubled) with a header row `question,answer,tags,guid`.
//!
//! Fields are plain text as written (no HTML); answers keep their line
//! breaks inside quotes, as RFC 4180 allows; tags are separated by spaces
//! (a space inside a tag becomes `_`), as Anki and most spreadsheets expect.

use std::io::Write;

use super::{anki_text, Emitter};
use crate::error::Result;
use crate::model::Deck;

/// The header row.
pub const HEADER: [&str; 4] = ["question", "answer", "tags", "guid"];

pub struct Csv;

impl Emitter for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }

    fn emit(&self, deck: &Deck, out: &mut dyn Write) -> Result<()> {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(HEADER)?;
        for card in &deck.cards {
            w.write_record([
                &*card.question,
                card.answer_text().as_str(),
                anki_text::tags(&card.tags).as_str(),
                &card.guid,
            ])?;
        }
        w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_deck::tricky_deck;

    fn emit(deck: &Deck) -> String {
        let mut out = Vec::new();
        Csv.emit(deck, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn round_trips_through_a_csv_reader() {
        let deck = tricky_deck();
        let text = emit(&deck);
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap(),
            &::csv::StringRecord::from(HEADER.to_vec())
        );
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), deck.cards.len());
        for (row, card) in rows.iter().zip(&deck.cards) {
            assert_eq!(&row[0], &*card.question);
            assert_eq!(&row[1], card.answer_text());
            assert_eq!(&row[2], anki_text::tags(&card.tags));
            assert_eq!(&row[3], &*card.guid);
        }
    }

    #[test]
    fn records_end_in_crlf() {
        let text = emit(&tricky_deck());
        assert!(text.starts_with("question,answer,tags,guid\r\n"));
        assert!(text.ends_with("\r\n"));
    }

    #[test]
    fn snapshot_tricky_fields() {
        insta::assert_snapshot!(emit(&tricky_deck()));
    }
}
