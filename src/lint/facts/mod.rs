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
mod numbers;
mod subjects;
pub mod words;

pub use subjects::conflicts;
#[cfg(test)]
use subjects::{same_subject, Pair};

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use crate::model::Deck;
use crate::source::{SourceFile, Span};

/// A fact found in a sentence.
pub trait Fact {
    /// Byte range in the sentence it was found in.
    fn range(&self) -> (usize, usize);
    /// Facts of different kinds are never compared (`$` vs `%`).
    fn kind(&self) -> &str;
    /// Whether both can be true of one subject.
    fn compatible(&self, other: &Self) -> bool;
    /// As written.
    fn text(&self) -> &str;
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

impl Fact for dates::DateFact {
    fn range(&self) -> (usize, usize) {
        (self.start, self.end)
    }
    fn kind(&self) -> &str {
        "date"
    }
    fn compatible(&self, other: &Self) -> bool {
        dates::DateFact::compatible(self, other)
    }
    fn text(&self) -> &str {
        &self.text
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
    fn text(&self) -> &str {
        &self.text
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

/// An interned subject key (an index into [`Statements::keys`]).
pub type Key = u32;

/// One answer sentence stating facts. Its key lists (all sorted and
/// unique) share one allocation: a deck of a million cards holds millions
/// of statements, and seven small vectors each cost more than the keys.
#[derive(Debug, Clone)]
pub struct Statement<'a, F> {
    pub card: usize,
    /// The facts with their spans in the source.
    pub facts: Box<[(F, Span)]>,
    /// The key lists one after another, in [`List`] order; `ends[i]` is
    /// where list `i` ends.
    lists: Box<[Key]>,
    ends: [u32; LISTS],
    /// Numbers in the question and, for amounts, dates in the sentence:
    /// they qualify the subject (`the 100 m record`, `unemployment in
    /// 2023`), so statements with different qualifiers are about different
    /// things.
    pub qualifiers: Box<[String]>,
    /// Subject words in order, with their keys: `(key, spelling)`, the
    /// spelling an index into [`Statements::spellings`] (for messages).
    pub surface: Box<[(Key, u32)]>,
    _text: std::marker::PhantomData<&'a str>,
}

/// The key lists of a [`Statement`], in storage order.
#[derive(Clone, Copy)]
enum List {
    Keys,
    Context,
    All,
    Units,
    Asked,
    Names,
    Capitals,
}
const LISTS: usize = 7;

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
    /// Keys of the card's question not among `keys`: context that weighs
    /// half as much (the question often names what an answer calls `it`).
    pub fn context(&self) -> &[Key] {
        self.list(List::Context)
    }
    /// `keys` and `context` together.
    pub fn all(&self) -> &[Key] {
        self.list(List::All)
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
    /// Keys of every capitalized word of the sentence and of its question,
    /// first words included: what a name of the other statement may match.
    pub fn capitals(&self) -> &[Key] {
        self.list(List::Capitals)
    }
}

/// Packs key lists given in [`List`] order.
fn pack(lists: [&[Key]; LISTS]) -> (Box<[Key]>, [u32; LISTS]) {
    let mut all = Vec::with_capacity(lists.iter().map(|l| l.len()).sum());
    let mut ends = [0; LISTS];
    for (end, list) in ends.iter_mut().zip(lists) {
        all.extend_from_slice(list);
        *end = all.len() as u32;
    }
    (all.into_boxed_slice(), ends)
}

/// The statements of a deck and the subject keys they are written in.
#[derive(Debug, Clone)]
pub struct Statements<'a, F> {
    pub list: Vec<Statement<'a, F>>,
    /// Key text by [`Key`].
    pub keys: Vec<String>,
    /// Words as written, by the ids in [`Statement::surface`].
    pub spellings: Vec<&'a str>,
    /// For each key, how many cards of the deck hold a word with that key.
    pub cards_with: Vec<u32>,
}

impl<'a, F> std::ops::Deref for Statements<'a, F> {
    type Target = [Statement<'a, F>];
    fn deref(&self) -> &Self::Target {
        &self.list
    }
}

/// Interns subject keys, remembering the key of every word it has seen.
#[derive(Clone, Default)]
struct Vocab<'a> {
    /// Each spelling's key and its index in `spellings`.
    by_word: HashMap<&'a str, (Option<Key>, u32)>,
    by_key: HashMap<String, Key>,
    keys: Vec<String>,
    spellings: Vec<&'a str>,
}

impl<'a> Vocab<'a> {
    /// The key of a word of the deck's text.
    fn word(&mut self, word: &'a str) -> Option<Key> {
        self.spelled(word).0
    }

    /// The key of a word and the id of its spelling.
    fn spelled(&mut self, word: &'a str) -> (Option<Key>, u32) {
        if let Some(&found) = self.by_word.get(word) {
            return found;
        }
        let k = words::key(word).map(|k| self.intern(k));
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
        self.keys.push(key.clone());
        self.by_key.insert(key, k);
        k
    }
}

fn sorted(keys: impl IntoIterator<Item = Key>) -> Vec<Key> {
    let mut v: Vec<Key> = keys.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Keys of the words of `text` that are written as names: a capital first
/// letter, outside `skip`, and unless `first`, not the text's first word.
fn name_keys<'a>(
    vocab: &mut Vocab<'a>,
    ws: &[words::Word<'a>],
    first: bool,
    skip: impl Fn(&words::Word<'_>) -> bool,
) -> Vec<Key> {
    ws.iter()
        .enumerate()
        .filter(|(i, w)| {
            (first || *i > 0) && !skip(w) && w.text.chars().next().is_some_and(char::is_uppercase)
        })
        .filter_map(|(_, w)| vocab.word(w.text))
        .collect()
}

/// Fewer content words than this and the question supplies the subject.
const SHORT: usize = 3;

/// The subject keys of every word of a deck, and how many cards hold each:
/// the same for every kind of fact, so the rules share one (see
/// [`crate::lint::Context::fact_keys`]).
#[derive(Clone, Default)]
pub struct DeckKeys<'a> {
    vocab: Vocab<'a>,
    cards_with: Vec<u32>,
}

impl<'a> DeckKeys<'a> {
    pub fn build(deck: &'a Deck) -> Self {
        let mut vocab = Vocab::default();
        let mut cards_with: Vec<u32> = Vec::new();
        let mut seen: Vec<Key> = Vec::new();
        for card in &deck.cards {
            seen.clear();
            for text in std::iter::once(&card.question).chain(card.answer.iter().map(|l| &l.text)) {
                for w in words::iter(text) {
                    seen.extend(vocab.word(w.text));
                }
            }
            seen.sort_unstable();
            seen.dedup();
            cards_with.resize(vocab.keys.len(), 0);
            for &k in &seen {
                if let Some(c) = cards_with.get_mut(k as usize) {
                    *c += 1;
                }
            }
        }
        DeckKeys { vocab, cards_with }
    }
}

/// Every answer sentence of `deck` in which `extract` finds facts.
#[cfg(test)]
pub fn statements<'a, F: Fact>(
    deck: &'a Deck,
    source: &SourceFile,
    extract: impl Fn(&str) -> Vec<F>,
) -> Statements<'a, F> {
    statements_with(deck, source, DeckKeys::build(deck), extract)
}

/// [`statements`], given the deck's keys.
pub fn statements_with<'a, F: Fact>(
    deck: &'a Deck,
    source: &SourceFile,
    keys: DeckKeys<'a>,
    extract: impl Fn(&str) -> Vec<F>,
) -> Statements<'a, F> {
    let DeckKeys {
        mut vocab,
        mut cards_with,
    } = keys;
    let mut out = Vec::new();
    for (card_index, card) in deck.cards.iter().enumerate() {
        // What the question says, worked out once per card.
        let question_words = words::words(&card.question);
        let question_keys: Vec<(Key, u32)> = question_words
            .iter()
            .filter_map(|w| match vocab.spelled(w.text) {
                (Some(k), id) => Some((k, id)),
                (None, _) => None,
            })
            .collect();
        let question_names = name_keys(&mut vocab, &question_words, false, |_| false);
        let question_capitals = name_keys(&mut vocab, &question_words, true, |_| false);
        let question_numbers: Vec<String> = numbers::numbers(&card.question)
            .iter()
            .map(|n| n.text.replace(',', ""))
            .collect();
        let quantity = quantity_word(&card.question).and_then(|w| words::key(&w));
        let quantity = quantity.map(|q| vocab.intern(q));
        for line in &card.answer {
            // Read the line from the source when the span holds exactly its
            // text, so fact spans are exact; otherwise point at the line.
            let exact = source.text.get(line.span.start..line.span.end) == Some(&line.text);
            let parts = sentences(&line.text);
            // The sentence is the card's whole answer: then the question says
            // what it is about. A topic prompt with many lines (`Describe the
            // Personal Rivalries factor`) does not.
            let whole = card.answer.len() == 1 && parts.len() == 1;
            for (s0, sentence) in parts {
                let found = extract(sentence);
                if found.is_empty() {
                    continue;
                }
                let facts = found
                    .into_iter()
                    .map(|f| {
                        let (a, b) = f.range();
                        let span = if exact {
                            line.span.sub(s0 + a, s0 + b)
                        } else {
                            line.span
                        };
                        (f, span)
                    })
                    .collect::<Vec<_>>();
                let inside = |w: &words::Word<'_>| {
                    facts.iter().any(|(f, _)| {
                        let (a, b) = f.range();
                        a <= w.start && w.end <= b
                    })
                };
                let sentence_words = words::words(sentence);
                let mut names = name_keys(&mut vocab, &sentence_words, false, inside);
                let mut capitals = name_keys(&mut vocab, &sentence_words, true, inside);
                capitals.extend(&question_capitals);
                let mut surface: Vec<(Key, u32)> = sentence_words
                    .iter()
                    .filter(|w| !inside(w))
                    .filter_map(|w| match vocab.spelled(w.text) {
                        (Some(k), id) => Some((k, id)),
                        (None, _) => None,
                    })
                    .collect();
                let mut question = question_keys.clone();
                let units = sorted(
                    facts
                        .iter()
                        .filter_map(|(f, _)| f.unit_key())
                        .map(|k| vocab.intern(k))
                        .collect::<Vec<Key>>(),
                );
                // With a unit, the word the question uses for the quantity
                // (`speed` in `the speed of sound`, `long` in `How long
                // is…`) says what the unit says, in one of many words:
                // leave it out of the subject.
                if !units.is_empty() {
                    if let Some(q) = quantity {
                        surface.retain(|&(k, _)| k != q);
                        question.retain(|&(k, _)| k != q);
                    }
                }
                // A question's past-tense verbs (`created`, `published`) are
                // many words for one event: what it asks about is the rest.
                let asked: Vec<Key> = question
                    .iter()
                    .filter(|_| whole)
                    .filter(|&&(_, id)| {
                        let w = vocab
                            .spellings
                            .get(id as usize)
                            .map_or(String::new(), |w| w.to_lowercase());
                        !(w.ends_with("ed") && w.chars().count() >= 5)
                    })
                    .map(|&(k, _)| k)
                    .collect();
                let mut qualifiers: BTreeSet<String> = question_numbers.iter().cloned().collect();
                if F::DATES_QUALIFY {
                    qualifiers.extend(dates::dates(sentence).iter().map(|d| {
                        let (a, b) = d.interval();
                        format!("{a}-{b}")
                    }));
                }
                if surface.len() < SHORT {
                    surface.extend(question.iter().copied());
                    names.extend(&question_names);
                }
                let keys = sorted(surface.iter().map(|&(k, _)| k).chain(units.iter().copied()));
                let context = sorted(
                    question
                        .iter()
                        .map(|&(k, _)| k)
                        .filter(|k| keys.binary_search(k).is_err()),
                );
                let all = sorted(keys.iter().chain(&context).copied());
                let (lists, ends) = pack([
                    &keys,
                    &context,
                    &all,
                    &units,
                    &sorted(asked),
                    &sorted(names),
                    &sorted(capitals),
                ]);
                out.push(Statement {
                    card: card_index,
                    facts: facts.into_boxed_slice(),
                    lists,
                    ends,
                    qualifiers: qualifiers.into_iter().collect(),
                    surface: surface.into_boxed_slice(),
                    _text: std::marker::PhantomData,
                });
            }
        }
    }
    cards_with.resize(vocab.keys.len(), 0);
    Statements {
        list: out,
        keys: vocab.keys,
        spellings: vocab.spellings,
        cards_with,
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

/// Splits a line into sentences (`.`, `;`, `!`, `?` followed by a space or
/// the end), with each one's byte offset.
fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at_break = chars.peek().is_none_or(|&(_, n)| n.is_whitespace());
        if matches!(c, '.' | ';' | '!' | '?') && at_break {
            let end = i + c.len_utf8();
            out.push((start, &text[start..end]));
            start = end;
        }
    }
    if start < text.len() {
        out.push((start, &text[start..]));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{AnswerLine, Card};

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
                    question: line.text.to_string(),
                    question_span: line.span,
                    line: line.number,
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
        let stmts = statements(&deck, &src, dates::dates);
        let lines = |p: &Pair| {
            let line = |i: usize| {
                stmts
                    .get(i)
                    .and_then(|s| s.facts.first())
                    .map_or(0, |(_, sp)| src.line_of(sp.start))
            };
            (line(p.earlier), line(p.later))
        };
        let got: Vec<_> = same_subject(&deck, &stmts).iter().map(lines).collect();
        assert_eq!(got, [(23, 36), (22, 38), (15, 40), (3, 49)]);
        let conflicts = conflicts(&deck, &stmts);
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        let amounts = statements(&deck, &src, amounts::amounts);
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

    #[test]
    fn sentences_split_at_stops_followed_by_space() {
        let s: Vec<_> = sentences("A 1.5 b. C; d? e")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(s, ["A 1.5 b.", " C;", " d?", " e"]);
    }
}
