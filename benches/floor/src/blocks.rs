//! The blocks corpus, read the simplest way that is still correct for what
//! `benches/gen_corpus.py` writes. Shared by the floor program and the
//! genanki-rs peer (through `#[path]`), so both read exactly the same cards.

/// One card of the corpus.
pub struct Card<'a> {
    pub question: &'a str,
    pub answer: Vec<&'a str>,
    pub tag: Option<&'a str>,
}

/// Blocks syntax, minimally: blank-line separated blocks, leading
/// `(Label)` lines tag the cards after them, a one-line first block is the
/// title (`X Flashcards` names the deck `X`, as in deckc).
pub fn split(text: &str) -> (&str, Vec<Card<'_>>) {
    let mut title = "Deck";
    let mut cards = Vec::new();
    let mut tag = None;
    let mut first = true;
    for block in text.split("\n\n") {
        let mut lines = block.lines().map(str::trim).filter(|l| !l.is_empty());
        let mut question = None;
        for line in lines.by_ref() {
            match line.strip_prefix('(').and_then(|l| l.strip_suffix(')')) {
                Some(label) => tag = Some(label),
                None => {
                    question = Some(line);
                    break;
                }
            }
        }
        let Some(question) = question else { continue };
        let answer: Vec<&str> = lines.collect();
        if first && answer.is_empty() {
            title = question.strip_suffix(" Flashcards").unwrap_or(question);
        } else {
            cards.push(Card {
                question,
                answer,
                tag,
            });
        }
        first = false;
    }
    (title, cards)
}

/// HTML-escapes `text` onto `out`, as every writer must for plain-text notes.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// The card's two fields as HTML: escaped question, escaped answer lines
/// joined with `<br>`.
#[allow(
    dead_code,
    reason = "the genanki-rs peer uses it; the floor reuses buffers instead"
)]
pub fn fields(card: &Card<'_>) -> (String, String) {
    let mut front = String::new();
    escape_into(&mut front, card.question);
    let mut back = String::new();
    for (j, line) in card.answer.iter().enumerate() {
        if j > 0 {
            back.push_str("<br>");
        }
        escape_into(&mut back, line);
    }
    (front, back)
}
