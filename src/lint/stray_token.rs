//! `stray-token`: a lone letter or punctuation mark left at the end (or
//! start) of a line, like the `m` in `Describe the ideological differences
//! factor m`.
//!
//! Only line ends and starts are looked at, and a letter counts as stray
//! only where nothing suggests it is meant: not `a`/`i`, not after a number
//! (`5 m`), an operator or a word that introduces a symbol (`for x`,
//! `vitamin c`, `type b`), and not a letter the deck uses on its own
//! elsewhere (a variable in a maths deck).

use super::words::{Segment, WordIndex};
use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Edit, Level};
use crate::source::Span;

pub struct StrayToken;

/// Punctuation that never ends or starts a sentence on its own.
const STRAY_PUNCT: &[&str] = &[",", ";", "`", "\\", "~", "^"];

/// Words after which a single letter is a name for something: a variable,
/// an option, a unit, a grade.
const INTRODUCERS: &[&str] = &[
    "of",
    "for",
    "to",
    "by",
    "with",
    "at",
    "in",
    "on",
    "and",
    "or",
    "than",
    "is",
    "are",
    "was",
    "were",
    "be",
    "equals",
    "let",
    "where",
    "if",
    "then",
    "as",
    "called",
    "named",
    "variable",
    "vector",
    "constant",
    "letter",
    "option",
    "choice",
    "answer",
    "type",
    "grade",
    "plan",
    "group",
    "class",
    "part",
    "section",
    "column",
    "row",
    "point",
    "matrix",
    "set",
    "angle",
    "side",
    "axis",
    "parameter",
    "coefficient",
    "index",
    "element",
    "node",
    "vertex",
    "label",
    "vitamin",
    "mass",
    "length",
    "time",
    "speed",
    "velocity",
    "charge",
    "radius",
    "height",
    "width",
    "number",
    "size",
    "unit",
    "units",
    "symbol",
    "key",
    "note",
    "chord",
    "scale",
    "strand",
    "base",
    "gene",
    "allele",
    "blood",
    "function",
    "value",
    "term",
    "pronounced",
    "sound",
    "spelled",
];

const DOC: &str = "\
**What it does**

Finds a stray character left at the end or start of a line: a single
lowercase letter (other than `a` and `i`), or a lone `,` `;` `` ` `` `\\`
`~` `^` separated from the text by a space.

A single letter is left alone when it is meant: after a number (`5 m`,
`10 g`), an operator (`x = y`), or a word that introduces a symbol (`solve
for x`, `vitamin c`, `type b`, `grade e`), when it is the whole line, and
when the deck uses the same letter on its own somewhere else (a variable
in a maths deck). Uppercase letters (`Plan B`, `vitamin C`) are never
reported.

**Why it matters**

A stray key press ends up on the card the learner sees (`…factor m`), and
for a question it changes what is being asked.

**Example**

```text
Describe the ideological differences factor m
```

**Fix**

Delete the stray character. `deckc check --fix` removes it together with
the space before (or after) it.
";

impl Rule for StrayToken {
    fn code(&self) -> &'static str {
        "stray-token"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a stray letter or punctuation mark at a line's end or start"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let words = cx.words();
        let index = &*words;
        for seg in index.segments() {
            if let Some(found) = stray_at_end(&seg, index).or_else(|| stray_at_start(&seg, index)) {
                out.push(found.diagnostic());
            }
        }
    }
}

/// A stray token: its span, and the span to delete (token plus the space
/// that separates it).
struct Stray<'a> {
    token: &'a str,
    span: Span,
    delete: Span,
}

impl Stray<'_> {
    fn diagnostic(&self) -> Diagnostic {
        Diagnostic::new(
            "stray-token",
            Level::Warning,
            self.span,
            format!("stray `{}` in this line", self.token),
        )
        .with_label("this does not belong to the sentence")
        .with_help("delete it if it was typed by accident")
        .with_fix(
            format!("remove `{}`", self.token),
            vec![Edit {
                span: self.delete,
                replacement: String::new(),
            }],
        )
    }
}

/// Whether `token` is a single lowercase ASCII letter that is not a word.
fn is_lone_letter(token: &str) -> bool {
    let mut chars = token.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_ascii_lowercase() && c != 'a' && c != 'i')
}

/// The deck uses `letter` on its own away from line ends (a variable, a
/// list label): then it is not a slip here either.
fn used_elsewhere(index: &WordIndex<'_>, letter: &str) -> bool {
    index.count(letter) > 1
}

fn stray_at_end<'a>(seg: &Segment<'a>, index: &WordIndex<'_>) -> Option<Stray<'a>> {
    let text = seg.text.trim_end();
    // Only a one-byte token after whitespace can be stray: most lines end
    // in a word and are done here.
    let (&last, rest) = text.as_bytes().split_last()?;
    if !(last.is_ascii_lowercase() || b",;`\\~^".contains(&last))
        || !text
            .get(..rest.len())
            .is_some_and(|r| r.ends_with(char::is_whitespace))
    {
        return None;
    }
    let (before, token) = text.rsplit_once(char::is_whitespace)?;
    let before_trimmed = before.trim_end();
    let prev = before_trimmed.rsplit(char::is_whitespace).next()?;
    let start = before.len() + 1;
    let span = Span::new(seg.start + start, seg.start + text.len());
    let delete = Span::new(seg.start + before_trimmed.len(), span.end);
    let stray = Stray {
        token: seg.text.get(start..text.len())?,
        span,
        delete,
    };
    if STRAY_PUNCT.contains(&token) {
        // `a , b` style lists and code keep their punctuation mid-line;
        // only a final one after a word is stray.
        return prev
            .chars()
            .last()
            .is_some_and(char::is_alphanumeric)
            .then_some(stray);
    }
    if !is_lone_letter(token) || used_elsewhere(index, token) {
        return None;
    }
    let prev_word = prev.trim_end_matches(|c: char| ".?!".contains(c));
    let after_sentence = prev_word.len() < prev.len();
    let prev_ok = prev_word.chars().count() >= 2
        && prev_word.chars().all(char::is_alphabetic)
        && !INTRODUCERS.contains(&prev_word.to_lowercase().as_str());
    (prev_ok || (after_sentence && !prev_word.is_empty())).then_some(stray)
}

fn stray_at_start<'a>(seg: &Segment<'a>, index: &WordIndex<'_>) -> Option<Stray<'a>> {
    let lead = seg.text.len() - seg.text.trim_start().len();
    let text = seg.text.get(lead..)?;
    // Only a one-byte token before a space can be stray.
    if text.as_bytes().get(1) != Some(&b' ') {
        return None;
    }
    // The token is the first byte (a byte before a space is a whole
    // character), and only stray punctuation or a lone letter can be
    // stray: most lines that get here start with a list marker (`- `,
    // `> `) and are done without reading on.
    let token = text.get(..1)?;
    let punct = STRAY_PUNCT.contains(&token);
    if !punct && !is_lone_letter(token) {
        return None;
    }
    let next = text.get(2..)?.trim_start();
    let sep = text.len() - next.len() - token.len();
    let span = Span::new(seg.start + lead, seg.start + lead + token.len());
    let delete = Span::new(span.start, span.end + sep);
    let stray = Stray {
        token: seg.text.get(lead..lead + token.len())?,
        span,
        delete,
    };
    if punct {
        return next
            .chars()
            .next()
            .is_some_and(char::is_alphabetic)
            .then_some(stray);
    }
    // `m Describe the…`: a lone letter before a capitalized sentence.
    let next_capital = next.chars().next().is_some_and(char::is_uppercase)
        && next
            .split_whitespace()
            .next()
            .is_some_and(|w| w.chars().count() >= 2);
    (next_capital && !used_elsewhere(index, token)).then_some(stray)
}

#[cfg(test)]
mod tests {
    use super::super::words::testing::*;
    use super::*;

    proptest::proptest! {
        /// The early reject at the start of a line finds the same strays
        /// as reading every line in full: what `stray_at_start` said
        /// before it, written out.
        #[test]
        fn the_start_reject_keeps_every_stray(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "- ", "> ", "m ", "a ", "i ", ", ", "; ", "^ ", "x", "Describe", "the",
                    " ", "  ", "é ", "\u{2003}", "Q", "ok", "\\ ", "` ", "~ ", "1 ",
                ]),
                0..8,
            )
        ) {
            let line = parts.concat();
            let text = format!("T\nQ?\n{line}\nQ?\nx y z q\n");
            let src = crate::source::SourceFile::new("x.txt", text.as_str());
            let deck = crate::lint::testing::deck(&src);
            let config = crate::lint::LintConfig::default();
            let cx = Context::new(&deck, &src, &config);
            let index = cx.words();
            for seg in index.segments() {
                let new = stray_at_start(&seg, &index).map(|s| (s.span, s.delete));
                let old = old_stray_at_start(&seg, &index).map(|s| (s.span, s.delete));
                proptest::prop_assert_eq!(new, old, "{:?}", seg.text);
            }
        }
    }

    /// `stray_at_start` as it was before its early reject.
    fn old_stray_at_start<'a>(seg: &Segment<'a>, index: &WordIndex<'_>) -> Option<Stray<'a>> {
        let lead = seg.text.len() - seg.text.trim_start().len();
        let text = seg.text.get(lead..)?;
        if text.as_bytes().get(1) != Some(&b' ') {
            return None;
        }
        let (token, rest) = text.split_once(' ')?;
        let next = rest.trim_start();
        let sep = text.len() - next.len() - token.len();
        let span = Span::new(seg.start + lead, seg.start + lead + token.len());
        let delete = Span::new(span.start, span.end + sep);
        let stray = Stray {
            token: seg.text.get(lead..lead + token.len())?,
            span,
            delete,
        };
        let next_starts_word = next.chars().next().is_some_and(char::is_alphabetic);
        if STRAY_PUNCT.contains(&token) {
            return next_starts_word.then_some(stray);
        }
        let next_capital = next.chars().next().is_some_and(char::is_uppercase)
            && next
                .split_whitespace()
                .next()
                .is_some_and(|w| w.chars().count() >= 2);
        (is_lone_letter(token) && next_capital && !used_elsewhere(index, token)).then_some(stray)
    }

    fn lines(ds: &[Diagnostic], text: &str) -> Vec<usize> {
        ds.iter().map(|d| line_of(text, d)).collect()
    }

    #[test]
    fn reference_reports_the_m_on_line_27() {
        let ds = check_reference(&StrayToken);
        assert_eq!(lines(&ds, REFERENCE), [27], "{ds:#?}");
        let edit = &ds[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(&REFERENCE[edit.span.start..edit.span.end], " m");
    }

    #[test]
    fn finds_letters_and_punctuation_at_either_end() {
        let text = "T\nWhat is a cell? q\nIt divides ,\n; Then it grows\nk Describe mitosis\nends with a word x\n";
        let ds = check(&StrayToken, text, &[2]);
        assert_eq!(lines(&ds, text), [2, 3, 4, 5, 6], "{ds:#?}");
    }

    #[test]
    fn meant_letters_are_quiet() {
        let text = "T\nQ?\nTake vitamin C\nSolve for x\nThe speed is 5 m\nAdd 10 g\nChoose type b\nx = 5\nc\nIt is Plan B\nthe letter a\nThe value y\nthen y grows by y\n";
        let ds = check(&StrayToken, text, &[2]);
        assert!(ds.is_empty(), "{ds:#?}");
    }
}
