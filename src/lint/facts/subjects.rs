//! Which statements are about the same subject, and which of those
//! contradict each other.
//!
//! Statements are indexed by subject word; a word found in too many
//! statements is not used to find candidates (it names a topic of the whole
//! deck, not an event), and each word weighs by how rare it is across the
//! deck's cards. Only candidates sharing a word are compared, so the work
//! stays near-linear in deck size.

use super::{Fact, Key, Statement, Statements};
use crate::model::Deck;
use crate::source::Span;

/// Two statements about the same subject: `earlier` comes first in the
/// deck; `shared` are the subject words they have in common, as written in
/// `earlier` (or its question).
#[cfg(test)]
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub earlier: usize,
    pub later: usize,
    pub shared: Vec<String>,
}

/// Statements that carry a word this often are not indexed by it: the word
/// names a topic of the whole deck, not an event.
pub(super) const MAX_POSTINGS: usize = 64;
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

/// What the comparison needs to know of each key, looked up once here, not
/// once per candidate pair.
struct Keys<'s> {
    text: Vec<&'s str>,
    weight: Vec<f64>,
    starts: Vec<bool>,
    ends: Vec<bool>,
    /// Keys in another form of the same word, see [`roots`].
    roots: Vec<Vec<Key>>,
    /// How many characters each key has, and which characters (hashed to
    /// one of 64 bits): two keys that differ too much in either are more
    /// than two edits apart, without working out how many.
    chars: Vec<usize>,
    letters: Vec<u64>,
    /// How many cards hold each key.
    cards: Vec<u32>,
}

/// A spelling found in more than one card and in more than this share of
/// the cards of another spelling is another name, not a misspelling of it.
const MISSPELT_SHARE: u32 = 4;

/// The characters of `text` hashed to one of 64 bits each.
fn letters(text: &str) -> u64 {
    text.chars().fold(0, |m, c| m | 1 << (c as u32 % 64))
}

impl Keys<'_> {
    /// Whether keys `n` and `m` are one name spelt two ways: both at least
    /// five bytes long and at most two edits apart.
    fn misspelt(&self, n: Key, m: Key) -> bool {
        let (n, m) = (n as usize, m as usize);
        let text = |k: usize| self.text.get(k).copied().unwrap_or("");
        let (tn, tm) = (text(n), text(m));
        if tn.len().min(tm.len()) < 5 {
            return false;
        }
        // A misspelling is the rarer form: two spellings each found in
        // many cards are two names.
        let cards = |k: usize| self.cards.get(k).copied().unwrap_or(0);
        let (rare, common) = (cards(n).min(cards(m)), cards(n).max(cards(m)));
        if rare > (common / MISSPELT_SHARE).max(1) {
            return false;
        }
        // Each edit changes the length by at most one, and removes at most
        // one character that the other key does not have.
        let chars = |k: usize| self.chars.get(k).copied().unwrap_or(0);
        let letters = |k: usize| self.letters.get(k).copied().unwrap_or(0);
        let (ln, lm) = (letters(n), letters(m));
        if chars(n).abs_diff(chars(m)) > 2
            || (ln & !lm).count_ones() > 2
            || (lm & !ln).count_ones() > 2
        {
            return false;
        }
        crate::lint::words::levenshtein(tn, tm) <= 2
    }
}

impl<'s> Keys<'s> {
    fn new<F>(deck: &Deck, stmts: &'s Statements<'_, F>) -> Self {
        let text: Vec<&str> = (0..stmts.key_count())
            .map(|k| stmts.key_text(k as Key))
            .collect();
        let n = deck.cards.len().max(1) as f64;
        // How much each word says about a subject: `ln(1 + N / cards
        // containing it)`. Keys that are no word of the text (unit symbols
        // such as `m/s`) weigh by how many cards state an amount in them.
        let weight = (0..text.len())
            .map(|k| {
                let d = stmts.cards_with(k as Key) as usize;
                let d = if d > 0 {
                    d
                } else {
                    stmts.unit_cards(k as Key) as usize
                };
                if d > 0 {
                    (1.0 + n / d as f64).ln()
                } else {
                    1.0
                }
            })
            .collect();
        Keys {
            weight,
            starts: text.iter().map(|k| STARTS.contains(k)).collect(),
            ends: text.iter().map(|k| ENDS.contains(k)).collect(),
            roots: roots(&text),
            chars: text.iter().map(|t| t.chars().count()).collect(),
            letters: text.iter().map(|t| letters(t)).collect(),
            cards: (0..text.len())
                .map(|k| stmts.cards_with(k as Key))
                .collect(),
            text,
        }
    }
}

/// For each key, the keys that are it with a few letters more or less
/// (`german`/`germany`, `nation`/`national`): the same subject word in
/// another form, which the crude stemmer does not meet. The shorter form
/// has at least five letters and the longer adds at most three bytes. In
/// sorted order the longer forms follow the shorter, among the keys that
/// start with it.
fn roots(text: &[&str]) -> Vec<Vec<Key>> {
    let mut order: Vec<usize> = (0..text.len()).collect();
    order.sort_unstable_by_key(|&i| text.get(i).copied().unwrap_or(""));
    let mut out: Vec<Vec<Key>> = vec![Vec::new(); text.len()];
    for (pos, &i) in order.iter().enumerate() {
        let Some(short) = text.get(i) else { continue };
        if short.chars().count() < 5 {
            continue;
        }
        for &j in order.iter().skip(pos + 1) {
            let Some(long) = text.get(j) else { continue };
            if !long.starts_with(short) {
                break;
            }
            if long.len() - short.len() <= 3 {
                if let Some(v) = out.get_mut(i) {
                    v.push(j as Key);
                }
                if let Some(v) = out.get_mut(j) {
                    v.push(i as Key);
                }
            }
        }
    }
    out
}

/// Whether sorted `xs` holds `x`.
fn has(xs: &[Key], x: Key) -> bool {
    xs.binary_search(&x).is_ok()
}

/// Pairs of statements (in different cards) about the same subject, in
/// order of the later statement.
#[cfg(test)]
pub fn same_subject<F: Fact>(deck: &Deck, stmts: &Statements<'_, F>) -> Vec<Pair> {
    let keys = Keys::new(deck, stmts);
    let mut pairs = Vec::new();
    for_each_group(deck, stmts, &keys, |later, earlier| {
        for &i in earlier {
            if let (Some(a), Some(b)) = (stmts.get(i), stmts.get(later)) {
                pairs.push(Pair {
                    earlier: i,
                    later,
                    shared: shared_words(stmts, &a, &b),
                });
            }
        }
    });
    pairs
}

/// Calls `visit(later, earlier)` for each statement that has earlier
/// statements (in other cards) about the same subject, in statement order,
/// with those earlier statements in order. Nothing is kept between calls,
/// so a deck with millions of matching pairs never holds them all.
fn for_each_group<F>(
    deck: &Deck,
    stmts: &Statements<'_, F>,
    keys: &Keys<'_>,
    mut visit: impl FnMut(usize, &[usize]),
) {
    let deck_cards = deck.cards.len().max(1) as f64;
    // A key in more than `MAX_POSTINGS` statements finds no candidates, so
    // its statements are not listed at all (those keys are most of the
    // postings; statements with only such keys were not even kept). The
    // statements by key, in order: statements
    // `postings[starts[k]..starts[k + 1]]` hold key `k`.
    let count = |k: usize| stmts.holding(k as Key) as usize;
    let listed = |k: usize| count(k) <= MAX_POSTINGS;
    let mut starts: Vec<usize> = vec![0; keys.text.len() + 1];
    for k in 0..keys.text.len() {
        let before = starts.get(k).copied().unwrap_or(0);
        let n = if listed(k) { count(k) } else { 0 };
        if let Some(c) = starts.get_mut(k + 1) {
            *c = before + n;
        }
    }
    let mut postings: Vec<u32> = vec![0; starts.last().copied().unwrap_or(0)];
    let mut fill = starts.clone();
    // Each statement's card and the bits of its qualifiers (see
    // [`bits`]), side by side, to drop most candidates (same card, other
    // years) before sorting them or reading their statements.
    let mut cards: Vec<usize> = Vec::new();
    let mut quals: Vec<u64> = Vec::new();
    // And the bits of its subject keys: two statements none of whose
    // subject keys share a bit share no subject word, and [`same_event`]
    // says no without merging their keys.
    let mut own: Vec<u64> = Vec::new();
    for (i, st) in stmts.iter().enumerate() {
        cards.push(st.card);
        quals.push(bits(st.qualifiers));
        own.push(bits(st.keys()));
        for k in st.all() {
            if !listed(k as usize) {
                continue;
            }
            if let Some(at) = fill.get_mut(k as usize) {
                if let Some(slot) = postings.get_mut(*at) {
                    *slot = i as u32;
                }
                *at += 1;
            }
        }
    }
    drop(fill);
    let index = |k: Key| -> &[u32] {
        let (Some(&a), Some(&b)) = (starts.get(k as usize), starts.get(k as usize + 1)) else {
            return &[];
        };
        postings.get(a..b).unwrap_or(&[])
    };
    let mut candidates: Vec<u32> = Vec::new();
    let mut matched: Vec<usize> = Vec::new();
    let mut scratch = Scratch::default();
    for (j, later) in stmts.iter().enumerate() {
        candidates.clear();
        let later_quals = quals.get(j).copied().unwrap_or(u64::MAX);
        let later_own = own.get(j).copied().unwrap_or(u64::MAX);
        // Only what can pass the checks below: in another card, with
        // qualifier bits that may be a subset or superset of the later's,
        // and with a subject key that may be one of the later's.
        let may_pair = |i: u32| {
            let i = i as usize;
            cards.get(i) != Some(&later.card)
                && quals
                    .get(i)
                    .is_none_or(|&q| may_be_qualified(q, later_quals))
                && own.get(i).is_none_or(|&o| o & later_own != 0)
        };
        for k in later.all() {
            let ids = index(k);
            if ids.len() <= MAX_POSTINGS {
                candidates.extend(
                    ids.iter()
                        .copied()
                        .take_while(|&i| (i as usize) < j)
                        .filter(|&i| may_pair(i)),
                );
            }
        }
        if candidates.is_empty() {
            continue;
        }
        candidates.sort_unstable();
        candidates.dedup();
        matched.clear();
        for &i in &candidates {
            // Candidates about other years that got past the bits: tell
            // that before reading the whole statement.
            let Some((card, qualifiers)) = stmts.peek(i as usize) else {
                continue;
            };
            if card == later.card || !qualified(qualifiers, later.qualifiers) {
                continue;
            }
            let Some(earlier) = stmts.get(i as usize) else {
                continue;
            };
            if same_event(&earlier, &later, keys, deck_cards, &mut scratch) {
                matched.push(i as usize);
            }
        }
        if !matched.is_empty() {
            visit(j, &matched);
        }
    }
}

/// Buffers [`same_event`] reuses from one pair to the next: keys, and
/// beside each, where it is (the `IN_*` bits).
#[derive(Default)]
struct Scratch {
    shared: Vec<Key>,
    shared_in: Vec<u8>,
    a_only: Vec<Key>,
    a_in: Vec<u8>,
    b_only: Vec<Key>,
    b_in: Vec<u8>,
}

/// Where a key of [`same_event`] is: in `a.all()`, in `a.keys()`, in
/// `b.all()`, in `b.keys()`.
const IN_A: u8 = 1;
const IN_A_KEYS: u8 = 2;
const IN_B: u8 = 4;
const IN_B_KEYS: u8 = 8;
/// For a word in another form (see [`roots`]) shared on one side: its
/// other form is in the other side's `all`, and in its `keys`.
const OTHER: u8 = 16;
const OTHER_KEYS: u8 = 32;
/// How much a word of the other side's question covers a subject word.
const CONTEXT: f64 = 0.5;

/// A list of numbers (a statement's qualifiers, or its subject keys),
/// each hashed to one of 64 bits: lists with a number in common have a
/// bit in common, and when one list holds the other, its bits hold the
/// other's bits.
fn bits(values: &[u32]) -> u64 {
    values.iter().fold(0, |m, &v| m | 1 << (v % 64))
}

/// Whether lists with qualifier bits `x` and `y` may be [`qualified`]: a
/// necessary condition (one set of bits holds the other).
fn may_be_qualified(x: u64, y: u64) -> bool {
    x & !y == 0 || y & !x == 0
}

/// Whether two statements' qualifiers allow one subject: the numbers in
/// the questions or years of the amounts of one are all among the
/// other's (the `100 m` and the `200 m` record, unemployment in 2023 and
/// in 1984 are different subjects).
pub(super) fn qualified(x: &[u32], y: &[u32]) -> bool {
    let within = |x: &[u32], y: &[u32]| x.iter().all(|q| y.contains(q));
    within(x, y) || within(y, x)
}

/// Whether earlier statement `a` and later statement `b` (in another card,
/// and [`qualified`]) are about the same event.
fn same_event<F>(
    a: &Statement<'_, F>,
    b: &Statement<'_, F>,
    keys: &Keys<'_>,
    deck_cards: f64,
    scratch: &mut Scratch,
) -> bool {
    let Scratch {
        shared,
        shared_in,
        a_only,
        a_in,
        b_only,
        b_in,
    } = scratch;
    let w = |k: Key| keys.weight.get(k as usize).copied().unwrap_or(1.0);
    let root = |k: Key| keys.roots.get(k as usize).map_or(&[][..], Vec::as_slice);
    // Both sides' keys in one pass, in order: those in both, and those
    // in one only.
    shared.clear();
    shared_in.clear();
    a_only.clear();
    a_in.clear();
    b_only.clear();
    b_in.clear();
    let bit = |yes: bool, b: u8| if yes { b } else { 0 };
    let (mut ia, mut ib) = (a.all(), b.all());
    let (mut x, mut y) = (ia.next_tagged(), ib.next_tagged());
    loop {
        match (x, y) {
            (Some((p, pk)), Some((q, qk))) if p == q => {
                shared.push(p);
                shared_in.push(IN_A | bit(pk, IN_A_KEYS) | IN_B | bit(qk, IN_B_KEYS));
                x = ia.next_tagged();
                y = ib.next_tagged();
            }
            (Some((p, pk)), Some((q, _))) if p < q => {
                a_only.push(p);
                a_in.push(IN_A | bit(pk, IN_A_KEYS));
                x = ia.next_tagged();
            }
            (_, Some((q, qk))) => {
                b_only.push(q);
                b_in.push(IN_B | bit(qk, IN_B_KEYS));
                y = ib.next_tagged();
            }
            (Some((p, pk)), None) => {
                a_only.push(p);
                a_in.push(IN_A | bit(pk, IN_A_KEYS));
                x = ia.next_tagged();
            }
            (None, None) => break,
        }
    }
    // At least two shared words besides a unit (`1/8 as a percentage` and
    // `2/5 as a percentage` share only `percentage` and `%`), one of them a
    // subject word of both sides (not only a word of a question).
    let own = |at: u8| at & (IN_A_KEYS | IN_B_KEYS) == IN_A_KEYS | IN_B_KEYS;
    let words = shared.iter().filter(|&&k| !has(a.units(), k)).count();
    if words < 2 || !shared_in.iter().any(|&at| own(at)) {
        return false;
    }
    // One shared word must be specific to a few cards: `created` and
    // `released` in every card of a deck about who made what say nothing.
    let specific = (deck_cards / 5.0).max(4.0);
    let floor = (1.0 + deck_cards / specific).ln();
    if !shared.iter().any(|&k| !has(a.units(), k) && w(k) >= floor) {
        return false;
    }
    // Parallel questions: the same question about two things, each
    // question having one word the other lacks (`the dose of paracetamol`
    // / `of ibuprofen`, `bradycardia` / `tachycardia`).
    let only = |x: &Statement<'_, F>, y: &Statement<'_, F>| {
        x.asked()
            .iter()
            .filter(|&&k| !y.asked().iter().any(|&o| o == k || root(k).contains(&o)))
            .count()
    };
    if only(a, b) == 1 && only(b, a) == 1 {
        return false;
    }
    // Words in another form count as shared for coverage (both forms).
    for (&x, &x_in) in a_only.iter().zip(a_in.iter()) {
        for &y in root(x) {
            if let Ok(iy) = b_only.binary_search(&y) {
                // Each form is shared on its own side, with where its
                // other form is on the other side.
                let y_in = b_in.get(iy).copied().unwrap_or(0);
                shared.push(x);
                shared_in.push(x_in | OTHER | bit(y_in & IN_B_KEYS != 0, OTHER_KEYS));
                shared.push(y);
                shared_in.push(y_in | OTHER | bit(x_in & IN_A_KEYS != 0, OTHER_KEYS));
            }
        }
    }
    // The share of one side's subject weight found in the other: the
    // smaller, more specific statement must be covered. Only a side's own
    // subject words are covered, by the other side's: its subject words,
    // or its question's, which can help (`it` in the answer, `Linux` in
    // the question) at [`CONTEXT`] weight, or in full when that side
    // refers to its subject by a pronoun. A side's own question never
    // covers it: two answers about different things in cards with
    // similar questions (`Context for Viktor Ansta's policy…`) share the
    // questions' words, not a subject.
    let cover = |s: &Statement<'_, F>,
                 keys_bit: u8,
                 other: &Statement<'_, F>,
                 other_keys: u8,
                 other_all: u8| {
        let context = if other.refers { 1.0 } else { CONTEXT };
        // A unit the other side does not state (`23 pairs` beside `46
        // chromosomes`) is another fact, not part of the subject.
        let total: f64 = s
            .keys()
            .iter()
            .filter(|&&k| !has(s.units(), k) || shared.contains(&k))
            .map(|&k| w(k))
            .sum();
        let found: f64 = shared
            .iter()
            .zip(shared_in.iter())
            .filter(|&(_, &at)| at & keys_bit != 0)
            .map(|(&k, &at)| {
                if at & (other_keys | OTHER_KEYS) != 0 {
                    w(k)
                } else if at & (other_all | OTHER) != 0 {
                    context * w(k)
                } else {
                    0.0
                }
            })
            .sum();
        if total > 0.0 {
            (found / total).min(1.0)
        } else {
            0.0
        }
    };
    if cover(a, IN_A_KEYS, b, IN_B_KEYS, IN_B).max(cover(b, IN_B_KEYS, a, IN_A_KEYS, IN_A)) < COVER
    {
        return false;
    }
    // A start word on one side only and an end word on the other only.
    let flag = |list: &[bool], k: Key| list.get(k as usize).copied().unwrap_or(false);
    let any = |xs: &[Key], list: &[bool]| xs.iter().any(|&k| flag(list, k));
    if (any(a_only, &keys.starts) && any(b_only, &keys.ends))
        || (any(a_only, &keys.ends) && any(b_only, &keys.starts))
    {
        return false;
    }
    // Each names someone or something the other does not (`the Treaty of
    // Nanking` / `the Treaty of Friendship`, `Germany invaded Poland` /
    // `Germany invaded the USSR`): two subjects. A name spelt two ways
    // (`Krushchev`/`Khrushchev`) is one name.
    // Only the sentences' own names count, not their questions' (see
    // [`Statement::capital`]); and a name is not spelt two ways when both
    // spellings are names of the sentence (`Anbel` and `Amsel`), nor when
    // both are common in the deck (`Tarsk` and `Marsk`).
    let unmatched = |x: &Statement<'_, F>, y: &Statement<'_, F>| {
        x.names().iter().any(|&n| {
            !(y.capital(n)
                || root(n).iter().any(|&m| y.capital(m))
                || y.capitals().any(|m| !x.capital(m) && keys.misspelt(n, m)))
        })
    };
    !(unmatched(a, b) && unmatched(b, a))
}

/// The subject words two statements share, as written (the first
/// statement's order first): enough of them to recognize the subject in a
/// message.
fn shared_words<F: Fact>(
    stmts: &Statements<'_, F>,
    a: &Statement<'_, F>,
    b: &Statement<'_, F>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut used: Vec<Key> = Vec::new();
    let (mut sa, mut sb) = (Vec::new(), Vec::new());
    stmts.surface(a, &mut sa);
    stmts.surface(b, &mut sb);
    for &(k, spelling) in sa.iter().chain(&sb) {
        if a.in_all(k) && b.in_all(k) && !used.contains(&k) {
            used.push(k);
            out.push(stmts.spelling(spelling).to_lowercase());
        }
    }
    out.truncate(6);
    out
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
fn disagreement<F: Fact>(a: &Statement<'_, F>, b: &Statement<'_, F>) -> Option<(usize, usize)> {
    for (jb, fb) in b.facts.iter().enumerate() {
        let same_kind: Vec<usize> = (0..a.facts.len())
            .filter(|&i| a.facts.get(i).is_some_and(|fa| fa.kind() == fb.kind()))
            .collect();
        // The earlier fact nearest to this one is the one it contradicts.
        let Some(first) = same_kind.iter().copied().min_by(|&x, &y| {
            let d = |i: usize| a.facts.get(i).map_or(f64::MAX, |f| f.distance(fb));
            d(x).total_cmp(&d(y))
        }) else {
            continue;
        };
        let kind_agrees = b.facts.iter().any(|g| {
            g.kind() == fb.kind()
                && same_kind
                    .iter()
                    .any(|&i| a.facts.get(i).is_some_and(|fa| fa.compatible(g)))
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
pub fn conflicts<F: Fact>(deck: &Deck, stmts: &Statements<'_, F>) -> Vec<Conflict> {
    let keys = Keys::new(deck, stmts);
    let mut out = Vec::new();
    for_each_group(deck, stmts, &keys, |j, group| {
        let Some(later) = stmts.get(j) else { return };
        let mut found = None;
        let mut agrees = false;
        for &i in group {
            let Some(earlier) = stmts.get(i) else {
                continue;
            };
            // Facts of different kinds (`50 Hz`, `230 V`) neither agree nor
            // disagree.
            let comparable = earlier
                .facts
                .iter()
                .any(|fa| later.facts.iter().any(|fb| fa.kind() == fb.kind()));
            if !comparable {
                continue;
            }
            match disagreement(&earlier, &later) {
                Some(ix) if found.is_none() => found = Some((i, ix)),
                Some(_) => {}
                None => agrees = true,
            }
        }
        let Some((i, (ia, ib))) = found else { return };
        if agrees {
            return;
        }
        let Some(earlier) = stmts.get(i) else { return };
        let (Some(fa), Some(fb)) = (earlier.facts.get(ia), later.facts.get(ib)) else {
            return;
        };
        out.push(Conflict {
            first: (
                stmts.span(&earlier, fa),
                stmts.fact_text(&earlier, fa).to_string(),
            ),
            then: (
                stmts.span(&later, fb),
                stmts.fact_text(&later, fb).to_string(),
            ),
            subject: shared_words(stmts, &earlier, &later).join(" "),
        });
    });
    out
}

#[cfg(test)]
mod tests {
    use super::{bits, may_be_qualified, qualified, roots};

    proptest::proptest! {
        /// Key lists with a key in common have key bits in common (so
        /// disjoint bits prove there is no shared subject key, the first
        /// thing `same_event` asks for).
        #[test]
        fn bits_never_hide_a_shared_key(
            x in proptest::collection::btree_set(0u32..5000, 0..20),
            y in proptest::collection::btree_set(0u32..5000, 0..20),
        ) {
            let (x, y): (Vec<u32>, Vec<u32>) = (x.into_iter().collect(), y.into_iter().collect());
            if x.iter().any(|k| y.contains(k)) {
                proptest::prop_assert!(bits(&x) & bits(&y) != 0);
            }
        }

        /// The bit prefilter never drops a qualified pair.
        #[test]
        fn bits_never_hide_a_qualified_pair(
            x in proptest::collection::btree_set(0u32..200, 0..5),
            y in proptest::collection::btree_set(0u32..200, 0..5),
            shared in proptest::collection::btree_set(0u32..200, 0..4),
        ) {
            let x: Vec<u32> = x.union(&shared).copied().collect();
            let y: Vec<u32> = y.union(&shared).copied().collect();
            for (a, b) in [(&x, &y), (&x, &shared.iter().copied().collect()), (&shared.iter().copied().collect(), &y)] {
                if qualified(a, b) {
                    proptest::prop_assert!(may_be_qualified(bits(a), bits(b)));
                }
            }
        }
    }

    #[test]
    fn roots_pair_forms_of_one_word_both_ways() {
        let text = [
            "german",
            "germany",
            "germanic",
            "nation",
            "national",
            "nationalism",
            "war",
            "wars",
        ];
        let r = roots(&text);
        assert_eq!(r[0], [2, 1], "germanic sorts before germany");
        assert_eq!(r[1], [0]);
        assert_eq!(r[3], [4]);
        assert_eq!(r[5], [4], "nationalism is national + 3, not nation + 5");
        assert!(
            r[6].is_empty() && r[7].is_empty(),
            "war is too short to have a root"
        );
    }
}
