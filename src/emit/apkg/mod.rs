//! The `apkg` format: an Anki package.
//!
//! A zip holding, in this order, `collection.anki2` (SQLite, schema 11, see
//! [`schema`]), `media` (JSON `{"0": "name", …}`) and the media files
//! stored as `0`, `1`, …. Every entry has a fixed timestamp and Deflate
//! compression, and every id is a stable hash ([`ids`]), so identical input
//! gives identical bytes.

mod ids;
mod notetypes;
mod schema;

use std::collections::BTreeSet;
use std::io::{Cursor, Write};
use std::path::PathBuf;

use rusqlite::{params, Connection};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::{html, EmitOptions, Emitter};
use crate::error::Result;
use crate::media;
use crate::model::{Card, Deck};
use crate::notetype::NoteKind;

pub use ids::{decode_entities, field_checksum, strip_html};
pub use notetypes::{id as notetype_id_of, name as notetype_name};
pub use schema::deck_id;

/// The id of the "deckc Basic" note type, which learners' collections hold.
pub fn notetype_id() -> i64 {
    notetypes::id(NoteKind::Basic)
}

/// Writes `.apkg` packages.
pub struct Apkg {
    html: bool,
    media_dir: PathBuf,
}

impl Apkg {
    pub fn new(options: &EmitOptions) -> Self {
        Apkg {
            html: options.html,
            media_dir: media::base_dir(options.media_dir.as_deref()),
        }
    }
}

impl Emitter for Apkg {
    fn name(&self) -> &'static str {
        "apkg"
    }

    fn emit(&self, deck: &Deck, out: &mut dyn Write) -> Result<()> {
        let collection = collection_bytes(deck, self.html)?;
        let files = media::collect(deck, &self.media_dir, self.html);
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        zip.start_file("collection.anki2", options)?;
        zip.write_all(&collection)?;
        let names: Vec<&String> = files.keys().collect();
        zip.start_file("media", options)?;
        zip.write_all(media_map(&names)?.as_bytes())?;
        for (i, path) in files.values().enumerate() {
            let bytes = std::fs::read(path).map_err(|source| crate::Error::Read {
                path: path.clone(),
                source,
            })?;
            zip.start_file(i.to_string(), options)?;
            zip.write_all(&bytes)?;
        }
        let bytes = zip.finish()?.into_inner();
        out.write_all(&bytes)?;
        Ok(())
    }
}

/// The legacy media map, `{"0": "a.png", "1": "b.png"}`, in index order.
fn media_map(names: &[&String]) -> Result<String> {
    let mut s = String::from("{");
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&format!("\"{i}\": {}", serde_json::to_string(name)?));
    }
    s.push('}');
    Ok(s)
}

/// The HTML of one field, with markdown images turned into `<img>` tags.
/// A `\x1f` would split the field in two, so it becomes a space.
fn field_html(html_text: String, source_is_html: bool) -> String {
    crate::emit::card_style::field_html(html_text, source_is_html)
}

/// Tags as Anki stores them: ` tag1 tag2 ` (spaces inside a tag become `_`).
fn tags_column(card: &Card) -> String {
    let tags: Vec<String> = card
        .tags
        .iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join("_"))
        .filter(|t| !t.is_empty())
        .collect();
    if tags.is_empty() {
        String::new()
    } else {
        format!(" {} ", tags.join(" "))
    }
}

/// Every deck the cards live in, parents included (`A`, `A::B`), sorted.
fn deck_names(deck: &Deck) -> Vec<String> {
    let mut names = BTreeSet::new();
    names.insert(deck.name.clone());
    for card in &deck.cards {
        let path = card.deck_path(&deck.name);
        let mut prefix = String::new();
        for part in path.split("::") {
            if !prefix.is_empty() {
                prefix.push_str("::");
            }
            prefix.push_str(part);
            names.insert(prefix.clone());
        }
    }
    names.into_iter().collect()
}

/// Builds the schema-11 SQLite database and returns its bytes. It is built
/// in memory (no journal, one transaction, prepared statements, indices
/// after the rows), then serialized: no scratch file is ever on disk, so a
/// killed build leaves nothing behind in the temp directory.
pub fn collection_bytes(deck: &Deck, source_is_html: bool) -> Result<Vec<u8>> {
    let mut db = Connection::open_in_memory()?;
    db.pragma_update(None, "journal_mode", "OFF")?;
    db.pragma_update(None, "synchronous", "OFF")?;
    // Sorts for the indices stay in memory too.
    db.pragma_update(None, "temp_store", "MEMORY")?;
    db.execute_batch(schema::TABLES)?;
    let tx = db.transaction()?;
    fill(&tx, deck, source_is_html)?;
    tx.commit()?;
    db.execute_batch(schema::INDICES)?;
    let bytes = db.serialize(rusqlite::MAIN_DB)?.to_vec();
    Ok(bytes)
}

fn fill(tx: &rusqlite::Transaction<'_>, deck: &Deck, source_is_html: bool) -> Result<()> {
    let max_mtime = deck.cards.iter().map(|c| c.mtime).max().unwrap_or(0).max(0);
    let names = deck_names(deck);
    let kinds: Vec<NoteKind> = deck.cards.iter().map(NoteKind::of).collect();
    let used: BTreeSet<NoteKind> = kinds.iter().copied().collect();
    tx.execute(
        "insert into col values (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![
            max_mtime - max_mtime.rem_euclid(86_400),
            max_mtime * 1000,
            schema::conf(schema::deck_id(&deck.name)).to_string(),
            notetypes::models(&used).to_string(),
            schema::decks(&names, max_mtime).to_string(),
            schema::dconf().to_string(),
        ],
    )?;
    let mut notes = tx.prepare(
        "insert into notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)
         values (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')",
    )?;
    let mut cards = tx.prepare(
        "insert into cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps,
         lapses, left, odue, odid, flags, data)
         values (?1, ?2, ?3, ?4, ?5, -1, 0, 0, ?6, 0, 0, 0, 0, 0, 0, 0, 0, '')",
    )?;
    let mut note_ids = ids::IdAllocator::default();
    let mut card_ids = ids::IdAllocator::default();
    for (position, (card, &kind)) in deck.cards.iter().zip(&kinds).enumerate() {
        let front = field_html(html::question(card, source_is_html), source_is_html);
        let back = field_html(html::answer(card, source_is_html), source_is_html);
        let ceiling = card.mtime.max(0).saturating_mul(1000);
        let nid = note_ids.next(&format!("note\0{}", card.guid), ceiling);
        notes.execute(params![
            nid,
            card.guid,
            notetypes::id(kind),
            card.mtime,
            tags_column(card),
            format!("{front}\x1f{back}"),
            strip_html(&front),
            field_checksum(&front),
        ])?;
        let did = schema::deck_id(&card.deck_path(&deck.name));
        // Sibling cards (reverse, cloze 2, …) share the note's position,
        // as Anki gives them when it adds a note.
        for ord in kind.ords(card) {
            let cid = card_ids.next(&format!("card\0{}\0{}", card.guid, ord), ceiling);
            cards.execute(params![cid, nid, did, ord, card.mtime, position as i64 + 1])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AnswerLine;
    use crate::source::Span;

    fn deck() -> Deck {
        let card = |q: &str, a: &[&str], tags: &[&str], guid: &str| Card {
            question: q.into(),
            answer: a
                .iter()
                .map(|t| AnswerLine::new(*t, Span::default()))
                .collect(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            guid: guid.into(),
            mtime: 1_700_000_000,
            ..Card::default()
        };
        Deck {
            name: "History".into(),
            cards: vec![
                card("Why <1950>?", &["> a & b", "c"], &["Cold War"], "g1"),
                Card {
                    subdeck: Some("Sub".into()),
                    ..card("Who?", &["![m](map.png)"], &[], "g2")
                },
            ],
            ..Deck::default()
        }
    }

    fn open(bytes: &[u8]) -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.anki2");
        std::fs::write(&p, bytes).unwrap();
        let db = Connection::open(&p).unwrap();
        (dir, db)
    }

    #[test]
    fn notes_hold_fields_tags_and_checksums() {
        let (_d, db) = open(&collection_bytes(&deck(), false).unwrap());
        let (flds, tags, sfld, csum): (String, String, String, i64) = db
            .query_row(
                "select flds, tags, sfld, csum from notes where guid = 'g1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            flds,
            "Why &lt;1950&gt;?\x1f<ul class=\"gt\"><li>a &amp; b</li></ul>c"
        );
        assert_eq!(tags, " Cold_War ");
        assert_eq!(sfld, "Why <1950>?");
        // sha1("Why <1950>?") starts with these four bytes.
        let digest = <sha1::Sha1 as sha1::Digest>::digest(b"Why <1950>?");
        let expected = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
        assert_eq!(csum, i64::from(expected));
        let back: String = db
            .query_row("select flds from notes where guid = 'g2'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(back, "Who?\x1f<img src=\"map.png\" alt=\"m\">");
    }

    #[test]
    fn cards_go_to_their_decks_and_ids_are_in_the_past() {
        let (_d, db) = open(&collection_bytes(&deck(), false).unwrap());
        let dids: Vec<i64> = db
            .prepare("select did from cards order by due")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(dids, [deck_id("History"), deck_id("History::Sub")]);
        let max_id: i64 = db
            .query_row("select max(id) from notes", [], |r| r.get(0))
            .unwrap();
        assert!(max_id <= 1_700_000_000_000);
        let decks: String = db
            .query_row("select decks from col", [], |r| r.get(0))
            .unwrap();
        for name in ["\"Default\"", "\"History\"", "\"History::Sub\""] {
            assert!(decks.contains(name), "{name} in {decks}");
        }
        let indices: i64 = db
            .query_row(
                "select count(*) from sqlite_master where type = 'index' and name like 'ix_%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indices, 7);
    }

    #[test]
    fn same_deck_same_bytes() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let opts = EmitOptions::default();
        Apkg::new(&opts).emit(&deck(), &mut a).unwrap();
        Apkg::new(&opts).emit(&deck(), &mut b).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn media_map_lists_names_in_index_order() {
        let (a, b) = ("a.png".to_string(), "b \"q\".png".to_string());
        assert_eq!(
            media_map(&[&a, &b]).unwrap(),
            r#"{"0": "a.png", "1": "b \"q\".png"}"#
        );
    }
}
