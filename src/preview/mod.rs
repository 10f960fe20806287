//! `deckc preview`: the deck as one self-contained HTML page, each card's
//! front and back rendered with the package's own templates, CSS and field
//! HTML ([`crate::emit::card_style`]), with every finding attached to the
//! card it is about.
//!
//! This file decides *what* the page shows (which card a finding belongs
//! to, the summary counts); [`page`] writes the markup, and `style.css` and
//! `script.js` are inlined into it so the page needs no network.

mod page;

use std::collections::BTreeMap;

use crate::diagnostic::{Counts, Diagnostic, Level};
use crate::model::{Deck, Role};
use crate::source::{SourceFile, Span};
use crate::Compiled;

/// One card as the page shows it.
#[derive(Debug, Clone, PartialEq)]
struct CardView {
    /// 1-based position in the deck; the element id is `card-{number}`.
    number: usize,
    /// Source line of the question.
    line: usize,
    /// The rendered question side (front template filled in).
    question_side: String,
    /// The rendered answer side (back template filled in).
    answer_side: String,
    section: Option<String>,
    tags: Vec<String>,
    /// Full deck path when the card is in a subdeck.
    subdeck: Option<String>,
    /// Indices into the diagnostics of the findings about this card.
    findings: Vec<usize>,
}

/// Everything the page needs, computed before any markup is written.
#[derive(Debug, Clone)]
struct View<'a> {
    source: &'a SourceFile,
    deck_name: &'a str,
    diagnostics: &'a [Diagnostic],
    parsed: &'a Deck,
    cards: Vec<CardView>,
    /// Findings that belong to no card (title, section markers, orphan lines).
    loose: Vec<usize>,
    counts: Counts,
    /// Per rule code: its level and how many findings it made.
    rules: BTreeMap<&'static str, (Level, usize)>,
}

/// Renders the preview page of a compiled source. `source_is_html` is the
/// `--html` flag, as for `deckc build`: it decides escaping exactly as in
/// the package.
pub fn render(source: &SourceFile, compiled: &Compiled, source_is_html: bool) -> String {
    page::write(&view(source, compiled, source_is_html))
}

fn view<'a>(source: &'a SourceFile, compiled: &'a Compiled, source_is_html: bool) -> View<'a> {
    use crate::emit::card_style;
    let deck = &compiled.deck;
    let mut cards: Vec<CardView> = deck
        .cards
        .iter()
        .enumerate()
        .map(|(i, card)| {
            let front = card_style::front_field(card, source_is_html);
            let back = card_style::back_field(card, source_is_html);
            let (question_side, answer_side) = card_style::render_sides(&front, &back);
            let section = card
                .section_index()
                .and_then(|s| compiled.parsed.sections.get(s))
                .map(|s| s.name.clone());
            CardView {
                number: i + 1,
                line: card.line_number(),
                question_side,
                answer_side,
                tags: card
                    .tags
                    .iter()
                    .filter(|t| Some(*t) != section.as_ref())
                    .cloned()
                    .collect(),
                section,
                subdeck: card
                    .subdeck
                    .as_ref()
                    .filter(|s| !s.is_empty())
                    .map(|_| card.deck_path(&deck.name)),
                findings: Vec::new(),
            }
        })
        .collect();
    let mut loose = Vec::new();
    let mut rules: BTreeMap<&'static str, (Level, usize)> = BTreeMap::new();
    for (i, d) in compiled.diagnostics.iter().enumerate() {
        let entry = rules.entry(d.code).or_insert((d.level, 0));
        entry.0 = entry.0.max(d.level);
        entry.1 += 1;
        match card_of(source, &compiled.parsed, d.span).and_then(|c| cards.get_mut(c)) {
            Some(card) => card.findings.push(i),
            None => loose.push(i),
        }
    }
    View {
        source,
        deck_name: &deck.name,
        diagnostics: &compiled.diagnostics,
        parsed: &compiled.parsed,
        cards,
        loose,
        counts: Counts::of(&compiled.diagnostics),
        rules,
    }
}

/// The index of the card a span is about: the card whose question or
/// answer holds the span's first line. Parsers record every line's role;
/// when a role is missing, the cards' own spans decide.
fn card_of(source: &SourceFile, deck: &Deck, span: Span) -> Option<usize> {
    let line = source.line_of(span.start);
    match line.checked_sub(1).and_then(|i| deck.lines.get(i)) {
        Some(info) => match info.role {
            Role::Question(c) | Role::Answer(c) => Some(c),
            _ => None,
        },
        None => deck.cards.iter().position(|card| {
            contains(card.question_span, span.start)
                || card.answer.iter().any(|l| contains(l.span, span.start))
        }),
    }
}

fn contains(outer: Span, offset: usize) -> bool {
    outer.start <= offset && offset < outer.end.max(outer.start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;

    fn compile(text: &str) -> (SourceFile, Compiled) {
        let source = SourceFile::new("notes.txt", text);
        let compiled = crate::compile(&source, &Options::default());
        (source, compiled)
    }

    const NOTES: &str = "Deck Flashcards\n\
        What does <script>alert(1)</script> do?\n\
        > It shows \"1\" & more\n\
        When was the treaty signed?\n\
        It was signed in 1950\n\
        When was the treaty signed?\n\
        It was signed in 1951\n";

    #[test]
    fn findings_are_attached_to_their_cards() {
        let (source, compiled) = compile(NOTES);
        let v = view(&source, &compiled, false);
        assert_eq!(v.cards.len(), 3);
        let attached: usize = v.cards.iter().map(|c| c.findings.len()).sum();
        assert_eq!(attached + v.loose.len(), compiled.diagnostics.len());
        assert!(
            !compiled.diagnostics.is_empty(),
            "{:?}",
            compiled.diagnostics
        );
        for card in &v.cards {
            for &i in &card.findings {
                let d = &compiled.diagnostics[i];
                let line = source.line_of(d.span.start);
                assert!(
                    line == card.line || line == card.line + 1,
                    "{} on line {line} attached to card on line {}",
                    d.code,
                    card.line
                );
            }
        }
    }

    #[test]
    fn card_text_is_escaped_as_in_the_package() {
        let (source, compiled) = compile(NOTES);
        let html = render(&source, &compiled, false);
        assert!(html.contains("What does &lt;script&gt;alert(1)&lt;/script&gt; do?"));
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("It shows &quot;1&quot; &amp; more"));
    }

    #[test]
    fn a_finding_outside_any_card_is_listed_loose() {
        let (source, compiled) = compile("Deck Flashcards\nsome stray words here\nWhat is x?\ny\n");
        let v = view(&source, &compiled, false);
        let orphan = compiled
            .diagnostics
            .iter()
            .position(|d| d.code == "orphan-line");
        assert!(orphan.is_some(), "{:?}", compiled.diagnostics);
        assert_eq!(v.loose, orphan.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn rendering_is_deterministic() {
        let (source, compiled) = compile(NOTES);
        assert_eq!(
            render(&source, &compiled, false),
            render(&source, &compiled, false)
        );
    }
}
