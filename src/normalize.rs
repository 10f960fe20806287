//! Normalization: a pure `Deck -> Deck` pass run after the lints.
//!
//! Unicode NFC, whitespace trimmed and collapsed, quotes in the chosen style.
//! Spans are left alone: they point at what the user wrote.
//!
//! One exemption: the leading whitespace of an answer line is kept. Parsers
//! trim answer lines and give indentation back only where it carries
//! meaning — code (the `code-indentation` rule in `parse/indent.rs`, and
//! markdown fenced blocks) — so what is left is meant.

use crate::text::Text;
use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::model::{AnswerLine, Card, Deck};

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
/// In place: each string is replaced as soon as its normal form is made,
/// so the deck is never held twice.
/// A string already in normal form is kept as it is (most are: a million
/// cards hold millions of strings, and replacing each by a copy of itself
/// costs as much as the rest of normalizing).
/// Cards are independent of each other, so they are normalized on up to
/// `threads` threads: this runs after the lints, when every core is free.
pub fn normalize(mut deck: Deck, quotes: QuoteStyle, threads: usize) -> Deck {
    text_in_place(&mut deck.name, quotes);
    crate::par::chunks_mut(&mut deck.cards, threads, |cards| {
        for card in cards {
            card_in_place(card, quotes);
        }
    });
    deck
}

/// One card's text fields, normalized in place.
fn card_in_place(card: &mut Card, quotes: QuoteStyle) {
    if !is_normal(&card.question, quotes) {
        card.question = text(&card.question, quotes).into();
    }
    for line in &mut card.answer {
        indented_in_place(&mut line.text, quotes);
    }
    for tag in &mut card.tags {
        text_in_place(tag, QuoteStyle::Keep);
    }
}

/// True when [`text`] would return `s` unchanged.
fn is_normal(s: &str, quotes: QuoteStyle) -> bool {
    if s.is_ascii() {
        return is_collapsed_ascii(s.as_bytes())
            && (quotes != QuoteStyle::Curly
                || memchr::memchr2(b'\'', b'"', s.as_bytes()).is_none());
    }
    is_nfc_quick(s.chars()) == IsNormalized::Yes
        && is_collapsed(s)
        && match quotes {
            QuoteStyle::Keep => true,
            QuoteStyle::Straight => !s.contains(['‘', '’', '“', '”']),
            QuoteStyle::Curly => !s.contains(['\'', '"']),
        }
}

/// [`text`], replacing `s` only when it changes.
fn text_in_place(s: &mut String, quotes: QuoteStyle) {
    if !is_normal(s, quotes) {
        *s = text(s, quotes);
    }
}

/// [`indented`], replacing `s` only when it changes.
fn indented_in_place(s: &mut Text, quotes: QuoteStyle) {
    if let Some(changed) = indented_if_changed(s, quotes) {
        *s = changed;
    }
}

/// [`indented`] of `s`, or `None` when that is `s` itself.
fn indented_if_changed(s: &str, quotes: QuoteStyle) -> Option<Text> {
    let body = s.trim_start();
    if body.is_empty() {
        (!s.is_empty()).then(Text::default)
    } else if !is_normal(body, quotes) {
        Some(indented(s, quotes).into())
    } else {
        None
    }
}

/// [`indented`] of `s`, sharing `s` when normalizing changes nothing.
fn indented_shared(s: &Text, quotes: QuoteStyle) -> Text {
    indented_if_changed(s, quotes).unwrap_or_else(|| s.clone())
}

/// The normalized copy of `deck`, built straight from the parsed one (every
/// text is rewritten anyway, so cloning the deck first would copy each
/// string twice). The line roles are left empty: they describe the source,
/// and whoever needs them has the parsed deck.
pub fn normalized(deck: &Deck, quotes: QuoteStyle) -> Deck {
    let cards = deck
        .cards
        .iter()
        .map(|card| Card {
            question: if is_normal(&card.question, quotes) {
                card.question.clone()
            } else {
                text(&card.question, quotes).into()
            },
            question_span: card.question_span,
            line: card.line,
            answer: card
                .answer
                .iter()
                .map(|line| AnswerLine {
                    text: indented_shared(&line.text, quotes),
                    span: line.span,
                })
                .collect(),
            tags: card
                .tags
                .iter()
                .map(|tag| text(tag, QuoteStyle::Keep))
                .collect(),
            section: card.section,
            subdeck: card.subdeck.clone(),
            id: card.id.clone(),
            guid: card.guid.clone(),
            mtime: card.mtime,
            reversed: card.reversed,
        })
        .collect();
    Deck {
        name: text(&deck.name, quotes),
        name_span: deck.name_span,
        cards,
        sections: deck.sections.clone(),
        lines: crate::model::Lines::default(),
    }
}

/// NFC, whitespace collapsed to single spaces (newlines inside a field are
/// kept as line breaks), and quotes restyled.
///
/// Most text is already normal (ASCII, single spaces, nothing to restyle):
/// each step first checks whether it would change anything, so such text is
/// copied once and never decomposed.
pub fn text(s: &str, quotes: QuoteStyle) -> String {
    let nfc: Cow<'_, str> = if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    };
    let out = if is_collapsed(&nfc) {
        nfc.into_owned()
    } else {
        collapse(&nfc)
    };
    match quotes {
        QuoteStyle::Keep => out,
        QuoteStyle::Straight if !out.contains(['‘', '’', '“', '”']) => out,
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

/// True when [`collapse`] would return `s` unchanged: no line starts or
/// ends with whitespace, and words are separated by single spaces.
fn is_collapsed(s: &str) -> bool {
    // Bytes of multi-byte characters are never `' '` or `'\n'`, so the
    // ASCII test holds for the rest; what it cannot see is whitespace
    // outside ASCII, which is never collapsed.
    is_collapsed_ascii(s.as_bytes()) && (s.is_ascii() || !has_unicode_space(s.as_bytes()))
}

/// Whether UTF-8 `s` holds a character outside ASCII that
/// `char::is_whitespace` accepts: U+0085, U+00A0, U+1680, U+2000–U+200A,
/// U+2028, U+2029, U+202F, U+205F and U+3000.
fn has_unicode_space(s: &[u8]) -> bool {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let lead = |i: usize| match s[i] {
        0xC2 => matches!(at(i + 1), 0x85 | 0xA0),
        0xE1 => at(i + 1) == 0x9A && at(i + 2) == 0x80,
        0xE2 => match at(i + 1) {
            0x80 => matches!(at(i + 2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
            0x81 => at(i + 2) == 0x9F,
            _ => false,
        },
        _ => at(i + 1) == 0x80 && at(i + 2) == 0x80, // 0xE3
    };
    memchr::memchr3_iter(0xC2, 0xE2, 0xE3, s).any(lead) || memchr::memchr_iter(0xE1, s).any(lead)
}

/// [`is_collapsed`] over bytes, as ASCII: no tab, carriage return,
/// vertical tab or form feed; no space at the start or end, before a space
/// or a newline, or after a newline. Every pair of bytes is looked at
/// without branching (a byte-by-byte state machine mispredicted at every
/// word and was the largest part of normalizing).
pub(crate) fn is_collapsed_ascii(s: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (s.first(), s.last()) else {
        return true;
    };
    let other_space = |b: u8| matches!(b, b'\t' | b'\r' | 0x0B | 0x0C);
    let mut bad = first == b' ' || last == b' ' || other_space(first);
    for (&a, &b) in s.iter().zip(&s[1..]) {
        bad |= (a == b' ') & ((b == b' ') | (b == b'\n'))
            | (a == b'\n') & (b == b' ')
            | other_space(b);
    }
    !bad
}

/// Whitespace collapsed to single spaces, each line trimmed.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
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
    out
}

/// Like [`text`], but the leading whitespace (code indentation) is kept
/// as written.
fn indented(s: &str, quotes: QuoteStyle) -> String {
    let body = s.trim_start();
    let indent = s.get(..s.len() - body.len()).unwrap_or("");
    let body = text(body, quotes);
    if body.is_empty() || indent.is_empty() {
        return body;
    }
    let mut out = String::with_capacity(indent.len() + body.len());
    out.push_str(indent);
    out.push_str(&body);
    out
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
    fn fast_paths_agree_with_the_full_pass() {
        for s in [
            "a b",
            " a",
            "a ",
            "a  b",
            "a\tb",
            "a\n b",
            "a \nb",
            "a\n\nb",
            "",
            " ",
            "\n",
            "a\u{a0}b",
            "caf\u{e9}",
            "cafe\u{301}",
            "x\r\ny",
            "‘q’ “r”",
        ] {
            assert_eq!(is_collapsed(s), collapse(s) == s, "{s:?}");
            let slow: String = collapse(&s.nfc().collect::<String>());
            assert_eq!(text(s, QuoteStyle::Keep), slow, "{s:?}");
        }
    }

    #[test]
    fn normalizing_on_several_threads_changes_nothing() {
        let card = |i: usize| Card {
            question: format!("  ‘Why’  {i}?").into(),
            answer: vec![AnswerLine::new(
                format!("- a\u{301}  b {i} "),
                crate::source::Span::default(),
            )],
            tags: vec![format!(" t{}  x ", i % 7)],
            ..Card::default()
        };
        let deck = Deck {
            cards: (0..10_000).map(card).collect(),
            ..Deck::default()
        };
        let one = normalize(deck.clone(), QuoteStyle::Curly, 1);
        let three = normalize(deck, QuoteStyle::Curly, 3);
        assert_eq!(one.cards, three.cards);
        assert_eq!(&*one.cards[9_999].question, "‘Why’ 9999?");
    }

    #[test]
    fn normalized_copy_matches_normalizing_in_place() {
        let src = crate::SourceFile::new(
            "t.txt",
            "Deck Flashcards\n\n‘Why’  now?\n  -  a\u{301}  b \n",
        );
        let (_, deck, _) = crate::parse_source(&src, &crate::Options::default());
        let a = normalize(deck.clone(), QuoteStyle::Curly, 2);
        let b = normalized(&deck, QuoteStyle::Curly);
        assert_eq!(a.cards, b.cards);
        assert_eq!(a.name, b.name);
        assert_eq!(a.lines, deck.lines);
    }

    /// The character-by-character definition [`is_collapsed`] replaced.
    fn is_collapsed_by_chars(s: &str) -> bool {
        let (mut line_start, mut after_space) = (true, false);
        for c in s.chars() {
            if c == '\n' {
                if after_space {
                    return false;
                }
                line_start = true;
            } else if c.is_whitespace() {
                if c != ' ' || line_start || after_space {
                    return false;
                }
                after_space = true;
            } else {
                line_start = false;
                after_space = false;
            }
        }
        !after_space
    }

    #[test]
    fn unicode_spaces_are_the_ones_char_knows() {
        for c in '\u{80}'..=char::MAX {
            let mut buf = [0; 4];
            let s = c.encode_utf8(&mut buf);
            assert_eq!(has_unicode_space(s.as_bytes()), c.is_whitespace(), "{c:?}");
            let padded = format!("a{s}b");
            assert_eq!(
                is_collapsed(&padded),
                is_collapsed_by_chars(&padded),
                "{c:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn bytes_agree_with_chars(
            s in "([a-z•–é]{0,3}|[ \t\n\r\u{b}\u{c}\u{1c}\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{e000}\u{e280}]){0,12}"
        ) {
            proptest::prop_assert_eq!(is_collapsed(&s), is_collapsed_by_chars(&s));
        }

        #[test]
        fn any_text_agrees_with_chars(s in "\\PC{0,40}") {
            proptest::prop_assert_eq!(is_collapsed(&s), is_collapsed_by_chars(&s));
        }

        #[test]
        fn collapsed_means_collapse_changes_nothing(
            s in "([a-z]{0,3}|[ \t\n\r\u{b}\u{c}\u{a0}\u{2003}]){0,12}"
        ) {
            proptest::prop_assert_eq!(is_collapsed(&s), collapse(&s) == s);
        }

        #[test]
        fn in_place_agrees_with_the_copy(
            s in "([a-z]{0,3}|[ \t\n\u{a0}]|e\u{301}|\u{e9}|['\"‘’“”]){0,12}"
        ) {
            for quotes in [QuoteStyle::Keep, QuoteStyle::Straight, QuoteStyle::Curly] {
                let mut t = s.clone();
                text_in_place(&mut t, quotes);
                proptest::prop_assert_eq!(&t, &text(&s, quotes));
                let want = indented(&s, quotes);
                let mut i: Text = s.as_str().into();
                indented_in_place(&mut i, quotes);
                proptest::prop_assert_eq!(&*i, want.as_str());
                // The shared copy is the same text, and the same
                // allocation when nothing changed.
                let before: Text = s.as_str().into();
                let shared = indented_shared(&before, quotes);
                proptest::prop_assert_eq!(&*shared, want.as_str());
                proptest::prop_assert_eq!(Text::same(&shared, &before), *before == *shared);
            }
        }
    }

    #[test]
    fn restyles_quotes() {
        assert_eq!(text("‘x’ “y”", QuoteStyle::Straight), "'x' \"y\"");
        assert_eq!(text("'x' \"y\" don't", QuoteStyle::Curly), "‘x’ “y” don’t");
    }
}
