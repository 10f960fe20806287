//! `word-confusion`: the same phrase written twice with one look-alike word
//! swapped (`Chinese perception of the USSR` / `Chinese deception of the
//! USSR`).
//!
//! Every 5-word window of a clause is indexed once per inner slot with that
//! slot blanked out (`chinese _ of the ussr`), so two phrases that differ in
//! one word land in the same bucket; only words sharing a bucket are
//! compared. Near-linear: five keys per word.

use std::collections::{BTreeMap, BTreeSet};

use super::spelling_variant::spelling_key;
use super::words::{self, Word, WordIndex};
use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};
use crate::source::Span;

pub struct WordConfusion;

/// Window length in words.
const N: usize = 5;
/// Distinct words compared per bucket (a larger bucket is a template such
/// as `the _ of the`, not a slip).
const MAX_BUCKET: usize = 8;

/// Words that carry no context of their own.
const STOP: &[&str] = &[
    "the", "and", "for", "with", "was", "were", "that", "this", "from", "into", "are", "but",
    "not", "its", "his", "her", "their", "they", "them", "has", "had", "have", "been", "which",
    "who", "what", "when", "where", "why", "how", "all", "any", "can", "did", "does", "would",
    "could", "should", "will", "than", "then", "also", "there", "these", "those", "our", "you",
];

/// Prefix pairs that make opposites, not slips (`increase`/`decrease`,
/// `import`/`export`, `hypertonic`/`hypotonic`).
const OPPOSITES: &[(&str, &str)] = &[
    ("in", "de"),
    ("in", "ex"),
    ("im", "ex"),
    ("en", "ex"),
    ("endo", "exo"),
    ("hyper", "hypo"),
    ("over", "under"),
    ("pre", "post"),
    ("pro", "con"),
    ("max", "min"),
    ("sub", "super"),
    ("homo", "hetero"),
    ("ana", "cata"),
    ("a", "de"),
    ("up", "down"),
    ("inter", "intra"),
];

const DOC: &str = "\
**What it does**

Finds a phrase of five words written twice in the deck with one word
swapped for a look-alike: `Chinese perception of the USSR` in an answer,
`Chinese deception of the USSR` in a question. The swapped words must:
- sit inside the phrase (words on both sides are identical), with at least
  two meaningful words of context;
- look alike: at most 2 letters apart, or share an ending of 5 letters or more with short, different beginnings;
- not be forms of one word (`deteriorate`/`deteriorated`), opposites built
  with prefixes (`increase`/`decrease`, `import`/`export`, `hypertonic`/
  `hypotonic`), or one word with a prefix added (`agree`/`disagree`);
- be a one-off: the suspicious word occurs only once in the deck (so
  `mitosis`/`meiosis`, used throughout a biology deck, are not flagged).

**Why it matters**

A look-alike swap changes the meaning while reading naturally, so neither
the author nor the learner notices it — and the learner memorizes the
wrong word.

**Example**

```text
Chinese perception of the USSR deteriorated after the Czech invasion of 1968
What caused the Chinese deception of the USSR to deteriorate?
```

**Fix**

Decide which word is meant and correct the other place. There is no
automatic fix: only the author knows which one is right.
";

impl Rule for WordConfusion {
    fn code(&self) -> &'static str {
        "word-confusion"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "the same phrase with one look-alike word swapped"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let index = cx.words();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for w in &index.words {
            *counts.entry(w.text.to_lowercase()).or_default() += 1;
        }
        // key (window with one slot blanked) → (word in the slot, window)
        let mut buckets: BTreeMap<String, Vec<(usize, Span)>> = BTreeMap::new();
        for clause in clauses(index) {
            for start in 0..clause.len().saturating_sub(N - 1) {
                let Some(window) = clause.get(start..start + N) else {
                    continue;
                };
                let lower: Vec<String> = window
                    .iter()
                    .filter_map(|&i| index.words.get(i))
                    .map(|w| w.text.to_lowercase())
                    .collect();
                let span = match (window.first(), window.last()) {
                    (Some(&a), Some(&b)) => match (index.words.get(a), index.words.get(b)) {
                        (Some(a), Some(b)) => a.span.join(b.span),
                        _ => continue,
                    },
                    _ => continue,
                };
                for slot in 1..N - 1 {
                    let context = lower
                        .iter()
                        .enumerate()
                        .filter(|&(i, w)| i != slot && w.chars().count() >= 3)
                        .filter(|(_, w)| !STOP.contains(&w.as_str()))
                        .count();
                    if context < 2 {
                        continue;
                    }
                    let key: Vec<&str> = lower
                        .iter()
                        .enumerate()
                        .map(|(i, w)| if i == slot { "\u{0}" } else { w.as_str() })
                        .collect();
                    if let Some(&word) = window.get(slot) {
                        buckets.entry(key.join(" ")).or_default().push((word, span));
                    }
                }
            }
        }
        let mut seen = BTreeSet::new();
        for bucket in buckets.values() {
            compare_bucket(cx, index, &counts, bucket, &mut seen, out);
        }
    }
}

/// Runs of word indices not broken by punctuation: a phrase does not
/// continue across a comma, a full stop, a bracket or a spaced dash.
fn clauses(index: &WordIndex<'_>) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for s in 0..index.segments.len() {
        let (first, _) = index.by_segment.get(s).copied().unwrap_or((0, 0));
        let ws = index.segment_words(s);
        let mut cur: Vec<usize> = Vec::new();
        for (k, w) in ws.iter().enumerate() {
            if let Some(prev) = k.checked_sub(1).and_then(|p| ws.get(p)) {
                if breaks(index.gap(prev, w)) {
                    out.push(std::mem::take(&mut cur));
                }
            }
            cur.push(first + k);
        }
        out.push(cur);
    }
    out.retain(|c| c.len() >= N);
    out
}

fn breaks(gap: &str) -> bool {
    let gap = gap
        .strip_prefix("’s")
        .or_else(|| gap.strip_prefix("'s"))
        .unwrap_or(gap);
    !(gap.trim().is_empty() || gap == "-")
}

fn compare_bucket(
    cx: &Context<'_>,
    index: &WordIndex<'_>,
    counts: &BTreeMap<String, usize>,
    bucket: &[(usize, Span)],
    seen: &mut BTreeSet<(usize, usize)>,
    out: &mut Vec<Diagnostic>,
) {
    // First place of each distinct word in the slot.
    let mut distinct: BTreeMap<String, (usize, Span)> = BTreeMap::new();
    for &(i, span) in bucket {
        if let Some(w) = index.words.get(i) {
            distinct.entry(w.text.to_lowercase()).or_insert((i, span));
        }
    }
    if distinct.len() < 2 || distinct.len() > MAX_BUCKET {
        return;
    }
    let entries: Vec<_> = distinct.iter().collect();
    for (n, (a, &(ia, sa))) in entries.iter().enumerate() {
        for (b, &(ib, sb)) in entries.iter().skip(n + 1) {
            let (Some(wa), Some(wb)) = (index.words.get(ia), index.words.get(ib)) else {
                continue;
            };
            let count = |w: &str| counts.get(w).copied().unwrap_or(0);
            if !look_alike(a, b) || (is_name(wa) && is_name(wb)) {
                continue;
            }
            // The suspicious word is the rarer one, or the later on a tie.
            let a_first = (count(a), std::cmp::Reverse(wa.span.start))
                < (count(b), std::cmp::Reverse(wb.span.start));
            let (odd, odd_span, other, other_span) = if a_first {
                (wa, sa, wb, sb)
            } else {
                (wb, sb, wa, sa)
            };
            if count(&odd.text.to_lowercase()) != 1 || !seen.insert((ia.min(ib), ia.max(ib))) {
                continue;
            }
            let phrase = |s: Span| cx.source.text.get(s.start..s.end).unwrap_or("");
            out.push(
                Diagnostic::new(
                    "word-confusion",
                    Level::Warning,
                    odd.span,
                    format!(
                        "`{}` here, but `{}` elsewhere in the same phrase",
                        phrase(odd_span),
                        phrase(other_span)
                    ),
                )
                .with_label(format!(
                    "`{}` looks like a slip for `{}`",
                    odd.text, other.text
                ))
                .with_related(
                    other.span,
                    format!("`{}` in the same phrase here", other.text),
                )
                .with_help(format!(
                    "check which word is meant: `{}` or `{}`",
                    odd.text, other.text
                )),
            );
        }
    }
}

/// Capitalized mid-sentence: a name, which `name-variant` judges.
fn is_name(w: &Word<'_>) -> bool {
    !w.initial && w.text.chars().next().is_some_and(char::is_uppercase)
}

/// Whether two different lowercase words look alike enough to be swapped
/// by mistake (see the rule's doc).
fn look_alike(a: &str, b: &str) -> bool {
    if !(words::is_alphabetic(a) && words::is_alphabetic(b)) {
        return false;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let min = la.min(lb);
    if min < 5 || a.ends_with(b) || b.ends_with(a) || spelling_key(a) == spelling_key(b) {
        return false;
    }
    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    if prefix + 3 >= min {
        return false; // forms of one word
    }
    let suffix = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let head_a: String = a.chars().take(la - suffix).collect();
    let head_b: String = b.chars().take(lb - suffix).collect();
    let opposite = OPPOSITES
        .iter()
        .any(|&(x, y)| (head_a == x && head_b == y) || (head_a == y && head_b == x));
    if opposite {
        return false;
    }
    words::levenshtein(a, b) <= 2
        || (suffix >= 5 && head_a.chars().count() <= 3 && head_b.chars().count() <= 3)
}

#[cfg(test)]
mod tests {
    use super::super::words::testing::*;
    use super::*;

    #[test]
    fn reference_reports_deception_once() {
        let ds = check_reference(&WordConfusion);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        let d = &ds[0];
        assert_eq!(line_of(REFERENCE, d), 41);
        assert_eq!(&REFERENCE[d.span.start..d.span.end], "deception");
        let src = crate::source::SourceFile::new("x", REFERENCE);
        assert_eq!(src.line_of(d.related[0].span.start), 16);
        assert!(d.fix.is_none());
    }

    #[test]
    fn look_alikes() {
        assert!(look_alike("deception", "perception"));
        assert!(look_alike("conversation", "conservation"));
        for (a, b) in [
            ("deteriorate", "deteriorated"),
            ("increase", "decrease"),
            ("import", "export"),
            ("hypertonic", "hypotonic"),
            ("agree", "disagree"),
            ("defence", "defense"),
            ("hablo", "habla"),
            ("comintern", "cominform"),
        ] {
            assert!(!look_alike(a, b), "{a}/{b}");
        }
    }

    #[test]
    fn frequent_words_and_short_contexts_are_quiet() {
        let text = "T\nQ?\ncells divide by mitosis in the body\nQ?\ncells divide by meiosis in the body\nQ?\nmeiosis makes gametes, mitosis repairs\n";
        assert!(check(&WordConfusion, text, &[2, 4, 6]).is_empty());
        let text = "T\nQ?\nit was the perception of the\nQ?\nit was the deception of the\n";
        assert!(check(&WordConfusion, text, &[2, 4]).is_empty());
    }

    #[test]
    fn a_one_off_swap_in_a_long_phrase_is_found() {
        let text = "T\nQ?\nthe Soviet conservation of Arctic forests\nQ?\nWhy did Soviet conversation of Arctic forests fail?\n";
        let ds = check(&WordConfusion, text, &[2, 4]);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert_eq!(line_of(text, &ds[0]), 5);
    }
}
