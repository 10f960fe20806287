//! Applying machine-applicable fixes to a source text.
//!
//! A fix is all-or-nothing: its edits are applied together or not at all.
//! A fix whose edits overlap an edit already taken (or each other), or fall
//! outside the text or inside a character, is skipped; `deckc check --fix`
//! re-checks and runs again, so a skipped fix is retried against the new
//! text. Everything outside the edits (BOM handling aside, which the caller
//! does, and line endings) is kept byte for byte.

use crate::diagnostic::{Diagnostic, Edit};

/// Applies every fix it safely can. Returns the new text and the indices
/// (into `diagnostics`) of the diagnostics whose fix was applied.
pub fn apply(text: &str, diagnostics: &[Diagnostic]) -> (String, Vec<usize>) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let Some(fix) = &d.fix else { continue };
        if fix.edits.is_empty() {
            continue;
        }
        // The same edit offered twice (two findings, one cure) counts once.
        let fresh: Vec<&Edit> = fix.edits.iter().filter(|e| !taken.contains(e)).collect();
        let valid = fresh.iter().all(|e| is_valid(text, e))
            && fresh.iter().enumerate().all(|(k, e)| {
                !taken.iter().any(|o| overlaps(e, o))
                    && !fresh.iter().skip(k + 1).any(|o| overlaps(e, o))
            });
        if valid {
            taken.extend(fresh);
            applied.push(i);
        }
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in taken {
        out.push_str(text.get(at..e.span.start).unwrap_or_default());
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    (out, applied)
}

fn is_valid(text: &str, e: &Edit) -> bool {
    e.span.start <= e.span.end
        && e.span.end <= text.len()
        && text.is_char_boundary(e.span.start)
        && text.is_char_boundary(e.span.end)
}

/// Whether two edits touch the same text. Two insertions at one point
/// overlap too: their order would be arbitrary.
fn overlaps(a: &Edit, b: &Edit) -> bool {
    (a.span.start < b.span.end && b.span.start < a.span.end)
        || (a.span.is_empty() && b.span.is_empty() && a.span.start == b.span.start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Level;
    use crate::source::Span;

    fn edit(s: usize, e: usize, r: &str) -> Edit {
        Edit {
            span: Span::new(s, e),
            replacement: r.into(),
        }
    }

    fn fix(edits: Vec<Edit>) -> Diagnostic {
        Diagnostic::new("x", Level::Warning, Span::new(0, 0), "m").with_fix("f", edits)
    }

    #[test]
    fn applies_non_overlapping_edits() {
        let text = "Krushchev met Krushchev m";
        let ds = vec![
            fix(vec![edit(0, 9, "Khrushchev")]),
            fix(vec![edit(14, 23, "Khrushchev")]),
            fix(vec![edit(2, 4, "zz")]),
            fix(vec![edit(23, 25, "")]),
        ];
        let (out, applied) = apply(text, &ds);
        assert_eq!(out, "Khrushchev met Khrushchev");
        assert_eq!(applied, [0, 1, 3]);
    }

    #[test]
    fn a_fix_is_all_or_nothing() {
        let text = "abcdef";
        let ds = vec![
            fix(vec![edit(0, 2, "X")]),
            // Second edit clashes with the first fix: none of it applies.
            fix(vec![edit(4, 5, "Y"), edit(1, 3, "Z")]),
            // Edits of one fix that overlap each other.
            fix(vec![edit(3, 5, "P"), edit(4, 6, "Q")]),
        ];
        let (out, applied) = apply(text, &ds);
        assert_eq!(out, "Xcdef");
        assert_eq!(applied, [0]);
    }

    #[test]
    fn same_edit_twice_counts_once_and_bad_spans_are_skipped() {
        let text = "a‘b’c\r\nd";
        let ds = vec![
            fix(vec![edit(0, 1, "A")]),
            fix(vec![edit(0, 1, "A")]),
            fix(vec![edit(2, 3, "?")]), // inside `‘`
            fix(vec![edit(9, 99, "")]),
            fix(vec![edit(1, 1, "<")]),
            fix(vec![edit(1, 1, ">")]), // second insertion at one point
        ];
        let (out, applied) = apply(text, &ds);
        assert_eq!(out, "A<‘b’c\r\nd");
        assert_eq!(applied, [0, 1, 4]);
    }
}
