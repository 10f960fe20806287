//! The deck model: plain data produced by the parsers, checked by the lints,
//! rewritten by normalization and written by the emitters. No I/O here.

use serde::Serialize;

use crate::source::Span;
use crate::text::Text;

/// Which source syntax a deck was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    Notes,
    Qa,
    Blocks,
    Delimited,
    Markdown,
    Canonical,
}

impl Syntax {
    pub const ALL: [Syntax; 6] = [
        Syntax::Notes,
        Syntax::Qa,
        Syntax::Blocks,
        Syntax::Delimited,
        Syntax::Markdown,
        Syntax::Canonical,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Syntax::Notes => "notes",
            Syntax::Qa => "qa",
            Syntax::Blocks => "blocks",
            Syntax::Delimited => "delimited",
            Syntax::Markdown => "markdown",
            Syntax::Canonical => "canonical",
        }
    }
}

/// A whole deck, as read from one source file.
#[derive(Debug, Clone, Default)]
pub struct Deck {
    /// Deck name (from `--deck`, a title line, or the file stem).
    pub name: String,
    /// Where the name came from, when it came from the source.
    pub name_span: Option<Span>,
    pub cards: Vec<Card>,
    /// Section markers in source order.
    pub sections: Vec<Section>,
    /// The role of every source line, indexed by `line - 1`.
    pub lines: Lines,
}

/// One flashcard.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card {
    /// The question, as written (markers and surrounding space removed);
    /// shared like an answer line's text (see [`AnswerLine`]).
    pub question: Text,
    pub question_span: Span,
    /// 1-based source line of the question ([`Card::line_number`]; `u32`
    /// to keep cards small: a line past four billion saturates).
    pub line: u32,
    /// The answer, one entry per source line, markers kept.
    pub answer: Vec<AnswerLine>,
    /// Tags, in order, without duplicates (section tags included).
    pub tags: Vec<String>,
    /// Index into [`Deck::sections`] of the section this card is in
    /// ([`Card::section_index`]).
    pub section: Option<u32>,
    /// Subdeck path below the deck (`A::B`), if the source says so.
    pub subdeck: Option<Box<str>>,
    /// An explicit identity pinned in the source (`{#id}` or an id column).
    pub id: Option<Box<str>>,
    /// Anki GUID, filled in by [`crate::identity`].
    pub guid: Box<str>,
    /// Modification time (seconds since the Unix epoch), filled in by
    /// [`crate::identity`].
    pub mtime: i64,
    /// Also ask the question backwards (Anki's "Basic (and reversed card)");
    /// set from `--reverse` or `note-type = "reversed"`. A cloze question
    /// ignores it (see [`crate::notetype`]).
    pub reversed: bool,
}

/// `n` as a `u32`, saturating: for numbers kept in four bytes to keep a
/// deck's tables small (a card's line and section, a line's card).
pub fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Card {
    /// The 1-based source line of the question.
    pub fn line_number(&self) -> usize {
        self.line as usize
    }

    /// The index into [`Deck::sections`] of the card's section.
    pub fn section_index(&self) -> Option<usize> {
        self.section.map(|s| s as usize)
    }

    /// The subdeck below the deck, if the card has one (an empty one is
    /// none).
    pub fn subdeck_name(&self) -> Option<&str> {
        self.subdeck.as_deref().filter(|s| !s.is_empty())
    }

    /// The full deck path of this card: `deck` or `deck::subdeck`.
    pub fn deck_path(&self, deck: &str) -> String {
        match self.subdeck_name() {
            Some(sub) => format!("{deck}::{sub}"),
            None => deck.to_string(),
        }
    }

    /// The answer's lines joined with `\n`, as written (markers kept).
    pub fn answer_text(&self) -> String {
        let mut out = String::new();
        for (i, line) in self.answer.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&line.text);
        }
        out
    }
}

/// One answer line, as written (a marker such as `> `, `- `, `• ` is kept).
///
/// The text is shared: a parsed line's text is a piece of the source
/// ([`Text`]), and the normalized copy of a deck made beside the lints
/// takes the parsed line's text as it is wherever normalizing changes
/// nothing (most lines), instead of a copy of it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerLine {
    pub text: Text,
    pub span: Span,
}

/// The list markers an answer line may start with.
pub const MARKERS: [&str; 5] = ["> ", "- ", "• ", "* ", "– "];

impl AnswerLine {
    pub fn new(text: impl Into<Text>, span: Span) -> Self {
        AnswerLine {
            text: text.into(),
            span,
        }
    }

    /// The marker this line starts with, if any.
    pub fn marker(&self) -> Option<&'static str> {
        // The five [`MARKERS`] by their bytes (`•` is E2 80 A2, `–` is
        // E2 80 93): every answer line asks, some several times.
        match self.text.as_bytes() {
            [b'>', b' ', ..] => Some("> "),
            [b'-', b' ', ..] => Some("- "),
            [0xE2, 0x80, 0xA2, b' ', ..] => Some("• "),
            [b'*', b' ', ..] => Some("* "),
            [0xE2, 0x80, 0x93, b' ', ..] => Some("– "),
            _ => None,
        }
    }

    /// The text without its marker.
    pub fn content(&self) -> &str {
        match self.marker() {
            Some(m) => &self.text[m.len()..],
            None => &self.text,
        }
    }
}

/// A section marker such as `(Context)`: it tags the cards after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub name: String,
    pub span: Span,
}

/// What a source line turned into, and which named rule decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInfo {
    pub role: Role,
    /// Kebab-case name of the rule that decided the role (shown by
    /// `deckc check --explain`).
    pub rule: &'static str,
}

impl LineInfo {
    pub const BLANK: LineInfo = LineInfo {
        role: Role::Blank,
        rule: "blank",
    };
}

impl Default for LineInfo {
    fn default() -> Self {
        LineInfo::BLANK
    }
}

/// Every source line's [`LineInfo`], eight bytes a line: a million cards
/// have some five million lines, and a `LineInfo` as it is read takes 32
/// bytes. The rule names are kept once, in the order first used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    packed: Vec<Packed>,
    rules: Vec<&'static str>,
}

/// One line's role and rule, packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    role: u8,
    /// Index into [`Lines::rules`].
    rule: u16,
    /// The card's or section's index, for the roles that have one.
    index: u32,
}

impl Lines {
    /// `n` blank lines.
    pub fn blank(n: usize) -> Self {
        let mut lines = Lines::default();
        let blank = lines.pack(LineInfo::BLANK);
        lines.packed = vec![blank; n];
        lines
    }

    pub fn len(&self) -> usize {
        self.packed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }

    /// The line at 0-based `index` (line number `index + 1`).
    pub fn get(&self, index: usize) -> Option<LineInfo> {
        self.packed.get(index).map(|&p| self.unpack(p))
    }

    /// Sets the line at 0-based `index`; one past the end is ignored.
    pub fn set(&mut self, index: usize, info: LineInfo) {
        if index < self.packed.len() {
            self.packed[index] = self.pack(info);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = LineInfo> + '_ {
        self.packed.iter().map(|&p| self.unpack(p))
    }

    fn pack(&mut self, info: LineInfo) -> Packed {
        let (role, index) = match info.role {
            Role::Blank => (0, 0),
            Role::Title => (1, 0),
            Role::Question(i) => (2, i),
            Role::Answer(i) => (3, i),
            Role::Section(i) => (4, i),
            Role::Directive => (5, 0),
            Role::Diagnosed => (6, 0),
        };
        Packed {
            role,
            rule: self.rule(info.rule),
            // No deck has four billion cards: it would need a source of
            // more than 8 GiB, and SQLite refuses a collection of 2 GiB.
            index: small(index),
        }
    }

    /// The index of `rule` in [`Lines::rules`], added if new.
    fn rule(&mut self, rule: &'static str) -> u16 {
        // The same few rules decide line after line: look at the last one
        // first. (Each is one of the parsers' static names, so there are
        // a few dozen at most.)
        let i = match self.rules.last() {
            Some(last) if *last == rule => self.rules.len() - 1,
            _ => match self.rules.iter().position(|r| *r == rule) {
                Some(i) => i,
                None => {
                    self.rules.push(rule);
                    self.rules.len() - 1
                }
            },
        };
        u16::try_from(i).unwrap_or(u16::MAX)
    }

    /// Sets every line `other` gives a role, from `from` on, to that role,
    /// with card indices moved on by `cards` and section indices by
    /// `sections`: `other` holds the roles of a part of the source read on
    /// its own (see `DeckBuilder::append`).
    pub fn take_from(&mut self, other: &Lines, from: usize, cards: usize, sections: usize) {
        let rules: Vec<u16> = other.rules.iter().map(|&r| self.rule(r)).collect();
        let (cards, sections) = (small(cards), small(sections));
        let lines = other.packed.iter().zip(&mut self.packed).skip(from);
        for (p, slot) in lines.filter(|(p, _)| p.role != 0) {
            let index = match p.role {
                2 | 3 => p.index.saturating_add(cards),
                4 => p.index.saturating_add(sections),
                _ => p.index,
            };
            *slot = Packed {
                role: p.role,
                rule: rules.get(usize::from(p.rule)).copied().unwrap_or(p.rule),
                index,
            };
        }
    }

    fn unpack(&self, p: Packed) -> LineInfo {
        let i = p.index as usize;
        let role = match p.role {
            1 => Role::Title,
            2 => Role::Question(i),
            3 => Role::Answer(i),
            4 => Role::Section(i),
            5 => Role::Directive,
            6 => Role::Diagnosed,
            _ => Role::Blank,
        };
        let rule = self.rules.get(usize::from(p.rule)).copied().unwrap_or("");
        LineInfo { role, rule }
    }
}

/// The place a source line ends up in. Every non-blank line has a role other
/// than `Blank`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Blank,
    Title,
    /// Question of the card with this index.
    Question(usize),
    /// Part of the answer of the card with this index.
    Answer(usize),
    /// A section marker (index into `Deck::sections`).
    Section(usize),
    /// A directive, comment or header that configures the parse.
    Directive,
    /// Not part of any card: a diagnostic reports it.
    Diagnosed,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Blank => "blank",
            Role::Title => "title",
            Role::Question(_) => "question",
            Role::Answer(_) => "answer",
            Role::Section(_) => "section",
            Role::Directive => "directive",
            Role::Diagnosed => "diagnosed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `marker` matches bytes; it must find what a search of
        /// [`MARKERS`] finds.
        #[test]
        fn marker_is_the_marker_the_line_starts_with(text in "(> |- |• |\\* |– |—|•|-|>)?[a-z •–-]{0,4}") {
            let line = AnswerLine::new(text.clone(), Span::default());
            let searched = MARKERS.iter().copied().find(|m| text.starts_with(m));
            proptest::prop_assert_eq!(line.marker(), searched);
        }
    }

    /// A deck holds a million of these twice over while the package is
    /// built beside the lints: this guards against growing them unawares.
    #[test]
    fn a_card_stays_small() {
        assert!(
            std::mem::size_of::<Card>() <= 152,
            "{}",
            std::mem::size_of::<Card>()
        );
    }

    #[test]
    fn a_line_takes_eight_bytes() {
        assert_eq!(std::mem::size_of::<Packed>(), 8);
    }

    proptest::proptest! {
        /// Whatever is set is what is read back, at every line, with the
        /// rules kept once each.
        #[test]
        fn lines_read_back_what_was_set(
            sets in proptest::collection::vec((0usize..12, 0u8..7, 0usize..5000, 0usize..4), 0..40),
        ) {
            const RULES: [&str; 4] = ["a", "b-rule", "", "blocks-first-line"];
            let mut lines = Lines::blank(10);
            let mut want = vec![LineInfo::BLANK; 10];
            for (at, role, index, rule) in sets {
                let role = match role {
                    0 => Role::Blank,
                    1 => Role::Title,
                    2 => Role::Question(index),
                    3 => Role::Answer(index),
                    4 => Role::Section(index),
                    5 => Role::Directive,
                    _ => Role::Diagnosed,
                };
                let info = LineInfo { role, rule: RULES[rule] };
                lines.set(at, info);
                if let Some(w) = want.get_mut(at) {
                    *w = info;
                }
            }
            proptest::prop_assert_eq!(lines.iter().collect::<Vec<_>>(), want.clone());
            proptest::prop_assert_eq!(lines.get(10), None);
            let mut rules = lines.rules.clone();
            rules.sort_unstable();
            rules.dedup();
            proptest::prop_assert_eq!(rules.len(), lines.rules.len());
        }
    }
}
