//! The `markdown` syntax: ATX headings (`#` … `######`).
//!
//! ```text
//! # Cold War Flashcards
//! ## Context
//! ### Define détente
//! a relaxation of tension
//!
//! - SALT I, 1972
//! ```
//!
//! The deepest heading level with body text under it is the question level:
//! those headings (and any deeper ones) are questions and the lines under
//! them are the answer (trimmed, list markers kept, blank lines dropped).
//! Higher headings are sections, except that a document with a single `#`
//! heading at the top, above the question level, is titled by it. Fenced
//! code blocks (```` ``` ```` or `~~~`) keep their lines verbatim, blank ones
//! included; the fence lines themselves are not part of the answer. Text
//! outside any question is an `orphan-line` finding.

use crate::diagnostic::{Diagnostic, Level};
use crate::model::{Deck, Role};
use crate::source::{Line, SourceFile};

use super::qa::title_name;
use super::{trimmed, DeckBuilder};

/// What a line is, before deciding what it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind<'a> {
    Blank,
    /// Level, text, and the text's byte offset in the trimmed line.
    Heading(usize, &'a str, usize),
    Body,
    Fence,
    Code,
}

pub fn parse(src: &SourceFile) -> (Deck, Vec<Diagnostic>) {
    let kinds = classify(src);
    let mut with_body = Vec::new();
    let mut current_heading = None;
    for kind in &kinds {
        match kind {
            Kind::Heading(level, ..) => current_heading = Some(*level),
            Kind::Body | Kind::Code => with_body.extend(current_heading),
            Kind::Blank | Kind::Fence => {}
        }
    }
    let levels = kinds.iter().filter_map(|k| match k {
        Kind::Heading(level, ..) => Some(*level),
        _ => None,
    });
    let deepest = levels.clone().max().unwrap_or(1);
    let q_level = with_body.iter().copied().max().unwrap_or(deepest);
    let title_line = title_heading(&kinds, q_level);

    let empty = empty_headings(&kinds);
    let mut b = DeckBuilder::new(src);
    let mut in_question = false;
    for ((line, kind), empty) in src.lines().zip(kinds).zip(empty) {
        let (text, span) = trimmed(&line);
        match kind {
            Kind::Blank => {}
            Kind::Heading(..) if empty => {
                in_question = false;
                let d = Diagnostic::new(
                    "orphan-line",
                    Level::Warning,
                    span,
                    "empty heading with nothing under it belongs to no card",
                )
                .with_label("no heading text and no body")
                .with_help("delete the stray `#`s, or write the heading");
                b.diagnosed(line.number, "markdown-empty-heading", d);
            }
            Kind::Heading(_, name, offset) if Some(line.number) == title_line => {
                let name_span = span.sub(offset, offset + name.len());
                b.title(line.number, title_name(name), name_span, "markdown-title");
            }
            Kind::Heading(level, name, offset) => {
                let name_span = span.sub(offset, offset + name.len());
                in_question = level >= q_level;
                if in_question {
                    b.question(line.number, name, name_span, "markdown-question-heading");
                } else {
                    b.section(line.number, name, name_span, "markdown-section-heading");
                }
            }
            Kind::Body | Kind::Code | Kind::Fence if !in_question => orphan(&mut b, &line),
            Kind::Body => {
                b.answer(line.number, text, span, "markdown-body");
            }
            Kind::Code => {
                b.answer(line.number, line.text, line.span, "markdown-code-block");
            }
            Kind::Fence => {
                if let Some(i) = b.current_card() {
                    b.mark(line.number, Role::Answer(i), "markdown-code-fence");
                }
            }
        }
    }
    b.finish()
}

/// Per line: a heading with no text and no body before the next heading
/// (a stray `###` left in the notes), which makes no card.
fn empty_headings(kinds: &[Kind<'_>]) -> Vec<bool> {
    let mut out = vec![false; kinds.len()];
    for (i, kind) in kinds.iter().enumerate() {
        if let Kind::Heading(_, "", _) = kind {
            let body = kinds
                .iter()
                .skip(i + 1)
                .take_while(|k| !matches!(k, Kind::Heading(..)))
                .any(|k| !matches!(k, Kind::Blank));
            if let Some(slot) = out.get_mut(i) {
                *slot = !body;
            }
        }
    }
    out
}

/// Line number of the heading that titles the deck: the only `#` heading,
/// first in the document, above the question level.
fn title_heading(kinds: &[Kind<'_>], q_level: usize) -> Option<usize> {
    let mut headings = kinds.iter().enumerate().filter_map(|(i, k)| match k {
        Kind::Heading(level, ..) => Some((i + 1, *level)),
        _ => None,
    });
    let (line, level) = headings.next()?;
    let single = !headings.any(|(_, l)| l == 1);
    (level == 1 && q_level > 1 && single).then_some(line)
}

fn orphan(b: &mut DeckBuilder<'_>, line: &Line<'_>) {
    let span = trimmed(line).1;
    let d = Diagnostic::new(
        "orphan-line",
        Level::Warning,
        span,
        "text outside any question heading belongs to no card",
    )
    .with_label("not under a question heading")
    .with_help("move it under a question heading, or delete it");
    b.diagnosed(line.number, "markdown-outside-question", d);
}

/// Classifies every line, tracking fenced code blocks.
fn classify(src: &SourceFile) -> Vec<Kind<'_>> {
    let mut out = Vec::with_capacity(src.line_count());
    let mut fence: Option<(char, usize)> = None;
    for line in src.lines() {
        let text = line.text.trim();
        let run = |c: char| text.chars().take_while(|&x| x == c).count();
        let kind = match fence {
            Some((c, n)) if run(c) >= n && text.chars().all(|x| x == c) => {
                fence = None;
                Kind::Fence
            }
            Some(_) => Kind::Code,
            None if line.is_blank() => Kind::Blank,
            None => match ['`', '~'].into_iter().find(|&c| run(c) >= 3) {
                Some(c) => {
                    fence = Some((c, run(c)));
                    Kind::Fence
                }
                None => heading(text).unwrap_or(Kind::Body),
            },
        };
        out.push(kind);
    }
    out
}

/// `## Text ##` → level 2, `Text`. The `#`s must be followed by a space, a
/// tab or nothing, so `#hashtag` stays text.
fn heading(text: &str) -> Option<Kind<'_>> {
    let level = text.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let after = text.get(level..)?;
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = after.trim();
    let offset = level + after.len() - after.trim_start().len();
    let closed = rest.trim_end_matches('#');
    let name = if closed.is_empty() || closed.ends_with([' ', '\t']) {
        closed.trim_end()
    } else {
        rest
    };
    Some(Kind::Heading(level, name, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(text: &str) -> (Deck, Vec<Diagnostic>) {
        parse(&SourceFile::new("t.md", text))
    }

    #[test]
    fn headings_parse() {
        assert_eq!(heading("## A b ##"), Some(Kind::Heading(2, "A b", 3)));
        assert_eq!(heading("#"), Some(Kind::Heading(1, "", 1)));
        assert_eq!(heading("#hashtag"), None);
        assert_eq!(heading("####### seven"), None);
        assert_eq!(heading("# C#"), Some(Kind::Heading(1, "C#", 2)));
    }

    #[test]
    fn deepest_level_with_body_is_the_question() {
        let text = "# Cold War Flashcards\n\n## Context\n### Q one\nline\n\n* item\n### Q two\n## Later\n### Q three\n```rust\nlet x = 1;\n\n  y\n```\n";
        let (d, diags) = deck(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(d.name, "Cold War");
        let got: Vec<_> = d
            .cards
            .iter()
            .map(|c| (&*c.question, c.answer_text(), c.tags.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Q one",
                    "line\n* item".to_string(),
                    vec!["Context".to_string()]
                ),
                ("Q two", String::new(), vec!["Context".to_string()]),
                (
                    "Q three",
                    "let x = 1;\n\n  y".to_string(),
                    vec!["Later".to_string()]
                ),
            ]
        );
        assert_eq!(d.lines.get(10).unwrap().role, Role::Answer(2));
    }

    #[test]
    fn a_stray_empty_heading_makes_no_card() {
        let (d, diags) = deck("## A\nbody\n### \n\n## B\nmore\n###\n");
        assert_eq!(d.cards.len(), 2);
        assert_eq!(diags.len(), 2);
        assert_eq!(d.lines.get(2).unwrap().role, Role::Diagnosed);
    }

    #[test]
    fn text_outside_questions_is_orphaned() {
        let (d, diags) = deck("intro\n# A\nbody\n# B\nmore\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "orphan-line");
        assert_eq!(d.name, "");
        assert_eq!(d.cards.len(), 2);
    }
}
