//! Stable ids and the derived note columns (`sfld`, `csum`) of the package.
//!
//! Anki ids are millisecond timestamps. Ours are documented hashes placed in
//! a past timestamp range, so they are the same on every build, never lie in
//! the future, and never depend on the wall clock:
//!
//! ```text
//! stable_id(label) = 1_000_000_000_000 + (first 8 bytes of SHA-256("deckc-id-v1\0" + label)) mod 500_000_000_000
//! ```
//!
//! That range is September 2001 – June 2017. Deck ids hash `deck\0NAME`, the
//! note type hashes its name and version, notes and cards hash their GUID.

use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Lowest id handed out: 2001-09-09 in milliseconds.
const FLOOR: i64 = 1_000_000_000_000;
/// Width of the id range (about 16 years of milliseconds).
const SPAN: u64 = 500_000_000_000;

/// The first 8 bytes of SHA-256 over a domain tag and `label`.
fn hash64(label: &str) -> u64 {
    let mut h = Sha256::new();
    h.update(b"deckc-id-v1\0");
    h.update(label.as_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(bytes)
}

/// A stable id for `label` in the past millisecond range.
pub fn stable_id(label: &str) -> i64 {
    FLOOR + (hash64(label) % SPAN) as i64
}

/// A stable id for `label` that is also at most `ceiling_ms` (a note's
/// modification time in milliseconds), so that nothing looks created after
/// it was last modified, even for decks dated before 2017.
pub fn bounded_id(label: &str, ceiling_ms: i64) -> i64 {
    let id = stable_id(label);
    if id <= ceiling_ms {
        return id;
    }
    let room = ceiling_ms.max(2) as u64 - 1;
    1 + (hash64(label) % room) as i64
}

/// The id tried after `id` when `id` is taken: the one below, or from the
/// top of the range again below 1.
fn step(id: i64) -> i64 {
    if id > 1 {
        id - 1
    } else {
        FLOOR + SPAN as i64
    }
}

/// Gives out ids, stepping down past any already taken so that every note
/// (and every card) has a unique id. Deterministic as long as the ids come
/// in the same order. [`settle`] gives the same ids for a whole table at
/// once; this is its definition.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct IdAllocator {
    taken: std::collections::HashSet<i64>,
}

#[cfg(test)]
impl IdAllocator {
    /// The id given to the next note whose own id is `id` (its
    /// [`bounded_id`]).
    pub fn next(&mut self, mut id: i64) -> i64 {
        while self.taken.contains(&id) {
            id = step(id);
        }
        self.taken.insert(id);
        id
    }
}

/// Makes the ids of `rows` unique: each row gets the id `IdAllocator`
/// gives it when handed the rows' ids in the order of `order` (distinct
/// per row). `rows` is sorted by (id, order) and keeps its order; returns
/// whether any id changed (then it needs sorting again).
///
/// A table's ids are hashes, so they rarely repeat (about once in a
/// million-card deck, more under an early modification time): the sorted
/// rows show every repeat next to its twin, and only the rows a repeat
/// pushes aside are stepped, in order, with no set of every id taken (a
/// hash set of a million ids was some 40 MB at the peak of a build).
pub fn settle<T>(
    rows: &mut [T],
    id: impl Fn(&T) -> i64,
    order: impl Fn(&T) -> u64,
    set: impl Fn(&mut T, i64),
) -> bool {
    use std::cmp::Reverse;
    use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
    let key = |i: usize| rows.get(i).map_or((0, 0), |r| (id(r), order(r)));
    // Rows whose id another row may have taken first, by order.
    let mut pending = BinaryHeap::new();
    let mut i = 0;
    while i < rows.len() {
        let (v, _) = key(i);
        let run = rows
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|r| id(r) == v)
            .count();
        if run > 1 {
            pending.extend((i..i + run).map(|j| Reverse((key(j).1, j))));
        }
        i += run.max(1);
    }
    if pending.is_empty() {
        return false;
    }
    // The rows with own id `v`.
    let with = |v: i64| {
        let from = rows.partition_point(|r| id(r) < v);
        let to = rows.partition_point(|r| id(r) <= v);
        from..to
    };
    // Rows given another id than their own, and the ids they were given.
    let mut moved: BTreeMap<usize, i64> = BTreeMap::new();
    let mut landed: BTreeSet<i64> = BTreeSet::new();
    let mut done: BTreeSet<usize> = BTreeSet::new();
    while let Some(Reverse((at, i))) = pending.pop() {
        if !done.insert(i) {
            continue;
        }
        // Taken when this row's turn comes: by a row that moved there, or
        // by a row before it that kept its own id there.
        let taken = |v: i64| {
            landed.contains(&v) || with(v).any(|j| key(j).1 < at && !moved.contains_key(&j))
        };
        let own = key(i).0;
        let mut v = own;
        while taken(v) {
            v = step(v);
        }
        if v != own {
            moved.insert(i, v);
            landed.insert(v);
            // A later row whose own id this is must now step too.
            pending.extend(
                with(v)
                    .filter(|&j| key(j).1 > at)
                    .map(|j| Reverse((key(j).1, j))),
            );
        }
    }
    for (i, v) in moved {
        if let Some(r) = rows.get_mut(i) {
            set(r, v);
        }
    }
    true
}

/// Field text with HTML removed, as Anki computes it for `sfld` and `csum`
/// (`strip_html_preserving_media_filenames`): images become their file
/// name, other tags vanish, entities are decoded.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        let tag = &after[..end];
        if let Some(src) = crate::media::img_src(tag) {
            out.push(' ');
            out.push_str(&src);
            out.push(' ');
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    decode_entities(&out)
}

/// Decodes the HTML entities deckc itself writes plus numeric ones and
/// `&nbsp;`/`&apos;`. Unknown entities are kept as written.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let decoded = after.find(';').filter(|&e| e <= 10).and_then(|semi| {
            let name = &after[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Anki's first-field checksum: the first 4 bytes (big-endian) of the SHA-1
/// of the field with HTML stripped.
pub fn field_checksum(first_field_html: &str) -> i64 {
    checksum_of_stripped(&strip_html(first_field_html))
}

/// [`field_checksum`] of a field whose HTML is already stripped.
pub fn checksum_of_stripped(stripped: &str) -> i64 {
    let digest = Sha1::digest(stripped.as_bytes());
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(&digest[..4]);
    i64::from(u32::from_be_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids [`settle`] gives `own` (rows' own ids, in the order they
    /// are given out), in that order.
    fn settled(own: &[i64]) -> Vec<i64> {
        let mut rows: Vec<(i64, u64)> = own.iter().zip(0..).map(|(&v, k)| (v, k)).collect();
        rows.sort_unstable();
        settle(&mut rows, |r| r.0, |r| r.1, |r, v| r.0 = v);
        rows.sort_unstable_by_key(|r| r.1);
        rows.into_iter().map(|r| r.0).collect()
    }

    #[test]
    fn settling_steps_repeats_down_in_order() {
        assert_eq!(settled(&[5, 9, 5, 4, 5]), [5, 9, 4, 3, 2]);
        assert_eq!(settled(&[7, 6, 7]), [7, 6, 5]);
        assert_eq!(settled(&[6, 7, 7]), [6, 7, 5]);
        // Below 1, from the top of the range again.
        assert_eq!(settled(&[1, 1]), [1, FLOOR + SPAN as i64]);
        assert_eq!(settled(&[3, 1, 2]), [3, 1, 2]);
    }

    proptest::proptest! {
        /// Settling a table gives every row the id the allocator gives it,
        /// one by one in order, however the ids repeat and crowd together.
        #[test]
        fn settling_gives_the_allocators_ids(
            own in proptest::collection::vec(1i64..12, 0..40),
        ) {
            let mut allocator = IdAllocator::default();
            let want: Vec<i64> = own.iter().map(|&v| allocator.next(v)).collect();
            proptest::prop_assert_eq!(settled(&own), want);
        }
    }

    #[test]
    fn ids_are_stable_and_in_the_past() {
        let a = stable_id("deck\0Sino-Soviet Relations");
        assert_eq!(a, stable_id("deck\0Sino-Soviet Relations"));
        assert_ne!(a, stable_id("deck\0Other"));
        assert!((FLOOR..FLOOR + SPAN as i64).contains(&a));
    }

    #[test]
    fn bounded_ids_stay_below_the_ceiling() {
        for label in ["a", "b", "c", "d"] {
            let id = bounded_id(label, 5_000);
            assert!((1..=5_000).contains(&id), "{id}");
        }
        assert_eq!(bounded_id("a", i64::MAX), stable_id("a"));
    }

    #[test]
    fn allocator_never_repeats() {
        let mut ids = IdAllocator::default();
        let got: Vec<i64> = (0..50).map(|_| ids.next(bounded_id("same", 40))).collect();
        let mut sorted = got.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), got.len());
    }

    #[test]
    fn strip_html_matches_anki() {
        assert_eq!(
            strip_html("a &lt;b&gt;<br>c &amp; &quot;d&quot;"),
            "a <b>c & \"d\""
        );
        assert_eq!(
            strip_html("x<img src=\"cat.png\">y"),
            "x cat.png y".to_string()
        );
        assert_eq!(decode_entities("&#233;&#x41;&bogus; &"), "éA&bogus; &");
    }

    #[test]
    fn checksum_is_first_four_sha1_bytes() {
        // sha1("hello") = aaf4c61d...
        assert_eq!(field_checksum("<b>hello</b>"), 0xaaf4c61d);
    }
}
