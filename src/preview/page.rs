//! The preview's markup: a summary with filters, the findings that belong
//! to no card, then one `<article id="card-N">` per card with its two sides
//! and its findings. Every piece of user text goes through
//! [`escape`]; card sides are the package's own field HTML.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::{CardView, View};
use crate::diagnostic::{Diagnostic, Level};
use crate::emit::card_style::CSS as CARD_CSS;
use crate::emit::html::escape;
use crate::source::Span;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// The whole page. `write!` into a `String` cannot fail, so its results
/// are ignored.
pub(super) fn write(v: &View) -> String {
    let mut out = String::with_capacity(16 * 1024 + v.cards.len() * 2048);
    let title = escape(v.deck_name);
    // The Content-Security-Policy lets only our own script run (by hash)
    // and fetch nothing from the network: even HTML notes (`--html`)
    // cannot run code or phone home from the preview.
    let script_hash = base64(&Sha256::digest(SCRIPT.as_bytes()));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         img-src 'self' data: file:; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'\">\n\
         <meta name=\"generator\" content=\"deckc\">\n\
         <title>{title} — deckc preview</title>\n\
         <style>\n/* The card CSS of the Anki package, unchanged. */\n{CARD_CSS}</style>\n\
         <style>\n{STYLE}</style>\n</head>\n<body>\n"
    );
    summary(&mut out, v, &title);
    if !v.loose.is_empty() {
        out.push_str(
            "<section id=\"deck-findings\" class=\"loose\">\n<h2>Findings outside any card</h2>\n",
        );
        findings(&mut out, v, &v.loose);
        out.push_str("</section>\n");
    }
    out.push_str("<main id=\"cards\">\n");
    for card in &v.cards {
        article(&mut out, v, card);
    }
    if v.cards.is_empty() {
        out.push_str("<p class=\"empty\">No cards were found in these notes.</p>\n");
    }
    let _ = write!(
        out,
        "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    );
    out
}

/// Deck name, counts, and the controls (hidden until the script runs, as
/// they do nothing without it).
fn summary(out: &mut String, v: &View, title: &str) {
    let n = v.cards.len();
    let _ = write!(
        out,
        "<header class=\"summary\">\n<h1>{title}</h1>\n\
         <p class=\"stats\"><span class=\"source\">{}</span> · \
         <span id=\"card-count\" data-total=\"{n}\">{n} card{}</span>{}</p>\n",
        escape(&v.source.name()),
        plural(n),
        level_counts(v),
    );
    out.push_str("<div class=\"controls\" hidden>\n<fieldset class=\"view\"><legend>View</legend>\
         <label><input type=\"radio\" name=\"view\" value=\"columns\" checked> Front and back</label>\
         <label><input type=\"radio\" name=\"view\" value=\"flip\"> Flip cards</label></fieldset>\n");
    if !v.rules.is_empty() {
        out.push_str("<fieldset class=\"filters\"><legend>Show findings</legend>\n");
        for (level, count) in [
            (Level::Error, v.counts.errors),
            (Level::Warning, v.counts.warnings),
            (Level::Note, v.counts.notes),
        ] {
            if count > 0 {
                let name = level.name();
                let _ = writeln!(
                    out,
                    "<label class=\"level-{name}\"><input type=\"checkbox\" data-filter=\"level\" \
                     value=\"{name}\" checked> {name}s ({count})</label>"
                );
            }
        }
        out.push_str("<ul class=\"rules\">\n");
        for (code, (level, count)) in &v.rules {
            let _ = writeln!(
                out,
                "<li><label><input type=\"checkbox\" data-filter=\"code\" value=\"{code}\" checked> \
                 <code>{code}</code> <span class=\"badge level-{l}\">{l}</span> \
                 <span class=\"count\">{count}</span></label></li>",
                code = escape(code),
                l = level.name(),
            );
        }
        out.push_str(
            "</ul>\n<label><input type=\"checkbox\" id=\"only-findings\"> \
             Only cards with findings</label>\n</fieldset>\n",
        );
    }
    out.push_str("<p id=\"shown\" aria-live=\"polite\"></p>\n</div>\n</header>\n");
}

/// ", 6 warnings, 3 notes" (nothing when there are no findings).
fn level_counts(v: &View) -> String {
    let mut s = String::new();
    for (n, word) in [
        (v.counts.errors, "error"),
        (v.counts.warnings, "warning"),
        (v.counts.notes, "note"),
    ] {
        if n > 0 {
            let _ = write!(
                s,
                " · <span class=\"level-{word}\">{n} {word}{}</span>",
                plural(n)
            );
        }
    }
    if s.is_empty() {
        s.push_str(" · no findings");
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn article(out: &mut String, v: &View, card: &CardView) {
    let n = card.number;
    let _ = write!(
        out,
        "<article class=\"note\" id=\"card-{n}\" data-findings=\"{}\">\n\
         <header class=\"note-head\"><a class=\"num\" href=\"#card-{n}\">Card {n}</a> \
         <span class=\"loc\">{}:{}</span>",
        card.findings.len(),
        escape(&v.source.name()),
        card.line,
    );
    if let Some(section) = &card.section {
        let _ = write!(out, " <span class=\"section\">{}</span>", escape(section));
    }
    for tag in &card.tags {
        let _ = write!(out, " <span class=\"tag\">{}</span>", escape(tag));
    }
    if let Some(path) = &card.subdeck {
        let _ = write!(out, " <span class=\"subdeck\">{}</span>", escape(path));
    }
    let _ = write!(
        out,
        " <button type=\"button\" class=\"flip\" hidden>Flip</button></header>\n\
         <div class=\"sides\">\n\
         <section class=\"side front\"><h3>Front</h3><div class=\"card card1\">{}</div></section>\n\
         <section class=\"side back\"><h3>Back</h3><div class=\"card card1\">{}</div></section>\n\
         </div>\n",
        card.question_side, card.answer_side
    );
    if !card.findings.is_empty() {
        findings(out, v, &card.findings);
    }
    out.push_str("</article>\n");
}

/// A list of findings, each with its place, the source text it points at,
/// help, fix and links to the cards of its related places.
fn findings(out: &mut String, v: &View, indices: &[usize]) {
    out.push_str("<ul class=\"findings\">\n");
    for d in indices.iter().filter_map(|&i| v.diagnostics.get(i)) {
        finding(out, v, d);
    }
    out.push_str("</ul>\n");
}

fn finding(out: &mut String, v: &View, d: &Diagnostic) {
    let level = d.level.name();
    let (line, col) = v.source.line_col(d.span.start.min(v.source.text.len()));
    let _ = write!(
        out,
        "<li class=\"finding level-{level}\" data-level=\"{level}\" data-code=\"{code}\">\
         <span class=\"badge level-{level}\">{level}</span> <code>{code}</code> \
         <span class=\"loc\">line {line}:{col}</span> <span class=\"msg\">{msg}</span>",
        code = escape(d.code),
        msg = escape(&d.message),
    );
    excerpt(out, v, d.span);
    if let Some(help) = &d.help {
        let _ = write!(out, "<div class=\"help\">help: {}</div>", escape(help));
    }
    if let Some(fix) = &d.fix {
        let _ = write!(
            out,
            "<div class=\"fix\">fix (<code>deckc check --fix</code>): {}</div>",
            escape(&fix.message)
        );
    }
    if !d.related.is_empty() {
        out.push_str("<ul class=\"related\">");
        for r in &d.related {
            let line = v.source.line_of(r.span.start);
            out.push_str("<li>");
            match super::card_of(v.source, v.parsed, r.span) {
                Some(c) => {
                    let _ = write!(
                        out,
                        "<a class=\"related-card\" href=\"#card-{n}\">card {n}</a>, line {line}: ",
                        n = c + 1
                    );
                }
                None => {
                    let _ = write!(out, "line {line}: ");
                }
            }
            out.push_str(&escape(&r.message));
            excerpt(out, v, r.span);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</li>\n");
}

/// The source line of `span`, with the span itself marked.
fn excerpt(out: &mut String, v: &View, span: Span) {
    let text = &v.source.text;
    let number = v.source.line_of(span.start.min(text.len()));
    if number == 0 || number > v.source.line_count() {
        return;
    }
    let line = v.source.line(number);
    let start = span.start.clamp(line.span.start, line.span.end);
    let end = span.end.clamp(start, line.span.end);
    let (Some(before), Some(marked), Some(after)) = (
        text.get(line.span.start..start),
        text.get(start..end),
        text.get(end..line.span.end),
    ) else {
        return;
    };
    let _ = write!(
        out,
        "<blockquote class=\"excerpt\">{}<mark>{}</mark>{}</blockquote>",
        escape(before),
        escape(marked),
        escape(after)
    );
}

/// Standard base64 (with padding), for the script's CSP hash.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let sextet = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(char::from(ALPHABET.get(sextet).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn the_script_hash_is_in_the_policy() {
        let source = crate::SourceFile::new("n.txt", "What is x?\ny\n");
        let compiled = crate::compile(&source, &crate::Options::default());
        let html = super::super::render(&source, &compiled, false);
        let hash = base64(&Sha256::digest(SCRIPT.as_bytes()));
        assert!(html.contains(&format!("script-src 'sha256-{hash}'")));
        assert!(html.contains(&format!("<script>{SCRIPT}</script>")));
    }
}
