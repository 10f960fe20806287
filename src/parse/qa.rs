//! The `qa` syntax: explicit `Q:` / `A:` markers.
//!
//! ```text
//! Sino-Soviet Relations Flashcards
//! Q: Define Sino-Soviet relations
//! A: describes the turbulent relationship…
//! > Some Chinese resentment…
//! (Context)
//! q1:When was the Treaty of Friendship signed?
//! a1. 1950
//! ```
//!
//! Markers are case-insensitive (`Q`, `Question`, `A`, `Answer`), may carry
//! a number (`Q1:`; the `Q1.` form only when followed by a space or tab, so
//! `A.D. 1950` stays text), and may be followed by spaces or a tab. Lines
//! after a `Q:` and before its `A:` continue the question (joined with one
//! space); lines after an `A:` are further answer lines until the next `Q:`.
//! A `(Label)` line is a section marker. Before the first `Q:`, the first
//! line is the deck title; later ones are `orphan-line` findings.
//!
//! This file also holds the two line shapes the `blocks` syntax shares:
//! [`section_label`] and [`title_name`].

use crate::diagnostic::{Diagnostic, Level};
use crate::model::{Deck, Role};
use crate::source::SourceFile;

use super::{trimmed, DeckBuilder};

/// Which marker a line starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Question,
    Answer,
}

/// Where the parser is relative to the current card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    BeforeFirst,
    InQuestion(usize),
    InAnswer(usize),
}

pub fn parse(src: &SourceFile) -> (Deck, Vec<Diagnostic>) {
    let mut b = DeckBuilder::new(src);
    let mut state = State::BeforeFirst;
    let mut seen_title = false;
    let lines: Vec<_> = src.lines().filter(|l| !l.is_blank()).collect();
    for (n, line) in lines.iter().enumerate() {
        let line = *line;
        let (text, span) = trimmed(&line);
        if let Some((marker, offset)) = marker(text) {
            let rest = text.get(offset..).unwrap_or("").trim_end();
            let rest_span = span.sub(offset, offset + rest.len());
            match (marker, state) {
                (Marker::Question, _) => {
                    let i = b.question(line.number, rest, rest_span, "qa-question-marker");
                    state = State::InQuestion(i);
                }
                (Marker::Answer, State::InQuestion(i) | State::InAnswer(i)) => {
                    if rest.is_empty() {
                        b.mark(line.number, Role::Answer(i), "qa-answer-marker");
                    } else {
                        b.answer(line.number, rest, rest_span, "qa-answer-marker");
                    }
                    state = State::InAnswer(i);
                }
                (Marker::Answer, State::BeforeFirst) => {
                    let d = Diagnostic::new(
                        "syntax-error",
                        Level::Warning,
                        span,
                        "answer marker before any question",
                    )
                    .with_label("no `Q:` line comes before this `A:`")
                    .with_help("add a `Q:` line with the question above this answer");
                    b.diagnosed(line.number, "qa-answer-without-question", d);
                }
            }
            continue;
        }
        // Inside an answer, a label is a section marker only when a `Q:`
        // follows: `(Organic)` under an answer is part of it.
        let label = section_label(text).filter(|_| {
            !matches!(state, State::InAnswer(_))
                || lines
                    .get(n + 1)
                    .is_some_and(|next| marker_kind(next.text.trim()) == Some(true))
        });
        if let Some(label) = label {
            b.section(line.number, label, span, "section-marker");
            continue;
        }
        match state {
            State::BeforeFirst if !seen_title => {
                seen_title = true;
                b.title(line.number, title_name(text), span, "qa-title");
            }
            State::BeforeFirst => {
                let d = Diagnostic::new(
                    "orphan-line",
                    Level::Warning,
                    span,
                    "line before the first question belongs to no card",
                )
                .with_label("not part of any card")
                .with_help("start it with `Q:` or `A:`, or delete it");
                b.diagnosed(line.number, "qa-before-first-question", d);
            }
            State::InQuestion(i) => {
                let card = b.card_mut(i);
                if card.question.is_empty() {
                    card.question = text.into();
                    card.question_span = span;
                } else {
                    card.question = format!("{} {text}", card.question).into();
                    card.question_span = card.question_span.join(span);
                }
                b.mark(line.number, Role::Question(i), "qa-question-continued");
            }
            State::InAnswer(_) => {
                b.answer(line.number, text, span, "qa-answer-continued");
            }
        }
    }
    b.finish()
}

/// Whether `text` (trimmed) opens with a question (`Some(true)`) or an
/// answer (`Some(false)`) marker; auto-detection counts these.
pub(crate) fn marker_kind(text: &str) -> Option<bool> {
    marker(text).map(|(kind, _)| kind == Marker::Question)
}

/// The marker `text` (already trimmed) starts with, and the byte offset of
/// the content after it and the whitespace following it.
fn marker(text: &str) -> Option<(Marker, usize)> {
    let starts = |word: &str| {
        text.get(..word.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(word))
    };
    let bytes = text.as_bytes();
    // `dotted`: the marker may take a dot without a number, `Q. x` and
    // `Ans. x` (not `A. x`: "A. Lincoln" is an answer's text).
    let (kind, mut i, dotted) = if starts("question") {
        (Marker::Question, 8, false)
    } else if starts("answer") {
        (Marker::Answer, 6, false)
    } else if starts("ans") && matches!(bytes.get(3), Some(b'.' | b':')) {
        (Marker::Answer, 3, true)
    } else {
        match bytes.first() {
            Some(b'q' | b'Q') => (Marker::Question, 1, true),
            Some(b'a' | b'A') => (Marker::Answer, 1, false),
            _ => return None,
        }
    };
    // `Question 1:` / `Q 3.`: a space may stand between marker and number.
    let spaced = i + bytes
        .get(i..)
        .map_or(0, |rest| rest.iter().take_while(|&&b| b == b' ').count());
    let digits = if bytes.get(spaced).is_some_and(u8::is_ascii_digit) {
        spaced
    } else {
        i
    };
    i = digits;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    match bytes.get(i) {
        Some(b':') => i += 1,
        // `A10.` alone on its line is an empty numbered answer.
        Some(b'.')
            if (i > digits || dotted) && matches!(bytes.get(i + 1), Some(b' ' | b'\t') | None) =>
        {
            i += 1
        }
        _ => return None,
    }
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    Some((kind, i))
}

/// The label of a section marker line such as `(Context)`: the notes rule
/// (a short capitalised name in brackets, no sentence punctuation), so an
/// aside like `(12 + 2 × 16)` or `(don't forget units!)` stays text.
pub(super) fn section_label(text: &str) -> Option<&str> {
    super::notes::section_label(text)
}

/// The deck name a title line gives: `X Flashcards` names the deck `X`.
pub(super) fn title_name(text: &str) -> &str {
    let suffix = " flashcards";
    let n = text.len();
    match text.get(n.saturating_sub(suffix.len())..) {
        Some(tail) if n > suffix.len() && tail.eq_ignore_ascii_case(suffix) => {
            text.get(..n - suffix.len()).unwrap_or(text).trim_end()
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(text: &str) -> (Deck, Vec<Diagnostic>) {
        parse(&SourceFile::new("t.txt", text))
    }

    #[test]
    fn markers_are_case_insensitive_and_numbered() {
        assert_eq!(marker("Q: x"), Some((Marker::Question, 3)));
        assert_eq!(marker("q:\tx"), Some((Marker::Question, 3)));
        assert_eq!(marker("a:x"), Some((Marker::Answer, 2)));
        assert_eq!(marker("Q12. x"), Some((Marker::Question, 5)));
        assert_eq!(marker("Answer: x"), Some((Marker::Answer, 8)));
        assert_eq!(marker("A.D. 1950"), None);
        assert_eq!(marker("Qatar: Doha"), None);
        assert_eq!(marker("Q1.5 is"), None);
        assert_eq!(marker("Question 1: x"), Some((Marker::Question, 12)));
        assert_eq!(marker("A10."), Some((Marker::Answer, 4)));
        assert_eq!(marker("A 1950 treaty"), None);
        assert_eq!(marker("Q. x"), Some((Marker::Question, 3)));
        assert_eq!(marker("Ans. x"), Some((Marker::Answer, 5)));
        assert_eq!(marker("ans: x"), Some((Marker::Answer, 5)));
        assert_eq!(marker("A. Lincoln"), None);
        assert_eq!(marker("Q.E.D."), None);
        assert_eq!(marker("Ansel Adams"), None);
    }

    #[test]
    fn continuations_join_question_and_extend_answer() {
        let (d, diags) = deck(
            "Title Flashcards\nQ: What is\nthe answer?\nA: first\n- second\n\nthird\nQ: Next\nA:\n",
        );
        assert!(diags.is_empty());
        assert_eq!(d.name, "Title");
        assert_eq!(&*d.cards[0].question, "What is the answer?");
        assert_eq!(d.cards[0].answer_text(), "first\n- second\nthird");
        assert_eq!(d.lines.get(2).unwrap().role, Role::Question(0));
        assert!(d.cards[1].answer.is_empty());
        assert_eq!(d.lines.get(8).unwrap().role, Role::Answer(1));
    }

    #[test]
    fn orphans_and_stray_answers_are_diagnosed() {
        let (d, diags) = deck("Title\nstray\nA: lost\n(Context)\nQ: q\nA: a\n");
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["orphan-line", "syntax-error"]);
        assert_eq!(d.cards[0].tags, ["Context"]);
        assert_eq!(d.lines.get(1).unwrap().role, Role::Diagnosed);
    }

    #[test]
    fn a_label_inside_an_answer_is_answer_text() {
        let (d, _) = deck("Q: a?\nA: b\n(Organic)\nQ: c?\nA: d\n(Extra)\nmore\n");
        assert_eq!(d.cards[1].tags, ["Organic"]);
        assert_eq!(d.cards[1].answer_text(), "d\n(Extra)\nmore");
    }

    #[test]
    fn labels_and_titles() {
        assert_eq!(section_label("( Context )"), Some("Context"));
        assert_eq!(section_label("(a) and (b)"), None);
        assert_eq!(section_label("(12 + 2 × 16)"), None);
        assert_eq!(section_label("(reverse percentage – don't!)"), None);
        assert_eq!(section_label("()"), None);
        assert_eq!(title_name("Cold War flashcards"), "Cold War");
        assert_eq!(title_name("Flashcards"), "Flashcards");
    }
}
