//! Anki's text import format (`File → Import` of a `.txt`): a header of
//! `#key:value` directives, then one tab-separated row per note.
//!
//! ```text
//! #separator:tab
//! #html:true
//! #notetype:Basic
//! #tags column:3
//! #guid column:4
//! #deck column:5
//! Front<TAB>Back<TAB>tags<TAB>guid<TAB>deck
//! ```
//!
//! Facts about Anki's reader (`rslib/src/import_export/text/csv/`) that
//! shape this writer:
//! - header lines are read while they start with `#`; keys are matched
//!   case-insensitively and column numbers are 1-based;
//! - rows go through the `csv` crate with `comment(Some(b'#'))` and the
//!   default quoting, so a row starting with `#` would be dropped as a
//!   comment and a field starting with `"` would be read as quoted. Hence
//!   [`quote`]: such fields, and any holding a tab, line break or quote, are
//!   quoted with inner quotes doubled — even in a tab-separated file;
//! - `#deck:NAME` only takes effect when the deck already exists (else the
//!   import silently goes to the current deck), whereas deck names in a
//!   `#deck column:` are created on import. So every row carries its deck;
//! - with a `#columns:` line, fields are mapped to the note type *by name*,
//!   so labels `Front`/`Back` would leave the answer unmapped in a
//!   non-English Anki whose Basic note type names its fields differently.
//!   Without it, fields map by position (skipping the tags, GUID and deck
//!   columns), which works in every language; so no `#columns:` line;
//! - a row whose GUID matches an existing note updates that note
//!   (fields compared, not modification times);
//! - the note type is named, not numbered: Anki's own English stock types
//!   `Basic`, `Basic (and reversed card)` and `Cloze` (see
//!   [`NoteKind::stock_name`]), in `#notetype:` when every note has the
//!   same one, else per row in a `#notetype column:` after the deck column.
//!   Both Basic types take (Front, Back) and Cloze (Text, Back Extra), so
//!   the first two columns fit each of them by position.

use std::io::Write;

use super::{html, EmitOptions, Emitter};
use crate::error::Result;
use crate::model::Deck;
use crate::notetype::NoteKind;

/// The note type named in `#notetype:`. It exists under this name only in an
/// English-language Anki; elsewhere Anki falls back to the current note type
/// and the import dialog lets the user pick one (see `docs/formats.md`).
pub const DEFAULT_NOTETYPE: &str = "Basic";

/// 1-based columns, as Anki numbers them.
const TAGS_COLUMN: usize = 3;
const GUID_COLUMN: usize = 4;
const DECK_COLUMN: usize = 5;
/// Only written when the deck mixes note types.
const NOTETYPE_COLUMN: usize = 6;

pub struct AnkiText {
    html: bool,
    notetype: String,
}

impl AnkiText {
    pub fn new(options: &EmitOptions) -> Self {
        AnkiText {
            html: options.html,
            notetype: DEFAULT_NOTETYPE.to_string(),
        }
    }

    /// Names another note type for the Basic notes (its first two fields
    /// take front and back).
    pub fn with_notetype(mut self, name: impl Into<String>) -> Self {
        self.notetype = name.into();
        self
    }
}

impl Emitter for AnkiText {
    fn name(&self) -> &'static str {
        "anki"
    }

    fn emit(&self, deck: &Deck, out: &mut dyn Write) -> Result<()> {
        // Header values run to the end of the line: a line break in one
        // would end the header early, so it is flattened to a space.
        let names: Vec<String> = deck
            .cards
            .iter()
            .map(|card| match NoteKind::of(card) {
                NoteKind::Basic => one_line(&self.notetype),
                kind => kind.stock_name().to_string(),
            })
            .collect();
        let single = match names.first() {
            Some(first) if names.iter().any(|n| n != first) => None,
            Some(first) => Some(first.clone()),
            None => Some(one_line(&self.notetype)),
        };
        out.write_all(b"#separator:tab\n#html:true\n")?;
        match &single {
            Some(name) => writeln!(out, "#notetype:{name}")?,
            None => writeln!(out, "#notetype column:{NOTETYPE_COLUMN}")?,
        }
        write!(
            out,
            "#tags column:{TAGS_COLUMN}\n#guid column:{GUID_COLUMN}\n#deck column:{DECK_COLUMN}\n"
        )?;
        for (card, name) in deck.cards.iter().zip(names) {
            let mut fields = vec![
                html::question(card, self.html),
                html::answer(card, self.html),
                tags(&card.tags),
                card.guid.to_string(),
                card.deck_path(&deck.name),
            ];
            if single.is_none() {
                fields.push(name);
            }
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"\t")?;
                }
                out.write_all(quote(field).as_bytes())?;
            }
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// Tags as Anki reads them: separated by whitespace, so whitespace inside a
/// tag becomes `_` (the same rule the parsers use for section labels).
pub fn tags(tags: &[String]) -> String {
    tags.iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join("_"))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Quotes a field the way Anki's CSV reader expects, when it must be.
pub fn quote(field: &str) -> std::borrow::Cow<'_, str> {
    if field.starts_with('#') || field.contains(['"', '\t', '\n', '\r']) {
        std::borrow::Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(field)
    }
}

fn one_line(s: &str) -> String {
    s.split(['\n', '\r']).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_deck::tricky_deck;

    fn emit(deck: &Deck, html: bool) -> String {
        let mut out = Vec::new();
        AnkiText::new(&EmitOptions {
            html,
            ..EmitOptions::default()
        })
        .emit(deck, &mut out)
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Reads rows back the way Anki does (same csv settings as
    /// `build_csv_reader` in Anki's `import.rs`), after its header lines.
    fn read_like_anki(text: &str) -> Vec<Vec<String>> {
        let body: String = text
            .split_inclusive('\n')
            .skip_while(|l| l.starts_with('#'))
            .collect();
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .delimiter(b'\t')
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn quotes_only_what_the_reader_would_misread() {
        assert_eq!(quote("plain text"), "plain text");
        assert_eq!(quote("# not a comment"), "\"# not a comment\"");
        assert_eq!(quote("\"quoted\" start"), "\"\"\"quoted\"\" start\"");
        assert_eq!(quote("a\tb"), "\"a\tb\"");
        assert_eq!(quote("a\nb"), "\"a\nb\"");
        assert_eq!(quote("mid \" quote"), "\"mid \"\" quote\"");
        assert_eq!(quote("a#b"), "a#b");
    }

    #[test]
    fn header_names_every_column() {
        let text = emit(&tricky_deck(), false);
        let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
        assert_eq!(
            header,
            [
                "#separator:tab",
                "#html:true",
                "#notetype:Basic",
                "#tags column:3",
                "#guid column:4",
                "#deck column:5",
            ]
        );
    }

    #[test]
    fn every_field_reads_back_exactly() {
        let deck = tricky_deck();
        let text = emit(&deck, false);
        let rows = read_like_anki(&text);
        assert_eq!(rows.len(), deck.cards.len());
        for (row, card) in rows.iter().zip(&deck.cards) {
            assert_eq!(row[0], html::question(card, false));
            assert_eq!(row[1], html::answer(card, false));
            assert_eq!(row[2], tags(&card.tags));
            assert_eq!(row[3], *card.guid);
            assert_eq!(row[4], card.deck_path(&deck.name));
        }
    }

    #[test]
    fn html_mode_reads_back_markup_with_quotes() {
        let deck = tricky_deck();
        let rows = read_like_anki(&emit(&deck, true));
        assert_eq!(rows.len(), deck.cards.len());
        for (row, card) in rows.iter().zip(&deck.cards) {
            assert_eq!(row[0], html::question(card, true));
            assert_eq!(row[1], html::answer(card, true));
        }
    }

    #[test]
    fn tags_with_spaces_stay_one_tag() {
        assert_eq!(
            tags(&["Cold War".into(), "".into(), "x".into()]),
            "Cold_War x"
        );
    }

    #[test]
    fn one_note_type_is_named_in_the_header() {
        let mut deck = tricky_deck();
        for card in &mut deck.cards {
            card.reversed = true;
        }
        let text = emit(&deck, false);
        assert!(
            text.contains("\n#notetype:Basic (and reversed card)\n"),
            "{text}"
        );
        assert!(!text.contains("#notetype column"));
        assert_eq!(read_like_anki(&text)[0].len(), 5);
    }

    #[test]
    fn mixed_note_types_get_a_column() {
        let mut deck = tricky_deck();
        deck.cards[0].question = "The {{c1::Treaty}} was signed in {{c2::1950}}".into();
        let text = emit(&deck, false);
        assert!(text.contains("\n#notetype column:6\n"), "{text}");
        assert!(!text.contains("#notetype:"));
        let rows = read_like_anki(&text);
        assert_eq!(rows[0][0], "The {{c1::Treaty}} was signed in {{c2::1950}}");
        assert_eq!(rows[0][5], "Cloze");
        assert!(rows[1..].iter().all(|r| r[5] == "Basic"), "{rows:?}");
    }

    #[test]
    fn snapshot_tricky_fields() {
        insta::assert_snapshot!(emit(&tricky_deck(), false));
    }
}
