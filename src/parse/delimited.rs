//! The `delimited` syntax: one card per line, term and definition separated
//! by a tab, `|`, `;`, `*`, a spaced dash (` - `, ` – `, ` — `), `: ` after
//! a short term, or `,` (Quizlet and Anki exports, CSV, glossaries).
//!
//! ```text
//! #separator:pipe
//! #html:true
//! #tags column:3
//! détente|a relaxation of tension<br>- SALT I|cold-war
//! ```
//!
//! * Anki export headers (`#separator:`, `#html:`, `#columns:`,
//!   `#tags column:`, `#guid column:`, `#deck:`, `#notetype:`,
//!   `#deck column:`, `#notetype column:`) at the top are directives and are
//!   honoured; otherwise the separator is the first (in the order above)
//!   that splits at least 80% of the lines into the same 2 or 3 fields, else
//!   the one splitting the most lines.
//! * Single-byte separators are read with the `csv` crate, so quoted fields
//!   may hold the separator, doubled quotes and line breaks (each line of a
//!   quoted answer is an answer line). Quoting is off when the text has an
//!   odd number of `"`: one stray quote must not swallow the rest of a file.
//!   Dashes and `: ` split on their first occurrence.
//! * A header row (`term<TAB>definition`, `question,answer,tags`,
//!   `Front;Back`) is a directive naming the columns. Without column
//!   headers, a third column is tags (space-separated); later columns are
//!   more answer lines.
//! * A first line without the separator is the deck title; any other such
//!   line is a `syntax-error` finding.

use crate::diagnostic::{Diagnostic, Level};
use crate::model::{Deck, Role};
use crate::source::{SourceFile, Span};

use super::qa::title_name;
use super::{trimmed, DeckBuilder};

mod records;

use records::{detect, read, Header, Record};
pub(crate) use records::{Columns, Sep};

pub fn parse(src: &SourceFile) -> (Deck, Vec<Diagnostic>) {
    let mut b = DeckBuilder::new(src);
    let mut header = Header::default();
    let mut first_content = None;
    for line in src.lines() {
        if line.is_blank() {
            continue;
        }
        let (text, span) = trimmed(&line);
        match header.apply(text) {
            Some("deck") => b.title(line.number, header.deck.clone(), span, "anki-deck-header"),
            Some(_) => b.directive(line.number, "anki-header"),
            None => {
                first_content = Some(line.number);
                break;
            }
        }
    }
    let Some(mut first) = first_content else {
        return b.finish();
    };
    let content: Vec<&str> = src
        .lines()
        .skip(first - 1)
        .filter(|l| !l.is_blank())
        .map(|l| l.text)
        .collect();
    let sep = header.separator.unwrap_or_else(|| detect(&content));
    let first_line = src.line(first);
    if content.len() > 1
        && (!sep.appears_in(first_line.text) || stands_apart(src, first))
        && header.deck.is_empty()
    {
        let (text, span) = trimmed(&first_line);
        b.title(first, title_name(text), span, "delimited-title");
        first += 1;
    }
    let mut columns = header.columns(sep);
    let records = read(src, first, sep);
    // A safety net: the csv reader drops some text (a leading BOM, say); no
    // non-blank line may end up without a role.
    let mut covered = vec![false; src.line_count() + 1];
    for record in &records {
        for n in record.first_line..=record.last_line {
            if let Some(c) = covered.get_mut(n) {
                *c = true;
            }
        }
    }
    for line in src.lines().skip(first - 1) {
        if !line.is_blank() && !covered.get(line.number).copied().unwrap_or(true) {
            let d = Diagnostic::new(
                "syntax-error",
                Level::Warning,
                trimmed(&line).1,
                "line could not be read as a record",
            )
            .with_help("remove the invisible characters on this line, or the line");
            b.diagnosed(line.number, "delimited-unreadable", d);
        }
    }
    for (n, record) in records.iter().enumerate() {
        if n == 0 && columns.is_none() {
            if let Some(named) = Columns::from_names(&record.fields) {
                columns = Some(named);
                for line in record.first_line..=record.last_line {
                    b.directive(line, "delimited-header-row");
                }
                continue;
            }
        }
        card(&mut b, record, columns.as_ref(), header.html);
    }
    b.finish()
}

/// The first line is a heading set apart from the rows: a blank line under
/// it, none between the rows below, and heading-like (`Spanish vocab –
/// Module 4` over `la playa – beach` rows), so a separator inside it does
/// not make it a card (`delimited-title`).
fn stands_apart(src: &SourceFile, first: usize) -> bool {
    let line = src.line(first);
    let rows: Vec<_> = src.lines().skip(first).collect();
    let Some(start) = rows.iter().position(|l| !l.is_blank()) else {
        return false;
    };
    let end = rows.iter().rposition(|l| !l.is_blank()).unwrap_or(start);
    let tight = rows
        .get(start..=end)
        .is_some_and(|r| r.iter().all(|l| !l.is_blank()));
    start > 0 && tight && super::notes::is_title_like(line.text) && !line.text.contains('\t')
}

/// Turns one record into a card, or a finding when it has a single field.
fn card(b: &mut DeckBuilder<'_>, record: &Record, columns: Option<&Columns>, html: bool) {
    let src = b.src;
    let line_span = |n: usize| trimmed(&src.line(n)).1;
    if record.fields.len() < 2 {
        let span = line_span(record.first_line).join(line_span(record.last_line));
        let d = Diagnostic::new(
            "syntax-error",
            Level::Warning,
            span,
            "line has no separator between term and definition",
        )
        .with_label("expected a term, a separator and a definition")
        .with_help("add the separator the other lines use, or remove the line");
        b.diagnosed(record.first_line, "delimited-no-separator", d);
        for line in record.first_line + 1..=record.last_line {
            b.mark(line, Role::Diagnosed, "delimited-no-separator");
        }
        return;
    }
    let default = Columns::default();
    let columns = columns.unwrap_or(&default);
    let field_lines = |i: usize| -> Vec<String> {
        let text = record.fields.get(i).map(String::as_str).unwrap_or("");
        let text = if html {
            br_to_newline(text)
        } else {
            text.to_string()
        };
        text.split(['\n', '\r'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut fields = (0..record.fields.len()).filter(|i| columns.is_field(*i));
    let question = fields.next().map(field_lines).unwrap_or_default().join(" ");
    let mut locate = Locator::new(src, record);
    let q_span = locate.find(&question);
    let i = b.question(record.first_line, question, q_span, "delimited-first-field");
    for line in record.first_line + 1..=record.last_line {
        b.mark(line, Role::Answer(i), "delimited-multiline-field");
    }
    for field in fields {
        for text in field_lines(field) {
            let span = locate.find(&text);
            b.answer_line(i, text, span);
        }
    }
    if let Some(tags) = columns.tags.and_then(|t| record.fields.get(t)) {
        for tag in tags.split_whitespace() {
            b.tag(i, tag);
        }
    }
    if let Some(id) = columns.guid.and_then(|g| record.fields.get(g)) {
        if !id.trim().is_empty() {
            b.card_mut(i).id = Some(id.trim().into());
        }
    }
}

/// `<br>`, `<br/>` and `<br />` (any case) to line breaks, for `#html:true`.
fn br_to_newline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let tail = rest.get(at..).unwrap_or("");
        let tag = ["<br>", "<br/>", "<br />"].into_iter().find(|t| {
            tail.get(..t.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(t))
        });
        match tag {
            Some(t) => {
                out.push('\n');
                rest = tail.get(t.len()..).unwrap_or("");
            }
            None => {
                out.push('<');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// Finds field text in the record's source lines, left to right, to give
/// each part of a card the span of what the user wrote. Text changed by
/// unquoting falls back to the span of the current line.
struct Locator<'a> {
    src: &'a SourceFile,
    line: usize,
    last: usize,
    offset: usize,
}

impl<'a> Locator<'a> {
    fn new(src: &'a SourceFile, record: &Record) -> Self {
        Locator {
            src,
            line: record.first_line,
            last: record.last_line,
            offset: 0,
        }
    }

    fn find(&mut self, needle: &str) -> Span {
        for n in self.line..=self.last {
            let line = self.src.line(n);
            let from = if n == self.line { self.offset } else { 0 };
            let hay = line.text.get(from..).unwrap_or("");
            if let Some(at) = records::find(hay, needle) {
                self.line = n;
                self.offset = from + at + needle.len();
                return line.span.sub(from + at, self.offset);
            }
        }
        trimmed(&self.src.line(self.line)).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(text: &str) -> (Deck, Vec<Diagnostic>) {
        parse(&SourceFile::new("t.txt", text))
    }

    fn cards(d: &Deck) -> Vec<(String, String, Vec<String>)> {
        d.cards
            .iter()
            .map(|c| (c.question.to_string(), c.answer_text(), c.tags.clone()))
            .collect()
    }

    #[test]
    fn picks_the_consistent_separator() {
        let (d, diags) = deck("Words Flashcards\na\tb, c - d\ne\tf; g\nh\ti\n");
        assert!(diags.is_empty());
        assert_eq!(d.name, "Words");
        assert_eq!(cards(&d)[0], ("a".into(), "b, c - d".into(), vec![]));
        let (d, _) = deck("one - uno - un\ntwo - dos\n");
        assert_eq!(cards(&d)[0].1, "uno - un");
    }

    #[test]
    fn csv_quoting_and_header_row() {
        let text =
            "question,answer,tags\n\"a, b\",\"line 1\n- line 2\",x y\nc,\"say \"\"hi\"\"\",\n";
        let (d, diags) = deck(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            cards(&d),
            [
                (
                    "a, b".into(),
                    "line 1\n- line 2".into(),
                    vec!["x".into(), "y".into()]
                ),
                ("c".into(), "say \"hi\"".into(), vec![]),
            ]
        );
        assert_eq!(d.lines.get(0).unwrap().role, Role::Directive);
        assert_eq!(d.lines.get(2).unwrap().role, Role::Answer(0));
        assert_eq!(src_slice(text, d.cards[0].answer[1].span), "- line 2");
    }

    fn src_slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn anki_export_headers_are_honoured() {
        let text = "#separator:tab\n#html:true\n#guid column:1\n#deck:History::Cold War\n#tags column:4\ng1\tFront\tBack<br>- more\tt1 t2\n";
        let (d, diags) = deck(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(d.name, "History::Cold War");
        assert_eq!(d.cards[0].id.as_deref(), Some("g1"));
        assert_eq!(
            cards(&d)[0],
            (
                "Front".into(),
                "Back\n- more".into(),
                vec!["t1".into(), "t2".into()]
            )
        );
    }

    #[test]
    fn lines_without_separator_are_syntax_errors() {
        let (d, diags) = deck("a\tb\nlost line\nc\td\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "syntax-error");
        assert_eq!(d.lines.get(1).unwrap().role, Role::Diagnosed);
        assert_eq!(d.cards.len(), 2);
    }

    #[test]
    fn a_heading_apart_from_the_rows_is_the_title() {
        let (d, _) = deck("Vocab – Module 4\n\nla playa – beach\nel mar – sea\n");
        assert_eq!(d.name, "Vocab – Module 4");
        assert_eq!(d.cards.len(), 2);
        // Rows separated by blank lines: the first one is a row too.
        let (d, _) = deck("uno – one\n\ndos – two\n\ntres – three\n");
        assert_eq!(d.cards.len(), 3);
    }

    #[test]
    fn odd_quotes_turn_quoting_off() {
        let (d, _) = deck("\"a\tb\nc\td\n");
        assert_eq!(cards(&d)[0].0, "\"a");
        assert_eq!(d.cards.len(), 2);
    }
}
