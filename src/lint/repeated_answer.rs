//! `repeated-answer`: a card whose answer repeats the last answer line of
//! the card before. In pasted notes this is usually a summary line that was
//! copied both under the factor and as the answer of its "main point" card.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};

pub struct RepeatedAnswer;

/// Lines shorter than this (in words) repeat by coincidence (`1950`, `Yes`).
const MIN_WORDS: usize = 3;

impl Rule for RepeatedAnswer {
    fn code(&self) -> &'static str {
        "repeated-answer"
    }

    fn default_level(&self) -> Level {
        Level::Note
    }

    fn summary(&self) -> &'static str {
        "an answer that repeats the previous card's last line"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let shared = cx.folds();
        let (folds, cards) = (&*shared, &cx.deck.cards);
        for (i, pair) in cards.windows(2).enumerate() {
            let [before, card] = pair else { continue };
            let Some(last) = before.answer.last() else {
                continue;
            };
            let key = (i, before.answer.len() - 1);
            if folds.answer_line_len(key.0, key.1) < MIN_WORDS {
                continue;
            }
            let Some(repeat) = (card.answer.iter().enumerate())
                .find(|&(k, _)| folds.same_answer_line(cards, (i + 1, k), key))
                .map(|(_, l)| l)
            else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_level(),
                    repeat.span,
                    "this answer repeats the last line of the previous card",
                )
                .with_label("same text as the line before the question")
                .with_related(last.span, "already the last answer line of the card above")
                .with_help(
                    "if the line is a summary that belongs only to this card, remove it \
                     from the card above",
                ),
            );
        }
    }
}

const DOC: &str = r#"**What it does**

Finds a card whose answer contains the same line (ignoring case, spacing,
punctuation and list markers) as the last answer line of the card right
before it. Lines of fewer than three words are ignored.

**Why it matters**

In revision notes this is usually a summary line written under a factor and
then again as the answer of its "main point" question: the card above then
gives away the next card's answer, and the student reviews it twice. It is
often deliberate, so this is a note, not a warning.

**Example**

```text
Describe the Personal Rivalries factor
> Mao considered himself junior to Stalin
- The worse opinions got of each other; trust levels decreased
What was the main issue with personal rivalries?
- The worse opinions got of each other; trust levels decreased
```

**Fix**

Remove the summary line from the card above if it belongs only to the
second card, or allow the rule (`-A repeated-answer`) if the repetition is
intended.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{check, lines};

    #[test]
    fn flags_repeat_of_previous_last_line() {
        let text = "Describe the factor?\n> first point here\n- the main point is this\n\
                    Main point?\n- The main point is this.\n";
        let (src, ds) = check(&RepeatedAnswer, text);
        assert_eq!(lines(&src, &ds), [5]);
        assert_eq!(src.line_of(ds[0].related[0].span.start), 3);
        assert_eq!(ds[0].level, Level::Note);
    }

    #[test]
    fn ignores_short_lines_and_non_last_lines() {
        let text = "When?\n1950\nAnd then?\n1950\n\
                    Why?\none two three four\nfive six seven\nAgain?\none two three four\n";
        let (_, ds) = check(&RepeatedAnswer, text);
        assert!(ds.is_empty(), "{ds:?}");
    }

    proptest::proptest! {
        /// Answer lines are kept as hashes: the findings must be those of
        /// comparing the folded tokens.
        #[test]
        fn same_as_comparing_folded_tokens(
            cards in proptest::collection::vec(
                proptest::collection::vec("(a b c|A b c.|a b|a b c d|x y z)", 0..4),
                1..30,
            )
        ) {
            use crate::lint::duplicate_question::fold_tokens;
            let mut text = String::new();
            for answer in &cards {
                text.push_str("Q?\n");
                for line in answer {
                    text.push_str(line);
                    text.push('\n');
                }
            }
            let (src, ds) = check(&RepeatedAnswer, &text);
            let deck = crate::lint::testing::deck(&src);
            let mut expected = Vec::new();
            for pair in deck.cards.windows(2) {
                let Some(last) = pair[0].answer.last() else { continue };
                let key = fold_tokens(last.content());
                if key.len() < MIN_WORDS {
                    continue;
                }
                if let Some(l) = pair[1].answer.iter().find(|l| fold_tokens(l.content()) == key) {
                    expected.push(src.line_of(l.span.start));
                }
            }
            proptest::prop_assert_eq!(lines(&src, &ds), expected);
        }
    }
}
