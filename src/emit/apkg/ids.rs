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

/// Gives out ids from [`bounded_id`], stepping down past any already taken
/// so that every note (and every card) has a unique id. Deterministic as
/// long as the labels come in the same order.
#[derive(Debug, Default)]
pub struct IdAllocator {
    /// Only asked whether it holds an id, never walked: a hash set (a
    /// B-tree of a million random ids was 3 % of a 1M-card build, mostly
    /// cache misses).
    taken: rustc_hash::FxHashSet<i64>,
}

impl IdAllocator {
    pub fn next(&mut self, label: &str, ceiling_ms: i64) -> i64 {
        let mut id = bounded_id(label, ceiling_ms);
        while self.taken.contains(&id) {
            id = if id > 1 { id - 1 } else { FLOOR + SPAN as i64 };
        }
        self.taken.insert(id);
        id
    }
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
        let got: Vec<i64> = (0..50).map(|_| ids.next("same", 40)).collect();
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
