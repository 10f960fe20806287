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
            let fields = std::iter::once((card.question.as_str(), card.question_span, false))
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
    let lower = text.to_lowercase();
    // Lowercasing can change byte lengths (rare scripts); only trust byte
    // offsets found in `lower` when it lines up with `text`.
    if lower.len() == text.len() {
        for needle in ["lorem ipsum", "[insert"] {
            if let Some(i) = lower.find(needle) {
                let end = if needle == "[insert" {
                    text[i..].find(']').map_or(i + needle.len(), |j| i + j + 1)
                } else {
                    i + needle.len()
                };
                return Some((i, end));
            }
        }
    }
    if let Some(i) = text.find("???") {
        let run = text[i..].chars().take_while(|&c| c == '?').count();
        return Some((i, i + run));
    }
    words(text).find(|&(s, e)| {
        let w = &text[s..e];
        ANY_CASE.iter().any(|p| w.eq_ignore_ascii_case(p))
            || CAPITALS.contains(&w)
            || (w.len() > 3 && w.chars().all(|c| c == 'X'))
    })
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
    fn ordinary_words_pass() {
        let text =
            "What was the filler?\nA todolist of 1950s ideas... and more\nWhy?\n$300million\n";
        let (_, ds) = check(&Placeholder, text);
        assert!(ds.is_empty(), "{ds:?}");
    }
}
