//! Parsers: one file per source syntax, plus [`detect`] to pick one.
//!
//! Every parser is a pure function `&SourceFile -> (Deck, Vec<Diagnostic>)`
//! built on [`DeckBuilder`], which records the role of every line so that
//! nothing the user wrote is silently dropped.

pub mod blocks;
pub mod canonical;
pub mod delimited;
pub mod detect;
mod indent;
pub mod markdown;
pub mod notes;
pub mod qa;

use std::borrow::Cow;

use crate::diagnostic::Diagnostic;
use crate::model::{AnswerLine, Card, Deck, LineInfo, Lines, Role, Section, Syntax};
use crate::source::{Line, SourceFile, Span};
use crate::text::Text;

pub use detect::detect;

/// Parses `src` as `syntax`.
pub fn parse(src: &SourceFile, syntax: Syntax) -> (Deck, Vec<Diagnostic>) {
    match syntax {
        Syntax::Notes => notes::parse(src),
        Syntax::Qa => qa::parse(src),
        Syntax::Blocks => blocks::parse(src),
        Syntax::Delimited => delimited::parse(src),
        Syntax::Markdown => markdown::parse(src),
        Syntax::Canonical => canonical::parse(src),
    }
}

/// Turns a section label into a tag: trimmed, inner whitespace as `_`.
pub fn tag_from_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join("_")
}

/// Shared bookkeeping for parsers: cards, sections, and each line's role.
pub struct DeckBuilder<'a> {
    pub src: &'a SourceFile,
    deck: Deck,
    diagnostics: Vec<Diagnostic>,
    current_section: Option<usize>,
    /// The tag of the current section, made once per section rather than
    /// once per card.
    section_tag: String,
    /// How many cards were made before the first section marker (or the
    /// end of a section): in a part of a source (see
    /// [`DeckBuilder::append`]) they are in the section open where the
    /// part begins.
    first_section_card: Option<usize>,
    /// The first line (0-based) given a role.
    first_line: usize,
    /// How many of the cards have their code indentation back already.
    indented: usize,
}

impl<'a> DeckBuilder<'a> {
    pub fn new(src: &'a SourceFile) -> Self {
        let deck = Deck {
            lines: Lines::blank(src.line_count()),
            ..Deck::default()
        };
        DeckBuilder {
            src,
            deck,
            diagnostics: Vec::new(),
            current_section: None,
            section_tag: String::new(),
            first_section_card: None,
            first_line: usize::MAX,
            indented: 0,
        }
    }

    fn set_role(&mut self, line: usize, role: Role, rule: &'static str) {
        if let Some(i) = line.checked_sub(1) {
            self.deck.lines.set(i, LineInfo { role, rule });
            self.first_line = self.first_line.min(i);
        }
    }

    /// Gives the code lines of the cards made so far their indentation
    /// back ([`indent`]); [`DeckBuilder::finish`] does the rest.
    pub fn indent_cards(&mut self) {
        let cards = self.deck.cards.get_mut(self.indented..).unwrap_or_default();
        indent::keep_code_indentation(self.src, cards);
        self.indented = self.deck.cards.len();
    }

    /// Appends `part`, a builder that read the lines after every line this
    /// one read (from a state of its own: no card, no section), as if this
    /// one had read them: its cards, sections and lines are numbered on from
    /// these, and its cards made before its first section marker are in
    /// the section open here. Such a part must not set the title.
    pub fn append(&mut self, mut part: DeckBuilder<'a>) {
        self.indent_cards();
        let (cards, sections) = (self.deck.cards.len(), self.deck.sections.len());
        let inherited = part.first_section_card.unwrap_or(part.deck.cards.len());
        let open = self.current_section.map(crate::model::small);
        let tag = (self.current_section.is_some() && !self.section_tag.is_empty())
            .then_some(&self.section_tag);
        for (i, card) in part.deck.cards.iter_mut().enumerate() {
            if i < inherited {
                card.section = open;
                if let Some(tag) = tag.filter(|t| !card.tags.contains(t)) {
                    card.tags.insert(0, tag.clone());
                }
            } else {
                card.section = card
                    .section
                    .map(|s| crate::model::small(s as usize + sections));
            }
        }
        if part.first_line < part.deck.lines.len() {
            let from = part.first_line;
            self.deck
                .lines
                .take_from(&part.deck.lines, from, cards, sections);
            self.first_line = self.first_line.min(from);
        }
        self.indented = cards + part.indented;
        self.deck.cards.append(&mut part.deck.cards);
        self.deck.sections.append(&mut part.deck.sections);
        self.diagnostics.append(&mut part.diagnostics);
        if let Some(first) = part.first_section_card {
            self.first_section_card.get_or_insert(cards + first);
            self.current_section = part.current_section.map(|s| s + sections);
            self.section_tag = part.section_tag;
        }
    }

    /// Marks `line` with `role` without other effect (used for multi-line
    /// constructs whose content was recorded through another call).
    pub fn mark(&mut self, line: usize, role: Role, rule: &'static str) {
        self.set_role(line, role, rule);
    }

    /// The deck title.
    pub fn title(&mut self, line: usize, name: impl Into<String>, span: Span, rule: &'static str) {
        self.deck.name = name.into();
        self.deck.name_span = Some(span);
        self.set_role(line, Role::Title, rule);
    }

    /// Starts a new card; it belongs to the current section and carries its
    /// tag. Returns the card's index.
    pub fn question<'t>(
        &mut self,
        line: usize,
        text: impl Into<Cow<'t, str>>,
        span: Span,
        rule: &'static str,
    ) -> usize {
        let index = self.deck.cards.len();
        let mut question = self.text(text.into(), span);
        let mut span = span;
        let mut id = None;
        if let Some((rest, pinned)) = split_id(&question) {
            let (rest, pinned) = (Text::within(&self.src.text, rest), Box::<str>::from(pinned));
            span.end = (span.start + rest.len()).min(span.end);
            question = rest;
            id = Some(pinned);
        }
        let mut card = Card {
            question,
            question_span: span,
            id,
            line: crate::model::small(line),
            section: self.current_section.map(crate::model::small),
            ..Card::default()
        };
        if self.current_section.is_some() && !self.section_tag.is_empty() {
            // One tag: `vec!` allocates room for exactly that.
            card.tags = vec![self.section_tag.clone()];
        }
        self.deck.cards.push(card);
        self.set_role(line, Role::Question(index), rule);
        index
    }

    /// Makes room for `n` more cards, so that a parser that knows how
    /// many it will make (about) does not have the cards copied as they
    /// grow.
    pub fn reserve_cards(&mut self, n: usize) {
        self.deck.cards.reserve_exact(n);
    }

    /// Makes room for `n` more answer lines in card `card`.
    pub fn reserve_answer(&mut self, card: usize, n: usize) {
        if let Some(c) = self.deck.cards.get_mut(card) {
            c.answer.reserve_exact(n);
        }
    }

    /// Index of the card being built, if any.
    pub fn current_card(&self) -> Option<usize> {
        self.deck.cards.len().checked_sub(1)
    }

    pub fn card_mut(&mut self, index: usize) -> &mut Card {
        &mut self.deck.cards[index]
    }

    pub fn cards(&self) -> &[Card] {
        &self.deck.cards
    }

    /// Appends an answer line to the current card. Returns false (and does
    /// nothing) when there is no card yet.
    pub fn answer<'t>(
        &mut self,
        line: usize,
        text: impl Into<Cow<'t, str>>,
        span: Span,
        rule: &'static str,
    ) -> bool {
        let Some(index) = self.current_card() else {
            return false;
        };
        self.answer_line(index, text, span);
        self.set_role(line, Role::Answer(index), rule);
        true
    }

    /// Appends an answer line to card `card` without marking any line (for
    /// fields whose lines were marked as a whole).
    pub fn answer_line<'t>(&mut self, card: usize, text: impl Into<Cow<'t, str>>, span: Span) {
        let text = self.text(text.into(), span);
        self.deck.cards[card]
            .answer
            .push(AnswerLine::new(text, span));
    }

    /// A parser's text as a [`Text`]: a piece of the source where it is one
    /// (borrowed from the source, or a string equal to the source at
    /// `span`, such as an unquoted CSV field), a string of its own
    /// otherwise.
    fn text(&self, text: Cow<'_, str>, span: Span) -> Text {
        let buf = &self.src.text;
        match text {
            Cow::Borrowed(s) => Text::within(buf, s),
            Cow::Owned(s) if buf.get(span.start..span.end) == Some(s.as_str()) => {
                Text::slice(buf, span.start..span.end)
            }
            Cow::Owned(s) => Text::from(s),
        }
    }

    /// Adds a tag to a card (no duplicates).
    pub fn tag(&mut self, card: usize, tag: impl Into<String>) {
        let tag = tag.into();
        let tags = &mut self.deck.cards[card].tags;
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }

    /// A section marker: following cards are in this section.
    pub fn section(
        &mut self,
        line: usize,
        name: impl Into<String>,
        span: Span,
        rule: &'static str,
    ) {
        let index = self.deck.sections.len();
        let name = name.into();
        self.section_tag = tag_from_label(&name);
        self.first_section_card.get_or_insert(self.deck.cards.len());
        self.deck.sections.push(Section { name, span });
        self.current_section = Some(index);
        self.set_role(line, Role::Section(index), rule);
    }

    /// Leaves the current section (e.g. a higher markdown heading).
    pub fn end_section(&mut self) {
        self.first_section_card.get_or_insert(self.deck.cards.len());
        self.current_section = None;
    }

    /// A directive, comment or header line.
    pub fn directive(&mut self, line: usize, rule: &'static str) {
        self.set_role(line, Role::Directive, rule);
    }

    /// A line that belongs to no card: `diagnostic` reports it.
    pub fn diagnosed(&mut self, line: usize, rule: &'static str, diagnostic: Diagnostic) {
        self.set_role(line, Role::Diagnosed, rule);
        self.diagnostics.push(diagnostic);
    }

    /// A diagnostic that does not change any line's role.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The deck and findings; code lines in answers get their indentation
    /// back ([`indent`]).
    pub fn finish(mut self) -> (Deck, Vec<Diagnostic>) {
        self.indent_cards();
        // The cards, and each card's answer lines, were pushed one by one:
        // up to half the room is spare (a card's first line takes room for
        // four).
        self.deck.cards.shrink_to_fit();
        for card in &mut self.deck.cards {
            card.answer.shrink_to_fit();
        }
        (self.deck, self.diagnostics)
    }
}

/// Splits a trailing explicit id, `Question text {#my-id}`, into the
/// question (trailing space trimmed) and the id. Ids are ASCII letters,
/// digits and `_ - . :`.
pub fn split_id(question: &str) -> Option<(&str, &str)> {
    let body = question.trim_end();
    let inner = body.strip_suffix('}')?;
    let open = inner.rfind("{#")?;
    let id = &inner[open + 2..];
    let valid = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'));
    valid.then(|| (question[..open].trim_end(), id))
}

/// The line's text with surrounding whitespace removed, and the span of
/// that trimmed text.
pub fn trimmed<'t>(line: &Line<'t>) -> (&'t str, Span) {
    let text = line.text;
    let start = text.len() - text.trim_start().len();
    let t = text.trim();
    (t, line.span.sub(start, start + t.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_ids_are_split_off() {
        assert_eq!(split_id("What is X? {#x-1}"), Some(("What is X?", "x-1")));
        assert_eq!(split_id("What is {#x} here?"), None);
        assert_eq!(split_id("Set {#}"), None);
        assert_eq!(split_id("Weird {#a b}"), None);
    }

    #[test]
    fn builder_pins_ids_and_shrinks_the_span() {
        let src = SourceFile::new("x", "What is X? {#x-1}\nx\n");
        let mut b = DeckBuilder::new(&src);
        let line = src.line(1);
        b.question(1, line.text, line.span, "test");
        let (deck, _) = b.finish();
        assert_eq!(deck.cards[0].id.as_deref(), Some("x-1"));
        assert_eq!(&*deck.cards[0].question, "What is X?");
        assert_eq!(src.slice(deck.cards[0].question_span), "What is X?");
    }

    /// Every question and answer line that reads as the source does at its
    /// span is a piece of the source, not a copy (the memory a large deck
    /// takes depends on it), in every syntax.
    #[test]
    fn texts_as_written_are_pieces_of_the_source() {
        let examples = [
            (Syntax::Notes, include_str!("../../input/sino-soviet.txt")),
            (
                Syntax::Blocks,
                include_str!("../../examples/syntaxes/blocks.txt"),
            ),
            (Syntax::Qa, include_str!("../../examples/syntaxes/qa.txt")),
            (
                Syntax::Markdown,
                include_str!("../../examples/syntaxes/markdown.md"),
            ),
            (
                Syntax::Delimited,
                include_str!("../../examples/syntaxes/delimited.tsv"),
            ),
            (
                Syntax::Canonical,
                include_str!("../../examples/syntaxes/canonical.deck"),
            ),
        ];
        for (syntax, text) in examples {
            let src = SourceFile::new("x", text);
            let (deck, _) = parse(&src, syntax);
            let (mut shared, mut total) = (0, 0);
            let mut texts: Vec<(&Text, Span)> = Vec::new();
            for card in &deck.cards {
                texts.push((&card.question, card.question_span));
                texts.extend(card.answer.iter().map(|l| (&l.text, l.span)));
            }
            for (t, span) in texts {
                if src.text.get(span.start..span.end) == Some(&**t) && !t.is_empty() {
                    total += 1;
                    assert!(t.is_in(&src.text), "{syntax:?}: {t:?} is a copy");
                    shared += 1;
                }
            }
            assert!(
                total > 0 && shared == total,
                "{syntax:?}: {shared} of {total}"
            );
        }
    }
}
