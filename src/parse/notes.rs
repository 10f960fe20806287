//! The `notes` syntax: unmarked teacher notes, one line per question and
//! answer lines until the next question (the reference input's syntax).
//!
//! Each non-blank line is first classified on its own by the named rules in
//! [`rules`]; context then decides the rest: the title (`title-flashcards`,
//! `title-first-line`), whether a `(Label)` really is a section marker (only
//! when a question follows), and whether the whole file is a strictly
//! alternating term/definition list ([`alternating`]). Content before the
//! first question and page furniture become `orphan-line` diagnostics, so no
//! line is silently dropped.

mod alternating;
mod context;
mod furniture;
mod languages;
mod rules;
mod words;

use crate::diagnostic::{Diagnostic, Level};
use crate::model::Deck;
use crate::source::{Line, SourceFile, Span};

use super::{trimmed, DeckBuilder};
use rules::Numbering;

/// What a non-blank line is on its own, before context is considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// `Page 3`, `-----`: belongs to no card.
    Furniture,
    /// Opens with a list marker: always an answer line.
    Marker,
    /// `(Context)`: a section marker if a question follows.
    Label,
    /// `SEPARATING MIXTURES`: a heading in capitals, a section marker for
    /// every card up to the next one if it stands apart and a question
    /// follows.
    Heading,
    /// A question, by the named rule.
    Question(&'static str),
    /// Anything else: an answer line, or content before the first question.
    Plain,
    /// Looks like a question on its own, but a context rule (by that name)
    /// made it an answer line.
    Answer(&'static str),
}

/// One non-blank line with its classification.
#[derive(Debug, Clone, Copy)]
struct Classified<'a> {
    line: Line<'a>,
    /// Trimmed text and its span.
    text: &'a str,
    span: Span,
    class: Class,
    /// Byte length of a numbering prefix (`1. `, `Q3) `) on `text`.
    prefix: usize,
}

impl Classified<'_> {
    fn is_question(&self) -> bool {
        matches!(self.class, Class::Question(_))
    }

    /// The text with its numbering removed, and its span.
    fn unnumbered(&self) -> (&str, Span) {
        let rest = self.text.get(self.prefix..).unwrap_or(self.text);
        let start = self.text.len() - rest.len();
        (rest, self.span.sub(start, self.text.len()))
    }

    /// The line as written, trimmed (markers and numbering kept), and its
    /// span. Indentation that carries meaning (code) is restored by the
    /// shared `code-indentation` rule.
    fn as_written(&self) -> (&str, Span) {
        (self.text, self.span)
    }
}

fn classify(line: Line<'_>) -> Classified<'_> {
    let (text, span) = trimmed(&line);
    let (rule, prefix) = classify_text(text);
    let class = if let Some(rule) = rule {
        Class::Question(rule)
    } else if furniture::is_furniture(text) {
        Class::Furniture
    } else if rules::starts_with_marker(text) {
        Class::Marker
    } else if rules::section_label(text).is_some() {
        Class::Label
    } else if rules::caps_heading(text) {
        Class::Heading
    } else {
        Class::Plain
    };
    Classified {
        line,
        text,
        span,
        class,
        prefix,
    }
}

/// True when `text` (one line) is a question by the notes rules on its own,
/// numbering included; auto-detection uses this to tell notes from blocks.
pub(crate) fn is_question_line(text: &str) -> bool {
    classify_text(text).0.is_some()
}

/// The label of a section marker line (`(Context)`, `[Key terms]`): short,
/// capitalised, no sentence punctuation. `qa` and `blocks` share the rule.
pub(crate) fn section_label(text: &str) -> Option<&str> {
    rules::section_label(text.trim())
}

/// Byte length of a numbering prefix (`1. `, `2) `, `Q3: `) on a trimmed
/// line; the `blocks` syntax drops it from questions as notes does.
pub(crate) fn numbering_prefix(text: &str) -> usize {
    rules::numbering(text).1
}

/// True for a short heading-like line (a possible title or term).
pub(crate) fn is_title_like(text: &str) -> bool {
    rules::title_like(text.trim())
}

/// The question rule a trimmed line satisfies on its own, and the byte
/// length of its numbering prefix.
fn classify_text(text: &str) -> (Option<&'static str>, usize) {
    let (numbering, prefix) = rules::numbering(text);
    let rest = text.get(prefix..).unwrap_or(text);
    // The cheap tests first: all three are pure, so the order only
    // changes how soon a marked line is done with.
    let rule = if rules::starts_with_marker(text)
        || rules::section_label(text).is_some()
        || furniture::is_furniture(text)
    {
        None
    } else if numbering == Numbering::Question {
        Some("question-number")
    } else {
        rules::question_rule(rest)
    };
    (rule, prefix)
}

/// Parses `src` as notes.
pub fn parse(src: &SourceFile) -> (Deck, Vec<Diagnostic>) {
    // Each line is classified on its own (the costliest step), so on
    // every core.
    let content: Vec<Line<'_>> = src.lines().filter(|l| !l.is_blank()).collect();
    let mut lines: Vec<Classified> =
        crate::par::map(&content, crate::lint::cores(), |&line| classify(line));
    drop(content);
    context::numbered_sequence(&mut lines);
    context::date_lines(&mut lines);
    context::statements_under_questions(&mut lines);
    resolve_labels(&mut lines);
    let mut builder = DeckBuilder::new(src);
    match alternating::plan(&lines) {
        Some(plan) => alternating::build(&mut builder, &lines, &plan),
        None => sequential(&mut builder, &lines),
    }
    builder.finish()
}

/// A `(Label)` line is a section marker only when the next content line is
/// a question; otherwise (e.g. `(1950)` or `(see above)` under a question)
/// it is an ordinary answer line. A capitals heading must also stand apart:
/// a blank line (or nothing) above it, so `NATO` under a question stays
/// its answer.
fn resolve_labels(lines: &mut [Classified<'_>]) {
    for i in 0..lines.len() {
        if !matches!(lines[i].class, Class::Label | Class::Heading) {
            continue;
        }
        let next = lines[i + 1..]
            .iter()
            .find(|l| l.class != Class::Furniture && l.class != Class::Label);
        let apart = i == 0 || lines[i - 1].line.number + 1 < lines[i].line.number;
        let heading_ok = lines[i].class == Class::Label || apart;
        if !next.is_some_and(Classified::is_question) || !heading_ok {
            lines[i].class = Class::Plain;
        }
    }
}

/// Which line (index into `lines`) names the deck, and by which rule.
fn title(lines: &[Classified<'_>]) -> Option<(usize, &'static str)> {
    let mut content = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.class != Class::Furniture);
    let (first, line) = content.next()?;
    if rules::flashcards_title(line.text).is_some() {
        return Some((first, "title-flashcards"));
    }
    let next_is_question = content.next().is_some_and(|(_, l)| l.is_question());
    let any_question = lines[first..].iter().any(Classified::is_question);
    match line.class {
        Class::Plain | Class::Heading if rules::title_like(line.text) && any_question => {
            Some((first, "title-first-line"))
        }
        // "Causes of the Cold War" over a list of questions is a heading.
        Class::Question("prompt-noun") if next_is_question && !line.text.contains('?') => {
            Some((first, "title-first-line"))
        }
        _ => None,
    }
}

/// Records the title line at `index` with the deck name it gives.
fn record_title(b: &mut DeckBuilder<'_>, line: &Classified<'_>, rule: &'static str) {
    let (start, end) = match rules::flashcards_title(line.text) {
        Some(range) if rule == "title-flashcards" => range,
        _ => (0, line.text.len()),
    };
    let name = line.text.get(start..end).unwrap_or(line.text);
    b.title(line.line.number, name, line.span.sub(start, end), rule);
}

/// Reports a line that belongs to no card.
fn orphan(b: &mut DeckBuilder<'_>, line: &Classified<'_>) {
    let (rule, message, help) = if line.class == Class::Furniture {
        (
            "furniture",
            "page furniture belongs to no card",
            "delete page numbers, rules, dates and blank form fields from the notes",
        )
    } else {
        (
            "orphan",
            "this line comes before the first question, so it belongs to no card",
            "make it a question (for example end it with `?`), move it under the question it answers, or delete it",
        )
    };
    let diagnostic = Diagnostic::new("orphan-line", Level::Warning, line.span, message)
        .with_label("not part of any card")
        .with_help(help);
    b.diagnosed(line.line.number, rule, diagnostic);
}

/// Section markers: a label written directly above its question, like
/// `(Context)` on the reference input's line 43, tags that one card; a label
/// standing apart (a blank line under it) is a heading that tags every card
/// up to the next label.
#[derive(Default)]
struct Sections {
    /// The open section ends after the next question.
    close_after_question: bool,
}

impl Sections {
    fn label(&mut self, b: &mut DeckBuilder<'_>, lines: &[Classified<'_>], i: usize) {
        let Some(line) = lines.get(i) else {
            return;
        };
        let label = rules::section_label(line.text).unwrap_or(line.text);
        b.section(line.line.number, label, line.span, "section-label");
        self.close_after_question = lines
            .get(i + 1)
            .is_some_and(|next| next.line.number == line.line.number + 1);
    }

    /// A capitals heading: it tags every card up to the next section.
    fn heading(&mut self, b: &mut DeckBuilder<'_>, line: &Classified<'_>) {
        b.section(
            line.line.number,
            line.text,
            line.span,
            "section-heading-caps",
        );
        self.close_after_question = false;
    }

    fn question(
        &mut self,
        b: &mut DeckBuilder<'_>,
        number: usize,
        text: &str,
        span: Span,
        rule: &'static str,
    ) {
        b.question(number, text, span, rule);
        if std::mem::take(&mut self.close_after_question) {
            b.end_section();
        }
    }
}

/// The usual reading: each question collects the lines under it.
fn sequential(b: &mut DeckBuilder<'_>, lines: &[Classified<'_>]) {
    let title = title(lines);
    let mut sections = Sections::default();
    for (i, line) in lines.iter().enumerate() {
        let number = line.line.number;
        match (title, line.class) {
            (Some((t, rule)), _) if t == i => record_title(b, line, rule),
            (_, Class::Furniture) => orphan(b, line),
            (_, Class::Label) => sections.label(b, lines, i),
            (_, Class::Heading) => sections.heading(b, line),
            (_, Class::Question(rule)) => {
                let (text, span) = line.unnumbered();
                sections.question(b, number, text, span, rule);
            }
            (_, Class::Marker | Class::Plain | Class::Answer(_)) => {
                let rule = match line.class {
                    Class::Marker => "answer-marker",
                    Class::Answer(rule) => rule,
                    _ => "answer-continuation",
                };
                let (text, span) = line.as_written();
                if !b.answer(number, text, span, rule) {
                    orphan(b, line);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use proptest::prelude::*;

    fn deck(text: &str) -> Deck {
        parse(&SourceFile::new("t.txt", text)).0
    }

    #[test]
    fn a_first_line_question_is_not_a_title() {
        let d = deck("What is a cell?\nThe unit of life\nWhat is DNA?\nGenetic code\n");
        assert_eq!(d.name, "");
        assert_eq!(d.cards.len(), 2);
    }

    #[test]
    fn a_tight_label_tags_only_the_card_under_it() {
        let d = deck("What is a?\nb\n(Context)\nWhat is c?\nd\nWhat is e?\nf\n");
        let tags: Vec<_> = d.cards.iter().map(|c| c.tags.clone()).collect();
        assert_eq!(tags, vec![vec![], vec!["Context".to_string()], vec![]]);
    }

    #[test]
    fn misaligned_pairs_are_not_alternating() {
        // A question in definition position: the ordinary reading wins.
        let d = deck("Osmosis\nWhat is diffusion?\nSpreading out\nMore\n");
        assert_eq!(d.lines.get(1).unwrap().rule, "interrogative");
        assert_eq!(d.cards.len(), 1);
        assert_eq!(d.cards[0].answer.len(), 2);
    }

    proptest! {
        #[test]
        fn every_non_blank_line_gets_a_role(text in "([A-Za-z?()\\-> 1.:é’]{0,12}(\n|\r\n)?){0,12}") {
            let src = SourceFile::new("p.txt", text.as_str());
            let (d, _) = parse(&src);
            for line in src.lines() {
                let info = d.lines.get(line.number - 1).unwrap();
                prop_assert_eq!(info.role == Role::Blank, line.is_blank(), "line {:?}", line.text);
            }
            let _ = crate::parse::detect(&src);
        }
    }
}
