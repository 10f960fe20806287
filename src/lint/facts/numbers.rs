//! The number lexer shared by the date and amount extractors: finds each
//! number in a text with what sits right before and after it, so that
//! `$300million`, `1920s`, `20th` and `1,500` are told apart once.

use std::borrow::Cow;

/// One number as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Num<'a> {
    /// Byte range of the digits (and separators).
    pub start: usize,
    pub end: usize,
    /// The digits as written, e.g. `1,500` or `2.5`.
    pub text: &'a str,
    pub value: f64,
    /// Written with a thousands separator, a decimal point or an exponent
    /// (never a year).
    pub separated: bool,
    /// Letters glued to the number (`s`, `th`, `million`, `m`), lowercased
    /// (borrowed when written in lowercase, as nearly all are).
    pub suffix: Cow<'a, str>,
}

impl Num<'_> {
    /// Number of digits (separators not counted).
    pub fn digits(&self) -> usize {
        self.text.chars().filter(char::is_ascii_digit).count()
    }

    /// The value as an integer, when written as a plain integer.
    pub fn int(&self) -> Option<i64> {
        if self.separated {
            None
        } else {
            self.text.parse().ok()
        }
    }
}

/// Every number in `text`, in order. A number glued to letters before it
/// (`A4`, `B52`) is skipped: it is a name, not a quantity.
pub fn numbers(text: &str) -> Vec<Num<'_>> {
    let mut out = Vec::new();
    numbers_into(text, &mut out);
    out
}

/// [`numbers`], pushed onto `out`.
pub fn numbers_into<'t>(text: &'t str, out: &mut Vec<Num<'t>>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
            // Straight to the next digit: most text has none.
            i = bytes
                .get(i + 1..)
                .and_then(first_digit)
                .map_or(bytes.len(), |p| i + 1 + p);
            continue;
        }
        let glued = match i.checked_sub(1).and_then(|p| bytes.get(p)) {
            None => false,
            Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
            Some(_) => text
                .get(..i)
                .and_then(|head| head.chars().next_back())
                .is_some_and(char::is_alphanumeric),
        };
        if glued {
            // Skip the whole glued run (`B52`): none of its digits starts a number.
            i += bytes.get(i..).map_or(1, |rest| {
                rest.iter().take_while(|b| b.is_ascii_digit()).count()
            });
            continue;
        }
        let start = i;
        let mut separated = false;
        while i < bytes.len() {
            match bytes.get(i) {
                Some(b) if b.is_ascii_digit() => i += 1,
                // `1,500` and `2.5`: a separator counts only between digits.
                Some(b',' | b'.') if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                    separated = true;
                    i += 1;
                }
                _ => break,
            }
        }
        let mut end = i;
        let digits = &text[start..end];
        let mut value = if digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
            // Below 2^53 an integer is exactly the float `parse` gives.
            digits
                .bytes()
                .fold(0u64, |v, b| v * 10 + u64::from(b - b'0')) as f64
        } else if digits.contains(',') {
            digits.replace(',', "").parse::<f64>().unwrap_or(0.0)
        } else {
            digits.parse::<f64>().unwrap_or(0.0)
        };
        if let Some((e, power)) = exponent(text, end, digits) {
            value *= 10f64.powi(power);
            end = e;
            separated = true;
        }
        let glued_letters: usize = text[end..]
            .chars()
            .take_while(|c| c.is_alphabetic())
            .map(char::len_utf8)
            .sum();
        // Measured before lowercasing, which may change the byte length.
        let suffix = lower(&text[end..end + glued_letters]);
        i = end + glued_letters;
        out.push(Num {
            start,
            end,
            text: digits,
            value,
            separated,
            suffix,
        });
    }
}

/// Where the first ASCII digit of `bytes` is, eight bytes at a time: a
/// byte is a digit when, XORed with `0x30`, it is below 10. (The test
/// below may also flag a byte after a flagged one, never before: the
/// lowest flag is the first digit.)
pub fn first_digit(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::MAX / 255;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let x = u64::from_le_bytes(c.try_into().unwrap_or([0; 8])) ^ (0x30 * ONES);
        let flags = x.wrapping_sub(10 * ONES) & !x & (0x80 * ONES);
        if flags != 0 {
            return Some(at + flags.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(u8::is_ascii_digit)
        .map(|p| at + p)
}

/// A power of ten right after the digits `digits` ending at byte `at`:
/// `e8`, `E-19`, ` × 10^8`, `x10^-19`, `×10²³`; or, when the digits are
/// `10` themselves, `^8` or `²³`. Returns where it ends and the power.
fn exponent(text: &str, at: usize, digits: &str) -> Option<(usize, i32)> {
    let rest = text.get(at..)?;
    if let Some(r) = rest.strip_prefix(['e', 'E']) {
        let (power, len) = power(r, false)?;
        return Some((at + 1 + len, power));
    }
    if digits == "10" {
        if let Some((power, len)) = power(rest, true) {
            // `10^6` is 10 × 10^5: the digits already count one power.
            return Some((at + len, power.saturating_sub(1)));
        }
    }
    let trimmed = rest.trim_start();
    let times = trimmed.strip_prefix(['×', 'x', 'X', '*', '·', '⋅'])?;
    let ten = times.trim_start().strip_prefix("10")?;
    let (power, len) = power(ten, true)?;
    Some((text.len() - ten.len() + len, power))
}

/// A signed integer power at the start of `s`: `8`, `-19` (after `^` when
/// `caret`), or superscript digits `²³`, `⁻¹⁹`. Returns it and its length.
fn power(s: &str, caret: bool) -> Option<(i32, usize)> {
    const SUPER: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let (body, skipped) = match s.strip_prefix('^') {
        Some(b) if caret => (b, 1),
        _ if caret && s.starts_with(|c: char| SUPER.contains(&c) || c == '⁻') => (s, 0),
        _ if caret => return None,
        _ => (s, 0),
    };
    let mut chars = body.char_indices().peekable();
    let mut negative = false;
    if let Some(&(_, c)) = chars.peek() {
        if matches!(c, '-' | '−' | '⁻' | '+' | '⁺') {
            negative = matches!(c, '-' | '−' | '⁻');
            chars.next();
        }
    }
    let mut value: i32 = 0;
    let mut len = 0;
    let mut any = false;
    for (i, c) in chars {
        let digit = c
            .to_digit(10)
            .filter(|_| c.is_ascii_digit())
            .or_else(|| SUPER.iter().position(|&s| s == c).map(|p| p as u32));
        let Some(d) = digit else { break };
        // Powers beyond ±300 are not physical quantities; stop before f64
        // overflows.
        value = value.saturating_mul(10).saturating_add(d as i32).min(400);
        len = i + c.len_utf8();
        any = true;
    }
    let power = if negative { -value } else { value };
    any.then_some((power, skipped + len))
}

/// The text right after byte `at`, without leading spaces.
pub fn after(text: &str, at: usize) -> &str {
    text.get(at..).unwrap_or("").trim_start()
}

/// `s` lowercased, borrowed when it has no capital (and is ASCII, whose
/// lowercase is itself).
pub fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// The word right before byte `at` (lowercased), skipping spaces.
pub fn word_before(text: &str, at: usize) -> Cow<'_, str> {
    let head = text.get(..at).unwrap_or("").trim_end();
    let len: usize = head
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic() || *c == '.')
        .map(char::len_utf8)
        .sum();
    lower(head.get(head.len() - len..).unwrap_or(""))
}

/// The next word after byte `at` (lowercased), skipping spaces, with the
/// byte offset where it ends.
pub fn word_after(text: &str, at: usize) -> Option<(Cow<'_, str>, usize)> {
    let rest = text.get(at..)?;
    let skip = rest.len() - rest.trim_start().len();
    let tail = rest.get(skip..)?;
    let len: usize = tail
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        None
    } else {
        Some((lower(tail.get(..len)?), at + skip + len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexes_separators_and_suffixes() {
        let ns = numbers("$300million, 1,500 men, 2.5%, the 1920s and 20th; A4 paper");
        let got: Vec<_> = ns.iter().map(|n| (n.text, n.value, &*n.suffix)).collect();
        assert_eq!(
            got,
            [
                ("300", 300.0, "million"),
                ("1,500", 1500.0, ""),
                ("2.5", 2.5, ""),
                ("1920", 1920.0, "s"),
                ("20", 20.0, "th"),
            ]
        );
        assert_eq!(ns[1].int(), None);
        assert_eq!(ns[3].int(), Some(1920));
    }

    #[test]
    fn lowercasing_that_grows_does_not_split_a_char() {
        let ns = numbers("12İİİ then 7x");
        assert_eq!(ns.len(), 2);
        assert_eq!(ns[0].suffix, "12İİİ"[2..].to_lowercase());
    }

    #[test]
    fn scientific_notation_is_one_number() {
        for (t, v) in [
            ("3e8 m/s", 3e8),
            ("3.0 × 10^8 m/s", 3e8),
            ("3 x 10^8", 3e8),
            ("6.02×10²³ per mole", 6.02e23),
            ("1.6 × 10^-19 C", 1.6e-19),
            ("9.11 × 10⁻³¹ kg", 9.11e-31),
            ("10^6 cells", 1e6),
            ("2E-3 s", 2e-3),
        ] {
            let ns = numbers(t);
            assert_eq!(ns.len(), 1, "{t}: {ns:?}");
            let rel = (ns[0].value - v).abs() / v;
            assert!(rel < 1e-9, "{t}: {}", ns[0].value);
            assert!(ns[0].separated);
        }
        // Not exponents: a product without a power, a word after `e`.
        assert_eq!(numbers("3 x 10 cm").len(), 2);
        assert_eq!(numbers("5eggs")[0].suffix, "eggs");
    }

    #[test]
    fn first_digit_finds_every_digit_and_nothing_else() {
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut bytes = vec![b'x'; 20];
                if let Some(x) = bytes.get_mut(at) {
                    *x = b;
                }
                let want = bytes.iter().position(u8::is_ascii_digit);
                assert_eq!(first_digit(&bytes), want, "{b} at {at}");
            }
        }
    }

    proptest::proptest! {
        /// The word-at-a-time search agrees with the byte loop.
        #[test]
        fn first_digit_is_the_byte_loop(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            digit in proptest::collection::vec(proptest::sample::select(b"0159/:".to_vec()), 0..3),
            at in 0usize..40,
        ) {
            let mut bytes = bytes;
            for (n, d) in digit.into_iter().enumerate() {
                let i = (at + 7 * n).min(bytes.len());
                bytes.insert(i, d);
            }
            proptest::prop_assert_eq!(
                first_digit(&bytes),
                bytes.iter().position(u8::is_ascii_digit)
            );
        }

        #[test]
        fn first_digit_is_the_first_found_byte_by_byte(text in "([0-9]|[a-z .]|é|\\PC){0,40}") {
            proptest::prop_assert_eq!(
                first_digit(text.as_bytes()),
                text.bytes().position(|b| b.is_ascii_digit())
            );
        }

        #[test]
        fn integers_read_as_parse_reads_them(digits in "[0-9]{1,17}") {
            let ns = numbers(&digits);
            proptest::prop_assert_eq!(ns.len(), 1);
            let want = digits.parse::<f64>().unwrap();
            proptest::prop_assert_eq!(ns[0].value.to_bits(), want.to_bits());
        }
    }

    #[test]
    fn neighbours() {
        let t = "from 1920s until 1949";
        assert_eq!(word_before(t, 5), "from");
        assert_eq!(word_after(t, 10), Some(("until".into(), 16)));
        assert_eq!(after(t, 16), "1949");
    }
}
