//! `unbalanced-delimiters`: an unclosed `(`, `[`, `{`, `"`, `“`, `‘`, or a
//! closer that closes nothing, within one card field (the question, or the
//! whole answer, so a parenthesis may span answer lines).
//!
//! `’` is also the apostrophe: between two letters (`China’s`, `couldn’t`)
//! it is never a quote, and elsewhere it closes a `‘` only when one is open
//! (`soldiers’ lives` is fine; `‘National Interests’` is balanced).

use memchr::{memchr2, memchr3};

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};
use crate::source::{SourceFile, Span};

pub struct UnbalancedDelimiters;

impl Rule for UnbalancedDelimiters {
    fn code(&self) -> &'static str {
        "unbalanced-delimiters"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "an unclosed quote or bracket"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for card in &cx.deck.cards {
            if may_hold_delimiter(&card.question) {
                let question = [(&*card.question, card.question_span)];
                for problem in scan(cx.source, &question) {
                    out.push(problem.diagnostic(self));
                }
            }
            if card.answer.iter().any(|l| may_hold_delimiter(&l.text)) {
                let answer: Vec<(&str, Span)> =
                    card.answer.iter().map(|l| (&*l.text, l.span)).collect();
                for problem in scan(cx.source, &answer) {
                    out.push(problem.diagnostic(self));
                }
            }
        }
    }
}

/// Whether `text` may hold a delimiter [`scan`] looks at: an ASCII one, or
/// a byte that starts a curly quote (`“` `”` `‘` `’` are U+201C, U+201D,
/// U+2018 and U+2019, all encoded from the byte 0xE2). A field none of whose
/// pieces passes has nothing to balance, and is not scanned.
///
/// Three vectorized searches of three bytes each: most lines have none of
/// the eight, and are rejected at memory speed.
fn may_hold_delimiter(text: &str) -> bool {
    let b = text.as_bytes();
    memchr3(b'(', b'[', b'{', b).is_some()
        || memchr3(b')', b']', b'}', b).is_some()
        || memchr2(b'"', 0xe2, b).is_some()
}

/// One delimiter that does not balance.
struct Problem {
    ch: char,
    span: Span,
    /// True for an opener never closed, false for a closer with no opener.
    unclosed: bool,
}

impl Problem {
    fn diagnostic(&self, rule: &UnbalancedDelimiters) -> Diagnostic {
        let (message, label, help) = if self.unclosed {
            (
                format!("unclosed `{}`", self.ch),
                "opened here and never closed",
                format!("close it with `{}`, or remove it", closer_of(self.ch)),
            )
        } else {
            (
                format!("`{}` closes nothing", self.ch),
                "no matching opener before this",
                "add the opening delimiter, or remove this one".to_string(),
            )
        };
        Diagnostic::new(rule.code(), rule.default_level(), self.span, message)
            .with_label(label)
            .with_help(help)
    }
}

fn closer_of(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '“' => '”',
        '‘' => '’',
        other => other,
    }
}

/// Whether `open` on the stack is closed by `close`. Straight and curly
/// double quotes pair with each other: pasted text often mixes them.
fn closes(open: char, close: char) -> bool {
    closer_of(open) == close || (matches!(open, '"' | '“') && matches!(close, '"' | '”'))
}

/// Scans the pieces of one field (text and where it is) in order.
fn scan(src: &SourceFile, pieces: &[(&str, Span)]) -> Vec<Problem> {
    let mut stack: Vec<Problem> = Vec::new();
    let mut problems = Vec::new();
    for &(text, span) in pieces {
        // Spans are exact only when the field is the source text verbatim;
        // otherwise point at the whole piece.
        let verbatim = src.text.get(span.start..span.end) == Some(text);
        let at = |i: usize, ch: char| {
            if verbatim {
                span.sub(i, i + ch.len_utf8())
            } else {
                span
            }
        };
        let mut prev: Option<char> = None;
        let mut chars = text.char_indices().peekable();
        while let Some((i, ch)) = chars.next() {
            let next = chars.peek().map(|&(_, c)| c);
            let open = |ch| Problem {
                ch,
                span: at(i, ch),
                unclosed: true,
            };
            match ch {
                '(' | '[' | '{' | '“' => stack.push(open(ch)),
                '‘' if !prev.is_some_and(char::is_alphanumeric) => stack.push(open(ch)),
                '"' if stack.last().is_some_and(|o| closes(o.ch, '"')) => {
                    stack.pop();
                }
                '"' => stack.push(open(ch)),
                '’' if prev.is_some_and(char::is_alphabetic)
                    && next.is_some_and(char::is_alphabetic) => {}
                // Closes an open `‘`; with none open it is an apostrophe.
                '’' if stack.iter().any(|o| o.ch == '‘') => {
                    close(&mut stack, &mut problems, ch)
                }
                ')' | ']' | '}' | '”' => {
                    if stack.iter().any(|o| closes(o.ch, ch)) {
                        close(&mut stack, &mut problems, ch);
                    } else if !(ch == ')' && is_list_number(&text[..i])) {
                        problems.push(Problem {
                            ch,
                            span: at(i, ch),
                            unclosed: false,
                        });
                    }
                }
                _ => {}
            }
            prev = Some(ch);
        }
    }
    problems.extend(stack);
    problems.sort_by_key(|p| p.span);
    problems
}

/// Pops up to and including the opener `close` matches; openers skipped on
/// the way were never closed.
fn close(stack: &mut Vec<Problem>, problems: &mut Vec<Problem>, close: char) {
    while let Some(open) = stack.pop() {
        if closes(open.ch, close) {
            return;
        }
        problems.push(open);
    }
}

/// `1)`, `a)`, `iv)` at the start of a line: list numbering, not a bracket.
/// Inline, `… or b)` / `… and 2)`: a lone letter or a number of one or two
/// digits after a space is a label too.
fn is_list_number(before: &str) -> bool {
    let t = before.trim_start_matches(|c: char| c.is_whitespace() || "-•>*–".contains(c));
    if !t.is_empty() && t.len() <= 3 && t.chars().all(char::is_alphanumeric) {
        return true;
    }
    let last = t.rsplit(char::is_whitespace).next().unwrap_or("");
    let lone_letter = last.chars().count() == 1 && last.chars().all(char::is_alphabetic);
    let small_number = (1..=2).contains(&last.len()) && last.bytes().all(|b| b.is_ascii_digit());
    last.len() < t.len() && (lone_letter || small_number)
}

const DOC: &str = r#"**What it does**

Finds a bracket or quote that is opened and never closed, or closed without
being opened, within one card field: the question, or the whole answer
(a parenthesis may run over several answer lines). It knows `()`, `[]`,
`{}`, `"…"`, `“…”` and `‘…’`. A `’` between two letters (`China’s`,
`couldn’t`) is an apostrophe, and a `’` with no open `‘` is taken as one
too (`the soldiers’ pay`). List numbering such as `1)`, and an inline label such as
`… or b)`, is not a bracket.

**Why it matters**

An unclosed quote or bracket is usually text lost while copying: the rest
of the aside, or the end of a quotation. In HTML output a stray `<`-like
mismatch is harmless, but the card reads as broken to the student.

**Example**

```text
Who was Tito?
Yugoslav leader (unwilling to impose Stalin’s policies
```

**Fix**

Add the missing closing (or opening) delimiter, or delete the stray one.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{check, lines};

    #[test]
    fn apostrophes_and_balanced_quotes_pass() {
        let text = "Explain the ‘National Interests’ factor?\n\
                    China’s air force (and Stalin’s choice) couldn’t last\n\
                    the soldiers’ pay; “quoted” and \"straight\" [x] {y}\n\
                    1) first\na) second\n";
        let (_, ds) = check(&UnbalancedDelimiters, text);
        assert!(ds.is_empty(), "{ds:?}");
    }

    #[test]
    fn parenthesis_may_span_answer_lines() {
        let (_, ds) = check(&UnbalancedDelimiters, "Why?\nfirst (part\nrest) done\n");
        assert!(ds.is_empty(), "{ds:?}");
    }

    #[test]
    fn flags_unclosed_openers_and_stray_closers() {
        let text = "What was ‘Destalinisation?\nok\nWho?\nleader (Yugoslav\nWhen?\n1956] and “x\n";
        let (src, ds) = check(&UnbalancedDelimiters, text);
        assert_eq!(lines(&src, &ds), [1, 4, 6, 6]);
        assert_eq!(ds[0].message, "unclosed `‘`");
        assert_eq!(src.slice(ds[1].span), "(");
        assert_eq!(ds[2].message, "`]` closes nothing");
        assert_eq!(ds[3].message, "unclosed `“`");
    }

    #[test]
    fn inline_labels_are_not_brackets() {
        let (_, ds) = check(
            &UnbalancedDelimiters,
            "Which?\neither (a) or b)\nWhich?\nsteps 1) and 2)\n",
        );
        assert!(ds.is_empty(), "{ds:?}");
        let (_, ds) = check(&UnbalancedDelimiters, "Which?\nthe answer) is here\n");
        assert_eq!(ds.len(), 1);
    }

    #[test]
    fn quote_left_open_inside_brackets() {
        let (src, ds) = check(&UnbalancedDelimiters, "Why?\n(the ‘split) happened\n");
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert_eq!(src.slice(ds[0].span), "‘");
    }

    proptest::proptest! {
        /// The vectorized prefilter agrees with a byte-by-byte one.
        #[test]
        fn the_prefilter_finds_every_delimiter_byte(text in "[a-z (){}\\[\\]\"’‘“”é—]{0,40}") {
            let bytewise = text
                .bytes()
                .any(|b| matches!(b, b'(' | b'[' | b'{' | b'"' | b')' | b']' | b'}' | 0xe2));
            proptest::prop_assert_eq!(may_hold_delimiter(&text), bytewise);
        }
    }
}
