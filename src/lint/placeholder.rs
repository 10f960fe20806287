//! `placeholder`: text left in as a placeholder (FILLER, TODO, TBD, XXX,
//! `???`, `...` as a whole answer, lorem ipsum, `[insert …]`).

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};
use crate::source::{SourceFile, Span};

pub struct Placeholder;

impl Rule for Placeholder {
    fn code(&self) -> &'static str {
        "placeholder"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "placeholder text such as TODO, FILLER or ???"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for card in &cx.deck.cards {
            let fields = std::iter::once((&*card.question, card.question_span, false))
                .chain(card.answer.iter().map(|l| (l.content(), l.span, true)));
            for (text, span, is_answer) in fields {
                let Some((start, end)) = find(text, is_answer) else {
                    continue;
                };
                let found = text.get(start..end).unwrap_or(text);
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.default_level(),
                        locate(cx.source, text, span, start, end),
                        format!("placeholder `{found}` left in the card"),
                    )
                    .with_label("placeholder")
                    .with_help("write the real text, or delete the card until it is ready"),
                );
            }
        }
    }
}

/// The span of `text[start..end]`, when `text` is found verbatim at the end
/// of `span` (an answer's content follows its marker); else all of `span`.
fn locate(src: &SourceFile, text: &str, span: Span, start: usize, end: usize) -> Span {
    let written = src.text.get(span.start..span.end).unwrap_or_default();
    match written.strip_suffix(text) {
        Some(prefix) => Span::new(
            span.start + prefix.len() + start,
            span.start + prefix.len() + end,
        ),
        None => span,
    }
}

/// Words that are placeholders in any case, and those only in capitals
/// (`filler` and `xxx` can be ordinary words in lower case).
const ANY_CASE: [&str; 4] = ["todo", "tbd", "fixme", "tbc"];
const CAPITALS: [&str; 2] = ["FILLER", "XXX"];

/// The byte range of the first placeholder in `text`.
fn find(text: &str, is_answer: bool) -> Option<(usize, usize)> {
    let trimmed = text.trim();
    // `...`, `…` or `?` as the whole answer: nothing was written yet.
    if is_answer && !trimmed.is_empty() && trimmed.chars().all(|c| matches!(c, '.' | '…' | '?')) {
        let start = text.len() - text.trim_start().len();
        return Some((start, start + trimmed.len()));
    }
    if !may_hold_placeholder(text.as_bytes()) {
        return None;
    }
    find_in(text, is_answer)
}

/// Where `needle` (lowercase ASCII) first starts in `text`, ASCII case
/// ignored: a byte offset in `text`, on a character boundary (the needle
/// starts with an ASCII byte).
fn find_ignoring_ascii_case(text: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// [`find`] past the whole-answer test, on a text that may hold a
/// placeholder.
fn find_in(text: &str, is_answer: bool) -> Option<(usize, usize)> {
    // Searched in `text` itself, ASCII case ignored: no character outside
    // ASCII lowercases to these needles (`İ` becomes `i` and a combining
    // dot), and offsets found in a lowercased copy need not line up with
    // `text` even when the lengths agree (`K`, the Kelvin sign, is three
    // bytes and lowercases to one; `İ` is two and lowercases to three).
    for needle in ["lorem ipsum", "[insert"] {
        if let Some(i) = find_ignoring_ascii_case(text, needle) {
            let end = if needle == "[insert" {
                text[i..].find(']').map_or(i + needle.len(), |j| i + j + 1)
            } else {
                i + needle.len()
            };
            return Some((i, end));
        }
    }
    if let Some(i) = text.find("???") {
        let run = text[i..].chars().take_while(|&c| c == '?').count();
        return Some((i, i + run));
    }
    let lead = text.len() - text.trim_start().len();
    let last_word_end = words(text).last().map(|(_, e)| e);
    words(text).find(|&(s, e)| {
        let w = &text[s..e];
        // In a question, `TODO` in the middle is usually what is asked about
        // ("What does TODO mean in a code comment?"); at the start or the end
        // ("When is it TODO?") it is a placeholder.
        let any_case_here = is_answer || s == lead || Some(e) == last_word_end;
        (any_case_here && ANY_CASE.iter().any(|p| w.eq_ignore_ascii_case(p)))
            || CAPITALS.contains(&w)
            || (w.len() > 3 && w.chars().all(|c| c == 'X'))
    })
}

/// Whether `text` may hold one of the placeholders below: a necessary
/// condition, checked without allocating, so that [`find`] does its work
/// only on the few lines that pass. [`has_placeholder_pair`] first throws
/// out nearly every line, then [`scan`] looks closer at the few left.
fn may_hold_placeholder(bytes: &[u8]) -> bool {
    has_placeholder_pair(bytes) && scan(bytes)
}

/// Whether `bytes` holds one of the byte pairs that every placeholder
/// [`scan`] lets through holds: `tb` (`tbd`, `tbc`), `od` (`todo`), `xm`
/// (`fixme`), `ps` (`lorem ipsum`), `[i` (`[insert`), `??` (`???`), `xx`
/// (`XXX`) in any ASCII case, and `LL` (`FILLER`). `b | 0x20` takes an
/// ASCII letter to lower case; it takes `[` to `{`, leaves `?` as it is,
/// and takes no other byte to any of those (only control bytes, and `{`
/// to itself), so it lets through a few lines too many, never one too few.
///
/// The pairs are rare in ordinary text (about one line in 200 of the
/// benchmark corpus holds one), and the test has no branch per byte: it
/// is done 16 pairs at a time over blocks of 17 bytes that overlap by one,
/// which the compiler turns into vector compares.
fn has_placeholder_pair(bytes: &[u8]) -> bool {
    let mut hits = [0; 16];
    match bytes.last_chunk::<17>() {
        None => {
            // Zeros after the text: a pair never ends in one (nor in the
            // space it is folded to).
            let mut block = [0; 17];
            if let Some(head) = block.get_mut(..bytes.len()) {
                head.copy_from_slice(bytes);
            }
            pair_block(&mut hits, &block);
        }
        Some(last) => {
            let mut rest = bytes;
            while let Some(block) = rest.first_chunk::<17>() {
                pair_block(&mut hits, block);
                rest = rest.get(16..).unwrap_or_default();
            }
            if rest.len() > 1 {
                // The pairs not yet looked at are among the last 16.
                pair_block(&mut hits, last);
            }
        }
    }
    hits != [0; 16]
}

/// Marks in `hits[j]` whether `block[j..j + 2]` is a placeholder pair.
#[inline(always)]
fn pair_block(hits: &mut [u8; 16], block: &[u8; 17]) {
    for (j, hit) in hits.iter_mut().enumerate() {
        let (a, b) = (block[j], block[j + 1]);
        let (la, lb) = (a | 0x20, b | 0x20);
        let pair = (la == b't') & (lb == b'b')
            | (la == b'o') & (lb == b'd')
            | (la == b'x') & (lb == b'm')
            | (la == b'p') & (lb == b's')
            | (la == b'{') & (lb == b'i')
            | (la == b'?') & (lb == b'?')
            | (la == b'x') & (lb == b'x')
            | (a == b'L') & (b == b'L');
        *hit |= u8::from(pair);
    }
}

/// [`may_hold_placeholder`] past [`has_placeholder_pair`]: the exact byte
/// scan.
///
/// - `lorem ipsum` and `[insert` are found in the lowercased text: only
///   ASCII letters lowercase to them (the two other characters that
///   lowercase to ASCII, `İ` and the Kelvin sign, give an `i` followed by a
///   combining dot, and a `k`), so the text holds them in some ASCII case.
/// - A placeholder word is ASCII, so it is a whole run of ASCII letters and
///   digits (a word [`words`] finds is such a run, or holds a non-ASCII
///   letter).
///
/// One table lookup per byte: only a few bytes are looked at further (`?`,
/// `[`, an `m` that may end `lorem`, and a letter that starts a placeholder
/// word at the start of a run). The lookup does not depend on the one
/// before, so the loop is not one long chain of loads.
fn scan(bytes: &[u8]) -> bool {
    let mut prev = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let class = CLASS[usize::from(b)];
        // `prev << 1` turns the previous byte's ALNUM into RUN_START.
        if class & (ALWAYS | (RUN_START & !(prev << 1))) != 0 && placeholder_at(bytes, i) {
            return true;
        }
        prev = class;
    }
    false
}

/// Byte classes for [`scan`].
const ALNUM: u8 = 1;
const RUN_START: u8 = 2;
const ALWAYS: u8 = 4;
static CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() {
            class[i] |= ALNUM;
        }
        if matches!(b, b't' | b'T' | b'f' | b'F' | b'X') {
            class[i] |= RUN_START;
        }
        if matches!(b, b'?' | b'[' | b'm' | b'M') {
            class[i] |= ALWAYS;
        }
        i += 1;
    }
    class
};

/// Whether a placeholder starts at byte `i` (or, for `lorem ipsum`, has
/// its `m` there), where `i` is a `?`, `[`, `m`, or the start of a run of
/// ASCII letters and digits.
fn placeholder_at(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(b'?') => at(bytes, i, b"???"),
        Some(b'[') => at(bytes, i, b"[insert"),
        // `lorem ipsum` may start inside a run (`xlorem ipsum`).
        Some(b'm' | b'M') => i >= 4 && at(bytes, i - 4, b"lorem ipsum"),
        _ => {
            let run = bytes.get(i..).unwrap_or_default();
            let len = run
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(run.len());
            placeholder_word(run.get(..len).unwrap_or_default())
        }
    }
}

/// Whether `bytes` holds `needle` at `i`, in any ASCII case.
fn at(bytes: &[u8], i: usize, needle: &[u8]) -> bool {
    bytes
        .get(i..i + needle.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether the run of ASCII letters and digits `run` is a placeholder word.
fn placeholder_word(run: &[u8]) -> bool {
    match run.first() {
        Some(b't' | b'T' | b'f' | b'F') => {
            ANY_CASE
                .iter()
                .any(|p| run.eq_ignore_ascii_case(p.as_bytes()))
                || CAPITALS.iter().any(|p| run == p.as_bytes())
        }
        Some(b'X') => {
            CAPITALS.iter().any(|p| run == p.as_bytes())
                || run.iter().all(|&c| c == b'X') && run.len() > 3
        }
        _ => false,
    }
}

/// Byte ranges of the alphanumeric words of `text`.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(i, c)| match (c.is_alphanumeric(), start) {
            (true, None) => {
                start = Some(i);
                None
            }
            (false, Some(s)) => {
                start = None;
                Some((s, i))
            }
            _ => None,
        })
}

const DOC: &str = r#"**What it does**

Finds placeholder text left in a question or answer: the words `TODO`,
`TBD`, `TBC`, `FIXME` (any case), `FILLER` and `XXX` (in capitals), a run
of `???`, an answer that is only `...`, `…` or `?`, `lorem ipsum`, and
`[insert …]`.

**Why it matters**

Placeholders are notes to yourself. Once the deck is built they become
cards that students learn, with "TODO" as the answer.

**Example**

```text
When did the border disputes heighten?
TODO check the date
What did the Treaty of Friendship state?
...
```

**Fix**

Write the real text, or leave the card out of the notes until it is ready.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{check, lines};

    /// The byte scan before it was made cheaper, kept to check the new one against.
    fn may_hold_placeholder_old(bytes: &[u8]) -> bool {
        let at = |i: usize, needle: &[u8]| {
            bytes
                .get(i..i + needle.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        };
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if !b.is_ascii_alphanumeric() {
                if (b == b'?' && at(i, b"???")) || (b == b'[' && at(i, b"[insert")) {
                    return true;
                }
                i += 1;
                continue;
            }
            let start = i;
            while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_alphanumeric()) {
                if b | 0x20 == b'l' && at(i, b"lorem ipsum") {
                    return true;
                }
                i += 1;
            }
            let run = bytes.get(start..i).unwrap_or_default();
            let placeholder_word = match run.first() {
                Some(b't' | b'T' | b'f' | b'F') => {
                    ANY_CASE
                        .iter()
                        .any(|p| run.eq_ignore_ascii_case(p.as_bytes()))
                        || CAPITALS.iter().any(|p| run == p.as_bytes())
                }
                Some(b'X') => {
                    CAPITALS.iter().any(|p| run == p.as_bytes())
                        || run.iter().all(|&c| c == b'X') && run.len() > 3
                }
                _ => false,
            };
            if placeholder_word {
                return true;
            }
        }
        false
    }

    #[test]
    fn finds_each_kind_of_placeholder() {
        let text =
            "When is it TODO?\n1950\nWhy?\n...\nWho?\n> FILLER text\nHow?\nLorem ipsum dolor\n\
                    Where?\nin [insert place] town\nWhat??? is this?\nok\nWhich?\nXXXX\n";
        let (src, ds) = check(&Placeholder, text);
        assert_eq!(lines(&src, &ds), [1, 4, 6, 8, 10, 11, 14]);
        let found: Vec<&str> = ds.iter().map(|d| src.slice(d.span)).collect();
        assert_eq!(
            found,
            [
                "TODO",
                "...",
                "FILLER",
                "Lorem ipsum",
                "[insert place]",
                "???",
                "XXXX"
            ]
        );
    }

    #[test]
    fn letters_that_lowercase_to_other_lengths_do_not_shift_the_span() {
        // The Kelvin sign (3 bytes) lowercases to `k` (1) and `İ` (2) to
        // `i` and a combining dot (3), `Ⱥ` (2) to `ⱥ` (3): the lowercased
        // text is as long as this one, but its offsets are not this one's
        // (this panicked).
        let text = "\u{212a}[INSERT x İȺ";
        assert_eq!(text.to_lowercase().len(), text.len());
        assert_eq!(find(text, true), Some((3, 10)));
        assert_eq!(&text[3..10], "[INSERT");
        let text = "İ \u{212a} lorem ipsum dolor";
        let (s, e) = find(text, false).unwrap();
        assert_eq!(&text[s..e], "lorem ipsum");
    }

    #[test]
    fn a_question_about_a_placeholder_word_passes() {
        assert_eq!(find("What does TODO mean in a code comment?", false), None);
        assert_eq!(find("TODO: ask about this", false), Some((0, 4)));
        assert_eq!(find("see TODO", true), Some((4, 8)));
    }

    #[test]
    fn the_byte_prefilter_lets_every_placeholder_through() {
        for text in [
            "xlorem ipsumx",
            "LOREM IPSUM",
            "a[INSERT b]",
            "[Insert",
            "é TODO",
            "TODO é",
            "’TODO’",
            "todoé",
            "éTODO",
            "FIXME: x",
            "tbc.",
            "TBD",
            "see XXXXXXX",
            "XXX",
            "FILLER",
            "é???",
            "x?????",
            "the K\u{212a}elvin İnsert",
            "[İnsert here]",
        ] {
            for is_answer in [false, true] {
                if find_in(text, is_answer).is_some() {
                    assert!(may_hold_placeholder(text.as_bytes()), "{text}");
                }
            }
        }
        for text in [
            "filler",
            "xxx",
            "Xx",
            "todos",
            "mistbd",
            "the lorem",
            "[inser",
            "??",
        ] {
            assert!(!may_hold_placeholder(text.as_bytes()), "{text}");
        }
    }

    #[test]
    fn ordinary_words_pass() {
        let text =
            "What was the filler?\nA todolist of 1950s ideas... and more\nWhy?\n$300million\n";
        let (_, ds) = check(&Placeholder, text);
        assert!(ds.is_empty(), "{ds:?}");
    }

    /// [`find`] as it was before [`has_placeholder_pair`]: [`scan`] alone
    /// in front of [`find_in`].
    fn find_old(text: &str, is_answer: bool) -> Option<(usize, usize)> {
        let trimmed = text.trim();
        if is_answer && !trimmed.is_empty() && trimmed.chars().all(|c| matches!(c, '.' | '…' | '?'))
        {
            let start = text.len() - text.trim_start().len();
            return Some((start, start + trimmed.len()));
        }
        if !scan(text.as_bytes()) {
            return None;
        }
        find_in(text, is_answer)
    }

    /// Every placeholder, at every offset of texts of every length up to
    /// three blocks and a bit, so across each block edge and in the tail.
    #[test]
    fn the_pair_prefilter_sees_placeholders_at_every_offset() {
        for needle in [
            "todo",
            "ToDo",
            "TBD",
            "tbc",
            "fixMe",
            "FILLER",
            "XXX",
            "XXXXX",
            "???",
            "[Insert",
            "lorem ipsum",
            "LOREM IPSUM",
        ] {
            for len in needle.len()..60 {
                for at in 0..=len - needle.len() {
                    let mut text = " ".repeat(len);
                    text.replace_range(at..at + needle.len(), needle);
                    assert!(has_placeholder_pair(text.as_bytes()), "{text:?}");
                    assert!(may_hold_placeholder(text.as_bytes()), "{text:?}");
                }
            }
        }
        for text in ["", "t", "o d", "filler", "xlx", "tdox", "t b", "Ll", "?.?"] {
            assert!(!has_placeholder_pair(text.as_bytes()), "{text:?}");
        }
    }

    /// Texts made of pieces of placeholders, near misses and bytes that
    /// fold or lowercase oddly, long enough to span a few blocks.
    fn placeholder_soup() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            4 => proptest::sample::select(vec![
                "todo", "TODO", "ToDo", "tOdO", "tbd", "Tbd", "TBD", "tbc", "TBC", "fixme",
                "FIXME", "FixMe", "filler", "FILLER", "Filler", "FILLERS", "xxx", "XXX", "XXXX",
                "XXXXXXX", "Xx", "xX", "lorem", "LOREM", "Lorem", "ipsum", " ipsum", "IPSUM",
                "lorem ipsum", "Lorem Ipsum", "[insert", "[INSERT", "[Insert name]", "insert",
                "?", "??", "???", "[", "]", "{", " ", "  ", "\t", "x", "X", "t", "T", "b", "d",
                "o", "p", "s", "m", "L", "LL", "é", "É", "’", "'", "K", "\u{212a}", "İ", "ı",
                "ß", "Ⱥ", "1", "1950", ".", "...", "…", "-", ",", ":", "\u{1f}", "\u{7f}",
                "the", "of", "and", "mistbd", "todos", "godot", "perhaps", "maximum",
            ]).prop_map(str::to_owned),
            1 => any::<String>(),
            1 => "[a-zA-Z?\\[ ]{0,12}",
        ];
        proptest::collection::vec(piece, 0..16).prop_map(|parts| parts.concat())
    }

    proptest::proptest! {
        /// The pair test is a necessary condition for the exact scan and
        /// for [`find_in`], so [`find`] finds what it found before it.
        #[test]
        fn the_pair_prefilter_lets_every_placeholder_through(
            text in placeholder_soup(),
            is_answer: bool,
        ) {
            let bytes = text.as_bytes();
            let (scan, find_in) = (scan(bytes), find_in(&text, is_answer));
            proptest::prop_assert!(!scan || has_placeholder_pair(bytes), "{:?}", text);
            proptest::prop_assert!(find_in.is_none() || has_placeholder_pair(bytes), "{:?}", text);
            proptest::prop_assert_eq!(may_hold_placeholder(bytes), scan, "{:?}", text);
            proptest::prop_assert_eq!(find(&text, is_answer), find_old(&text, is_answer), "{:?}", text);
        }
    }

    proptest::proptest! {
        /// The byte scan agrees with the one it replaced.
        #[test]
        fn the_byte_prefilter_matches_the_old_one(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "todo", "TODO", "ToDo", "tbd", "TBC", "fixme", "FIXME", "filler", "FILLER",
                    "xxx", "XXX", "XXXX", "Xx", "lorem", "LOREM", "ipsum", " ipsum", "[insert",
                    "[INSERT", "?", "??", "???", "[", " ", "x", "t", "é", "’", "K", "1", ".", "-",
                ]),
                0..8,
            )
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(
                may_hold_placeholder(text.as_bytes()),
                may_hold_placeholder_old(text.as_bytes()),
                "{}",
                text
            );
        }
    }
}
