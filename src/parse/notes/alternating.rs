//! Strictly alternating notes: glossary pairs and Quizlet page copies, where
//! term and definition take one line each (blank lines between pairs are
//! allowed) and the terms mostly do not look like questions.
//!
//! The named rule (`alternating-term` / `alternating-definition`) applies
//! only when the pairing is consistent: an even number of content lines,
//! no definition that looks like a question under a term that does not (that
//! means the pairing is off by one), at least one term
//! the question rules missed (otherwise the ordinary reading gives the same
//! cards), no term opening with a list marker, and pairs that look like
//! term → definition (terms short and not sentences).

use super::{orphan, record_title, rules, Class, Classified, Sections};
use crate::parse::DeckBuilder;

/// Share of terms that must look like terms.
const MIN_TERM_LIKE: f64 = 0.8;
/// Longest a term may be, in words, to look like one.
const MAX_TERM_WORDS: usize = 8;

/// How to read a file as alternating pairs.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    /// The title line and its rule, if one stands before the pairs.
    title: Option<(usize, &'static str)>,
    /// Indices (into the classified lines, ascending) of terms and of
    /// definitions.
    terms: Vec<usize>,
    definitions: Vec<usize>,
    /// Lines that carry on the definition above them.
    continued: Vec<usize>,
}

/// A `(Label)` line: in a glossary no question follows it, so the label
/// check of the ordinary reading does not apply.
fn is_label(line: &Classified<'_>) -> bool {
    matches!(line.class, Class::Label | Class::Plain) && rules::section_label(line.text).is_some()
}

/// Decides whether `lines` are alternating pairs: first strictly one line
/// each, then (for Quizlet copies whose definitions wrap) with continuation
/// lines joined to their definition (`alternating-continuation`).
pub(super) fn plan(lines: &[Classified<'_>]) -> Option<Plan> {
    let mut content: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].class != Class::Furniture && !is_label(&lines[i]))
        .collect();
    let first = *content.first()?;
    let line = &lines[first];
    let forced = rules::flashcards_title(line.text).is_some();
    let candidate = !line.is_question() && rules::title_like(line.text);
    let mut title = None;
    if forced {
        title = Some((first, "title-flashcards"));
    } else if content.len() % 2 == 1 && candidate {
        title = Some((first, "title-first-line"));
    }
    let strict = {
        let mut content = content.clone();
        if title.is_some() {
            content.remove(0);
        }
        pair(lines, &content, false).map(|p| Plan { title, ..p })
    };
    if strict.is_some() {
        return strict;
    }
    // Wrapped definitions: with the title line if there may be one.
    let with_title = forced || candidate;
    let title = with_title.then(|| {
        let rule = if forced {
            "title-flashcards"
        } else {
            "title-first-line"
        };
        (first, rule)
    });
    if with_title {
        content.remove(0);
    }
    pair(lines, &content, true).map(|p| Plan { title, ..p })
}

/// A line that carries on the definition above it in a Quizlet copy: a
/// list item, a line after one ending in `,`, `;`, `:`, a dash or a joining
/// word ("… and" / "Lloyd George (Britain)"), or a lowercase line under a
/// long line that has not ended its sentence.
fn continues(previous: &Classified<'_>, line: &Classified<'_>) -> bool {
    const JOINING: &[&str] = &[
        "and", "or", "of", "the", "to", "a", "an", "with", "for", "in",
    ];
    if line.is_question() {
        return false;
    }
    if line.class == Class::Marker {
        return true;
    }
    let p = previous.text.trim_end();
    let last = p.rsplit(' ').next().unwrap_or("");
    let open = p.ends_with([',', ';', ':', '-', '–', '—', '(', '&']) || JOINING.contains(&last);
    let lowercase_after_long = line.text.starts_with(char::is_lowercase)
        && p.split_whitespace().count() >= 6
        && !p.ends_with(['.', '!', '?']);
    open || lowercase_after_long
}

/// Pairs `content` (indices into `lines`) as term, definition, term…; with
/// `wrap`, continuation lines join the definition above them (at least one
/// must, or the strict reading already said no). Checks that the pairs look
/// like a glossary.
fn pair(lines: &[Classified<'_>], content: &[usize], wrap: bool) -> Option<Plan> {
    let (mut terms, mut definitions, mut continued) = (Vec::new(), Vec::new(), Vec::new());
    let mut k = 0;
    while let (Some(&t), Some(&d)) = (content.get(k), content.get(k + 1)) {
        terms.push(t);
        definitions.push(d);
        k += 2;
        while let (true, Some(&prev), Some(&next)) = (wrap, content.get(k - 1), content.get(k)) {
            if !continues(&lines[prev], &lines[next]) {
                break;
            }
            continued.push(next);
            k += 1;
        }
    }
    if terms.is_empty() || k != content.len() || (wrap && continued.is_empty()) {
        return None;
    }
    // A question under a non-question means the pairing is off by one; a
    // question under a question is a translation ("Ça va ?" / "How are you?").
    let misaligned = terms
        .iter()
        .zip(&definitions)
        .any(|(&t, &d)| lines[d].is_question() && !lines[t].is_question());
    if misaligned
        || terms.iter().all(|&i| lines[i].is_question())
        || terms.iter().any(|&i| lines[i].class == Class::Marker)
    {
        return None;
    }
    let term_like = terms
        .iter()
        .filter(|&&i| {
            let t = lines[i].text;
            t.split_whitespace().count() <= MAX_TERM_WORDS && !t.ends_with('.')
        })
        .count();
    if (term_like as f64) < MIN_TERM_LIKE * terms.len() as f64 {
        return None;
    }
    let chars =
        |set: &[usize]| -> usize { set.iter().map(|&i| lines[i].text.chars().count()).sum() };
    // Terms are rarely much longer than their definitions; vocabulary pairs
    // ("le chat" / "the cat") are about equal.
    if chars(&terms) * 2 > (chars(&definitions) + chars(&continued)) * 3 {
        return None;
    }
    Some(Plan {
        title: None,
        terms,
        definitions,
        continued,
    })
}

/// Builds the cards of an alternating file.
pub(super) fn build(b: &mut DeckBuilder<'_>, lines: &[Classified<'_>], plan: &Plan) {
    let mut sections = Sections::default();
    for (i, line) in lines.iter().enumerate() {
        let number = line.line.number;
        if let Some((_, rule)) = plan.title.filter(|&(t, _)| t == i) {
            record_title(b, line, rule);
        } else if plan.terms.binary_search(&i).is_ok() {
            let (text, span) = line.unnumbered();
            sections.question(b, number, text, span, "alternating-term");
        } else if plan.definitions.binary_search(&i).is_ok() {
            let (text, span) = line.as_written();
            b.answer(number, text, span, "alternating-definition");
        } else if plan.continued.binary_search(&i).is_ok() {
            let (text, span) = line.as_written();
            b.answer(number, text, span, "alternating-continuation");
        } else if is_label(line) {
            sections.label(b, lines, i);
        } else {
            orphan(b, line);
        }
    }
}
