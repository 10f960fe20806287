//! `empty-answer`: a card with no answer lines, or only blank ones.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};
use crate::model::AnswerLine;

pub struct EmptyAnswer;

impl Rule for EmptyAnswer {
    fn code(&self) -> &'static str {
        "empty-answer"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a card without an answer"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for card in &cx.deck.cards {
            if card.answer.iter().any(|l| !is_blank(l)) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_level(),
                    card.question_span,
                    "card has no answer",
                )
                .with_label("nothing answers this question")
                .with_help(
                    "write the answer on the lines after the question; if this line is a \
                     heading, make it a section marker like `(Context)`",
                ),
            );
        }
    }
}

/// A line with nothing but whitespace and list markers (`-`, `>`, `•`…).
fn is_blank(line: &AnswerLine) -> bool {
    line.content()
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '>' | '•' | '*' | '–'))
        .is_empty()
}

const DOC: &str = r#"**What it does**

Finds cards with no answer: the question is followed directly by the next
question, or its answer lines hold nothing but list markers and spaces.

**Why it matters**

A card without a back teaches nothing, and in notes pasted from a revision
sheet it usually means a heading was taken for a question or the answer
was lost while copying.

**Example**

```text
When was the Treaty of Friendship signed?
What did the treaty state?
Economic aid of $300million
```

The first question has no answer.

**Fix**

Write the missing answer under the question, delete the question, or turn
a heading into a section marker such as `(Context)`.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{check, lines};

    #[test]
    fn flags_question_followed_by_question() {
        let (src, ds) = check(&EmptyAnswer, "Why?\nWhen?\n1950\n");
        assert_eq!(lines(&src, &ds), [1]);
    }

    #[test]
    fn flags_marker_only_answer_and_last_card() {
        let (src, ds) = check(&EmptyAnswer, "Why?\n- \nWhen?\n1950\nWho?\n");
        assert_eq!(lines(&src, &ds), [1, 5]);
    }

    #[test]
    fn answered_cards_pass() {
        let (_, ds) = check(&EmptyAnswer, "Why?\n> because\n");
        assert!(ds.is_empty());
    }
}
