//! The `apkg` format: an Anki package.
//!
//! A zip holding, in this order, `collection.anki2` (SQLite, schema 11, see
//! [`schema`]), `media` (JSON `{"0": "name", …}`) and the media files
//! stored as `0`, `1`, …. Every entry has a fixed timestamp and Deflate
//! compression, and every id is a stable hash ([`ids`]), so identical input
//! gives identical bytes.

mod ids;
mod notetypes;
mod package;
mod prefetch;
mod schema;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{params, Connection};

use super::{html, Compression, EmitOptions, Emitter};
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
    compression: Compression,
    output: Option<PathBuf>,
}

impl Apkg {
    pub fn new(options: &EmitOptions) -> Self {
        Apkg {
            html: options.html,
            media_dir: media::base_dir(options.media_dir.as_deref()),
            compression: options.compression,
            output: options.output.clone(),
        }
    }
}

impl Emitter for Apkg {
    fn name(&self) -> &'static str {
        "apkg"
    }

    fn emit(&self, deck: &Deck, out: &mut dyn Write) -> Result<()> {
        let level = self.compression.level();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        // The collection is built in a scratch file (see `with_collection`)
        // and compressed in pieces on every core. With a second core, the
        // tables are deflated while SQLite builds the indices after them.
        let ahead = (threads > 1).then_some(level);
        let scratch = self.output.as_deref();
        // The collection's pieces wait for the zip in a file of their own.
        let spill = spill_file(scratch)?;
        let spill = Some(&spill);
        let mut entries = vec![with_collection(
            deck,
            self.html,
            scratch,
            ahead.map(|level| (level, spill)),
            |bytes, ahead| {
                package::deflate_with("collection.anki2", bytes, level, threads, ahead, spill)
            },
        )?];
        let files = media::collect(deck, &self.media_dir, self.html);
        let names: Vec<&String> = files.keys().collect();
        entries.push(package::deflate(
            "media",
            media_map(&names)?.as_bytes(),
            level,
            1,
        )?);
        for (i, path) in files.values().enumerate() {
            let bytes = std::fs::read(path).map_err(|source| crate::Error::Read {
                path: path.clone(),
                source,
            })?;
            entries.push(package::deflate(&i.to_string(), &bytes, level, threads)?);
        }
        package::write(entries, out)
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
    let mut out = String::from(" ");
    for tag in &card.tags {
        let before = out.len();
        for (i, part) in tag.split_whitespace().enumerate() {
            if i > 0 {
                out.push('_');
            }
            out.push_str(part);
        }
        if out.len() > before {
            out.push(' ');
        }
    }
    if out.len() == 1 {
        String::new()
    } else {
        out
    }
}

/// Every deck the cards live in, parents included (`A`, `A::B`), sorted.
fn deck_names(deck: &Deck) -> Vec<String> {
    let mut names = BTreeSet::new();
    names.insert(deck.name.clone());
    let subdecks: BTreeSet<Option<&str>> = deck.cards.iter().map(|c| c.subdeck_name()).collect();
    for subdeck in subdecks {
        let path = match subdeck {
            Some(sub) => format!("{}::{sub}", deck.name),
            None => deck.name.clone(),
        };
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

/// The collection's bytes: built in a scratch file as [`with_collection`]
/// does, then read back whole (for tests and tools that want the bytes).
pub fn collection_bytes(deck: &Deck, source_is_html: bool) -> Result<Vec<u8>> {
    with_collection(deck, source_is_html, None, None, |data, _| {
        let mut bytes = Vec::new();
        package::Data::read_into(data, 0, data.len, &mut bytes)?;
        Ok(bytes)
    })
}

/// Builds the collection (rows in one transaction, then the indices) and
/// hands it to `use_data`, to be read a piece at a time. With `ahead` (a
/// Deflate level, and where to keep the pieces), the tables are deflated
/// at that level on a second thread while SQLite builds the indices, and
/// `use_data` gets those pieces too.
///
/// The database is a scratch file, not memory: it is the largest thing a
/// build holds (66 MB at 100,000 cards, 700 MB at a million), and in a file
/// it sits in the operating system's page cache, which may write it out,
/// rather than in the build's own memory. The file goes beside `output`,
/// whose directory the build writes to anyway (or in the temp directory),
/// and is removed as soon as SQLite has opened it (on Unix; elsewhere,
/// when the build is done), so a killed build leaves nothing behind.
fn with_collection<T>(
    deck: &Deck,
    source_is_html: bool,
    output: Option<&std::path::Path>,
    ahead: Option<(u32, Option<&package::Spill>)>,
    use_data: impl FnOnce(&package::FileData<'_>, Option<package::Ahead>) -> Result<T>,
) -> Result<T> {
    let (scratch, dir) = scratch_file(output)?;
    let (file, path) = scratch.into_parts();
    // Declared after `path`, so closed before it is removed (where an open
    // file cannot be).
    let mut db = open_scratch(&path)?;
    // SQLite keeps the file open and, with no journal, never opens it by
    // name again. Where an open file cannot be removed, `path` removes it
    // when dropped.
    let _ = std::fs::remove_file(&path);
    // 16 KiB pages, not SQLite's 4 KiB: a quarter of the reads and writes
    // of the scratch file (each a system call), and a package 1 % smaller.
    // Measured at 100,000 cards: 1.24 s -> 1.18 s (4 KiB, 16 KiB; 32 KiB
    // gained no more). Anki opens any page size.
    db.pragma_update(None, "page_size", PAGE_SIZE)?;
    db.pragma_update(None, "journal_mode", "OFF")?;
    db.pragma_update(None, "synchronous", "OFF")?;
    // Sorts for the indices stay in memory.
    db.pragma_update(None, "temp_store", "MEMORY")?;
    db.execute_batch(schema::TABLES)?;
    let tx = db.transaction()?;
    fill(&tx, deck, source_is_html).map_err(|e| match e {
        crate::Error::Sqlite(e) => scratch_full(e, &dir),
        other => other,
    })?;
    tx.commit().map_err(|e| scratch_full(e, &dir))?;
    // SQLite sorts an index's entries in runs as large as its page cache
    // (2 MiB by default) and merges the runs. At a million cards that was
    // a dozen runs per index and 1.8 s of CPU more than with 8 MiB runs;
    // at 100,000 cards it makes no difference. The file is the same.
    db.pragma_update(None, "cache_size", -8192)?;
    let ahead = indices_deflating_ahead(&db, &file, ahead).map_err(|e| match e {
        crate::Error::Sqlite(e) => scratch_full(e, &dir),
        other => other,
    })?;
    let len = collection_len(&db)?;
    drop(db);
    let result = use_data(&package::FileData { file: &file, len }, ahead);
    drop(path);
    result
}

/// Opens the scratch file with SQLite: on Unix through its file system
/// that takes no file locks. Nothing else can open the file (its name is
/// gone as soon as SQLite has it), and the output's directory may be on a
/// network file system whose locks fail or hang.
fn open_scratch(path: &std::path::Path) -> rusqlite::Result<Connection> {
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    #[cfg(unix)]
    return Connection::open_with_flags_and_vfs(path, flags, c"unix-none");
    #[cfg(not(unix))]
    return Connection::open_with_flags(path, flags);
}

/// The collection's page size (see [`with_collection`]).
const PAGE_SIZE: i64 = 16 * 1024;

/// The collection's size in bytes: its pages, as SQLite counts them.
fn collection_len(db: &Connection) -> Result<usize> {
    let pages: i64 = db.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let size: i64 = db.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    usize::try_from(pages.saturating_mul(size))
        .map_err(|_| crate::Error::Format("the collection is too large".into()))
}

/// Builds the indices, while a second thread deflates the tables at
/// `level`, if given.
///
/// The indices' pages go after the tables' pages, which SQLite leaves as
/// they are: every whole piece of the file as it stands after the rows
/// were committed is, most likely, a piece of the finished file. The
/// other thread reads those pieces from the file and deflates them; each
/// is used only if the finished file holds the same bytes there.
fn indices_deflating_ahead(
    db: &Connection,
    file: &std::fs::File,
    ahead: Option<(u32, Option<&package::Spill>)>,
) -> Result<Option<package::Ahead>> {
    let now = usize::try_from(file.metadata()?.len()).unwrap_or(0);
    let range = package::ahead_range(now);
    let Some((level, spill)) = ahead.filter(|_| !range.is_empty()) else {
        // Not asked for, or under two pieces: no thread to start.
        db.execute_batch(schema::INDICES)?;
        return Ok(None);
    };
    let stop = AtomicBool::new(false);
    let data = package::FileData { file, len: now };
    std::thread::scope(|s| {
        let side = s.spawn(|| package::deflate_ahead(&data, range, level, &stop, spill));
        let built = db.execute_batch(schema::INDICES);
        stop.store(true, Ordering::Relaxed);
        let ahead = side.join().ok();
        built.map(|()| ahead).map_err(Into::into)
    })
}

/// A new scratch file and the directory it is in: `beside` the output
/// (given its place) if there is an output file and its directory takes
/// one, else `in_temp` in the temp directory (a build writing a file then
/// says why its directory would not do).
fn scratch<T>(
    output: Option<&std::path::Path>,
    beside: impl FnOnce(&crate::output::Place) -> std::io::Result<T>,
    in_temp: impl FnOnce(&std::path::Path) -> std::io::Result<T>,
) -> Result<(T, PathBuf)> {
    if let Some(place) = output.map(crate::output::Place::of) {
        if let Ok(file) = beside(&place) {
            return Ok((file, place.dir));
        }
    }
    let dir = std::env::temp_dir();
    let file = in_temp(&dir).map_err(|e| no_scratch(&dir, &e))?;
    Ok((file, dir))
}

/// A new scratch file for the collection, and the directory it is in (see
/// [`scratch`]): beside the output as `.NAME.PID.RANDOM.tmp` (the name of
/// the output's own temp file, which a later build removes if this one was
/// killed at the wrong moment).
fn scratch_file(output: Option<&std::path::Path>) -> Result<(tempfile::NamedTempFile, PathBuf)> {
    scratch(
        output,
        |place| crate::output::temp_beside(&place.dir, &place.file_name),
        |dir| {
            tempfile::Builder::new()
                .prefix(".deckc-collection.")
                .tempfile_in(dir)
        },
    )
}

/// A scratch file for the collection's deflated pieces ([`package::Spill`]),
/// where [`scratch_file`] puts the collection; it has no name, or loses it
/// at once, so nothing is left behind.
fn spill_file(output: Option<&std::path::Path>) -> Result<package::Spill> {
    let (file, _) = scratch(
        output,
        |place| tempfile::tempfile_in(&place.dir),
        |dir| tempfile::tempfile_in(dir),
    )?;
    Ok(package::Spill::new(file))
}

/// Neither the output's directory nor the temp directory would take a
/// scratch file.
fn no_scratch(dir: &std::path::Path, e: &std::io::Error) -> crate::Error {
    crate::Error::Format(format!(
        "cannot create the package's scratch collection in {}: {e}; \
         set TMPDIR to a directory deckc may write to",
        dir.display()
    ))
}

/// What a full disk under the scratch collection means for the user.
fn scratch_full(e: rusqlite::Error, dir: &std::path::Path) -> crate::Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => crate::Error::Format(format!(
            "no room left for the package's scratch collection in {} \
             (it takes about as much as the notes' text, and more with media); \
             free some space there or set TMPDIR to a directory with more",
            dir.display()
        )),
        _ => e.into(),
    }
}

/// Notes rendered per batch sent to the inserting thread.
const NOTE_BATCH: usize = 256;

/// One row of the `notes` table, rendered (the other columns are
/// constants).
struct NoteRow<'a> {
    nid: i64,
    mid: i64,
    card: &'a Card,
    tags: String,
    /// Front and back, joined by `\x1f`.
    flds: String,
    /// The front without HTML, which Anki sorts and checks duplicates by.
    sfld: String,
    csum: i64,
}

impl<'a> NoteRow<'a> {
    fn new(nid: i64, mid: i64, card: &'a Card, source_is_html: bool) -> Self {
        let front = field_html(html::question(card, source_is_html), source_is_html);
        let back = field_html(html::answer(card, source_is_html), source_is_html);
        let sfld = strip_html(&front);
        let mut flds = front;
        flds.reserve(back.len() + 1);
        flds.push('\x1f');
        flds.push_str(&back);
        NoteRow {
            nid,
            mid,
            card,
            tags: tags_column(card),
            csum: ids::checksum_of_stripped(&sfld),
            flds,
            sfld,
        }
    }
}

/// One row of the `cards` table (the other columns are constants).
struct CardRow {
    id: i64,
    nid: i64,
    did: i64,
    ord: u32,
    mtime: i64,
    due: i64,
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
    // Ids first: each note's and card's own id, a hash (see `ids`); the
    // rows then go in in id order. In card order every insert would land
    // on a random page of the table's B-tree: SQLite would split pages all
    // over and, once its page cache is full, write them out and read them
    // back. In id order every row is appended. Sorted, the rare repeated
    // id sits next to its twin, and `ids::settle` steps it aside as if the
    // ids had been given out in card order.
    let mut label = String::new();
    // Deck ids hash the deck's name: once per subdeck, not once per card.
    let mut deck_ids: BTreeMap<Option<&str>, i64> = BTreeMap::new();
    let mut note_rows: Vec<(i64, usize)> = Vec::with_capacity(deck.cards.len());
    let mut card_rows: Vec<CardRow> = Vec::with_capacity(deck.cards.len());
    for (position, card) in deck.cards.iter().enumerate() {
        let ceiling = card.mtime.max(0).saturating_mul(1000);
        label.clear();
        label.push_str("note\0");
        label.push_str(&card.guid);
        note_rows.push((ids::bounded_id(&label, ceiling), position));
    }
    note_rows.sort_unstable();
    if ids::settle(&mut note_rows, |r| r.0, |r| r.1 as u64, |r, id| r.0 = id) {
        note_rows.sort_unstable();
    }
    // Each card's note id, by position.
    let mut nids = vec![0i64; deck.cards.len()];
    for &(nid, position) in &note_rows {
        if let Some(n) = nids.get_mut(position) {
            *n = nid;
        }
    }
    for (position, ((card, &kind), &nid)) in deck.cards.iter().zip(&kinds).zip(&nids).enumerate() {
        let ceiling = card.mtime.max(0).saturating_mul(1000);
        let subdeck = card.subdeck_name();
        let did = *deck_ids
            .entry(subdeck)
            .or_insert_with(|| schema::deck_id(&card.deck_path(&deck.name)));
        // Sibling cards (reverse, cloze 2, …) share the note's position,
        // as Anki gives them when it adds a note.
        for ord in kind.ords(card) {
            label.clear();
            label.push_str("card\0");
            label.push_str(&card.guid);
            label.push('\0');
            label.push_str(&ord.to_string());
            card_rows.push(CardRow {
                id: ids::bounded_id(&label, ceiling),
                nid,
                did,
                ord,
                mtime: card.mtime,
                due: position as i64 + 1,
            });
        }
    }
    drop(nids);
    // Cards are given ids in card order, a note's cards in `ord` order.
    let card_order = |r: &CardRow| (r.due as u64) << 32 | u64::from(r.ord);
    card_rows.sort_unstable_by_key(|r| (r.id, card_order(r)));
    if ids::settle(&mut card_rows, |r| r.id, card_order, |r, id| r.id = id) {
        card_rows.sort_unstable_by_key(|r| r.id);
    }
    // Note type ids hash the type's name: once per type, not per note.
    let mids: BTreeMap<NoteKind, i64> = used.iter().map(|&k| (k, notetypes::id(k))).collect();
    // The fields are rendered on a second thread, a batch of notes ahead
    // of SQLite inserting them on this one; the rows go in in the same
    // order either way.
    std::thread::scope(|s| -> Result<()> {
        let (batches, rendered) = std::sync::mpsc::sync_channel::<Vec<NoteRow<'_>>>(4);
        let kinds = &kinds;
        let mids = &mids;
        s.spawn(move || {
            let card_at = |i: usize| note_rows.get(i).and_then(|&(_, p)| deck.cards.get(p));
            for (k, chunk) in note_rows.chunks(NOTE_BATCH).enumerate() {
                let batch = chunk
                    .iter()
                    .enumerate()
                    .filter_map(|(j, &(nid, position))| {
                        // In id order the cards come from all over memory,
                        // each with its strings somewhere else again: ask
                        // for them a few notes ahead, a level at a time.
                        let i = k * NOTE_BATCH + j;
                        prefetch::card(card_at(i + prefetch::CARD_AHEAD));
                        prefetch::fields(card_at(i + prefetch::FIELDS_AHEAD));
                        prefetch::lines(card_at(i + prefetch::LINES_AHEAD));
                        let card = deck.cards.get(position)?;
                        let kind = kinds.get(position)?;
                        let mid = *mids.get(kind)?;
                        Some(NoteRow::new(nid, mid, card, source_is_html))
                    })
                    .collect();
                // The receiver is gone only when an insert failed.
                if batches.send(batch).is_err() {
                    break;
                }
            }
        });
        for batch in rendered {
            for row in batch {
                notes.execute(params![
                    row.nid,
                    row.card.guid,
                    row.mid,
                    row.card.mtime,
                    row.tags,
                    row.flds,
                    row.sfld,
                    row.csum,
                ])?;
            }
        }
        Ok(())
    })?;
    for r in card_rows {
        cards.execute(params![r.id, r.nid, r.did, r.ord, r.mtime, r.due])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AnswerLine;
    use crate::source::Span;

    #[test]
    fn a_full_scratch_disk_says_what_to_do() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let message = scratch_full(full, std::path::Path::new("/scratch")).to_string();
        assert!(message.contains("/scratch"), "{message}");
        assert!(message.contains("set TMPDIR"), "{message}");
    }

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

    /// A deck whose collection is several pieces long, so that the
    /// package's tables are deflated while the indices are built.
    fn large_deck() -> Deck {
        let mut deck = deck();
        let template = deck.cards[0].clone();
        deck.cards = (0..6000)
            .map(|i| Card {
                question: format!("Question {i}: what happened in {}?", 1900 + i % 97).into(),
                answer: (0..3)
                    .map(|j| {
                        AnswerLine::new(
                            format!("> line {j} of {i}: {}", "x".repeat(i % 200)),
                            Span::default(),
                        )
                    })
                    .collect(),
                guid: format!("g{i}").into(),
                ..template.clone()
            })
            .collect();
        deck
    }

    #[test]
    fn a_package_deflated_ahead_holds_the_collection_deflated_at_once() {
        let deck = large_deck();
        let collection = collection_bytes(&deck, false).unwrap();
        assert!(
            collection.len() > 3 * package::CHUNK,
            "{}",
            collection.len()
        );
        let mut apkg = Vec::new();
        Apkg::new(&EmitOptions::default())
            .emit(&deck, &mut apkg)
            .unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&apkg)).unwrap();
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name("collection.anki2").unwrap(), &mut back)
            .unwrap();
        assert!(back == collection);
        // And the same bytes as deflating it in one go.
        let level = Compression::default().level();
        let entries = vec![
            package::deflate("collection.anki2", &collection, level, 1).unwrap(),
            package::deflate("media", b"{}", level, 1).unwrap(),
        ];
        let mut at_once = Vec::new();
        package::write(entries, &mut at_once).unwrap();
        assert!(apkg == at_once);
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

    proptest::proptest! {
        /// Tags are written without building a list first; the column is
        /// what joining the cleaned tags gave.
        #[test]
        fn tags_column_joins_the_cleaned_tags(tags in proptest::collection::vec("[ a-b\t]{0,4}", 0..4)) {
            let card = Card { tags: tags.clone(), ..Card::default() };
            let cleaned: Vec<String> = tags
                .iter()
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join("_"))
                .filter(|t| !t.is_empty())
                .collect();
            let expected = if cleaned.is_empty() {
                String::new()
            } else {
                format!(" {} ", cleaned.join(" "))
            };
            proptest::prop_assert_eq!(tags_column(&card), expected);
        }
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
