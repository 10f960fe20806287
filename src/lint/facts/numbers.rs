//! The number lexer shared by the date and amount extractors: finds each
//! number in a text with what sits right before and after it, so that
//! `$300million`, `1920s`, `20th` and `1,500` are told apart once.

/// One number as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Num<'a> {
    /// Byte range of the digits (and separators).
    pub start: usize,
    pub end: usize,
    /// The digits as written, e.g. `1,500` or `2.5`.
    pub text: &'a str,
    pub value: f64,
    /// Written with a thousands separator or a decimal point.
    pub separated: bool,
    /// Letters glued to the number (`s`, `th`, `million`, `m`), lowercased.
    pub suffix: String,
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
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let glued = i > 0
            && text[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        if !bytes.get(i).is_some_and(u8::is_ascii_digit) || glued {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
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
        let end = i;
        let digits = &text[start..end];
        let value = digits.replace(',', "").parse::<f64>().unwrap_or(0.0);
        let glued_letters: usize = text[end..]
            .chars()
            .take_while(|c| c.is_alphabetic())
            .map(char::len_utf8)
            .sum();
        // Measured before lowercasing, which may change the byte length.
        let suffix = text[end..end + glued_letters].to_lowercase();
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
    out
}

/// The text right after byte `at`, without leading spaces.
pub fn after(text: &str, at: usize) -> &str {
    text.get(at..).unwrap_or("").trim_start()
}

/// The word right before byte `at` (lowercased), skipping spaces.
pub fn word_before(text: &str, at: usize) -> String {
    let head = text.get(..at).unwrap_or("").trim_end();
    let rev: String = head
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic() || *c == '.')
        .collect();
    rev.chars().rev().collect::<String>().to_lowercase()
}

/// The next word after byte `at` (lowercased), skipping spaces, with the
/// byte offset where it ends.
pub fn word_after(text: &str, at: usize) -> Option<(String, usize)> {
    let rest = text.get(at..)?;
    let skip = rest.len() - rest.trim_start().len();
    let word: String = rest[skip..]
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    if word.is_empty() {
        None
    } else {
        Some((word.to_lowercase(), at + skip + word.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexes_separators_and_suffixes() {
        let ns = numbers("$300million, 1,500 men, 2.5%, the 1920s and 20th; A4 paper");
        let got: Vec<_> = ns
            .iter()
            .map(|n| (n.text, n.value, n.suffix.as_str()))
            .collect();
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
    fn neighbours() {
        let t = "from 1920s until 1949";
        assert_eq!(word_before(t, 5), "from");
        assert_eq!(word_after(t, 10), Some(("until".to_string(), 16)));
        assert_eq!(after(t, 16), "1949");
    }
}
