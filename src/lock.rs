//! The lock file: each card's identity, content hash and modification time,
//! committed next to the notes so learners keep their review history.
//!
//! Anki matches imported notes by GUID only and updates a note only when the
//! incoming modification time is newer. The lock lets deckc
//! - keep a card's GUID when its question is edited a little (a typo fix),
//!   by matching it to the lock entry with the most similar question;
//! - give a newer modification time only to cards whose content changed, so
//!   an unchanged rebuild is byte-identical and re-importing changes nothing;
//! - report cards that disappeared (Anki never deletes them);
//! - fail under `--locked` when the lock would change.
//!
//! Format (`docs/identity.md`): a comment header, `version 1`, then one line
//! per card, sorted by GUID, tab-separated:
//! `GUID  CONTENT-HASH  MTIME  FOLDED-QUESTION`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::identity;
use crate::model::{Card, Deck};

const HEADER: &str = "# deckc lock file: the identity of every card, so that learners keep their\n\
# review history when the notes change. Commit it next to the notes; deckc\n\
# updates it on every build. Format: docs/identity.md\n";

/// One card's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub guid: String,
    /// First 16 hex digits of SHA-256 over the card's content.
    pub hash: String,
    pub mtime: i64,
    /// The question, folded as for identity (see [`identity::fold`]).
    pub question: String,
}

/// A parsed lock file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lock {
    /// Sorted by GUID.
    pub entries: Vec<Entry>,
}

/// A lock file that cannot be read: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl Lock {
    /// Parses lock text. Any malformed line is an error naming the line: a
    /// broken lock is never silently regenerated.
    pub fn parse(text: &str) -> Result<Lock, ParseError> {
        let mut entries = Vec::new();
        let mut saw_version = false;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim_end_matches('\r');
            if l.trim().is_empty() || l.starts_with('#') {
                continue;
            }
            if !saw_version {
                if l.trim() == "version 1" {
                    saw_version = true;
                    continue;
                }
                return Err(ParseError {
                    line,
                    message: format!("expected `version 1`, found `{l}`"),
                });
            }
            let mut fields = l.splitn(4, '\t');
            let (Some(guid), Some(hash), Some(mtime), Some(question)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                return Err(ParseError {
                    line,
                    message: "expected 4 tab-separated fields: GUID, hash, mtime, question".into(),
                });
            };
            let mtime = mtime.parse::<i64>().map_err(|_| ParseError {
                line,
                message: format!("modification time `{mtime}` is not a whole number"),
            })?;
            if guid.is_empty() || hash.len() != 16 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ParseError {
                    line,
                    message: "empty GUID or malformed content hash".into(),
                });
            }
            entries.push(Entry {
                guid: guid.to_string(),
                hash: hash.to_string(),
                mtime,
                question: question.to_string(),
            });
        }
        if !saw_version && !entries.is_empty() {
            return Err(ParseError {
                line: 1,
                message: "missing `version 1` line".into(),
            });
        }
        entries.sort_by(|a, b| a.guid.cmp(&b.guid));
        for pair in entries.windows(2) {
            if pair[0].guid == pair[1].guid {
                return Err(ParseError {
                    line: text
                        .lines()
                        .position(|l| l.starts_with(&format!("{}\t", pair[1].guid)))
                        .map_or(0, |p| p + 1),
                    message: format!("GUID `{}` appears twice", pair[1].guid),
                });
            }
        }
        Ok(Lock { entries })
    }

    /// The lock file's text.
    pub fn render(&self) -> String {
        let fields: usize = self
            .entries
            .iter()
            .map(|e| e.guid.len() + e.hash.len() + e.question.len() + 24)
            .sum();
        let mut out = String::with_capacity(HEADER.len() + 10 + fields);
        out.push_str(HEADER);
        out.push_str("version 1\n");
        for e in &self.entries {
            out.push_str(&e.guid);
            out.push('\t');
            out.push_str(&e.hash);
            out.push('\t');
            let _ = write!(out, "{}", e.mtime);
            out.push('\t');
            out.push_str(&e.question);
            out.push('\n');
        }
        out
    }
}

/// The content hash of a card: everything that reaches Anki, as two halves
/// of 8 hex digits each: SHA-256 of the question, then SHA-256 of the rest
/// (answer, tags, deck path). The second half alone tells whether the answer
/// is unchanged when the question was reworded (see [`same_answer`]).
pub fn content_hash(card: &Card, deck_name: &str) -> String {
    let question = Sha256::digest(card.question.as_bytes());
    // The bytes of `answer_text()`, the tags joined with spaces and
    // `deck_path()`, fed in pieces rather than built as strings first.
    let mut rest = Sha256::new();
    for (i, line) in card.answer.iter().enumerate() {
        if i > 0 {
            rest.update(b"\n");
        }
        rest.update(line.text.as_bytes());
    }
    rest.update([0x1f]);
    for (i, tag) in card.tags.iter().enumerate() {
        if i > 0 {
            rest.update(b" ");
        }
        rest.update(tag.as_bytes());
    }
    rest.update([0x1f]);
    rest.update(deck_name.as_bytes());
    if let Some(sub) = card.subdeck_name() {
        rest.update(b"::");
        rest.update(sub.as_bytes());
    }
    let rest = rest.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(16);
    for b in question[..4].iter().chain(&rest[..4]) {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// Whether two content hashes agree on everything but the question.
pub fn same_answer(a: &str, b: &str) -> bool {
    a.get(8..).is_some_and(|tail| Some(tail) == b.get(8..))
}

/// What changed between the old lock and the deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A card not in the lock.
    Added { guid: String, question: String },
    /// Same identity, different content.
    Changed { guid: String, question: String },
    /// The question was edited a little; the card keeps its GUID.
    Renamed {
        guid: String,
        from: String,
        to: String,
    },
    /// A lock entry with no card any more. Anki keeps the note.
    Removed { guid: String, question: String },
}

impl Change {
    pub fn describe(&self) -> String {
        match self {
            Change::Added { guid, question } => format!("added    {guid}  {question}"),
            Change::Changed { guid, question } => format!("changed  {guid}  {question}"),
            Change::Renamed { guid, from, to } => {
                format!("reworded {guid}  {from}  ->  {to}")
            }
            Change::Removed { guid, question } => format!("removed  {guid}  {question}"),
        }
    }
}

/// The outcome of matching a deck against its lock.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub lock: Lock,
    pub changes: Vec<Change>,
}

/// Similarity of two folded questions in `0.0..=1.0`: 1 − edit distance /
/// longer length, over characters.
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    1.0 - prev[b.len()] as f64 / longest as f64
}

/// A question edit keeps its GUID when the folded questions are at least
/// this similar (a typo, punctuation, a reworded word in a long question).
pub const RENAME_SIMILARITY: f64 = 0.8;
/// ...or at least this similar when the answer is unchanged too.
pub const RENAME_SIMILARITY_SAME_ANSWER: f64 = 0.6;

fn words(s: &str) -> BTreeSet<&str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .collect()
}

/// Matches the deck's cards (with GUIDs and mtimes already assigned by
/// [`identity::assign`]) against `old`, rewrites GUIDs of reworded cards and
/// the mtimes of unchanged ones, and returns the new lock. `now` is the
/// modification time for changed cards; it never goes below the lock's.
pub fn resolve(deck: &mut Deck, old: &Lock, now: i64) -> Resolution {
    let by_guid: rustc_hash::FxHashMap<&str, usize> = old
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.guid.as_str(), i))
        .collect();
    let mut used = vec![false; old.entries.len()];
    let mut matched: Vec<Option<usize>> = vec![None; deck.cards.len()];
    for (c, card) in deck.cards.iter().enumerate() {
        if let Some(&e) = by_guid.get(&*card.guid) {
            matched[c] = Some(e);
            used[e] = true;
        }
    }
    // Fuzzy pass: only cards without an explicit id, only lock entries left
    // over, only candidates sharing a word (so it stays near-linear).
    let mut index: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (e, entry) in old.entries.iter().enumerate() {
        if !used[e] {
            for w in words(&entry.question) {
                index.entry(w).or_default().push(e);
            }
        }
    }
    let mut candidates: Vec<(u64, usize, usize)> = Vec::new();
    for (c, card) in deck.cards.iter().enumerate() {
        if matched[c].is_some() || card.id.is_some() {
            continue;
        }
        let q = identity::fold(&card.question);
        let hash = content_hash(card, &deck.name);
        let mut seen = BTreeSet::new();
        for w in words(&q) {
            for &e in index
                .get(w)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .take(64)
            {
                if !seen.insert(e) {
                    continue;
                }
                let entry = &old.entries[e];
                let s = similarity(&q, &entry.question);
                let same_answer = same_answer(&entry.hash, &hash);
                if s >= RENAME_SIMILARITY || (same_answer && s >= RENAME_SIMILARITY_SAME_ANSWER) {
                    // Best first; ties broken by position for determinism.
                    let score = (s * 1_000_000.0) as u64 + u64::from(same_answer);
                    candidates.push((u64::MAX - score, c, e));
                }
            }
        }
    }
    candidates.sort();
    let mut changes = Vec::new();
    for (_, c, e) in candidates {
        if matched[c].is_some() || used[e] {
            continue;
        }
        matched[c] = Some(e);
        used[e] = true;
        let card = &mut deck.cards[c];
        changes.push(Change::Renamed {
            guid: old.entries[e].guid.clone(),
            from: old.entries[e].question.clone(),
            to: identity::fold(&card.question),
        });
        card.guid = old.entries[e].guid.as_str().into();
    }
    let mut entries = Vec::with_capacity(deck.cards.len());
    for (c, card) in deck.cards.iter_mut().enumerate() {
        let hash = content_hash(card, &deck.name);
        let question = identity::fold(&card.question);
        match matched[c].map(|e| &old.entries[e]) {
            Some(entry) if entry.hash == hash => card.mtime = entry.mtime,
            Some(entry) => {
                card.mtime = now.max(entry.mtime + 1);
                changes.push(Change::Changed {
                    guid: card.guid.to_string(),
                    question: question.clone(),
                });
            }
            None => {
                card.mtime = now;
                changes.push(Change::Added {
                    guid: card.guid.to_string(),
                    question: question.clone(),
                });
            }
        }
        entries.push(Entry {
            guid: card.guid.to_string(),
            hash,
            mtime: card.mtime,
            question,
        });
    }
    for (e, entry) in old.entries.iter().enumerate() {
        if !used[e] {
            changes.push(Change::Removed {
                guid: entry.guid.clone(),
                question: entry.question.clone(),
            });
        }
    }
    entries.sort_by(|a, b| a.guid.cmp(&b.guid));
    Resolution {
        lock: Lock { entries },
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AnswerLine;
    use crate::source::Span;

    fn deck(cards: &[(&str, &str)]) -> Deck {
        let mut d = Deck {
            name: "D".into(),
            cards: cards
                .iter()
                .map(|(q, a)| Card {
                    question: (*q).into(),
                    answer: vec![AnswerLine::new(*a, Span::default())],
                    ..Card::default()
                })
                .collect(),
            ..Deck::default()
        };
        identity::assign(&mut d, 100, 1);
        d
    }

    /// The hash is fed in pieces; it must stay the hash of the joined
    /// strings, or every existing lock would see every card as changed.
    #[test]
    fn content_hash_is_over_the_joined_answer_tags_and_deck_path() {
        let mut card = Card {
            question: "Q?".into(),
            answer: vec![
                AnswerLine::new("- one", Span::default()),
                AnswerLine::new("two", Span::default()),
            ],
            tags: vec!["a".into(), "b_c".into()],
            ..Card::default()
        };
        for subdeck in [None, Some(""), Some("Sub::Deeper")] {
            card.subdeck = subdeck.map(Box::from);
            let joined = format!(
                "{}\x1f{}\x1f{}",
                card.answer_text(),
                card.tags.join(" "),
                card.deck_path("D")
            );
            let q = Sha256::digest(b"Q?");
            let rest = Sha256::digest(joined.as_bytes());
            let expected: String = q[..4]
                .iter()
                .chain(&rest[..4])
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(content_hash(&card, "D"), expected);
        }
    }

    #[test]
    fn unchanged_rebuild_keeps_everything() {
        let mut d = deck(&[("What is X?", "x"), ("Who is Y?", "y")]);
        let first = resolve(&mut d, &Lock::default(), 100);
        assert_eq!(first.changes.len(), 2);
        let text = first.lock.render();
        let lock = Lock::parse(&text).unwrap();
        let mut again = deck(&[("Who is Y?", "y"), ("What is X?", "x")]);
        let second = resolve(&mut again, &lock, 200);
        assert!(second.changes.is_empty(), "{:?}", second.changes);
        assert_eq!(second.lock.render(), text);
        assert!(again.cards.iter().all(|c| c.mtime == 100));
    }

    #[test]
    fn typo_fix_keeps_guid_and_bumps_mtime() {
        let mut d = deck(&[("When did Krushchev speak?", "1956"), ("Other?", "o")]);
        let lock = resolve(&mut d, &Lock::default(), 100).lock;
        let old_guid = d.cards[0].guid.clone();
        let mut e = deck(&[("When did Khrushchev speak?", "1956"), ("Other?", "o")]);
        let r = resolve(&mut e, &lock, 200);
        assert_eq!(e.cards[0].guid, old_guid);
        assert_eq!(e.cards[0].mtime, 200);
        assert_eq!(e.cards[1].mtime, 100);
        assert!(matches!(r.changes[0], Change::Renamed { .. }));
    }

    #[test]
    fn answer_change_bumps_only_that_card_never_backwards() {
        let mut d = deck(&[("Q1?", "a"), ("Q2?", "b")]);
        let lock = resolve(&mut d, &Lock::default(), 500).lock;
        let mut e = deck(&[("Q1?", "a"), ("Q2?", "changed")]);
        let r = resolve(&mut e, &lock, 300);
        assert_eq!(e.cards[0].mtime, 500);
        assert_eq!(e.cards[1].mtime, 501);
        assert_eq!(r.changes.len(), 1);
    }

    #[test]
    fn a_rewrite_with_the_same_answer_keeps_its_guid() {
        let (before, after) = (
            "Who led the USSR in 1950?",
            "Who was leading the USSR in 1950?",
        );
        let s = similarity(&identity::fold(before), &identity::fold(after));
        assert!(
            (RENAME_SIMILARITY_SAME_ANSWER..RENAME_SIMILARITY).contains(&s),
            "{s}"
        );
        let mut d = deck(&[(before, "Stalin")]);
        let lock = resolve(&mut d, &Lock::default(), 100).lock;
        let guid = d.cards[0].guid.clone();
        let mut same = deck(&[(after, "Stalin")]);
        resolve(&mut same, &lock, 200);
        assert_eq!(same.cards[0].guid, guid, "same answer: same card");
        let mut other = deck(&[(after, "Mao")]);
        let r = resolve(&mut other, &lock, 200);
        assert_ne!(other.cards[0].guid, guid, "new answer too: a new card");
        assert!(matches!(
            r.changes[..],
            [Change::Added { .. }, Change::Removed { .. }]
        ));
    }

    #[test]
    fn removed_cards_are_reported() {
        let mut d = deck(&[("Q1?", "a"), ("Completely different?", "b")]);
        let lock = resolve(&mut d, &Lock::default(), 1).lock;
        let mut e = deck(&[("Q1?", "a")]);
        let r = resolve(&mut e, &lock, 2);
        assert!(matches!(&r.changes[..], [Change::Removed { .. }]));
        assert_eq!(r.lock.entries.len(), 1);
    }

    #[test]
    fn bad_lock_names_the_line() {
        let err = Lock::parse("version 1\nabc\tnothex\t1\tq\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = Lock::parse("version 1\nabc\t0123456789abcdef\tsoon\tq\n").unwrap_err();
        assert!(err.message.contains("soon"));
        assert_eq!(Lock::parse("").unwrap(), Lock::default());
    }
}
