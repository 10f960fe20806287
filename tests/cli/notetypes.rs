//! Note types in real Anki: Basic (one card), Basic (and reversed card)
//! (`--reverse` or `note-type = "reversed"`, two cards) and Cloze (a
//! question with `{{c1::…}}`, one card per distinct cloze number), built by
//! the real binary as `.apkg` and as Anki text, imported twice into a fresh
//! collection by Anki's own code (`tests/anki/verify.py render-*`), with
//! the rendered fronts and backs compared to what the notes say.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::anki::verify;
use crate::common::*;

/// Pinned note type ids: a learner's collection keys its notes on them.
const BASIC_ID: i64 = 1_298_385_132_329;
const REVERSED_ID: i64 = 1_306_467_008_911;
const CLOZE_ID: i64 = 1_349_454_596_947;

/// A scratch copy of `tests/fixtures/notetypes/<name>`.
fn scratch(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(name);
    std::fs::copy(fixture(&format!("notetypes/{name}")), &copy).unwrap();
    (dir, copy)
}

/// Builds `input` into `out` (next to it) with `extra` flags, no lock.
fn build(input: &Path, out: &str, extra: &[&str]) -> PathBuf {
    let target = input.with_file_name(out);
    let mut args = vec![
        "build",
        input.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
        "--no-lock",
    ];
    args.extend_from_slice(extra);
    assert_code(&run(&args), 0);
    target
}

/// Imports `file` twice into one fresh collection and checks what every
/// import must show: all notes new the first time, nothing added or
/// updated the second, and a clean Check Database. Returns the notes.
fn import_twice(file: &Path, command: &str, notes: usize) -> Vec<Value> {
    let facts = verify(&[file, file], command);
    let imports = &facts["imports"];
    assert_eq!(imports[0]["new"], notes, "first import: {imports}");
    assert_eq!(imports[1]["new"], 0, "re-import adds nothing: {imports}");
    assert_eq!(
        imports[1]["updated"], 0,
        "re-import updates nothing: {imports}"
    );
    assert_eq!(imports[1]["conflicting"], 0, "{imports}");
    assert_eq!(
        facts["check_database"]["ok"], true,
        "Check Database: {}",
        facts["check_database"]["message"]
    );
    facts["notes"].as_array().unwrap().clone()
}

/// The note whose first field starts with `start`.
fn note<'a>(notes: &'a [Value], start: &str) -> &'a Value {
    notes
        .iter()
        .find(|n| n["fields"][0].as_str().unwrap().starts_with(start))
        .unwrap_or_else(|| panic!("no note starting {start:?} in {notes:#?}"))
}

/// `(ord, front, back)` of every card of a note.
fn cards(note: &Value) -> Vec<(i64, String, String)> {
    note["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["ord"].as_i64().unwrap(),
                c["front"].as_str().unwrap().to_string(),
                c["back"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn owned(cards: &[(i64, &str, &str)]) -> Vec<(i64, String, String)> {
    cards
        .iter()
        .map(|(o, f, b)| (*o, f.to_string(), b.to_string()))
        .collect()
}

#[test]
fn basic_is_one_card_per_note() {
    let (_dir, input) = scratch("basic.txt");
    let apkg = build(&input, "basic.apkg", &[]);
    let notes = import_twice(&apkg, "render-apkg", 2);
    for n in &notes {
        assert_eq!(n["notetype"], "deckc Basic");
        assert_eq!(n["notetype_id"], BASIC_ID);
        assert_eq!(n["cards"].as_array().unwrap().len(), 1, "{n}");
    }
    assert_eq!(
        cards(note(&notes, "Who was Tito?")),
        owned(&[(0, "Who was Tito?", "Who was Tito? Yugoslav leader")])
    );
}

#[test]
fn reversed_notes_have_two_cards_the_second_asking_the_answer() {
    let (dir, input) = scratch("basic.txt");
    let apkg = build(&input, "reversed.apkg", &["--reverse"]);
    let notes = import_twice(&apkg, "render-apkg", 2);
    for n in &notes {
        assert_eq!(n["notetype"], "deckc Basic (and reversed card)");
        assert_eq!(n["notetype_id"], REVERSED_ID);
        assert_eq!(n["notetype_kind"], 0);
    }
    assert_eq!(
        cards(note(&notes, "Who was Tito?")),
        owned(&[
            (0, "Who was Tito?", "Who was Tito? Yugoslav leader"),
            (1, "Yugoslav leader", "Yugoslav leader Who was Tito?"),
        ])
    );
    let treaty = cards(note(&notes, "When was the Treaty"));
    assert_eq!(treaty.len(), 2);
    assert_eq!(treaty[1].0, 1);
    assert_eq!(treaty[1].1, "1950 economic aid", "the answer is the front");

    // `note-type = "reversed"` in deckc.toml builds the very same package.
    std::fs::write(
        dir.path().join("deckc.toml"),
        "[deck]\nnote-type = \"reversed\"\n",
    )
    .unwrap();
    let from_config = build(&input, "config.apkg", &[]);
    assert_eq!(
        std::fs::read(&from_config).unwrap(),
        std::fs::read(&apkg).unwrap()
    );
}

/// What `mixed.txt` must become, in either format: the cloze notes get one
/// card per distinct cloze number (ord = number − 1), the other note
/// `basic_cards`.
fn assert_mixed(notes: &[Value], (basic, basic_cards): (&str, usize), cloze: &str) {
    assert_eq!(notes.len(), 4);
    let treaty = note(notes, "The {{c1::Treaty");
    assert_eq!(treaty["notetype"], cloze);
    assert_eq!(treaty["notetype_kind"], 1);
    let back =
        "The Treaty of Friendship was signed in 1950 It promised $300million in economic aid";
    assert_eq!(
        cards(treaty),
        owned(&[
            (0, "The [...] was signed in 1950", back),
            (1, "The Treaty of Friendship was signed in [...]", back),
        ])
    );
    // c1 twice and c3: two cards, ords 0 and 2; no answer is fine.
    let mao = note(notes, "{{c1::Mao}}");
    let back = "Mao met Stalin in Moscow";
    assert_eq!(
        cards(mao),
        owned(&[
            (0, "[...] met Stalin in [...]", back),
            (2, "Mao met [...] in Moscow", back),
        ])
    );
    // Escaping keeps the cloze syntax and shows the text as typed.
    let ussuri = note(notes, "In 1969");
    assert_eq!(
        ussuri["fields"][0],
        "In 1969, {{c1::Ussuri &lt;river&gt; &amp; &quot;border&quot;}} clashes began"
    );
    assert_eq!(
        cards(ussuri),
        owned(&[(
            0,
            "In 1969, [...] clashes began",
            "In 1969, Ussuri <river> & \"border\" clashes began Zhenbao Island"
        )])
    );
    let tito = note(notes, "Who was Tito?");
    assert_eq!(tito["notetype"], basic);
    assert_eq!(tito["notetype_kind"], 0);
    assert_eq!(tito["cards"].as_array().unwrap().len(), basic_cards);
}

#[test]
fn cloze_and_basic_mix_in_one_package() {
    let (_dir, input) = scratch("mixed.txt");
    let apkg = build(&input, "mixed.apkg", &[]);
    let notes = import_twice(&apkg, "render-apkg", 4);
    assert_mixed(&notes, ("deckc Basic", 1), "deckc Cloze");
    assert_eq!(note(&notes, "The {{c1::Treaty")["notetype_id"], CLOZE_ID);
    assert_eq!(note(&notes, "Who was Tito?")["notetype_id"], BASIC_ID);
}

#[test]
fn cloze_wins_over_reverse() {
    let (_dir, input) = scratch("mixed.txt");
    let apkg = build(&input, "mixed.apkg", &["--reverse"]);
    let notes = import_twice(&apkg, "render-apkg", 4);
    assert_mixed(
        &notes,
        ("deckc Basic (and reversed card)", 2),
        "deckc Cloze",
    );
}

#[test]
fn anki_text_names_a_note_type_per_row_when_mixed() {
    let (_dir, input) = scratch("mixed.txt");
    let txt = build(&input, "mixed.txt.anki", &["--format", "anki"]);
    let text = std::fs::read_to_string(&txt).unwrap();
    assert!(text.contains("\n#notetype column:6\n"), "{text}");
    let notes = import_twice(&txt, "render-text", 4);
    // A fresh (English) collection's own stock note types.
    assert_mixed(&notes, ("Basic", 1), "Cloze");
}

#[test]
fn anki_text_reversed_uses_the_stock_reversed_type() {
    let (_dir, input) = scratch("basic.txt");
    let txt = build(&input, "basic.txt.anki", &["--format", "anki", "--reverse"]);
    let text = std::fs::read_to_string(&txt).unwrap();
    assert!(
        text.contains("\n#notetype:Basic (and reversed card)\n"),
        "{text}"
    );
    let notes = import_twice(&txt, "render-text", 2);
    for n in &notes {
        assert_eq!(n["notetype"], "Basic (and reversed card)");
    }
    assert_eq!(
        cards(note(&notes, "Who was Tito?")),
        owned(&[
            (0, "Who was Tito?", "Who was Tito? Yugoslav leader"),
            (1, "Yugoslav leader", "Yugoslav leader Who was Tito?"),
        ])
    );
}

#[test]
fn a_bad_note_type_in_the_config_names_its_line() {
    let (dir, input) = scratch("basic.txt");
    std::fs::write(
        dir.path().join("deckc.toml"),
        "[deck]\nnote-type = \"cloze\"\n",
    )
    .unwrap();
    let o = run(&[
        "build",
        input.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        "-",
    ]);
    assert_code(&o, 2);
    assert!(
        stderr(&o).contains("deckc.toml:2:13: `note-type` must be \"basic\" or \"reversed\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_malformed_cloze_is_reported_and_stays_basic() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.txt");
    std::fs::write(&input, "Q: The {{c1:Treaty}} was signed in 1950\nA: yes\n").unwrap();
    let o = run(&["check", input.to_str().unwrap(), "--message-format", "json"]);
    let codes: Vec<String> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["code"].to_string())
        .collect();
    assert_eq!(codes, ["\"malformed-cloze\""], "{}", stdout(&o));
    let txt = build(&input, "bad.txt.anki", &["--format", "anki"]);
    assert!(std::fs::read_to_string(txt)
        .unwrap()
        .contains("\n#notetype:Basic\n"));
}
