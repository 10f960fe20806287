//! The `canonical` syntax: the explicit, line-oriented format `deckc fmt`
//! writes, and its parser. The format is specified in `docs/syntax.md`:
//!
//! ```text
//! %deckc 1
//! deck: Sino-Soviet Relations
//!
//! Q: Define Sino-Soviet relations
//! A: describes the turbulent relationship…
//! A: > Some Chinese resentment…
//!
//! section: Context
//! Q: When was the Treaty of Friendship signed and what did it state?
//! A: 1950
//! tag: extra-tag
//! id: my-pinned-id
//! ```
//!
//! Every line is `key: value`. A value is written bare when it reads back
//! unchanged (non-empty, no surrounding whitespace, no control characters,
//! not starting with `"`); otherwise it is a double-quoted string with `\"`,
//! `\\`, `\n`, `\r`, `\t` and `\u{HEX}` escapes. So any text round-trips, and
//! `format(parse(format(d))) == format(d)`.

use crate::diagnostic::{Diagnostic, Level};
use crate::model::{Deck, Role};
use crate::source::{SourceFile, Span};

use super::{tag_from_label, trimmed, DeckBuilder};

/// The header every canonical file starts with.
pub const HEADER: &str = "%deckc 1";

pub fn parse(src: &SourceFile) -> (Deck, Vec<Diagnostic>) {
    let mut b = DeckBuilder::new(src);
    let mut seen_header = false;
    for line in src.lines() {
        if line.is_blank() {
            continue;
        }
        let (text, span) = trimmed(&line);
        if !seen_header {
            seen_header = true;
            if text == HEADER {
                b.directive(line.number, "canonical-header");
                continue;
            }
            b.report(
                syntax_error(span, "canonical file without its `%deckc 1` header")
                    .with_help("make `%deckc 1` the first line (`deckc fmt` writes it)"),
            );
        }
        if text.starts_with('#') {
            b.directive(line.number, "canonical-comment");
            continue;
        }
        let Some((key, raw)) = text.split_once(':') else {
            let d = syntax_error(span, "line is not `key: value`")
                .with_help("start the line with `Q:`, `A:`, `tag:`, `id:`, `section:` or `deck:`");
            b.diagnosed(line.number, "canonical-not-key-value", d);
            continue;
        };
        let value_start = key.len() + 1 + (raw.len() - raw.trim_start().len());
        let raw = raw.trim();
        let value_span = span.sub(value_start, value_start + raw.len());
        let value = match unquote(raw) {
            Ok(v) => v,
            Err(why) => {
                let d = syntax_error(value_span, format!("bad quoted value: {why}"))
                    .with_help("write `\"` as `\\\"` and `\\` as `\\\\` inside quotes");
                b.diagnosed(line.number, "canonical-bad-quoting", d);
                continue;
            }
        };
        let card = b.current_card();
        match (key, card) {
            ("deck", _) => b.title(line.number, value, value_span, "canonical-deck"),
            ("section", _) if raw.is_empty() => {
                b.end_section();
                b.directive(line.number, "canonical-end-section");
            }
            ("section", _) => b.section(line.number, value, value_span, "canonical-section"),
            ("Q", _) => {
                b.question(line.number, value, value_span, "canonical-question");
            }
            ("A", Some(_)) => {
                b.answer(line.number, value, value_span, "canonical-answer");
            }
            ("tag", Some(i)) => {
                let tags = &mut b.card_mut(i).tags;
                if !tags.contains(&value) {
                    tags.push(value);
                }
                b.mark(line.number, Role::Answer(i), "canonical-tag");
            }
            ("id", Some(i)) => {
                b.card_mut(i).id = Some(value.into());
                b.mark(line.number, Role::Answer(i), "canonical-id");
            }
            ("subdeck", Some(i)) => {
                b.card_mut(i).subdeck = Some(value.into());
                b.mark(line.number, Role::Answer(i), "canonical-subdeck");
            }
            ("A" | "tag" | "id" | "subdeck", None) => {
                let d = syntax_error(span, format!("`{key}:` before the first `Q:`"))
                    .with_help("put it after the `Q:` line of the card it belongs to");
                b.diagnosed(line.number, "canonical-before-first-question", d);
            }
            _ => {
                let d = syntax_error(span, format!("unknown key `{key}`"))
                    .with_help("keys are `deck`, `section`, `Q`, `A`, `tag`, `id` and `subdeck`");
                b.diagnosed(line.number, "canonical-unknown-key", d);
            }
        }
    }
    b.finish()
}

fn syntax_error(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new("syntax-error", Level::Warning, span, message)
}

/// Writes `deck` in the canonical syntax.
pub fn format(deck: &Deck) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push('\n');
    if !deck.name.is_empty() {
        push_line(&mut out, "deck", &deck.name);
    }
    // Sections are written in their original order, empty ones included, so
    // the parsed deck gets the same section list and indices back.
    let mut next_section = 0;
    let mut current: Option<usize> = None;
    for card in &deck.cards {
        out.push('\n');
        match card.section_index() {
            Some(s) if current != Some(s) => {
                let from = if s >= next_section { next_section } else { s };
                for section in deck.sections.get(from..=s).unwrap_or_default() {
                    push_line(&mut out, "section", &section.name);
                }
                next_section = next_section.max(s + 1);
                current = Some(s);
            }
            None if current.is_some() => {
                out.push_str("section:\n");
                current = None;
            }
            _ => {}
        }
        push_line(&mut out, "Q", &card.question);
        for line in &card.answer {
            push_line(&mut out, "A", &line.text);
        }
        // The section's tag comes back from the `section:` line.
        let section_tag = card
            .section_index()
            .and_then(|s| deck.sections.get(s))
            .map(|s| tag_from_label(&s.name))
            .filter(|t| !t.is_empty());
        let skip = usize::from(section_tag.is_some() && card.tags.first() == section_tag.as_ref());
        for tag in card.tags.iter().skip(skip) {
            push_line(&mut out, "tag", tag);
        }
        if let Some(id) = &card.id {
            push_line(&mut out, "id", id);
        }
        if let Some(subdeck) = &card.subdeck {
            push_line(&mut out, "subdeck", subdeck);
        }
    }
    let rest = deck.sections.get(next_section..).unwrap_or_default();
    if !rest.is_empty() {
        out.push('\n');
    }
    for section in rest {
        push_line(&mut out, "section", &section.name);
    }
    out
}

fn push_line(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(": ");
    if is_bare(value) {
        out.push_str(value);
    } else {
        quote(out, value);
    }
    out.push('\n');
}

/// Whether `value` reads back unchanged when written without quotes.
fn is_bare(value: &str) -> bool {
    !value.is_empty()
        && value.trim() == value
        && !value.starts_with('"')
        && !value.chars().any(char::is_control)
}

fn quote(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Reads a value as written: bare text as is, a quoted string unescaped.
fn unquote(raw: &str) -> Result<String, String> {
    let Some(body) = raw.strip_prefix('"') else {
        return Ok(raw.to_string());
    };
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let after = body.get(i + 1..).unwrap_or("");
                return if after.trim().is_empty() {
                    Ok(out)
                } else {
                    Err(format!("text `{after}` after the closing quote"))
                };
            }
            '\\' => match chars.next().map(|(_, e)| e) {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('u') => out.push(unicode_escape(&mut chars)?),
                Some(e) => return Err(format!("unknown escape `\\{e}`")),
                None => return Err("a lone `\\` at the end".into()),
            },
            c => out.push(c),
        }
    }
    Err("the closing `\"` is missing".into())
}

/// The rest of a `\u{HEX}` escape, after the `u`.
fn unicode_escape(chars: &mut std::str::CharIndices<'_>) -> Result<char, String> {
    if chars.next().map(|(_, c)| c) != Some('{') {
        return Err("`\\u` must be followed by `{HEX}`".into());
    }
    let mut hex = String::new();
    for (_, c) in chars.by_ref() {
        if c == '}' {
            return u32::from_str_radix(&hex, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("`\\u{{{hex}}}` is not a character"));
        }
        hex.push(c);
    }
    Err("unterminated `\\u{…}` escape".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Card;
    use proptest::prelude::*;

    /// What the property compares: everything a card carries from source.
    type CardKey = (
        String,
        Vec<String>,
        Vec<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );

    fn key(deck: &Deck, card: &Card) -> CardKey {
        let section = card
            .section_index()
            .and_then(|s| deck.sections.get(s))
            .map(|s| s.name.clone());
        let answer = card.answer.iter().map(|l| l.text.to_string()).collect();
        let (tags, id, sub) = (card.tags.clone(), card.id.clone(), card.subdeck.clone());
        (
            card.question.to_string(),
            answer,
            tags,
            section,
            id.map(String::from),
            sub.map(String::from),
        )
    }

    fn reparse(text: &str) -> (Deck, Vec<Diagnostic>) {
        parse(&SourceFile::new("f.deck", text))
    }

    #[derive(Debug, Clone)]
    enum Item {
        Section(String),
        EndSection,
        Card(
            String,
            Vec<String>,
            Vec<String>,
            Option<String>,
            Option<String>,
        ),
    }

    /// Text that stresses the escaping: keywords, markers, quotes, spaces.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ \t]{0,2}(Q:|A:|tag:|%deckc 1|#|\"|\\\\|> |- |• |:|%)?[a-zé :\"\\\\]{0,8}[ \t\r\n]{0,2}",
        ]
    }

    fn item() -> impl Strategy<Value = Item> {
        prop_oneof![
            1 => text().prop_map(Item::Section),
            1 => Just(Item::EndSection),
            4 => (
                text(),
                prop::collection::vec(text(), 0..4),
                prop::collection::vec(text(), 0..3),
                prop::option::of(text()),
                prop::option::of(text()),
            )
                .prop_map(|(q, a, t, id, sub)| Item::Card(q, a, t, id, sub)),
        ]
    }

    /// Builds a deck the way parsers do, through the [`DeckBuilder`].
    fn build(name: String, items: Vec<Item>) -> Deck {
        let src = SourceFile::new("g", "");
        let mut b = DeckBuilder::new(&src);
        for item in items {
            match item {
                Item::Section(s) => b.section(1, s, Span::default(), "g"),
                Item::EndSection => b.end_section(),
                Item::Card(q, answers, tags, id, sub) => {
                    let i = b.question(1, q, Span::default(), "g");
                    for a in answers {
                        b.answer(1, a, Span::default(), "g");
                    }
                    for t in tags {
                        b.tag(i, t);
                    }
                    b.card_mut(i).id = id.map(Box::from);
                    b.card_mut(i).subdeck = sub.map(Box::from);
                }
            }
        }
        let (mut deck, _) = b.finish();
        deck.name = name;
        deck
    }

    proptest! {
        #[test]
        fn format_round_trips_and_is_a_fixed_point(
            name in text(),
            items in prop::collection::vec(item(), 0..8),
        ) {
            let deck = build(name, items);
            let written = format(&deck);
            let (back, diags) = reparse(&written);
            prop_assert!(diags.is_empty(), "{diags:?}\n{written}");
            prop_assert_eq!(&back.name, &deck.name);
            let names = |d: &Deck| d.sections.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
            prop_assert_eq!(names(&back), names(&deck));
            let keys = |d: &Deck| d.cards.iter().map(|c| key(d, c)).collect::<Vec<_>>();
            prop_assert_eq!(keys(&back), keys(&deck));
            prop_assert_eq!(format(&back), written);
        }

        #[test]
        fn parse_never_panics_and_marks_every_line(text in any::<String>()) {
            let src = SourceFile::new("f", text.as_str());
            let (deck, _) = parse(&src);
            for line in src.lines().filter(|l| !l.is_blank()) {
                prop_assert_ne!(deck.lines.get(line.number - 1).unwrap().role, Role::Blank);
            }
        }
    }

    #[test]
    fn writes_the_documented_shape() {
        let src = SourceFile::new("n", "Q: one\nA: > x\nA:\n(Ctx)\nQ: \"two\"\nA:   padded");
        let (deck, _) = super::super::qa::parse(&src);
        let mut deck = deck;
        deck.name = "Deck".into();
        deck.cards[1].id = Some("pin".into());
        deck.cards[1].tags.push("extra".into());
        let out = format(&deck);
        assert_eq!(
            out,
            "%deckc 1\ndeck: Deck\n\nQ: one\nA: > x\n\nsection: Ctx\nQ: \"\\\"two\\\"\"\nA: padded\ntag: extra\nid: pin\n"
        );
    }

    #[test]
    fn quoting_errors_are_syntax_errors() {
        let (deck, diags) =
            reparse("%deckc 1\nQ: \"open\nA: \"a\" b\nA: \"\\q\"\nwhat\nA: \"\\u{41}\"\n");
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["syntax-error"; 5], "the last `A:` has no card");
        assert_eq!(deck.cards.len(), 0);
        let (deck, diags) = reparse("Q: x\nA: \"\\u{41}\\t\"\n");
        assert_eq!(diags.len(), 1, "missing header");
        assert_eq!(deck.cards[0].answer_text(), "A\t");
    }
}
