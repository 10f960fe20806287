//! `missing-media`: a referenced media file that cannot be packed.

use std::path::Path;

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Level};
use crate::media::{self, Problem};
use crate::source::Span;

pub struct MissingMedia;

impl Rule for MissingMedia {
    fn code(&self) -> &'static str {
        "missing-media"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn summary(&self) -> &'static str {
        "a referenced media file that cannot be packed"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let dir = media::base_dir(cx.source.path.parent());
        for card in &cx.deck.cards {
            let texts = std::iter::once((&*card.question, card.question_span))
                .chain(card.answer.iter().map(|l| (&*l.text, l.span)));
            for (text, span) in texts {
                if !may_hold_reference(text.as_bytes()) {
                    continue;
                }
                for r in media::references(text, true) {
                    if let Err(problem) = media::resolve(&dir, &r.name) {
                        out.push(finding(cx, &dir, text, span, &r, &problem));
                    }
                }
            }
        }
    }
}

/// Whether `text` may hold a reference [`media::references`] reads: a
/// Markdown image starts with `![`, an HTML one with `<img` in any ASCII
/// case (it searches the ASCII-lowercased text). Most lines have neither,
/// and are not lowercased or searched again.
fn may_hold_reference(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(b'!', b'<', bytes).any(|i| match bytes.get(i) {
        Some(b'!') => bytes.get(i + 1) == Some(&b'['),
        _ => bytes
            .get(i + 1..i + 4)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"img")),
    })
}

const DOC: &str = r#"**What it does**

Checks every image a card refers to (`![alt](file)`, or `<img src="file">`
in HTML notes) and reports a file that is missing next to the notes, or a
name that is not a single safe file name: `..`, `/`, `\`, an absolute path,
a drive letter, or a symlink leading out of the notes' directory. Names
Anki would change on import are refused too, with the name Anki would use:
Windows device names (`CON.png`, `nul.txt`, `com1.jpg`), a trailing dot or
space, any of `[]<>:"?*^|`, a no-break space, a name not in Unicode NFC, and
names over 120 bytes. Remote images (`https://…`) are not checked.

**Why it matters**

Anki shows a broken image for a file that is not in the package, and a path
that leaves the notes' directory could pack files nobody meant to share.

**Example**

```text
Q: Where is Berlin?
A: ![map](../maps/germany.png)
```

**Fix**

Put the file in the same directory as the notes and refer to it by its bare
name: `![map](germany.png)`.
"#;

/// The span of a reference: inside the line when the text is found there
/// verbatim, else the whole line.
fn reference_span(cx: &Context<'_>, text: &str, span: Span, r: &media::Reference) -> Span {
    let within = cx
        .source
        .text
        .get(span.start..span.end)
        .and_then(|slice| slice.find(text));
    match within {
        Some(pos) => Span::new(span.start + pos + r.start, span.start + pos + r.end),
        None => span,
    }
}

fn finding(
    cx: &Context<'_>,
    dir: &Path,
    text: &str,
    span: Span,
    r: &media::Reference,
    problem: &Problem,
) -> Diagnostic {
    let renamed = media::anki_name(&r.name);
    let (label, help) = match problem {
        Problem::Unsafe(_) if renamed != r.name && !r.name.contains(['/', '\\']) => (
            "Anki would rename this file",
            format!(
                "rename the file and the reference to a plain name such as `{renamed}`, \
                 so the card and the package agree"
            ),
        ),
        Problem::Unsafe(_) => (
            "not a plain file name",
            "put the file next to the notes and use its bare name".to_string(),
        ),
        Problem::Missing => (
            "no such file",
            format!("add `{}` to `{}`, or fix the name", r.name, dir.display()),
        ),
        Problem::Escapes => (
            "leads outside the notes' directory",
            "copy the file next to the notes instead of linking to it".to_string(),
        ),
    };
    Diagnostic::new(
        "missing-media",
        Level::Error,
        reference_span(cx, text, span, r),
        problem.message(&r.name),
    )
    .with_label(label)
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::LintConfig;
    use crate::model::{AnswerLine, Card, Deck};
    use crate::source::SourceFile;

    fn check(dir: &Path, text: &str, answer_line: &str) -> Vec<Diagnostic> {
        let src = SourceFile::new(dir.join("notes.txt"), text);
        let start = text.find(answer_line).unwrap();
        let deck = Deck {
            cards: vec![Card {
                question: "Q".into(),
                answer: vec![AnswerLine::new(
                    answer_line,
                    Span::new(start, start + answer_line.len()),
                )],
                ..Card::default()
            }],
            ..Deck::default()
        };
        let mut out = Vec::new();
        MissingMedia.check(&Context::new(&deck, &src, &LintConfig::default()), &mut out);
        out
    }

    #[test]
    fn reports_missing_and_unsafe_files_with_their_span() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("here.png"), b"x").unwrap();
        let text = "Q\nsee ![a](here.png) ![b](gone.png) ![c](../up.png)\n";
        let line = "see ![a](here.png) ![b](gone.png) ![c](../up.png)";
        let found = check(dir.path(), text, line);
        assert_eq!(found.len(), 2);
        assert!(found[0].message.contains("gone.png"));
        let s = found[0].span;
        assert_eq!(&text[s.start..s.end], "![b](gone.png)");
        assert!(found[1].message.contains("not a safe file name"));
    }

    #[test]
    fn remote_images_and_present_files_are_fine() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.png"), b"x").unwrap();
        let line = "![x](a.png) <img src=\"https://e.com/y.png\">";
        assert!(check(dir.path(), &format!("Q\n{line}"), line).is_empty());
    }

    proptest::proptest! {
        /// A line the prefilter skips has no reference.
        #[test]
        fn the_prefilter_never_hides_a_reference(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "!", "[", "](", ")", "a.png", " ", "<", "img", "IMG", "iMg", " src=\"", "\"",
                    ">", "https://e.com/", "é", "<im", "g",
                ]),
                0..10,
            )
        ) {
            let text = parts.concat();
            if !may_hold_reference(text.as_bytes()) {
                proptest::prop_assert!(media::references(&text, true).is_empty(), "{}", text);
            }
        }
    }
}
