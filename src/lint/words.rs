//! Words of a deck's text, shared by the variant lints (`name-variant`,
//! `term-variant`, `spelling-variant`, `word-confusion`, `stray-token`).
//!
//! It owns three things: cutting the deck's text into [`Segment`]s (the
//! title, each question, each answer line) and words with byte spans; a
//! deck-wide [`WordIndex`] of spellings with their positions (so frequencies
//! are `len()` of a list); and the small edit-distance helpers the rules use
//! to compare only the candidates an index proposes, never all pairs.

use std::collections::{BTreeMap, BTreeSet};

use super::Context;
use crate::source::Span;

/// One line of deck text: the title, a question, or an answer line. The text
/// is taken from the source at the span, so word spans are exact.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    pub text: &'a str,
    /// Byte offset of `text` in the source.
    pub start: usize,
}

/// One word: a run of letters/digits, with inner apostrophes kept
/// (`couldn’t`) and a possessive `’s`/`'s` stripped from `text` and `span`.
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    pub text: &'a str,
    pub span: Span,
    /// Index into [`WordIndex::segments`].
    pub seg: usize,
    /// Whether the word starts its line or a sentence (so a capital letter
    /// says nothing about it being a name).
    pub initial: bool,
}

/// Splits a segment into words.
pub fn tokenize<'a>(seg: &Segment<'a>, seg_index: usize) -> Vec<Word<'a>> {
    let text = seg.text;
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() {
                end = i + c.len_utf8();
                chars.next();
            } else if c == '\'' || c == '’' {
                // An apostrophe belongs to the word only between letters.
                let after = text.get(i + c.len_utf8()..).and_then(|r| r.chars().next());
                if after.is_some_and(char::is_alphanumeric) {
                    chars.next();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let Some(full) = text.get(start..end) else {
            continue;
        };
        let word = strip_possessive(full);
        let prefix = text.get(..start).unwrap_or("");
        out.push(Word {
            text: word,
            span: Span::new(seg.start + start, seg.start + start + word.len()),
            seg: seg_index,
            initial: is_sentence_start(prefix),
        });
    }
    out
}

/// `Stalin’s` → `Stalin`; other words unchanged.
fn strip_possessive(word: &str) -> &str {
    for suffix in ["’s", "'s"] {
        if let Some(base) = word.strip_suffix(suffix) {
            if !base.is_empty() {
                return base;
            }
        }
    }
    word
}

/// True when what precedes a word on its line ends a sentence (or is only
/// a list marker or opening punctuation).
fn is_sentence_start(prefix: &str) -> bool {
    let trimmed =
        prefix.trim_end_matches(|c: char| c.is_whitespace() || "‘“\"'([>•*–-".contains(c));
    match trimmed.chars().last() {
        None => true,
        Some(c) => ".!?:;".contains(c),
    }
}

/// Every word of the deck, with an index of exact spellings.
pub struct WordIndex<'a> {
    pub segments: Vec<Segment<'a>>,
    pub words: Vec<Word<'a>>,
    /// Word indices of each segment: `words[by_segment[s].0..by_segment[s].1]`.
    pub by_segment: Vec<(usize, usize)>,
    /// Exact spelling → indices into `words`, in source order.
    pub spellings: BTreeMap<&'a str, Vec<usize>>,
}

impl<'a> WordIndex<'a> {
    pub fn build(cx: &Context<'a>) -> Self {
        let segments = segments(cx);
        let mut words = Vec::new();
        let mut by_segment = Vec::with_capacity(segments.len());
        for (i, seg) in segments.iter().enumerate() {
            let first = words.len();
            words.extend(tokenize(seg, i));
            by_segment.push((first, words.len()));
        }
        let mut spellings: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
        for (i, w) in words.iter().enumerate() {
            spellings.entry(w.text).or_default().push(i);
        }
        WordIndex {
            segments,
            words,
            by_segment,
            spellings,
        }
    }

    /// The words of segment `s`.
    pub fn segment_words(&self, s: usize) -> &[Word<'a>] {
        self.by_segment
            .get(s)
            .and_then(|&(a, b)| self.words.get(a..b))
            .unwrap_or(&[])
    }

    /// How often `spelling` occurs exactly.
    pub fn count(&self, spelling: &str) -> usize {
        self.spellings.get(spelling).map_or(0, Vec::len)
    }

    /// The text between two words of the same segment (`a` before `b`).
    pub fn gap(&self, a: &Word<'_>, b: &Word<'_>) -> &'a str {
        let Some(seg) = self.segments.get(a.seg) else {
            return "";
        };
        let from = a.span.end.saturating_sub(seg.start);
        let to = b.span.start.saturating_sub(seg.start);
        seg.text.get(from..to).unwrap_or("")
    }
}

/// The deck's lines in source order: title, then each card's question and
/// answer lines. Spans that do not fit the source are skipped.
pub fn segments<'a>(cx: &Context<'a>) -> Vec<Segment<'a>> {
    let mut spans = Vec::new();
    spans.extend(cx.deck.name_span);
    for card in &cx.deck.cards {
        spans.push(card.question_span);
        spans.extend(card.answer.iter().map(|a| a.span));
    }
    spans.sort();
    spans.dedup();
    spans
        .into_iter()
        .filter_map(|span| {
            let text = cx.source.text.get(span.start..span.end)?;
            Some(Segment {
                text,
                start: span.start,
            })
        })
        .collect()
}

/// Starts with an uppercase letter and has a lowercase one (`Khrushchev`,
/// not `USSR`).
pub fn is_capitalized(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// Only letters (no digits).
pub fn is_alphabetic(word: &str) -> bool {
    !word.is_empty() && word.chars().all(char::is_alphabetic)
}

/// `replacement` with the first letter's case taken from `original`, so a
/// fix keeps a sentence-initial capital.
pub fn match_case(original: &str, replacement: &str) -> String {
    let upper = original.chars().next().is_some_and(char::is_uppercase);
    let mut chars = replacement.chars();
    match chars.next() {
        Some(first) if upper => first.to_uppercase().chain(chars).collect(),
        _ => replacement.to_string(),
    }
}

/// The kind of a single edit between two spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    Substitution,
    /// One spelling has one more character (either direction).
    InsertDelete,
    /// Two adjacent characters swapped.
    Transposition,
}

/// One edit between `a` and `b`: its kind and the char index where it
/// happens (in the longer spelling). `None` when equal or further apart.
pub fn single_edit(a: &str, b: &str) -> Option<(EditKind, usize)> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (long, short) = if a.len() >= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 || a == b {
        return None;
    }
    let pos = long
        .iter()
        .zip(short.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if long.len() != short.len() {
        // Deleting `long[pos]` must give `short`.
        let rest_eq = long.get(pos + 1..) == short.get(pos..);
        return rest_eq.then_some((EditKind::InsertDelete, pos));
    }
    if long.get(pos + 1..) == short.get(pos + 1..) {
        return Some((EditKind::Substitution, pos));
    }
    let swapped = long.get(pos) == short.get(pos + 1)
        && long.get(pos + 1) == short.get(pos)
        && long.get(pos + 2..) == short.get(pos + 2..);
    swapped.then_some((EditKind::Transposition, pos))
}

/// Levenshtein distance in characters (words are short; O(n·m)).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Pairs of spellings (`a < b`) that may be one edit apart, found with a
/// symmetric-delete index: each spelling is filed under itself and under
/// every one-character deletion, so two spellings one edit apart share a
/// key. Buckets larger than `max_bucket` (degenerate input) are skipped to
/// stay near-linear. Callers confirm each pair with [`single_edit`].
pub fn near_pairs<'s>(spellings: &[&'s str], max_bucket: usize) -> BTreeSet<(&'s str, &'s str)> {
    let mut index: BTreeMap<String, Vec<&'s str>> = BTreeMap::new();
    for &w in spellings {
        let chars: Vec<(usize, char)> = w.char_indices().collect();
        let mut keys = vec![w.to_string()];
        for &(i, c) in &chars {
            let mut k = String::with_capacity(w.len());
            k.push_str(w.get(..i).unwrap_or(""));
            k.push_str(w.get(i + c.len_utf8()..).unwrap_or(""));
            keys.push(k);
        }
        keys.sort();
        keys.dedup();
        for k in keys {
            index.entry(k).or_default().push(w);
        }
    }
    let mut pairs = BTreeSet::new();
    for bucket in index.values() {
        if bucket.len() < 2 || bucket.len() > max_bucket {
            continue;
        }
        for (i, &a) in bucket.iter().enumerate() {
            for &b in bucket.iter().skip(i + 1) {
                if a != b {
                    pairs.insert(if a < b { (a, b) } else { (b, a) });
                }
            }
        }
    }
    pairs
}

/// Helpers for unit tests of the variant rules: decks built by hand.
#[cfg(test)]
pub(crate) mod testing {
    use crate::diagnostic::Diagnostic;
    use crate::lint::{Context, LintConfig, Rule};
    use crate::model::{AnswerLine, Card, Deck};
    use crate::source::SourceFile;

    /// The reference notes and the source lines of their questions.
    pub const REFERENCE: &str = include_str!("../../input/sino-soviet.txt");
    pub const REFERENCE_QUESTIONS: &[usize] =
        &[2, 4, 7, 11, 18, 20, 25, 27, 33, 35, 37, 39, 41, 44, 48];

    /// A deck whose questions are on `questions` (1-based lines); line 1 is
    /// the title unless it is a question; `(Label)` lines are skipped; other
    /// lines are answers of the card before.
    pub fn deck(src: &SourceFile, questions: &[usize]) -> Deck {
        let mut deck = Deck::default();
        for line in src.lines() {
            let t = line.text.trim();
            if t.is_empty() || (t.starts_with('(') && t.ends_with(')')) {
                continue;
            }
            if questions.contains(&line.number) {
                deck.cards.push(Card {
                    question: t.to_string(),
                    question_span: line.span,
                    line: line.number,
                    ..Card::default()
                });
            } else if let Some(card) = deck.cards.last_mut() {
                card.answer.push(AnswerLine::new(t, line.span));
            } else {
                deck.name = t.to_string();
                deck.name_span = Some(line.span);
            }
        }
        deck
    }

    /// Runs `rule` on `text` (questions on `questions`).
    pub fn check(rule: &dyn Rule, text: &str, questions: &[usize]) -> Vec<Diagnostic> {
        check_with(rule, text, questions, &LintConfig::default())
    }

    pub fn check_with(
        rule: &dyn Rule,
        text: &str,
        questions: &[usize],
        config: &LintConfig,
    ) -> Vec<Diagnostic> {
        let src = SourceFile::new("x", text);
        let deck = deck(&src, questions);
        let mut out = Vec::new();
        rule.check(&Context::new(&deck, &src, config), &mut out);
        out
    }

    /// 1-based line of a diagnostic's primary span in `text`.
    pub fn line_of(text: &str, d: &Diagnostic) -> usize {
        SourceFile::new("x", text).line_of(d.span.start)
    }

    /// Runs `rule` on the reference notes.
    pub fn check_reference(rule: &dyn Rule) -> Vec<Diagnostic> {
        check(rule, REFERENCE, REFERENCE_QUESTIONS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, bool)> {
        let seg = Segment { text, start: 10 };
        tokenize(&seg, 0)
            .into_iter()
            .map(|w| (w.text.to_string(), w.initial))
            .collect()
    }

    #[test]
    fn tokenizes_with_possessives_and_sentence_starts() {
        let got = words("> Mao regarded Khrushchev’s ideas. Then couldn’t 1920s-1949");
        let names: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            names,
            [
                "Mao",
                "regarded",
                "Khrushchev",
                "ideas",
                "Then",
                "couldn’t",
                "1920s",
                "1949"
            ]
        );
        let initial: Vec<bool> = got.iter().map(|(_, i)| *i).collect();
        assert_eq!(
            initial,
            [true, false, false, false, true, false, false, false]
        );
    }

    #[test]
    fn spans_point_at_the_stripped_word() {
        let text = "of Krushchev’s pursuit";
        let seg = Segment { text, start: 100 };
        let w = tokenize(&seg, 0);
        assert_eq!(w[1].span, Span::new(103, 112));
        assert_eq!(&text[3..12], "Krushchev");
    }

    #[test]
    fn single_edit_kinds() {
        assert_eq!(
            single_edit("Krushchev", "Khrushchev"),
            Some((EditKind::InsertDelete, 1))
        );
        assert_eq!(
            single_edit("Henan", "Hunan"),
            Some((EditKind::Substitution, 1))
        );
        assert_eq!(
            single_edit("form", "from"),
            Some((EditKind::Transposition, 1))
        );
        assert_eq!(single_edit("Austria", "Australia"), None);
        assert_eq!(single_edit("same", "same"), None);
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("deception", "perception"), 2);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }

    #[test]
    fn near_pairs_finds_one_edit_neighbours_only() {
        let pairs = near_pairs(
            &["Khrushchev", "Krushchev", "Stalin", "Austria", "Australia"],
            64,
        );
        assert!(pairs.contains(&("Khrushchev", "Krushchev")));
        assert_eq!(pairs.len(), 1);
    }

    #[test]
    fn match_case_keeps_a_capital() {
        assert_eq!(match_case("Defence", "defense"), "Defense");
        assert_eq!(match_case("defence", "defense"), "defense");
    }
}
