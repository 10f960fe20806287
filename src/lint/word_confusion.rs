//! `word-confusion`: the same phrase written twice with one look-alike word
//! swapped (`Chinese perception of the USSR` / `Chinese deception of the
//! USSR`).
//!
//! Every 5-word window of a clause is indexed once per inner slot with that
//! slot blanked out (`chinese _ of the ussr`), so two phrases that differ in
//! one word land in the same bucket; only words sharing a bucket are
//! compared. Near-linear: five keys per word.

use std::collections::BTreeSet;

use super::spelling_variant::spelling_key;
use super::words::{self, FxHashMap, Word, WordIndex};
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
        let words = cx.words();
        let index = &*words;
        let lower = Lowered::new(index);
        // Only a bucket holding a one-off word can report anything (the
        // suspicious word occurs once), so first find the keys of the
        // windows around one-off words, then fill only those buckets.
        let mut keys: FxHashMap<Key, usize> = FxHashMap::default();
        // The one-off words in source order, so each segment's words are
        // decoded once.
        let mut one_offs: Vec<usize> = (0..index.spellings().len())
            .filter(|&id| {
                index.count_id(id) == 1
                    && lower
                        .of_spelling
                        .get(id)
                        .is_some_and(|&l| lower.count(l) == 1)
            })
            .filter_map(|id| index.first_place(id))
            .collect();
        one_offs.sort_unstable();
        let mut ws = Vec::new();
        let mut decoded = None;
        for i in one_offs {
            let s = index.segment_of(i);
            let first = index.segment_first(s);
            let at = i.saturating_sub(first);
            if decoded != Some(s) {
                index.segment_words(s, &mut ws);
                decoded = Some(s);
            }
            for slot in 1..N - 1 {
                let Some(window) = at
                    .checked_sub(slot)
                    .and_then(|start| window_at(index, &lower, &ws, first, start))
                else {
                    continue;
                };
                if slots(&lower, &window).any(|x| x == slot) {
                    let n = keys.len();
                    keys.entry(key(&window, slot)).or_insert(n);
                }
            }
        }
        if keys.is_empty() {
            return;
        }
        // A bit per hashed key filters the windows before their words are
        // checked to be one phrase.
        let bits = (keys.len() * 64).next_power_of_two();
        let bit = |h: u64| filter_bit(h, bits);
        let mut filter = vec![false; bits];
        for k in keys.keys() {
            if let Some(b) = filter.get_mut(bit(key_hash(k))) {
                *b = true;
            }
        }
        // A key's first and last words are never blanked: a window whose
        // first and last words start and end no key is passed over without
        // hashing.
        let mut firsts = vec![false; lower.text.len()];
        let mut lasts = vec![false; lower.text.len()];
        for k in keys.keys() {
            if let Some(f) = k.first().and_then(|&l| firsts.get_mut(l as usize)) {
                *f = true;
            }
            if let Some(f) = k.last().and_then(|&l| lasts.get_mut(l as usize)) {
                *f = true;
            }
        }
        let ends_of_a_key = |l: &[u32]| {
            let is = |table: &[bool], l: Option<&u32>| {
                l.and_then(|&l| table.get(l as usize)).copied() == Some(true)
            };
            is(&firsts, l.first()) && is(&lasts, l.last())
        };
        let mut buckets: Vec<Bucket> = vec![Bucket::default(); keys.len()];
        let mut lids: Vec<u32> = Vec::new();
        for s in 0..index.segment_count() {
            index.segment_words(s, &mut ws);
            if ws.len() < N {
                continue;
            }
            let first = index.segment_first(s);
            lids.clear();
            lids.extend(ws.iter().map(|w| lower.id(w)));
            for (start, l) in lids.windows(N).enumerate() {
                if !ends_of_a_key(l) {
                    continue;
                }
                let mut p = [0; N];
                for (p, &l) in p.iter_mut().zip(l) {
                    *p = part(l);
                }
                let h = window_hash(&p);
                // The window's hash with one slot blanked.
                let maybe = (1..N - 1).any(|slot| {
                    let own = p.get(slot).copied().unwrap_or(0);
                    let pow = POW.get(slot).copied().unwrap_or(0);
                    let blanked = h.wrapping_add(part(0).wrapping_sub(own).wrapping_mul(pow));
                    filter.get(bit(blanked)).copied().unwrap_or(false)
                });
                if !maybe {
                    continue;
                }
                let Some(window) = window_at(index, &lower, &ws, first, start) else {
                    continue;
                };
                let span = window_span(index, ws.get(start..start + N).unwrap_or(&[]));
                for slot in slots(&lower, &window) {
                    let Some(&(l, word)) = window.get(slot) else {
                        continue;
                    };
                    if let Some(b) = keys
                        .get(&key(&window, slot))
                        .and_then(|&b| buckets.get_mut(b))
                    {
                        b.add(l, word, span);
                    }
                }
            }
        }
        // Buckets in the order of their keys (as strings: the blank sorts
        // first, then words alphabetically, as lowered ids do).
        let mut order: Vec<(Key, usize)> = keys.into_iter().collect();
        order.sort_unstable();
        let mut seen = BTreeSet::new();
        for (_, b) in order {
            if let Some(bucket) = buckets.get(b) {
                compare_bucket(cx, index, &lower, bucket, &mut seen, out);
            }
        }
    }
}

/// `N` words of a phrase: (lowered id, word index) each.
type Window = [(u32, u32); N];

/// A window's lowered word ids with the slot blanked (0).
type Key = [u32; N];

fn key(window: &Window, slot: usize) -> Key {
    let mut k = [0; N];
    for (i, (k, &(l, _))) in k.iter_mut().zip(window).enumerate() {
        if i != slot {
            *k = l;
        }
    }
    k
}

/// A hash of a key for the window filter (not the map's): a polynomial
/// in the words' parts, so blanking a slot of a window's hash is one
/// multiply, not a new hash.
fn key_hash(k: &Key) -> u64 {
    let mut p = [0; N];
    for (p, &l) in p.iter_mut().zip(k) {
        *p = part(l);
    }
    window_hash(&p)
}

/// The powers of the polynomial per slot.
const POW: [u64; N] = {
    let mut pow = [1u64; N];
    let mut i = 1;
    while i < N {
        pow[i] = pow[i - 1].wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    pow
};

/// A lowered id's part of a window's hash.
fn part(l: u32) -> u64 {
    (u64::from(l) + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The hash of `N` parts.
fn window_hash(parts: &[u64]) -> u64 {
    parts
        .iter()
        .zip(POW)
        .fold(0u64, |h, (&p, pow)| h.wrapping_add(p.wrapping_mul(pow)))
}

/// The filter bit of a hash (`bits` is a power of two).
fn filter_bit(h: u64, bits: usize) -> usize {
    let h = (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    (h >> 32) as usize & (bits - 1)
}

/// Lowercased spellings, interned: ids (from 1) follow the lowercased
/// strings' sorted order; 0 is the blank slot of a key.
struct Lowered {
    /// Lowered id of each spelling id.
    of_spelling: Vec<u32>,
    /// Per lowered id: the text, how often it occurs, and whether it gives
    /// context (three letters or more, not a stop word).
    text: Vec<String>,
    counts: Vec<usize>,
    context: Vec<bool>,
}

impl Lowered {
    fn new(index: &WordIndex<'_>) -> Self {
        let lowers: Vec<String> = index.spellings().iter().map(|s| s.to_lowercase()).collect();
        let mut text: Vec<String> = Vec::with_capacity(lowers.len() + 1);
        text.push(String::new());
        let mut sorted: Vec<&String> = lowers.iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        text.extend(sorted.into_iter().cloned());
        let find = |l: &str| {
            text.get(1..)
                .and_then(|t| t.binary_search_by(|x| x.as_str().cmp(l)).ok())
                .and_then(|i| u32::try_from(i + 1).ok())
                .unwrap_or(0)
        };
        let of_spelling: Vec<u32> = lowers.iter().map(|l| find(l)).collect();
        let mut counts = vec![0; text.len()];
        for (id, &l) in of_spelling.iter().enumerate() {
            if let Some(c) = counts.get_mut(l as usize) {
                *c += index.count_id(id);
            }
        }
        let context = text
            .iter()
            .map(|w| w.chars().count() >= 3 && !STOP.contains(&w.as_str()))
            .collect();
        Lowered {
            of_spelling,
            text,
            counts,
            context,
        }
    }

    fn id(&self, w: &Word) -> u32 {
        self.of_spelling.get(w.id()).copied().unwrap_or(0)
    }

    fn text(&self, l: u32) -> &str {
        self.text.get(l as usize).map_or("", String::as_str)
    }

    fn count(&self, l: u32) -> usize {
        self.counts.get(l as usize).copied().unwrap_or(0)
    }

    fn context(&self, l: u32) -> bool {
        self.context.get(l as usize).copied().unwrap_or(false)
    }
}

/// The `N` words from word `start` of a segment (its words `ws`, the first
/// of them word `first`) as (lowered id, word index), if they are one
/// phrase: a phrase does not continue across a comma, a full stop, a
/// bracket or a spaced dash.
fn window_at(
    index: &WordIndex<'_>,
    lower: &Lowered,
    ws: &[Word],
    first: usize,
    start: usize,
) -> Option<Window> {
    let words = ws.get(start..start + N)?;
    if words.windows(2).any(|p| match p {
        [a, b] => breaks(index.gap(a, b)),
        _ => false,
    }) {
        return None;
    }
    let first = first + start;
    let mut window = [(0, 0); N];
    for (k, (slot, w)) in window.iter_mut().zip(words).enumerate() {
        *slot = (lower.id(w), u32::try_from(first + k).ok()?);
    }
    Some(window)
}

/// The inner slots of a window with at least two meaningful words of
/// context besides them.
fn slots<'w>(lower: &'w Lowered, window: &'w Window) -> impl Iterator<Item = usize> + 'w {
    let context = window.iter().filter(|&&(l, _)| lower.context(l)).count();
    (1..N - 1).filter(move |&slot| {
        let own = window.get(slot).is_some_and(|&(l, _)| lower.context(l));
        context - usize::from(own) >= 2
    })
}

/// From the first word of a window (its `words`) to the last.
fn window_span(index: &WordIndex<'_>, words: &[Word]) -> Span {
    match (words.first(), words.last()) {
        (Some(a), Some(b)) => index.span(a).join(index.span(b)),
        _ => Span::default(),
    }
}

fn breaks(gap: &str) -> bool {
    let gap = gap
        .strip_prefix("’s")
        .or_else(|| gap.strip_prefix("'s"))
        .unwrap_or(gap);
    !(gap.trim().is_empty() || gap == "-")
}

/// The distinct words met in one slot: (lowered id, first word index, its
/// window's span), in order of first appearance; `full` once more than
/// [`MAX_BUCKET`] (then the bucket is a template and is skipped).
#[derive(Debug, Clone, Default)]
struct Bucket {
    distinct: Vec<(u32, u32, Span)>,
    full: bool,
}

impl Bucket {
    fn add(&mut self, l: u32, word: u32, span: Span) {
        if self.full || self.distinct.iter().any(|&(x, _, _)| x == l) {
            return;
        }
        if self.distinct.len() == MAX_BUCKET {
            self.full = true;
            self.distinct = Vec::new();
        } else {
            self.distinct.push((l, word, span));
        }
    }
}

fn compare_bucket(
    cx: &Context<'_>,
    index: &WordIndex<'_>,
    lower: &Lowered,
    bucket: &Bucket,
    seen: &mut BTreeSet<(usize, usize)>,
    out: &mut Vec<Diagnostic>,
) {
    if bucket.full || bucket.distinct.len() < 2 {
        return;
    }
    // In the lowered words' alphabetical order.
    let mut entries = bucket.distinct.clone();
    entries.sort_unstable_by_key(|&(l, _, _)| l);
    for (n, &(la, ia, sa)) in entries.iter().enumerate() {
        for &(lb, ib, sb) in entries.iter().skip(n + 1) {
            let (ia, ib) = (ia as usize, ib as usize);
            let (Some(wa), Some(wb)) = (index.word(ia), index.word(ib)) else {
                continue;
            };
            // The suspicious word is the rarer one, or the later on a tie.
            let a_first = (lower.count(la), std::cmp::Reverse(wa.start()))
                < (lower.count(lb), std::cmp::Reverse(wb.start()));
            let (odd, odd_span, other, other_span) = if a_first {
                (wa, sa, wb, sb)
            } else {
                (wb, sb, wa, sa)
            };
            if lower.count(lower.id(&odd)) != 1 {
                continue;
            }
            let (a, b) = (lower.text(la), lower.text(lb));
            if !look_alike(a, b)
                || (is_name(index, &wa) && is_name(index, &wb))
                || !seen.insert((ia.min(ib), ia.max(ib)))
            {
                continue;
            }
            let phrase = |s: Span| cx.source.text.get(s.start..s.end).unwrap_or("");
            let (odd_text, other_text) = (index.text(&odd), index.text(&other));
            out.push(
                Diagnostic::new(
                    "word-confusion",
                    Level::Warning,
                    index.span(&odd),
                    format!(
                        "`{}` here, but `{}` elsewhere in the same phrase",
                        phrase(odd_span),
                        phrase(other_span)
                    ),
                )
                .with_label(format!("`{odd_text}` looks like a slip for `{other_text}`"))
                .with_related(
                    index.span(&other),
                    format!("`{other_text}` in the same phrase here"),
                )
                .with_help(format!(
                    "check which word is meant: `{odd_text}` or `{other_text}`"
                )),
            );
        }
    }
}

/// Capitalized mid-sentence: a name, which `name-variant` judges.
fn is_name(index: &WordIndex<'_>, w: &Word) -> bool {
    !w.initial() && index.text(w).chars().next().is_some_and(char::is_uppercase)
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
