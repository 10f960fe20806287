//! Words of a deck's text, shared by the variant lints (`name-variant`,
//! `term-variant`, `spelling-variant`, `word-confusion`, `stray-token`).
//!
//! It owns three things: cutting the deck's text into [`Segment`]s (the
//! title, each question, each answer line) and words with byte spans; a
//! deck-wide [`WordIndex`] of spellings with their counts (and, on demand,
//! their places); and the small edit-distance helpers the rules use to
//! compare only the candidates an index proposes, never all pairs.
//!
//! The index is compact because a large deck has millions of words but only
//! thousands of spellings: each distinct spelling is stored once, as a slice
//! of the source, and given an id (ids follow the spellings' sorted order,
//! so iterating ids is iterating spellings alphabetically); a word takes
//! three bytes (see [`Column`]); a segment is two offsets into the source.
//! Rules do their per-spelling work (folding case, computing keys) once per
//! id, not once per occurrence.

use super::Context;
use crate::source::Span;

/// A `HashMap` with rustc-hash's Fx hasher: fast on short keys. Maps using
/// it are looked up, or iterated only into something sorted afterwards.
pub type FxHashMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// A `HashSet` with the Fx hasher (lookups only).
pub type FxHashSet<K> = rustc_hash::FxHashSet<K>;

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
    /// Spelling id (see [`WordIndex::spelling`]); the top bit is `initial`.
    id: u32,
}

const INITIAL: u32 = 1 << 31;

/// A gap in a word's mark too wide for its seven bits: the word's offset
/// is listed in [`Column::far`].
const FAR: u8 = 0x7f;

impl Word {
    /// Byte offset of the word in the source.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// Whether the word starts its line or a sentence (so a capital letter
    /// says nothing about it being a name).
    pub fn initial(&self) -> bool {
        self.id & INITIAL != 0
    }

    /// The word's spelling id.
    pub fn id(&self) -> usize {
        (self.id & !INITIAL) as usize
    }
}

/// The words of a line: (byte offset in `text`, word, starts a sentence).
/// The readable definition; [`scan`] is the one the index uses.
#[cfg(test)]
pub fn tokens(text: &str) -> impl Iterator<Item = (usize, &str, bool)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // Skip to the next letter or digit.
        loop {
            let (c, n) = char_at(text, i)?;
            if c.is_alphanumeric() {
                break;
            }
            i += n;
        }
        let start = i;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            match word_goes_on(text, i) {
                Some(n) => i += n,
                None => break,
            }
        }
        let full = text.get(start..i).unwrap_or("");
        let prefix = text.get(..start).unwrap_or("");
        Some((start, strip_possessive(full), is_sentence_start(prefix)))
    })
}

/// How many bytes of `text` at `i` still belong to the word being read: a
/// letter or digit, or an apostrophe between letters; `None` where the word
/// ends.
fn word_goes_on(text: &str, i: usize) -> Option<usize> {
    let (c, n) = char_at(text, i)?;
    if c.is_alphanumeric() {
        Some(n)
    } else if c == '\'' || c == '’' {
        // An apostrophe belongs to the word only between letters.
        char_at(text, i + n)
            .is_some_and(|(after, _)| after.is_alphanumeric())
            .then_some(n)
    } else {
        None
    }
}

/// The char at byte `i` of `text` (a char boundary) and its length.
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    match text.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some((char::from(b), 1)),
        Some(_) => text
            .get(i..)
            .and_then(|r| r.chars().next())
            .map(|c| (c, c.len_utf8())),
        None => None,
    }
}

/// [`CLASS`] of an ASCII letter or digit (for which `char::is_alphanumeric`
/// is `u8::is_ascii_alphanumeric`).
const ALNUM: u8 = 1;

/// Bytes classed by a table, cheaper than range tests per byte.
const CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = 0;
    while b < 256 {
        if (b as u8).is_ascii_alphanumeric() {
            class[b] = ALNUM;
        }
        b += 1;
    }
    class
};

/// Calls `f(offset in text, word, starts a sentence)` for each word of a
/// line, exactly as [`tokens`] yields them. ASCII is tested byte by byte
/// (for it `char::is_alphanumeric` is `u8::is_ascii_alphanumeric`), and a
/// word after a single space is known not to start a sentence without
/// looking back (the word before it ends in a letter or digit).
fn scan<'t>(text: &'t str, mut f: impl FnMut(usize, &'t str, bool)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        let gap = i;
        // Skip to the next letter or digit.
        loop {
            match bytes.get(i).map(|&b| (b, CLASS[usize::from(b)])) {
                Some((_, ALNUM)) => break,
                Some((b, _)) if b < 0x80 => i += 1,
                _ => {
                    let Some((c, n)) = char_at(text, i) else {
                        return;
                    };
                    if c.is_alphanumeric() {
                        break;
                    }
                    i += n;
                }
            }
        }
        let start = i;
        loop {
            i += bytes
                .get(i..)
                .unwrap_or(&[])
                .iter()
                .position(|&b| CLASS[usize::from(b)] != ALNUM)
                .unwrap_or(bytes.len() - i);
            match bytes.get(i) {
                None => break,
                Some(&b) if b < 0x80 && b != b'\'' => break,
                Some(_) => {}
            }
            match word_goes_on(text, i) {
                Some(n) => i += n,
                None => break,
            }
        }
        let full = text.get(start..i).unwrap_or("");
        let initial = if gap > 0 && start == gap + 1 && bytes.get(gap) == Some(&b' ') {
            false
        } else {
            is_sentence_start(text.get(..start).unwrap_or(""))
        };
        f(start, strip_possessive(full), initial);
    }
}

/// `Stalin’s` → `Stalin`; other words unchanged.
fn strip_possessive(word: &str) -> &str {
    if word.as_bytes().last() != Some(&b's') {
        return word;
    }
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
///
/// The places of a spelling are not stored (a list per spelling costs four
/// bytes a word, and rules need the places of only a few spellings): its
/// count and first place are, and [`WordIndex::places`] finds the rest in
/// one pass for as many spellings as a rule asks about at once.
pub struct WordIndex<'a> {
    /// The text all offsets point into.
    source: &'a str,
    /// Segments as (start, end) offsets in `source`, in source order.
    segments: Vec<(u32, u32)>,
    /// Every word, in source order (see [`Column`]).
    words: Column,
    /// Words of segment `s`: `seg_starts[s]..seg_starts[s + 1]`.
    seg_starts: Vec<u32>,
    /// Distinct spellings, sorted; a spelling's id is its index here.
    spellings: Vec<&'a str>,
    lookup: Interner,
    /// Per spelling id: how often it occurs, and the index of its first word.
    counts: Vec<u32>,
    firsts: Vec<u32>,
}

/// The words of a deck, in source order, in three bytes a word (a million
/// cards have some 50 million words):
///
/// - two for its spelling, numbered in the order spellings are first seen:
///   the spellings that make up most words (`the`, `of`, a deck's names)
///   come early, so the numbers of all but the rarest fit in 16 bits; a
///   word whose spelling came too late for that is [`WIDE`] here, its
///   number listed in `wide`;
/// - one for the initial flag (the top bit) and the gap from the start of
///   the word before it in its segment (from the segment's start for its
///   first word); a gap of [`FAR`] or more is [`FAR`] here, the word's
///   offset in its segment listed in `far`.
///
/// Both lists are in word order, so they are searched by halving, and a
/// walk over the words steps through them alongside.
struct Column {
    codes: Vec<u16>,
    marks: Vec<u8>,
    /// (word index, spelling number) of every word coded [`WIDE`].
    wide: Vec<(u32, u32)>,
    /// (word index, offset in its segment) of every word whose gap is
    /// [`FAR`] or more.
    far: Vec<(u32, u32)>,
    /// Spelling numbers from this one on are [`WIDE`] (`WIDE` itself but
    /// for tests, which lower it to reach the wide path with a few words).
    narrow: u32,
    /// Spelling number (order first seen) → spelling id (sorted order);
    /// empty while the index is built, and when the codes were turned into
    /// ids once it was ([`Column::renumber`]): then ids are the numbers.
    rank: Vec<u32>,
}

/// A word whose spelling number is in [`Column::wide`].
const WIDE: u16 = u16::MAX;

/// The top bit of a word's mark: it is initial (see [`Word::initial`]).
const MARK_INITIAL: u8 = 0x80;

impl Column {
    fn with_capacity(n: usize, narrow: u32) -> Self {
        Column {
            codes: Vec::with_capacity(n),
            marks: Vec::with_capacity(n),
            wide: Vec::new(),
            far: Vec::new(),
            narrow: narrow.min(u32::from(WIDE)),
            rank: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.codes.len()
    }

    /// Appends a word: its spelling number, whether it is initial, and its
    /// offset `at` in its segment, `gap` bytes after the word before.
    fn push(&mut self, number: u32, initial: bool, at: u32, gap: u32) {
        let i = u32::try_from(self.codes.len()).unwrap_or(u32::MAX);
        let code = match u16::try_from(number) {
            Ok(code) if number < self.narrow => code,
            _ => {
                self.wide.push((i, number));
                WIDE
            }
        };
        let gap = match u8::try_from(gap) {
            Ok(gap) if gap < FAR => gap,
            _ => {
                self.far.push((i, at));
                FAR
            }
        };
        self.codes.push(code);
        self.marks
            .push(gap | if initial { MARK_INITIAL } else { 0 });
    }

    /// The spelling id of a word whose spelling number is `number`, with
    /// the initial flag of `mark` as in [`Word`].
    fn id(&self, number: u32, mark: u8) -> u32 {
        let id = if self.rank.is_empty() {
            number
        } else {
            self.rank.get(number as usize).copied().unwrap_or(number)
        };
        id | (u32::from(mark & MARK_INITIAL) << 24)
    }

    /// Once the index is built: gives each word its spelling's id
    /// (`rank[number]`), kept in the codes themselves when every id fits
    /// in them, as in all but the largest vocabularies.
    fn renumber(&mut self, rank: Vec<u32>) {
        let fits = rank.len() < self.narrow as usize;
        if fits && self.wide.is_empty() {
            for code in &mut self.codes {
                let id = rank.get(usize::from(*code)).copied().unwrap_or(0);
                *code = u16::try_from(id).unwrap_or(WIDE);
            }
        } else {
            self.rank = rank;
        }
        self.codes.shrink_to_fit();
        self.marks.shrink_to_fit();
    }

    /// The entry of `list` for word `i`, if it has one.
    fn listed(list: &[(u32, u32)], i: usize) -> Option<u32> {
        let i = u32::try_from(i).ok()?;
        let k = list.partition_point(|&(j, _)| j < i);
        list.get(k).filter(|&&(j, _)| j == i).map(|&(_, v)| v)
    }

    /// Word `i`'s spelling id (with the flag) and mark.
    fn get(&self, i: usize) -> Option<(u32, u8)> {
        let (&code, &mark) = (self.codes.get(i)?, self.marks.get(i)?);
        let number = match code {
            WIDE => Self::listed(&self.wide, i).unwrap_or(0),
            code => u32::from(code),
        };
        Some((self.id(number, mark), mark))
    }

    /// Word `i`'s offset in its segment, if its gap is [`FAR`] or more.
    fn far_offset(&self, i: usize) -> u32 {
        Self::listed(&self.far, i).unwrap_or(0)
    }

    /// The codes and marks of words `range` when the codes are the words'
    /// ids and none of the words is listed (as wide or far): the words can
    /// then be read from these alone, as nearly every segment's are.
    fn plain(&self, range: std::ops::Range<usize>) -> Option<(&[u16], &[u8])> {
        let (Ok(from), Ok(to)) = (u32::try_from(range.start), u32::try_from(range.end)) else {
            return None;
        };
        let none_in = |list: &[(u32, u32)]| {
            let k = list.partition_point(|&(j, _)| j < from);
            list.get(k).is_none_or(|&(j, _)| j >= to)
        };
        if !self.rank.is_empty() || !none_in(&self.wide) || !none_in(&self.far) {
            return None;
        }
        Some((self.codes.get(range.clone())?, self.marks.get(range)?))
    }

    /// Words `range`, in order, as (spelling id with the flag, mark, and
    /// the offset in the segment when the mark's gap is [`FAR`]).
    fn walk(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = (u32, u8, u32)> + '_ {
        let from = u32::try_from(range.start).unwrap_or(u32::MAX);
        fn after(list: &[(u32, u32)], from: u32) -> std::slice::Iter<'_, (u32, u32)> {
            let k = list.partition_point(|&(j, _)| j < from);
            list.get(k..).unwrap_or(&[]).iter()
        }
        let (mut wide, mut far) = (after(&self.wide, from), after(&self.far, from));
        let codes = self.codes.get(range.clone()).unwrap_or(&[]);
        let marks = self.marks.get(range).unwrap_or(&[]);
        codes.iter().zip(marks).map(move |(&code, &mark)| {
            let number = match code {
                WIDE => wide.next().map_or(0, |&(_, n)| n),
                code => u32::from(code),
            };
            let at = match mark & !MARK_INITIAL {
                FAR => far.next().map_or(0, |&(_, at)| at),
                _ => 0,
            };
            (self.id(number, mark), mark, at)
        })
    }
}

/// The spelling ids of words: an open-addressing table whose slots keep a
/// word's first 16 bytes (zero-padded) and length next to its id, so a
/// word of up to 16 bytes, nearly every word, is found by comparing three
/// integers, with no string comparison and no byte-by-byte hashing.
struct Interner {
    slots: Vec<Slot>,
    /// `slots.len()` is `1 << bits`.
    bits: u32,
    len: usize,
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    head: [u64; 2],
    /// The word's length in bytes; 0 for an empty slot.
    len: u32,
    id: u32,
}

impl Interner {
    fn new() -> Self {
        let bits = 10;
        Interner {
            slots: vec![Slot::default(); 1 << bits],
            bits,
            len: 0,
        }
    }

    /// The first 16 bytes of `bytes[at..at + len]`, zero-padded: loaded
    /// eight at a time past the word's end where the text goes on, and cut.
    fn head(bytes: &[u8], at: usize, len: usize) -> [u64; 2] {
        let load = |from: usize| -> u64 {
            let mut b = [0u8; 8];
            match bytes.get(from..from + 8) {
                Some(all) => b.copy_from_slice(all),
                None => {
                    let rest = bytes.get(from..).unwrap_or(&[]);
                    for (to, &from) in b.iter_mut().zip(rest) {
                        *to = from;
                    }
                }
            }
            u64::from_le_bytes(b)
        };
        let mask = |n: usize| match n {
            0 => 0,
            1..=7 => (1u64 << (8 * n)) - 1,
            _ => u64::MAX,
        };
        let hi = if len > 8 {
            load(at + 8) & mask(len - 8)
        } else {
            0
        };
        [load(at) & mask(len), hi]
    }

    fn hash(head: [u64; 2], word: &str) -> u64 {
        let [lo, hi] = head;
        let h = if word.len() > 16 {
            use std::hash::BuildHasher;
            rustc_hash::FxBuildHasher.hash_one(word)
        } else {
            lo ^ hi.rotate_left(29) ^ (word.len() as u64)
        };
        (h ^ (h >> 31)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    /// The slot of `word` (`bytes[at..]`), or the empty slot where it goes.
    /// `spelling` gives the text of an id, for words longer than 16 bytes.
    fn find<'s>(
        &self,
        bytes: &[u8],
        at: usize,
        word: &str,
        spelling: impl Fn(u32) -> &'s str,
    ) -> (usize, [u64; 2]) {
        let head = Self::head(bytes, at, word.len());
        let len = u32::try_from(word.len()).unwrap_or(u32::MAX);
        let mask = self.slots.len() - 1;
        let mut i = (Self::hash(head, word) >> (64 - self.bits)) as usize;
        while let Some(s) = self.slots.get(i) {
            if s.len == 0
                || (s.len == len && s.head == head && (len <= 16 || spelling(s.id) == word))
            {
                break;
            }
            i = (i + 1) & mask;
        }
        (i, head)
    }

    /// The id of `word`, which is `text[at..]`; a new word gets id
    /// `spellings.len()` and is pushed there.
    fn intern<'a>(
        &mut self,
        text: &str,
        at: usize,
        word: &'a str,
        spellings: &mut Vec<&'a str>,
    ) -> u32 {
        let get = |id: u32| spellings.get(id as usize).copied().unwrap_or("");
        let (i, head) = self.find(text.as_bytes(), at, word, get);
        if let Some(s) = self.slots.get(i).filter(|s| s.len != 0) {
            return s.id;
        }
        let id = u32::try_from(spellings.len()).unwrap_or(u32::MAX);
        spellings.push(word);
        if let Some(s) = self.slots.get_mut(i) {
            *s = Slot {
                head,
                len: u32::try_from(word.len()).unwrap_or(u32::MAX),
                id,
            };
        }
        self.len += 1;
        if 2 * self.len > self.slots.len() {
            self.grow(spellings);
        }
        id
    }

    fn grow(&mut self, spellings: &[&str]) {
        let old = std::mem::take(&mut self.slots);
        self.bits += 1;
        self.slots = vec![Slot::default(); 1 << self.bits];
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|s| s.len != 0) {
            let word = spellings.get(s.id as usize).copied().unwrap_or("");
            let mut i = (Self::hash(s.head, word) >> (64 - self.bits)) as usize;
            while self.slots.get(i).is_some_and(|t| t.len != 0) {
                i = (i + 1) & mask;
            }
            if let Some(t) = self.slots.get_mut(i) {
                *t = s;
            }
        }
    }

    /// The id of `word`, if interned.
    fn get(&self, word: &str, spellings: &[&str]) -> Option<u32> {
        let get = |id: u32| spellings.get(id as usize).copied().unwrap_or("");
        let (i, _) = self.find(word.as_bytes(), 0, word, get);
        self.slots.get(i).filter(|s| s.len != 0).map(|s| s.id)
    }
}

impl<'a> WordIndex<'a> {
    pub fn build(cx: &Context<'a>) -> Self {
        Self::from_spans(&cx.source.text, segments(cx))
    }

    /// The index of `source` cut at `spans` (sorted, distinct, inside the
    /// source).
    fn from_spans(source: &'a str, segments: Vec<(u32, u32)>) -> Self {
        Self::from_spans_narrow(source, segments, u32::from(WIDE))
    }

    /// [`Self::from_spans`], with spelling numbers from `narrow` on listed
    /// as wide (tests lower it).
    fn from_spans_narrow(source: &'a str, segments: Vec<(u32, u32)>, narrow: u32) -> Self {
        let bytes: usize = segments.iter().map(|&(a, b)| (b - a) as usize).sum();
        // Reserved from the text so the word list (the biggest table) is
        // not copied to grow: prose has about one word per six bytes, so
        // one per five rarely grows, and pages reserved but never written
        // cost no memory.
        let mut words = Column::with_capacity(bytes / 5 + segments.len(), narrow);
        let mut seg_starts = Vec::with_capacity(segments.len() + 1);
        // Ids in first-seen order at first; renumbered in sorted order below.
        let mut lookup = Interner::new();
        let mut spellings: Vec<&'a str> = Vec::new();
        // Per spelling: how often, and its first word.
        let mut counts: Vec<u32> = Vec::new();
        let mut firsts: Vec<u32> = Vec::new();
        for &(a, b) in &segments {
            seg_starts.push(u32::try_from(words.len()).unwrap_or(u32::MAX));
            let Some(text) = source.get(a as usize..b as usize) else {
                continue;
            };
            // The start of the word before, in the segment.
            let mut before = 0;
            scan(text, |at, word, initial| {
                // The whole source, so the word's bytes load as integers
                // unless it ends the text.
                let id = lookup.intern(source, a as usize + at, word, &mut spellings);
                if let Some(n) = counts.get_mut(id as usize) {
                    *n += 1;
                } else {
                    counts.push(1);
                    firsts.push(u32::try_from(words.len()).unwrap_or(u32::MAX));
                }
                // `at` is inside a segment that ends below 4 GiB.
                let at32 = u32::try_from(at).unwrap_or(u32::MAX);
                let gap = u32::try_from(at - before).unwrap_or(u32::MAX);
                words.push(id, initial, at32, gap);
                before = at;
            });
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
        for s in lookup.slots.iter_mut().filter(|s| s.len != 0) {
            s.id = rank.get(s.id as usize).copied().unwrap_or(s.id);
        }
        let by_rank = |v: Vec<u32>| -> Vec<u32> {
            order
                .iter()
                .map(|&old| v.get(old as usize).copied().unwrap_or(0))
                .collect()
        };
        let (counts, firsts) = (by_rank(counts), by_rank(firsts));
        words.renumber(rank);
        WordIndex {
            source,
            segments,
            words,
            seg_starts,
            spellings: sorted,
            lookup,
            counts,
            firsts,
        }
    }

    /// How many segments the deck has.
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// Segment `s`.
    pub fn segment(&self, s: usize) -> Segment<'a> {
        let (a, b) = self.segments.get(s).copied().unwrap_or((0, 0));
        Segment {
            text: self.source.get(a as usize..b as usize).unwrap_or(""),
            start: a as usize,
        }
    }

    /// Every segment, in source order.
    pub fn segments(&self) -> impl Iterator<Item = Segment<'a>> + '_ {
        (0..self.segments.len()).map(|s| self.segment(s))
    }

    /// The words of segment `s`, into `out` (cleared first): rules walk the
    /// segments with one buffer.
    pub fn segment_words(&self, s: usize, out: &mut Vec<Word>) {
        out.clear();
        let a = self.segment_first(s);
        let b = self.seg_starts.get(s + 1).copied().unwrap_or(0) as usize;
        let base = self.segments.get(s).map_or(0, |&(start, _)| start);
        let mut at = 0;
        if let Some((codes, marks)) = self.words.plain(a..b.max(a)) {
            out.extend(codes.iter().zip(marks).map(|(&code, &mark)| {
                at += u32::from(mark & !MARK_INITIAL);
                Word {
                    start: base + at,
                    id: u32::from(code) | (u32::from(mark & MARK_INITIAL) << 24),
                }
            }));
            return;
        }
        out.extend(self.words.walk(a..b.max(a)).map(|(id, mark, far)| {
            at = next_offset(at, mark, far);
            Word {
                start: base + at,
                id,
            }
        }));
    }

    /// How many words the deck has.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Word `i` (in source order).
    pub fn word(&self, i: usize) -> Option<Word> {
        let (id, _) = self.words.get(i)?;
        let s = self.segment_of(i);
        let &(base, _) = self.segments.get(s)?;
        // The gaps from the segment's first word (a line holds a few dozen
        // words at most, as a rule), or the word's own offset if listed.
        let first = self.segment_first(s);
        let at = match self.words.marks.get(i) {
            Some(&mark) if mark & !MARK_INITIAL == FAR => self.words.far_offset(i),
            _ => self
                .words
                .walk(first..i + 1)
                .fold(0, |at, (_, mark, far)| next_offset(at, mark, far)),
        };
        Some(Word {
            start: base + at,
            id,
        })
    }

    /// Index of the first word of segment `s`.
    pub fn segment_first(&self, s: usize) -> usize {
        self.seg_starts.get(s).copied().unwrap_or(0) as usize
    }

    /// The segment holding word `i`.
    pub fn segment_of(&self, i: usize) -> usize {
        // The last segment starting at or before `i` that has words.
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        self.seg_starts
            .partition_point(|&f| f <= i)
            .saturating_sub(1)
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
        self.lookup
            .get(spelling, &self.spellings)
            .map(|i| i as usize)
    }

    /// The word's text as written.
    pub fn text(&self, w: &Word) -> &'a str {
        self.spelling(w.id())
    }

    /// The word's span in the source.
    pub fn span(&self, w: &Word) -> Span {
        Span::new(w.start(), w.start() + self.text(w).len())
    }

    /// How often spelling `id` occurs.
    pub fn count_id(&self, id: usize) -> usize {
        self.counts.get(id).copied().unwrap_or(0) as usize
    }

    /// How often `spelling` occurs exactly.
    pub fn count(&self, spelling: &str) -> usize {
        self.id(spelling).map_or(0, |id| self.count_id(id))
    }

    /// Word index of the first place of spelling `id`.
    pub fn first_place(&self, id: usize) -> Option<usize> {
        self.firsts
            .get(id)
            .filter(|&&f| f != u32::MAX)
            .map(|&f| f as usize)
    }

    /// Word indices of every place of each spelling of `ids` (distinct), in
    /// source order: one pass over the words from the earliest first place,
    /// ending once every place is found.
    pub fn places(&self, ids: &[usize]) -> Vec<Vec<u32>> {
        let mut out: Vec<Vec<u32>> = ids
            .iter()
            .map(|&id| Vec::with_capacity(self.count_id(id)))
            .collect();
        // Spelling id → its slot in `out`.
        let mut slot = vec![u32::MAX; self.spellings.len()];
        let mut left = 0;
        let mut from = usize::MAX;
        for (k, &id) in ids.iter().enumerate() {
            if let Some(s) = slot.get_mut(id).filter(|s| **s == u32::MAX) {
                *s = u32::try_from(k).unwrap_or(u32::MAX);
                left += self.count_id(id);
                from = from.min(self.first_place(id).unwrap_or(usize::MAX));
            }
        }
        let to = self.words.len().max(from);
        let any = left > 0;
        // Takes word `i` of spelling id `id`; false once every place is found.
        let mut take = |i: usize, id: u32| {
            if let Some(p) = slot.get(id as usize).and_then(|&s| out.get_mut(s as usize)) {
                p.push(u32::try_from(i).unwrap_or(u32::MAX));
                left -= 1;
            }
            left > 0
        };
        if any {
            if self.words.rank.is_empty() && self.words.wide.is_empty() {
                let codes = self.words.codes.get(from..to).unwrap_or(&[]);
                for (i, &code) in (from..).zip(codes) {
                    if !take(i, u32::from(code)) {
                        break;
                    }
                }
            } else {
                for (i, (id, _, _)) in (from..).zip(self.words.walk(from..to)) {
                    if !take(i, id & !INITIAL) {
                        break;
                    }
                }
            }
        }
        out
    }

    /// The byte at offset `at` of the source.
    pub fn source_byte(&self, at: usize) -> Option<u8> {
        self.source.as_bytes().get(at).copied()
    }

    /// The text between two words of the same segment (`a` before `b`).
    pub fn gap(&self, a: &Word, b: &Word) -> &'a str {
        let from = a.start() + self.text(a).len();
        self.source.get(from..b.start()).unwrap_or("")
    }
}

/// The offset in its segment of a word with `mark` when the word before it
/// in the segment is at `before`; `far` is its offset if the mark's gap is
/// [`FAR`].
fn next_offset(before: u32, mark: u8, far: u32) -> u32 {
    match mark & !MARK_INITIAL {
        FAR => far,
        gap => before + u32::from(gap),
    }
}

/// The deck's lines in source order, as (start, end) offsets: title, then
/// each card's question and answer lines. Spans that do not fit the source,
/// or end past 4 GiB, are skipped.
fn segments(cx: &Context<'_>) -> Vec<(u32, u32)> {
    let lines = cx
        .deck
        .cards
        .iter()
        .map(|c| 1 + c.answer.len())
        .sum::<usize>();
    let text = &cx.source.text;
    let fits = |s: &Span| {
        let (Ok(a), Ok(b)) = (u32::try_from(s.start), u32::try_from(s.end)) else {
            return None;
        };
        text.get(s.start..s.end).map(|_| (a, b))
    };
    let mut spans = Vec::with_capacity(lines + 1);
    spans.extend(cx.deck.name_span.as_ref().and_then(fits));
    for card in &cx.deck.cards {
        spans.extend(fits(&card.question_span));
        spans.extend(card.answer.iter().filter_map(|a| fits(&a.span)));
    }
    spans.sort_unstable();
    spans.dedup();
    spans
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
                    question: t.into(),
                    question_span: line.span,
                    line: crate::model::small(line.number),
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
        let source = format!("{}of Krushchev’s pursuit", " ".repeat(100));
        let index = WordIndex::from_spans(&source, vec![(100, 100 + 24)]);
        let w = index.word(1).unwrap();
        assert_eq!(index.span(&w), Span::new(103, 112));
        assert_eq!(index.text(&w), "Krushchev");
        assert_eq!(&source[103..112], "Krushchev");
    }

    #[test]
    fn index_ids_are_sorted_and_places_in_source_order() {
        let source = "b a. B a\n___________a c\nx";
        let index = WordIndex::from_spans(source, vec![(0, 8), (20, 23), (24, 24)]);
        assert_eq!(index.spellings(), ["B", "a", "b", "c"]);
        assert_eq!(index.count("a"), 3);
        assert_eq!(index.count("z"), 0);
        let a = index.id("a").unwrap();
        let c = index.id("c").unwrap();
        let places = index.places(&[c, a]);
        let starts = |p: &[u32]| -> Vec<usize> {
            p.iter()
                .map(|&i| index.word(i as usize).unwrap().start())
                .collect()
        };
        assert_eq!(starts(&places[0]), [22]);
        assert_eq!(starts(&places[1]), [2, 7, 20]);
        assert_eq!(index.first_place(a), Some(1));
        let words: Vec<Word> = (0..index.word_count())
            .map(|i| index.word(i).unwrap())
            .collect();
        let initial: Vec<bool> = words.iter().map(Word::initial).collect();
        assert_eq!(initial, [true, false, true, false, true, false]);
        let mut ws = Vec::new();
        index.segment_words(1, &mut ws);
        assert_eq!(ws, &words[4..]);
        let seg1: Vec<&str> = ws.iter().map(|w| index.text(w)).collect();
        assert_eq!(seg1, ["a", "c"]);
        assert_eq!(index.segment_first(1), 4);
        assert_eq!(index.segment(1).text, "a c");
        assert_eq!(index.segment_count(), 3);
        assert_eq!(
            (0..6).map(|i| index.segment_of(i)).collect::<Vec<_>>(),
            [0, 0, 0, 0, 1, 1]
        );
        assert_eq!(index.gap(&words[1], &words[2]), ". ");
    }

    #[test]
    fn words_past_64_kib_into_a_line_keep_their_offsets() {
        let source = format!("{}x y", "a ".repeat(40_000));
        let end = u32::try_from(source.len()).unwrap();
        let index = WordIndex::from_spans(&source, vec![(0, end)]);
        let n = index.word_count();
        assert_eq!(n, 40_002);
        let mut ws = Vec::new();
        index.segment_words(0, &mut ws);
        for (i, w) in ws.iter().enumerate() {
            assert_eq!(
                w.start(),
                if i < 40_000 {
                    2 * i
                } else {
                    80_000 + 2 * (i - 40_000)
                }
            );
            assert_eq!(index.word(i), Some(*w));
        }
    }

    proptest::proptest! {
        /// A word's offset is kept as the gap from the word before it: wide
        /// gaps (long words, long runs of punctuation) and every segment's
        /// first word still give each word's own start, whether the words
        /// are read a segment at a time or one by one.
        #[test]
        fn words_keep_their_starts_across_any_gaps(
            lines in proptest::collection::vec(
                proptest::collection::vec(("[a-z]{1,3}", 0usize..400, 1usize..300), 0..6),
                1..5,
            ),
        ) {
            let mut source = String::new();
            let mut spans = Vec::new();
            let mut starts = Vec::new();
            for line in &lines {
                let begin = source.len();
                for (head, word_tail, gap) in line {
                    source.push_str(&"-".repeat(*gap));
                    starts.push(source.len());
                    source.push_str(head);
                    source.push_str(&"z".repeat(*word_tail));
                }
                spans.push((u32::try_from(begin).unwrap(), u32::try_from(source.len()).unwrap()));
                source.push('\n');
            }
            let index = WordIndex::from_spans(&source, spans);
            proptest::prop_assert_eq!(index.word_count(), starts.len());
            let mut got = Vec::new();
            let mut ws = Vec::new();
            for s in 0..index.segment_count() {
                index.segment_words(s, &mut ws);
                got.extend(ws.iter().map(Word::start));
            }
            proptest::prop_assert_eq!(&got, &starts);
            for (i, &start) in starts.iter().enumerate() {
                proptest::prop_assert_eq!(index.word(i).map(|w| w.start()), Some(start));
            }
        }

        /// Every word gets the id of its own spelling, however long and
        /// whatever prefix it shares (the interner compares 16-byte heads).
        #[test]
        fn interned_ids_are_the_spellings(
            words in proptest::collection::vec("(abcdefghijklmnop|x)?[ab]{1,3}(é|[ab]{0,20})", 1..200),
        ) {
            let source = words.join(" ");
            let end = u32::try_from(source.len()).unwrap();
            let index = WordIndex::from_spans(&source, vec![(0, end)]);
            let mut seen: Vec<&str> = Vec::new();
            for i in 0..index.word_count() {
                let w = index.word(i).unwrap();
                let text = &source[w.start()..w.start() + index.text(&w).len()];
                proptest::prop_assert_eq!(index.text(&w), text);
                proptest::prop_assert_eq!(index.id(text), Some(w.id()));
                seen.push(text);
            }
            seen.sort_unstable();
            seen.dedup();
            proptest::prop_assert_eq!(index.spellings(), &seen[..]);
            let total: usize = (0..seen.len()).map(|id| index.count_id(id)).sum();
            proptest::prop_assert_eq!(total, index.word_count());
        }

        /// Words whose spellings are listed as wide (numbered too late for
        /// two bytes; here from `narrow` on) and words whose gaps are
        /// listed as far read back exactly as they would otherwise: the
        /// same ids, flags, starts, segments and places.
        #[test]
        fn wide_and_far_words_read_back_as_any_other(
            lines in proptest::collection::vec(
                proptest::collection::vec(("[a-eA-E]{1,2}", 0usize..140, "[ .]{1,3}"), 0..8),
                1..6,
            ),
            narrow in 0u32..6,
        ) {
            let mut source = String::new();
            let mut spans = Vec::new();
            for line in &lines {
                let begin = source.len();
                for (word, tail, sep) in line {
                    source.push_str(word);
                    source.push_str(&"z".repeat(*tail));
                    source.push_str(sep);
                }
                spans.push((u32::try_from(begin).unwrap(), u32::try_from(source.len()).unwrap()));
                source.push('\n');
            }
            let all = WordIndex::from_spans(&source, spans.clone());
            let some = WordIndex::from_spans_narrow(&source, spans, narrow);
            proptest::prop_assert_eq!(all.word_count(), some.word_count());
            proptest::prop_assert_eq!(all.spellings(), some.spellings());
            for i in 0..all.word_count() {
                proptest::prop_assert_eq!(all.word(i), some.word(i));
            }
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for s in 0..all.segment_count() {
                all.segment_words(s, &mut a);
                some.segment_words(s, &mut b);
                proptest::prop_assert_eq!(&a, &b);
                for (i, w) in a.iter().enumerate() {
                    proptest::prop_assert_eq!(all.word(all.segment_first(s) + i), Some(*w));
                }
            }
            let ids: Vec<usize> = (0..all.spellings().len()).rev().step_by(2).collect();
            proptest::prop_assert_eq!(all.places(&ids), some.places(&ids));
            for id in ids {
                let places = &all.places(&[id])[0];
                proptest::prop_assert_eq!(places.len(), all.count_id(id));
                for &p in places {
                    proptest::prop_assert_eq!(all.word(p as usize).map(|w| w.id()), Some(id));
                }
            }
        }

        /// The index's scanner cuts lines exactly as [`tokens`] does.
        #[test]
        fn scan_matches_tokens(text in "[a-zA-Z0-9 .!?:;'’s\\-–“‘•(>\u{a0}é\t]{0,40}") {
            let mut got = Vec::new();
            scan(&text, |at, w, initial| got.push((at, w, initial)));
            let want: Vec<(usize, &str, bool)> = tokens(&text).collect();
            proptest::prop_assert_eq!(got, want);
        }
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
