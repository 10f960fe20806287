//! The package's note types: "deckc Basic", "deckc Basic (and reversed
//! card)" and "deckc Cloze", as the schema-11 `models` JSON.
//!
//! Each note type's id, field ids and template ids are stable hashes of its
//! name and version, and its modification time is fixed. Anki matches
//! imported notes by GUID *and* note type: change a note type's id, fields
//! or templates and every learner's collection grows a second copy and
//! reports every note as conflicting. So a change here needs a new version
//! (a new note type), and "deckc Basic" is pinned by a snapshot test.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::ids::stable_id;
use crate::notetype::NoteKind;

/// The note type's modification time: fixed, so re-imports never see a
/// "newer" note type and never touch the learner's copy.
const NOTETYPE_MTIME: i64 = 1_700_000_000;

pub use crate::emit::card_style::CSS;

/// Extra styling for cloze cards: Anki wraps the hidden text (and, on the
/// back, the revealed text) in `<span class="cloze">`.
const CLOZE_CSS: &str = ".cloze { font-weight: 700; color: #0a58ca; }
.nightMode .cloze, .night_mode .cloze { color: #7ab8ff; }
";

use crate::emit::card_style::{AFMT as BACK, QFMT as FRONT};
const REVERSE_FRONT: &str = "<div class=\"card-body answer\">{{Back}}</div>";
const REVERSE_BACK: &str =
    "{{FrontSide}}\n\n<hr id=answer>\n\n<div class=\"card-body question\">{{Front}}</div>";
// Anki requires `{{cloze:…}}` on both sides of a cloze template.
const CLOZE_FRONT: &str = "<div class=\"card-body question\">{{cloze:Text}}</div>";
const CLOZE_BACK: &str = "<div class=\"card-body question\">{{cloze:Text}}</div>\n\n<hr id=answer>\n\n<div class=\"card-body answer\">{{Back Extra}}</div>";

/// One note type: everything its JSON is made from.
struct Def {
    name: &'static str,
    version: u32,
    /// Anki's kind: 0 standard, 1 cloze.
    anki_type: u8,
    fields: &'static [&'static str],
    /// `(name, front template, back template)`, in card order.
    templates: &'static [(&'static str, &'static str, &'static str)],
}

fn def(kind: NoteKind) -> Def {
    match kind {
        NoteKind::Basic => Def {
            name: "deckc Basic",
            version: 1,
            anki_type: 0,
            fields: &["Front", "Back"],
            templates: &[("Card 1", FRONT, BACK)],
        },
        NoteKind::Reversed => Def {
            name: "deckc Basic (and reversed card)",
            version: 1,
            anki_type: 0,
            fields: &["Front", "Back"],
            templates: &[
                ("Card 1", FRONT, BACK),
                ("Card 2", REVERSE_FRONT, REVERSE_BACK),
            ],
        },
        NoteKind::Cloze => Def {
            name: "deckc Cloze",
            version: 1,
            anki_type: 1,
            fields: &["Text", "Back Extra"],
            templates: &[("Cloze", CLOZE_FRONT, CLOZE_BACK)],
        },
    }
}

/// The note type's name in the package.
pub fn name(kind: NoteKind) -> &'static str {
    def(kind).name
}

/// The note type's id: a stable hash of its name and version.
pub fn id(kind: NoteKind) -> i64 {
    let d = def(kind);
    stable_id(&format!("notetype\0{}\0v{}", d.name, d.version))
}

fn field(d: &Def, name: &str, ord: usize) -> Value {
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
        "id": stable_id(&format!("field\0{}\0v{}\0{name}", d.name, d.version)),
        "tag": null,
        "preventDeletion": false,
        "media": [],
    })
}

fn template(d: &Def, ord: usize, (name, qfmt, afmt): (&str, &str, &str)) -> Value {
    json!({
        "name": name,
        "ord": ord,
        "qfmt": qfmt,
        "afmt": afmt,
        "bqfmt": "",
        "bafmt": "",
        "did": null,
        "bfont": "",
        "bsize": 0,
        "id": stable_id(&format!("template\0{}\0v{}\0{name}", d.name, d.version)),
    })
}

/// One note type's JSON.
pub fn model(kind: NoteKind) -> Value {
    let d = def(kind);
    let css = match kind {
        NoteKind::Cloze => format!("{CSS}{CLOZE_CSS}"),
        _ => CSS.to_string(),
    };
    // Card `n` needs field `n` (Front for card 1, Back for the reverse);
    // Anki ignores this list for cloze note types.
    let req: Vec<Value> = (0..d.templates.len())
        .map(|ord| json!([ord, "any", [ord]]))
        .collect();
    json!({
        "id": id(kind),
        "name": d.name,
        "type": d.anki_type,
        "mod": NOTETYPE_MTIME,
        "usn": -1,
        "sortf": 0,
        "did": 1,
        "tmpls": d.templates.iter().enumerate().map(|(i, t)| template(&d, i, *t)).collect::<Vec<_>>(),
        "flds": d.fields.iter().enumerate().map(|(i, f)| field(&d, f, i)).collect::<Vec<_>>(),
        "css": css,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": false,
        "req": req,
        "tags": [],
        "vers": [],
    })
}

/// The `models` JSON: the note types the deck uses, keyed by id. A deck of
/// Basic cards holds exactly the one note type it always has.
pub fn models(kinds: &BTreeSet<NoteKind>) -> Value {
    let mut map = serde_json::Map::new();
    for &kind in kinds {
        map.insert(id(kind).to_string(), model(kind));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_pinned() {
        // Changing these ids makes every learner's collection grow a second
        // note type and report every note as conflicting.
        assert_eq!(id(NoteKind::Basic), 1_298_385_132_329);
        let ids: BTreeSet<i64> = NoteKind::ALL.iter().map(|&k| id(k)).collect();
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn basic_notetype_is_byte_identical() {
        // Learners' collections hold this note type: its JSON (id, fields,
        // templates, CSS) must never change.
        insta::assert_snapshot!(serde_json::to_string_pretty(&model(NoteKind::Basic)).unwrap());
    }

    #[test]
    fn reversed_has_two_templates_and_cloze_is_type_1() {
        let r = model(NoteKind::Reversed);
        assert_eq!(r["tmpls"].as_array().map(Vec::len), Some(2));
        assert_eq!(r["tmpls"][1]["qfmt"], REVERSE_FRONT);
        assert_eq!(r["req"], json!([[0, "any", [0]], [1, "any", [1]]]));
        let c = model(NoteKind::Cloze);
        assert_eq!(c["type"], 1);
        assert_eq!(c["flds"][1]["name"], "Back Extra");
        assert!(c["css"].as_str().is_some_and(|s| s.contains(".cloze")));
        let all: BTreeSet<NoteKind> = NoteKind::ALL.into_iter().collect();
        assert_eq!(models(&all).as_object().map(|m| m.len()), Some(3));
    }
}
