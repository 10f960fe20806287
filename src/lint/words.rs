//! Words of a deck's text, shared by the variant lints (`name-variant`,
//! `term-variant`, `spelling-variant`, `word-confusion`, `stray-token`).
//!
//! It owns three things: cutting the deck's text into [`Segment`]s (the
//! title, each question, each answer line) and words with byte spans; a
//! deck-wide [`WordIndex`] of spellings with their positions (so frequencies
//! are the length of a list); and the small edit-distance helpers the rules
//! use to compare only the candidates an index proposes, never all pairs.
//!
//! The index is compact because a large deck has millions of words but only
//! thousands of spellings: each distinct spelling is stored once and given
//! an id (ids follow the spellings' sorted order, so iterating ids is
//! iterating spellings alphabetically); a word is three `u32`s (offset,
//! segment and initial flag, spelling id); the places of each spelling are
//! one flat list cut by offsets. Rules do their per-spelling work (folding
//! case, computing keys) once per id, not once per occurrence.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::Context;
use crate::source::Span;

/// FxHash: a fast hasher for interning and lookups of short keys. Maps
/// using it are only ever looked up, never iterated into output.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FxHasher`] (lookups only; never iterate it into
/// output).
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` with [`FxHasher`] (lookups only).
pub type FxHashSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// One line of deck text: the title, a question, or an answer line. The text
/// is taken from the source at the span, so word spans are exact.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    pub text: &'a str,
    /// Byte offset of `text` in the source.
    pub start: usize,
}

/// One word: a run of letters/digits, with inner apostrophes kept
/// (`couldn’t`) and a possessive `’s`/`'s` stripped. Its text, span and
/// spelling come from the [`WordIndex`] ([`WordIndex::text`],
/// [`WordIndex::span`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Byte offset in the source.
    start: u32,
    /// Index into [`WordIndex::segments`]; the top bit is `initial`.
    seg: u32,
    /// Spelling id (see [`WordIndex::spelling`]).
    id: u32,
}

const INITIAL: u32 = 1 << 31;

impl Word {
    /// Byte offset of the word in the source.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// Index into [`WordIndex::segments`].
    pub fn seg(&self) -> usize {
        (self.seg & !INITIAL) as usize
    }

    /// Whether the word starts its line or a sentence (so a capital letter
    /// says nothing about it being a name).
    pub fn initial(&self) -> bool {
        self.seg & INITIAL != 0
    }

    /// The word's spelling id.
    pub fn id(&self) -> usize {
        self.id as usize
    }
}

/// The words of a line: (byte offset in `text`, word, starts a sentence).
pub fn tokens(text: &str) -> impl Iterator<Item = (usize, &str, bool)> + '_ {
    let bytes = text.as_bytes();
    // The char at byte `i` (a char boundary) and its length.
    let char_at = move |i: usize| match bytes.get(i) {
        Some(&b) if b < 0x80 => Some((char::from(b), 1)),
        Some(_) => text
            .get(i..)
            .and_then(|r| r.chars().next())
            .map(|c| (c, c.len_utf8())),
        None => None,
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        // Skip to the next letter or digit (ASCII bytes tested as bytes:
        // for them `char::is_alphanumeric` is `u8::is_ascii_alphanumeric`).
        loop {
            match bytes.get(i) {
                Some(&b) if b < 0x80 => {
                    if b.is_ascii_alphanumeric() {
                        break;
                    }
                    i += 1;
                }
                _ => {
                    let (c, n) = char_at(i)?;
                    if c.is_alphanumeric() {
                        break;
                    }
                    i += n;
                }
            }
        }
        let start = i;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let Some((c, n)) = char_at(i) else { break };
            if c.is_alphanumeric() {
                i += n;
            } else if c == '\'' || c == '’' {
                // An apostrophe belongs to the word only between letters.
                if char_at(i + n).is_some_and(|(after, _)| after.is_alphanumeric()) {
                    i += n;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let full = text.get(start..i).unwrap_or("");
        let prefix = text.get(..start).unwrap_or("");
        Some((start, strip_possessive(full), is_sentence_start(prefix)))
    })
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
    // Fast path over ASCII; the first non-ASCII byte from the end hands
    // over to the general version.
    let bytes = prefix.as_bytes();
    let mut end = bytes.len();
    while let Some(&b) = end.checked_sub(1).and_then(|i| bytes.get(i)) {
        if b >= 0x80 {
            return is_sentence_start_slow(prefix.get(..end).unwrap_or(prefix));
        }
        if matches!(
            b,
            b'\t'..=b'\r' | b' ' | b'"' | b'\'' | b'(' | b'[' | b'>' | b'*' | b'-'
        ) {
            end -= 1;
        } else {
            return b".!?:;".contains(&b);
        }
    }
    true
}

fn is_sentence_start_slow(prefix: &str) -> bool {
    let trimmed =
        prefix.trim_end_matches(|c: char| c.is_whitespace() || "‘“\"'([>•*–-".contains(c));
    match trimmed.chars().last() {
        None => true,
        Some(c) => ".!?:;".contains(c),
    }
}

/// Every word of the deck, with an index of exact spellings. Text past
/// 4 GiB of source is not indexed (offsets are `u32`).
pub struct WordIndex<'a> {
    pub segments: Vec<Segment<'a>>,
    /// Every word, in source order.
    pub words: Vec<Word>,
    /// Words of segment `s`: `words[seg_starts[s]..seg_starts[s + 1]]`.
    seg_starts: Vec<u32>,
    /// Distinct spellings, sorted; a spelling's id is its index here.
    spellings: Vec<&'a str>,
    lookup: FxHashMap<&'a str, u32>,
    /// Places of spelling `id`: `places[place_starts[id]..place_starts[id + 1]]`,
    /// word indices in source order.
    place_starts: Vec<u32>,
    places: Vec<u32>,
}

impl<'a> WordIndex<'a> {
    pub fn build(cx: &Context<'a>) -> Self {
        Self::from_segments(segments(cx))
    }

    fn from_segments(mut segments: Vec<Segment<'a>>) -> Self {
        // Offsets are u32: drop what starts or ends past that.
        segments.retain(|s| u32::try_from(s.start + s.text.len()).is_ok());
        // Reserved from the text so the word list (the biggest table) is
        // not copied to grow: prose has about one word per six bytes, so
        // one per five rarely grows, and pages reserved but never written
        // cost no memory.
        let bytes: usize = segments.iter().map(|s| s.text.len()).sum();
        let mut words: Vec<Word> = Vec::with_capacity(bytes / 5 + segments.len());
        let mut seg_starts = Vec::with_capacity(segments.len() + 1);
        // Ids in first-seen order at first; renumbered in sorted order below.
        let mut lookup: FxHashMap<&'a str, u32> = FxHashMap::default();
        let mut spellings: Vec<&'a str> = Vec::new();
        for (s, seg) in segments.iter().enumerate() {
            seg_starts.push(u32::try_from(words.len()).unwrap_or(u32::MAX));
            let seg_bits = u32::try_from(s).unwrap_or(0) & !INITIAL;
            for (at, text, initial) in tokens(seg.text) {
                let Ok(start) = u32::try_from(seg.start + at) else {
                    continue;
                };
                let id = match lookup.get(text) {
                    Some(&id) => id,
                    None => {
                        let id = u32::try_from(spellings.len()).unwrap_or(u32::MAX);
                        spellings.push(text);
                        lookup.insert(text, id);
                        id
                    }
                };
                words.push(Word {
                    start,
                    seg: seg_bits | if initial { INITIAL } else { 0 },
                    id,
                });
            }
        }
        seg_starts.push(u32::try_from(words.len()).unwrap_or(u32::MAX));
        // Renumber ids in sorted order of spellings.
        let mut order: Vec<u32> = (0..spellings.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        order.sort_unstable_by_key(|&i| spellings.get(i as usize).copied().unwrap_or(""));
        let mut rank = vec![0u32; spellings.len()];
        for (new, &old) in order.iter().enumerate() {
            if let Some(r) = rank.get_mut(old as usize) {
                *r = u32::try_from(new).unwrap_or(u32::MAX);
            }
        }
        let sorted: Vec<&'a str> = order
            .iter()
            .filter_map(|&old| spellings.get(old as usize).copied())
            .collect();
        for v in lookup.values_mut() {
            *v = rank.get(*v as usize).copied().unwrap_or(*v);
        }
        let mut place_starts = vec![0u32; sorted.len() + 1];
        for w in &mut words {
            w.id = rank.get(w.id as usize).copied().unwrap_or(w.id);
            if let Some(n) = place_starts.get_mut(w.id as usize + 1) {
                *n += 1;
            }
        }
        for i in 1..place_starts.len() {
            let before = place_starts.get(i - 1).copied().unwrap_or(0);
            if let Some(n) = place_starts.get_mut(i) {
                *n += before;
            }
        }
        let mut fill = place_starts.clone();
        let mut places = vec![0u32; words.len()];
        for (i, w) in words.iter().enumerate() {
            if let Some(at) = fill.get_mut(w.id as usize) {
                if let Some(p) = places.get_mut(*at as usize) {
                    *p = u32::try_from(i).unwrap_or(u32::MAX);
                }
                *at += 1;
            }
        }
        WordIndex {
            segments,
            words,
            seg_starts,
            spellings: sorted,
            lookup,
            place_starts,
            places,
        }
    }

    /// The words of segment `s`.
    pub fn segment_words(&self, s: usize) -> &[Word] {
        let a = self.seg_starts.get(s).copied().unwrap_or(0) as usize;
        let b = self.seg_starts.get(s + 1).copied().unwrap_or(0) as usize;
        self.words.get(a..b).unwrap_or(&[])
    }

    /// Index in [`WordIndex::words`] of the first word of segment `s`.
    pub fn segment_first(&self, s: usize) -> usize {
        self.seg_starts.get(s).copied().unwrap_or(0) as usize
    }

    /// Distinct spellings, sorted; ids index this.
    pub fn spellings(&self) -> &[&'a str] {
        &self.spellings
    }

    /// The spelling with id `id`.
    pub fn spelling(&self, id: usize) -> &'a str {
        self.spellings.get(id).copied().unwrap_or("")
    }

    /// The id of `spelling`, if the deck has it.
    pub fn id(&self, spelling: &str) -> Option<usize> {
        self.lookup.get(spelling).map(|&i| i as usize)
    }

    /// The word's text as written.
    pub fn text(&self, w: &Word) -> &'a str {
        self.spelling(w.id())
    }

    /// The word's span in the source.
    pub fn span(&self, w: &Word) -> Span {
        Span::new(w.start(), w.start() + self.text(w).len())
    }

    /// Word indices of every place of spelling `id`, in source order.
    pub fn places(&self, id: usize) -> &[u32] {
        let a = self.place_starts.get(id).copied().unwrap_or(0) as usize;
        let b = self.place_starts.get(id + 1).copied().unwrap_or(0) as usize;
        self.places.get(a..b).unwrap_or(&[])
    }

    /// Every place of `spelling`, in source order.
    pub fn places_of(&self, spelling: &str) -> impl Iterator<Item = &Word> + '_ {
        let ids = self.id(spelling).map_or(&[][..], |id| self.places(id));
        ids.iter().filter_map(|&i| self.words.get(i as usize))
    }

    /// How often spelling `id` occurs.
    pub fn count_id(&self, id: usize) -> usize {
        self.places(id).len()
    }

    /// How often `spelling` occurs exactly.
    pub fn count(&self, spelling: &str) -> usize {
        self.id(spelling).map_or(0, |id| self.count_id(id))
    }

    /// The text between two words of the same segment (`a` before `b`).
    pub fn gap(&self, a: &Word, b: &Word) -> &'a str {
        let Some(seg) = self.segments.get(a.seg()) else {
            return "";
        };
        let from = (a.start() + self.text(a).len()).saturating_sub(seg.start);
        let to = b.start().saturating_sub(seg.start);
        seg.text.get(from..to).unwrap_or("")
    }
}

/// The deck's lines in source order: title, then each card's question and
/// answer lines. Spans that do not fit the source are skipped.
pub fn segments<'a>(cx: &Context<'a>) -> Vec<Segment<'a>> {
    let lines = cx
        .deck
        .cards
        .iter()
        .map(|c| 1 + c.answer.len())
        .sum::<usize>();
    let mut spans = Vec::with_capacity(lines + 1);
    spans.extend(cx.deck.name_span);
    for card in &cx.deck.cards {
        spans.push(card.question_span);
        spans.extend(card.answer.iter().map(|a| a.span));
    }
    spans.sort();
    spans.dedup();
    let mut segments = Vec::with_capacity(spans.len());
    segments.extend(spans.into_iter().filter_map(|span| {
        let text = cx.source.text.get(span.start..span.end)?;
        Some(Segment {
            text,
            start: span.start,
        })
    }));
    segments
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

/// Pairs of spellings (`a < b`), sorted, that may be one edit apart, found
/// with a symmetric-delete index: each spelling is filed under itself and
/// under every one-character deletion, so two spellings one edit apart
/// share a key. Buckets larger than `max_bucket` (degenerate input) are
/// skipped to stay near-linear. Callers confirm each pair with
/// [`single_edit`].
pub fn near_pairs<'s>(spellings: &[&'s str], max_bucket: usize) -> Vec<(&'s str, &'s str)> {
    let mut index: FxHashMap<String, Vec<&'s str>> = FxHashMap::default();
    let mut keys: Vec<String> = Vec::new();
    for &w in spellings {
        keys.clear();
        keys.push(w.to_string());
        for (i, c) in w.char_indices() {
            let mut k = String::with_capacity(w.len());
            k.push_str(w.get(..i).unwrap_or(""));
            k.push_str(w.get(i + c.len_utf8()..).unwrap_or(""));
            keys.push(k);
        }
        keys.sort_unstable();
        keys.dedup();
        for k in keys.drain(..) {
            index.entry(k).or_default().push(w);
        }
    }
    let mut pairs = Vec::new();
    for bucket in index.values() {
        if bucket.len() < 2 || bucket.len() > max_bucket {
            continue;
        }
        for (i, &a) in bucket.iter().enumerate() {
            for &b in bucket.iter().skip(i + 1) {
                if a != b {
                    pairs.push(if a < b { (a, b) } else { (b, a) });
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
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
        tokens(text)
            .map(|(_, w, initial)| (w.to_string(), initial))
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
        let index = WordIndex::from_segments(vec![seg]);
        let w = index.words[1];
        assert_eq!(index.span(&w), Span::new(103, 112));
        assert_eq!(index.text(&w), "Krushchev");
        assert_eq!(&text[3..12], "Krushchev");
    }

    #[test]
    fn index_ids_are_sorted_and_places_in_source_order() {
        let segs = vec![
            Segment {
                text: "b a. B a",
                start: 0,
            },
            Segment {
                text: "a c",
                start: 20,
            },
        ];
        let index = WordIndex::from_segments(segs);
        assert_eq!(index.spellings(), ["B", "a", "b", "c"]);
        assert_eq!(index.count("a"), 3);
        assert_eq!(index.count("z"), 0);
        let a: Vec<usize> = index.places_of("a").map(Word::start).collect();
        assert_eq!(a, [2, 7, 20]);
        let initial: Vec<bool> = index.words.iter().map(Word::initial).collect();
        assert_eq!(initial, [true, false, true, false, true, false]);
        let seg1: Vec<&str> = index
            .segment_words(1)
            .iter()
            .map(|w| index.text(w))
            .collect();
        assert_eq!(seg1, ["a", "c"]);
        assert_eq!(index.segment_first(1), 4);
        assert_eq!(index.gap(&index.words[1], &index.words[2]), ". ");
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
        assert_eq!(pairs, [("Khrushchev", "Krushchev")]);
    }

    #[test]
    fn match_case_keeps_a_capital() {
        assert_eq!(match_case("Defence", "defense"), "Defense");
        assert_eq!(match_case("defence", "defense"), "defense");
    }
}
