//! `empty-question`: a card whose question has no words in it.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};
use crate::source::Span;

pub struct EmptyQuestion;

impl Rule for EmptyQuestion {
    fn code(&self) -> &'static str {
        "empty-question"
    }

    // An error, not a warning: Anki refuses to import a note whose first
    // field is empty, so the card would be lost on import anyway.
    fn default_level(&self) -> Level {
        Level::Error
    }

    fn summary(&self) -> &'static str {
        "a card without a question"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for card in &cx.deck.cards {
            // A question of only punctuation (`?`, `Q:`, `-`) asks nothing.
            if card.question.chars().any(char::is_alphanumeric) {
                continue;
            }
            let span = if card.question_span.is_empty() {
                line_span(cx, card.line_number()).unwrap_or(card.question_span)
            } else {
                card.question_span
            };
            let mut d = Diagnostic::new(self.code(), self.default_level(), span, "empty question")
                .with_label("this card has no question");
            if let Some(first) = card.answer.first() {
                d = d.with_related(first.span, "its answer starts here");
            }
            out.push(d.with_help("write the question, or merge the answer into the card above"));
        }
    }
}

/// The span of 1-based line `number`, when the source has it.
fn line_span(cx: &Context<'_>, number: usize) -> Option<Span> {
    (1..=cx.source.line_count())
        .contains(&number)
        .then(|| cx.source.line(number).span)
}

const DOC: &str = r#"**What it does**

Finds cards whose question is empty or holds no words (only punctuation,
such as a lone `?` or a `Q:` marker with nothing after it).

**Why it matters**

The question is the front of the card. Anki refuses to import a note whose
first field is empty, and a student cannot answer a blank prompt.

**Example**

```text
Q:
A: 1950
```

**Fix**

Write the question the answer belongs to, or move the answer into the card
it belongs to.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{check, lines};

    #[test]
    fn flags_a_punctuation_only_question() {
        let (src, ds) = check(&EmptyQuestion, "Why?\nBecause\n?\n1950\n");
        assert_eq!(lines(&src, &ds), [3]);
        assert_eq!(ds[0].related.len(), 1);
        assert_eq!(src.line_of(ds[0].related[0].span.start), 4);
    }

    #[test]
    fn flags_an_empty_question_at_its_line() {
        let (src, ds) = check(&EmptyQuestion, "Who?\nMe\nQ \nAnswer\n");
        assert_eq!(lines(&src, &ds), [3]);
    }

    #[test]
    fn real_questions_pass() {
        let (_, ds) = check(&EmptyQuestion, "Who was Tito?\nYugoslav leader\n");
        assert!(ds.is_empty());
    }
}
