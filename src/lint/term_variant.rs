//! `term-variant`: a multi-word term written with different spacing or
//! hyphenation (`Sino-Soviet`, `Sino Soviet`, `Sino- Soviet`).
//!
//! A term is a run of words joined by hyphens or dashes. Its key is the run
//! lowercased with the separators removed (`sinosoviet`). One pass collects
//! the keys of every hyphenated term; a second pass files every run of 1–3
//! words with that key, by the separators it uses. A key written with more
//! than one separator style, one of them the clear majority, is reported.

use std::collections::{BTreeMap, BTreeSet};

use super::words::{Word, WordIndex};
use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Edit, Level};
use crate::source::Span;

pub struct TermVariant;

/// Longest term looked at, in words.
const MAX_WORDS: usize = 3;

const DOC: &str = "\
**What it does**

Finds a term of several words written with different separators in the
same deck: `Sino-Soviet` in most places, `Sino Soviet` or `Sino- Soviet`
in others. Terms are compared lowercased with spaces, hyphens and dashes
removed. The spelling used most often is taken as the right one.

Space against hyphen is only reported for terms with a capitalized part
(`Sino-Soviet`, `Austro-Hungarian`): for ordinary words the two are often
both right (`a long-term plan` / `in the long term`, `follow-up` /
`follow up`). A broken hyphen (`Sino- Soviet`) and a closed-up form
(`e-mail` / `email`) are reported for any term.

**Why it matters**

Learners search and compare cards by these terms; an inconsistent form
also looks like a different term and weakens the card's authority.

**Example**

```text
Define Sino-Soviet relations
Context for the Sino Soviet relations
What was the origins of Sino- Soviet relations deteriorating?
```

**Fix**

Write the term the same way everywhere. `deckc check --fix` rewrites the
separators of the other forms to the majority form's.
";

impl Rule for TermVariant {
    fn code(&self) -> &'static str {
        "term-variant"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn summary(&self) -> &'static str {
        "a multi-word term is written with different spacing or hyphenation"
    }

    fn doc(&self) -> &'static str {
        DOC
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let index = cx.words();
        let runs = runs(index);
        let keys: BTreeSet<String> = runs
            .iter()
            .filter(|r| r.joined)
            .map(|r| r.key.clone())
            .collect();
        // key → style (separators) → occurrences
        let mut found: BTreeMap<&str, BTreeMap<Vec<&str>, Vec<&Run<'_>>>> = BTreeMap::new();
        for run in runs.iter().filter(|r| keys.contains(&r.key)) {
            found
                .entry(run.key.as_str())
                .or_default()
                .entry(run.separators.clone())
                .or_default()
                .push(run);
        }
        for styles in found.values().filter(|s| s.len() > 1) {
            report(styles, out);
        }
    }
}

/// A run of words joined by separators, as written.
#[derive(Debug)]
struct Run<'a> {
    key: String,
    words: Vec<&'a Word<'a>>,
    /// The text between consecutive words.
    separators: Vec<&'a str>,
    /// Joined by hyphens/dashes only (a term as written), not spaces.
    joined: bool,
    capitalized: bool,
}

impl Run<'_> {
    fn span(&self) -> Span {
        match (self.words.first(), self.words.last()) {
            (Some(a), Some(b)) => a.span.join(b.span),
            _ => Span::default(),
        }
    }
}

/// A separator that can join the parts of a term: a hyphen or en dash
/// (possibly broken by a space on one side), or one space. A dash with
/// spaces on both sides is punctuation, not a joiner.
fn joiner(sep: &str) -> Option<bool> {
    match sep {
        " " => Some(false),
        "-" | "–" | "‑" | "- " | " -" | "– " | " –" => Some(true),
        _ => None,
    }
}

/// Every term-shaped run: maximal hyphen-joined runs, plus every 1–3 words
/// joined by single spaces (looked up against the hyphenated keys).
fn runs<'a>(index: &'a WordIndex<'a>) -> Vec<Run<'a>> {
    let mut out = Vec::new();
    for s in 0..index.segments.len() {
        let ws = index.segment_words(s);
        for start in 0..ws.len() {
            // A hyphenated run starts at its first word, never inside.
            let prev_is_hyphen = start
                .checked_sub(1)
                .and_then(|p| ws.get(p))
                .zip(ws.get(start))
                .is_some_and(|(p, w)| joiner(index.gap(p, w)) == Some(true));
            let mut words: Vec<&Word<'_>> = Vec::new();
            let mut seps = Vec::new();
            for (k, w) in ws.iter().enumerate().skip(start).take(MAX_WORDS) {
                if !w.text.chars().all(char::is_alphabetic) {
                    break;
                }
                if let Some(prev) = words.last() {
                    let sep = index.gap(prev, w);
                    if joiner(sep).is_none() {
                        break;
                    }
                    seps.push(sep);
                }
                words.push(w);
                let hyphens = seps.iter().filter(|s| joiner(s) == Some(true)).count();
                let all_hyphens = hyphens == seps.len() && !seps.is_empty();
                let all_spaces = hyphens == 0;
                // A hyphenated run counts only when maximal (`a-b-c`, not `a-b`).
                let next_is_hyphen = ws
                    .get(k + 1)
                    .is_some_and(|n| joiner(index.gap(w, n)) == Some(true));
                if (all_hyphens && !next_is_hyphen && !prev_is_hyphen) || all_spaces {
                    out.push(Run {
                        key: words.iter().map(|w| w.text.to_lowercase()).collect(),
                        words: words.clone(),
                        separators: seps.clone(),
                        joined: all_hyphens,
                        capitalized: words
                            .iter()
                            .any(|w| w.text.chars().next().is_some_and(char::is_uppercase)),
                    });
                }
                if !(all_hyphens || all_spaces) {
                    break;
                }
            }
        }
    }
    out
}

/// Whether replacing `from` separators with `to` is a real inconsistency,
/// not an ordinary-word compound that is right both ways.
fn reportable(run: &Run<'_>, from: &[&str], to: &[&str]) -> bool {
    let broken = |seps: &[&str]| seps.iter().any(|s| s.len() > 1 && s.trim() != *s);
    if broken(from) {
        return true;
    }
    let spaced = from.contains(&" ") || to.contains(&" ");
    // `re-cover`/`recover`, `re-sign`/`resign` are different words.
    let re_prefix = run
        .words
        .first()
        .is_some_and(|w| w.text.eq_ignore_ascii_case("re"));
    run.capitalized || (!spaced && !re_prefix)
}

fn report(styles: &BTreeMap<Vec<&str>, Vec<&Run<'_>>>, out: &mut Vec<Diagnostic>) {
    let max = styles.values().map(Vec::len).max().unwrap_or(0);
    let mut majority = styles.iter().filter(|(_, r)| r.len() == max);
    let (Some((keep, keep_runs)), None) = (majority.next(), majority.next()) else {
        return; // a tie: no form to prefer
    };
    let Some(model) = keep_runs.first() else {
        return;
    };
    let keep_text = source_text(model);
    let mut variants: Vec<&Run<'_>> = styles
        .iter()
        .filter(|(s, _)| *s != keep)
        .flat_map(|(_, runs)| runs.iter().copied())
        .filter(|r| reportable(r, &r.separators, keep))
        .collect();
    variants.sort_by_key(|r| r.span());
    let Some(first) = variants.first() else {
        return;
    };
    let first_text = source_text(first);
    let mut d = Diagnostic::new(
        "term-variant",
        Level::Warning,
        first.span(),
        format!("`{first_text}` is written `{keep_text}` elsewhere in this deck"),
    )
    .with_label(format!("written `{first_text}` here"));
    for r in variants.iter().skip(1) {
        d = d.with_related(r.span(), format!("also written `{}` here", source_text(r)));
    }
    for r in keep_runs.iter().take(3) {
        d = d.with_related(r.span(), format!("written `{keep_text}` here"));
    }
    let edits: Vec<Edit> = variants
        .iter()
        .map(|r| Edit {
            span: r.span(),
            replacement: recase(&keep_text, &source_text(r)),
        })
        .collect();
    let n = variants.len();
    out.push(
        d.with_help(format!(
            "`{keep_text}` is the most common form ({max} of {} places)",
            max + n
        ))
        .with_fix(format!("write `{keep_text}` everywhere"), edits),
    );
}

/// The run's text as written in the source.
fn source_text(run: &Run<'_>) -> String {
    let mut s = String::new();
    for (i, w) in run.words.iter().enumerate() {
        if i > 0 {
            s.push_str(run.separators.get(i - 1).copied().unwrap_or(" "));
        }
        s.push_str(w.text);
    }
    s
}

/// `model`'s separators with the letter case of `written` (both have the
/// same letters, compared lowercased), so a fix keeps the writer's case.
fn recase(model: &str, written: &str) -> String {
    let mut letters = written.chars().filter(|c| c.is_alphabetic());
    let mut out = String::with_capacity(model.len());
    for c in model.chars() {
        if !c.is_alphabetic() {
            out.push(c);
            continue;
        }
        match letters.next() {
            Some(w) if w.to_lowercase().eq(c.to_lowercase()) => out.push(w),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::words::testing::*;
    use super::*;

    #[test]
    fn reference_reports_sino_soviet_once_with_both_variants() {
        let ds = check_reference(&TermVariant);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        let d = &ds[0];
        assert_eq!(line_of(REFERENCE, d), 4);
        assert_eq!(&REFERENCE[d.span.start..d.span.end], "Sino Soviet");
        let src = crate::source::SourceFile::new("x", REFERENCE);
        let related: Vec<usize> = d
            .related
            .iter()
            .map(|r| src.line_of(r.span.start))
            .collect();
        assert_eq!(related, [48, 1, 2, 7]);
        let fixed = crate::fix::apply(REFERENCE, std::slice::from_ref(d)).0;
        assert_eq!(fixed.matches("Sino-Soviet").count(), 5);
    }

    #[test]
    fn ordinary_compounds_with_spaces_are_quiet() {
        let text = "T\nQ?\na long-term plan, a long-term aim\nQ?\nin the long term; a follow-up, follow up later\n";
        assert!(check(&TermVariant, text, &[2, 4]).is_empty());
    }

    #[test]
    fn broken_and_closed_forms_are_reported_for_any_term() {
        let text = "T\nQ?\nsend an e-mail, another e-mail\nQ?\nread the email; a long- term plan, a long-term aim, long-term\n";
        let ds = check(&TermVariant, text, &[2, 4]);
        let got: Vec<(usize, &str)> = ds
            .iter()
            .map(|d| (line_of(text, d), &text[d.span.start..d.span.end]))
            .collect();
        assert_eq!(got, [(5, "email"), (5, "long- term")], "{ds:#?}");
        let fixed = crate::fix::apply(text, &ds).0;
        assert!(
            fixed.contains("read the e-mail; a long-term plan"),
            "{fixed}"
        );
    }

    #[test]
    fn dashes_between_clauses_and_ties_are_quiet() {
        let text = "T\nQ?\nMongolia - in Chinese sphere; Franco-Prussian war\nQ?\nthe Franco Prussian war\n";
        assert!(check(&TermVariant, text, &[2, 4]).is_empty());
    }
}
