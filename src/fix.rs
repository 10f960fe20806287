//! Applying machine-applicable fixes to a source text.

use crate::diagnostic::{Diagnostic, Edit};

/// Applies every fix's edits to `text`. Edits that overlap an edit already
/// taken are skipped (a later `--fix` run picks them up). Returns the new
/// text and the number of fixes applied.
pub fn apply(text: &str, diagnostics: &[Diagnostic]) -> (String, usize) {
    let mut edits: Vec<(&Edit, usize)> = Vec::new();
    let mut applied = 0;
    for (i, d) in diagnostics.iter().enumerate() {
        let Some(fix) = &d.fix else { continue };
        let clashes = fix.edits.iter().any(|e| {
            e.span.end > text.len()
                || !text.is_char_boundary(e.span.start)
                || !text.is_char_boundary(e.span.end)
                || edits
                    .iter()
                    .any(|(o, _)| e.span.start < o.span.end && o.span.start < e.span.end)
        });
        if clashes {
            continue;
        }
        applied += 1;
        edits.extend(fix.edits.iter().map(|e| (e, i)));
    }
    edits.sort_by_key(|(e, _)| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (e, _) in edits {
        if e.span.start < at {
            continue;
        }
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Level;
    use crate::source::Span;

    #[test]
    fn applies_non_overlapping_edits() {
        let text = "Krushchev met Krushchev m";
        let mk = |s, e, r: &str| {
            Diagnostic::new("x", Level::Warning, Span::new(s, e), "m").with_fix(
                "f",
                vec![Edit {
                    span: Span::new(s, e),
                    replacement: r.into(),
                }],
            )
        };
        let ds = vec![
            mk(0, 9, "Khrushchev"),
            mk(14, 23, "Khrushchev"),
            mk(2, 4, "zz"),
            mk(23, 25, ""),
        ];
        let (out, n) = apply(text, &ds);
        assert_eq!(out, "Khrushchev met Khrushchev");
        assert_eq!(n, 3);
    }
}
