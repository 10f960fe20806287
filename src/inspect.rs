//! Reading Anki packages back: decks, note types, notes and card counts of
//! any `.apkg` — deckc's, genanki's, Anki's legacy exports
//! (`collection.anki2`, `collection.anki21`) and modern ones
//! (`collection.anki21b`: zstd-compressed SQLite, schema 18, with a `meta`
//! entry and a zstd+protobuf media list).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::error::{Error, Result};

/// What a package holds.
#[derive(Debug, Clone, Serialize)]
pub struct Package {
    /// The zip entry the collection was read from.
    pub collection: String,
    /// Schema version from the `col` row (11 for legacy, 18 for modern).
    pub schema: i64,
    pub decks: Vec<DeckInfo>,
    pub notetypes: Vec<NotetypeInfo>,
    pub notes: Vec<NoteInfo>,
    /// Total number of cards.
    pub cards: usize,
    /// Media file names, in package order.
    pub media: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeckInfo {
    pub id: i64,
    /// Full name, levels joined with `::`.
    pub name: String,
    pub cards: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotetypeInfo {
    pub id: i64,
    pub name: String,
    pub fields: Vec<String>,
    pub templates: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteInfo {
    pub id: i64,
    pub guid: String,
    pub notetype: String,
    pub fields: Vec<String>,
    pub tags: Vec<String>,
    pub cards: usize,
}

/// Opens and reads the package at `path`.
pub fn inspect(path: &Path) -> Result<Package> {
    let bad = |message: String| Error::Package {
        path: path.to_path_buf(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let unpacked = unpack(file).map_err(bad)?;
    let dir = tempfile::tempdir()?;
    let db_path = dir.path().join("collection");
    std::fs::write(&db_path, &unpacked.collection)?;
    let db = Connection::open_with_flags(&db_path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let read = read_collection(&db, unpacked.name, unpacked.media);
    read.map_err(|e| bad(format!("the collection cannot be read ({e})")))
}

/// A package's collection and media list, as Anki's importer reads them.
#[derive(Debug, Clone)]
pub struct Unpacked {
    /// The zip entry the collection was read from.
    pub name: String,
    /// The collection's SQLite bytes (decompressed, for a newer package).
    pub collection: Vec<u8>,
    /// The media files' names, in index order (file `i` is entry `i`).
    pub media: Vec<String>,
}

/// Reads a package's collection and media list: from `collection.anki21b`
/// and a protobuf list, both zstd, when its `meta` says version 3 or
/// later, else from `collection.anki21` or `collection.anki2` and a JSON
/// list. The error says what is wrong.
pub fn unpack(reader: impl Read + std::io::Seek) -> std::result::Result<Unpacked, String> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| format!("not a zip archive ({e})"))?;
    let modern = match read_entry(&mut zip, "meta") {
        Some(meta) => meta_version(&meta) >= 3,
        None => false,
    };
    let candidates: &[&str] = if modern {
        &["collection.anki21b"]
    } else {
        &["collection.anki21", "collection.anki2"]
    };
    let (name, raw) = candidates
        .iter()
        .find_map(|n| read_entry(&mut zip, n).map(|b| (n.to_string(), b)))
        .ok_or_else(|| {
            "no collection inside (collection.anki2, .anki21 or .anki21b)".to_string()
        })?;
    let collection = if modern {
        zstd::decode_all(raw.as_slice()).map_err(|e| format!("cannot decompress {name}: {e}"))?
    } else {
        raw
    };
    let media_raw = read_entry(&mut zip, "media").unwrap_or_default();
    let media = if modern {
        let plain = zstd::decode_all(media_raw.as_slice())
            .map_err(|e| format!("cannot decompress the media list: {e}"))?;
        media_names_protobuf(&plain)
    } else {
        media_names_json(&media_raw)
    };
    Ok(Unpacked {
        name,
        collection,
        media,
    })
}

fn read_entry<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Option<Vec<u8>> {
    let mut entry = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    entry.read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// Reads a protobuf varint at `*pos`.
fn varint(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *buf.get(*pos)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Protobuf fields of a message: (field number, varint value or bytes).
fn fields(buf: &[u8]) -> Vec<(u64, Result<u64, &[u8]>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let Some(key) = varint(buf, &mut pos) else {
            break;
        };
        let (number, wire) = (key >> 3, key & 7);
        match wire {
            0 => match varint(buf, &mut pos) {
                Some(v) => out.push((number, Ok(v))),
                None => break,
            },
            2 => {
                let Some(len) = varint(buf, &mut pos) else {
                    break;
                };
                let end = pos.saturating_add(len as usize);
                let Some(bytes) = buf.get(pos..end) else {
                    break;
                };
                out.push((number, Err(bytes)));
                pos = end;
            }
            1 => pos += 8,
            5 => pos += 4,
            _ => break,
        }
    }
    out
}

/// `PackageMetadata.version` (field 1): 1 legacy anki2, 2 legacy anki21,
/// 3 latest (anki21b).
fn meta_version(meta: &[u8]) -> u64 {
    fields(meta)
        .into_iter()
        .find_map(|(n, v)| if n == 1 { v.ok() } else { None })
        .unwrap_or(0)
}

/// Modern media list: `MediaEntries { repeated MediaEntry entries = 1 }`,
/// `MediaEntry { string name = 1; … }`.
fn media_names_protobuf(buf: &[u8]) -> Vec<String> {
    fields(buf)
        .into_iter()
        .filter_map(|(n, v)| if n == 1 { v.err() } else { None })
        .filter_map(|entry| {
            fields(entry).into_iter().find_map(|(n, v)| match (n, v) {
                (1, Err(name)) => Some(String::from_utf8_lossy(name).into_owned()),
                _ => None,
            })
        })
        .collect()
}

/// Legacy media list: JSON `{"0": "name", …}`, in index order.
fn media_names_json(buf: &[u8]) -> Vec<String> {
    let map: BTreeMap<String, String> = serde_json::from_slice(buf).unwrap_or_default();
    let mut entries: Vec<(u64, String)> = map
        .into_iter()
        .map(|(k, v)| (k.parse().unwrap_or(u64::MAX), v))
        .collect();
    entries.sort();
    entries.into_iter().map(|(_, v)| v).collect()
}

fn table_exists(db: &Connection, name: &str) -> rusqlite::Result<bool> {
    db.query_row(
        "select count(*) from sqlite_master where type = 'table' and name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

fn read_collection(
    db: &Connection,
    collection: String,
    media: Vec<String>,
) -> std::result::Result<Package, Box<dyn std::error::Error>> {
    let schema: i64 = db.query_row("select ver from col", [], |r| r.get(0))?;
    let (mut notetypes, mut decks) = if table_exists(db, "notetypes")? {
        read_schema18(db)?
    } else {
        read_schema11(db)?
    };
    notetypes.sort_by_key(|t| t.id);
    let type_names: BTreeMap<i64, String> =
        notetypes.iter().map(|t| (t.id, t.name.clone())).collect();
    let mut card_counts: BTreeMap<i64, usize> = BTreeMap::new();
    let mut deck_counts: BTreeMap<i64, usize> = BTreeMap::new();
    let mut stmt = db.prepare("select nid, did from cards")?;
    let mut rows = stmt.query([])?;
    let mut cards = 0;
    while let Some(row) = rows.next()? {
        *card_counts.entry(row.get(0)?).or_default() += 1;
        *deck_counts.entry(row.get(1)?).or_default() += 1;
        cards += 1;
    }
    for deck in &mut decks {
        deck.cards = deck_counts.get(&deck.id).copied().unwrap_or(0);
    }
    decks.sort_by(|a, b| a.name.cmp(&b.name));
    let mut notes = Vec::new();
    let mut stmt = db.prepare("select id, guid, mid, tags, flds from notes order by id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let mid: i64 = row.get(2)?;
        let tags: String = row.get(3)?;
        let flds: String = row.get(4)?;
        notes.push(NoteInfo {
            id,
            guid: row.get(1)?,
            notetype: type_names
                .get(&mid)
                .cloned()
                .unwrap_or_else(|| mid.to_string()),
            fields: flds.split('\x1f').map(str::to_string).collect(),
            tags: tags.split_whitespace().map(str::to_string).collect(),
            cards: card_counts.get(&id).copied().unwrap_or(0),
        });
    }
    Ok(Package {
        collection,
        schema,
        decks,
        notetypes,
        notes,
        cards,
        media,
    })
}

type Structure = (Vec<NotetypeInfo>, Vec<DeckInfo>);

/// Schema 11: note types and decks are JSON in the `col` row.
fn read_schema11(db: &Connection) -> std::result::Result<Structure, Box<dyn std::error::Error>> {
    let (models, decks): (String, String) =
        db.query_row("select models, decks from col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let models: BTreeMap<String, serde_json::Value> = serde_json::from_str(&models)?;
    let decks: BTreeMap<String, serde_json::Value> = serde_json::from_str(&decks)?;
    let id_of = |key: &str, v: &serde_json::Value| {
        v["id"]
            .as_i64()
            .or_else(|| v["id"].as_str().and_then(|s| s.parse().ok()))
            .or_else(|| key.parse().ok())
            .unwrap_or(0)
    };
    let names = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x["name"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let notetypes = models
        .iter()
        .map(|(k, m)| NotetypeInfo {
            id: id_of(k, m),
            name: m["name"].as_str().unwrap_or("").to_string(),
            fields: names(&m["flds"]),
            templates: names(&m["tmpls"]),
        })
        .collect();
    let decks = decks
        .iter()
        .map(|(k, d)| DeckInfo {
            id: id_of(k, d),
            name: d["name"].as_str().unwrap_or("").to_string(),
            cards: 0,
        })
        .collect();
    Ok((notetypes, decks))
}

/// Schema 18: `notetypes`, `fields`, `templates` and `decks` tables; deck
/// names separate levels with `\x1f`.
fn read_schema18(db: &Connection) -> std::result::Result<Structure, Box<dyn std::error::Error>> {
    let mut notetypes = Vec::new();
    let mut stmt = db.prepare("select id, name from notetypes order by id")?;
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, name) in rows {
        let list = |table: &str| -> rusqlite::Result<Vec<String>> {
            let sql = format!("select name from {table} where ntid = ?1 order by ord");
            let mut stmt = db.prepare(&sql)?;
            let names = stmt.query_map([id], |r| r.get(0))?.collect();
            names
        };
        notetypes.push(NotetypeInfo {
            id,
            name,
            fields: list("fields")?,
            templates: list("templates")?,
        });
    }
    let mut stmt = db.prepare("select id, name from decks order by id")?;
    let decks = stmt
        .query_map([], |r| {
            let name: String = r.get(1)?;
            Ok(DeckInfo {
                id: r.get(0)?,
                name: name.replace('\x1f', "::"),
                cards: 0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((notetypes, decks))
}

/// Shortens `s` to `max` characters for the table view.
fn clip(s: &str, max: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        flat
    } else {
        let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The human-readable table.
pub fn render_table(path: &Path, p: &Package) -> String {
    let mut out = format!(
        "{}: {} (schema {}), {} note{}, {} card{}, {} media file{}\n",
        path.display(),
        p.collection,
        p.schema,
        p.notes.len(),
        if p.notes.len() == 1 { "" } else { "s" },
        p.cards,
        if p.cards == 1 { "" } else { "s" },
        p.media.len(),
        if p.media.len() == 1 { "" } else { "s" },
    );
    out.push_str("\nDECKS\n");
    for d in &p.decks {
        out.push_str(&format!(
            "  {:>5} cards  {}  (id {})\n",
            d.cards, d.name, d.id
        ));
    }
    out.push_str("\nNOTE TYPES\n");
    for t in &p.notetypes {
        out.push_str(&format!(
            "  {}  (id {})  fields: {}  templates: {}\n",
            t.name,
            t.id,
            t.fields.join(", "),
            t.templates.join(", ")
        ));
    }
    out.push_str("\nNOTES\n");
    out.push_str(&format!(
        "  {:<12}  {:<20}  {:<16}  {}\n",
        "GUID", "TAGS", "NOTE TYPE", "FIRST FIELD"
    ));
    for n in &p.notes {
        out.push_str(&format!(
            "  {:<12}  {:<20}  {:<16}  {}\n",
            n.guid,
            clip(&n.tags.join(" "), 20),
            clip(&n.notetype, 16),
            clip(n.fields.first().map(String::as_str).unwrap_or(""), 60)
        ));
    }
    if !p.media.is_empty() {
        out.push_str("\nMEDIA\n");
        for m in &p.media {
            out.push_str(&format!("  {m}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_meta_and_media_protobuf() {
        assert_eq!(meta_version(&[0x08, 0x03]), 3);
        // entries { name: "a.png" size: 3 } entries { name: "b" }
        let buf = [
            0x0a, 0x09, 0x0a, 0x05, b'a', b'.', b'p', b'n', b'g', 0x10, 0x03, 0x0a, 0x03, 0x0a,
            0x01, b'b',
        ];
        assert_eq!(media_names_protobuf(&buf), ["a.png", "b"]);
        assert_eq!(media_names_protobuf(&[0x0a, 0x7f]), Vec::<String>::new());
    }

    #[test]
    fn legacy_media_list_is_in_index_order() {
        assert_eq!(
            media_names_json(br#"{"10": "k", "2": "c", "0": "a"}"#),
            ["a", "c", "k"]
        );
    }

    #[test]
    fn clip_marks_cut_text() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("a\x1fb", 4), "a b");
    }
}
