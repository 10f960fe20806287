//! Facts stated in cards, and which statements are about the same subject.
//!
//! The consistency rules (`conflicting-dates`, `conflicting-numbers`,
//! `year-range-order`) share this: each answer sentence that states a fact
//! (a date, an amount) becomes a [`Statement`] keyed by its content words;
//! when the sentence is little more than the fact (`1967-1979`), the words
//! of its question stand in for the subject. [`same_subject`] then pairs
//! statements about the same event without comparing every pair: words are
//! indexed, words found in too many statements are skipped, and each word
//! weighs by how rare it is across the deck's cards.

pub mod amounts;
pub mod dates;
pub mod numbers;
#[cfg(test)]
mod reference;
mod subjects;
pub mod words;

pub use subjects::conflicts;
#[cfg(test)]
use subjects::{same_subject, Pair};

use std::sync::Mutex;

use rustc_hash::FxHashMap as HashMap;

use crate::model::Deck;
use crate::source::{SourceFile, Span};
use numbers::Num;

/// A kind of fact, and how to find it in a sentence.
pub trait Kind {
    /// How statements keep a fact of this kind (not its text, which is
    /// where [`Fact::range`] says in the sentence).
    type Fact: Fact + Clone;
    /// Pushes the facts of `sentence` onto `out`, given the sentence's
    /// [`numbers::numbers`] and its dates (which every kind needs, so they
    /// are read once).
    fn extract(sentence: &str, nums: &[Num<'_>], dates: &[dates::Date], out: &mut Vec<Self::Fact>);
    /// Where [`DeckKeys`] keeps the statements of this kind it read.
    fn slot<'k, 'a>(keys: &'k DeckKeys<'a>) -> &'k Mutex<Option<Read<'a, Self::Fact>>>;
    /// The statements of this kind, read alone.
    fn read_alone<'a>(deck: &'a Deck, source: &SourceFile) -> Read<'a, Self::Fact>;
}

/// Dates (`conflicting-dates`).
pub struct Dates;

impl Kind for Dates {
    type Fact = dates::Date;
    fn extract(_: &str, _: &[Num<'_>], dates: &[dates::Date], out: &mut Vec<dates::Date>) {
        out.extend_from_slice(dates);
    }
    fn slot<'k, 'a>(keys: &'k DeckKeys<'a>) -> &'k Mutex<Option<Read<'a, dates::Date>>> {
        &keys.dates
    }
    fn read_alone<'a>(deck: &'a Deck, source: &SourceFile) -> Read<'a, dates::Date> {
        let mut r = Reader::default();
        let (vocab, _) = read_deck(deck, source, Some(&mut r), None);
        r.finish(&vocab)
    }
}

/// Amounts (`conflicting-numbers`).
pub struct Amounts;

impl Kind for Amounts {
    type Fact = amounts::Amount;
    fn extract(
        sentence: &str,
        nums: &[Num<'_>],
        dates: &[dates::Date],
        out: &mut Vec<amounts::Amount>,
    ) {
        amounts::amounts_from(sentence, nums, dates, out);
    }
    fn slot<'k, 'a>(keys: &'k DeckKeys<'a>) -> &'k Mutex<Option<Read<'a, amounts::Amount>>> {
        &keys.amounts
    }
    fn read_alone<'a>(deck: &'a Deck, source: &SourceFile) -> Read<'a, amounts::Amount> {
        let mut r = Reader::default();
        let (vocab, _) = read_deck(deck, source, None, Some(&mut r));
        r.finish(&vocab)
    }
}

/// A fact of a statement.
pub trait Fact {
    /// Byte range in the sentence it was found in.
    fn range(&self) -> (usize, usize);
    /// Facts of different kinds are never compared (`$` vs `%`).
    fn kind(&self) -> &str;
    /// Whether both can be true of one subject.
    fn compatible(&self, other: &Self) -> bool;
    /// How far apart two facts of one kind are, so that a message names
    /// the earlier fact a typo most likely came from (`1915`, not `1914`,
    /// against `1916`).
    fn distance(&self, other: &Self) -> f64;
    /// What the fact measures, as a subject key: the unit of an amount
    /// (`bit` in `32 bits`, `m/s` in `340 m/s`). Only facts of one kind
    /// are ever compared, so the unit is part of what a sentence is about.
    fn unit_key(&self) -> Option<String> {
        None
    }
    /// Whether dates in a sentence say when its facts hold (`GDP of $27
    /// trillion in 2023`), so that facts for different years are never
    /// compared. Not for dates themselves.
    const DATES_QUALIFY: bool = false;
}

impl Fact for dates::Date {
    fn range(&self) -> (usize, usize) {
        (self.start as usize, self.end as usize)
    }
    fn kind(&self) -> &str {
        "date"
    }
    fn compatible(&self, other: &Self) -> bool {
        dates::Date::compatible(self, other)
    }
    fn distance(&self, other: &Self) -> f64 {
        let (a, b) = (self.interval(), other.interval());
        f64::from((a.0 - b.0).abs() + (a.1 - b.1).abs())
    }
}

impl Fact for amounts::Amount {
    fn range(&self) -> (usize, usize) {
        (self.start, self.end)
    }
    fn kind(&self) -> &str {
        &self.unit
    }
    fn compatible(&self, other: &Self) -> bool {
        amounts::Amount::compatible(self, other)
    }
    fn distance(&self, other: &Self) -> f64 {
        // Ratios: 91,000 is nearer 110,000 than 5 is.
        let ratio = |x: f64, y: f64| (x.abs().max(1e-300) / y.abs().max(1e-300)).ln().abs();
        ratio(self.lo, other.lo) + ratio(self.hi, other.hi)
    }
    fn unit_key(&self) -> Option<String> {
        // A unit word keys like any word (`prisoners` → `prisoner`); a
        // symbol (`m/s`, `%`, `$`, `Hz`) is its own key.
        words::key(&self.unit).or_else(|| Some(self.unit.clone()))
    }
    const DATES_QUALIFY: bool = true;
}

/// An interned subject key (an index into the keys of [`Statements`]).
pub type Key = u32;

/// One answer sentence stating facts: a view into [`Statements`], which
/// keeps every statement's facts, keys and words in a few shared arrays (a
/// deck of a million cards holds millions of statements, and a handful of
/// small allocations each would cost more than their contents).
pub struct Statement<'s, F> {
    pub card: usize,
    /// The facts (their spans in the source: [`Statements::span`]).
    pub facts: &'s [F],
    /// Whether the line's span holds exactly its text, so that fact spans
    /// are exact; otherwise they point at the line.
    exact: bool,
    /// Whether the sentence refers to something by a pronoun (`Linus
    /// Torvalds released it in 1992`): then its question's words and
    /// names stand for it.
    pub refers: bool,
    /// The key lists (all sorted and unique) one after another, in
    /// [`List`] order; `ends[i]` is where list `i` ends.
    lists: &'s [Key],
    ends: [u32; LISTS],
    /// Numbers in the question and, for amounts, dates in the sentence
    /// (interned, sorted and unique): they qualify the subject (`the 100 m
    /// record`, `unemployment in 2023`), so statements with different
    /// qualifiers are about different things.
    pub qualifiers: &'s [u32],
    /// Where the sentence is: the index of its line among the card's
    /// answer lines, and its byte range in the line (its subject words are
    /// read again from there for messages, see [`Statements::surface`]).
    line: u32,
    sentence: (u32, u32),
}

/// The key lists of a [`Statement`], in storage order.
#[derive(Clone, Copy)]
enum List {
    Keys,
    Context,
    Units,
    Asked,
    Names,
    Capitals,
}
const LISTS: usize = 6;

impl<F> Statement<'_, F> {
    fn list(&self, which: List) -> &[Key] {
        let i = which as usize;
        let start = i
            .checked_sub(1)
            .and_then(|p| self.ends.get(p))
            .copied()
            .unwrap_or(0);
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.lists.get(start as usize..end as usize).unwrap_or(&[])
    }
    /// Subject keys.
    pub fn keys(&self) -> &[Key] {
        self.list(List::Keys)
    }
    /// `keys` and the keys of the card's question, in order: those not
    /// among `keys` are context that weighs half as much (the question
    /// often names what an answer calls `it`). Only that context is kept,
    /// not a second copy of `keys`.
    pub fn all(&self) -> Merge<'_> {
        Merge {
            a: self.keys(),
            b: self.list(List::Context),
        }
    }
    /// Whether [`Statement::all`] holds `k`.
    pub fn in_all(&self, k: Key) -> bool {
        has(self.keys(), k) || has(self.list(List::Context), k)
    }
    /// The keys that name units of the facts (`bit`, `m/s`): they count
    /// towards coverage but are not enough to pair two statements.
    pub fn units(&self) -> &[Key] {
        self.list(List::Units)
    }
    /// Keys of the card's question but its past-tense verbs, when the
    /// sentence is the card's whole answer (what the card asks about).
    pub fn asked(&self) -> &[Key] {
        self.list(List::Asked)
    }
    /// Keys of the subject words written as names: capitalized, and not
    /// the first word of their sentence or question (`Tito`, `USSR`,
    /// `Treaty of Kestran`).
    pub fn names(&self) -> &[Key] {
        self.list(List::Names)
    }
    /// Whether `k` is the key of a capitalized word of the sentence, first
    /// words included: what a name of the other statement may match.
    /// Those not among `names` are kept apart. The question's capitals
    /// count only when the sentence is too short to have a subject of its
    /// own: otherwise the question is context, and a card asking about the
    /// Treaty of Corvel may have an answer line about the Treaty of Jorvan.
    pub fn capital(&self, k: Key) -> bool {
        has(self.names(), k) || has(self.list(List::Capitals), k)
    }
    /// The keys [`Statement::capital`] holds.
    pub fn capitals(&self) -> impl Iterator<Item = Key> + '_ {
        self.names()
            .iter()
            .chain(self.list(List::Capitals))
            .copied()
    }
}

/// Where one statement's parts start in the arrays of its [`Block`]; each
/// ends where the next statement's start. Packed into 32 bytes (it was 52):
/// a deck holds a statement for most sentences with a number until the
/// statements no longer live are dropped, and at 100,000 cards the metas
/// were a third of the statements' memory. The ends of the lists and the
/// sentence's length nearly always fit in a byte and two: a statement
/// whose do not is [`Wide`].
struct Meta {
    card: u32,
    lists: u32,
    facts: u32,
    qualifiers: u32,
    /// The line index, shifted left by two, whether the statement
    /// `refers` (bit 1) and whether it is `exact` (bit 0).
    line: u32,
    /// Where the sentence starts in the line.
    sentence: u32,
    /// The sentence's length; [`WIDE`] for a statement kept in
    /// [`Block::wide`].
    sentence_len: u16,
    /// Ends of the key lists but the last, relative to `lists` (the last
    /// ends where the statement does).
    ends: [u8; LISTS - 1],
    /// Where in [`Statement::all`] (the keys, then the context: the first
    /// two lists) a key was in at most [`subjects::MAX_POSTINGS`]
    /// statements when last looked at: while it still is, the statement
    /// is live, without looking at its other keys (see [`Block::sweep`]).
    witness: u8,
}

/// [`Meta::sentence_len`] of a statement whose ends or length do not fit.
const WIDE: u16 = u16::MAX;

/// The ends and sentence length of a statement whose do not fit in its
/// [`Meta`] (a sentence of 255 keys, or 64 KiB).
#[derive(Clone, Copy)]
struct Wide {
    ends: [u32; LISTS - 1],
    sentence_len: u32,
}

/// Where a statement is, for [`Block::push`].
struct Place {
    card: usize,
    line: usize,
    refers: bool,
    exact: bool,
    /// The sentence's byte range in the line.
    sentence: (usize, usize),
}

/// How many statements a [`Block`] holds.
const BLOCK: usize = 1024;

/// The parts of [`BLOCK`] statements (at most), one after another. Arrays
/// of a bounded size, trimmed when full, never copy millions of keys as
/// they grow, nor leave capacity unused.
struct Block<F> {
    metas: Vec<Meta>,
    facts: Vec<F>,
    lists: Vec<Key>,
    qualifiers: Vec<u32>,
    /// The [`Wide`] statements, by index, in order.
    wide: Vec<(u32, Wide)>,
}

impl<F> Default for Block<F> {
    fn default() -> Self {
        Block {
            metas: Vec::new(),
            facts: Vec::new(),
            lists: Vec::new(),
            qualifiers: Vec::new(),
            wide: Vec::new(),
        }
    }
}

impl<F> Block<F> {
    /// Moves the statements into a new block of arrays of exactly their
    /// size, leaving this one empty with its capacity for the next
    /// statements. (`shrink_to_fit` may keep the whole allocation: the
    /// allocator shrinks in place.)
    fn take_exact(&mut self) -> Self {
        Block {
            metas: exact(&mut self.metas),
            facts: exact(&mut self.facts),
            lists: exact(&mut self.lists),
            qualifiers: exact(&mut self.qualifiers),
            wide: exact(&mut self.wide),
        }
    }

    /// Appends a statement: its facts (taken from `facts`), its key lists
    /// in [`List`] order, its qualifiers, and the [`Meta::witness`].
    fn push(
        &mut self,
        at: Place,
        facts: &mut Vec<F>,
        lists: [&[Key]; LISTS],
        qualifiers: &[u32],
        witness: u8,
    ) {
        let mut ends = [0u32; LISTS - 1];
        let mut end = 0;
        for (e, list) in ends.iter_mut().zip(lists) {
            end += list.len();
            *e = end as u32;
        }
        let facts_start = self.facts.len() as u32;
        self.facts.append(facts);
        let lists_start = self.lists.len() as u32;
        for list in lists {
            self.lists.extend_from_slice(list);
        }
        let qualifiers_start = self.qualifiers.len() as u32;
        self.qualifiers.extend_from_slice(qualifiers);
        let (s0, s1) = at.sentence;
        self.push_meta(
            Meta {
                card: at.card as u32,
                lists: lists_start,
                facts: facts_start,
                qualifiers: qualifiers_start,
                line: (at.line as u32) << 2 | u32::from(at.refers) << 1 | u32::from(at.exact),
                sentence: s0 as u32,
                sentence_len: 0,
                ends: [0; LISTS - 1],
                witness,
            },
            Wide {
                ends,
                sentence_len: (s1 - s0) as u32,
            },
        );
    }

    /// Appends `m`, its ends and sentence length (`w`) packed into it when
    /// they fit, else kept in [`Block::wide`].
    fn push_meta(&mut self, mut m: Meta, w: Wide) {
        let narrow = |x: u32, wide: u16| u16::try_from(x).ok().filter(|&x| x < wide);
        match (
            narrow(w.sentence_len, WIDE),
            w.ends
                .map(|e| narrow(e, u16::from(u8::MAX)).map(|e| e as u8)),
        ) {
            (Some(len), [Some(a), Some(b), Some(c), Some(d), Some(e)]) => {
                m.sentence_len = len;
                m.ends = [a, b, c, d, e];
            }
            _ => {
                m.sentence_len = WIDE;
                m.ends = [0; LISTS - 1];
                self.wide.push((self.metas.len() as u32, w));
            }
        }
        self.metas.push(m);
    }

    /// The ends (relative to [`Meta::lists`]) and sentence length of
    /// statement `i`, whose meta is `m`, but the end of its last list.
    fn head(&self, i: usize, m: &Meta) -> Wide {
        if m.sentence_len != WIDE {
            return Wide {
                ends: m.ends.map(u32::from),
                sentence_len: u32::from(m.sentence_len),
            };
        }
        let found = self
            .wide
            .binary_search_by_key(&(i as u32), |&(at, _)| at)
            .ok()
            .and_then(|p| self.wide.get(p));
        found.map_or(
            Wide {
                ends: [0; LISTS - 1],
                sentence_len: 0,
            },
            |&(_, w)| w,
        )
    }

    /// Where statement `i`'s keys lie in `lists`, and each of its lists'
    /// ends relative to where they start.
    fn bounds(&self, i: usize) -> Option<(std::ops::Range<usize>, Wide)> {
        let m = self.metas.get(i)?;
        let end = self
            .metas
            .get(i + 1)
            .map_or(self.lists.len(), |n| n.lists as usize);
        Some((m.lists as usize..end, self.head(i, m)))
    }

    /// Appends statement `i` of `from`.
    fn push_from(&mut self, from: &Block<F>, i: usize)
    where
        F: Clone,
    {
        let (Some(m), Some((lists, w))) = (from.metas.get(i), from.bounds(i)) else {
            return;
        };
        let next = from.metas.get(i + 1);
        let facts_end = next.map_or(from.facts.len(), |n| n.facts as usize);
        let qualifiers_end = next.map_or(from.qualifiers.len(), |n| n.qualifiers as usize);
        let facts_start = self.facts.len() as u32;
        self.facts
            .extend_from_slice(from.facts.get(m.facts as usize..facts_end).unwrap_or(&[]));
        let lists_start = self.lists.len() as u32;
        self.lists
            .extend_from_slice(from.lists.get(lists).unwrap_or(&[]));
        let qualifiers_start = self.qualifiers.len() as u32;
        self.qualifiers.extend_from_slice(
            from.qualifiers
                .get(m.qualifiers as usize..qualifiers_end)
                .unwrap_or(&[]),
        );
        self.push_meta(
            Meta {
                lists: lists_start,
                facts: facts_start,
                qualifiers: qualifiers_start,
                ..*m
            },
            w,
        );
    }

    fn get(&self, i: usize) -> Option<Statement<'_, F>> {
        let m = self.metas.get(i)?;
        let next = self.metas.get(i + 1);
        let range = |start: u32, len: usize, f: fn(&Meta) -> u32| {
            start as usize..next.map_or(len, |n| f(n) as usize)
        };
        let lists = self
            .lists
            .get(range(m.lists, self.lists.len(), |n| n.lists))
            .unwrap_or(&[]);
        let w = self.head(i, m);
        let mut ends = [lists.len() as u32; LISTS];
        for (e, &h) in ends.iter_mut().zip(&w.ends) {
            *e = h;
        }
        Some(Statement {
            card: m.card as usize,
            facts: self
                .facts
                .get(range(m.facts, self.facts.len(), |n| n.facts))
                .unwrap_or(&[]),
            exact: m.line & 1 == 1,
            refers: m.line & 2 == 2,
            lists,
            ends,
            qualifiers: self
                .qualifiers
                .get(range(m.qualifiers, self.qualifiers.len(), |n| n.qualifiers))
                .unwrap_or(&[]),
            line: m.line >> 2,
            sentence: (m.sentence, m.sentence + w.sentence_len),
        })
    }

    /// Finds which statements are live (`live`, one flag each), given how
    /// many statements hold each key, and returns how many are not. Each
    /// statement's witness is looked at first; when it no longer shows the
    /// statement live, its other keys are, and the one in fewest
    /// statements becomes the witness.
    fn sweep(&mut self, counts: &impl Holding, live: &mut Vec<bool>) -> usize {
        live.clear();
        let mut dead = 0;
        for i in 0..self.metas.len() {
            let Some((lists, w)) = self.bounds(i) else {
                continue;
            };
            let all = self
                .lists
                .get(lists.start..lists.start + w.ends[List::Context as usize] as usize)
                .unwrap_or(&[]);
            let Some(m) = self.metas.get_mut(i) else {
                continue;
            };
            let ok = all_live(all, &mut m.witness, counts);
            dead += usize::from(!ok);
            live.push(ok);
        }
        dead
    }
}

/// Whether a statement whose keys and context are `all` is live: some key
/// is in at most [`subjects::MAX_POSTINGS`] statements. Looks at the key at
/// `witness` first, and makes it the key in fewest statements when it is
/// no longer one.
fn all_live(all: &[Key], witness: &mut u8, counts: &impl Holding) -> bool {
    let below = |c: u32| c as usize <= subjects::MAX_POSTINGS;
    if all
        .get(usize::from(*witness))
        .and_then(|&k| counts.holding(k))
        .is_some_and(below)
    {
        return true;
    }
    let fewest = all
        .iter()
        .enumerate()
        .filter_map(|(j, &k)| counts.holding(k).map(|c| (c, j)))
        .min();
    match fewest {
        Some((c, j)) if below(c) => {
            *witness = u8::try_from(j).unwrap_or(u8::MAX);
            true
        }
        _ => false,
    }
}

/// The statements of a deck and the subject keys they are written in.
pub struct Statements<'a, F> {
    deck: &'a Deck,
    /// The statements, [`BLOCK`] to a block.
    blocks: Vec<Block<F>>,
    /// The deck's keys and spellings, and the few keys the statements add
    /// (units, such as `m/s`).
    vocab: Overlay<'a, 'a>,
    /// For each key of the deck, how many cards hold a word with that key.
    cards_with: &'a [u32],
    /// For each key, how many statements (kept or not) hold it in
    /// [`Statement::all`].
    counts: Vec<u32>,
    /// For each key that is no word of the deck (a unit), how many cards
    /// have statements with it.
    unit_cards: Vec<u32>,
}

impl<'a, F> Statements<'a, F> {
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.blocks.iter().map(|b| b.metas.len()).sum()
    }

    /// The `i`th statement.
    pub fn get(&self, i: usize) -> Option<Statement<'_, F>> {
        self.blocks.get(i / BLOCK)?.get(i % BLOCK)
    }

    /// The card and the qualifiers of the `i`th statement, without the
    /// rest of it.
    pub fn peek(&self, i: usize) -> Option<(usize, &[u32])> {
        let b = self.blocks.get(i / BLOCK)?;
        let i = i % BLOCK;
        let m = b.metas.get(i)?;
        let end = b
            .metas
            .get(i + 1)
            .map_or(b.qualifiers.len(), |n| n.qualifiers as usize);
        let q = b.qualifiers.get(m.qualifiers as usize..end).unwrap_or(&[]);
        Some((m.card as usize, q))
    }

    /// Every statement, in order.
    pub fn iter(&self) -> impl Iterator<Item = Statement<'_, F>> {
        self.blocks
            .iter()
            .flat_map(|b| (0..b.metas.len()).filter_map(|i| b.get(i)))
    }

    /// How many keys there are (keys are `0..key_count()`).
    pub fn key_count(&self) -> usize {
        self.vocab.base.keys.len() + self.vocab.keys.len()
    }

    /// The text of a key.
    pub fn key_text(&self, k: Key) -> &str {
        let k = k as usize;
        let base = &self.vocab.base.keys;
        match k.checked_sub(base.len()) {
            None => base.get(k).unwrap_or(""),
            Some(extra) => self.vocab.keys.get(extra).map_or("", String::as_str),
        }
    }

    /// A word as written, by the spelling ids of [`Statement::surface`].
    pub fn spelling(&self, id: u32) -> &'a str {
        let id = id as usize;
        let base = &self.vocab.base.spellings;
        match id.checked_sub(base.len()) {
            None => base.get(id).copied().unwrap_or(""),
            Some(extra) => self.vocab.spellings.get(extra).copied().unwrap_or(""),
        }
    }

    /// Subject words of a statement in order, with their keys: `(key,
    /// spelling)`, the spelling an id for [`Statements::spelling`]. Read
    /// again from the sentence (and its question) the way
    /// [`statements_with`] read them, for the few statements a message
    /// names: keeping them for every statement would cost more than all
    /// its keys.
    pub fn surface(&self, st: &Statement<'_, F>, out: &mut Vec<(Key, u32)>)
    where
        F: Fact,
    {
        out.clear();
        let Some(card) = self.deck.cards.get(st.card) else {
            return;
        };
        for w in words::iter(self.sentence(st)) {
            let inside = st.facts.iter().any(|f| {
                let (a, b) = f.range();
                a <= w.start && w.end <= b
            });
            if let (false, (Some(k), id)) = (inside, self.vocab.lookup(w.text)) {
                out.push((k, id));
            }
        }
        let quantity = if st.units().is_empty() {
            None
        } else {
            quantity_word(&card.question)
                .and_then(|w| words::key(&w))
                .and_then(|q| self.vocab.find(&q))
        };
        if let Some(q) = quantity {
            out.retain(|&(k, _)| k != q);
        }
        if out.len() < SHORT {
            out.extend(
                words::iter(&card.question)
                    .filter_map(|w| match self.vocab.lookup(w.text) {
                        (Some(k), id) => Some((k, id)),
                        (None, _) => None,
                    })
                    .filter(|&(k, _)| Some(k) != quantity),
            );
        }
    }

    /// The sentence a statement was read from.
    fn sentence(&self, st: &Statement<'_, F>) -> &'a str {
        self.deck
            .cards
            .get(st.card)
            .and_then(|c| c.answer.get(st.line as usize))
            .and_then(|l| l.text.get(st.sentence.0 as usize..st.sentence.1 as usize))
            .unwrap_or("")
    }

    /// Where a fact of a statement is in the source: exactly, when the
    /// line's span holds exactly its text, else the whole line.
    pub fn span(&self, st: &Statement<'_, F>, fact: &F) -> Span
    where
        F: Fact,
    {
        let Some(line) = self
            .deck
            .cards
            .get(st.card)
            .and_then(|c| c.answer.get(st.line as usize))
        else {
            return Span::default();
        };
        if st.exact {
            let (a, b) = fact.range();
            let s0 = st.sentence.0 as usize;
            line.span.sub(s0 + a, s0 + b)
        } else {
            line.span
        }
    }

    /// A fact of a statement as written.
    pub fn fact_text(&self, st: &Statement<'_, F>, fact: &F) -> &'a str
    where
        F: Fact,
    {
        let (a, b) = fact.range();
        self.sentence(st).get(a..b).unwrap_or("")
    }

    /// How many cards of the deck hold a word with key `k` (none for keys
    /// that are no word of the text, such as unit symbols).
    pub fn cards_with(&self, k: Key) -> u32 {
        self.cards_with.get(k as usize).copied().unwrap_or(0)
    }

    /// How many statements, kept or not, hold `k` in [`Statement::all`].
    pub fn holding(&self, k: Key) -> u32 {
        self.counts.get(k as usize).copied().unwrap_or(0)
    }

    /// For a key that is no word of the deck (a unit), how many cards have
    /// statements with it among their keys.
    pub fn unit_cards(&self, k: Key) -> u32 {
        self.unit_cards.get(k as usize).copied().unwrap_or(0)
    }
}

/// Interns subject keys, remembering the key of every word it has seen.
#[derive(Default)]
pub struct Vocab<'a> {
    /// Each spelling's key and its index in `spellings`.
    by_word: ByWord<'a>,
    by_key: ByKey,
    keys: Texts,
    spellings: Vec<&'a str>,
}

/// Strings one after another in one buffer: a deck of a million cards
/// has about as many keys, and a `String` each would cost more than its
/// text.
#[derive(Default)]
struct Texts {
    text: String,
    ends: Vec<u32>,
}

impl Texts {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> Option<&str> {
        let start = match i.checked_sub(1) {
            Some(p) => *self.ends.get(p)? as usize,
            None => 0,
        };
        let end = *self.ends.get(i)? as usize;
        self.text.get(start..end)
    }

    fn push(&mut self, t: &str) {
        self.text.push_str(t);
        self.ends.push(self.text.len() as u32);
    }
}

/// Keys by their text, packed like words (see [`ByWord`]).
#[derive(Default)]
struct ByKey {
    short: HashMap<(u64, u64), Key>,
    long: HashMap<String, Key>,
}

impl ByKey {
    fn get(&self, key: &str) -> Option<&Key> {
        match pack(key) {
            Some(p) => self.short.get(&p),
            None => self.long.get(key),
        }
    }

    fn insert(&mut self, key: String, k: Key) {
        match pack(&key) {
            Some(p) => {
                self.short.insert(p, k);
            }
            None => {
                self.long.insert(key, k);
            }
        }
    }
}

/// A map from words: those of at most 15 bytes (nearly all) by their
/// bytes and length packed into one integer, which hashes and compares in
/// a few instructions, the others by their text.
#[derive(Default)]
struct ByWord<'a> {
    /// The key (`NO_KEY` for none) and spelling id of each short word.
    short: Packed,
    long: HashMap<&'a str, (Option<Key>, u32)>,
}

/// A map from packed words (see [`pack`]) to their key and spelling id:
/// open addressing with linear probing over slots that hold the packed
/// word itself, so a lookup is a multiply, a load and two compares (a
/// `HashMap` of the same took three times the instructions, and was a
/// fifth of reading the deck's keys). An empty slot has `hi == 0`: a
/// packed word never does, but the empty word, which is kept apart.
#[derive(Default)]
struct Packed {
    /// A power of two of them, at most half full; none until the first
    /// insert.
    slots: Vec<PackedSlot>,
    len: usize,
    empty: Option<[u32; 2]>,
}

#[derive(Clone, Copy, Default)]
struct PackedSlot {
    lo: u64,
    hi: u64,
    v: [u32; 2],
}

impl Packed {
    #[inline]
    fn slot(&self, (lo, hi): (u64, u64)) -> usize {
        let h = (lo ^ hi.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let h = (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        (h >> 32) as usize & (self.slots.len().wrapping_sub(1))
    }

    #[inline]
    fn get(&self, p: (u64, u64)) -> Option<[u32; 2]> {
        if p.1 == 0 {
            return self.empty;
        }
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(p);
        loop {
            let s = self.slots.get(i)?;
            if s.lo == p.0 && s.hi == p.1 {
                return Some(s.v);
            }
            if s.hi == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    fn insert(&mut self, p: (u64, u64), v: [u32; 2]) {
        if p.1 == 0 {
            self.empty = Some(v);
            return;
        }
        if (self.len + 1) * 2 > self.slots.len() {
            let n = (self.slots.len() * 2).max(1024);
            let old = std::mem::replace(&mut self.slots, vec![PackedSlot::default(); n]);
            self.len = 0;
            for s in old.into_iter().filter(|s| s.hi != 0) {
                self.insert((s.lo, s.hi), s.v);
            }
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(p);
        while let Some(s) = self.slots.get_mut(i) {
            if s.hi == 0 {
                self.len += 1;
                *s = PackedSlot {
                    lo: p.0,
                    hi: p.1,
                    v,
                };
                return;
            }
            if s.lo == p.0 && s.hi == p.1 {
                s.v = v;
                return;
            }
            i = (i + 1) & mask;
        }
    }
}

/// The bytes of a word of at most 15 bytes and its length, in one
/// integer: two words pack alike only when they are the same. Read with
/// a few (overlapping) loads, not copied byte by byte into a buffer, which
/// the load of the packed integer would then wait for.
#[inline]
fn pack(word: &str) -> Option<(u64, u64)> {
    let b = word.as_bytes();
    let n = b.len();
    let u64_at = |at: usize| -> u64 {
        b.get(at..at + 8)
            .and_then(|s| s.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    let u32_at = |at: usize| -> u64 {
        b.get(at..at + 4)
            .and_then(|s| s.try_into().ok())
            .map_or(0, |s| u64::from(u32::from_le_bytes(s)))
    };
    let (lo, hi) = match n {
        16.. => return None,
        // The first eight bytes, and the last eight shifted down to the
        // bytes after them.
        8.. => (
            u64_at(0),
            u64_at(n - 8).checked_shr(8 * (16 - n) as u32).unwrap_or(0),
        ),
        // The first four and the last four, overlapping where they meet.
        4.. => (u32_at(0) | u32_at(n - 4) << (8 * (n - 4)), 0),
        _ => (
            b.iter()
                .enumerate()
                .fold(0, |x, (i, &c)| x | u64::from(c) << (8 * i)),
            0,
        ),
    };
    // Bytes 8 to 14 are the low seven of `hi`: the length takes the top.
    let hi = hi | (n as u64) << 56;
    Some((lo, hi))
}

/// No key, in [`ByWord`].
const NO_KEY: u32 = u32::MAX;

impl<'a> ByWord<'a> {
    #[inline]
    fn get(&self, word: &str) -> Option<(Option<Key>, u32)> {
        match pack(word) {
            Some(p) => self
                .short
                .get(p)
                .map(|[k, id]| ((k != NO_KEY).then_some(k), id)),
            None => self.long.get(word).copied(),
        }
    }

    fn insert(&mut self, word: &'a str, v: (Option<Key>, u32)) {
        match pack(word) {
            Some(p) => {
                self.short.insert(p, [v.0.unwrap_or(NO_KEY), v.1]);
            }
            None => {
                self.long.insert(word, v);
            }
        }
    }
}

impl<'a> Vocab<'a> {
    /// The key of a word of the deck's text, and the id of its spelling.
    fn word(&mut self, word: &'a str) -> (Option<Key>, u32) {
        if let Some(found) = self.by_word.get(word) {
            return found;
        }
        // Each spelling is looked up here once: no need for the cache of
        // `words::key`.
        let k = words::compute_key(word).map(|k| self.intern(k));
        let id = self.spellings.len() as u32;
        self.spellings.push(word);
        self.by_word.insert(word, (k, id));
        (k, id)
    }

    fn intern(&mut self, key: String) -> Key {
        if let Some(&k) = self.by_key.get(&key) {
            return k;
        }
        let k = self.keys.len() as Key;
        self.keys.push(&key);
        self.by_key.insert(key, k);
        k
    }
}

/// A [`Vocab`] shared by the rules, read-only, and the words and keys one
/// rule adds to it, numbered on from the shared ones: the same numbers a
/// copy of the shared vocabulary would give them.
struct Overlay<'v, 'a> {
    base: &'v Vocab<'a>,
    by_word: HashMap<&'a str, (Option<Key>, u32)>,
    by_key: HashMap<String, Key>,
    keys: Vec<String>,
    spellings: Vec<&'a str>,
}

/// What an [`Overlay`] adds to its base, kept apart from it while the
/// base is not yet where it will stay (see [`DeckKeys::build`]).
#[derive(Default)]
struct Extra<'a> {
    by_word: HashMap<&'a str, (Option<Key>, u32)>,
    by_key: HashMap<String, Key>,
    keys: Vec<String>,
    spellings: Vec<&'a str>,
}

impl<'v, 'a> Overlay<'v, 'a> {
    #[cfg(test)]
    fn new(base: &'v Vocab<'a>) -> Self {
        Self::with(base, Extra::default())
    }

    fn with(base: &'v Vocab<'a>, extra: Extra<'a>) -> Self {
        Overlay {
            base,
            by_word: extra.by_word,
            by_key: extra.by_key,
            keys: extra.keys,
            spellings: extra.spellings,
        }
    }

    #[cfg(test)]
    /// The key of a word and the id of its spelling.
    fn spelled(&mut self, word: &'a str) -> (Option<Key>, u32) {
        if let Some(found) = self.base.by_word.get(word) {
            return found;
        }
        self.spelled_extra(word)
    }

    #[cfg(test)]
    /// [`Overlay::spelled`] for a word not in the base.
    fn spelled_extra(&mut self, word: &'a str) -> (Option<Key>, u32) {
        if let Some(&found) = self.by_word.get(word) {
            return found;
        }
        let k = words::key(word).map(|k| self.intern(k));
        let id = (self.base.spellings.len() + self.spellings.len()) as u32;
        self.spellings.push(word);
        self.by_word.insert(word, (k, id));
        (k, id)
    }

    /// The key and spelling id of a word already seen.
    fn lookup(&self, word: &str) -> (Option<Key>, u32) {
        self.base
            .by_word
            .get(word)
            .or_else(|| self.by_word.get(word).copied())
            .unwrap_or((None, 0))
    }

    /// A key already interned.
    fn find(&self, key: &str) -> Option<Key> {
        self.base
            .by_key
            .get(key)
            .or_else(|| self.by_key.get(key))
            .copied()
    }

    #[cfg(test)]
    fn intern(&mut self, key: String) -> Key {
        if let Some(&k) = self.base.by_key.get(&key) {
            return k;
        }
        if let Some(&k) = self.by_key.get(&key) {
            return k;
        }
        let k = (self.base.keys.len() + self.keys.len()) as Key;
        self.keys.push(key.clone());
        self.by_key.insert(key, k);
        k
    }
}

/// The keys of two sorted lists without keys in common, in order.
pub struct Merge<'s> {
    a: &'s [Key],
    b: &'s [Key],
}

impl Merge<'_> {
    /// The next key, and whether it is of the first list (for
    /// [`Statement::all`], whether it is a subject key, not context).
    pub fn next_tagged(&mut self) -> Option<(Key, bool)> {
        match (self.a.split_first(), self.b.split_first()) {
            (Some((&x, ra)), Some((&y, _))) if x < y => {
                self.a = ra;
                Some((x, true))
            }
            (_, Some((&y, rb))) => {
                self.b = rb;
                Some((y, false))
            }
            (Some((&x, ra)), None) => {
                self.a = ra;
                Some((x, true))
            }
            (None, None) => None,
        }
    }
}

impl Iterator for Merge<'_> {
    type Item = Key;
    fn next(&mut self) -> Option<Key> {
        self.next_tagged().map(|(k, _)| k)
    }
}

/// Whether sorted `xs` holds `x`.
fn has(xs: &[Key], x: Key) -> bool {
    xs.binary_search(&x).is_ok()
}

/// The elements of `v` in a new vector of exactly their number, leaving
/// `v` empty with its capacity.
fn exact<T>(v: &mut Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(v.len());
    out.append(v);
    out
}

/// Sorts `v` and drops repeats.
fn sort_dedup(v: &mut Vec<Key>) {
    v.sort_unstable();
    v.dedup();
}

#[cfg(test)]
/// Looks up the words of `ws` but those `skip`ped, in one pass: pushes
/// `(key, spelling)` of each word with a key to `surface`, and the keys of
/// those written with a capital first letter to `capitals` and, but for the
/// text's first word, to `names`.
fn read_words<'a>(
    vocab: &mut Overlay<'_, 'a>,
    ws: &[words::Word<'a>],
    skip: impl Fn(&words::Word<'_>) -> bool,
    surface: &mut Vec<(Key, u32)>,
    names: &mut Vec<Key>,
    capitals: &mut Vec<Key>,
) {
    // Skipped words are never looked up: looking up assigns new words
    // their numbers.
    let looked: Vec<(Option<Key>, u32)> = ws
        .iter()
        .map(|w| {
            if skip(w) {
                (None, 0)
            } else {
                vocab.spelled(w.text)
            }
        })
        .collect();
    read_looked(ws, &looked, skip, surface, names, capitals);
}

/// Fewer content words than this and the question supplies the subject.
const SHORT: usize = 3;

/// The subject keys of every word of a deck, and how many cards hold each:
/// the same for every kind of fact, so the rules share one (see
/// [`crate::lint::Context::fact_keys`]). Built with them, in one pass over
/// the answers for both kinds, are the statements of each kind: the
/// sentences, numbers, dates and words they are read from are the same,
/// so they are read once. Each rule takes its own statements (see
/// [`statements_with`]) and drops them when done.
pub struct DeckKeys<'a> {
    vocab: Vocab<'a>,
    cards_with: Vec<u32>,
    dates: Mutex<Option<Read<'a, dates::Date>>>,
    amounts: Mutex<Option<Read<'a, amounts::Amount>>>,
}

/// A qualifier of a subject: a number of the question as written without
/// thousands separators (`1500`), or the years a date covers.
#[derive(Default)]
struct Qualifiers {
    numbers: HashMap<String, u32>,
    years: HashMap<(i32, i32), u32>,
}

impl Qualifiers {
    fn next(&self) -> u32 {
        (self.numbers.len() + self.years.len()) as u32
    }

    fn number(&mut self, text: &str) -> u32 {
        let plain;
        let text = if text.contains(',') {
            plain = text.replace(',', "");
            plain.as_str()
        } else {
            text
        };
        if let Some(&id) = self.numbers.get(text) {
            return id;
        }
        let id = self.next();
        self.numbers.insert(text.to_string(), id);
        id
    }

    fn years(&mut self, interval: (i32, i32)) -> u32 {
        let id = self.next();
        *self.years.entry(interval).or_insert(id)
    }
}

/// What a card's question says, worked out once per card that states a
/// fact.
#[derive(Default)]
struct Question {
    keys: Vec<(Key, u32)>,
    names: Vec<Key>,
    capitals: Vec<Key>,
    numbers: Vec<u32>,
}

impl Question {
    #[cfg(test)]
    fn read<'a>(
        &mut self,
        question: &'a str,
        vocab: &mut Overlay<'_, 'a>,
        qualifiers: &mut Qualifiers,
        ws: &mut Vec<words::Word<'a>>,
        nums: &mut Vec<Num<'a>>,
    ) {
        ws.clear();
        ws.extend(words::iter(question));
        self.keys.clear();
        self.names.clear();
        self.capitals.clear();
        read_words(
            vocab,
            ws,
            |_| false,
            &mut self.keys,
            &mut self.names,
            &mut self.capitals,
        );
        self.numbers.clear();
        nums.clear();
        numbers::numbers_into(question, nums);
        self.numbers
            .extend(nums.iter().map(|n| qualifiers.number(n.text)));
    }
}

/// Whether a word, lowercased, is a past-tense verb (`created`): it ends
/// in `ed` and has at least five letters.
fn past_tense(word: &str) -> bool {
    if word.is_ascii() {
        let b = word.as_bytes();
        b.len() >= 5
            && b.get(b.len() - 2..)
                .is_some_and(|e| e.eq_ignore_ascii_case(b"ed"))
    } else {
        let w = word.to_lowercase();
        w.ends_with("ed") && w.chars().count() >= 5
    }
}

/// Whether `text` has an ASCII digit: the extractors find facts only
/// around numbers, which start at ASCII digits.
fn has_digit(text: &str) -> bool {
    numbers::first_digit(text.as_bytes()).is_some()
}

/// Keys a [`Reader`] interns while the deck's keys are still being read
/// (units such as `m/s`, quantity words): numbered from [`PROVISIONAL`]
/// until [`Reader::finish`] gives each the number it has once every word
/// of the deck is read, that of a word's key or one past them.
const PROVISIONAL: Key = 1 << 31;

/// How many statements hold each key, provisional keys apart, each with
/// the last statement (numbered from 1) that counted it.
#[derive(Default)]
struct Counts {
    base: Vec<[u32; 2]>,
    provisional: Vec<[u32; 2]>,
    /// The number of the statement being counted.
    statement: u32,
}

/// How many statements hold a key, if any count was kept for it.
trait Holding {
    fn holding(&self, k: Key) -> Option<u32>;
}

impl Holding for Vec<u32> {
    fn holding(&self, k: Key) -> Option<u32> {
        self.get(k as usize).copied()
    }
}

impl Holding for Counts {
    fn holding(&self, k: Key) -> Option<u32> {
        match k.checked_sub(PROVISIONAL) {
            Some(p) => self.provisional.get(p as usize).map(|c| c[0]),
            None => self.base.get(k as usize).map(|c| c[0]),
        }
    }
}

impl Counts {
    /// Starts counting the next statement.
    fn next_statement(&mut self) {
        self.statement += 1;
    }

    /// Counts the statement being counted as holding `k`: the count, or
    /// `None` when it already was.
    fn bump(&mut self, k: Key) -> Option<u32> {
        let (v, i) = match k.checked_sub(PROVISIONAL) {
            Some(p) => (&mut self.provisional, p as usize),
            None => (&mut self.base, k as usize),
        };
        if v.len() <= i {
            v.resize(i + 1, [0, 0]);
        }
        let c = v.get_mut(i)?;
        if c[1] == self.statement {
            return None;
        }
        c[1] = self.statement;
        c[0] += 1;
        Some(c[0])
    }
}

impl<'a> DeckKeys<'a> {
    /// Reads the keys of every word of the deck and, a card at a time,
    /// the statements of both kinds: the words of a card are looked up
    /// once, for the keys and for the statements.
    pub fn build(deck: &'a Deck, source: &SourceFile) -> Self {
        let mut dates = Reader::default();
        let mut amounts = Reader::default();
        let (vocab, cards_with) = read_deck(deck, source, Some(&mut dates), Some(&mut amounts));
        let dates = dates.finish(&vocab);
        let amounts = amounts.finish(&vocab);
        DeckKeys {
            vocab,
            cards_with,
            dates: Mutex::new(Some(dates)),
            amounts: Mutex::new(Some(amounts)),
        }
    }

    /// The keys alone, without statements (each rule then reads its own).
    #[cfg(test)]
    fn keys_only(deck: &'a Deck) -> Self {
        let empty = SourceFile::new("", "");
        let (vocab, cards_with) = read_deck(deck, &empty, None, None);
        DeckKeys {
            vocab,
            cards_with,
            dates: Mutex::new(None),
            amounts: Mutex::new(None),
        }
    }
}

/// Every answer sentence of `deck` that states facts of kind `K`.
#[cfg(test)]
pub fn statements<'a, K: Kind>(deck: &'a Deck, source: &SourceFile) -> Statements<'a, K::Fact> {
    let keys: &'a DeckKeys<'a> = Box::leak(Box::new(DeckKeys::build(deck, source)));
    statements_with::<K>(deck, source, keys)
}

/// [`statements`], given the deck's keys: those [`DeckKeys::build`] read,
/// taken from it, or read now when taken already (the deck's keys read
/// again come out the same).
pub fn statements_with<'k, 'a: 'k, K: Kind>(
    deck: &'k Deck,
    source: &SourceFile,
    keys: &'k DeckKeys<'a>,
) -> Statements<'k, K::Fact> {
    let taken: Option<Read<'k, K::Fact>> =
        K::slot(keys).lock().ok().and_then(|mut slot| slot.take());
    let read = taken.unwrap_or_else(|| K::read_alone(deck, source));
    Statements {
        deck,
        blocks: read.blocks,
        vocab: Overlay::with(&keys.vocab, read.extra),
        cards_with: &keys.cards_with,
        counts: read.counts,
        unit_cards: read.unit_cards,
    }
}

/// One kind's statements, read, without the deck's keys they refer to.
pub struct Read<'a, F> {
    blocks: Vec<Block<F>>,
    extra: Extra<'a>,
    counts: Vec<u32>,
    unit_cards: Vec<u32>,
}

/// One kind's statements as they are read, and its scratch space.
struct Reader<F> {
    /// The provisional keys, in order, and their numbers.
    keys: Vec<String>,
    by_key: HashMap<String, Key>,
    kept: Kept<F>,
    /// How many statements hold each key (in `keys` or `all`), and for
    /// each provisional key (in how many cards (the last, numbered from 1,
    /// and how many).
    counts: Counts,
    unit_cards: Vec<(u32, u32)>,
    /// The facts of the sentence being read.
    found: Vec<F>,
    /// The key of the word for the quantity the card's question asks
    /// about, once looked up.
    quantity: Option<Option<Key>>,
    names: Vec<Key>,
    capitals: Vec<Key>,
    surface: Vec<(Key, u32)>,
    question: Vec<(Key, u32)>,
    units: Vec<Key>,
    asked: Vec<Key>,
    quals: Vec<u32>,
    subject: Vec<Key>,
    all: Vec<Key>,
}

impl<F> Default for Reader<F> {
    fn default() -> Self {
        Reader {
            keys: Vec::new(),
            by_key: HashMap::default(),
            kept: Kept::default(),
            counts: Counts::default(),
            unit_cards: Vec::new(),
            found: Vec::new(),
            quantity: None,
            names: Vec::new(),
            capitals: Vec::new(),
            surface: Vec::new(),
            question: Vec::new(),
            units: Vec::new(),
            asked: Vec::new(),
            quals: Vec::new(),
            subject: Vec::new(),
            all: Vec::new(),
        }
    }
}

/// What every kind reads of a sentence stating facts: read once, for all.
struct Sentence<'a, 'c> {
    card_index: usize,
    card: &'a crate::model::Card,
    line_index: usize,
    /// See [`read_deck`].
    whole: bool,
    exact: bool,
    s0: usize,
    text: &'a str,
    dates: &'c [dates::Date],
    /// The sentence's words, and each one's key and spelling.
    ws: &'c [words::Word<'a>],
    looked: &'c [(Option<Key>, u32)],
    /// The card's question.
    q: &'c Question,
}

impl<F: Fact + Clone> Reader<F> {
    /// The key of `key`: a word's, or a provisional one.
    fn intern(&mut self, base: &Vocab<'_>, key: String) -> Key {
        if let Some(&k) = base.by_key.get(&key) {
            return k;
        }
        if let Some(&k) = self.by_key.get(&key) {
            return k;
        }
        let k = PROVISIONAL + self.keys.len() as Key;
        self.keys.push(key.clone());
        self.by_key.insert(key, k);
        k
    }

    /// The statements, their provisional keys numbered as they would
    /// have been had every word of the deck been read first: the key of a
    /// word read since, or one past the deck's keys in order. Lists are
    /// sorted again, and counts of a key found both ways added up (no
    /// statement holds both: the words of its own card were read first).
    fn finish<'a>(mut self, base: &Vocab<'a>) -> Read<'a, F> {
        let mut extra = Extra::default();
        let mut to: Vec<Key> = Vec::with_capacity(self.keys.len());
        let mut moved = false;
        for key in std::mem::take(&mut self.keys) {
            let k = match base.by_key.get(&key) {
                Some(&k) => {
                    moved = true;
                    k
                }
                None => {
                    let k = (base.keys.len() + extra.keys.len()) as Key;
                    extra.keys.push(key.clone());
                    extra.by_key.insert(key, k);
                    k
                }
            };
            to.push(k);
        }
        let map = |k: Key| match k.checked_sub(PROVISIONAL) {
            Some(p) => to.get(p as usize).copied().unwrap_or(k),
            None => k,
        };
        let mut counts: Vec<u32> = self.counts.base.iter().map(|c| c[0]).collect();
        let mut unit_cards: Vec<u32> = Vec::new();
        for (p, &k) in to.iter().enumerate() {
            let c = self.counts.provisional.get(p).map_or(0, |c| c[0]);
            let n = self.unit_cards.get(p).map_or(0, |&(_, n)| n);
            let k = k as usize;
            if counts.len() <= k {
                counts.resize(k + 1, 0);
            }
            if let Some(x) = counts.get_mut(k) {
                *x += c;
            }
            // A word's key weighs by the cards holding the word.
            if k >= base.keys.len() {
                if unit_cards.len() <= k {
                    unit_cards.resize(k + 1, 0);
                }
                if let Some(x) = unit_cards.get_mut(k) {
                    *x = n;
                }
            }
        }
        let blocks = self.kept.blocks.iter_mut().chain([&mut self.kept.pending]);
        for b in blocks {
            for i in 0..b.metas.len() {
                let Some((lists, w)) = b.bounds(i) else {
                    continue;
                };
                let start = lists.start;
                let mut from = start;
                let last = (lists.end - start) as u32;
                for &end in w.ends.iter().chain([&last]) {
                    let end = start + end as usize;
                    if let Some(list) = b.lists.get_mut(from..end) {
                        if list.iter().any(|&k| k >= PROVISIONAL) {
                            for k in list.iter_mut() {
                                *k = map(*k);
                            }
                            if moved {
                                list.sort_unstable();
                            }
                        }
                    }
                    from = end;
                }
            }
        }
        self.kept.collect(&counts);
        Read {
            blocks: self.kept.blocks,
            extra,
            counts,
            unit_cards,
        }
    }

    /// Reads the statement of sentence `s`, whose facts of this kind are in
    /// `self.found` (none: no statement).
    fn statement(&mut self, s: &Sentence<'_, '_>, base: &Vocab<'_>, qualifiers: &mut Qualifiers) {
        if self.found.is_empty() {
            return;
        }
        let q = s.q;
        let found = std::mem::take(&mut self.found);
        let inside = |w: &words::Word<'_>| {
            found.iter().any(|f| {
                let (a, b) = f.range();
                a <= w.start && w.end <= b
            })
        };
        self.names.clear();
        self.capitals.clear();
        self.surface.clear();
        read_looked(
            s.ws,
            s.looked,
            inside,
            &mut self.surface,
            &mut self.names,
            &mut self.capitals,
        );
        self.question.clear();
        self.question.extend_from_slice(&q.keys);
        let mut units = std::mem::take(&mut self.units);
        units.clear();
        for f in &found {
            if let Some(k) = f.unit_key() {
                units.push(self.intern(base, k));
            }
        }
        sort_dedup(&mut units);
        // With a unit, the word the question uses for the quantity
        // (`speed` in `the speed of sound`, `long` in `How long
        // is…`) says what the unit says, in one of many words:
        // leave it out of the subject.
        if !units.is_empty() {
            let quantity = match self.quantity {
                Some(q) => q,
                None => {
                    let q = quantity_word(&s.card.question)
                        .and_then(|w| words::key(&w))
                        .map(|q| self.intern(base, q));
                    self.quantity = Some(q);
                    q
                }
            };
            if let Some(q) = quantity {
                self.surface.retain(|&(k, _)| k != q);
                self.question.retain(|&(k, _)| k != q);
            }
        }
        self.units = units;
        let Reader {
            kept,
            counts,
            unit_cards,
            names,
            capitals,
            surface,
            question,
            units,
            asked,
            quals,
            subject,
            all,
            ..
        } = self;
        let short = surface.len() < SHORT;
        if short {
            surface.extend(question.iter().copied());
        }
        // Count the statement, each key once: the subject's keys, then
        // the question's that are no subject keys (in `all`). Sorted only
        // when kept: most statements of a large deck are dead when read.
        counts.next_statement();
        subject.clear();
        all.clear();
        let mut fewest = u32::MAX;
        for k in surface.iter().map(|&(k, _)| k).chain(units.iter().copied()) {
            if let Some(c) = counts.bump(k) {
                subject.push(k);
                fewest = fewest.min(c);
            }
        }
        for &(k, _) in question.iter() {
            if let Some(c) = counts.bump(k) {
                all.push(k);
                fewest = fewest.min(c);
            }
        }
        let live = fewest as usize <= subjects::MAX_POSTINGS;
        // Keys that are no word of the deck (units) weigh by the cards
        // stating facts in them: those are provisional keys (the key of a
        // word of the card is read before its statements).
        for &k in subject.iter() {
            let Some(p) = k.checked_sub(PROVISIONAL) else {
                continue;
            };
            let p = p as usize;
            if unit_cards.len() <= p {
                unit_cards.resize(p + 1, (0, 0));
            }
            if let Some((last, n)) = unit_cards.get_mut(p) {
                if *last != s.card_index as u32 + 1 {
                    *last = s.card_index as u32 + 1;
                    *n += 1;
                }
            }
        }
        // The rest only matters for statements that are kept, their
        // witness the key in fewest statements (see [`Meta::witness`]).
        if !live {
            self.found = found;
            return;
        }
        subject.sort_unstable();
        all.sort_unstable();
        let witness = subject
            .iter()
            .chain(all.iter())
            .enumerate()
            .map(|(j, &k)| (counts.holding(k).unwrap_or(0), j))
            .min()
            .map_or(0, |(_, j)| j);
        // A question's past-tense verbs (`created`, `published`) are
        // many words for one event: what it asks about is the rest.
        asked.clear();
        if s.whole {
            asked.extend(
                question
                    .iter()
                    .filter(|&&(_, id)| {
                        !past_tense(base.spellings.get(id as usize).copied().unwrap_or(""))
                    })
                    .map(|&(k, _)| k),
            );
        }
        sort_dedup(asked);
        quals.clear();
        quals.extend_from_slice(&q.numbers);
        if F::DATES_QUALIFY {
            quals.extend(s.dates.iter().map(|d| qualifiers.years(d.interval())));
        }
        quals.sort_unstable();
        quals.dedup();
        let refers = refers_by_pronoun(s.ws);
        name_lists(names, capitals, q, short, refers);
        let block = &mut kept.pending;
        let mut found = found;
        block.push(
            Place {
                card: s.card_index,
                line: s.line_index,
                refers,
                exact: s.exact,
                sentence: (s.s0, s.s0 + s.text.len()),
            },
            &mut found,
            [&*subject, &*all, &*units, &*asked, &*names, &*capitals],
            quals,
            u8::try_from(witness).unwrap_or(u8::MAX),
        );
        if block.metas.len() == BLOCK {
            kept.push_pending(counts);
        }
        self.found = found;
    }
}

/// Completes the name lists of a statement, given those of its sentence:
/// the question's join them when the sentence is `short` (the question
/// then says what it is about; see [`Statement::capital`]), and its
/// capitals when the sentence `refers` to something by a pronoun (the
/// question names it). Both sorted, without repeats, and the names left
/// out of `capitals`.
fn name_lists(
    names: &mut Vec<Key>,
    capitals: &mut Vec<Key>,
    q: &Question,
    short: bool,
    refers: bool,
) {
    if short {
        names.extend(&q.names);
    }
    if short || refers {
        capitals.extend(&q.capitals);
    }
    sort_dedup(names);
    sort_dedup(capitals);
    // Every name is a capital: keep the others.
    capitals.retain(|&k| !has(names, k));
}

/// Pronouns that stand for a subject named elsewhere (in the question):
/// not possessives, which mostly point back into their own sentence (`a
/// threat to its own industry`).
const PRONOUNS: &[&str] = &["he", "him", "it", "she", "them", "they"];

/// Whether a sentence's words hold one of [`PRONOUNS`].
fn refers_by_pronoun(ws: &[words::Word<'_>]) -> bool {
    ws.iter()
        .any(|w| w.text.len() <= 4 && PRONOUNS.iter().any(|p| w.text.eq_ignore_ascii_case(p)))
}

/// [`read_words`], given each word's key and spelling (`looked`).
fn read_looked(
    ws: &[words::Word<'_>],
    looked: &[(Option<Key>, u32)],
    skip: impl Fn(&words::Word<'_>) -> bool,
    surface: &mut Vec<(Key, u32)>,
    names: &mut Vec<Key>,
    capitals: &mut Vec<Key>,
) {
    for (i, (w, &l)) in ws.iter().zip(looked).enumerate() {
        if skip(w) {
            continue;
        }
        let (Some(k), id) = l else {
            continue;
        };
        surface.push((k, id));
        let capital = match w.text.as_bytes().first() {
            Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => w.text.chars().next().is_some_and(char::is_uppercase),
        };
        if capital {
            capitals.push(k);
            if i > 0 {
                names.push(k);
            }
        }
    }
}

/// Reads the keys of every word of `deck` (with how many cards hold each)
/// and, for the kinds given a reader, its statements, a card at a time:
/// the card's words are looked up once for both, then its answer
/// sentences stating facts are read, their numbers, dates and words once
/// for both kinds.
///
/// A statement none of whose keys is in at most [`subjects::MAX_POSTINGS`]
/// statements is never compared with another (see [`subjects`]): it is
/// counted, but not kept. Counts only grow, so a statement whose keys are
/// all past the limit when it is read is dropped at once, and the others
/// are looked at again whenever the kept ones have doubled (and at the
/// end, with every count final).
fn read_deck<'a>(
    deck: &'a Deck,
    source: &SourceFile,
    mut dates: Option<&mut Reader<dates::Date>>,
    mut amounts: Option<&mut Reader<amounts::Amount>>,
) -> (Vocab<'a>, Vec<u32>) {
    let mut vocab = Vocab::default();
    let mut cards_with: Vec<u32> = Vec::new();
    // The last card (numbered from 1) that counted each key.
    let mut last: Vec<u32> = Vec::new();
    let mut qualifiers = Qualifiers::default();
    // Scratch space, reused for every card and sentence.
    let mut card_words: Vec<(words::Word<'a>, (Option<Key>, u32))> = Vec::new();
    // Where the words of the question and each answer line end.
    let mut text_ends: Vec<usize> = Vec::new();
    let mut parts: Vec<(usize, &'a str)> = Vec::new();
    let mut nums: Vec<Num<'a>> = Vec::new();
    let mut question_nums: Vec<Num<'a>> = Vec::new();
    let mut found_dates: Vec<dates::Date> = Vec::new();
    let mut ws: Vec<words::Word<'a>> = Vec::new();
    let mut looked: Vec<(Option<Key>, u32)> = Vec::new();
    let mut q = Question::default();
    let reading = dates.is_some() || amounts.is_some();
    for (card_index, card) in deck.cards.iter().enumerate() {
        let stamp = card_index as u32 + 1;
        card_words.clear();
        text_ends.clear();
        for text in std::iter::once(&*card.question).chain(card.answer.iter().map(|l| &*l.text)) {
            for w in words::iter(text) {
                let (key, id) = vocab.word(w.text);
                card_words.push((w, (key, id)));
                let Some(k) = key else {
                    continue;
                };
                let k = k as usize;
                if last.len() <= k {
                    last.resize(k + 1, 0);
                    cards_with.resize(k + 1, 0);
                }
                if let (Some(l), Some(c)) = (last.get_mut(k), cards_with.get_mut(k)) {
                    // Without a branch: whether a word is the card's
                    // first with its key is unpredictable.
                    *c += u32::from(*l != stamp);
                    *l = stamp;
                }
            }
            text_ends.push(card_words.len());
        }
        if !reading {
            continue;
        }
        // The question is read at the card's first fact, and its quantity
        // word at the first fact with a unit (per kind).
        let mut q_read = false;
        if let Some(r) = dates.as_deref_mut() {
            r.quantity = None;
        }
        if let Some(r) = amounts.as_deref_mut() {
            r.quantity = None;
        }
        for (line_index, line) in card.answer.iter().enumerate() {
            if !has_digit(&line.text) {
                continue;
            }
            parts.clear();
            sentences_into(&line.text, &mut parts);
            // The sentence is the card's whole answer: then the question says
            // what it is about. A topic prompt with many lines (`Describe the
            // Personal Rivalries factor`) does not.
            let whole = card.answer.len() == 1 && parts.len() == 1;
            // Read the line from the source when the span holds exactly its
            // text, so fact spans are exact; otherwise point at the line.
            let mut exact_line = None;
            let line_words = card_words
                .get(
                    text_ends.get(line_index).copied().unwrap_or(0)
                        ..text_ends.get(line_index + 1).copied().unwrap_or(0),
                )
                .unwrap_or(&[]);
            for &(s0, sentence) in &parts {
                nums.clear();
                numbers::numbers_into(sentence, &mut nums);
                if nums.is_empty() {
                    continue;
                }
                found_dates.clear();
                dates::dates_from(sentence, &nums, &mut found_dates);
                let mut any = false;
                if let Some(r) = dates.as_deref_mut() {
                    r.found.clear();
                    Dates::extract(sentence, &nums, &found_dates, &mut r.found);
                    any |= !r.found.is_empty();
                }
                if let Some(r) = amounts.as_deref_mut() {
                    r.found.clear();
                    Amounts::extract(sentence, &nums, &found_dates, &mut r.found);
                    any |= !r.found.is_empty();
                }
                if !any {
                    continue;
                }
                let exact = *exact_line.get_or_insert_with(|| {
                    source.text.get(line.span.start..line.span.end) == Some(&line.text)
                });
                if !q_read {
                    q_read = true;
                    let question_words = card_words
                        .get(..text_ends.first().copied().unwrap_or(0))
                        .unwrap_or(&[]);
                    q.read_looked(
                        &card.question,
                        question_words,
                        &mut qualifiers,
                        &mut question_nums,
                    );
                }
                // The sentence's words: the line's in its range, at
                // offsets in the sentence.
                let end = s0 + sentence.len();
                ws.clear();
                looked.clear();
                for &(w, l) in line_words {
                    if s0 <= w.start && w.end <= end {
                        ws.push(words::Word {
                            start: w.start - s0,
                            end: w.end - s0,
                            text: w.text,
                        });
                        looked.push(l);
                    }
                }
                let s = Sentence {
                    card_index,
                    card,
                    line_index,
                    whole,
                    exact,
                    s0,
                    text: sentence,
                    dates: &found_dates,
                    ws: &ws,
                    looked: &looked,
                    q: &q,
                };
                if let Some(r) = dates.as_deref_mut() {
                    r.statement(&s, &vocab, &mut qualifiers);
                }
                if let Some(r) = amounts.as_deref_mut() {
                    r.statement(&s, &vocab, &mut qualifiers);
                }
            }
        }
    }
    cards_with.resize(vocab.keys.len(), 0);
    (vocab, cards_with)
}

impl Question {
    /// [`Question::read`], given the question's words with their keys
    /// and spellings.
    fn read_looked<'a>(
        &mut self,
        question: &'a str,
        words: &[(words::Word<'a>, (Option<Key>, u32))],
        qualifiers: &mut Qualifiers,
        nums: &mut Vec<Num<'a>>,
    ) {
        self.keys.clear();
        self.names.clear();
        self.capitals.clear();
        for (i, (w, l)) in words.iter().enumerate() {
            let (Some(k), id) = *l else {
                continue;
            };
            self.keys.push((k, id));
            let capital = match w.text.as_bytes().first() {
                Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
                _ => w.text.chars().next().is_some_and(char::is_uppercase),
            };
            if capital {
                self.capitals.push(k);
                if i > 0 {
                    self.names.push(k);
                }
            }
        }
        self.numbers.clear();
        nums.clear();
        numbers::numbers_into(question, nums);
        self.numbers
            .extend(nums.iter().map(|n| qualifiers.number(n.text)));
    }
}

/// The statements [`statements_with`] keeps, in blocks and the block being
/// filled. While the deck is read a block may hold fewer than [`BLOCK`]
/// statements, and some no longer live; once read, every statement kept
/// is live, and every block but the last full.
struct Kept<F> {
    blocks: Vec<Block<F>>,
    pending: Block<F>,
    /// How many statements `blocks` hold.
    held: usize,
    /// How many they held after they were last looked at.
    after_gc: usize,
    /// Which statements of a block are live, while looked at.
    live: Vec<bool>,
}

impl<F> Default for Kept<F> {
    fn default() -> Self {
        Kept {
            blocks: Vec::new(),
            pending: Block::default(),
            held: 0,
            after_gc: 0,
            live: Vec::new(),
        }
    }
}

/// The blocks are looked at again once they hold this much more (an
/// eighth) than when last looked at. Statements die in numbers late in a
/// deck, when the words they share pass [`subjects::MAX_POSTINGS`]: at
/// 100,000 cards, looking again only when the blocks had doubled kept
/// some 117,000 date statements to the end, of which 1,300 were live. A
/// look costs little (see [`Meta::witness`]).
const GROWTH: usize = 8;

impl<F: Clone> Kept<F> {
    /// Moves the full pending block to the others; when they have grown by
    /// a [`GROWTH`]th since last looked at, drops statements no longer
    /// live.
    fn push_pending(&mut self, counts: &impl Holding) {
        let b = self.pending.take_exact();
        self.held += b.metas.len();
        self.blocks.push(b);
        if self.held >= self.after_gc + self.after_gc / GROWTH + BLOCK {
            self.gc(counts, false);
            self.after_gc = self.held;
        }
    }

    /// Drops statements no longer live, in order. While reading (not
    /// `last`), a block of which less than an eighth is dead, and which
    /// is at least half full, is kept as it is: copying it would cost more
    /// than it frees, and what is left of the others is packed into new
    /// blocks. When `last` (the pending block included), every block but
    /// the last comes out full and every statement live.
    fn gc(&mut self, counts: &impl Holding, last: bool) {
        let old = std::mem::take(&mut self.blocks);
        let tail = last.then(|| std::mem::take(&mut self.pending));
        let mut live = std::mem::take(&mut self.live);
        let mut out = Block::default();
        for mut b in old.into_iter().chain(tail) {
            let n = b.metas.len();
            let dead = b.sweep(counts, &mut live);
            let as_is = if last {
                dead == 0 && n == BLOCK && out.metas.is_empty()
            } else {
                dead * 8 < n && n >= BLOCK / 2
            };
            if as_is {
                if !out.metas.is_empty() {
                    self.blocks.push(out.take_exact());
                }
                self.blocks.push(b);
                continue;
            }
            for (i, _) in live.iter().enumerate().filter(|&(_, &l)| l) {
                out.push_from(&b, i);
                if out.metas.len() == BLOCK {
                    self.blocks.push(out.take_exact());
                }
            }
        }
        if !out.metas.is_empty() {
            self.blocks.push(out.take_exact());
        }
        self.held = self.blocks.iter().map(|b| b.metas.len()).sum();
        self.live = live;
    }

    /// The live statements, in full blocks but the last.
    fn collect(&mut self, counts: &impl Holding) {
        self.gc(counts, true);
    }
}

#[cfg(test)]
/// A word as written, by spelling id.
fn vocab_spelling<'a>(vocab: &Overlay<'_, 'a>, id: u32) -> &'a str {
    let id = id as usize;
    match id.checked_sub(vocab.base.spellings.len()) {
        None => vocab.base.spellings.get(id).copied().unwrap_or(""),
        Some(extra) => vocab.spellings.get(extra).copied().unwrap_or(""),
    }
}

/// The word a question uses for the quantity it asks about: `W` in `How W
/// …` or in the first `the W of` (`What is the speed of sound?`).
fn quantity_word(question: &str) -> Option<String> {
    let mut ws = words::iter(question).map(|w| w.text);
    let first = ws.next()?;
    if first.eq_ignore_ascii_case("how") {
        return ws.next().map(str::to_lowercase);
    }
    let mut window = [first, ws.next()?, ws.next()?];
    loop {
        if window[0].eq_ignore_ascii_case("the") && window[2].eq_ignore_ascii_case("of") {
            return Some(window[1].to_lowercase());
        }
        window = [window[1], window[2], ws.next()?];
    }
}

/// Where the first `.`, `;`, `!` or `?` of `bytes` is.
fn next_stop(bytes: &[u8]) -> Option<usize> {
    let p = memchr::memchr3(b'.', b';', b'?', bytes);
    let before = bytes.get(..p.unwrap_or(bytes.len())).unwrap_or(bytes);
    memchr::memchr(b'!', before).or(p)
}

/// Splits a line into sentences (`.`, `;`, `!`, `?` followed by a space or
/// the end), with each one's byte offset.
#[cfg(test)]
fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    sentences_into(text, &mut out);
    out
}

/// [`sentences`], pushed onto `out`.
fn sentences_into<'t>(text: &'t str, out: &mut Vec<(usize, &'t str)>) {
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut at = 0;
    // The stops are ASCII, so never part of another character.
    while let Some(i) = bytes.get(at..).and_then(next_stop).map(|p| at + p) {
        let end = i + 1;
        at = end;
        let at_break = text
            .get(end..)
            .and_then(|rest| rest.chars().next())
            .is_none_or(char::is_whitespace);
        if at_break {
            out.push((start, text.get(start..end).unwrap_or("")));
            start = end;
        }
    }
    if start < text.len() {
        out.push((start, text.get(start..).unwrap_or("")));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{AnswerLine, Card};

    /// A key is counted once per statement, however often it is bumped
    /// (as `sort_dedup` before counting did), provisional keys apart.
    #[test]
    fn counts_bump_each_key_once_a_statement() {
        let mut c = Counts::default();
        c.next_statement();
        assert_eq!(c.bump(3), Some(1));
        assert_eq!(c.bump(3), None);
        assert_eq!(c.bump(PROVISIONAL + 3), Some(1));
        assert_eq!(c.bump(PROVISIONAL + 3), None);
        c.next_statement();
        assert_eq!(c.bump(3), Some(2));
        assert_eq!(c.bump(0), Some(1));
        assert_eq!(c.bump(3), None);
        assert_eq!(c.holding(3), Some(2));
        assert_eq!(c.holding(PROVISIONAL + 3), Some(1));
        assert_eq!(c.holding(7), None);
    }

    /// A deck from `Q?` lines each followed by its answer lines, with
    /// exact spans: the fact rules' tests write decks this way.
    pub(crate) fn question_deck(text: &str) -> (SourceFile, Deck) {
        let src = SourceFile::new("x.txt", text);
        let mut deck = Deck::default();
        for line in src.lines() {
            if line.text.ends_with('?') {
                deck.cards.push(Card {
                    question: line.text.into(),
                    question_span: line.span,
                    line: crate::model::small(line.number),
                    ..Card::default()
                });
            } else if let Some(card) = deck.cards.last_mut() {
                card.answer.push(AnswerLine::new(line.text, line.span));
            }
        }
        (src, deck)
    }

    /// The reference notes parsed by hand the way DESIGN.md says (question
    /// lines listed; the section marker on line 43 belongs to no card), so
    /// the rules can be tested on it before the notes parser exists.
    pub(crate) fn reference() -> (SourceFile, Deck) {
        let text = include_str!("../../../input/sino-soviet.txt");
        let src = SourceFile::new("input/sino-soviet.txt", text);
        let questions = [2, 4, 7, 11, 18, 20, 25, 27, 33, 35, 37, 39, 41, 44, 48];
        let mut deck = Deck::default();
        for line in src.lines().skip(1) {
            if questions.contains(&line.number) {
                deck.cards.push(Card {
                    question: line.text.into(),
                    question_span: line.span,
                    line: crate::model::small(line.number),
                    ..Card::default()
                });
            } else if let (Some(card), false) = (deck.cards.last_mut(), line.number == 43) {
                card.answer.push(AnswerLine::new(line.text, line.span));
            }
        }
        (src, deck)
    }

    #[test]
    fn reference_pairs_only_restatements() {
        let (src, deck) = reference();
        let stmts = statements::<Dates>(&deck, &src);
        let lines = |p: &Pair| {
            let line = |i: usize| {
                stmts
                    .get(i)
                    .and_then(|s| s.facts.first().map(|f| stmts.span(&s, f)))
                    .map_or(0, |sp| src.line_of(sp.start))
            };
            (line(p.earlier), line(p.later))
        };
        let got: Vec<_> = same_subject(&deck, &stmts).iter().map(lines).collect();
        assert_eq!(got, [(23, 36), (22, 38), (15, 40), (3, 49)]);
        let conflicts = conflicts(&deck, &stmts);
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        let amounts = statements::<Amounts>(&deck, &src);
        assert_eq!(amounts.len(), 2);
        assert!(super::conflicts(&deck, &amounts).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn extraction_never_panics_and_spans_are_boundaries(
            text in "([0-9]{1,5}|[ $£%,.;–-]|s|to|and|between|BC|million|m|troops|İ|é| )*"
        ) {
            for d in dates::dates(&text) {
                proptest::prop_assert!(text.get(d.start..d.end).is_some());
            }
            for a in amounts::amounts(&text) {
                proptest::prop_assert!(text.get(a.start..a.end).is_some());
            }
            let _ = sentences(&text);
        }
    }

    proptest::proptest! {
        #[test]
        fn digits_and_stops_found_as_byte_by_byte(text in "([0-9]|[.;!?/:a-z ]|é|日本|\\PC){0,40}") {
            proptest::prop_assert_eq!(
                has_digit(&text),
                text.bytes().any(|b| b.is_ascii_digit())
            );
            proptest::prop_assert_eq!(
                next_stop(text.as_bytes()),
                text.bytes().position(|b| matches!(b, b'.' | b';' | b'!' | b'?'))
            );
        }

        #[test]
        fn words_pack_alike_only_when_equal(a in "\\PC{0,18}", b in "\\PC{0,18}") {
            let (pa, pb) = (pack(&a), pack(&b));
            proptest::prop_assert_eq!(pa.is_some(), a.len() <= 15);
            // The bytes in order, the length in the top byte.
            let mut buf = [0u8; 16];
            if let Some(head) = buf.get_mut(..a.len()) {
                head.copy_from_slice(a.as_bytes());
            }
            buf[15] = a.len() as u8;
            let [lo, hi] = [&buf[..8], &buf[8..]].map(|h| u64::from_le_bytes(h.try_into().unwrap_or([0; 8])));
            proptest::prop_assert_eq!(pa, (a.len() <= 15).then_some((lo, hi)));
            if let (Some(x), Some(y)) = (pa, pb) {
                proptest::prop_assert_eq!(x == y, a == b);
            }
            let mut m = ByWord::default();
            m.insert(&a, (Some(1), 1));
            proptest::prop_assert_eq!(m.get(&a), Some((Some(1), 1)));
            proptest::prop_assert_eq!(m.get(&b).is_some(), a == b);
        }

        #[test]
        fn packed_table_maps_as_a_hash_map(
            ops in proptest::collection::vec(
                ("([a-e]{0,3}|\\PC{0,15})", 0..3u32, proptest::bool::ANY),
                0..3000,
            )
        ) {
            // Words inserted and looked up in turn: the table answers as a
            // `HashMap` of the same does, across its growths.
            let mut table = Packed::default();
            let mut map: HashMap<(u64, u64), [u32; 2]> = HashMap::default();
            for (i, (word, k, look)) in ops.iter().enumerate() {
                let Some(p) = pack(word) else { continue };
                if *look {
                    proptest::prop_assert_eq!(table.get(p), map.get(&p).copied());
                } else {
                    let v = [*k, i as u32];
                    table.insert(p, v);
                    map.insert(p, v);
                }
            }
            for (word, _, _) in &ops {
                let Some(p) = pack(word) else { continue };
                proptest::prop_assert_eq!(table.get(p), map.get(&p).copied());
            }
        }
    }

    /// A statement for the block tests: its place, facts (dates whose
    /// `start` numbers them), lists and qualifiers.
    type Parts = (Place, Vec<dates::Date>, [Vec<Key>; LISTS], Vec<u32>);

    fn parts() -> impl proptest::strategy::Strategy<Value = Parts> {
        use proptest::prelude::*;
        // Lists long enough, now and then, that their ends do not fit a
        // byte; sentences long enough that their length does not fit two.
        let list = prop_oneof![
            8 => proptest::collection::vec(0..5000u32, 0..12),
            1 => proptest::collection::vec(0..5000u32, 250..300),
        ];
        let sentence_len = prop_oneof![4 => 0..300usize, 1 => 65_500..70_000usize];
        (
            (
                0..1_000_000usize,
                0..(1usize << 29),
                any::<bool>(),
                any::<bool>(),
            ),
            (0..100_000usize, sentence_len),
            proptest::collection::vec(0..u32::MAX, 1..4),
            [
                list.clone(),
                list.clone(),
                list.clone(),
                list.clone(),
                list.clone(),
                list,
            ],
            proptest::collection::vec(0..100u32, 0..3),
        )
            .prop_map(
                |((card, line, refers, exact), (s0, len), facts, lists, quals)| {
                    let facts = facts
                        .into_iter()
                        .map(|start| dates::Date {
                            start,
                            end: start,
                            from: dates::Point::Year(1900),
                            to: None,
                        })
                        .collect();
                    let place = Place {
                        card,
                        line,
                        refers,
                        exact,
                        sentence: (s0, s0 + len),
                    };
                    (place, facts, lists, quals)
                },
            )
    }

    fn push_parts(block: &mut Block<dates::Date>, p: &Parts) {
        let (at, facts, lists, quals) = p;
        let lists: [&[Key]; LISTS] = [
            &lists[0], &lists[1], &lists[2], &lists[3], &lists[4], &lists[5],
        ];
        block.push(Place { ..*at }, &mut facts.clone(), lists, quals, u8::MAX);
    }

    /// Whether `st` is the statement `p` was.
    fn reads_back(st: &Statement<'_, dates::Date>, p: &Parts) -> Result<(), String> {
        let (at, facts, lists, quals) = p;
        let mut ends = [0u32; LISTS];
        let mut end = 0;
        for (e, l) in ends.iter_mut().zip(lists) {
            end += l.len() as u32;
            *e = end;
        }
        let all: Vec<Key> = lists.iter().flatten().copied().collect();
        let got = (
            st.card,
            st.line,
            st.refers,
            st.exact,
            st.sentence,
            st.facts,
            st.lists,
            st.ends,
            st.qualifiers,
        );
        let want = (
            at.card,
            at.line as u32,
            at.refers,
            at.exact,
            (at.sentence.0 as u32, at.sentence.1 as u32),
            facts.as_slice(),
            all.as_slice(),
            ends,
            quals.as_slice(),
        );
        if got == want {
            Ok(())
        } else {
            Err(format!("{got:?} != {want:?}"))
        }
    }

    impl Clone for Place {
        fn clone(&self) -> Self {
            Place { ..*self }
        }
    }

    impl std::fmt::Debug for Place {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(
                f,
                "{} {} {} {} {:?}",
                self.card, self.line, self.refers, self.exact, self.sentence
            )
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// A block reads back every statement as it was written, packed
        /// or wide, and so does a block it is copied into.
        #[test]
        fn blocks_read_back_what_was_written(ps in proptest::collection::vec(parts(), 1..40)) {
            let fail = |e: &str| proptest::test_runner::TestCaseError::fail(e.to_string());
            let mut block = Block::default();
            for p in &ps {
                push_parts(&mut block, p);
            }
            let mut copy = Block::default();
            for i in (0..ps.len()).rev().step_by(2) {
                copy.push_from(&block, i);
            }
            for (i, p) in ps.iter().enumerate() {
                let st = block.get(i).ok_or_else(|| fail("missing"))?;
                reads_back(&st, p).map_err(|e| fail(&e))?;
                let (range, _) = block.bounds(i).ok_or_else(|| fail("no bounds"))?;
                proptest::prop_assert_eq!(range.len(), st.lists.len());
            }
            for (j, i) in (0..ps.len()).rev().step_by(2).enumerate() {
                let st = copy.get(j).ok_or_else(|| fail("missing copy"))?;
                reads_back(&st, &ps[i]).map_err(|e| fail(&e))?;
            }
            proptest::prop_assert!(block.get(ps.len()).is_none());
        }

        /// Dropping the statements no longer live, however often and with
        /// counts only growing, keeps in the end exactly the statements
        /// live by the final counts, in order, in full blocks but the last.
        #[test]
        fn kept_statements_are_the_live_ones(
            keys in proptest::collection::vec(proptest::collection::vec(0..40u32, 0..6), 1..5000),
            bumps in proptest::collection::vec((0..40usize, 0..80u32), 0..200),
        ) {
            let mut counts: Vec<u32> = vec![0; 40];
            let mut kept: Kept<dates::Date> = Kept::default();
            let mut bumps = bumps.into_iter();
            for (n, ks) in keys.iter().enumerate() {
                let mut ks = ks.clone();
                sort_dedup(&mut ks);
                // Counts only grow.
                if n % 25 == 0 {
                    if let Some((k, by)) = bumps.next() {
                        counts[k] += by;
                    }
                }
                let witness = (n % 7) as u8;
                kept.pending.push(
                    Place { card: n, line: 0, refers: false, exact: true, sentence: (0, 1) },
                    &mut Vec::new(),
                    [&ks, &[], &[], &[], &[], &[]],
                    &[],
                    witness,
                );
                if kept.pending.metas.len() == BLOCK {
                    kept.push_pending(&counts);
                }
            }
            kept.collect(&counts);
            let live = |ks: &Vec<u32>| ks.iter().any(|&k| counts[k as usize] as usize <= subjects::MAX_POSTINGS);
            let want: Vec<usize> = (0..keys.len()).filter(|&n| live(&keys[n])).collect();
            let got: Vec<usize> = kept
                .blocks
                .iter()
                .flat_map(|b| (0..b.metas.len()).filter_map(|i| b.get(i)))
                .map(|st| st.card)
                .collect();
            proptest::prop_assert_eq!(got, want);
            if let Some((_, full)) = kept.blocks.split_last() {
                proptest::prop_assert!(full.iter().all(|b| b.metas.len() == BLOCK));
            }
            proptest::prop_assert!(kept.blocks.iter().all(|b| !b.metas.is_empty()));
        }
    }

    #[test]
    fn sentences_split_at_stops_followed_by_space() {
        let s: Vec<_> = sentences("A 1.5 b. C; d? e")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(s, ["A 1.5 b.", " C;", " d?", " e"]);
    }
}
