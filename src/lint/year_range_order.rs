//! `year-range-order`: a year range runs backwards (1979-1967).
//!
//! Ranges are read by [`super::facts::dates`], so every spelling counts
//! (`1979-1967`, `1979–1967`, `from 1979 to 1967`) while abbreviated ends
//! (`1914-18`), year-months (`1989-12`), BC ranges (`1200-1100 BC`) and
//! numbers that are not years (`page 12-5`, a score of `3-1`) do not.

use super::facts::dates::dates;
use super::facts::numbers::first_digit;
use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};
use crate::source::Span;

pub struct YearRangeOrder;

const DOC: &str = "\
## What it does
Finds a range of years whose end comes before its start: `1979-1967`,
`1979–1967`, `from 1979 to 1967`, `1970s-1960s`.

Abbreviated ends are read the usual way (`1914-18` is 1914 to 1918), a
year followed by a two-digit month (`1989-12`) is not a range, a range
followed by BC counts down (`1200-1100 BC` is in order), and numbers that
are not years (`pages 12-5`, a score of `3-1`) are ignored.

## Why it matters
A backwards range is almost always a typo in one of the two years, and a
student cannot tell which one.

## Example
```text
When did the border disputes heighten?
1979-1967
```

## Fix
Correct the year that is wrong. There is no automatic fix: swapping the
two years would hide the typo rather than correct it.
";

impl Rule for YearRangeOrder {
    fn code(&self) -> &'static str {
        "year-range-order"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a year range runs backwards (1979-1967)"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for card in &cx.deck.cards {
            let lines = std::iter::once((&*card.question, card.question_span))
                .chain(card.answer.iter().map(|l| (&*l.text, l.span)));
            for (text, span) in lines {
                if !may_run_backwards(text) {
                    continue;
                }
                // Exact spans only when the span holds exactly this text.
                let exact = cx.source.text.get(span.start..span.end) == Some(text);
                for d in dates(text).into_iter().filter(|d| d.is_backwards()) {
                    let at = if exact {
                        span.sub(d.start, d.end)
                    } else {
                        span
                    };
                    out.push(self.diagnostic(at, &d.text));
                }
            }
        }
    }
}

/// Whether `text` may hold a backwards range: a necessary condition, checked
/// in one pass over the bytes without allocating, so that [`dates`] reads
/// only the few lines that pass.
///
/// - `facts::numbers::numbers` starts each number at the start of a run of
///   ASCII digits, and a point of a range is a whole run (a `,` or `.`
///   between digits makes a number that is no year).
/// - Between the two points of a range lie only the first point's ending
///   (`s`, `'s`, `’s`, an era such as `B.C.`) and a dash or a word (`to`,
///   `until the`), so no digit: the two points are neighbouring runs, and
///   the bytes between them are whitespace, ASCII letters, `-`, `.`, `'` or
///   non-ASCII (`’`, the dashes, wide spaces).
/// - Only an era read as BC (`BC`, `BCE`, `B.C.`, `B.C.E.`, all holding
///   `BC` or `B.C`) makes a year negative. Without one every point is at
///   least 1, and a range runs backwards only when its second number is
///   smaller than its first.
fn may_run_backwards(text: &str) -> bool {
    let bytes = text.as_bytes();
    let bc = || {
        memchr::memchr_iter(b'B', bytes).any(|i| {
            let rest = bytes.get(i + 1..).unwrap_or_default();
            rest.starts_with(b"C") || rest.starts_with(b".C")
        })
    };
    let mut prev: Option<(usize, usize)> = None;
    let mut i = 0;
    while let Some(p) = bytes.get(i..).and_then(first_digit) {
        let start = i + p;
        let end = bytes
            .get(start..)
            .and_then(|r| r.iter().position(|b| !b.is_ascii_digit()))
            .map_or(bytes.len(), |q| start + q);
        if let Some((s, e)) = prev {
            let between = bytes.get(e..start).unwrap_or_default();
            let joinable = between.iter().all(|&b| {
                b >= 0x80
                    || b.is_ascii_alphabetic()
                    || matches!(b, b'\t'..=b'\r' | b' ' | b'-' | b'.' | b'\'')
            });
            if joinable
                && (greater(
                    bytes.get(s..e).unwrap_or_default(),
                    bytes.get(start..end).unwrap_or_default(),
                ) || bc())
            {
                return true;
            }
        }
        prev = Some((start, end));
        i = end;
    }
    false
}

/// Whether the ASCII digits `a` make a larger number than the digits `b`.
fn greater(a: &[u8], b: &[u8]) -> bool {
    fn significant(d: &[u8]) -> &[u8] {
        let zeros = d.iter().take_while(|&&c| c == b'0').count();
        d.get(zeros..).unwrap_or_default()
    }
    let (a, b) = (significant(a), significant(b));
    a.len() > b.len() || (a.len() == b.len() && a > b)
}

impl YearRangeOrder {
    fn diagnostic(&self, span: Span, text: &str) -> Diagnostic {
        Diagnostic::new(
            self.code(),
            self.default_level(),
            span,
            format!("the year range `{text}` runs backwards"),
        )
        .with_label("ends before it starts")
        .with_help(
            "one of the two years is probably mistyped: correct it (swapping them would hide the typo)",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::LintConfig;
    use crate::model::{AnswerLine, Card, Deck};
    use crate::source::SourceFile;

    fn check(answer: &str) -> Vec<String> {
        let text = format!("When?\n{answer}\n");
        let src = SourceFile::new("x.txt", text.as_str());
        let deck = Deck {
            cards: vec![Card {
                question: "When?".into(),
                question_span: src.line(1).span,
                line: 1,
                answer: vec![AnswerLine::new(answer, src.line(2).span)],
                ..Card::default()
            }],
            ..Deck::default()
        };
        let config = LintConfig::default();
        let cx = Context::new(&deck, &src, &config);
        let mut out = Vec::new();
        YearRangeOrder.check(&cx, &mut out);
        out.iter().map(|d| src.slice(d.span).to_string()).collect()
    }

    #[test]
    fn backwards_ranges_fire() {
        assert_eq!(check("disputes 1979-1967 here"), ["1979-1967"]);
        assert_eq!(check("1979–1967"), ["1979–1967"]);
        assert_eq!(check("from 1979 to 1967"), ["1979 to 1967"]);
        assert_eq!(check("the 1970s-1960s"), ["1970s-1960s"]);
    }

    #[test]
    fn look_alikes_do_not() {
        for t in [
            "1967-1979",
            "1914-18",
            "1989-12",
            "pages 12-5",
            "won 3-1",
            "1200-1100 BC",
            "1945-05-08",
            "1939–45",
        ] {
            assert!(check(t).is_empty(), "{t}");
        }
    }

    #[test]
    fn the_byte_prefilter_lets_every_backwards_range_through() {
        for t in [
            "1979-1967",
            "from 1979 to 1967",
            "the 1970s-1960s",
            "the 1970's – 1960's",
            "1400 to 1500 BC",
            "400 B.C. to 500 B.C.",
            "1979 until the 1967",
        ] {
            assert!(dates(t).iter().any(|d| d.is_backwards()), "{t}");
            assert!(may_run_backwards(t), "{t}");
        }
        for t in [
            "1967-1979",
            "1971, promising $100",
            "no numbers",
            "1979 (1967",
        ] {
            assert!(!may_run_backwards(t), "{t}");
        }
    }

    proptest::proptest! {
        /// Lines the prefilter rejects hold no backwards range.
        #[test]
        fn the_prefilter_never_hides_a_backwards_range(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "1979", "1967", "1970", "1960s", "0199", "18", "12", "5", "2100", "999",
                    "-", "–", "—", "−", " ", "  ", " to ", " TO ", " until the ", " and ",
                    "between ", " BC", " B.C.", " AD", "ad ", "'s", "’s", "s", ",", ".", "$",
                    "page ", " men", "%", "e", "x", "é", "\u{2003}", "\u{b}",
                ]),
                0..10,
            )
        ) {
            let text = parts.concat();
            if !may_run_backwards(&text) {
                proptest::prop_assert!(!dates(&text).iter().any(|d| d.is_backwards()), "{}", text);
            }
        }
    }
}
