//! `duplicate-question`: the same question asked twice (exactly, or nearly:
//! a typo, a filler word added or dropped, or the words reordered) with
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
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in folded.iter().chain(&answers).flatten() {
            *counts.entry(t.as_str()).or_default() += 1;
        }
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
                let kind = match similarity(folded.get(j)?, tokens)? {
                    Kind::ShortTypo(x, y) => {
                        short_typo_evidence(&counts, &x, &y, answers.get(j)?, answers.get(i)?)
                            .then_some(Kind::Near)?
                    }
                    k => k,
                };
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
        Kind::Near | Kind::ShortTypo(..) => (
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

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Exact,
    Near,
    /// A one-letter difference in a short question, where the one word is
    /// the question: near only with the evidence of
    /// [`short_typo_evidence`].
    ShortTypo(String, String),
}

/// Whether a one-letter difference between words `x` and `y` of two short
/// questions is a typo: one spelling occurs nowhere else in the deck while
/// the other occurs at least twice (a typo is rare; a vocabulary word asked
/// about is as common as its neighbour), and the two answers share a
/// content word (they answer about the same thing; `pero` "but" and `perro`
/// "dog" share nothing).
fn short_typo_evidence(
    counts: &BTreeMap<&str, usize>,
    x: &str,
    y: &str,
    answer_a: &[String],
    answer_b: &[String],
) -> bool {
    let n = |w: &str| counts.get(w).copied().unwrap_or(0);
    let (rare, common) = if n(x) <= n(y) { (x, y) } else { (y, x) };
    let content = |w: &&String| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic);
    n(rare) == 1
        && n(common) >= 2
        && answer_a
            .iter()
            .filter(content)
            .any(|w| answer_b.contains(w))
}

/// Lowercased words with punctuation, quotes and apostrophes folded away:
/// `What was ‘X’?` and `what was x` give the same tokens. Operators and
/// other symbols are kept as tokens (`7 // 2` and `7 % 2` ask different
/// things), and code in backticks is kept as written, split only at
/// spaces: there quotes and case are part of the meaning
/// (`print("3" + "4")` is not `print(3 + 4)`).
pub(super) fn fold_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut symbols = String::new();
    let mut in_code = false;
    let flush = |buf: &mut String, out: &mut Vec<String>| {
        if !buf.is_empty() {
            out.push(std::mem::take(buf));
        }
    };
    for c in text.chars() {
        if c == '`' {
            flush(&mut word, &mut out);
            flush(&mut symbols, &mut out);
            in_code = !in_code;
        } else if in_code {
            if c.is_whitespace() {
                flush(&mut word, &mut out);
            } else {
                word.push(c);
            }
        } else if c.is_alphanumeric() {
            flush(&mut symbols, &mut out);
            word.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’') {
            // An apostrophe is folded away without splitting the word.
        } else if is_symbol(c) {
            flush(&mut word, &mut out);
            symbols.push(c);
        } else {
            flush(&mut word, &mut out);
            flush(&mut symbols, &mut out);
        }
    }
    flush(&mut word, &mut out);
    flush(&mut symbols, &mut out);
    out
}

/// Characters that carry meaning in maths, code and science questions, as
/// opposed to prose punctuation (which is folded away). The hyphen is prose
/// here: notes use it as a dash far more often than as a minus.
fn is_symbol(c: char) -> bool {
    "+*/=<>%^±×÷√°&|~#$£€¥@≤≥≠≈∞→⇌←∑∫∆".contains(c)
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
    // Short questions: each long word once as written and once with each
    // letter left out (symmetric deletes), the rest as written, so a typo
    // in the one word that matters finds its question.
    if tokens.len() <= 4 {
        for (i, t) in tokens.iter().enumerate() {
            let chars: Vec<char> = t.chars().collect();
            if chars.len() < 5 || !chars.iter().all(|c| c.is_alphabetic()) {
                continue;
            }
            let with = |w: &str| {
                let mut v: Vec<&str> = tokens.iter().map(String::as_str).collect();
                if let Some(slot) = v.get_mut(i) {
                    *slot = w;
                }
                format!("t{i}:{}", v.join(" "))
            };
            keys.push(with(t));
            for d in 0..chars.len() {
                let del: String = chars
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| k != d)
                    .map(|(_, c)| c)
                    .collect();
                keys.push(with(&del));
            }
        }
    }
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
    keys.sort();
    keys.dedup();
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
        // Same words in another order; numbers and symbols must keep their
        // order (`2 // 7` is not `7 // 2`).
        let literals = |t: &[String]| -> Vec<String> {
            t.iter()
                .filter(|w| !w.chars().all(char::is_alphabetic))
                .cloned()
                .collect()
        };
        return (a.len() >= 3 && literals(a) == literals(b)).then_some(Kind::Near);
    }
    // Words in one and not the other (as multisets).
    let only_a = difference(&sa, &sb);
    let only_b = difference(&sb, &sa);
    if only_a.len() + only_b.len() > 2 || only_a.len() > 1 || only_b.len() > 1 {
        return None;
    }
    let shared = sa.len() - only_a.len();
    let near = match (only_a.first(), only_b.first()) {
        // One word swapped: a typo, or one filler word for another. Any
        // other swapped word is the point of the question, however long
        // the rest (`What is the frequency of mains electricity in the UK?`
        // / `… voltage …`; `When did Stalin die?` / `… Lenin …`).
        // A typo counts only with at least four words around it: in a
        // short question the one word is the question (`What does hablas
        // mean?` / `What does habla mean?`).
        (Some(x), Some(y)) if is_typo(x, y) && shared < 4 => {
            return Some(Kind::ShortTypo(x.to_string(), y.to_string()));
        }
        (Some(x), Some(y)) => (is_typo(x, y) && shared >= 4) || (is_filler(x) && is_filler(y)),
        // One word added or dropped: only filler words keep the meaning.
        (Some(x), None) | (None, Some(x)) => is_filler(x) && shared >= 3,
        (None, None) => false,
    };
    near.then_some(Kind::Near)
}

/// Both end in the same letter, or one is the other plus a plural `s`
/// (`dispute`/`disputes`): a different last letter is another form of the
/// word (`hablo`/`habla`).
fn same_last_letter(a: &[char], b: &[char]) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    long.last() == short.last()
        || (long.len() == short.len() + 1
            && long.last() == Some(&'s')
            && long.get(..short.len()) == Some(short))
}

/// Equal once accents are removed.
fn same_letters(a: &[char], b: &[char]) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let base = |w: &[char]| -> String {
        w.iter()
            .copied()
            .nfd()
            .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
            .collect()
    };
    base(a) == base(b)
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
/// enough that a typo is likelier than a different word. Not a typo: a
/// different first letter (`Gambia`/`Zambia`), a
/// different number (`12345`/`12346`), a different last letter (an
/// inflection: `hablo`/`habla`), or a different accent
/// (`estás`/`estas` are two words in Spanish).
fn is_typo(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < 5
        || a.len().abs_diff(b.len()) > 1
        || !(a.iter().all(|c| c.is_alphabetic()) && b.iter().all(|c| c.is_alphabetic()))
        || !same_last_letter(&a, &b)
        || same_letters(&a, &b)
    {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    // A different first letter makes a different word, not a typo
    // (`Gambia`/`Zambia`).
    prefix >= 1 && prefix + suffix + 1 >= a.len().max(b.len())
}

const DOC: &str = r#"**What it does**

Finds a question asked twice with different answers: exactly the same once
case, spacing, quotes and punctuation are ignored, or nearly the same (the
words reordered, a filler word added or dropped, or a one-letter typo in a
question of five words or more). In a shorter question the one word is
usually the question (`pero`/`perro`), so a one-letter difference counts
as a typo only when one spelling occurs nowhere else in the deck, the other
at least twice, and the two answers share a content word. The later card is reported, with the
first one as related.

Symbols (`+`, `%`, `//`, `°`) and code in backticks are part of the
question, so `print(7 // 2)` and `print(7 % 2)` are different questions. A
different content word is a different question however long the rest
(`What is the frequency of…` / `What is the voltage of…`), and so are two
forms of one word (`hablo`/`habla`) or two accents (`estás`/`estas`).

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
    fn parallel_questions_that_differ_in_their_point_are_different() {
        let text = "What is the frequency of mains electricity in the UK?\n50 Hz\n\
                    What is the voltage of mains electricity in the UK?\n230 V\n\
                    What is the output of `print(7 // 2)`?\n3\n\
                    What is the output of `print(7 % 2)`?\n1\n\
                    What is the output of `print(\"3\" + \"4\")`?\n34\n\
                    What is the output of `print(3 + 4)`?\n7\n\
                    What is 2 // 7?\n0\nWhat is 7 // 2?\n3\n\
                    What does hablo mean?\nI speak\nWhat does habla mean?\nhe speaks\n\
                    What does estás mean?\nyou are\nWhat does estas mean?\nthese\n";
        let (_, ds) = check(&DuplicateQuestion, text);
        assert!(ds.is_empty(), "{ds:?}");
    }

    #[test]
    fn a_typo_in_a_short_question_needs_evidence() {
        // `bradicardia` occurs once, `bradycardia` twice, and the answers
        // share `heart`: a typo.
        let text = "What is bradycardia?\nA slow heart rate, below 60 beats per minute\n\
                    What is tachycardia?\nA fast heart rate; the opposite of bradycardia\n\
                    What is bradicardia?\nA heart rate above 100 beats per minute\n";
        let (src, ds) = check(&DuplicateQuestion, text);
        assert_eq!(lines(&src, &ds), [5]);
        // Vocabulary: two real words whose answers share nothing.
        let text = "What does pero mean?\nbut\nWhat does perro mean?\ndog\n\
                    Translate: the dog\nel perro\n\
                    die Schüssel\nthe bowl\nder Schlüssel\nthe key\nWo ist der Schlüssel?\nwhere is the key\n";
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
