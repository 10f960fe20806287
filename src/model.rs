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
    pub lines: Vec<LineInfo>,
}

/// One flashcard.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card {
    /// The question, as written (markers and surrounding space removed);
    /// shared like an answer line's text (see [`AnswerLine`]).
    pub question: Text,
    pub question_span: Span,
    /// 1-based source line of the question.
    pub line: usize,
    /// The answer, one entry per source line, markers kept.
    pub answer: Vec<AnswerLine>,
    /// Tags, in order, without duplicates (section tags included).
    pub tags: Vec<String>,
    /// Index into [`Deck::sections`] of the section this card is in.
    pub section: Option<usize>,
    /// Subdeck path below the deck (`A::B`), if the source says so.
    pub subdeck: Option<String>,
    /// An explicit identity pinned in the source (`{#id}` or an id column).
    pub id: Option<String>,
    /// Anki GUID, filled in by [`crate::identity`].
    pub guid: String,
    /// Modification time (seconds since the Unix epoch), filled in by
    /// [`crate::identity`].
    pub mtime: i64,
    /// Also ask the question backwards (Anki's "Basic (and reversed card)");
    /// set from `--reverse` or `note-type = "reversed"`. A cloze question
    /// ignores it (see [`crate::notetype`]).
    pub reversed: bool,
}

impl Card {
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
}
