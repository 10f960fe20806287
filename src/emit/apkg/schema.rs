//! The schema-11 collection: Anki's table definitions and indices, and the
//! JSON held in the `col` row (decks, deck options, settings; the note
//! types are in [`super::notetypes`]).
//!
//! The SQL is Anki's `rslib/src/storage/schema11.sql`. The JSON keys are the
//! ones Anki's schema-11 reader requires (`rslib/src/notetype/schema11.rs`,
//! `rslib/src/decks/schema11.rs`); everything else takes Anki's defaults.

use serde_json::{json, Value};

use super::ids::stable_id;
use super::notetypes;
use crate::notetype::NoteKind;

/// Tables, created before the rows are inserted.
pub const TABLES: &str = "
create table col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
create table notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
create table cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
create table revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null,
  factor integer not null, time integer not null, type integer not null);
create table graves (usn integer not null, oid integer not null, type integer not null);
";

/// Anki's indices: name, table and columns. deckc lays out their B-trees
/// itself (see [`super::btree`]) and enters each in the schema as SQLite's
/// `create index NAME on TABLE (COLUMNS)` would ([`index_sql`]).
pub const INDICES: [(&str, &str, &str); 7] = [
    ("ix_notes_usn", "notes", "usn"),
    ("ix_cards_usn", "cards", "usn"),
    ("ix_revlog_usn", "revlog", "usn"),
    ("ix_cards_nid", "cards", "nid"),
    ("ix_cards_sched", "cards", "did, queue, due"),
    ("ix_revlog_cid", "revlog", "cid"),
    ("ix_notes_csum", "notes", "csum"),
];

/// The SQL SQLite keeps in its schema for the index `name` on `table`
/// (`columns`): the statement, its first words in capitals.
pub fn index_sql(name: &str, table: &str, columns: &str) -> String {
    format!("CREATE INDEX {name} on {table} ({columns})")
}

/// A deck's id: a stable hash of its full name.
pub fn deck_id(name: &str) -> i64 {
    stable_id(&format!("deck\0{name}"))
}

fn deck(id: i64, name: &str, mtime: i64) -> Value {
    json!({
        "id": id,
        "name": name,
        "mod": mtime,
        "usn": -1,
        "lrnToday": [0, 0],
        "revToday": [0, 0],
        "newToday": [0, 0],
        "timeToday": [0, 0],
        "collapsed": false,
        "browserCollapsed": false,
        "desc": "",
        "dyn": 0,
        "conf": 1,
        "extendNew": 0,
        "extendRev": 0,
    })
}

/// The `decks` JSON: Anki's Default deck (id 1) and every named deck.
pub fn decks(names: &[String], mtime: i64) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("1".into(), deck(1, "Default", 0));
    for name in names {
        let id = deck_id(name);
        map.insert(id.to_string(), deck(id, name, mtime));
    }
    Value::Object(map)
}

/// The `dconf` JSON: Anki's default deck options, id 1.
pub fn dconf() -> Value {
    json!({
        "1": {
            "id": 1,
            "name": "Default",
            "mod": 0,
            "usn": 0,
            "maxTaken": 60,
            "autoplay": true,
            "timer": 0,
            "replayq": true,
            "dyn": false,
            "new": {
                "bury": false,
                "delays": [1.0, 10.0],
                "initialFactor": 2500,
                "ints": [1, 4, 0],
                "order": 1,
                "perDay": 20,
            },
            "lapse": {
                "delays": [10.0],
                "leechAction": 1,
                "leechFails": 8,
                "minInt": 1,
                "mult": 0.0,
            },
            "rev": {
                "perDay": 200,
                "ease4": 1.3,
                "ivlFct": 1.0,
                "maxIvl": 36500,
                "bury": false,
                "hardFactor": 1.2,
            },
        }
    })
}

/// The `conf` JSON: collection settings.
pub fn conf(first_deck: i64) -> Value {
    json!({
        "activeDecks": [first_deck],
        "curDeck": first_deck,
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": true,
        "dueCounts": true,
        "curModel": notetypes::id(NoteKind::Basic),
        "nextPos": 1,
        "sortType": "noteFld",
        "sortBackwards": false,
        "addToCur": true,
        "schedVer": 2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deck_id_is_pinned() {
        assert_eq!(deck_id("Cold War"), 1_119_277_678_601);
    }

    #[test]
    fn decks_include_default() {
        let d = decks(&["A".into(), "A::B".into()], 5);
        assert_eq!(d["1"]["name"], "Default");
        assert_eq!(d[deck_id("A::B").to_string()]["name"], "A::B");
        assert_ne!(deck_id("A"), deck_id("A::B"));
    }
}
