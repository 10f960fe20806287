//! The schema-11 collection: Anki's table definitions and indices, and the
//! JSON held in the `col` row (note types, decks, deck options, settings).
//!
//! The SQL is Anki's `rslib/src/storage/schema11.sql`. The JSON keys are the
//! ones Anki's schema-11 reader requires (`rslib/src/notetype/schema11.rs`,
//! `rslib/src/decks/schema11.rs`); everything else takes Anki's defaults.

use serde_json::{json, Value};

use super::ids::stable_id;

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

/// Anki's indices, created after the rows (faster than maintaining them
/// row by row).
pub const INDICES: &str = "
create index ix_notes_usn on notes (usn);
create index ix_cards_usn on cards (usn);
create index ix_revlog_usn on revlog (usn);
create index ix_cards_nid on cards (nid);
create index ix_cards_sched on cards (did, queue, due);
create index ix_revlog_cid on revlog (cid);
create index ix_notes_csum on notes (csum);
";

/// Name of the note type. Changing its fields or templates needs a new
/// [`NOTETYPE_VERSION`], and a new version is a new note type in learners'
/// collections: keep both stable.
pub const NOTETYPE_NAME: &str = "deckc Basic";
pub const NOTETYPE_VERSION: u32 = 1;
/// The note type's modification time: fixed, so re-imports never see a
/// "newer" note type and never touch the learner's copy.
const NOTETYPE_MTIME: i64 = 1_700_000_000;

/// The note type id: a stable hash of its name and version.
pub fn notetype_id() -> i64 {
    stable_id(&format!("notetype\0{NOTETYPE_NAME}\0v{NOTETYPE_VERSION}"))
}

/// A deck's id: a stable hash of its full name.
pub fn deck_id(name: &str) -> i64 {
    stable_id(&format!("deck\0{name}"))
}

/// Card styling: readable text, lists that show the teacher's own marker,
/// and colors that follow Anki's night mode.
pub const CSS: &str = r#".card {
  font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: left;
  color: #1d1d1f;
  background-color: #ffffff;
}
.card-body { max-width: 40em; margin: 0 auto; padding: 0 0.6em; }
.question { font-weight: 600; }
hr#answer { border: none; border-top: 1px solid #c8c8cc; margin: 0.9em 0; }
ul.gt, ul.dash, ul.bullet { margin: 0.35em 0; padding-left: 1.7em; }
li { margin: 0.15em 0; }
ul.gt > li { list-style-type: "> "; }
ul.dash > li { list-style-type: "- "; }
ul.bullet > li { list-style-type: "• "; }
img { max-width: 100%; height: auto; }
.nightMode.card, .nightMode .card, .night_mode .card { color: #e6e6e6; background-color: #2c2c2e; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #5a5a5e; }
"#;

const QFMT: &str = "<div class=\"card-body question\">{{Front}}</div>";
const AFMT: &str =
    "{{FrontSide}}\n\n<hr id=answer>\n\n<div class=\"card-body answer\">{{Back}}</div>";

fn field(name: &str, ord: u32) -> Value {
    json!({
        "name": name,
        "ord": ord,
        "sticky": false,
        "rtl": false,
        "font": "Arial",
        "size": 20,
        "description": "",
        "plainText": false,
        "collapsed": false,
        "excludeFromSearch": false,
        "id": stable_id(&format!("field\0{NOTETYPE_NAME}\0v{NOTETYPE_VERSION}\0{name}")),
        "tag": null,
        "preventDeletion": false,
        "media": [],
    })
}

/// The `models` JSON: the one note type, keyed by its id.
pub fn models() -> Value {
    let id = notetype_id();
    json!({
        id.to_string(): {
            "id": id,
            "name": NOTETYPE_NAME,
            "type": 0,
            "mod": NOTETYPE_MTIME,
            "usn": -1,
            "sortf": 0,
            "did": 1,
            "tmpls": [{
                "name": "Card 1",
                "ord": 0,
                "qfmt": QFMT,
                "afmt": AFMT,
                "bqfmt": "",
                "bafmt": "",
                "did": null,
                "bfont": "",
                "bsize": 0,
                "id": stable_id(&format!("template\0{NOTETYPE_NAME}\0v{NOTETYPE_VERSION}\0Card 1")),
            }],
            "flds": [field("Front", 0), field("Back", 1)],
            "css": CSS,
            "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
            "latexPost": "\\end{document}",
            "latexsvg": false,
            "req": [[0, "any", [0]]],
            "tags": [],
            "vers": [],
        }
    })
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
        "curModel": notetype_id(),
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
    fn notetype_id_is_pinned() {
        // Changing this id makes every learner's collection grow a second
        // note type and report every note as conflicting.
        assert_eq!(notetype_id(), 1_298_385_132_329);
        assert_eq!(deck_id("Cold War"), 1_119_277_678_601);
        assert_eq!(
            models()[notetype_id().to_string()]["flds"][1]["name"],
            "Back"
        );
    }

    #[test]
    fn decks_include_default() {
        let d = decks(&["A".into(), "A::B".into()], 5);
        assert_eq!(d["1"]["name"], "Default");
        assert_eq!(d[deck_id("A::B").to_string()]["name"], "A::B");
        assert_ne!(deck_id("A"), deck_id("A::B"));
    }
}
