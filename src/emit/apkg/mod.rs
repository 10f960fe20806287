//! The `apkg` format: an Anki package, of one of two kinds ([`Package`]).
//!
//! - **Latest** (Anki 2.1.50 and later, what Anki exports by default): a
//!   zip holding, in this order, `meta` (protobuf `PackageMetadata`,
//!   version 3), `collection.anki21b` (the collection, SQLite schema 11 —
//!   see [`schema`] — as zstd frames, stored), `media` (protobuf
//!   `MediaEntries`: name, size and SHA-1 of each file, zstd) and the media
//!   files as `0`, `1`, … (zstd). Anki brings the collection to its current
//!   schema on import, as it does a legacy package's. (Anki's own packages
//!   also hold a `collection.anki2` whose one note asks older versions to
//!   update; those versions read the media list first, as JSON, and stop
//!   there, so deckc leaves it out.)
//! - **Legacy** (every version of Anki): `collection.anki2`, `media` (JSON
//!   `{"0": "name", …}`) and the media files `0`, `1`, …, all Deflate.
//!
//! Every entry has a fixed timestamp, and every id is a stable hash
//! ([`ids`]), so identical input gives identical bytes.

mod btree;
mod ids;
mod notetypes;
mod package;
mod prefetch;
mod schema;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

use rusqlite::{params, Connection};

use super::{html, Compression, EmitOptions, Emitter, Package};
use crate::error::Result;
use crate::media;
use crate::model::{Card, Deck};
use crate::notetype::NoteKind;
use package::Codec;

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
    timings: crate::timings::Timings,
    media_dir: PathBuf,
    compression: Compression,
    package: Package,
    output: Option<PathBuf>,
}

impl Apkg {
    pub fn new(options: &EmitOptions) -> Self {
        Apkg {
            html: options.html,
            timings: options.timings.clone(),
            media_dir: media::base_dir(options.media_dir.as_deref()),
            compression: options.compression,
            package: options.package,
            output: options.output.clone(),
        }
    }
}

impl Emitter for Apkg {
    fn name(&self) -> &'static str {
        "apkg"
    }

    fn emit(&self, deck: &Deck, out: &mut dyn Write) -> Result<()> {
        // The media files a card refers to are looked for on a thread of
        // their own: the search reads every card's text, and after the
        // collection it would run with every other core idle.
        std::thread::scope(|s| {
            let files = s.spawn(|| media::collect(deck, &self.media_dir, self.html));
            self.package(deck, out, files)
        })
    }
}

impl Apkg {
    /// [`Emitter::emit`], with the media files a card refers to coming from
    /// `files`.
    fn package(
        &self,
        deck: &Deck,
        out: &mut dyn Write,
        files: std::thread::ScopedJoinHandle<'_, BTreeMap<String, PathBuf>>,
    ) -> Result<()> {
        let latest = self.package == Package::Latest;
        let codec = if latest {
            Codec::Zstd(self.compression.zstd_level())
        } else {
            Codec::Deflate(self.compression.level())
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        // SQLite makes the collection in a scratch file (see `Collection`).
        let scratch = self.output.as_deref();
        let compress = crate::timings::Stage::Compress;
        // The collection's pieces wait for the zip in a file of their own.
        let spill = spill_file(scratch)?;
        let mut entries = Vec::new();
        if latest {
            entries.push(package::compress("meta", &LATEST_META, Codec::Store, 1)?);
        }
        let name = if latest {
            "collection.anki21b"
        } else {
            "collection.anki2"
        };
        let collection = Collection::make(deck, scratch)?;
        // The pages deckc lays out are compressed as they are written, on
        // a thread beside those writing them (and at the end on every
        // core): they are never written to the file, nor held.
        let prefix = collection.prefix()?;
        let (_, entry) = package::compress_stream(
            name,
            codec,
            threads,
            Some(&spill),
            prefix,
            |sink| {
                let mut push = |bytes: &[u8]| sink.push(bytes);
                collection.fill(deck, self.html, Some(&mut push))
            },
            |_| collection.read(prefix),
            &|work| self.timings.stage(compress, work),
        )?;
        entries.push(entry);
        let files = files
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let names: Vec<&String> = files.keys().collect();
        let mut listed = Vec::with_capacity(files.len());
        let mut media = Vec::with_capacity(files.len());
        for (i, (name, path)) in files.iter().enumerate() {
            let bytes = std::fs::read(path).map_err(|source| crate::Error::Read {
                path: path.clone(),
                source,
            })?;
            if latest {
                listed.push(MediaEntry::of(name, &bytes));
            }
            let name = i.to_string();
            let entry = self.timings.stage(compress, || {
                package::compress(&name, &bytes, codec, threads)
            });
            media.push(entry?);
        }
        let map = if latest {
            media_entries(&listed)
        } else {
            media_map(&names)?.into_bytes()
        };
        entries.push(package::compress("media", &map, codec, 1)?);
        entries.extend(media);
        package::write(entries, out)
    }
}

/// The `meta` entry of a [`Package::Latest`] package: protobuf
/// `PackageMetadata { version: 3 }` (`Version::Latest`).
const LATEST_META: [u8; 2] = [0x08, 0x03];

/// One media file as a [`Package::Latest`] package lists it.
struct MediaEntry<'n> {
    name: &'n str,
    size: u64,
    sha1: [u8; 20],
}

impl<'n> MediaEntry<'n> {
    fn of(name: &'n str, bytes: &[u8]) -> Self {
        use sha1::Digest;
        MediaEntry {
            name,
            size: bytes.len() as u64,
            sha1: sha1::Sha1::digest(bytes).into(),
        }
    }
}

/// The media list of a [`Package::Latest`] package: protobuf
/// `MediaEntries { repeated MediaEntry entries = 1 }`, each `MediaEntry {
/// string name = 1; uint32 size = 2; bytes sha1 = 3 }`, in index order.
/// A size of 0 is left out, as protobuf leaves out defaults.
fn media_entries(entries: &[MediaEntry<'_>]) -> Vec<u8> {
    fn varint(out: &mut Vec<u8>, mut n: u64) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
    fn bytes_field(out: &mut Vec<u8>, field: u8, bytes: &[u8]) {
        out.push((field << 3) | 2);
        varint(out, bytes.len() as u64);
        out.extend_from_slice(bytes);
    }
    let mut out = Vec::new();
    let mut entry = Vec::new();
    for e in entries {
        entry.clear();
        bytes_field(&mut entry, 1, e.name.as_bytes());
        if e.size > 0 {
            entry.push(2 << 3);
            varint(&mut entry, e.size);
        }
        bytes_field(&mut entry, 3, &e.sha1);
        bytes_field(&mut out, 1, &entry);
    }
    out
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

/// The collection's bytes, laid out whole in its scratch file and read
/// back (for tests and tools that want the bytes).
pub fn collection_bytes(deck: &Deck, source_is_html: bool) -> Result<Vec<u8>> {
    let collection = Collection::make(deck, None)?;
    let len = collection.fill(deck, source_is_html, None)?;
    collection.read(len)
}

/// A collection being made.
///
/// SQLite makes the database: the tables, the `col` row and the schema's
/// entries for the indices. The rows of `notes` and `cards` and the
/// indices' B-trees are then laid out by [`btree`] after SQLite's pages,
/// into the file or as a stream of pages (see [`Collection::fill`]).
///
/// The database is a scratch file, not memory: SQLite needs one. A package
/// streams the pages deckc lays out to the compression threads, so the file
/// holds only SQLite's pages (about 200 KB); [`collection_bytes`] lays them
/// out in the file (66 MB at 100,000 cards), where they sit in the page
/// cache rather than in the build's own memory. The file goes beside
/// `output`, whose directory the build writes to anyway (or in the temp
/// directory), and is removed as soon as SQLite has opened it (on Unix;
/// elsewhere, when the build is done), so a killed build leaves nothing
/// behind.
struct Collection {
    file: std::fs::File,
    /// Removes the file when dropped, where it could not be removed while
    /// open.
    _path: tempfile::TempPath,
    dir: PathBuf,
    /// Each card's note type.
    kinds: Vec<NoteKind>,
    /// The notes' and cards' ids, in id order (see [`rows`]).
    rows: (Vec<(i64, usize)>, Vec<CardRow>),
    roots: Roots,
}

impl Collection {
    /// Makes the database with SQLite while another thread works out the
    /// rows' ids (SQLite's part runs on one core and does not need them).
    fn make(deck: &Deck, output: Option<&std::path::Path>) -> Result<Self> {
        let kinds: Vec<NoteKind> = deck.cards.iter().map(NoteKind::of).collect();
        let (made, rows) = std::thread::scope(|s| {
            let rows = s.spawn(|| rows(deck, &kinds));
            let made = sqlite_part(deck, &kinds, output);
            let rows = rows
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (made, rows)
        });
        let (file, path, dir, roots) = made?;
        Ok(Collection {
            file,
            _path: path,
            dir,
            kinds,
            rows,
            roots,
        })
    }

    /// The bytes of SQLite's pages, which come before those deckc lays out.
    fn prefix(&self) -> Result<usize> {
        let size = btree::page_size(&self.file)?;
        Ok((self.roots.free as usize - 1) * size)
    }

    /// Lays out the rows and indices (see [`fill`]), the pages after
    /// SQLite's going to `stream` if given, else to the file; returns the
    /// collection's size.
    fn fill<'a>(
        &'a self,
        deck: &Deck,
        source_is_html: bool,
        stream: Option<btree::Stream<'a>>,
    ) -> Result<usize> {
        let pages = btree::Pages::open(&self.file, self.roots.free, stream)?;
        fill(
            pages,
            &self.roots,
            deck,
            &self.rows,
            &self.kinds,
            source_is_html,
        )
        .map_err(|e| full_disk(e, &self.dir))
    }

    /// The file's first `len` bytes.
    fn read(&self, len: usize) -> Result<Vec<u8>> {
        let mut bytes = vec![0; len];
        crate::fileio::read_at(&self.file, &mut bytes, 0)?;
        Ok(bytes)
    }
}

/// [`Collection::make`]'s SQLite part: the scratch file, beside `output`
/// or in the temp directory, made into the database with its tables, the
/// `col` row and the indices' schema entries. Returns the open file, its
/// path, its directory and where the B-trees go.
fn sqlite_part(
    deck: &Deck,
    kinds: &[NoteKind],
    output: Option<&std::path::Path>,
) -> Result<(std::fs::File, tempfile::TempPath, PathBuf, Roots)> {
    let (scratch, dir) = scratch_file(output)?;
    let (file, path) = scratch.into_parts();
    let mut db = open_scratch(&path)?;
    // SQLite keeps the file open and, with no journal, never opens it by
    // name again. Where an open file cannot be removed, `path` removes it
    // when dropped.
    let _ = std::fs::remove_file(&path);
    let roots = make_collection(&mut db, deck, kinds).map_err(|e| full_disk(e, &dir))?;
    // SQLite is done with the file: it is closed here.
    Ok((file, path, dir, roots))
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

/// The collection's page size (see [`btree::PAGE`]).
const PAGE_SIZE: i64 = btree::PAGE as i64;

/// Where [`fill`] puts the B-trees SQLite left empty or did not make.
struct Roots {
    notes: u32,
    cards: u32,
    /// The root page of each of [`schema::INDICES`].
    indices: [u32; schema::INDICES.len()],
    /// The first page after SQLite's pages and the indices' roots.
    free: u32,
}

/// Makes the database with SQLite: the tables, the `col` row, and an entry
/// in the schema for each index, whose root is a page after SQLite's own
/// (the indices' B-trees are [`fill`]'s). Returns where the B-trees go.
fn make_collection(db: &mut Connection, deck: &Deck, kinds: &[NoteKind]) -> Result<Roots> {
    db.pragma_update(None, "page_size", PAGE_SIZE)?;
    db.pragma_update(None, "journal_mode", "OFF")?;
    db.pragma_update(None, "synchronous", "OFF")?;
    db.execute_batch(schema::TABLES)?;
    let tx = db.transaction()?;
    insert_col(&tx, deck, kinds)?;
    let page_count = |tx: &rusqlite::Transaction<'_>| -> Result<u32> {
        let n: i64 = tx.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    };
    let root = |name: &str| -> Result<u32> {
        let n: i64 = tx.query_row(
            "select rootpage from sqlite_master where name = ?1",
            [name],
            |r| r.get(0),
        )?;
        Ok(u32::try_from(n).unwrap_or(0))
    };
    let (notes, cards) = (root("notes")?, root("cards")?);
    let pages = page_count(&tx)?;
    let mut indices = [0; schema::INDICES.len()];
    tx.pragma_update(None, "writable_schema", true)?;
    {
        let mut entry = tx.prepare(
            "insert into sqlite_master (type, name, tbl_name, rootpage, sql)
             values ('index', ?1, ?2, ?3, ?4)",
        )?;
        for (i, &(name, table, columns)) in schema::INDICES.iter().enumerate() {
            indices[i] = pages + 1 + i as u32;
            entry.execute(params![
                name,
                table,
                indices[i],
                schema::index_sql(name, table, columns)
            ])?;
        }
    }
    // The schema's entries fit on its page: SQLite took no page of its own
    // for them, which would be one the indices' roots are given.
    if page_count(&tx)? != pages {
        return Err(crate::Error::Format(
            "the collection's schema took more than one page".into(),
        ));
    }
    tx.commit()?;
    Ok(Roots {
        notes,
        cards,
        indices,
        free: pages + 1 + schema::INDICES.len() as u32,
    })
}

/// The `col` row: the collection's settings, decks and the note types of
/// the cards (`kinds`, card by card).
fn insert_col(tx: &rusqlite::Transaction<'_>, deck: &Deck, kinds: &[NoteKind]) -> Result<()> {
    let max_mtime = deck.cards.iter().map(|c| c.mtime).max().unwrap_or(0).max(0);
    let names = deck_names(deck);
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
    Ok(())
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

/// What a full disk under the scratch collection means for the user; other
/// errors pass.
fn full_disk(e: crate::Error, dir: &std::path::Path) -> crate::Error {
    let full = match &e {
        crate::Error::Sqlite(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull),
        crate::Error::Io(e) => e.kind() == std::io::ErrorKind::StorageFull,
        _ => false,
    };
    if !full {
        return e;
    }
    crate::Error::Format(format!(
        "no room left for the package's scratch collection in {} \
         (it takes about as much as the notes' text, and more with media); \
         free some space there or set TMPDIR to a directory with more",
        dir.display()
    ))
}

/// Notes rendered per batch sent to the writing thread.
const NOTE_BATCH: usize = 256;

/// One row of the `notes` table, rendered (the other columns are
/// constants).
struct NoteRow<'a> {
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
    fn new(mid: i64, card: &'a Card, source_is_html: bool) -> Self {
        let front = field_html(html::question(card, source_is_html), source_is_html);
        let back = field_html(html::answer(card, source_is_html), source_is_html);
        let sfld = strip_html(&front);
        let mut flds = front;
        flds.reserve(back.len() + 1);
        flds.push('\x1f');
        flds.push_str(&back);
        NoteRow {
            mid,
            card,
            tags: tags_column(card),
            csum: ids::checksum_of_stripped(&sfld),
            flds,
            sfld,
        }
    }

    /// The row's record: its columns as SQLite stores them (`sfld` as
    /// `numeric` makes it).
    fn record(&self, numeric: &mut Numeric, out: &mut Vec<u8>) -> Result<()> {
        use btree::Value::{Int, Null, Text};
        let sfld = numeric.integer_affinity(&self.sfld)?;
        btree::put_record(
            out,
            &[
                Null, // the id is the rowid
                Text(&self.card.guid),
                Int(self.mid),
                Int(self.card.mtime),
                Int(-1),
                Text(&self.tags),
                Text(&self.flds),
                sfld.value(&self.sfld),
                Int(self.csum),
                Int(0),
                Text(""),
            ],
        );
        Ok(())
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

impl CardRow {
    fn record(&self, out: &mut Vec<u8>) {
        use btree::Value::{Int, Null, Text};
        let z = Int(0);
        btree::put_record(
            out,
            &[
                Null, // the id is the rowid
                Int(self.nid),
                Int(self.did),
                Int(i64::from(self.ord)),
                Int(self.mtime),
                Int(-1),
                z,
                z,
                Int(self.due),
                z,
                z,
                z,
                z,
                z,
                z,
                z,
                z,
                Text(""),
            ],
        );
    }
}

/// What SQLite stores for a text put in a column of `integer` affinity
/// (`notes.sfld`): the text, unless it reads as a number, which SQLite
/// then stores as an integer or a real. The rare text that might read as
/// one is handed to SQLite itself, so the two never disagree.
#[derive(Default)]
struct Numeric {
    db: Option<Connection>,
}

/// A value SQLite would store for a text, by [`Numeric`].
enum Stored {
    Text,
    Int(i64),
    Real(f64),
}

impl Stored {
    fn value<'a>(&self, text: &'a str) -> btree::Value<'a> {
        match *self {
            Stored::Text => btree::Value::Text(text),
            Stored::Int(i) => btree::Value::Int(i),
            Stored::Real(f) => btree::Value::Real(f),
        }
    }
}

impl Numeric {
    fn integer_affinity(&mut self, text: &str) -> Result<Stored> {
        // SQLite reads a number from digits, a sign, a point, an exponent
        // and spaces around them; any other byte keeps the text a text.
        let numeric_bytes = |b: &u8| b.is_ascii_digit() || b" +-.eE\t\n\r\x0b\x0c".contains(b);
        if !text.bytes().all(|b| numeric_bytes(&b)) || !text.bytes().any(|b| b.is_ascii_digit()) {
            return Ok(Stored::Text);
        }
        let db = match &mut self.db {
            Some(db) => db,
            None => {
                let db = Connection::open_in_memory()?;
                db.execute_batch("create table t (x integer not null)")?;
                self.db.insert(db)
            }
        };
        db.execute("delete from t", [])?;
        db.execute("insert into t values (?1)", [text])?;
        let stored = db.query_row("select x from t", [], |r| {
            r.get::<_, rusqlite::types::Value>(0)
        })?;
        Ok(match stored {
            rusqlite::types::Value::Integer(i) => Stored::Int(i),
            rusqlite::types::Value::Real(f) => Stored::Real(f),
            _ => Stored::Text,
        })
    }
}

/// Every note's id, paired with its card's position, in id order; and
/// every card's row, in id order.
fn rows(deck: &Deck, kinds: &[NoteKind]) -> (Vec<(i64, usize)>, Vec<CardRow>) {
    // Ids first: each note's and card's own id, a hash (see `ids`); the
    // rows then go in in id order, as their tables' B-trees hold them.
    // Sorted, the rare repeated id sits next to its twin, and
    // `ids::settle` steps it aside as if the ids had been given out in
    // card order. A card's id does not depend on its note's: the notes'
    // ids are made on a second thread, and each card is given its note's
    // id after.
    let (note_rows, mut card_rows) = std::thread::scope(|s| {
        let notes = s.spawn(|| note_ids(deck));
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
        let cards = card_ids(deck, kinds, threads);
        let notes = notes
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (notes, cards)
    });
    // Each card's note id, by position.
    let mut nids = vec![0i64; deck.cards.len()];
    for &(nid, position) in &note_rows {
        if let Some(n) = nids.get_mut(position) {
            *n = nid;
        }
    }
    for row in &mut card_rows {
        // `due` is the card's position, counted from 1.
        if let Some(&nid) = nids.get(row.due as usize - 1) {
            row.nid = nid;
        }
    }
    (note_rows, card_rows)
}

/// Every note's id and its card's position, in id order.
fn note_ids(deck: &Deck) -> Vec<(i64, usize)> {
    let mut label = String::new();
    let mut note_rows: Vec<(i64, usize)> = Vec::with_capacity(deck.cards.len());
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
    note_rows
}

/// Every card's row, in id order, its note id left 0. The ids are hashed
/// on up to `threads` threads (each card's alone, see [`crate::par`]),
/// then sorted.
fn card_ids(deck: &Deck, kinds: &[NoteKind], threads: usize) -> Vec<CardRow> {
    use std::fmt::Write as _;
    // Deck ids hash the deck's name: once per subdeck, not once per card.
    let mut deck_ids: BTreeMap<Option<&str>, i64> = BTreeMap::new();
    for card in &deck.cards {
        deck_ids
            .entry(card.subdeck_name())
            .or_insert_with(|| schema::deck_id(&card.deck_path(&deck.name)));
    }
    let mut card_rows = crate::par::concat(&deck.cards, threads, |first, cards| {
        let mut label = String::new();
        let mut rows: Vec<CardRow> = Vec::with_capacity(cards.len());
        for (i, card) in cards.iter().enumerate() {
            let position = first + i;
            let Some(&kind) = kinds.get(position) else {
                continue;
            };
            let ceiling = card.mtime.max(0).saturating_mul(1000);
            let did = deck_ids
                .get(&card.subdeck_name())
                .copied()
                .unwrap_or_default();
            // Sibling cards (reverse, cloze 2, …) share the note's position,
            // as Anki gives them when it adds a note.
            for ord in kind.ords(card) {
                label.clear();
                // Writing to a `String` cannot fail.
                let _ = write!(label, "card\0{}\0{ord}", card.guid);
                rows.push(CardRow {
                    id: ids::bounded_id(&label, ceiling),
                    nid: 0,
                    did,
                    ord,
                    mtime: card.mtime,
                    due: position as i64 + 1,
                });
            }
        }
        rows
    });
    // Cards are given ids in card order, a note's cards in `ord` order.
    let card_order = |r: &CardRow| (r.due as u64) << 32 | u64::from(r.ord);
    card_rows.sort_unstable_by_key(|r| (r.id, card_order(r)));
    if ids::settle(&mut card_rows, |r| r.id, card_order, |r, id| r.id = id) {
        card_rows.sort_unstable_by_key(|r| r.id);
    }
    card_rows
}

/// A batch of rendered notes: each note's id, checksum and the end of its
/// record in `records`.
#[derive(Default)]
struct Rendered {
    notes: Vec<(i64, i64, usize)>,
    records: Vec<u8>,
}

/// Lays out the `notes` and `cards` tables and the indices after the pages
/// SQLite wrote (see [`btree`]); returns the collection's size in bytes.
fn fill(
    mut pages: btree::Pages<'_>,
    roots: &Roots,
    deck: &Deck,
    (note_rows, card_rows): &(Vec<(i64, usize)>, Vec<CardRow>),
    kinds: &[NoteKind],
    source_is_html: bool,
) -> Result<usize> {
    let used: BTreeSet<NoteKind> = kinds.iter().copied().collect();
    // Note type ids hash the type's name: once per type, not per note.
    let mids: BTreeMap<NoteKind, i64> = used.iter().map(|&k| (k, notetypes::id(k))).collect();
    // (checksum, note id) of every note, for `ix_notes_csum`.
    let mut csums: Vec<[i64; 2]> = Vec::with_capacity(note_rows.len());
    // The notes are rendered on a second thread, a batch ahead of this one
    // laying them out.
    let mut notes = btree::Table::new(roots.notes, &pages);
    std::thread::scope(|s| -> Result<()> {
        let (batches, rendered) = std::sync::mpsc::sync_channel::<Result<Rendered>>(4);
        let mids = &mids;
        let note_rows = &note_rows;
        s.spawn(move || {
            let card_at = |i: usize| note_rows.get(i).and_then(|&(_, p)| deck.cards.get(p));
            let mut numeric = Numeric::default();
            for (k, chunk) in note_rows.chunks(NOTE_BATCH).enumerate() {
                let mut batch = Rendered::default();
                let mut render = || -> Result<()> {
                    for (j, &(nid, position)) in chunk.iter().enumerate() {
                        // In id order the cards come from all over memory,
                        // each with its strings somewhere else again: ask
                        // for them a few notes ahead, a level at a time.
                        let i = k * NOTE_BATCH + j;
                        prefetch::card(card_at(i + prefetch::CARD_AHEAD));
                        prefetch::fields(card_at(i + prefetch::FIELDS_AHEAD));
                        prefetch::lines(card_at(i + prefetch::LINES_AHEAD));
                        let (Some(card), Some(kind)) =
                            (deck.cards.get(position), kinds.get(position))
                        else {
                            continue;
                        };
                        let Some(&mid) = mids.get(kind) else { continue };
                        let row = NoteRow::new(mid, card, source_is_html);
                        row.record(&mut numeric, &mut batch.records)?;
                        batch.notes.push((nid, row.csum, batch.records.len()));
                    }
                    Ok(())
                };
                let done = render().map(|()| batch);
                let failed = done.is_err();
                // The receiver is gone only when laying out failed.
                if batches.send(done).is_err() || failed {
                    break;
                }
            }
        });
        for batch in rendered {
            let batch = batch?;
            let mut start = 0;
            for &(nid, csum, end) in &batch.notes {
                notes.push(&mut pages, nid, &batch.records[start..end])?;
                csums.push([csum, nid]);
                start = end;
            }
        }
        Ok(())
    })?;
    notes.finish(&mut pages)?;
    let mut cards = btree::Table::new(roots.cards, &pages);
    let mut record = Vec::new();
    for r in card_rows {
        record.clear();
        r.record(&mut record);
        cards.push(&mut pages, r.id, &record)?;
    }
    cards.finish(&mut pages)?;
    // Each index's entries: its columns, then the rowid, sorted.
    for (&(name, _, _), &root) in schema::INDICES.iter().zip(&roots.indices) {
        match name {
            "ix_notes_usn" => {
                let entries: Vec<[i64; 2]> = note_rows.iter().map(|&(id, _)| [-1, id]).collect();
                btree::index(&mut pages, root, &entries)?;
            }
            "ix_cards_usn" => {
                let entries: Vec<[i64; 2]> = card_rows.iter().map(|r| [-1, r.id]).collect();
                btree::index(&mut pages, root, &entries)?;
            }
            "ix_cards_nid" => {
                let mut entries: Vec<[i64; 2]> = card_rows.iter().map(|r| [r.nid, r.id]).collect();
                entries.sort_unstable();
                btree::index(&mut pages, root, &entries)?;
            }
            "ix_cards_sched" => {
                // (did, queue, due, id): every card is new, queue 0.
                let mut entries: Vec<[i64; 4]> =
                    card_rows.iter().map(|r| [r.did, 0, r.due, r.id]).collect();
                entries.sort_unstable();
                btree::index(&mut pages, root, &entries)?;
            }
            "ix_notes_csum" => {
                csums.sort_unstable();
                btree::index(&mut pages, root, &csums)?;
            }
            // The revlog is empty.
            _ => btree::index::<2>(&mut pages, root, &[])?,
        }
    }
    pages.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AnswerLine;
    use crate::source::Span;

    /// Cards hashed on several threads get the rows one thread gives them,
    /// reversed cards, cloze cards and subdecks included.
    #[test]
    fn card_ids_do_not_depend_on_the_threads() {
        let cards: Vec<Card> = (0..9_000)
            .map(|i| Card {
                question: if i % 7 == 0 {
                    format!("{{{{c1::a}}}} and {{{{c2::b}}}} {i}")
                } else {
                    format!("Question {i}?")
                }
                .as_str()
                .into(),
                guid: format!("g{i}").into(),
                mtime: 1_700_000_000,
                subdeck: (i % 5 == 0).then(|| "Sub".into()),
                ..Card::default()
            })
            .collect();
        let deck = Deck {
            name: "History".into(),
            cards,
            ..Deck::default()
        };
        let kinds: Vec<NoteKind> = (deck.cards.iter().enumerate())
            .map(|(i, c)| match NoteKind::of(c) {
                NoteKind::Basic if i % 3 == 0 => NoteKind::Reversed,
                kind => kind,
            })
            .collect();
        let rows = |threads| {
            card_ids(&deck, &kinds, threads)
                .iter()
                .map(|r| (r.id, r.nid, r.did, r.ord, r.mtime, r.due))
                .collect::<Vec<_>>()
        };
        let one = rows(1);
        // A card for each note, a second for the reversed ones and the
        // clozes with two deletions.
        assert_eq!(one.len(), 9_000 + 3_000 + 1_286 - 429);
        assert_eq!(one.iter().map(|r| r.2).collect::<BTreeSet<_>>().len(), 2);
        for threads in [2, 3] {
            assert_eq!(rows(threads), one, "{threads} threads");
        }
    }

    #[test]
    fn a_full_scratch_disk_says_what_to_do() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let dir = std::path::Path::new("/scratch");
        let message = full_disk(full.into(), dir).to_string();
        assert!(message.contains("/scratch"), "{message}");
        assert!(message.contains("set TMPDIR"), "{message}");
        // A full disk under the B-trees deckc writes says the same.
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert_eq!(full_disk(full.into(), dir).to_string(), message);
        // Anything else is passed on.
        let other = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(!full_disk(other.into(), dir).to_string().contains("TMPDIR"));
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

    /// Both kinds of package, the collection compressed as it was laid
    /// out, hold the bytes compressing it at once gives.
    #[test]
    fn a_package_compressed_as_it_is_laid_out_holds_the_collection_compressed_at_once() {
        let deck = large_deck();
        let collection = collection_bytes(&deck, false).unwrap();
        assert!(
            collection.len() > 3 * package::CHUNK,
            "{}",
            collection.len()
        );
        let compression = Compression::default();
        for kind in [Package::Legacy, Package::Latest] {
            let mut apkg = Vec::new();
            let options = EmitOptions {
                package: kind,
                ..EmitOptions::default()
            };
            Apkg::new(&options).emit(&deck, &mut apkg).unwrap();
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&apkg)).unwrap();
            let name = match kind {
                Package::Legacy => "collection.anki2",
                Package::Latest => "collection.anki21b",
            };
            let mut back = Vec::new();
            std::io::Read::read_to_end(&mut archive.by_name(name).unwrap(), &mut back).unwrap();
            if kind == Package::Latest {
                back = zstd::decode_all(back.as_slice()).unwrap();
            }
            assert!(back == collection, "{kind:?}");
            // And the same bytes as compressing it in one go.
            let deflate = Codec::Deflate(compression.level());
            let zstd = Codec::Zstd(compression.zstd_level());
            let entries = match kind {
                Package::Legacy => vec![
                    package::compress(name, &collection, deflate, 1).unwrap(),
                    package::compress("media", b"{}", deflate, 1).unwrap(),
                ],
                Package::Latest => vec![
                    package::compress("meta", &[8, 3], Codec::Store, 1).unwrap(),
                    package::compress(name, &collection, zstd, 1).unwrap(),
                    package::compress("media", b"", zstd, 1).unwrap(),
                ],
            };
            let mut at_once = Vec::new();
            package::write(entries, &mut at_once).unwrap();
            assert!(apkg == at_once, "{kind:?}");
        }
    }

    /// The media list of a newer package, as Anki's protobuf decoder
    /// reads it: name, size (left out when 0) and SHA-1, in order.
    #[test]
    fn the_media_list_is_protobuf() {
        let a = MediaEntry::of("a.png", b"abc");
        let long = "é".repeat(100);
        let b = MediaEntry::of(&long, b"");
        let bytes = media_entries(&[a, b]);
        let sha1_abc = [
            0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e, 0x25, 0x71, 0x78, 0x50,
            0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d,
        ];
        let mut first = vec![0x0a, 5];
        first.extend_from_slice(b"a.png");
        first.extend_from_slice(&[0x10, 3, 0x1a, 20]);
        first.extend_from_slice(&sha1_abc);
        let mut expected = vec![0x0a, first.len() as u8];
        expected.extend_from_slice(&first);
        // The second: a 200-byte name (a two-byte varint), no size.
        let name_len = [0xc8, 0x01];
        let inner = 1 + 2 + 200 + 1 + 1 + 20;
        expected.extend_from_slice(&[0x0a, inner as u8, 0x01]);
        expected.extend_from_slice(&[0x0a]);
        expected.extend_from_slice(&name_len);
        expected.extend_from_slice("é".repeat(100).as_bytes());
        expected.extend_from_slice(&[0x1a, 20]);
        expected.extend_from_slice(<sha1::Sha1 as sha1::Digest>::digest(b"").as_slice());
        assert_eq!(bytes, expected);
    }

    /// The collection as SQLite lays it out: the same rows inserted
    /// through SQL in id order, and the indices created after them (how
    /// deckc built it before it laid out the B-trees itself).
    fn reference_collection(deck: &Deck) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.anki2");
        let mut db = Connection::open(&path).unwrap();
        db.pragma_update(None, "page_size", PAGE_SIZE).unwrap();
        db.execute_batch(schema::TABLES).unwrap();
        let tx = db.transaction().unwrap();
        let kinds: Vec<NoteKind> = deck.cards.iter().map(NoteKind::of).collect();
        insert_col(&tx, deck, &kinds).unwrap();
        let (note_rows, card_rows) = rows(deck, &kinds);
        for &(nid, position) in &note_rows {
            let card = &deck.cards[position];
            let row = NoteRow::new(notetypes::id(kinds[position]), card, false);
            tx.execute(
                "insert into notes values (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')",
                params![
                    nid, card.guid, row.mid, card.mtime, row.tags, row.flds, row.sfld, row.csum
                ],
            )
            .unwrap();
        }
        for r in &card_rows {
            tx.execute(
                "insert into cards values (?1, ?2, ?3, ?4, ?5, -1, 0, 0, ?6, 0, 0, 0, 0, 0, 0, 0, 0, '')",
                params![r.id, r.nid, r.did, r.ord, r.mtime, r.due],
            )
            .unwrap();
        }
        for (name, table, columns) in schema::INDICES {
            tx.execute_batch(&format!("create index {name} on {table} ({columns})"))
                .unwrap();
        }
        tx.commit().unwrap();
        drop(db);
        std::fs::read(&path).unwrap()
    }

    /// Every table's rows, each column with its type, and the schema.
    fn contents(db: &Connection) -> Vec<Vec<rusqlite::types::Value>> {
        let mut all = Vec::new();
        let mut schema = db
            .prepare("select type, name, tbl_name, sql from sqlite_master order by name")
            .unwrap();
        let mut read = |stmt: &mut rusqlite::Statement<'_>| {
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| r.get(i))
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .unwrap();
            for row in rows {
                all.push(row.unwrap());
            }
        };
        read(&mut schema);
        for table in ["col", "notes", "cards", "revlog", "graves"] {
            let columns: Vec<String> = db
                .prepare(&format!("pragma table_info({table})"))
                .unwrap()
                .query_map([], |r| r.get(1))
                .unwrap()
                .map(|c| c.unwrap())
                .collect();
            let typed: Vec<String> = columns
                .iter()
                .map(|c| format!("{c}, typeof({c})"))
                .collect();
            read(
                &mut db
                    .prepare(&format!(
                        "select rowid, {} from {table} order by rowid",
                        typed.join(", ")
                    ))
                    .unwrap(),
            );
        }
        all
    }

    /// The collection deckc lays out holds what SQLite's own would, row
    /// for row and type for type, and SQLite finds it sound (its indices
    /// hold every row, in order).
    fn holds_what_sqlite_would(deck: &Deck) {
        let (_a, ours) = open(&collection_bytes(deck, false).unwrap());
        let (_b, sqlite) = open(&reference_collection(deck));
        let check: String = ours
            .query_row("pragma integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        assert!(contents(&ours) == contents(&sqlite));
    }

    #[test]
    fn the_collection_holds_what_sqlite_would() {
        holds_what_sqlite_would(&deck());
        holds_what_sqlite_would(&large_deck());
        holds_what_sqlite_would(&Deck {
            cards: Vec::new(),
            ..deck()
        });
        // A note longer than a page.
        let mut long = deck();
        long.cards[0].answer = vec![AnswerLine::new("z".repeat(70_000), Span::default())];
        holds_what_sqlite_would(&long);
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// Questions SQLite may store as numbers (`sfld` is an integer
        /// column) are stored as SQLite stores them.
        #[test]
        fn numeric_questions_are_stored_as_sqlite_stores_them(
            questions in proptest::collection::vec(
                proptest::prop_oneof![
                    "[ 0-9+.eE-]{0,8}",
                    proptest::sample::select(vec![
                        "1945", " 12 ", "1e3", "1.0", "007", "+5", "-0", ".5", "5.", "0x10",
                        "99999999999999999999", "1.5e400", "\t7\n", "1 2", "e5", "-", "",
                        "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                    ]).prop_map(String::from),
                    ".{0,6}",
                ],
                1..12,
            ),
        ) {
            let mut deck = deck();
            let template = deck.cards[0].clone();
            deck.cards = questions
                .iter()
                .enumerate()
                .map(|(i, q)| Card {
                    question: q.as_str().into(),
                    guid: format!("n{i}").into(),
                    ..template.clone()
                })
                .collect();
            holds_what_sqlite_would(&deck);
        }
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
