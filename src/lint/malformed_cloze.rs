//! `malformed-cloze`: something that looks like a cloze deletion but that
//! Anki would show as literal text — `{{c1:…}}` with one colon, `{{c::…}}`
//! without a number, `{{c0::…}}`, `{{c1::` never closed, `{{c1::}}` — and
//! well-formed clozes in an answer, where Anki never hides them.
//!
//! The scanning is [`crate::notetype::scan`], the same code that decides
//! which cards become cloze notes, so the lint and the output never
//! disagree. Positions come from the source text under each span, so the
//! caret lands on the opening braces.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Edit, Level};
use crate::notetype::{scan, ClozeProblem};
use crate::source::Span;

pub struct MalformedCloze;

impl MalformedCloze {
    fn problems_in(&self, cx: &Context<'_>, span: Span, out: &mut Vec<Diagnostic>) {
        let Some(text) = cx.source.text.get(span.start..span.end) else {
            return;
        };
        if !has_braces(text) {
            return;
        }
        for (range, problem) in scan(text).problems {
            let at = Span::new(span.start + range.start, span.start + range.end);
            let mut d = Diagnostic::new(self.code(), self.default_level(), at, problem.message())
                .with_label("Anki would show this as typed");
            d = match problem {
                ClozeProblem::SingleColon => {
                    let opening = text.get(range.clone()).unwrap_or_default();
                    d.with_fix(
                        "use two colons",
                        vec![Edit {
                            span: at,
                            replacement: format!("{opening}:"),
                        }],
                    )
                }
                ClozeProblem::MissingNumber | ClozeProblem::ZeroNumber => d.with_help(
                    "number the deletions from 1: `{{c1::…}}`, `{{c2::…}}`; each number is one card",
                ),
                ClozeProblem::Unclosed => {
                    d.with_help("end the deletion with `}}`, e.g. `{{c1::1950}}`")
                }
                ClozeProblem::Empty => d.with_help("put the hidden text after `::`"),
            };
            out.push(d);
        }
    }
}

impl Rule for MalformedCloze {
    fn code(&self) -> &'static str {
        "malformed-cloze"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a cloze deletion Anki would not recognize"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for card in &cx.deck.cards {
            self.problems_in(cx, card.question_span, out);
            for line in &card.answer {
                let Some(text) = cx.source.text.get(line.span.start..line.span.end) else {
                    continue;
                };
                // Both findings need `{{`: look for it once per line.
                if !has_braces(text) {
                    continue;
                }
                self.problems_in(cx, line.span, out);
                if !scan(text).numbers.is_empty() {
                    let at = text.find("{{").map_or(line.span, |i| {
                        Span::new(line.span.start + i, line.span.start + i + 2)
                    });
                    out.push(
                        Diagnostic::new(
                            self.code(),
                            self.default_level(),
                            at,
                            "cloze deletion in an answer: Anki only hides clozes in the question",
                        )
                        .with_label("shown as typed on the back of the card")
                        .with_help("move the cloze into the question, or remove the braces"),
                    );
                }
            }
        }
    }
}

/// Whether `text` holds `{{`, which every cloze, well-formed or not,
/// starts with: a vectorized search for `{` instead of a substring search
/// set up anew for each line.
fn has_braces(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'{', b).any(|i| b.get(i + 1) == Some(&b'{'))
}

const DOC: &str = r#"**What it does**

Finds cloze deletions that Anki would not recognize: `{{c1:…}}` with one
colon, `{{c::…}}` without a number, `{{c0::…}}`, a `{{c1::` that is never
closed with `}}`, and an empty `{{c1::}}`. It also finds well-formed cloze
deletions in an answer, where Anki shows them as typed.

**Why it matters**

A question with a well-formed `{{c1::…}}` becomes a Cloze note: one card
per cloze number, with the deletion hidden. A malformed one leaves the
braces on the card, so the student sees the answer in the question, and a
question whose only cloze is malformed becomes a plain Basic card.

**Example**

```text
Q: The {{c1:Treaty of Friendship}} was signed in {{c2::1950
A: It promised $300million in economic aid
```

**Fix**

Write `{{c1::hidden text}}` (two colons, a number from 1, closed with
`}}`): `The {{c1::Treaty of Friendship}} was signed in {{c2::1950}}`.
`deckc check --fix` adds the missing colon.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check;

    #[test]
    fn reports_malformed_clozes_with_a_fix_for_one_colon() {
        let (_src, found) = check(
            &MalformedCloze,
            "Q The {{c1:Treaty}} was signed in {{c2::1950?\nAnswer {{c1::x}}\n",
        );
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(found.len(), 3, "{messages:?}");
        assert!(found[0].fix.is_some());
        assert!(messages[1].contains("never closed"));
        assert!(messages[2].contains("in an answer"));
    }

    #[test]
    fn well_formed_and_look_alikes_are_quiet() {
        let (_src, found) = check(
            &MalformedCloze,
            "Q The {{c1::Treaty}} was signed in {{c2::1950::year}}?\nA {{Front}} field, {c1::x}\n",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    proptest::proptest! {
        #[test]
        fn has_braces_is_contains(text in "[a{}c1: ]{0,20}") {
            proptest::prop_assert_eq!(has_braces(&text), text.contains("{{"));
        }
    }
}
