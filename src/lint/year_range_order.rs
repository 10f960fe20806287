//! `year-range-order`: a year range runs backwards (1979-1967).
//!
//! Ranges are read by [`super::facts::dates`], so every spelling counts
//! (`1979-1967`, `1979–1967`, `from 1979 to 1967`) while abbreviated ends
//! (`1914-18`), year-months (`1989-12`), BC ranges (`1200-1100 BC`) and
//! numbers that are not years (`page 12-5`, a score of `3-1`) do not.

use super::facts::dates::dates;
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
            let lines = std::iter::once((card.question.as_str(), card.question_span))
                .chain(card.answer.iter().map(|l| (l.text.as_str(), l.span)));
            for (text, span) in lines {
                if !has_two_numbers(text) {
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

/// Whether `text` has two runs of ASCII digits. A range needs two numbers,
/// and `facts::numbers::numbers` starts each at an ASCII digit that
/// follows no letter or digit, so each at the start of its own run: lines
/// with fewer runs cannot hold a range and are not read at all.
fn has_two_numbers(text: &str) -> bool {
    let mut runs = 0;
    let mut in_run = false;
    for b in text.bytes() {
        let digit = b.is_ascii_digit();
        if digit && !in_run {
            runs += 1;
            if runs == 2 {
                return true;
            }
        }
        in_run = digit;
    }
    false
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
}
