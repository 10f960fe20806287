//! Subject words: tokenizing card text into lowercased, lightly stemmed
//! content words, so that "Border disputes heightened" and "When did the
//! border disputes heighten?" share the keys `border`, `disput`, `heighten`.
//!
//! The stemmer is deliberately crude (a handful of English suffixes): keys
//! are only compared with each other, never shown to the user.

use std::cell::RefCell;
use std::collections::HashMap;

/// One word of a text: its byte range and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// Maximal runs of alphanumeric characters. Apostrophes and hyphens split
/// words (`Stalin’s` → `Stalin`, `s`; `Sino-Soviet` → `Sino`, `Soviet`).
#[cfg(test)]
pub fn words(text: &str) -> Vec<Word<'_>> {
    iter(text).collect()
}

/// [`words`] without collecting them.
pub fn iter(text: &str) -> impl Iterator<Item = Word<'_>> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        // `at` ends past the word's first character.
        let start = loop {
            match CLASS.get(usize::from(*bytes.get(at)?)) {
                Some(&ALNUM) => {
                    at += 1;
                    break at - 1;
                }
                Some(&OTHER) => at += 1,
                _ => {
                    let (alnum, len) = char_at(text, at)?;
                    at += len;
                    if alnum {
                        break at - len;
                    }
                }
            }
        };
        // Eight bytes at a time while they are ASCII letters and digits;
        // a byte at a time near the end and from a wide character on.
        let bytewise = loop {
            let Some(chunk) = bytes.get(at..at + 8) else {
                break true;
            };
            let mut v = [0u8; 8];
            v.copy_from_slice(chunk);
            let run = alnum_run(u64::from_le_bytes(v));
            at += run;
            if run < 8 {
                // Past the run: another ASCII character ends the word.
                break bytes.get(at).is_some_and(|&b| b >= 0x80);
            }
        };
        while let Some(&b) = bytes.get(at).filter(|_| bytewise) {
            match CLASS.get(usize::from(b)) {
                Some(&ALNUM) => at += 1,
                Some(&OTHER) => break,
                _ => match char_at(text, at) {
                    Some((true, len)) => at += len,
                    _ => break,
                },
            }
        }
        Some(Word {
            start,
            end: at,
            text: text.get(start..at).unwrap_or(""),
        })
    })
}

/// How many of the eight bytes of `v` (little-endian: the first in the
/// low byte), from the first, are ASCII letters or digits.
fn alnum_run(v: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte's high bit set when it is at least `lo`, or more than
    // `hi`; seven-bit bytes, so no byte carries into the next.
    let low = v & !HIGH;
    let at_least = |x: u64, lo: u64| (x + (0x80 - lo) * ONES) & HIGH;
    let above = |x: u64, hi: u64| (x + (0x7f - hi) * ONES) & HIGH;
    let digit = at_least(low, 0x30) & !above(low, 0x39);
    let folded = low | (0x20 * ONES);
    let letter = at_least(folded, 0x61) & !above(folded, 0x7a);
    let alnum = (digit | letter) & !v & HIGH;
    ((!alnum & HIGH).trailing_zeros() / 8) as usize
}

/// What a byte is to [`iter`]: an ASCII letter or digit, another ASCII
/// character, or part of a character that must be decoded.
const ALNUM: u8 = 1;
const OTHER: u8 = 0;
const WIDE: u8 = 2;
static CLASS: [u8; 256] = {
    let mut t = [WIDE; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = if (b as u8).is_ascii_alphanumeric() {
            ALNUM
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// Whether the character at byte `at` of `text` is alphanumeric, and its
/// length; ASCII without decoding.
fn char_at(text: &str, at: usize) -> Option<(bool, usize)> {
    let b = *text.as_bytes().get(at)?;
    if b.is_ascii() {
        return Some((b.is_ascii_alphanumeric(), 1));
    }
    let c = text.get(at..)?.chars().next()?;
    Some((c.is_alphanumeric(), c.len_utf8()))
}

/// The subject key of a word, or `None` for words that say nothing about
/// the subject: stopwords, one- and two-letter words (but for two-capital
/// acronyms, `UK`), numbers (the facts
/// themselves: `300million`, `1950`) except ordinals (`20th`). A name that
/// starts with a letter and contains digits (`IPv4`, `CO2`, `Apollo11`) is
/// a subject word, and a telling one: `IPv4` and `IPv6` are two subjects.
pub fn key(word: &str) -> Option<String> {
    // A deck repeats its words many times over: remember each word's key
    // (per thread, bounded), so it is worked out once.
    thread_local! {
        static KEYS: RefCell<HashMap<String, Option<String>>> = RefCell::new(HashMap::new());
    }
    KEYS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(k) = cache.get(word) {
            return k.clone();
        }
        let k = compute_key(word);
        if cache.len() >= 1 << 20 {
            cache.clear();
        }
        cache.insert(word.to_string(), k.clone());
        k
    })
}

/// [`key`], worked out (not remembered).
pub fn compute_key(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    let ordinal = ["st", "nd", "rd", "th"].iter().any(|s| {
        lower
            .strip_suffix(s)
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
    });
    let identifier = lower.chars().next().is_some_and(char::is_alphabetic);
    // Two capitals are an acronym that names a subject (`UK`, `EU`).
    let acronym = word.chars().count() == 2 && word.chars().all(char::is_uppercase);
    if (lower.chars().count() < 3 && !acronym)
        || (lower.chars().any(|c| c.is_ascii_digit()) && !ordinal && !identifier)
        || STOPWORDS.binary_search(&lower.as_str()).is_ok()
        || HEDGES.binary_search(&lower.as_str()).is_ok()
    {
        return None;
    }
    Some(stem(&lower))
}

/// Strips a few inflectional suffixes so that singular/plural and verb
/// forms meet: `disputes`/`dispute` → `disput`, `heightened` → `heighten`,
/// `policies` → `policy`, `died`/`dies` → `di`.
pub fn stem(word: &str) -> String {
    let mut w = word.to_string();
    let len = |s: &str| s.chars().count();
    if let Some(base) = w.strip_suffix("ies").or_else(|| w.strip_suffix("ied")) {
        if len(base) >= 3 {
            w = format!("{base}y");
        } else {
            w = format!("{base}ie");
        }
    } else if let Some(base) = w.strip_suffix("ing").filter(|b| len(b) >= 3) {
        w = undouble(base);
    } else if let Some(base) = w.strip_suffix("ed").filter(|b| len(b) >= 3) {
        w = undouble(base);
    } else if let Some(base) = w
        .strip_suffix("es")
        .filter(|b| len(b) >= 3 && ["s", "x", "z", "ch", "sh"].iter().any(|e| b.ends_with(e)))
    {
        w = base.to_string();
    } else if let Some(base) = w
        .strip_suffix('s')
        .filter(|b| len(b) >= 3 && !b.ends_with(['s', 'u', 'i']))
    {
        w = base.to_string();
    }
    if let Some(base) = w.strip_suffix('e').filter(|b| len(b) >= 2) {
        w = base.to_string();
    }
    w
}

/// `stopp` → `stop`, but `call` and `pass` keep their doubled letter.
fn undouble(base: &str) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    if let [.., a, b] = chars.as_slice() {
        if a == b && !matches!(a, 'l' | 's' | 'z' | 'e' | 'o') && !a.is_ascii_digit() {
            chars.pop();
        }
    }
    chars.into_iter().collect()
}

/// Words that never identify a subject. Kept short on purpose: rarity
/// across the deck (see `Subjects`) does the rest of the weighting.
/// Sorted, for binary search.
const STOPWORDS: &[&str] = &[
    "about", "after", "again", "all", "also", "and", "any", "are", "around", "because", "been",
    "before", "being", "between", "both", "but", "can", "could", "did", "does", "doing", "done",
    "during", "each", "etc", "even", "for", "from", "had", "has", "have", "her", "hers", "him",
    "his", "how", "inc", "into", "its", "many", "may", "might", "more", "most", "much", "must",
    "not", "now", "off", "once", "one", "only", "other", "our", "out", "over", "per", "same",
    "she", "should", "since", "some", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "through", "till", "too", "two", "under", "until",
    "upon", "very", "was", "were", "what", "when", "where", "whether", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "would", "year", "years", "yet", "you", "your",
];

/// Words that hedge or attribute a statement (`by some accounts`,
/// `according to`, `reportedly`): they say who claims a fact, not what it
/// is about. Being rare, they would otherwise weigh most in the subject of
/// the very sentence that gives a disputed date, and keep it from being
/// matched with the sentence it disputes. Sorted, for binary search.
const HEDGES: &[&str] = &[
    "according",
    "account",
    "accounts",
    "allegedly",
    "apparently",
    "arguably",
    "perhaps",
    "possibly",
    "probably",
    "reportedly",
    "supposedly",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        words(text).iter().filter_map(|w| key(w.text)).collect()
    }

    /// Words as [`iter`] finds them, a character at a time.
    fn reference(text: &str) -> Vec<Word<'_>> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push(Word {
                        start: s,
                        end: i,
                        text: &text[s..i],
                    });
                    start = None;
                }
                _ => {}
            }
        }
        out
    }

    /// [`iter`] as it was before [`alnum_run`]: a byte at a time.
    fn bytewise(text: &str) -> Vec<Word<'_>> {
        let bytes = text.as_bytes();
        let mut at = 0;
        std::iter::from_fn(move || {
            let start = loop {
                match CLASS.get(usize::from(*bytes.get(at)?)) {
                    Some(&ALNUM) => {
                        at += 1;
                        break at - 1;
                    }
                    Some(&OTHER) => at += 1,
                    _ => {
                        let (alnum, len) = char_at(text, at)?;
                        at += len;
                        if alnum {
                            break at - len;
                        }
                    }
                }
            };
            while let Some(&b) = bytes.get(at) {
                match CLASS.get(usize::from(b)) {
                    Some(&ALNUM) => at += 1,
                    Some(&OTHER) => break,
                    _ => match char_at(text, at) {
                        Some((true, len)) => at += len,
                        _ => break,
                    },
                }
            }
            Some(Word {
                start,
                end: at,
                text: text.get(start..at).unwrap_or(""),
            })
        })
        .collect()
    }

    /// [`alnum_run`] a byte at a time.
    fn alnum_run_bytewise(v: u64) -> usize {
        v.to_le_bytes()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count()
    }

    #[test]
    fn alnum_run_classifies_every_byte_at_every_place() {
        for b in 0..=255u8 {
            for place in 0..8 {
                for fill in [b'a', b'Z', b'0', b'9', b'z', b'A', b' ', 0xff] {
                    let mut v = [fill; 8];
                    v[place] = b;
                    let v = u64::from_le_bytes(v);
                    assert_eq!(alnum_run(v), alnum_run_bytewise(v), "{b:#x} at {place}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn alnum_run_is_the_bytewise_run(v in proptest::prelude::any::<u64>()) {
            proptest::prop_assert_eq!(alnum_run(v), alnum_run_bytewise(v));
        }

        #[test]
        fn iter_finds_the_words_bytewise(
            text in "([a-zA-Z0-9]{0,20}|[ /:@\\[`{\x7f.'-]|é|日本|٣){0,12}"
        ) {
            proptest::prop_assert_eq!(words(&text), bytewise(&text));
        }

        #[test]
        fn iter_finds_the_words_a_char_at_a_time(
            text in "([a-zA-Z0-9]{1,4}|[ .,;'’-]|é|İ|日本|\u{2028}|٣|Ⅻ)*"
        ) {
            proptest::prop_assert_eq!(words(&text), reference(&text));
        }

        #[test]
        fn iter_finds_the_words_in_any_text(text in "\\PC{0,40}") {
            proptest::prop_assert_eq!(words(&text), reference(&text));
        }
    }

    #[test]
    fn stopwords_are_sorted() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(HEDGES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn verb_and_plural_forms_meet() {
        assert_eq!(
            keys("Border disputes heightened"),
            keys("the border dispute heightens")
        );
        assert_eq!(stem("heighten"), stem("heightened"));
        assert_eq!(stem("policies"), stem("policy"));
        assert_eq!(stem("died"), stem("dies"));
        assert_eq!(stem("stopped"), stem("stop"));
        assert_eq!(stem("crosses"), stem("cross"));
    }

    #[test]
    fn words_split_on_apostrophes_and_hyphens() {
        let w: Vec<_> = words("Stalin’s Sino-Soviet 1950s")
            .iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(w, ["Stalin", "s", "Sino", "Soviet", "1950s"]);
        assert_eq!(
            keys("When did the 1950 of $300million"),
            Vec::<String>::new()
        );
        assert_eq!(keys("20th"), ["20th"]);
        assert_eq!(keys("IPv4 and CO2"), ["ipv4", "co2"]);
    }
}
