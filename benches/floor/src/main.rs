//! The floor program: the least work that turns a `blocks` corpus into an
//! `.apkg` Anki can import — split the text, insert notes and cards with
//! rusqlite (in-memory database, one transaction, prepared statements,
//! indices built after the rows), serialize the database, zip it. No lints,
//! no normalization, no lock file; one thread.
//!
//! Two kinds of package, as deckc writes (`--package`):
//!
//! - `--level N` (Deflate 1..9; 6 without a flag): the legacy package,
//!   `collection.anki2` and `media` (`{}`), both Deflate at level N, as
//!   `deckc --package legacy` writes.
//! - `--zstd N` (zstd 1..22): the newer package, as Anki 2.1.50 and later
//!   export it and deckc writes it by default: `meta` (protobuf
//!   `PackageMetadata { version: 3 }`), `collection.anki21b` (the
//!   collection, one zstd frame at level N) and `media` (zstd of an empty
//!   `MediaEntries`), all stored: the entries deckc writes.
//!
//! deckc's distance to this program is its overhead; `benches/run.py` runs
//! both on the same corpus. Usage:
//!
//! ```text
//! deckc-bench-floor INPUT OUT.apkg [--level 1..9 | --zstd 1..22]
//! ```
//!
//! Prints `timing <stage> <ms> ms` lines to stderr, in the format of
//! `deckc --timings`: `zip+write` is everything after the database is
//! serialized, and `compress` the part of it spent compressing the
//! collection (Deflate through the zip writer, or zstd).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use rusqlite::{params, Connection, MAIN_DB};
use sha1::{Digest, Sha1};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use blocks::{escape_into, split, Card};

mod blocks;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Anki's schema 11, tables first; the indices come after the rows.
const TABLES: &str = "
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null,
  factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
";

const INDICES: &str = "
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";

const MODEL_ID: i64 = 1_700_000_000_001;
const DECK_ID: i64 = 1_700_000_000_002;
const MTIME: i64 = 1_700_000_000;

fn collection_json(title: &str) -> (String, String, String, String) {
    let conf = format!(
        r#"{{"activeDecks":[1],"curDeck":1,"newSpread":0,"collapseTime":1200,"timeLim":0,"estTimes":true,"dueCounts":true,"curModel":"{MODEL_ID}","nextPos":1,"sortType":"noteFld","sortBackwards":false,"addToCur":true}}"#
    );
    let models = format!(
        r#"{{"{MODEL_ID}":{{"id":{MODEL_ID},"name":"Basic (floor)","type":0,"mod":{MTIME},"usn":-1,"sortf":0,"did":{DECK_ID},"tmpls":[{{"name":"Card 1","ord":0,"qfmt":"{{{{Front}}}}","afmt":"{{{{FrontSide}}}}<hr id=answer>{{{{Back}}}}","bqfmt":"","bafmt":"","did":null,"bfont":"","bsize":0}}],"flds":[{{"name":"Front","ord":0,"sticky":false,"rtl":false,"font":"Arial","size":20,"media":[]}},{{"name":"Back","ord":1,"sticky":false,"rtl":false,"font":"Arial","size":20,"media":[]}}],"css":".card {{ font-family: arial; font-size: 20px; }}","latexPre":"","latexPost":"","latexsvg":false,"req":[[0,"any",[0]]],"tags":[],"vers":[]}}}}"#
    );
    // Debug formatting quotes and escapes like JSON for the ASCII titles
    // the generator writes.
    let name = title;
    let decks = format!(
        r#"{{"1":{{"id":1,"name":"Default","mod":0,"usn":0,"desc":"","dyn":0,"conf":1,"collapsed":false,"newToday":[0,0],"revToday":[0,0],"lrnToday":[0,0],"timeToday":[0,0],"extendNew":10,"extendRev":50}},"{DECK_ID}":{{"id":{DECK_ID},"name":{name:?},"mod":{MTIME},"usn":-1,"desc":"","dyn":0,"conf":1,"collapsed":false,"newToday":[0,0],"revToday":[0,0],"lrnToday":[0,0],"timeToday":[0,0],"extendNew":10,"extendRev":50}}}}"#
    );
    let dconf = r#"{"1":{"id":1,"name":"Default","mod":0,"usn":0,"maxTaken":60,"autoplay":true,"timer":0,"replayq":true,"dyn":false,"new":{"delays":[1,10],"ints":[1,4,7],"initialFactor":2500,"order":1,"perDay":20},"rev":{"perDay":200,"ease4":1.3,"ivlFct":1,"maxIvl":36500,"fuzz":0.05},"lapse":{"delays":[10],"mult":0,"minInt":1,"leechFails":8,"leechAction":0}}}"#;
    (conf, models, decks, dconf.to_string())
}

/// Fills an in-memory collection and returns its bytes.
fn database(title: &str, cards: &[Card<'_>]) -> Result<Vec<u8>> {
    let mut conn = Connection::open_in_memory()?;
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    conn.execute_batch(TABLES)?;
    let tx = conn.transaction()?;
    {
        let (conf, models, decks, dconf) = collection_json(title);
        tx.execute(
            "INSERT INTO col VALUES (1, ?1, ?2, ?3, 11, 0, 0, 0, ?4, ?5, ?6, ?7, '{}')",
            params![
                MTIME,
                MTIME * 1000,
                MTIME * 1000,
                conf,
                models,
                decks,
                dconf
            ],
        )?;
        let mut note =
            tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')")?;
        let mut card = tx.prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, -1, 0, 0, ?5, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        )?;
        let mut fields = String::new();
        let mut front = String::new();
        for (i, c) in (0_i64..).zip(cards) {
            front.clear();
            escape_into(&mut front, c.question);
            fields.clear();
            fields.push_str(&front);
            fields.push('\x1f');
            for (j, line) in c.answer.iter().enumerate() {
                if j > 0 {
                    fields.push_str("<br>");
                }
                escape_into(&mut fields, line);
            }
            let digest = Sha1::digest(c.question.as_bytes());
            let csum = i64::from(u32::from_be_bytes([
                digest[0], digest[1], digest[2], digest[3],
            ]));
            let guid: String = digest[4..12].iter().map(|b| format!("{b:02x}")).collect();
            let tags = c.tag.map(|t| format!(" {t} ")).unwrap_or_default();
            let id = MTIME * 1000 + i;
            note.execute(params![
                id, guid, MODEL_ID, MTIME, tags, fields, front, csum
            ])?;
            card.execute(params![id, id, DECK_ID, MTIME, i + 1])?;
        }
    }
    tx.commit()?;
    conn.execute_batch(INDICES)?;
    Ok(conn.serialize(MAIN_DB)?.to_vec())
}

/// How the package is compressed: which kind of package it is.
#[derive(Clone, Copy)]
enum Codec {
    /// The legacy package, Deflate at this level.
    Deflate(i64),
    /// The newer package (`collection.anki21b`), zstd at this level.
    Zstd(i32),
}

/// `meta` of the newer package: protobuf `PackageMetadata { version: 3 }`.
const LATEST_META: [u8; 2] = [0x08, 0x03];

/// Writes the package; returns the time spent compressing the collection.
fn package(out: &str, db: &[u8], codec: Codec) -> Result<f64> {
    let file = BufWriter::new(File::create(out)?);
    let mut zip = ZipWriter::new(file);
    let compress;
    match codec {
        Codec::Deflate(level) => {
            let options = SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated)
                .compression_level(Some(level));
            zip.start_file("collection.anki2", options)?;
            let t = Instant::now();
            zip.write_all(db)?;
            compress = ms(t);
            zip.start_file("media", options)?;
            zip.write_all(b"{}")?;
        }
        Codec::Zstd(level) => {
            // As Anki's exporter: every entry stored, the collection and
            // the media list compressed with zstd beforehand.
            let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
            zip.start_file("meta", stored)?;
            zip.write_all(&LATEST_META)?;
            let t = Instant::now();
            let collection = zstd::stream::encode_all(db, level)?;
            compress = ms(t);
            zip.start_file("collection.anki21b", stored)?;
            zip.write_all(&collection)?;
            zip.start_file("media", stored)?;
            zip.write_all(&zstd::stream::encode_all(&[][..], level)?)?;
        }
    }
    zip.finish()?.flush()?;
    Ok(compress)
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

fn timing(name: &str, since: Instant) -> Instant {
    eprintln!("timing {name:<20} {:>10.3} ms", ms(since));
    Instant::now()
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, out, codec) = match args.as_slice() {
        [input, out] => (input, out, Codec::Deflate(6)),
        [input, out, flag, level] if flag == "--level" => {
            (input, out, Codec::Deflate(level.parse()?))
        }
        [input, out, flag, level] if flag == "--zstd" => (input, out, Codec::Zstd(level.parse()?)),
        _ => {
            return Err(
                "usage: deckc-bench-floor INPUT OUT.apkg [--level 1..9 | --zstd 1..22]".into(),
            )
        }
    };
    let start = Instant::now();
    let t = start;
    let text = std::fs::read_to_string(input)?;
    let t = timing("read", t);
    let (title, cards) = split(&text);
    let t = timing("split", t);
    let db = database(title, &cards)?;
    let t = timing("sqlite", t);
    let compress = package(out, &db, codec)?;
    eprintln!("timing {:<20} {compress:>10.3} ms", "compress");
    timing("zip+write", t);
    timing("total", start);
    let how = match codec {
        Codec::Deflate(level) => format!("deflate level {level}"),
        Codec::Zstd(level) => format!("zstd level {level}"),
    };
    eprintln!("floor: {} cards, {how}", cards.len());
    Ok(())
}
