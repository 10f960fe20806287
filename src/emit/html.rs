//! Card text as HTML, shared by the Anki package and the Anki text format.
//!
//! Text is HTML-escaped unless the source is declared HTML (`--html`).
//! Answer lines are joined with `<br>`; runs of lines that start with a list
//! marker (`> `, `- `, `• `, `* `, `– `) become `<ul>` lists whose class
//! names the marker, so the card CSS can show the marker the teacher typed.

use crate::model::{AnswerLine, Card};

/// Escapes `&`, `<`, `>` and `"` so text shows as written.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    push_escaped(&mut out, s, true, false);
    out
}

/// Appends `s` to `out`, with `&`, `<`, `>` and `"` escaped when `escape`
/// and newlines as `<br>` when `breaks`. Every byte it rewrites is ASCII,
/// so the text between them is copied a run at a time.
fn push_escaped(out: &mut String, s: &str, escape: bool, breaks: bool) {
    // Most text has nothing to rewrite. Finding that out without a branch
    // per byte lets the compiler test many bytes at once; the loop below
    // then runs only for text that needs it.
    let rewrites = s.bytes().fold(false, |any, b| {
        any | (escape & ((b == b'&') | (b == b'<') | (b == b'>') | (b == b'"')))
            | (breaks & (b == b'\n'))
    });
    if !rewrites {
        out.push_str(s);
        return;
    }
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' if escape => "&amp;",
            b'<' if escape => "&lt;",
            b'>' if escape => "&gt;",
            b'"' if escape => "&quot;",
            b'\n' if breaks => "<br>",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(with);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

fn text(s: &str, html: bool) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    push_text(&mut out, s, html);
    out
}

/// Appends one line's HTML: escaped unless `html`, newlines as `<br>`.
fn push_text(out: &mut String, s: &str, html: bool) {
    // Leading whitespace is code indentation (the parsers keep it nowhere
    // else); HTML would collapse it, so it becomes non-breaking spaces.
    let body = s.trim_start_matches([' ', '\t']);
    for c in s[..s.len() - body.len()].chars() {
        out.push_str(if c == '\t' {
            "&nbsp;&nbsp;&nbsp;&nbsp;"
        } else {
            "&nbsp;"
        });
    }
    push_escaped(out, body, !html, true);
}

/// The CSS class for a marker.
fn marker_class(marker: &str) -> &'static str {
    match marker {
        "> " => "gt",
        "- " | "– " => "dash",
        _ => "bullet",
    }
}

/// The question field.
pub fn question(card: &Card, html: bool) -> String {
    text(&card.question, html)
}

/// The answer field.
pub fn answer(card: &Card, html: bool) -> String {
    answer_lines(&card.answer, html)
}

/// Answer lines as HTML: `<br>` between plain lines, `<ul>` for marker runs.
pub fn answer_lines(lines: &[AnswerLine], html: bool) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.text.len() + 16).sum());
    let mut open_list: Option<&'static str> = None;
    let mut after_block = true;
    for line in lines {
        match line.marker() {
            Some(marker) => {
                let class = marker_class(marker);
                if open_list != Some(class) {
                    if open_list.is_some() {
                        out.push_str("</ul>");
                    }
                    out.push_str("<ul class=\"");
                    out.push_str(class);
                    out.push_str("\">");
                    open_list = Some(class);
                }
                out.push_str("<li>");
                push_text(&mut out, line.content(), html);
                out.push_str("</li>");
            }
            None => {
                if open_list.take().is_some() {
                    out.push_str("</ul>");
                    after_block = true;
                }
                if !after_block {
                    out.push_str("<br>");
                }
                push_text(&mut out, &line.text, html);
                after_block = false;
            }
        }
    }
    if open_list.is_some() {
        out.push_str("</ul>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    proptest::proptest! {
        /// One pass over the bytes gives what escaping the characters and
        /// then replacing newlines gave.
        #[test]
        fn text_is_escape_then_breaks(s in "[ \t]{0,2}([a-zé•&<>\"'\n]{0,4} ?){0,6}", html in proptest::bool::ANY) {
            let body = s.trim_start_matches([' ', '\t']);
            let indent: String = s[..s.len() - body.len()]
                .chars()
                .map(|c| if c == '\t' { "&nbsp;&nbsp;&nbsp;&nbsp;" } else { "&nbsp;" })
                .collect();
            let mut escaped = String::new();
            for c in body.chars() {
                match c {
                    '&' if !html => escaped.push_str("&amp;"),
                    '<' if !html => escaped.push_str("&lt;"),
                    '>' if !html => escaped.push_str("&gt;"),
                    '"' if !html => escaped.push_str("&quot;"),
                    c => escaped.push(c),
                }
            }
            let expected = format!("{indent}{}", escaped.replace('\n', "<br>"));
            proptest::prop_assert_eq!(text(&s, html), expected);
        }
    }

    fn lines(texts: &[&str]) -> Vec<AnswerLine> {
        texts
            .iter()
            .map(|t| AnswerLine::new(*t, Span::default()))
            .collect()
    }

    #[test]
    fn plain_lines_use_br_and_escape() {
        assert_eq!(
            answer_lines(&lines(&["a < b", "c & \"d\""]), false),
            "a &lt; b<br>c &amp; &quot;d&quot;"
        );
    }

    #[test]
    fn marker_runs_become_lists() {
        assert_eq!(
            answer_lines(&lines(&["> x", "y", "- z", "- w", "• v"]), false),
            "<ul class=\"gt\"><li>x</li></ul>y<ul class=\"dash\"><li>z</li><li>w</li></ul><ul class=\"bullet\"><li>v</li></ul>"
        );
    }

    #[test]
    fn code_indentation_survives_as_non_breaking_spaces() {
        assert_eq!(
            text("    return a", false),
            "&nbsp;&nbsp;&nbsp;&nbsp;return a"
        );
        assert_eq!(text("\tx < 1", false), "&nbsp;&nbsp;&nbsp;&nbsp;x &lt; 1");
    }

    #[test]
    fn html_mode_passes_markup_through() {
        assert_eq!(answer_lines(&lines(&["<b>x</b>"]), true), "<b>x</b>");
    }
}
