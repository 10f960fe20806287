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
pub mod words;

use std::collections::{BTreeMap, BTreeSet};

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
}

/// One answer sentence stating facts.
#[derive(Debug, Clone)]
pub struct Statement<F> {
    pub card: usize,
    /// The facts with their spans in the source.
    pub facts: Vec<(F, Span)>,
    /// Subject keys, sorted and unique.
    pub keys: Vec<String>,
    /// Subject words as written, in order, lowercased, with their keys (for
    /// messages).
    pub surface: Vec<(String, String)>,
}

/// Fewer content words than this and the question supplies the subject.
const SHORT: usize = 3;

/// Every answer sentence of `deck` in which `extract` finds facts.
pub fn statements<F: Fact>(
    deck: &Deck,
    source: &SourceFile,
    extract: impl Fn(&str) -> Vec<F>,
) -> Vec<Statement<F>> {
    let mut out = Vec::new();
    for (card_index, card) in deck.cards.iter().enumerate() {
        for line in &card.answer {
            // Read the line from the source when the span holds exactly its
            // text, so fact spans are exact; otherwise point at the line.
            let exact = source.text.get(line.span.start..line.span.end) == Some(&line.text);
            for (s0, sentence) in sentences(&line.text) {
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
                let mut surface: Vec<(String, String)> = words::words(sentence)
                    .iter()
                    .filter(|w| !inside(w))
                    .filter_map(|w| words::key(w.text).map(|k| (k, w.text.to_lowercase())))
                    .collect();
                if surface.len() < SHORT {
                    surface.extend(
                        words::words(&card.question)
                            .iter()
                            .filter_map(|w| words::key(w.text).map(|k| (k, w.text.to_lowercase()))),
                    );
                }
                let keys: BTreeSet<String> = surface.iter().map(|(k, _)| k.clone()).collect();
                out.push(Statement {
                    card: card_index,
                    facts,
                    keys: keys.into_iter().collect(),
                    surface,
                });
            }
        }
    }
    out
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

/// Two statements about the same subject: `earlier` comes first in the
/// deck; `shared` are the subject words they have in common, as written in
/// `earlier` (or its question).
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub earlier: usize,
    pub later: usize,
    pub shared: Vec<String>,
}

/// Statements that carry a word this often are not indexed by it: the word
/// names a topic of the whole deck, not an event.
const MAX_POSTINGS: usize = 64;
/// Share of the smaller statement's subject weight the other must cover.
const COVER: f64 = 0.8;
/// Words that begin vs. end something: statements with one each on
/// opposite sides are about two events (a war's start and its end).
const STARTS: &[&str] = &[
    "begin",
    "began",
    "begun",
    "born",
    "creat",
    "establish",
    "found",
    "introduc",
    "launch",
    "open",
    "outbreak",
    "start",
];
const ENDS: &[&str] = &[
    "abolish", "clos", "collaps", "death", "di", "dissolv", "end", "fell", "finish",
];

/// Pairs of statements (in different cards) about the same subject, in
/// order of the later statement.
pub fn same_subject<F>(deck: &Deck, stmts: &[Statement<F>]) -> Vec<Pair> {
    let weight = weights(deck);
    let mut index: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (id, s) in stmts.iter().enumerate() {
        for k in &s.keys {
            index.entry(k.as_str()).or_default().push(id);
        }
    }
    let mut pairs = Vec::new();
    for (j, later) in stmts.iter().enumerate() {
        let mut candidates = BTreeSet::new();
        for k in &later.keys {
            match index.get(k.as_str()) {
                Some(ids) if ids.len() <= MAX_POSTINGS => {
                    candidates.extend(ids.iter().copied().take_while(|&i| i < j));
                }
                _ => {}
            }
        }
        for i in candidates {
            let Some(earlier) = stmts.get(i) else {
                continue;
            };
            if earlier.card == later.card {
                continue;
            }
            if let Some(shared) = same_event(earlier, later, &weight) {
                pairs.push(Pair {
                    earlier: i,
                    later: j,
                    shared,
                });
            }
        }
    }
    pairs
}

/// How much each word says about a subject: `ln(N / cards containing it)`.
fn weights(deck: &Deck) -> BTreeMap<String, f64> {
    let mut df: BTreeMap<String, usize> = BTreeMap::new();
    for card in &deck.cards {
        let mut seen = BTreeSet::new();
        let texts = std::iter::once(card.question.as_str())
            .chain(card.answer.iter().map(|l| l.text.as_str()));
        for text in texts {
            seen.extend(words::words(text).iter().filter_map(|w| words::key(w.text)));
        }
        for k in seen {
            *df.entry(k).or_default() += 1;
        }
    }
    let n = deck.cards.len().max(1) as f64;
    df.into_iter()
        .map(|(k, d)| (k, (1.0 + n / d as f64).ln()))
        .collect()
}

fn same_event<F>(
    a: &Statement<F>,
    b: &Statement<F>,
    weight: &BTreeMap<String, f64>,
) -> Option<Vec<String>> {
    let w = |k: &String| weight.get(k).copied().unwrap_or(1.0);
    let (ka, kb): (BTreeSet<&String>, BTreeSet<&String>) =
        (a.keys.iter().collect(), b.keys.iter().collect());
    let shared: Vec<&String> = ka.intersection(&kb).copied().collect();
    if shared.len() < 2 {
        return None;
    }
    let (wa, wb): (f64, f64) = (ka.iter().map(|k| w(k)).sum(), kb.iter().map(|k| w(k)).sum());
    let ws: f64 = shared.iter().map(|k| w(k)).sum();
    if ws < COVER * wa.min(wb) {
        return None;
    }
    // A start word on one side only and an end word on the other only.
    let only = |x: &BTreeSet<&String>, y: &BTreeSet<&String>, list: &[&str]| {
        x.iter()
            .any(|k| list.contains(&k.as_str()) && !y.contains(k))
    };
    if (only(&ka, &kb, STARTS) && only(&kb, &ka, ENDS))
        || (only(&ka, &kb, ENDS) && only(&kb, &ka, STARTS))
    {
        return None;
    }
    // Shared words as written, first statement's order first.
    let mut out: Vec<String> = Vec::new();
    let mut used = BTreeSet::new();
    for (k, surface) in a.surface.iter().chain(&b.surface) {
        if kb.contains(k) && ka.contains(k) && used.insert(k.clone()) {
            out.push(surface.clone());
        }
    }
    Some(out)
}

/// A later statement that contradicts an earlier one about the same subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// Span and text of the fact first stated.
    pub first: (Span, String),
    /// Span and text of the contradicting fact.
    pub then: (Span, String),
    /// The subject, as written.
    pub subject: String,
}

/// The facts of `b` of some kind that none of `a`'s facts of that kind
/// agree with: indices into `a.facts` and `b.facts`.
fn disagreement<F: Fact>(a: &Statement<F>, b: &Statement<F>) -> Option<(usize, usize)> {
    for (jb, (fb, _)) in b.facts.iter().enumerate() {
        let same_kind: Vec<usize> = (0..a.facts.len())
            .filter(|&i| a.facts.get(i).is_some_and(|(fa, _)| fa.kind() == fb.kind()))
            .collect();
        let Some(&first) = same_kind.first() else {
            continue;
        };
        let kind_agrees = b.facts.iter().any(|(g, _)| {
            g.kind() == fb.kind()
                && same_kind
                    .iter()
                    .any(|&i| a.facts.get(i).is_some_and(|(fa, _)| fa.compatible(g)))
        });
        if !kind_agrees {
            return Some((first, jb));
        }
    }
    None
}

/// One conflict per contradicting statement, against the first statement
/// it contradicts. A statement that agrees with any earlier statement about
/// its subject is not reported: either that one was reported already, or
/// the notes settle on this fact.
pub fn conflicts<F: Fact>(deck: &Deck, stmts: &[Statement<F>]) -> Vec<Conflict> {
    let pairs = same_subject(deck, stmts);
    let mut out = Vec::new();
    let mut rest = pairs.as_slice();
    while let Some(first_pair) = rest.first() {
        let j = first_pair.later;
        let n = rest.iter().take_while(|p| p.later == j).count();
        let (group, tail) = rest.split_at(n);
        rest = tail;
        let Some(later) = stmts.get(j) else { continue };
        let mut found = None;
        let mut agrees = false;
        for p in group {
            let Some(earlier) = stmts.get(p.earlier) else {
                continue;
            };
            match disagreement(earlier, later) {
                Some(ix) if found.is_none() => found = Some((p, ix)),
                Some(_) => {}
                None => agrees = true,
            }
        }
        let Some((p, (ia, ib))) = found else { continue };
        if agrees {
            continue;
        }
        let (Some((fa, sa)), Some((fb, sb))) = (
            stmts.get(p.earlier).and_then(|s| s.facts.get(ia)),
            later.facts.get(ib),
        ) else {
            continue;
        };
        out.push(Conflict {
            first: (*sa, fa.text().to_string()),
            then: (*sb, fb.text().to_string()),
            subject: p.shared.join(" "),
        });
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

    #[test]
    fn sentences_split_at_stops_followed_by_space() {
        let s: Vec<_> = sentences("A 1.5 b. C; d? e")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(s, ["A 1.5 b.", " C;", " d?", " e"]);
    }
}
