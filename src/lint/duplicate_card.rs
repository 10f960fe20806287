//! `duplicate-card`: the same question with the same answer twice. The fix
//! deletes the later copy's lines.

use std::collections::HashMap;

use super::duplicate_question::FxBuild;
use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Edit, Level};
use crate::model::{Card, Role};
use crate::source::{SourceFile, Span};

pub struct DuplicateCard;

impl Rule for DuplicateCard {
    fn code(&self) -> &'static str {
        "duplicate-card"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "the same card twice"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Keyed by folded question and the hash of the folded answer: one
        // lookup per card (the map is only looked up, never iterated).
        let shared = cx.folds();
        let (folds, cards) = (&*shared, &cx.deck.cards);
        let mut first: HashMap<(&[u32], u64), usize, FxBuild> = HashMap::default();
        first.reserve(cards.len());
        for (i, card) in cards.iter().enumerate() {
            let question = folds.question(i);
            if question.is_empty() {
                continue; // `empty-question` reports these
            }
            let j = *first.entry((question, folds.answer_hash(i))).or_insert(i);
            if j == i {
                continue;
            }
            // The answers hash alike; if they differ after all, the first
            // card with both the same is found the slow way.
            let j = if folds.same_answer(cards, j, i) {
                Some(j)
            } else {
                (0..i).find(|&k| {
                    folds.question(k) == question
                        && folds.answer_hash(k) == folds.answer_hash(i)
                        && folds.same_answer(cards, k, i)
                })
            };
            let Some(earlier) = j.and_then(|j| cards.get(j)) else {
                continue;
            };
            let mut d = Diagnostic::new(
                self.code(),
                self.default_level(),
                card.question_span,
                "this card repeats an earlier card",
            )
            .with_label(format!("same question and answer as line {}", earlier.line))
            .with_related(earlier.question_span, "first written here")
            .with_help("delete one of the two copies");
            if let Some(span) = removable_lines(cx, i, card) {
                d = d.with_fix(
                    format!("delete the repeated card on line {}", card.line),
                    vec![Edit {
                        span,
                        replacement: String::new(),
                    }],
                );
            }
            out.push(d);
        }
    }
}

/// The span of the card's whole lines, terminators included, when those
/// lines hold this card and nothing else (blank lines inside are fine).
/// Otherwise `None`: deleting would take something else with it.
fn removable_lines(cx: &Context<'_>, index: usize, card: &Card) -> Option<Span> {
    let src = cx.source;
    let last_offset = card
        .answer
        .iter()
        .map(|l| l.span.end)
        .chain([card.question_span.end])
        .max()?;
    let first = card.line_number();
    let last = src.line_of(last_offset).max(first);
    if first == 0 || last > src.line_count() {
        return None;
    }
    for n in first..=last {
        let role = cx.deck.lines.get(n - 1)?.role;
        let ours = matches!(role, Role::Question(c) | Role::Answer(c) if c == index);
        if !ours && role != Role::Blank {
            return None;
        }
    }
    Some(Span::new(src.line(first).span.start, line_end(src, last)))
}

/// Where line `n` ends, its terminator included.
fn line_end(src: &SourceFile, n: usize) -> usize {
    if n < src.line_count() {
        src.line(n + 1).span.start
    } else {
        src.text.len()
    }
}

const DOC: &str = r#"**What it does**

Finds a card whose question and answer both repeat an earlier card (case,
spacing, quotes, punctuation and list markers ignored).

**Why it matters**

The student reviews the same card twice as often as the others, and if one
copy is later corrected the other keeps the mistake.

**Example**

```text
When was the Treaty of Friendship signed?
1950
When was the Treaty of Friendship signed?
1950
```

**Fix**

`deckc check --fix` deletes the later copy's lines (question and answer,
with their line breaks). The fix is offered only when those lines hold
nothing else.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{check, lines};

    #[test]
    fn flags_the_later_copy_with_a_whole_line_fix() {
        let text =
            "Who was Tito?\nA leader\nWhen?\n1950\r\nwho was  Tito?\n- a leader.\r\nLast?\nx\n";
        let (src, ds) = check(&DuplicateCard, text);
        assert_eq!(lines(&src, &ds), [5]);
        assert_eq!(src.line_of(ds[0].related[0].span.start), 1);
        let (fixed, applied) = crate::fix::apply(&src.text, &ds);
        assert_eq!(applied, [0]);
        assert_eq!(fixed, "Who was Tito?\nA leader\nWhen?\n1950\r\nLast?\nx\n");
    }

    #[test]
    fn last_card_without_trailing_newline() {
        let (src, ds) = check(&DuplicateCard, "Why?\nx\nWhy?\nx");
        let (fixed, _) = crate::fix::apply(&src.text, &ds);
        assert_eq!(fixed, "Why?\nx\n");
    }

    #[test]
    fn no_fix_when_other_lines_are_in_between() {
        let (src, ds) = check(&DuplicateCard, "Why?\nx\nWhy?\n# note\nx\n");
        assert_eq!(lines(&src, &ds), [3]);
        assert!(ds[0].fix.is_none());
    }

    #[test]
    fn different_answers_are_not_duplicate_cards() {
        let (_, ds) = check(&DuplicateCard, "Why?\nx\nWhy?\ny\n");
        assert!(ds.is_empty());
    }

    #[test]
    fn answers_are_compared_across_their_line_breaks() {
        let (src, ds) = check(&DuplicateCard, "Why?\na b\nc\nWhy?\na\nB c.\n");
        assert_eq!(lines(&src, &ds), [4]);
    }

    proptest::proptest! {
        /// Answers are kept as hashes: the findings must be those of
        /// comparing the folded tokens.
        #[test]
        fn same_as_comparing_folded_tokens(
            cards in proptest::collection::vec(
                (
                    proptest::sample::select(&["Why?", "why ?", "When?", "`x`?"][..]),
                    proptest::collection::vec("(a|B|a b|c|’c’)( x)?", 0..3),
                ),
                1..30,
            )
        ) {
            use crate::lint::duplicate_question::fold_tokens;
            let mut text = String::new();
            for (q, answer) in &cards {
                text.push_str(q);
                text.push('\n');
                for line in answer {
                    text.push_str(line);
                    text.push('\n');
                }
            }
            let (src, ds) = check(&DuplicateCard, &text);
            let deck = crate::lint::testing::deck(&src);
            let key = |c: &Card| {
                let answer: Vec<String> =
                    c.answer.iter().flat_map(|l| fold_tokens(l.content())).collect();
                (fold_tokens(&c.question), answer)
            };
            let expected: Vec<usize> = (deck.cards.iter().enumerate())
                .filter(|&(i, c)| {
                    !key(c).0.is_empty() && deck.cards[..i].iter().any(|e| key(e) == key(c))
                })
                .map(|(_, c)| c.line_number())
                .collect();
            proptest::prop_assert_eq!(lines(&src, &ds), expected);
        }
    }
}
