//! Which statements are about the same subject, and which of those
//! contradict each other.
//!
//! Statements are indexed by subject word; a word found in too many
//! statements is not used to find candidates (it names a topic of the whole
//! deck, not an event), and each word weighs by how rare it is across the
//! deck's cards. Only candidates sharing a word are compared, so the work
//! stays near-linear in deck size.

use std::collections::{BTreeMap, BTreeSet};

use super::{words, Fact, Statement};
use crate::model::Deck;
use crate::source::Span;

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
    let mut weight = weights(deck);
    unit_weights(deck, stmts, &mut weight);
    let deck_cards = deck.cards.len().max(1) as f64;
    let mut index: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (id, s) in stmts.iter().enumerate() {
        for k in s.keys.iter().chain(&s.context) {
            index.entry(k.as_str()).or_default().push(id);
        }
    }
    let mut pairs = Vec::new();
    for (j, later) in stmts.iter().enumerate() {
        let mut candidates = BTreeSet::new();
        for k in later.keys.iter().chain(&later.context) {
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
            if let Some(shared) = same_event(earlier, later, &weight, deck_cards) {
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

/// Keys that are no word of the text (unit symbols such as `m/s`) weigh
/// by how many cards state an amount in them.
fn unit_weights<F>(deck: &Deck, stmts: &[Statement<F>], weight: &mut BTreeMap<String, f64>) {
    let mut cards: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for s in stmts {
        for k in s.keys.iter().filter(|k| !weight.contains_key(*k)) {
            cards.entry(k.as_str()).or_default().insert(s.card);
        }
    }
    let n = deck.cards.len().max(1) as f64;
    for (k, c) in cards {
        weight.insert(k.to_string(), (1.0 + n / c.len().max(1) as f64).ln());
    }
}

/// Keys of one side only that are the other side's key with a few letters
/// more (`german`/`germany`, `nation`/`national`): the same subject word in
/// another form, which the crude stemmer does not meet.
fn same_root(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.chars().count() >= 5 && long.starts_with(short) && long.len() - short.len() <= 3
}

fn same_event<'a, F>(
    a: &'a Statement<F>,
    b: &'a Statement<F>,
    weight: &BTreeMap<String, f64>,
    deck_cards: f64,
) -> Option<Vec<String>> {
    let w = |k: &String| weight.get(k).copied().unwrap_or(1.0);
    // Each side's words: its own at full weight, its question's at half.
    let side = |s: &'a Statement<F>| -> BTreeMap<&'a String, f64> {
        let mut m: BTreeMap<&String, f64> = s.context.iter().map(|k| (k, 0.5 * w(k))).collect();
        m.extend(s.keys.iter().map(|k| (k, w(k))));
        m
    };
    // Different numbers in the questions or years of the amounts: the
    // `100 m` and the `200 m` record, unemployment in 2023 and in 1984.
    let within = |x: &[String], y: &[String]| x.iter().all(|q| y.contains(q));
    if !within(&a.qualifiers, &b.qualifiers) && !within(&b.qualifiers, &a.qualifiers) {
        return None;
    }
    let (sa, sb) = (side(a), side(b));
    let (ka, kb): (BTreeSet<&String>, BTreeSet<&String>) =
        (sa.keys().copied().collect(), sb.keys().copied().collect());
    let mut shared: Vec<&String> = ka.intersection(&kb).copied().collect();
    // At least two shared words besides a unit (`1/8 as a percentage` and
    // `2/5 as a percentage` share only `percentage` and `%`), one of them a
    // subject word of a side.
    let own = |k: &&String| a.keys.contains(k) || b.keys.contains(k);
    let words = shared.iter().filter(|k| !a.units.contains(k)).count();
    if words < 2 || !shared.iter().any(own) {
        return None;
    }
    // One shared word must be specific to a few cards: `created` and
    // `released` in every card of a deck about who made what say nothing.
    let specific = (deck_cards / 5.0).max(4.0);
    let rare = |k: &&String| !a.units.contains(k) && w(k) >= (1.0 + deck_cards / specific).ln();
    if !shared.iter().any(rare) {
        return None;
    }
    // Parallel questions: the same question about two things, each
    // question having one word the other lacks (`the dose of paracetamol`
    // / `of ibuprofen`, `bradycardia` / `tachycardia`).
    let only = |x: &Statement<F>, y: &Statement<F>| {
        x.asked
            .iter()
            .filter(|k| !y.asked.iter().any(|o| o == *k || same_root(o, k)))
            .count()
    };
    if only(a, b) == 1 && only(b, a) == 1 {
        return None;
    }
    // Words in another form count as shared for coverage (both forms).
    for x in ka.difference(&kb) {
        for y in kb.difference(&ka) {
            if same_root(x, y) {
                shared.push(x);
                shared.push(y);
            }
        }
    }
    // The share of one side's subject weight found in the other: the
    // smaller, more specific statement must be covered. Question context
    // can help cover a side (`it` in the answer, `Linux` in the question)
    // but never counts against it: a question is often a generic prompt.
    let cover = |s: &Statement<F>, m: &BTreeMap<&String, f64>| {
        // A unit the other side does not state (`23 pairs` beside `46
        // chromosomes`) is another fact, not part of the subject.
        let total: f64 = s
            .keys
            .iter()
            .filter(|k| !s.units.contains(k) || shared.contains(k))
            .map(&w)
            .sum();
        let found: f64 = shared.iter().filter_map(|k| m.get(k)).sum();
        if total > 0.0 {
            (found / total).min(1.0)
        } else {
            0.0
        }
    };
    if cover(a, &sa).max(cover(b, &sb)) < COVER {
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
    // Enough words to recognize the subject in a message.
    out.truncate(6);
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
        // The earlier fact nearest to this one is the one it contradicts.
        let Some(first) = same_kind.iter().copied().min_by(|&x, &y| {
            let d = |i: usize| a.facts.get(i).map_or(f64::MAX, |(f, _)| f.distance(fb));
            d(x).total_cmp(&d(y))
        }) else {
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
            // Facts of different kinds (`50 Hz`, `230 V`) neither agree nor
            // disagree.
            let comparable = earlier
                .facts
                .iter()
                .any(|(fa, _)| later.facts.iter().any(|(fb, _)| fa.kind() == fb.kind()));
            if !comparable {
                continue;
            }
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
