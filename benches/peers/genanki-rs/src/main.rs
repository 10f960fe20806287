//! Peer benchmark: genanki-rs (the crate, used as its README shows) writes
//! the benchmark's blocks corpus to an `.apkg`. Reads the corpus with the
//! floor program's reader, so every program gets the same cards.
//!
//! ```text
//! deckc-bench-genanki-rs INPUT OUT.apkg
//! ```

use std::time::Instant;

use genanki_rs::{basic_model, Deck, Note};

#[path = "../../../floor/src/blocks.rs"]
mod blocks;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A fixed deck id: the deck is the same on every run.
const DECK_ID: i64 = 1_700_000_000_002;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out] = args.as_slice() else {
        return Err("usage: deckc-bench-genanki-rs INPUT OUT.apkg".into());
    };
    let start = Instant::now();
    let text = std::fs::read_to_string(input)?;
    let (title, cards) = blocks::split(&text);
    let model = basic_model();
    let mut deck = Deck::new(DECK_ID, title, "");
    for card in &cards {
        let (front, back) = blocks::fields(card);
        let note = Note::new(model.clone(), vec![&front, &back])?;
        deck.add_note(match card.tag {
            Some(tag) => note.tags([tag]),
            None => note,
        });
    }
    let built = start.elapsed();
    deck.write_to_file(out)?;
    eprintln!(
        "timing {:<20} {:>10.3} ms",
        "notes",
        built.as_secs_f64() * 1e3
    );
    eprintln!(
        "timing {:<20} {:>10.3} ms",
        "total",
        start.elapsed().as_secs_f64() * 1e3
    );
    eprintln!("genanki-rs: {} cards", cards.len());
    Ok(())
}
