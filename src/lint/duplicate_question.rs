//! `duplicate-question`: the same question asked twice (exactly, or nearly:
//! one word changed, added or dropped, or the words reordered) with
//! different answers.
//!
//! Near-linear: every question is indexed under a few keys (its folded
//! text, its sorted-token signature, and the token sequence with each one
//! word left out); only cards sharing a key are compared.

use std::collections::BTreeMap;

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};
use crate::model::Card;

pub struct DuplicateQuestion;

/// How many earlier cards one key may hold: beyond this the key is too
/// common to say anything (e.g. the skeleton of very short questions), and
/// comparing against all of them would turn quadratic.
const MAX_BUCKET: usize = 16;

/// Questions longer than this many words get no leave-one-out keys: each
/// such key repeats the whole question, so a pasted 1 MB line would need
/// terabytes. Exact and reordered duplicates are still found.
const MAX_NEAR_TOKENS: usize = 64;

impl Rule for DuplicateQuestion {
    fn code(&self) -> &'static str {
        "duplicate-question"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "the same question asked twice with different answers"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cards = &cx.deck.cards;
        let folded: Vec<Vec<String>> = cards.iter().map(|c| fold_tokens(&c.question)).collect();
        let answers: Vec<Vec<String>> = cards.iter().map(folded_answer).collect();
        let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, tokens) in folded.iter().enumerate() {
            if tokens.is_empty() {
                continue;
            }
            let keys = keys(tokens);
            let mut candidates: Vec<usize> = keys
                .iter()
                .filter_map(|k| index.get(k))
                .flatten()
                .copied()
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            let found = candidates.into_iter().find_map(|j| {
                let kind = similarity(folded.get(j)?, tokens)?;
                // Same question and same answer is `duplicate-card`'s job.
                let same_answer = answers.get(j) == answers.get(i);
                (!(same_answer && kind == Kind::Exact)).then_some((cards.get(j)?, kind))
            });
            if let (Some((first, kind)), Some(card)) = (found, cards.get(i)) {
                out.push(diagnostic(self, card, first, kind));
            }
            for k in keys {
                let bucket = index.entry(k).or_default();
                if bucket.len() < MAX_BUCKET {
                    bucket.push(i);
                }
            }
        }
    }
}

fn diagnostic(rule: &DuplicateQuestion, card: &Card, first: &Card, kind: Kind) -> Diagnostic {
    let (message, label) = match kind {
        Kind::Exact => (
            "this question is asked twice, with different answers",
            "same question as line {line}",
        ),
        Kind::Near => (
            "this question nearly repeats an earlier one, with a different answer",
            "almost the same question as line {line}",
        ),
    };
    Diagnostic::new(
        rule.code(),
        rule.default_level(),
        card.question_span,
        message,
    )
    .with_label(label.replace("{line}", &first.line.to_string()))
    .with_related(first.question_span, "first asked here")
    .with_help("merge the two cards into one, or reword one question so they ask different things")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Exact,
    Near,
}

/// Lowercased words with punctuation, quotes and apostrophes folded away:
/// `What was ‘X’?` and `what was x` give the same tokens.
pub(super) fn fold_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’')))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The folded tokens of a card's whole answer (markers and layout ignored).
pub(super) fn folded_answer(card: &Card) -> Vec<String> {
    card.answer
        .iter()
        .flat_map(|l| fold_tokens(l.content()))
        .collect()
}

/// The index keys of a folded question.
fn keys(tokens: &[String]) -> Vec<String> {
    let mut keys = vec![format!("={}", tokens.join(" "))];
    let mut sorted = tokens.to_vec();
    sorted.sort();
    keys.push(format!("~{}", sorted.join(" ")));
    // Leaving each word out once finds one-word substitutions (same key at
    // the same position) and insertions (`-` key of the longer question
    // equals the `=` form of the shorter one).
    if (3..=MAX_NEAR_TOKENS).contains(&tokens.len()) {
        for i in 0..tokens.len() {
            let rest: Vec<&str> = tokens
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, t)| t.as_str())
                .collect();
            keys.push(format!("-{i}:{}", rest.join(" ")));
            keys.push(format!("={}", rest.join(" ")));
        }
    }
    keys
}

/// Whether two folded questions are the same or nearly the same.
fn similarity(a: &[String], b: &[String]) -> Option<Kind> {
    if a == b {
        return Some(Kind::Exact);
    }
    let mut sa = a.to_vec();
    let mut sb = b.to_vec();
    sa.sort();
    sb.sort();
    if sa == sb {
        // Same words in another order.
        return (a.len() >= 3).then_some(Kind::Near);
    }
    // Words in one and not the other (as multisets).
    let only_a = difference(&sa, &sb);
    let only_b = difference(&sb, &sa);
    if only_a.len() + only_b.len() > 2 || only_a.len() > 1 || only_b.len() > 1 {
        return None;
    }
    let shared = sa.len() - only_a.len();
    let near = match (only_a.first(), only_b.first()) {
        // One word swapped: a typo, or a change so small next to a long
        // question that it reads the same. A different content word in a
        // short question (`When did Stalin die?` / `… Lenin …`) is a
        // different question.
        (Some(x), Some(y)) => is_typo(x, y) || (is_filler(x) && is_filler(y)) || shared >= 8,
        // One word added or dropped: only filler words keep the meaning.
        (Some(x), None) | (None, Some(x)) => is_filler(x) && shared >= 3,
        (None, None) => false,
    };
    near.then_some(Kind::Near)
}

/// Elements of sorted `a` not matched in sorted `b` (multiset difference).
fn difference<'a>(a: &'a [String], b: &[String]) -> Vec<&'a String> {
    let mut out = Vec::new();
    let mut j = 0;
    for x in a {
        while j < b.len() && b.get(j).is_some_and(|y| y < x) {
            j += 1;
        }
        if b.get(j) == Some(x) {
            j += 1;
        } else {
            out.push(x);
        }
    }
    out
}

/// Words that do not change what a question asks.
fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "of"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "was"
            | "is"
            | "were"
            | "are"
            | "did"
            | "does"
            | "do"
            | "and"
            | "please"
            | "briefly"
    )
}

/// One edit apart (insert, delete or substitute a letter) in words long
/// enough that a typo is likelier than a different word.
fn is_typo(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < 5 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    prefix + suffix + 1 >= a.len().max(b.len())
}

const DOC: &str = r#"**What it does**

Finds a question asked twice with different answers: exactly the same once
case, spacing, quotes and punctuation are ignored, or nearly the same (the
words reordered, a filler word added or dropped, a one-letter typo, or one
word changed in a long question). The later card is reported, with the
first one as related.

**Why it matters**

Two cards with the same front and different backs teach two answers to one
question: a student who learns one is marked wrong by the other. It is also
a sign that two sets of notes were pasted together without merging.

**Example**

```text
When was the Treaty of Friendship signed?
1950
When was the treaty of friendship signed?
1949
```

**Fix**

Merge the two cards into one with the right answer, or reword one question
so that they ask different things. If both cards are identical, see
`duplicate-card` instead.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{check, lines};

    #[test]
    fn exact_after_folding_with_different_answers() {
        let text =
            "When was the ‘Treaty’ signed?\n1950\nOther?\nx\nwhen was the treaty  signed ?\n1949\n";
        let (src, ds) = check(&DuplicateQuestion, text);
        assert_eq!(lines(&src, &ds), [5]);
        assert_eq!(src.line_of(ds[0].related[0].span.start), 1);
        assert_eq!(ds[0].related[0].message, "first asked here");
    }

    #[test]
    fn long_questions_get_a_bounded_number_of_keys() {
        let words = |n: usize| (0..n).map(|i| format!("w{i}")).collect::<Vec<_>>();
        assert_eq!(keys(&words(MAX_NEAR_TOKENS)).len(), 2 + 2 * MAX_NEAR_TOKENS);
        // A pasted 1 MB line must not need n keys of n words each.
        assert_eq!(keys(&words(100_000)).len(), 2);
    }

    #[test]
    fn same_question_same_answer_is_left_to_duplicate_card() {
        let (_, ds) = check(
            &DuplicateQuestion,
            "Who was Tito?\nA leader\nWho was Tito?\n- a leader\n",
        );
        assert!(ds.is_empty(), "{ds:?}");
    }

    #[test]
    fn near_duplicates_word_order_filler_and_typo() {
        let text = "Why did the border disputes heighten?\nA\n\
                    Why did border disputes heighten?\nB\n\
                    Why did the disputes border heighten?\nC\n\
                    Why did the border dispute heighten?\nD\n";
        let (src, ds) = check(&DuplicateQuestion, text);
        assert_eq!(lines(&src, &ds), [3, 5, 7]);
        assert!(ds.iter().all(|d| src.line_of(d.related[0].span.start) == 1));
    }

    #[test]
    fn a_different_content_word_is_a_different_question() {
        let text = "When did Stalin die?\n1953\nWhen did Lenin die?\n1924\n\
                    What was the main issue with personal rivalries?\nx\n\
                    What was the main point surrounding ideological differences?\ny\n";
        let (_, ds) = check(&DuplicateQuestion, text);
        assert!(ds.is_empty(), "{ds:?}");
    }

    #[test]
    fn index_stays_small_for_many_cards() {
        let mut text = String::new();
        for i in 0..2000 {
            text.push_str(&format!("What happened in year {i}?\nevent {i}\n"));
        }
        let (_, ds) = check(&DuplicateQuestion, &text);
        assert!(ds.is_empty());
    }
}
