//! `duplicate-question`: the same question asked twice (exactly, or nearly:
//! a typo, a filler word added or dropped, or the words reordered) with
//! different answers.
//!
//! Linear: every question is indexed under a few keys (its folded text, its
//! sorted-token signature, and the token sequence with each one word left
//! out); only cards sharing a key are compared, and only with the first
//! [`MAX_BUCKET`] cards of each key. Keys are never built as strings: each
//! is a 64-bit hash of its tokens plus a recipe to rebuild it from the card,
//! and cards whose keys hash alike are grouped only after their keys are
//! compared token by token, so a hash collision cannot merge two keys.

use std::hash::{BuildHasherDefault, Hasher};

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};
use crate::model::Card;

pub struct DuplicateQuestion;

/// How many earlier cards one key may hold: beyond this the key is too
/// common to say anything (e.g. the skeleton of very short questions), and
/// comparing against all of them would turn quadratic.
const MAX_BUCKET: usize = 16;

/// How many keys [`Questions::sorted_entries`] computes before it looks
/// them up.
#[cfg(test)]
const BATCH: usize = 4096;

/// Cards with a signature in common are compared pair by pair when there
/// are up to this many of them, else through the keys they share (see
/// [`Questions::first_repeats`]).
const MAX_PAIRWISE: usize = 32;

/// How many cards of signature groups [`Questions::first_repeats`] reads
/// ahead.
const PREFETCH: usize = 256;

/// How often (in cards) [`Questions::first_repeats`] looks again at which
/// keys it still looks for.
const RANK_STEP: usize = 8192;

/// Questions longer than this many words get no leave-one-out keys: each
/// such key repeats the whole question, so a pasted 1 MB line would need
/// terabytes. Exact and reordered duplicates are still found.
const MAX_NEAR_TOKENS: usize = 64;

/// Words longer than this many letters get no typo keys (one key per
/// letter, each as long as the word: a pasted 1 MB word would need
/// terabytes). No real word is this long.
const MAX_TYPO_CHARS: usize = 64;

/// The names of a question in order, as groups: a run of capitalized words
/// (not the question's first word), with `and`/`or`/`&` joining runs into
/// one group, each group's words lowercased and sorted. Only compared when
/// two questions hold the same words in another order.
fn name_groups(question: &str) -> Vec<Vec<String>> {
    let mut groups = Vec::new();
    let mut group: Vec<String> = Vec::new();
    for (n, raw) in question.split_whitespace().enumerate() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if n > 0 && word.chars().next().is_some_and(char::is_uppercase) {
            group.push(word.to_lowercase());
        } else if !group.is_empty()
            && (raw == "&" || word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("or"))
        {
            continue;
        } else if !group.is_empty() {
            group.sort_unstable();
            groups.push(std::mem::take(&mut group));
        }
    }
    if !group.is_empty() {
        group.sort_unstable();
        groups.push(group);
    }
    groups
}

/// A hash of [`name_groups`] (equal groups hash alike), without building
/// them: each group the sum of its words' hashes (a group is a sorted
/// list), the groups in order.
fn name_key(question: &str) -> u64 {
    let (mut key, mut group, mut open) = (0u64, 0u64, false);
    let mut lower = String::new();
    for (n, raw) in question.split_whitespace().enumerate() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if n > 0 && word.chars().next().is_some_and(char::is_uppercase) {
            // As `to_lowercase`, which for ASCII is a byte at a time.
            let h = if word.is_ascii() {
                (word.bytes()).fold(FNV_START, |h, b| fnv(h, &[b.to_ascii_lowercase()]))
            } else {
                lower.clear();
                lower.push_str(&word.to_lowercase());
                fnv(FNV_START, lower.as_bytes())
            };
            group = group.wrapping_add(mix(h));
            open = true;
        } else if open
            && (raw == "&" || word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("or"))
        {
            continue;
        } else if open {
            key = key.wrapping_mul(BASE).wrapping_add(mix(group));
            (group, open) = (0, false);
        }
    }
    if open {
        key = key.wrapping_mul(BASE).wrapping_add(mix(group));
    }
    key
}

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
        let shared = cx.folds();
        let folds = &*shared;
        let questions = Questions::new(folds, cards);
        // Per card: the first earlier card it repeats (`u32::MAX`: none),
        // among those that share a key with it.
        let first = questions.first_repeats(MAX_PAIRWISE);
        for (i, &j) in first.iter().enumerate() {
            let j = j as usize;
            if let (Some(card), Some(earlier), Some(kind)) = (
                cards.get(i),
                cards.get(j),
                questions.repeats(j, i).filter(|_| j < i),
            ) {
                out.push(diagnostic(self, card, earlier, kind));
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Exact,
    Near,
    /// A one-letter difference (between these two tokens) in a short
    /// question, where the one word is the question: near only with the
    /// evidence of [`Questions::short_typo_evidence`].
    ShortTypo(u32, u32),
}

/// Every card's question and answer lines folded by [`fold_each`], computed
/// once for the rules that compare them (`duplicate-question`,
/// `duplicate-card`, `repeated-answer`). Questions are compared token by
/// token, so their tokens are kept, as ids of distinct spellings. Answers
/// are only ever tested for equality, so each answer line keeps a hash of
/// its tokens and their number, and two lines (or answers) whose hashes
/// agree are folded again to compare their tokens: keeping every answer's
/// tokens took four times the memory of everything else here together.
pub struct Folds {
    /// Every distinct token's text, one after another, by id.
    names: String,
    /// Where each token's text ends in `names`, by id.
    name_ends: Vec<usize>,
    /// Per token id: how often it occurs in the deck's questions and
    /// answers.
    counts: Vec<u32>,
    /// Each card's question tokens as written, then the same sorted by id,
    /// one card after another: comparing two questions reads each one's
    /// block in one place.
    blocks: Vec<u32>,
    /// Where each card's block starts in `blocks`, plus the end (`u32`:
    /// four billion question words take far more memory than any machine
    /// has before they reach the limit).
    block_starts: Vec<u32>,
    /// Per answer line, one card after another: the hash of its tokens (a
    /// polynomial in [`token_hash`]).
    line_hashes: Vec<u64>,
    /// Per answer line: how many tokens it has.
    line_lens: Vec<u32>,
    /// Where each card's answer lines start in `line_hashes`, plus the end.
    answer_starts: Vec<u32>,
    /// Per card: the hash of its answer's tokens, all lines together (the
    /// same polynomial run on from line to line, so where the lines break
    /// makes no difference).
    answer_hashes: Vec<u64>,
}

/// The hash of token id `id` in the line hashes of [`Folds`].
fn token_hash(id: u32) -> u64 {
    mix(u64::from(id) + 1)
}

impl Folds {
    pub fn build(cards: &[Card]) -> Folds {
        let mut index = Interner::default();
        // Sized up front so the big tables are never copied to grow: the
        // lines exactly, the question tokens from the text (about one token
        // per five bytes of prose, twice; a line of one-letter tokens grows
        // once).
        let lines: usize = cards.iter().map(|c| c.answer.len()).sum();
        let question_bytes: usize = cards.iter().map(|c| c.question.len()).sum();
        let mut folds = Folds {
            names: String::new(),
            name_ends: Vec::new(),
            counts: Vec::new(),
            blocks: Vec::with_capacity(question_bytes / 2 + cards.len()),
            block_starts: Vec::with_capacity(cards.len() + 1),
            line_hashes: Vec::with_capacity(lines),
            line_lens: Vec::with_capacity(lines),
            answer_starts: Vec::with_capacity(cards.len() + 1),
            answer_hashes: Vec::with_capacity(cards.len()),
        };
        folds.block_starts.push(0);
        folds.answer_starts.push(0);
        let (names, name_ends, counts) =
            (&mut folds.names, &mut folds.name_ends, &mut folds.counts);
        let mut intern = |token: &str| {
            let id = index.id(token, names, name_ends);
            match counts.get_mut(id as usize) {
                Some(n) => *n = n.saturating_add(1),
                None => counts.push(1),
            }
            id
        };
        let (mut buf, mut ids) = (String::new(), Vec::new());
        for card in cards {
            ids.clear();
            fold_each(&card.question, &mut buf, &mut |t| ids.push(intern(t)));
            folds.blocks.extend_from_slice(&ids);
            ids.sort_unstable();
            folds.blocks.extend_from_slice(&ids);
            folds
                .block_starts
                .push(crate::model::small(folds.blocks.len()));
            let mut whole = 0u64;
            for line in &card.answer {
                let (mut hash, mut len) = (0u64, 0u32);
                fold_each(line.content(), &mut buf, &mut |t| {
                    let h = token_hash(intern(t));
                    hash = hash.wrapping_mul(BASE).wrapping_add(h);
                    whole = whole.wrapping_mul(BASE).wrapping_add(h);
                    len = len.saturating_add(1);
                });
                folds.line_hashes.push(hash);
                folds.line_lens.push(len);
            }
            folds.answer_hashes.push(whole);
            folds
                .answer_starts
                .push(crate::model::small(folds.line_hashes.len()));
        }
        folds
    }

    /// Card `c`'s question tokens as written, and sorted by id.
    pub(super) fn both(&self, c: usize) -> (&[u32], &[u32]) {
        let (Some(&s), Some(&e)) = (self.block_starts.get(c), self.block_starts.get(c + 1)) else {
            return (&[], &[]);
        };
        let block = self.blocks.get(s as usize..e as usize).unwrap_or_default();
        block.split_at(block.len() / 2)
    }

    /// The folded question of card `c`.
    pub fn question(&self, c: usize) -> &[u32] {
        self.both(c).0
    }

    /// The hash of card `c`'s folded answer, all its lines together: equal
    /// answers hash alike (see [`Folds::same_answer`]).
    pub fn answer_hash(&self, c: usize) -> u64 {
        self.answer_hashes.get(c).copied().unwrap_or(0)
    }

    /// Whether cards `a` and `b` have the same folded answer, all lines
    /// together (`cards`: those the folds were built from).
    pub fn same_answer(&self, cards: &[Card], a: usize, b: usize) -> bool {
        let fold = |c: usize| {
            let lines = cards
                .get(c)
                .map(|c| c.answer.as_slice())
                .unwrap_or_default();
            folded(lines.iter().map(|l| l.content()))
        };
        self.answer_hash(a) == self.answer_hash(b) && fold(a) == fold(b)
    }

    /// The index of answer line `k` of card `c` in the line tables.
    fn line(&self, c: usize, k: usize) -> Option<usize> {
        let (&first, &end) = (self.answer_starts.get(c)?, self.answer_starts.get(c + 1)?);
        Some(first as usize + k).filter(|&l| l < end as usize)
    }

    /// How many tokens answer line `k` of card `c` folds into.
    pub fn answer_line_len(&self, c: usize, k: usize) -> usize {
        self.line(c, k)
            .and_then(|l| self.line_lens.get(l))
            .map_or(0, |&n| n as usize)
    }

    /// Whether answer line `k` of card `c` and line `l` of card `d` fold
    /// alike (`cards`: those the folds were built from).
    pub fn same_answer_line(
        &self,
        cards: &[Card],
        (c, k): (usize, usize),
        (d, l): (usize, usize),
    ) -> bool {
        let key = |c: usize, k: usize| {
            let l = self.line(c, k)?;
            Some((self.line_hashes.get(l)?, self.line_lens.get(l)?))
        };
        let text = |c: usize, k: usize| {
            let line = cards.get(c).and_then(|card| card.answer.get(k));
            folded(line.map(|l| l.content()))
        };
        key(c, k).is_some() && key(c, k) == key(d, l) && text(c, k) == text(d, l)
    }

    /// How often token `id` occurs in the deck's questions and answers.
    fn count(&self, id: u32) -> u32 {
        self.counts.get(id as usize).copied().unwrap_or(0)
    }

    /// Every distinct token's text, by id.
    fn names(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.name_ends.len()).map(|id| name_of(&self.names, &self.name_ends, id))
    }

    /// The text of token `id`.
    fn name(&self, id: u32) -> &str {
        name_of(&self.names, &self.name_ends, id as usize)
    }
}

/// The tokens of `lines` by [`fold_each`], one after another, each ended by
/// a `0xff` byte (which no UTF-8 text holds): for comparing.
fn folded<'l>(lines: impl IntoIterator<Item = &'l str>) -> Vec<u8> {
    let (mut out, mut buf) = (Vec::new(), String::new());
    for line in lines {
        fold_each(line, &mut buf, &mut |t| {
            out.extend_from_slice(t.as_bytes());
            out.push(0xff);
        });
    }
    out
}

/// The text of token `id` in `names` cut at `ends`.
fn name_of<'n>(names: &'n str, ends: &[usize], id: usize) -> &'n str {
    names.get(name_range(ends, id)).unwrap_or("")
}

/// Where token `id` lies in the names cut at `ends`.
fn name_range(ends: &[usize], id: usize) -> std::ops::Range<usize> {
    let start = id
        .checked_sub(1)
        .and_then(|k| ends.get(k))
        .copied()
        .unwrap_or(0);
    start..ends.get(id).copied().unwrap_or(start)
}

/// The bytes of token `id` (as [`name_of`], without the char-boundary
/// checks: for comparing).
fn name_bytes<'n>(names: &'n str, ends: &[usize], id: usize) -> &'n [u8] {
    names
        .as_bytes()
        .get(name_range(ends, id))
        .unwrap_or_default()
}

/// The ids of distinct tokens: an open-addressing table whose slots hold
/// each token's first eight bytes and its length with its id, so most
/// lookups (tokens of up to eight bytes) never read the names.
#[derive(Default)]
struct Interner {
    /// The slots; the length is a power of two.
    slots: Vec<Slot>,
    /// How many ids there are.
    len: usize,
}

/// One slot of an [`Interner`].
#[derive(Clone, Copy, Default)]
struct Slot {
    /// The token's first eight bytes, as by [`head_word`].
    head: u64,
    /// The token's length in bytes.
    len: u32,
    /// Its id + 1 (0: empty).
    id: u32,
}

/// The first eight bytes of `bytes` as one little-endian word, zero-padded.
/// Below eight bytes, without a loop (or a copy of a variable length, which
/// would call `memcpy`): four to seven bytes are two overlapping four-byte
/// words, the second shifted to where it starts (the bytes they share are
/// the same in both, so `|` keeps them); one to three are the first, middle
/// and last byte, each shifted to its place.
fn head_word(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    if let Some(&b) = bytes.first_chunk::<8>() {
        return u64::from_le_bytes(b);
    }
    if let (Some(&lo), Some(&hi)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        return u64::from(u32::from_le_bytes(lo))
            | u64::from(u32::from_le_bytes(hi)) << (8 * (n - 4));
    }
    let byte = |k: usize| bytes.get(k).map_or(0, |&b| u64::from(b) << (8 * k));
    byte(0) | byte(n / 2) | byte(n.wrapping_sub(1))
}

/// [`head_word`] as first written (a byte at a time): the reference.
#[cfg(test)]
fn head_word_by_bytes(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(&b) => u64::from_le_bytes(b),
        None => bytes.iter().rev().fold(0, |w, &b| w << 8 | u64::from(b)),
    }
}

/// What the [`Interner`] keeps of a token (its [`Slot`] without the id),
/// and its hash.
#[inline]
fn intern_key(bytes: &[u8]) -> (Slot, u64) {
    let head = head_word(bytes);
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    let mut h = FxHasher(head ^ u64::from(len) << 59);
    // The rest eight bytes at a time, the last few packed into one word.
    let rest = bytes.get(8..).unwrap_or_default();
    if !rest.is_empty() {
        let mut chunks = rest.chunks_exact(8);
        for c in &mut chunks {
            h.add(head_word(c));
        }
        if !chunks.remainder().is_empty() {
            h.add(head_word(chunks.remainder()));
        }
    }
    (Slot { head, len, id: 0 }, fold_mul(h.0))
}

/// A cheap finalizer for [`intern_key`]: the two halves of `x` times an odd
/// constant, xored (one widening multiply; the low bits, which index the
/// table, depend on every bit of `x`).
fn fold_mul(x: u64) -> u64 {
    let m = u128::from(x) * 0x9e37_79b9_7f4a_7c15;
    (m >> 64) as u64 ^ m as u64
}

impl Interner {
    /// The id of `token`, given a new one (its text pushed onto `names`,
    /// cut at `ends`) if it is new.
    fn id(&mut self, token: &str, names: &mut String, ends: &mut Vec<usize>) -> u32 {
        let bytes = token.as_bytes();
        let (key, hash) = intern_key(bytes);
        let rest = bytes.get(8..).unwrap_or_default();
        let mask = self.slots.len().wrapping_sub(1);
        let mut at = hash as usize & mask;
        while let Some(&slot) = self.slots.get(at) {
            if slot.id == 0 {
                break;
            }
            let id = slot.id - 1;
            if slot.head == key.head
                && slot.len == key.len
                && (rest.is_empty() || name_bytes(names, ends, id as usize).get(8..) == Some(rest))
            {
                return id;
            }
            at = (at + 1) & mask;
        }
        let id = u32::try_from(ends.len()).unwrap_or(u32::MAX);
        names.push_str(token);
        ends.push(names.len());
        self.len += 1;
        let slot = Slot {
            id: id.wrapping_add(1),
            ..key
        };
        if self.len * 2 > self.slots.len() {
            self.grow(names, ends);
            self.insert(slot, hash);
        } else if let Some(s) = self.slots.get_mut(at) {
            *s = slot;
        }
        id
    }

    /// Puts `slot`, whose token hashes to `hash`, into the first free slot
    /// from its hash on.
    fn insert(&mut self, slot: Slot, hash: u64) {
        let mask = self.slots.len().wrapping_sub(1);
        let mut at = hash as usize & mask;
        while self.slots.get(at).is_some_and(|s| s.id != 0) {
            at = (at + 1) & mask;
        }
        if let Some(s) = self.slots.get_mut(at) {
            *s = slot;
        }
    }

    /// Doubles the table and puts every id back (their hashes from their
    /// names).
    fn grow(&mut self, names: &str, ends: &[usize]) {
        let len = (self.slots.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); len]);
        for slot in old.into_iter().filter(|s| s.id != 0) {
            let name = name_bytes(names, ends, slot.id as usize - 1);
            self.insert(slot, intern_key(name).1);
        }
    }
}

/// Folds `text` into lowercased words with punctuation, quotes and
/// apostrophes folded away, calling `emit` with each token: `What was ‘X’?`
/// and `what was x` give the same tokens. Operators and other symbols are
/// kept as tokens (`7 // 2` and `7 % 2` ask different things), and code in
/// backticks is kept as written, split only at spaces: there quotes and
/// case are part of the meaning (`print("3" + "4")` is not `print(3 + 4)`).
/// `buf` is a buffer, reused between calls.
///
/// The token being built is a word or a run of symbols, never both (each
/// ends the other), so one buffer holds it. ASCII, almost all of the text,
/// is read a byte at a time through [`CLASS`]; other characters are
/// decoded.
fn fold_each(text: &str, buf: &mut String, emit: &mut impl FnMut(&str)) {
    // The test is inlined (it runs per character); the emit is not (it
    // runs per token, and is large).
    #[inline(always)]
    fn flush(buf: &mut String, emit: &mut impl FnMut(&str)) {
        if !buf.is_empty() {
            emit_token(buf, emit);
            buf.clear();
        }
    }
    #[inline(never)]
    fn emit_token(token: &str, emit: &mut impl FnMut(&str)) {
        emit(token);
    }
    buf.clear();
    // `buf` holds symbols (else a word, or nothing).
    let mut symbols = false;
    let mut in_code = false;
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        let class = byte_class(b);
        if in_code && class != NON_ASCII {
            at += 1;
            if b == b'`' {
                flush(buf, emit);
                in_code = false;
            } else if matches!(b, b'\t'..=b'\r' | b' ') {
                flush(buf, emit);
            } else {
                buf.push(char::from(b));
            }
            continue;
        }
        if class & ALNUM != 0 {
            if symbols {
                flush(buf, emit);
                symbols = false;
            }
            // The whole run of ASCII letters and digits at once: most
            // tokens are such a run in lowercase, passed on as they are,
            // without a copy.
            let rest = bytes.get(at..).unwrap_or_default();
            let (mut n, mut seen) = (0, 0);
            for &c in rest {
                let k = byte_class(c);
                if k & ALNUM == 0 {
                    break;
                }
                seen |= k;
                n += 1;
            }
            let run = text.get(at..at + n).unwrap_or_default();
            at += n;
            // The token ends here unless an apostrophe or a letter
            // beyond ASCII follows.
            let ends = bytes
                .get(at)
                .is_none_or(|&c| byte_class(c) & (APOSTROPHE | NON_ASCII) == 0);
            if buf.is_empty() && ends && seen & UPPER_BIT == 0 {
                emit_token(run, emit);
            } else {
                buf.reserve(run.len());
                for &c in run.as_bytes() {
                    buf.push(char::from(c.to_ascii_lowercase()));
                }
            }
            continue;
        }
        if class != NON_ASCII {
            at += 1;
            if class == SYMBOL {
                if !symbols {
                    flush(buf, emit);
                    symbols = true;
                }
                buf.push(char::from(b));
            } else if class == BACKTICK {
                flush(buf, emit);
                in_code = true;
                symbols = false;
            } else if class != APOSTROPHE {
                // An apostrophe is folded away without splitting the word;
                // anything else ends the token.
                flush(buf, emit);
            }
            continue;
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        at += c.len_utf8();
        if in_code {
            if c.is_whitespace() {
                flush(buf, emit);
            } else {
                buf.push(c);
            }
        } else if c.is_alphanumeric() {
            if symbols {
                flush(buf, emit);
                symbols = false;
            }
            buf.extend(c.to_lowercase());
        } else if c == '’' {
            // An apostrophe, as above.
        } else if is_symbol(c) {
            if !symbols {
                flush(buf, emit);
                symbols = true;
            }
            buf.push(c);
        } else {
            flush(buf, emit);
        }
    }
    flush(buf, emit);
}

/// What [`fold_each`] does with a byte, by [`CLASS`]: bits.
const OTHER: u8 = 0;
/// An ASCII letter or digit.
const ALNUM: u8 = 1;
/// With [`ALNUM`]: an uppercase letter.
const UPPER_BIT: u8 = 2;
const SYMBOL: u8 = 4;
const APOSTROPHE: u8 = 8;
const BACKTICK: u8 = 16;
/// Part of a character beyond ASCII.
const NON_ASCII: u8 = 32;

/// [`fold_each`]'s class of each byte.
const CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        class[b] = match b as u8 {
            c if c.is_ascii_uppercase() => ALNUM | UPPER_BIT,
            c if c.is_ascii_alphanumeric() => ALNUM,
            b'+' | b'*' | b'/' | b'=' | b'<' | b'>' | b'%' | b'^' | b'&' | b'|' | b'~' | b'#'
            | b'$' | b'@' => SYMBOL,
            b'\'' => APOSTROPHE,
            b'`' => BACKTICK,
            c if !c.is_ascii() => NON_ASCII,
            _ => OTHER,
        };
        b += 1;
    }
    class
};

/// The class of byte `b` (see [`CLASS`]).
fn byte_class(b: u8) -> u8 {
    CLASS.get(usize::from(b)).copied().unwrap_or(OTHER)
}

/// [`fold_each`]'s tokens as strings.
#[cfg(test)]
pub(super) fn fold_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    fold_each(text, &mut String::new(), &mut |t| out.push(t.to_string()));
    out
}

/// Characters that carry meaning in maths, code and science questions, as
/// opposed to prose punctuation (which is folded away). The hyphen is prose
/// here: notes use it as a dash far more often than as a minus.
fn is_symbol(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            '+' | '*' | '/' | '=' | '<' | '>' | '%' | '^' | '&' | '|' | '~' | '#' | '$' | '@'
        );
    }
    "±×÷√°£€¥≤≥≠≈∞→⇌←∑∫∆".contains(c)
}

/// FxHash (rustc's): fast for the short keys of the token table, whose
/// order is never looked at.
#[derive(Default)]
pub(super) struct FxHasher(u64);

pub(super) type FxBuild = BuildHasherDefault<FxHasher>;

impl FxHasher {
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The 64-bit finalizer of SplitMix64: spreads every input bit over the
/// output.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// FNV-1a over bytes: streaming, so a word with a letter left out hashes
/// from its two halves like the same word written out.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    h
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// The base of the polynomial hash of a key's tokens (odd).
const BASE: u64 = 0x9e37_79b9_7f4a_7c15;

/// Powers of [`BASE`], enough for every key that leaves a token out.
const POW: [u64; MAX_NEAR_TOKENS + 1] = {
    let mut pow = [1u64; MAX_NEAR_TOKENS + 1];
    let mut k = 1;
    while k < pow.len() {
        pow[k] = pow[k - 1].wrapping_mul(BASE);
        k += 1;
    }
    pow
};

/// The polynomial `h0·B^(n-1) + … + h(n-1)` of a sequence of token hashes.
fn poly(hashes: impl Iterator<Item = u64>) -> u64 {
    hashes.fold(0, |acc, h| acc.wrapping_mul(BASE).wrapping_add(h))
}

/// The hash of a key: its tag and the polynomial of its tokens.
fn key_hash(tag: u64, poly: u64) -> u64 {
    mix(poly ^ mix(tag))
}

/// What one index key is made of, for a card: the recipe to rebuild it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recipe {
    /// `=`: the question's tokens.
    Full,
    /// `~`: the tokens sorted.
    Sorted,
    /// `t{slot}`: the tokens, the one at `slot` with the letter at `letter`
    /// left out (none: as written).
    Typo { slot: u8, letter: Option<u8> },
    /// `-{slot}`: the tokens but the one at `slot`.
    Without { slot: u8 },
    /// `=`: the tokens but the one at `slot` (equal to the `Full` key of a
    /// question one word shorter).
    Shorter { slot: u8 },
}

/// The kinds of [`Recipe`], as bits (see [`Recipe::kind`]).
const FULL: u8 = 1;
const SORTED: u8 = 2;
const TYPO: u8 = 4;
const WITHOUT: u8 = 8;
const SHORTER: u8 = 16;
const ALL_KINDS: u8 = FULL | SORTED | TYPO | WITHOUT | SHORTER;

impl Recipe {
    /// The recipe's kind, as one bit.
    fn kind(self) -> u8 {
        match self {
            Recipe::Full => FULL,
            Recipe::Sorted => SORTED,
            Recipe::Typo { .. } => TYPO,
            Recipe::Without { .. } => WITHOUT,
            Recipe::Shorter { .. } => SHORTER,
        }
    }

    /// What the key says before its tokens: keys with different tags are
    /// different keys.
    fn tag(self) -> u64 {
        match self {
            Recipe::Full | Recipe::Shorter { .. } => 1,
            Recipe::Sorted => 2,
            Recipe::Typo { slot, .. } => 3 + (u64::from(slot) << 8),
            Recipe::Without { slot } => 4 + (u64::from(slot) << 8),
        }
    }

    /// The recipe in 32 bits: kind, slot, letter.
    fn code(self) -> u32 {
        let (kind, slot, letter) = match self {
            Recipe::Full => (0, 0, 0),
            Recipe::Sorted => (1, 0, 0),
            Recipe::Typo { slot, letter } => (2, slot, letter.map_or(0, |l| u32::from(l) + 1)),
            Recipe::Without { slot } => (3, slot, 0),
            Recipe::Shorter { slot } => (4, slot, 0),
        };
        kind << 24 | u32::from(slot) << 16 | letter
    }

    fn from_code(code: u32) -> Recipe {
        let slot = (code >> 16) as u8;
        match code >> 24 {
            1 => Recipe::Sorted,
            2 => Recipe::Typo {
                slot,
                letter: (code & 0xffff).checked_sub(1).map(|l| l as u8),
            },
            3 => Recipe::Without { slot },
            4 => Recipe::Shorter { slot },
            _ => Recipe::Full,
        }
    }
}

/// One key of one card: its hash, the card and the recipe, packed so that
/// entries sort by hash, then card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry(u128);

impl Entry {
    fn new(hash: u64, card: u32, recipe: Recipe) -> Entry {
        Entry(u128::from(hash) << 64 | u128::from(card) << 32 | u128::from(recipe.code()))
    }

    fn hash(self) -> u64 {
        (self.0 >> 64) as u64
    }

    fn card(self) -> u32 {
        (self.0 >> 32) as u32
    }

    fn recipe(self) -> Recipe {
        Recipe::from_code(self.0 as u32)
    }
}

/// One token of a rebuilt key: a token id, or a word with one letter left
/// out (its text in two pieces).
#[derive(Clone, Copy)]
enum Piece<'a> {
    Id(u32),
    Cut(&'a str, &'a str),
}

/// The cards' folded questions, with what the comparison needs to know
/// about each token.
struct Questions<'f> {
    folds: &'f Folds,
    /// The cards, for the names as written (capitals are folded away) and
    /// the answers.
    cards: &'f [Card],
    /// Per token id: all its characters are letters.
    alphabetic: Vec<bool>,
    /// Per token id: its hash, as [`fnv`] then [`mix`].
    hashes: Vec<u64>,
    /// Per token id: how many typo keys it gets in a short question (one
    /// as written plus one per letter left out; 0 if too short or long, or
    /// not all letters).
    typo_keys: Vec<u8>,
    /// Per token id: its terms in a question's two signatures (see
    /// [`Questions::first_repeats`]).
    shares: Vec<[u64; 2]>,
}

/// A token's terms in the two signatures of a question (see
/// [`Questions::first_repeats`]): a filler word none (it may be added,
/// dropped or swapped for another), a word a typo may touch (five letters
/// or more) only its first and last letter (in the second signature, its
/// last letter before a plural `s`), any other token its hash.
fn signature_terms(word: &str) -> [u64; 2] {
    if is_filler(word) {
        return [0, 0];
    }
    let letters = word.chars().count();
    let (Some(first), Some(last)) = (word.chars().next(), word.chars().next_back()) else {
        return [0, 0];
    };
    if letters < 5 || !word.chars().all(char::is_alphabetic) {
        let h = mix(fnv(FNV_START, word.as_bytes()));
        return [h, h];
    }
    let before_s = if last == 's' {
        word.chars().nth_back(1).unwrap_or(last)
    } else {
        last
    };
    let ends = |l: char| mix(u64::from(first) << 32 | u64::from(l) | 1 << 62);
    [ends(last), ends(before_s)]
}

impl<'f> Questions<'f> {
    fn new(folds: &'f Folds, cards: &'f [Card]) -> Self {
        Questions {
            folds,
            cards,
            alphabetic: folds
                .names()
                .map(|w| w.chars().all(char::is_alphabetic))
                .collect(),
            hashes: folds
                .names()
                .map(|w| mix(fnv(FNV_START, w.as_bytes())))
                .collect(),
            typo_keys: folds
                .names()
                .map(|w| {
                    let letters = w.chars().count();
                    let eligible = (5..=MAX_TYPO_CHARS).contains(&letters)
                        && w.chars().all(char::is_alphabetic);
                    if eligible {
                        u8::try_from(letters + 1).unwrap_or(0)
                    } else {
                        0
                    }
                })
                .collect(),
            shares: folds.names().map(signature_terms).collect(),
        }
    }

    /// Card `c`'s question tokens as written, and sorted.
    fn both(&self, c: usize) -> (&[u32], &[u32]) {
        self.folds.both(c)
    }

    /// Card `c`'s question tokens as written.
    fn question(&self, c: usize) -> &[u32] {
        self.both(c).0
    }

    /// Card `c`'s question tokens, sorted by id.
    fn sorted(&self, c: usize) -> &[u32] {
        self.both(c).1
    }

    fn is_alphabetic(&self, t: u32) -> bool {
        self.alphabetic.get(t as usize).copied().unwrap_or(false)
    }

    fn hash(&self, t: u32) -> u64 {
        self.hashes.get(t as usize).copied().unwrap_or(0)
    }

    /// Every index key of card `c`'s question, pushed onto `out`. A key's
    /// hash is a polynomial in its tokens' hashes, so the keys that leave one
    /// token out or change one come from the whole question's in O(1).
    fn keys(&self, c: usize, hs: &mut Vec<u64>, out: &mut impl FnMut(Entry)) {
        self.keys_of(c, ALL_KINDS, hs, out);
    }

    /// The index keys of card `c`'s question of the kinds in `kinds` (bits
    /// as [`Recipe::kind`]), pushed onto `out`.
    fn keys_of(&self, c: usize, kinds: u8, hs: &mut Vec<u64>, out: &mut impl FnMut(Entry)) {
        let Ok(card) = u32::try_from(c) else { return };
        self.key_polys(c, kinds, hs, &mut |recipe, poly| {
            out(Entry::new(key_hash(recipe.tag(), poly), card, recipe));
        });
    }

    /// As [`Questions::keys_of`], each key as its recipe and the polynomial
    /// of its tokens (its hash without the tag).
    fn key_polys(
        &self,
        c: usize,
        kinds: u8,
        hs: &mut Vec<u64>,
        push: &mut impl FnMut(Recipe, u64),
    ) {
        let tokens = self.question(c);
        if tokens.is_empty() || u32::try_from(c).is_err() {
            return;
        }
        let n = tokens.len();
        hs.clear();
        hs.extend(tokens.iter().map(|&t| self.hash(t)));
        let full = poly(hs.iter().copied());
        if kinds & FULL != 0 {
            push(Recipe::Full, full);
        }
        if kinds & SORTED != 0 {
            push(
                Recipe::Sorted,
                poly(self.sorted(c).iter().map(|&t| self.hash(t))),
            );
        }
        // Short questions: each long word once as written and once with each
        // letter left out (symmetric deletes), the rest as written, so a typo
        // in the one word that matters finds its question.
        if n <= 4 && kinds & TYPO != 0 {
            for (slot, (&t, &h)) in tokens.iter().zip(hs.iter()).enumerate() {
                if self.typo_keys.get(t as usize).is_none_or(|&k| k == 0) {
                    continue;
                }
                let word = self.folds.name(t);
                let Ok(slot) = u8::try_from(slot) else {
                    continue;
                };
                let weight = POW.get(n - 1 - usize::from(slot)).copied().unwrap_or(0);
                let with = |v: u64| full.wrapping_add(v.wrapping_sub(h).wrapping_mul(weight));
                push(Recipe::Typo { slot, letter: None }, full);
                for (letter, (at, ch)) in word.char_indices().enumerate() {
                    let (Ok(letter), Some(pre), Some(post)) = (
                        u8::try_from(letter),
                        word.get(..at),
                        word.get(at + ch.len_utf8()..),
                    ) else {
                        continue;
                    };
                    let v = mix(fnv(fnv(FNV_START, pre.as_bytes()), post.as_bytes()));
                    let letter = Some(letter);
                    push(Recipe::Typo { slot, letter }, with(v));
                }
            }
        }
        // Leaving each word out once finds one-word substitutions (same key at
        // the same position) and insertions (`-` key of the longer question
        // equals the `=` form of the shorter one).
        if (3..=MAX_NEAR_TOKENS).contains(&n) && kinds & (WITHOUT | SHORTER) != 0 {
            // `suffixes[k]`: the polynomial of the tokens from `k` on, as the
            // end of a sequence of n-1; `prefix`: of the tokens before `slot`.
            let mut suffixes = [0u64; MAX_NEAR_TOKENS + 1];
            for k in (0..n).rev() {
                let (Some(&h), Some(&w), Some(&after)) =
                    (hs.get(k), POW.get(n - 1 - k), suffixes.get(k + 1))
                else {
                    continue;
                };
                if let Some(s) = suffixes.get_mut(k) {
                    *s = h.wrapping_mul(w).wrapping_add(after);
                }
            }
            let mut prefix = 0u64;
            for (slot, &h) in hs.iter().enumerate() {
                let (Ok(slot8), Some(&w), Some(&suffix)) = (
                    u8::try_from(slot),
                    POW.get(n - 1 - slot),
                    suffixes.get(slot + 1),
                ) else {
                    continue;
                };
                let rest = prefix.wrapping_mul(w).wrapping_add(suffix);
                if kinds & WITHOUT != 0 {
                    push(Recipe::Without { slot: slot8 }, rest);
                }
                if kinds & SHORTER != 0 {
                    push(Recipe::Shorter { slot: slot8 }, rest);
                }
                prefix = prefix.wrapping_mul(BASE).wrapping_add(h);
            }
        }
    }

    /// The tokens of `e`'s key when they are token ids only: a slice of
    /// them, and the one to leave out.
    fn plain(&self, e: Entry) -> Option<(&[u32], Option<usize>)> {
        let (tokens, sorted) = self.both(e.card() as usize);
        match e.recipe() {
            Recipe::Full | Recipe::Typo { letter: None, .. } => Some((tokens, None)),
            Recipe::Sorted => Some((sorted, None)),
            Recipe::Without { slot } | Recipe::Shorter { slot } => {
                Some((tokens, Some(usize::from(slot))))
            }
            Recipe::Typo {
                letter: Some(_), ..
            } => None,
        }
    }

    /// Rebuilds the tokens of `e`'s key into `out`.
    fn rebuild<'s>(&'s self, e: Entry, out: &mut Vec<Piece<'s>>) {
        out.clear();
        let (tokens, sorted) = self.both(e.card() as usize);
        let skip = |slot: u8| {
            let slot = usize::from(slot);
            tokens
                .iter()
                .enumerate()
                .filter(move |&(k, _)| k != slot)
                .map(|(_, &t)| Piece::Id(t))
        };
        match e.recipe() {
            Recipe::Full | Recipe::Typo { letter: None, .. } => {
                out.extend(tokens.iter().map(|&t| Piece::Id(t)));
            }
            Recipe::Sorted => out.extend(sorted.iter().map(|&t| Piece::Id(t))),
            Recipe::Without { slot } | Recipe::Shorter { slot } => out.extend(skip(slot)),
            Recipe::Typo {
                slot,
                letter: Some(letter),
            } => {
                for (k, &t) in tokens.iter().enumerate() {
                    if k != usize::from(slot) {
                        out.push(Piece::Id(t));
                        continue;
                    }
                    let word = self.folds.name(t);
                    let cut = word
                        .char_indices()
                        .nth(usize::from(letter))
                        .and_then(|(at, ch)| {
                            Some(Piece::Cut(word.get(..at)?, word.get(at + ch.len_utf8()..)?))
                        });
                    out.push(cut.unwrap_or(Piece::Id(t)));
                }
            }
        }
    }

    fn same_piece<'s>(&'s self, a: Piece<'s>, b: Piece<'s>) -> bool {
        let text = |p: Piece<'s>| -> (&'s str, &'s str) {
            match p {
                Piece::Id(t) => (self.folds.name(t), ""),
                Piece::Cut(pre, post) => (pre, post),
            }
        };
        match (a, b) {
            (Piece::Id(x), Piece::Id(y)) => x == y,
            _ => {
                let ((a1, a2), (b1, b2)) = (text(a), text(b));
                a1.len() + a2.len() == b1.len() + b2.len()
                    && a1
                        .bytes()
                        .chain(a2.bytes())
                        .eq(b1.bytes().chain(b2.bytes()))
            }
        }
    }

    /// Whether keys `a` and `b` are the same (tag and tokens) when both are
    /// token ids only (`None`: one is not).
    fn same_plain(&self, a: Entry, b: Entry) -> Option<bool> {
        let ((ta, sa), (tb, sb)) = (self.plain(a)?, self.plain(b)?);
        let len = |t: &[u32], s: Option<usize>| t.len() - usize::from(s.is_some());
        fn skip(t: &[u32], s: Option<usize>) -> impl Iterator<Item = u32> + '_ {
            t.iter()
                .enumerate()
                .filter(move |&(k, _)| Some(k) != s)
                .map(|(_, &x)| x)
        }
        Some(
            a.recipe().tag() == b.recipe().tag()
                && len(ta, sa) == len(tb, sb)
                && match (sa, sb) {
                    (None, None) => ta == tb,
                    _ => skip(ta, sa).eq(skip(tb, sb)),
                },
        )
    }

    /// Whether two rebuilt keys (their pieces and tags) are the same.
    fn same_pieces(&self, a: &[Piece<'_>], ta: u64, b: &[Piece<'_>], tb: u64) -> bool {
        ta == tb && a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| self.same_piece(x, y))
    }

    /// Whether keys `a` and `b` are the same key (`bufs`: buffers to
    /// rebuild them in).
    fn same_key<'s>(
        &'s self,
        a: Entry,
        b: Entry,
        bufs: &mut (Vec<Piece<'s>>, Vec<Piece<'s>>),
    ) -> bool {
        a.hash() == b.hash()
            && self.same_plain(a, b).unwrap_or_else(|| {
                self.rebuild(a, &mut bufs.0);
                self.rebuild(b, &mut bufs.1);
                self.same_pieces(&bufs.0, a.recipe().tag(), &bufs.1, b.recipe().tag())
            })
    }

    /// The index of every card: for each key shared by two or more cards,
    /// the first [`MAX_BUCKET`] of them, and for each card the keys it
    /// shares. How the lint first found its pairs; now the reference.
    #[cfg(test)]
    fn index(&self) -> Index {
        self.classes(&self.sorted_entries(self.cards.len()))
    }

    /// The index of `entries` (sorted): for each key shared by two or more
    /// of their cards, the first [`MAX_BUCKET`] of them, and for each card
    /// the keys it shares.
    fn classes(&self, entries: &[Entry]) -> Index {
        let mut buckets = Vec::new();
        let mut bucket_starts = vec![0];
        let mut keys = Vec::new();
        // The cards of each shared key but its first (which has no earlier
        // card to be compared with), one key after another.
        let mut members: Vec<u32> = Vec::new();
        let mut member_starts = vec![0];
        let (mut first, mut other, mut piece) = (Vec::new(), Vec::new(), Vec::new());
        // The cards of each distinct key among equal hashes: almost always
        // one key (the first entry's, rebuilt once), else a collision.
        let (mut cards_first, mut others) = (Vec::new(), Vec::<(Entry, Vec<u32>)>::new());
        for run in entries.chunk_by(|x, y| x.hash() == y.hash()) {
            let Some(&head) = run.first().filter(|_| run.len() >= 2) else {
                continue;
            };
            first.clear();
            cards_first.clear();
            others.clear();
            for &e in run {
                // Most keys are token ids only: compare those without
                // rebuilding.
                let head_key = match self.same_plain(head, e) {
                    Some(same) => same,
                    None => {
                        if first.is_empty() {
                            self.rebuild(head, &mut first);
                        }
                        self.rebuild(e, &mut piece);
                        self.same_pieces(&first, head.recipe().tag(), &piece, e.recipe().tag())
                    }
                };
                let cards = if head_key {
                    &mut cards_first
                } else if let Some(k) = others.iter().position(|&(rep, _)| {
                    self.rebuild(rep, &mut other);
                    self.rebuild(e, &mut piece);
                    self.same_pieces(&other, rep.recipe().tag(), &piece, e.recipe().tag())
                }) {
                    match others.get_mut(k) {
                        Some((_, cards)) => cards,
                        None => continue,
                    }
                } else {
                    others.push((e, Vec::new()));
                    match others.last_mut() {
                        Some((_, cards)) => cards,
                        None => continue,
                    }
                };
                if cards.last() != Some(&e.card()) {
                    cards.push(e.card());
                }
            }
            let reps = std::iter::once((head, &cards_first));
            for (rep, cards) in reps.chain(others.iter().map(|(rep, c)| (*rep, c))) {
                if cards.len() < 2 {
                    continue;
                }
                keys.push(rep);
                buckets.extend(cards.iter().take(MAX_BUCKET));
                bucket_starts.push(buckets.len());
                members.extend(cards.iter().skip(1));
                member_starts.push(members.len());
            }
        }
        Index {
            keys,
            buckets,
            bucket_starts,
            members,
            member_starts,
        }
    }

    /// Per card `i`: the first earlier card `j` it [repeats](Questions::repeats) among
    /// the first [`MAX_BUCKET`] cards of each key of `i` (`u32::MAX`: none),
    /// as comparing each key's cards with its first ones finds it (the
    /// index of every card, as the lint first did, is the tests'
    /// reference), without comparing most of them.
    ///
    /// Two questions that repeat each other have a signature in common
    /// ([`signature_terms`]): the sum of their tokens' terms, without the
    /// filler words (added, dropped or swapped for another) and with a
    /// long word known only by its first and last letters (a typo keeps
    /// both; the second signature knows the last letter before a plural
    /// `s`: `dispute`/`disputes`). So only cards that share a signature are
    /// compared (pair by pair in a small group, else through the keys they
    /// share in the group); then a pair that repeats counts if the earlier
    /// card is among the first [`MAX_BUCKET`] of a key the two share in the
    /// whole deck, which one pass over every card's keys finds, for those
    /// few keys only. Nothing is stored per key of the deck, and the cards
    /// are read in order.
    fn first_repeats(&self, max_pairwise: usize) -> Vec<u32> {
        let repeats = |j: u32, i: u32| self.repeats(j as usize, i as usize).is_some();
        let n = self.cards.len();
        let mut first = vec![u32::MAX; n];
        // Each card under its signatures (cards without tokens have no
        // keys: they are never compared): two at most, sized for them up
        // front (most cards have two: grown from `n + n / 4`, the table
        // was copied once, and at 100,000 cards took 4 MB, 6 MB while
        // copied, not 3.2 MB).
        let mut sigs: Vec<(u64, u32)> = Vec::with_capacity(2 * n);
        for c in 0..n {
            let Ok(card) = u32::try_from(c) else { break };
            let tokens = self.question(c);
            if tokens.is_empty() {
                continue;
            }
            let [a, b] = tokens.iter().fold([0u64; 2], |[a, b], &t| {
                let [x, y] = self.shares.get(t as usize).copied().unwrap_or_default();
                [a.wrapping_add(x), b.wrapping_add(y)]
            });
            sigs.push((a, card));
            if b != a {
                sigs.push((b, card));
            }
        }
        sigs.sort_unstable();
        // The pairs that repeat, each with a key they share: (earlier card,
        // later card, the later card's entry of the key).
        let mut found: Vec<(u32, u32, Entry)> = Vec::new();
        let (mut hs, mut keys_j, mut keys_i) = (Vec::new(), Vec::new(), Vec::new());
        let (mut entries, mut bufs) = (Vec::new(), (Vec::new(), Vec::new()));
        // A few hundred cards at a time, their questions read first in one
        // loop: they lie all over the deck, and the processor fetches many
        // at once only when little else runs between them.
        let mut groups = sigs.chunk_by(|x, y| x.0 == y.0).filter(|g| g.len() >= 2);
        let mut pending = Vec::new();
        loop {
            pending.clear();
            let mut count = 0;
            while count < PREFETCH {
                let Some(group) = groups.next() else { break };
                count += group.len();
                pending.push(group);
            }
            if pending.is_empty() {
                break;
            }
            let mut touched = 0u64;
            for &(_, c) in pending.iter().flat_map(|g| g.iter()) {
                let tokens = self.question(c as usize);
                let text = self
                    .cards
                    .get(c as usize)
                    .map(|card| card.question.as_bytes());
                touched ^= u64::from(tokens.first().copied().unwrap_or(0))
                    ^ u64::from(text.and_then(|t| t.first()).copied().unwrap_or(0));
            }
            std::hint::black_box(touched);
            for &group in &pending {
                if group.len() <= max_pairwise {
                    for (k, &(_, i)) in group.iter().enumerate() {
                        keys_i.clear();
                        for &(_, j) in group.get(..k).unwrap_or_default() {
                            if !repeats(j, i) {
                                continue;
                            }
                            if keys_i.is_empty() {
                                self.keys(i as usize, &mut hs, &mut |e| keys_i.push(e));
                            }
                            keys_j.clear();
                            self.keys(j as usize, &mut hs, &mut |e| keys_j.push(e));
                            for &ei in &keys_i {
                                if keys_j.iter().any(|&ej| self.same_key(ej, ei, &mut bufs)) {
                                    found.push((j, i, ei));
                                }
                            }
                        }
                    }
                    continue;
                }
                entries.clear();
                for &(_, c) in group {
                    self.keys(c as usize, &mut hs, &mut |e| entries.push(e));
                }
                entries.sort_unstable();
                let index = self.classes(&entries);
                for (class, &key) in index.keys.iter().enumerate() {
                    let bucket = index.bucket(class);
                    for &i in index.members(class) {
                        for &j in bucket.iter().take_while(|&&j| j < i) {
                            if repeats(j, i) {
                                found.push((j, i, key));
                            }
                        }
                    }
                }
            }
        }
        drop(sigs);
        // The keys of those pairs, each once (by hash), and the pairs' keys
        // among them.
        found.sort_unstable_by_key(|&(j, i, e)| (e.hash(), j, i));
        let mut keys: Vec<(Entry, Vec<u32>)> = Vec::new();
        let mut key_of = Vec::with_capacity(found.len());
        for &(_, _, e) in &found {
            let start = keys.partition_point(|(k, _)| k.hash() < e.hash());
            let known = (keys.get(start..).unwrap_or_default().iter())
                .position(|&(k, _)| self.same_key(k, e, &mut bufs));
            key_of.push(match known {
                Some(at) => start + at,
                None => {
                    keys.push((e, Vec::new()));
                    keys.len() - 1
                }
            });
        }
        // Each of those keys' first cards in the whole deck, up to the last
        // earlier card of its pairs (`until`): a key is done there or with
        // its first cards all found, and the cards are read for the keys
        // not done, looked at again every [`RANK_STEP`] cards.
        let mut until = vec![0u32; keys.len()];
        for (&(j, ..), &k) in found.iter().zip(&key_of) {
            if let Some(u) = until.get_mut(k) {
                *u = (*u).max(j + 1);
            }
        }
        let bits = (keys.len() * 16).next_power_of_two().max(1 << 12);
        let shift = 64 - bits.trailing_zeros();
        let (mut filter, mut lengths) = (vec![0u64; bits / 64], [0u8; 128]);
        let mut anchors = Anchors::default();
        let last = until.iter().max().map_or(0, |&u| u as usize);
        for c in 0..last {
            let Ok(card) = u32::try_from(c) else { break };
            if c % RANK_STEP == 0 {
                let live = keys.iter().zip(&until);
                let live = live.filter(|&((_, cards), &u)| cards.len() < MAX_BUCKET && u > card);
                let live = live.map(|((k, _), _)| *k);
                self.rank_filter(live, shift, (&mut filter, &mut lengths, &mut anchors));
                if lengths.iter().all(|&l| l == 0) {
                    break;
                }
            }
            let kinds = lengths.get(self.question(c).len().min(127)).copied();
            let kinds = kinds.unwrap_or(0);
            if kinds == 0 || !anchors.any(self.question(c)) {
                continue;
            }
            self.key_polys(c, kinds, &mut hs, &mut |recipe, poly| {
                let at = (poly >> shift) as usize;
                if filter.get(at / 64).is_none_or(|w| w & 1 << (at % 64) == 0) {
                    return;
                }
                let e = Entry::new(key_hash(recipe.tag(), poly), card, recipe);
                let start = keys.partition_point(|(k, _)| k.hash() < e.hash());
                let same_hash = keys.get_mut(start..).unwrap_or_default().iter_mut();
                for (k, cards) in same_hash.take_while(|(k, _)| k.hash() == e.hash()) {
                    if cards.len() < MAX_BUCKET
                        && cards.last() != Some(&card)
                        && self.same_key(*k, e, &mut bufs)
                    {
                        cards.push(card);
                    }
                }
            });
        }
        for (&(j, i, _), &k) in found.iter().zip(&key_of) {
            let counts = keys.get(k).is_some_and(|(_, cards)| cards.contains(&j));
            if let Some(best) = first.get_mut(i as usize).filter(|_| counts) {
                *best = (*best).min(j);
            }
        }
        first
    }

    /// For the pass over the cards of [`Questions::first_repeats`], from
    /// the keys it still looks for: a table of bits over the top bits
    /// (from `shift` on) of their polynomials, which lets most keys by
    /// before they are hashed, and which kinds of key a card of each length
    /// needs (a card of 127 tokens or more: those of all such cards). A key
    /// is as long as its question, or one shorter (`Shorter` and
    /// `Without`), and `Full` and `Shorter` keys are the same keys.
    ///
    /// And `anchors`: a token of each key (its rarest), which every card
    /// with the key holds. A key's tokens are its question's but the one
    /// left out or (a typo key) cut; the other card's typo key may cut a
    /// word at that slot, never elsewhere.
    fn rank_filter(
        &self,
        keys: impl Iterator<Item = Entry>,
        shift: u32,
        (filter, lengths, anchors): (&mut [u64], &mut [u8; 128], &mut Anchors),
    ) {
        filter.fill(0);
        lengths.fill(0);
        anchors.all = false;
        anchors.bits.clear();
        anchors.bits.resize(self.hashes.len() / 64 + 1, 0);
        let mut hs = Vec::new();
        for k in keys {
            let slot = match k.recipe() {
                Recipe::Typo { slot, .. } | Recipe::Without { slot } | Recipe::Shorter { slot } => {
                    Some(usize::from(slot))
                }
                Recipe::Full | Recipe::Sorted => None,
            };
            let tokens = self.question(k.card() as usize).iter().enumerate();
            let rarest = (tokens.filter(|&(at, _)| Some(at) != slot))
                .map(|(_, &t)| t)
                .min_by_key(|&t| self.folds.count(t));
            match rarest.and_then(|t| Some((anchors.bits.get_mut(t as usize / 64)?, t))) {
                Some((w, t)) => *w |= 1 << (t % 64),
                None => anchors.all = true,
            }
            self.key_polys(
                k.card() as usize,
                k.recipe().kind(),
                &mut hs,
                &mut |r, poly| {
                    let at = (poly >> shift) as usize;
                    if let Some(w) = filter.get_mut(at / 64).filter(|_| r == k.recipe()) {
                        *w |= 1 << (at % 64);
                    }
                },
            );
            let n = self.question(k.card() as usize).len();
            let kind = k.recipe().kind();
            let len = if kind & (WITHOUT | SHORTER) != 0 {
                n.saturating_sub(1)
            } else {
                n
            };
            let (this, longer) = match kind {
                FULL | SHORTER => (FULL, SHORTER),
                other => (other & !WITHOUT, other & WITHOUT),
            };
            if let Some(l) = lengths.get_mut(len.min(127)) {
                *l |= this;
            }
            if let Some(l) = lengths.get_mut((len + 1).min(127)) {
                *l |= longer;
            }
        }
    }

    /// How many keys [`Questions::keys`] gives card `c`.
    #[cfg(test)]
    fn key_count(&self, c: usize) -> usize {
        let tokens = self.question(c);
        let n = tokens.len();
        if n == 0 {
            return 0;
        }
        let typo = if n <= 4 {
            tokens
                .iter()
                .map(|&t| usize::from(self.typo_keys.get(t as usize).copied().unwrap_or(0)))
                .sum()
        } else {
            0
        };
        let near = if (3..=MAX_NEAR_TOKENS).contains(&n) {
            2 * n
        } else {
            0
        };
        2 + typo + near
    }

    /// Every card's keys whose hash another key shares (and a few others),
    /// sorted (by hash, card, recipe). Most keys are shared by no other
    /// (85% at 100k cards) and can never pair two cards, so they are
    /// dropped before they are ever stored: a first pass computes every
    /// key and marks its hash in a table of two bits per slot (seen once,
    /// seen twice) over the hash, about eight slots per key; a second
    /// computes them again and keeps those whose slot was seen twice (the
    /// shared keys, plus a few that merely share a slot). Computing a key
    /// costs less than storing it: the table takes two bytes per key, the
    /// keys sixteen.
    #[cfg(test)]
    fn sorted_entries(&self, cards: usize) -> Vec<Entry> {
        let total: usize = (0..cards).map(|c| self.key_count(c)).sum();
        let words = (total / 8).max(1);
        let slots = (words * 64) as u128;
        // The slot from the hash's top bits (multiply-shift: any table size).
        let at = |e: Entry| {
            let slot = ((u128::from(e.hash()) * slots) >> 64) as usize;
            (slot / 64, 1u64 << (slot % 64))
        };
        let mut seen = vec![[0u64; 2]; words];
        // The keys of a few hundred cards at a time, then their slots in a
        // tight loop: the table is larger than the cache at a million
        // cards, and the processor fetches many independent slots at once
        // only when little else runs between them.
        let mut batch = Vec::with_capacity(2 * BATCH);
        let mut hs = Vec::new();
        // How many keys the second pass keeps: each that finds its slot
        // seen, and the first of each slot seen twice.
        let mut kept = 0;
        for c in 0..cards {
            self.keys(c, &mut hs, &mut |e| batch.push(e));
            if batch.len() >= BATCH || c + 1 == cards {
                for &e in &batch {
                    let (word, bit) = at(e);
                    if let Some([once, twice]) = seen.get_mut(word) {
                        let (again, first_again) = (*once & bit != 0, *twice & bit == 0);
                        kept += usize::from(again) + usize::from(again && first_again);
                        *twice |= *once & bit;
                        *once |= bit;
                    }
                }
                batch.clear();
            }
        }
        let mut entries = Vec::with_capacity(kept);
        for c in 0..cards {
            self.keys(c, &mut hs, &mut |e| batch.push(e));
            if batch.len() >= BATCH || c + 1 == cards {
                entries.extend(batch.iter().filter(|&&e| {
                    let (word, bit) = at(e);
                    seen.get(word).is_some_and(|[_, twice]| twice & bit != 0)
                }));
                batch.clear();
            }
        }
        debug_assert_eq!(entries.len(), kept);
        drop(seen);
        entries.sort_unstable();
        entries
    }

    /// Whether card `i` repeats earlier card `j`, and how.
    fn repeats(&self, j: usize, i: usize) -> Option<Kind> {
        // Most candidates are not similar: read the answers only for those
        // that are.
        let kind = match self.similarity(j, i)? {
            Kind::ShortTypo(x, y) => self.short_typo_evidence(x, y, j, i).then_some(Kind::Near)?,
            k => k,
        };
        // Same question and same answer is `duplicate-card`'s job.
        let same_answer = kind == Kind::Exact && self.folds.same_answer(self.cards, j, i);
        (!same_answer).then_some(kind)
    }

    /// Whether the folded questions of cards `j` and `i` are the same or
    /// nearly the same.
    fn similarity<'s>(&'s self, j: usize, i: usize) -> Option<Kind> {
        let ((a, sa), (b, sb)) = (self.both(j), self.both(i));
        if a == b {
            return Some(Kind::Exact);
        }
        // Each word more in one question is a word only in that one.
        if a.len().abs_diff(b.len()) > 1 {
            return None;
        }
        if sa == sb {
            // Same words in another order; numbers and symbols must keep their
            // order (`2 // 7` is not `7 // 2`).
            let literals = |t: &'s [u32]| t.iter().filter(|&&w| !self.is_alphabetic(w));
            // So must names, unless joined by `and`/`or` (`Stalin and Mao`
            // / `Mao and Stalin`): `the Treaty of Corvel … West Ulmar` and
            // `the Treaty of Ulmar … West Corvel` ask different things.
            let names = |c: usize| self.cards.get(c).map(|c| name_groups(&c.question));
            // Compared by a hash first: most reordered questions with the
            // same literals move a name.
            let key = |c: usize| self.cards.get(c).map(|c| name_key(&c.question));
            return (a.len() >= 3
                && literals(a).eq(literals(b))
                && key(j) == key(i)
                && names(j) == names(i))
            .then_some(Kind::Near);
        }
        // Words in one and not the other (as multisets).
        let (Some(only_a), Some(only_b)) = (difference(sa, sb), difference(sb, sa)) else {
            return None;
        };
        let shared = sa.len() - usize::from(only_a.is_some());
        let name = |t: u32| self.folds.name(t);
        let near = match (only_a, only_b) {
            // One word swapped: a typo, or one filler word for another. Any
            // other swapped word is the point of the question, however long
            // the rest (`What is the frequency of mains electricity in the UK?`
            // / `… voltage …`; `When did Stalin die?` / `… Lenin …`).
            // A typo counts only with at least four words around it: in a
            // short question the one word is the question (`What does hablas
            // mean?` / `What does habla mean?`).
            (Some(x), Some(y)) => {
                let typo = is_typo(name(x), name(y));
                if typo && shared < 4 {
                    return Some(Kind::ShortTypo(x, y));
                }
                (typo && shared >= 4) || (is_filler(name(x)) && is_filler(name(y)))
            }
            // One word added or dropped: only filler words keep the meaning.
            (Some(x), None) | (None, Some(x)) => is_filler(name(x)) && shared >= 3,
            (None, None) => false,
        };
        near.then_some(Kind::Near)
    }

    /// Whether a one-letter difference between words `x` and `y` of two
    /// short questions is a typo: one spelling occurs nowhere else in the
    /// deck while the other occurs at least twice (a typo is rare; a
    /// vocabulary word asked about is as common as its neighbour), and the
    /// two answers share a content word (they answer about the same thing;
    /// `pero` "but" and `perro` "dog" share nothing).
    fn short_typo_evidence(&self, x: u32, y: u32, a: usize, b: usize) -> bool {
        let n = |w: u32| self.folds.count(w);
        let (rare, common) = if n(x) <= n(y) { (x, y) } else { (y, x) };
        if n(rare) != 1 || n(common) < 2 {
            return false;
        }
        // The answers' tokens are not kept: fold them again (rare).
        let tokens = |c: usize| {
            let mut out = Vec::new();
            let lines = self.cards.get(c).map(|c| c.answer.as_slice());
            for line in lines.unwrap_or_default() {
                fold_each(line.content(), &mut String::new(), &mut |t| {
                    out.push(t.to_string())
                });
            }
            out
        };
        let content = |w: &&String| w.chars().all(char::is_alphabetic) && w.chars().count() >= 4;
        let answer_b = tokens(b);
        tokens(a)
            .iter()
            .filter(content)
            .any(|w| answer_b.contains(w))
    }
}

/// Tokens of which a card must hold one (see [`Questions::rank_filter`]).
#[derive(Default)]
struct Anchors {
    /// Bits by token id.
    bits: Vec<u64>,
    /// Every card passes.
    all: bool,
}

impl Anchors {
    /// Whether a question of `tokens` passes.
    fn any(&self, tokens: &[u32]) -> bool {
        self.all
            || tokens
                .iter()
                .any(|&t| (self.bits.get(t as usize / 64)).is_some_and(|w| w & 1 << (t % 64) != 0))
    }
}

/// Which cards share which keys.
struct Index {
    /// Each shared key (one of its entries).
    keys: Vec<Entry>,
    /// The first [`MAX_BUCKET`] cards of each shared key, in order, one key
    /// after another.
    buckets: Vec<u32>,
    /// Where each key's cards start in `buckets`, plus the end.
    bucket_starts: Vec<usize>,
    /// The cards of each shared key but its first, in order, one key after
    /// another.
    members: Vec<u32>,
    /// Where each key's cards start in `members`, plus the end.
    member_starts: Vec<usize>,
}

impl Index {
    /// How many shared keys there are.
    #[cfg(test)]
    fn class_count(&self) -> usize {
        self.bucket_starts.len().saturating_sub(1)
    }

    /// The first [`MAX_BUCKET`] cards of key `k`.
    fn bucket(&self, k: usize) -> &[u32] {
        let (Some(&s), Some(&e)) = (self.bucket_starts.get(k), self.bucket_starts.get(k + 1))
        else {
            return &[];
        };
        self.buckets.get(s..e).unwrap_or_default()
    }

    /// The cards of key `k` but its first.
    fn members(&self, k: usize) -> &[u32] {
        let (Some(&s), Some(&e)) = (self.member_starts.get(k), self.member_starts.get(k + 1))
        else {
            return &[];
        };
        self.members.get(s..e).unwrap_or_default()
    }
}

/// Both end in the same letter, or one is the other plus a plural `s`
/// (`dispute`/`disputes`): a different last letter is another form of the
/// word (`hablo`/`habla`).
fn same_last_letter<T: PartialEq>(a: &[T], b: &[T], s: &T) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    long.last() == short.last()
        || (long.len() == short.len() + 1
            && long.last() == Some(s)
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

/// The element of sorted `a` not matched in sorted `b` (multiset
/// difference), if there is one; `None` if there are two or more.
fn difference(a: &[u32], b: &[u32]) -> Option<Option<u32>> {
    let mut only = None;
    let mut j = 0;
    for &x in a {
        while b.get(j).is_some_and(|&y| y < x) {
            j += 1;
        }
        if b.get(j) == Some(&x) {
            j += 1;
        } else if only.replace(x).is_some() {
            return None;
        }
    }
    Some(only)
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
    // The cheap tests first; accents (which need the letters decomposed)
    // last, and for ASCII words not at all: they have none.
    if a.is_ascii() && b.is_ascii() {
        let alphabetic = |w: &str| w.bytes().all(|c| c.is_ascii_alphabetic());
        return a != b
            && alphabetic(a)
            && alphabetic(b)
            && one_edit(a.as_bytes(), b.as_bytes(), &b's');
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    a.iter().all(|c| c.is_alphabetic())
        && b.iter().all(|c| c.is_alphabetic())
        && one_edit(&a, &b, &'s')
        && !same_letters(&a, &b)
}

/// The shape of a typo in letters `a` and `b`, both long enough, with the
/// same last letter (see [`same_last_letter`]) and the same first, one
/// insertion, deletion or substitution apart.
fn one_edit<T: PartialEq>(a: &[T], b: &[T], s: &T) -> bool {
    if a.len().min(b.len()) < 5 || a.len().abs_diff(b.len()) > 1 || !same_last_letter(a, b, s) {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
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
Reordered words make a duplicate only if the names keep their order:
`What did the Treaty of Rome promise France?` and `What did the Treaty of
France promise Rome?` ask different things, while `When did Stalin and Mao
meet?` and `When did Mao and Stalin meet?` ask the same.

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

    /// The index keys of each question, written out as strings.
    fn written_keys(questions: &[&str]) -> Vec<Vec<(String, u64)>> {
        let cards: Vec<Card> = questions
            .iter()
            .map(|q| Card {
                question: (*q).into(),
                ..Card::default()
            })
            .collect();
        let folds = Folds::build(&cards);
        let q = Questions::new(&folds, &cards);
        let mut pieces = Vec::new();
        (0..cards.len())
            .map(|c| {
                let mut entries = Vec::new();
                q.keys(c, &mut Vec::new(), &mut |e| entries.push(e));
                assert_eq!(entries.len(), q.key_count(c));
                let mut keys: Vec<(String, u64)> = entries
                    .iter()
                    .map(|e| {
                        q.rebuild(*e, &mut pieces);
                        let mut words: Vec<String> = pieces
                            .iter()
                            .map(|&p| match p {
                                Piece::Id(t) => folds.name(t).to_string(),
                                Piece::Cut(a, b) => format!("{a}{b}"),
                            })
                            .collect();
                        let tag = match e.recipe() {
                            Recipe::Full | Recipe::Shorter { .. } => "=".to_string(),
                            Recipe::Sorted => {
                                words.sort();
                                "~".to_string()
                            }
                            Recipe::Typo { slot, .. } => format!("t{slot}:"),
                            Recipe::Without { slot } => format!("-{slot}:"),
                        };
                        (format!("{tag}{}", words.join(" ")), e.hash())
                    })
                    .collect();
                keys.sort();
                keys.dedup();
                keys
            })
            .collect()
    }

    /// The keys as the index first wrote them, as strings: the reference
    /// the hashed index must match.
    fn reference_keys(tokens: &[String]) -> Vec<String> {
        let mut keys = vec![format!("={}", tokens.join(" "))];
        let mut sorted = tokens.to_vec();
        sorted.sort();
        keys.push(format!("~{}", sorted.join(" ")));
        if tokens.len() <= 4 {
            for (i, t) in tokens.iter().enumerate() {
                let chars: Vec<char> = t.chars().collect();
                if chars.len() < 5 || !chars.iter().all(|c| c.is_alphabetic()) {
                    continue;
                }
                let with = |w: &str| {
                    let mut v: Vec<&str> = tokens.iter().map(String::as_str).collect();
                    v[i] = w;
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

    #[test]
    fn keys_are_the_written_keys_and_equal_keys_hash_alike() {
        let questions = [
            "When was the ‘Treaty’ signed?",
            "when was the treaty signed",
            "Why did the border disputes heighten?",
            "Why did border disputes heighten?",
            "What is bradycardia?",
            "What is bradicardia?",
            "What is bradcardia?",
            "Was ist die Schüssel, der Schlüssel?",
            "aaaaa aaaaa aaaaa",
            "What is `print(\"3\" + \"4\")` in Python 3?",
            "What is 2 // 7?",
            "estás estas",
            "",
            "?",
        ];
        let written = written_keys(&questions);
        let mut hashes = std::collections::BTreeMap::new();
        for (q, keys) in questions.iter().zip(&written) {
            let strings: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
            let tokens = fold_tokens(q);
            let expected = if tokens.is_empty() {
                Vec::new()
            } else {
                reference_keys(&tokens)
            };
            assert_eq!(strings, expected, "{q}");
            for (k, h) in keys {
                assert_eq!(*hashes.entry(k.clone()).or_insert(*h), *h, "{k}");
            }
        }
    }

    #[test]
    fn long_questions_get_a_bounded_number_of_keys() {
        let words = |n: usize| {
            (0..n)
                .map(|i| format!("w{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let keys = written_keys(&[&words(MAX_NEAR_TOKENS), &words(100_000)]);
        assert_eq!(keys[0].len(), 2 + 2 * MAX_NEAR_TOKENS);
        // A pasted 1 MB line must not need n keys of n words each.
        assert_eq!(keys[1].len(), 2);
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
    fn swapped_names_are_different_questions_unless_joined() {
        let text = "What did the Treaty of Corvel promise West Ulmar in return?\nA\n\
                    What did the Treaty of Ulmar promise West Corvel in return?\nB\n\
                    When did Stalin and Mao first meet?\nC\n\
                    When did Mao and Stalin first meet?\nD\n";
        let (src, out) = check(&DuplicateQuestion, text);
        let lines: Vec<_> = out.iter().map(|d| src.line_of(d.span.start)).collect();
        assert_eq!(lines, [7], "{out:?}");
        assert_eq!(
            name_groups("When did Stalin and Mao meet in Moscow?"),
            [
                vec!["mao".to_string(), "stalin".to_string()],
                vec!["moscow".to_string()]
            ]
        );
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

    /// The folding as first written (a `char` at a time, two buffers): the
    /// reference for [`fold_each`].
    fn reference_fold(text: &str) -> Vec<String> {
        let (mut out, mut word, mut symbols) = (Vec::new(), String::new(), String::new());
        let flush = |buf: &mut String, out: &mut Vec<String>| {
            if !buf.is_empty() {
                out.push(std::mem::take(buf));
            }
        };
        let mut in_code = false;
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
            } else if c.is_ascii_alphanumeric() {
                flush(&mut symbols, &mut out);
                word.push(c.to_ascii_lowercase());
            } else if c == ' ' {
                flush(&mut word, &mut out);
                flush(&mut symbols, &mut out);
            } else if c.is_alphanumeric() {
                flush(&mut symbols, &mut out);
                word.extend(c.to_lowercase());
            } else if matches!(c, '\'' | '’') {
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

    /// Random cards from a small vocabulary, so that questions nearly
    /// repeat each other (a typo pair, filler words, names, symbols) and
    /// answers and answer lines repeat.
    fn deck_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        const QUESTION: &[&str] = &[
            "What",
            "was",
            "the",
            "Treaty",
            "of",
            "Rome",
            "rome",
            "signed",
            "bradycardia",
            "bradicardia",
            "disputes",
            "dispute",
            "and",
            "Stalin",
            "Mao",
            "a",
            "`x`",
            "7",
            "//",
            "%",
            "heighten",
            "border",
            "estás",
            "estas",
        ];
        const ANSWER: &[&str] = &[
            "heart", "rate", "1950", "x", "slow", "Leader", "a", "-", "it’s",
        ];
        let question = prop::collection::vec(prop::sample::select(QUESTION), 1..6);
        let line = prop::collection::vec(prop::sample::select(ANSWER), 1..5);
        let card = (question, prop::collection::vec(line, 0..3));
        prop::collection::vec(card, 1..40).prop_map(notes_of)
    }

    /// Notes text of generated cards: the question's words and `?`, then
    /// each answer line's words.
    fn notes_of(cards: Vec<(Vec<&str>, Vec<Vec<&str>>)>) -> String {
        let mut text = String::new();
        for (question, answer) in cards {
            text.push_str(&question.join(" "));
            text.push_str("?\n");
            for line in answer {
                text.push_str(&line.join(" "));
                text.push('\n');
            }
        }
        text
    }

    /// Words for questions with names: capitals (beyond ASCII too, where
    /// lowercasing depends on the word: `ΑΣ`/`Ας`), joiners, punctuation.
    const NAME_WORDS: &[&str] = &[
        "When",
        "did",
        "Stalin",
        "stalin",
        "STALIN",
        "and",
        "or",
        "&",
        "Mao",
        "(Mao)",
        "Mao,",
        "ΑΣ",
        "Ας",
        "ας",
        "İstanbul",
        "meet?",
    ];

    /// Random cards from a small vocabulary of near words (typos, plurals,
    /// accents, fillers, names), up to `cards` of them: with many cards
    /// some keys have more than [`MAX_BUCKET`].
    fn near_deck(cards: usize) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        const QUESTION: &[&str] = &[
            "What",
            "was",
            "the",
            "a",
            "of",
            "and",
            "Treaty",
            "treaty",
            "Rome",
            "Paris",
            "signed",
            "bradycardia",
            "bradicardia",
            "bradcardia",
            "disputes",
            "dispute",
            "disputed",
            "Stalin",
            "Mao",
            "7",
            "//",
            "schlüssel",
            "schlüsel",
            "estás",
            "estas",
            "heighten",
            "heightens",
            "ΑΣ",
            "Ας",
        ];
        const ANSWER: &[&str] = &["heart", "rate", "1950", "x", "dispute"];
        let question = prop::collection::vec(prop::sample::select(QUESTION), 1..6);
        let line = prop::collection::vec(prop::sample::select(ANSWER), 1..3);
        let card = (question, prop::collection::vec(line, 0..2));
        prop::collection::vec(card, 1..cards).prop_map(notes_of)
    }

    /// Random cards of two templates, `What X Y?` and a longer one, most `X`
    /// content words:
    /// the keys that leave `X` out hold dozens of cards, and a pair that
    /// repeats (`X` a filler word) often comes after the first
    /// [`MAX_BUCKET`] of them.
    fn crowded_deck(cards: usize) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        const X: &[&str] = &[
            "is", "the", "big", "old", "red", "new", "hot", "far", "low", "dry", "wet", "odd",
        ];
        const Y: &[&str] = &["dispute", "disputes", "bradycardia", "bradicardia"];
        let card = (
            prop::sample::select(X),
            prop::sample::select(Y),
            prop::sample::select(&["x", "y", "z"][..]),
            // Long enough for a typo to count without evidence.
            prop::sample::select(&["What", "Why did Rome see"][..]),
        );
        prop::collection::vec(card, 1..cards).prop_map(|cards| {
            let mut text = String::new();
            for (x, y, answer, start) in cards {
                text.push_str(&format!("{start} {x} {y}?\n{answer}\n"));
            }
            text
        })
    }

    /// The first earlier card each card repeats as the lint first found
    /// it: key by key over the index of every card, each key's members
    /// compared with its first [`MAX_BUCKET`] cards.
    fn reference_first(q: &Questions<'_>) -> Vec<u32> {
        let index = q.index();
        let mut first = vec![u32::MAX; q.cards.len()];
        for class in 0..index.class_count() {
            let bucket = index.bucket(class);
            for &i in index.members(class) {
                let best = &mut first[i as usize];
                let limit = i.min(*best);
                let found = (bucket.iter().take_while(|&&j| j < limit))
                    .find(|&&j| q.repeats(j as usize, i as usize).is_some());
                if let Some(&j) = found {
                    *best = j;
                }
            }
        }
        first
    }

    /// `duplicate-question`'s findings as first computed: card by card,
    /// every earlier card sharing a key with it, the first that repeats it,
    /// with the answers compared as token lists. As (line, first line,
    /// message).
    fn reference_findings(text: &str) -> Vec<(usize, usize, String)> {
        let src = crate::source::SourceFile::new("t.txt", text);
        let deck = crate::lint::testing::deck(&src);
        let cards = &deck.cards;
        let folds = Folds::build(cards);
        let q = Questions::new(&folds, cards);
        let index = q.index();
        let mut classes_of = vec![Vec::new(); cards.len()];
        for k in 0..index.class_count() {
            for &c in index.members(k) {
                classes_of[c as usize].push(k);
            }
        }
        let answer = |c: &Card| -> Vec<String> {
            c.answer
                .iter()
                .flat_map(|l| reference_fold(l.content()))
                .collect()
        };
        let mut counts = std::collections::HashMap::new();
        for c in cards {
            for t in reference_fold(&c.question).into_iter().chain(answer(c)) {
                *counts.entry(t).or_insert(0) += 1;
            }
        }
        let evidence = |x: u32, y: u32, a: &Card, b: &Card| {
            let n = |w: u32| counts.get(folds.name(w)).copied().unwrap_or(0);
            let (rare, common) = if n(x) <= n(y) { (x, y) } else { (y, x) };
            let content =
                |w: &&String| w.chars().all(char::is_alphabetic) && w.chars().count() >= 4;
            let b = answer(b);
            n(rare) == 1
                && n(common) >= 2
                && answer(a).iter().filter(content).any(|w| b.contains(w))
        };
        let mut out = Vec::new();
        for (i, card) in cards.iter().enumerate() {
            let mut candidates: Vec<u32> = Vec::new();
            for &k in &classes_of[i] {
                candidates.extend(index.bucket(k).iter().take_while(|&&j| (j as usize) < i));
            }
            candidates.sort_unstable();
            candidates.dedup();
            let found = candidates.iter().find_map(|&j| {
                let j = j as usize;
                let kind = match q.similarity(j, i)? {
                    Kind::ShortTypo(x, y) => {
                        evidence(x, y, &cards[j], card).then_some(Kind::Near)?
                    }
                    k => k,
                };
                let same_answer = answer(&cards[j]) == answer(card);
                (!(same_answer && kind == Kind::Exact)).then_some((j, kind))
            });
            if let Some((j, kind)) = found {
                let d = diagnostic(&DuplicateQuestion, card, &cards[j], kind);
                let line = |c: &Card| src.line_of(c.question_span.start);
                out.push((line(card), line(&cards[j]), d.message));
            }
        }
        out
    }

    #[test]
    fn a_typo_found_only_through_a_typo_key() {
        // Two words: the questions share no key but their typo keys
        // (`define bradcardia`), whose cards the rank pass must find
        // though neither holds the cut word.
        let text = "Define bradycardia?\na slow heart\n\
                    Define tachycardia?\nthe opposite of bradycardia, a fast heart\n\
                    Define bradicardia?\nheart rate below 60\n";
        let (src, ds) = check(&DuplicateQuestion, text);
        assert_eq!(lines(&src, &ds), [5]);
    }

    #[test]
    fn a_typo_keeps_a_signature_term() {
        let terms = |w: &str| signature_terms(w);
        let shares = |a: &str, b: &str| {
            let (x, y) = (terms(a), terms(b));
            x[0] == y[0] || x[1] == y[1]
        };
        for (a, b) in [
            ("dispute", "disputes"),
            ("bradycardia", "bradicardia"),
            ("schlüssel", "schlüsel"),
            ("bonus", "bonuss"),
        ] {
            assert!(is_typo(a, b) && shares(a, b), "{a} {b}");
        }
        assert!(terms("the") == [0, 0] && terms("was") == [0, 0]);
        assert!(!shares("disputes", "disputed"));
    }

    proptest::proptest! {
        #[test]
        fn signature_groups_find_what_key_by_key_found(
            text in proptest::prop_oneof![near_deck(150), crowded_deck(300)]
        ) {
            let src = crate::source::SourceFile::new("t.txt", &text);
            let deck = crate::lint::testing::deck(&src);
            let folds = Folds::build(&deck.cards);
            let q = Questions::new(&folds, &deck.cards);
            let reference = reference_first(&q);
            // Every group through its keys, a few, and every group pair by
            // pair.
            for pairwise in [0, 3, MAX_PAIRWISE, usize::MAX] {
                proptest::prop_assert_eq!(&q.first_repeats(pairwise), &reference);
            }
        }

        #[test]
        fn one_edit_typos_share_a_signature_term(
            word in "[a-zäüé]{4,9}",
            at in 0usize..10,
            letter in "[a-zs]",
            edit in 0u8..4,
        ) {
            let chars: Vec<char> = word.chars().collect();
            let at = at.min(chars.len());
            let mut other = chars.clone();
            let letter = letter.chars().next().unwrap_or('s');
            match edit {
                0 => other.insert(at, letter),
                1 if at < other.len() => { other.remove(at); }
                2 if at < other.len() => other[at] = letter,
                _ => other.push('s'),
            }
            let other: String = other.into_iter().collect();
            if is_typo(&word, &other) {
                let (x, y) = (signature_terms(&word), signature_terms(&other));
                proptest::prop_assert!(x[0] == y[0] || x[1] == y[1], "{} {}", word, other);
            }
        }

        #[test]
        fn equal_name_groups_hash_alike(
            a in proptest::collection::vec(proptest::sample::select(NAME_WORDS), 0..5),
            b in proptest::collection::vec(proptest::sample::select(NAME_WORDS), 0..5),
        ) {
            let (a, b) = (a.join(" "), b.join(" "));
            if name_groups(&a) == name_groups(&b) {
                proptest::prop_assert_eq!(name_key(&a), name_key(&b));
            }
        }

        #[test]
        fn head_word_matches_the_byte_loop(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..20)) {
            proptest::prop_assert_eq!(head_word(&bytes), head_word_by_bytes(&bytes));
        }

        #[test]
        fn folding_a_run_at_a_time_matches_the_reference(
            text in "([a-zA-Z0-9]{0,9}|[ '’`+/*=é ßİẞ±°\u{a0}\t.,?-]|Ǆ){0,30}"
        ) {
            proptest::prop_assert_eq!(fold_tokens(&text), reference_fold(&text));
        }

        #[test]
        fn token_ids_are_distinct_spellings_in_order(tokens in proptest::collection::vec("[ab]{0,11}|[a-z]{0,20}", 0..200)) {
            let (mut index, mut names, mut ends) = (Interner::default(), String::new(), Vec::new());
            let mut seen: Vec<&str> = Vec::new();
            for t in &tokens {
                let id = index.id(t, &mut names, &mut ends) as usize;
                let expected = seen.iter().position(|s| s == t).unwrap_or(seen.len());
                proptest::prop_assert_eq!(id, expected);
                if expected == seen.len() {
                    seen.push(t);
                }
                proptest::prop_assert_eq!(name_of(&names, &ends, id), t.as_str());
            }
        }

        #[test]
        fn key_by_key_finds_what_card_by_card_found(text in deck_text()) {
            let (src, ds) = check(&DuplicateQuestion, &text);
            let found: Vec<(usize, usize, String)> = ds
                .iter()
                .map(|d| {
                    let related = src.line_of(d.related[0].span.start);
                    (src.line_of(d.span.start), related, d.message.clone())
                })
                .collect();
            proptest::prop_assert_eq!(found, reference_findings(&text));
        }
    }
}
