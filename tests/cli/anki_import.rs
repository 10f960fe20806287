//! Real-Anki verification: decks built by the real deckc binary are imported
//! into a fresh collection by Anki's own code (`anki` from PyPI, run by
//! `tests/anki/verify.py`), and what Anki ends up with is compared with what
//! deckc meant to write.
//!
//! The virtualenv and the runner live in `anki.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::anki::verify;
use crate::common::*;

/// A scratch directory holding a copy of a fixture (so the lock file deckc
/// writes next to it stays out of the repository).
fn scratch(fixture_path: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let name = fixture_path.file_name().unwrap();
    let copy = dir.path().join(name);
    std::fs::copy(fixture_path, &copy).unwrap();
    (dir, copy)
}

/// Runs deckc with a given `SOURCE_DATE_EPOCH`, asserting success.
fn deckc(epoch: i64, args: &[&str]) -> std::process::Output {
    let o = Command::new(bin())
        .args(args)
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("deckc runs");
    assert_code(&o, 0);
    o
}

/// Builds `input` into `out` next to it (format from the extension), and
/// as the JSON deck model. `syntax` is forced when given, else detected.
fn build(input: &Path, syntax: Option<&str>, epoch: i64, out: &str) -> (PathBuf, Value) {
    build_with(input, syntax, epoch, out, &[])
}

/// Makes the legacy package.
const LEGACY: &[&str] = &["--package", "legacy"];

/// [`build`], with more arguments for the file (`LEGACY`).
fn build_with(
    input: &Path,
    syntax: Option<&str>,
    epoch: i64,
    out: &str,
    more: &[&str],
) -> (PathBuf, Value) {
    let input_s = input.to_str().unwrap();
    let target = input.with_file_name(out);
    let mut args = vec!["build", input_s];
    if let Some(s) = syntax {
        args.extend(["--syntax", s]);
    }
    let mut to_file = args.clone();
    to_file.extend(["-o", target.to_str().unwrap()]);
    to_file.extend_from_slice(more);
    deckc(epoch, &to_file);
    args.extend(["--format", "json", "-o", "-"]);
    let json = deckc(epoch, &args);
    (target, serde_json::from_slice(&json.stdout).unwrap())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn without_marker(line: &str) -> &str {
    ["> ", "- ", "• ", "* ", "– "]
        .iter()
        .find_map(|m| line.strip_prefix(m))
        .unwrap_or(line)
}

/// Asserts that Anki holds exactly the deck deckc built: every note's
/// fields, tags, GUID and deck, and a clean Check Database.
fn assert_anki_has(facts: &Value, built: &Value, notetype: &str) {
    let cards = built["cards"].as_array().unwrap();
    let notes = facts["notes"].as_array().unwrap();
    assert_eq!(notes.len(), cards.len(), "note count");
    assert_eq!(
        facts["cards"].as_array().unwrap().len(),
        cards.len(),
        "card count"
    );
    let mut guids: Vec<&str> = notes.iter().map(|n| n["guid"].as_str().unwrap()).collect();
    guids.sort();
    guids.dedup();
    assert_eq!(guids.len(), notes.len(), "duplicate GUIDs");
    assert!(guids.iter().all(|g| !g.is_empty()), "empty GUID");
    for card in cards {
        let guid = card["guid"].as_str().unwrap();
        let note = notes
            .iter()
            .find(|n| n["guid"] == guid)
            .unwrap_or_else(|| panic!("no note with GUID {guid}"));
        let question = card["question"].as_str().unwrap();
        assert_eq!(note["notetype"], notetype);
        assert_eq!(
            note["fields"][0],
            escape(question).as_str(),
            "Front of {guid}"
        );
        let expected: Vec<&str> = card["answer"]
            .as_str()
            .unwrap()
            .split('\n')
            .map(without_marker)
            .collect();
        let got: Vec<&str> = note["answer_lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(got, expected, "answer of {question:?}");
        assert_eq!(note["tags"], card["tags"], "tags of {question:?}");
        assert_eq!(note["cards"], 1, "{question:?} has one card");
        let anki_card = facts["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["nid"] == note["id"])
            .unwrap();
        assert_eq!(anki_card["deck"], card["deck"], "deck of {question:?}");
        assert_eq!(anki_card["question"], question, "rendered question");
        assert_eq!(
            (anki_card["type"].as_i64(), anki_card["queue"].as_i64()),
            (Some(0), Some(0))
        );
    }
    let decks: Vec<&str> = facts["decks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    for card in facts["cards"].as_array().unwrap() {
        assert!(
            decks.contains(&card["deck"].as_str().unwrap()),
            "card deck exists"
        );
    }
    assert_eq!(
        facts["check_database"]["ok"], true,
        "Check Database found problems: {}",
        facts["check_database"]["message"]
    );
}

/// The Treaty note of the reference input, found by its question.
fn treaty(facts: &Value) -> &Value {
    facts["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| {
            n["fields"][0]
                .as_str()
                .unwrap()
                .starts_with("When was the Treaty of Friendship signed")
        })
        .expect("the Treaty note")
}

#[test]
fn reference_imports_exactly_as_built() {
    let (_dir, input) = scratch(&reference());
    let (apkg, built) = build(&input, None, 1_700_000_000, "sino-soviet.apkg");
    assert_eq!(built["deck"], "Sino-Soviet Relations");
    assert_eq!(built["cards"].as_array().unwrap().len(), 15);
    let facts = verify(&[&apkg], "import-apkg");
    assert_eq!(facts["imports"][0]["new"], 15);
    assert_eq!(facts["notes"].as_array().unwrap().len(), 15);
    assert_eq!(facts["cards"].as_array().unwrap().len(), 15);
    assert!(facts["decks"]
        .as_array()
        .unwrap()
        .contains(&"Sino-Soviet Relations".into()));
    assert_anki_has(&facts, &built, "deckc Basic");
    assert_eq!(treaty(&facts)["tags"], serde_json::json!(["Context"]));
}

/// The legacy package (`--package legacy`) imports the same notes, cards,
/// decks and tags as the newer one.
#[test]
fn the_legacy_package_imports_what_the_newer_one_does() {
    let (_dir, input) = scratch(&reference());
    let (latest, built) = build(&input, None, 1_700_000_000, "latest.apkg");
    let (legacy, _) = build_with(&input, None, 1_700_000_000, "legacy.apkg", LEGACY);
    let new = verify(&[&latest], "import-apkg");
    let old = verify(&[&legacy], "import-apkg");
    assert_eq!(old["imports"][0]["new"], 15);
    assert_anki_has(&old, &built, "deckc Basic");
    for key in ["notes", "cards", "decks", "notetypes", "media"] {
        assert_eq!(new[key], old[key], "{key}");
    }
}

/// Learners who imported a legacy package (what deckc wrote before the
/// newer one was the default) get their notes updated by a newer package,
/// not duplicated; and the other way round.
#[test]
fn a_newer_package_updates_notes_a_legacy_one_imported() {
    let (_dir, input) = scratch(&fixture("apkg/history.txt"));
    let (old, _) = build_with(&input, Some("qa"), 1_700_000_000, "v1.apkg", LEGACY);
    let (same, _) = build(&input, Some("qa"), 1_700_000_000, "same.apkg");
    edit_one_answer(&input);
    let (new, built) = build(&input, Some("qa"), 1_700_086_400, "v2.apkg");
    let facts = verify(&[&old, &same, &new], "import-apkg");
    assert_eq!(counts_of(&facts, 0), (Some(3), Some(0)));
    assert_eq!(
        counts_of(&facts, 1),
        (Some(0), Some(0)),
        "{}",
        facts["imports"]
    );
    assert_eq!(
        counts_of(&facts, 2),
        (Some(0), Some(1)),
        "{}",
        facts["imports"]
    );
    assert_eq!(facts["notes"].as_array().unwrap().len(), 3);
    assert_anki_has(&facts, &built, "deckc Basic");
    // And a legacy package after a newer one changes nothing.
    let (_dir, input) = scratch(&fixture("apkg/history.txt"));
    let (new, _) = build(&input, Some("qa"), 1_700_000_000, "n.apkg");
    let (old, _) = build_with(&input, Some("qa"), 1_700_000_000, "o.apkg", LEGACY);
    let facts = verify(&[&new, &old], "import-apkg");
    assert_eq!(counts_of(&facts, 1), (Some(0), Some(0)));
}

/// Media files arrive in Anki's media folder byte for byte, from either
/// kind of package (the newer one holds them as zstd, listed with their
/// size and SHA-1).
#[test]
fn media_files_arrive_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["media.txt", "map.png"] {
        std::fs::copy(fixture(&format!("apkg/{name}")), dir.path().join(name)).unwrap();
    }
    let input = dir.path().join("media.txt");
    let png = std::fs::read(fixture("apkg/map.png")).unwrap();
    let sha1: String = <sha1::Sha1 as sha1::Digest>::digest(&png)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    for (out, more) in [("latest.apkg", &[][..]), ("legacy.apkg", LEGACY)] {
        let (apkg, _) = build_with(&input, Some("qa"), 1_700_000_000, out, more);
        let facts = verify(&[&apkg], "import-apkg");
        assert_eq!(
            facts["media"],
            serde_json::json!({ "map.png": sha1 }),
            "{out}"
        );
        let backs: Vec<&str> = facts["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["fields"][1].as_str().unwrap())
            .collect();
        assert!(
            backs.iter().any(|b| b.contains("<img src=\"map.png\"")),
            "{out}: {backs:?}"
        );
    }
}

/// Edits one answer of the history fixture (`Mao and Stalin`).
fn edit_one_answer(input: &Path) {
    let text = std::fs::read_to_string(input).unwrap();
    std::fs::write(
        input,
        text.replace("Mao and Stalin", "Mao Zedong and Stalin"),
    )
    .unwrap();
}

/// The notes import `i` added and updated.
fn counts_of(facts: &Value, i: usize) -> (Option<i64>, Option<i64>) {
    let log = &facts["imports"][i];
    (log["new"].as_i64(), log["updated"].as_i64())
}

#[test]
fn anki_text_imports_the_same_notes_and_reimports_by_guid() {
    let (_dir, input) = scratch(&reference());
    let (txt, built) = build(&input, None, 1_700_000_000, "sino-soviet.txt.txt");
    let facts = verify(&[&txt, &txt], "import-text");
    assert_eq!(facts["imports"][0]["new"], 15, "{}", facts["imports"]);
    assert_eq!(facts["imports"][1]["new"], 0, "{}", facts["imports"]);
    assert_anki_has(&facts, &built, "Basic");
    assert_eq!(treaty(&facts)["tags"], serde_json::json!(["Context"]));
}

#[test]
fn fixture_imports_exactly_as_built() {
    let (_dir, input) = scratch(&fixture("apkg/history.txt"));
    let (apkg, built) = build(&input, Some("qa"), 1_700_000_000, "history.apkg");
    assert_eq!(built["cards"].as_array().unwrap().len(), 3);
    let facts = verify(&[&apkg], "import-apkg");
    assert_eq!(facts["imports"][0]["new"], 3);
    assert!(facts["decks"]
        .as_array()
        .unwrap()
        .contains(&"Cold War".into()));
    assert_anki_has(&facts, &built, "deckc Basic");
    let berlin = facts["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["fields"][0] == "What was the Berlin Blockade?")
        .unwrap();
    assert_eq!(berlin["tags"], serde_json::json!(["Context"]));
}

#[test]
fn tricky_characters_survive_exactly() {
    let (_dir, input) = scratch(&fixture("apkg/tricky.txt"));
    let (apkg, built) = build(&input, Some("qa"), 1_700_000_000, "tricky.apkg");
    let facts = verify(&[&apkg], "import-apkg");
    assert_anki_has(&facts, &built, "deckc Basic");
    let fronts: Vec<&str> = facts["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["question"].as_str().unwrap())
        .collect();
    for q in [
        "Is 2 < 3 & 4 > 1?",
        "#hashtag question",
        "Emoji and RTL 😀",
        "Apostrophes ‘curly’ and 'straight'",
    ] {
        assert!(fronts.contains(&q), "{q:?} in {fronts:?}");
    }
    let all_lines: Vec<&str> = facts["notes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["answer_lines"].as_array().unwrap())
        .map(|l| l.as_str().unwrap())
        .collect();
    for line in [
        "yes, \"always\" & <b>not bold</b>",
        "\"quoted start",
        "שלום עולם — مرحبا",
        "it's “fine”",
    ] {
        assert!(all_lines.contains(&line), "{line:?} in {all_lines:?}");
    }
}

#[test]
fn importing_the_same_build_twice_changes_nothing() {
    let (_dir, input) = scratch(&fixture("apkg/history.txt"));
    let (apkg, _) = build(&input, Some("qa"), 1_700_000_000, "history.apkg");
    let facts = verify(&[&apkg, &apkg], "import-apkg");
    assert_eq!(counts_of(&facts, 1), (Some(0), Some(0)));
    assert_eq!(facts["imports"][1]["conflicting"], 0);
    assert_eq!(facts["notes"].as_array().unwrap().len(), 3);
}

#[test]
fn an_edited_answer_updates_exactly_one_note() {
    let (_dir, input) = scratch(&fixture("apkg/history.txt"));
    let (first, _) = build(&input, Some("qa"), 1_700_000_000, "v1.apkg");
    edit_one_answer(&input);
    let (second, built) = build(&input, Some("qa"), 1_700_086_400, "v2.apkg");
    let facts = verify(&[&first, &second], "import-apkg");
    assert_eq!(
        counts_of(&facts, 1),
        (Some(0), Some(1)),
        "{}",
        facts["imports"][1]
    );
    assert_eq!(facts["notes"].as_array().unwrap().len(), 3);
    assert_anki_has(&facts, &built, "deckc Basic");
}

/// `deckc inspect --format json` on a package, parsed.
fn inspect_json(path: &Path) -> Value {
    let o = run(&["inspect", path.to_str().unwrap(), "--format", "json"]);
    assert_code(&o, 0);
    serde_json::from_slice(&o.stdout).expect("inspect prints JSON")
}

/// The notes the package makers in verify.py write.
fn assert_sample_notes(inspected: &Value, guid_prefix: &str) {
    let notes = inspected["notes"].as_array().unwrap();
    let got: Vec<(String, Vec<String>, Vec<String>)> = notes
        .iter()
        .map(|n| {
            let strings = |v: &Value| -> Vec<String> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect()
            };
            let mut tags = strings(&n["tags"]);
            tags.sort();
            (
                n["guid"].as_str().unwrap().to_string(),
                strings(&n["fields"]),
                tags,
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let expected = vec![
        (
            format!("{guid_prefix}0"),
            s(&["Capital of France?", "Paris"]),
            s(&["geo"]),
        ),
        (
            format!("{guid_prefix}1"),
            s(&["2 &lt; 3?", "yes &amp; true"]),
            s(&["easy", "maths"]),
        ),
        (
            format!("{guid_prefix}2"),
            s(&["Émigré?", "someone who left"]),
            s(&[]),
        ),
    ];
    let mut got_sorted = got;
    got_sorted.sort();
    assert_eq!(got_sorted, expected);
    assert_eq!(inspected["cards"], 3);
}

#[test]
fn inspect_reads_genanki_and_anki_exports() {
    let dir = tempfile::tempdir().unwrap();
    let genanki = dir.path().join("genanki.apkg");
    verify(&[&genanki], "make-genanki");
    let g = inspect_json(&genanki);
    assert_sample_notes(&g, "genanki-");
    assert_eq!(
        g["decks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["name"] == "genanki deck")
            .count(),
        1
    );

    let legacy = dir.path().join("legacy.apkg");
    let modern = dir.path().join("modern.apkg");
    verify(&[&legacy, &modern], "make-export");
    let l = inspect_json(&legacy);
    assert_eq!(l["collection"], "collection.anki21");
    assert_sample_notes(&l, "export-");
    let m = inspect_json(&modern);
    assert_eq!(m["collection"], "collection.anki21b");
    assert_sample_notes(&m, "export-");
    for p in [&l, &m] {
        let names: Vec<&str> = p["decks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"Exported::Child"), "{names:?}");
        assert!(p["notetypes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "Basic"));
    }
}
