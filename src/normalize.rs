//! Normalization: a pure `Deck -> Deck` pass run after the lints.
//!
//! Unicode NFC, whitespace trimmed and collapsed, quotes in the chosen style.
//! Spans are left alone: they point at what the user wrote.
//!
//! One exemption: the leading whitespace of an answer line is kept. Parsers
//! trim answer lines and give indentation back only where it carries
//! meaning — code (the `code-indentation` rule in `parse/indent.rs`, and
//! markdown fenced blocks) — so what is left is meant.

use unicode_normalization::UnicodeNormalization;

use crate::model::Deck;

/// How quotes are written in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum QuoteStyle {
    /// As written.
    #[default]
    Keep,
    /// `'` and `"`.
    Straight,
    /// `‘’` and `“”`.
    Curly,
}

/// Normalizes every text field of the deck.
pub fn normalize(mut deck: Deck, quotes: QuoteStyle) -> Deck {
    deck.name = text(&deck.name, quotes);
    for card in &mut deck.cards {
        card.question = text(&card.question, quotes);
        for line in &mut card.answer {
            line.text = indented(&line.text, quotes);
        }
        for tag in &mut card.tags {
            *tag = text(tag, QuoteStyle::Keep);
        }
    }
    deck
}

/// NFC, whitespace collapsed to single spaces (newlines inside a field are
/// kept as line breaks), and quotes restyled.
pub fn text(s: &str, quotes: QuoteStyle) -> String {
    let nfc: String = s.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    for (i, line) in nfc.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut first = true;
        for word in line.split_whitespace() {
            if !first {
                out.push(' ');
            }
            first = false;
            out.push_str(word);
        }
    }
    match quotes {
        QuoteStyle::Keep => out,
        QuoteStyle::Straight => out
            .chars()
            .map(|c| match c {
                '‘' | '’' => '\'',
                '“' | '”' => '"',
                c => c,
            })
            .collect(),
        QuoteStyle::Curly => curly(&out),
    }
}

/// Like [`text`], but the leading whitespace (code indentation) is kept
/// as written.
fn indented(s: &str, quotes: QuoteStyle) -> String {
    let body = s.trim_start();
    let indent = s.get(..s.len() - body.len()).unwrap_or("");
    let body = text(body, quotes);
    if body.is_empty() {
        return body;
    }
    format!("{indent}{body}")
}

/// Straight quotes to curly ones: an opening quote follows start of text,
/// whitespace or an opening bracket; everything else closes (apostrophes
/// included).
fn curly(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let opening = prev.is_none_or(|p| p.is_whitespace() || "([{“‘".contains(p));
        out.push(match (c, opening) {
            ('\'', true) => '‘',
            ('\'', false) => '’',
            ('"', true) => '“',
            ('"', false) => '”',
            (c, _) => c,
        });
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_whitespace_and_composes() {
        assert_eq!(text("  a \t b  ", QuoteStyle::Keep), "a b");
        assert_eq!(text("e\u{301}", QuoteStyle::Keep), "é");
    }

    #[test]
    fn answer_lines_keep_their_indentation() {
        assert_eq!(indented("    return  a ", QuoteStyle::Keep), "    return a");
        assert_eq!(indented("\tx", QuoteStyle::Keep), "\tx");
        assert_eq!(indented("   ", QuoteStyle::Keep), "");
    }

    #[test]
    fn restyles_quotes() {
        assert_eq!(text("‘x’ “y”", QuoteStyle::Straight), "'x' \"y\"");
        assert_eq!(text("'x' \"y\" don't", QuoteStyle::Curly), "‘x’ “y” don’t");
    }
}
