//! Learners keep their review history: decks built by the real deckc binary
//! from successive versions of the notes are imported, in order, into one
//! FRESH collection by Anki's own code (`verify.py session`), with cards
//! reviewed by Anki's scheduler in between, and Anki's view is asserted:
//! import log counts, note fields and card review state.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::anki::{anki_notes, history, import_counts, note, only_card, session, Step};
use crate::common::*;

const NOTES: &str = "Cold War Flashcards
Q: Who signed the Treaty of Friendship?
A: Mao and Stalin
Q: What was the Berlin Blockade?
A: the Soviet closure of road and rail routes into West Berlin
Q: Define détente
A: the easing of tension between the superpowers
Q: Why, according to the Chinese leadership of the early 1960s, did the Sino-Soviet split happen?
A: Soviet revisionism under Khrushchev
";

/// A notes file in a scratch directory, built to packages beside it.
struct Notes {
    dir: tempfile::TempDir,
}

impl Notes {
    fn new(text: &str) -> Notes {
        let notes = Notes {
            dir: tempfile::tempdir().unwrap(),
        };
        notes.write(text);
        notes
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("notes.txt")
    }

    fn lock(&self) -> Option<String> {
        std::fs::read_to_string(self.dir.path().join("notes.lock")).ok()
    }

    fn write(&self, text: &str) {
        std::fs::write(self.path(), text).unwrap();
    }

    fn edit(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path()).unwrap();
        assert!(text.contains(from), "{from:?} not in the notes");
        self.write(&text.replacen(from, to, 1));
    }

    /// `deckc build notes.txt -o OUT` at `epoch`, with `extra` arguments.
    fn run(&self, epoch: i64, out: &str, extra: &[&str]) -> (Output, PathBuf) {
        let target = self.dir.path().join(out);
        let o = Command::new(bin())
            .arg("build")
            .arg(self.path())
            .args(["--syntax", "qa", "-o"])
            .arg(&target)
            .args(extra)
            .env("SOURCE_DATE_EPOCH", epoch.to_string())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("deckc runs");
        (o, target)
    }

    /// A successful build to a package; returns its path and stderr.
    fn build(&self, epoch: i64, out: &str) -> (PathBuf, String) {
        let (o, target) = self.run(epoch, out, &[]);
        assert_code(&o, 0);
        (target, stderr(&o))
    }

    /// The GUID the lock file gives the card whose folded question starts
    /// with `prefix`.
    fn guid(&self, prefix: &str) -> String {
        let lock = self.lock().expect("a lock file");
        let matching: Vec<&str> = lock
            .lines()
            .filter(|l| l.split('\t').nth(3).is_some_and(|q| q.starts_with(prefix)))
            .map(|l| l.split('\t').next().unwrap())
            .collect();
        assert_eq!(matching.len(), 1, "{prefix:?} in\n{lock}");
        matching[0].to_string()
    }
}

fn fronts(out: &Value) -> Vec<&str> {
    let mut f: Vec<&str> = anki_notes(out)
        .iter()
        .map(|n| n["fields"][0].as_str().unwrap())
        .collect();
    f.sort();
    f
}

#[test]
fn a_typo_fix_updates_the_reviewed_note_and_keeps_its_history() {
    let notes = Notes::new(&NOTES.replace("Who signed", "Who sigend"));
    let (v1, _) = notes.build(1_700_000_000, "v1.apkg");
    let guid = notes.guid("who sigend the treaty");
    notes.edit("Who sigend", "Who signed");
    let (v2, _) = notes.build(1_700_086_400, "v2.apkg");
    assert_eq!(
        notes.guid("who signed the treaty"),
        guid,
        "the GUID is kept"
    );

    // Anki before the second import: the card was answered once.
    let reviewed = session(&[Step::Import(&v1), Step::Review(&guid)]);
    let before = only_card(note(&reviewed, &guid));
    assert_eq!(
        (before["type"].as_i64(), before["queue"].as_i64()),
        (Some(2), Some(2)),
        "a review card"
    );
    assert_eq!(before["reps"], 1);
    assert!(before["ivl"].as_i64().unwrap() >= 1, "{before}");
    assert_eq!(before["revlog"], 1);

    let out = session(&[Step::Import(&v1), Step::Review(&guid), Step::Import(&v2)]);
    assert_eq!(import_counts(&out, 0), (4, 0, 0, 0));
    let (new, updated, unchanged, conflicting) = import_counts(&out, 2);
    assert_eq!((new, updated, conflicting), (0, 1, 0), "{}", out["steps"]);
    assert_eq!(unchanged, 3, "the other notes are found unchanged");
    assert_eq!(anki_notes(&out).len(), 4);
    let fixed = note(&out, &guid);
    assert_eq!(fixed["fields"][0], "Who signed the Treaty of Friendship?");
    assert_eq!(fixed["mod"], 1_700_086_400);
    let card = only_card(fixed);
    assert_eq!(card["question"], "Who signed the Treaty of Friendship?");
    assert_eq!(card["id"], before["id"], "the same card");
    assert_eq!(history(card), history(before), "review history kept");
}

#[test]
fn an_unchanged_rebuild_is_identical_and_changes_nothing_in_anki() {
    let notes = Notes::new(NOTES);
    let (v1, _) = notes.build(1_700_000_000, "v1.apkg");
    let lock = notes.lock();
    let (v2, _) = notes.build(1_800_000_000, "v2.apkg");
    let same = Command::new("cmp").arg(&v1).arg(&v2).status().unwrap();
    assert!(same.success(), "a later rebuild of the same notes differs");
    assert_eq!(notes.lock(), lock);
    let out = session(&[Step::Import(&v1), Step::Import(&v2)]);
    assert_eq!(import_counts(&out, 1), (0, 0, 4, 0));
    assert_eq!(anki_notes(&out).len(), 4);
}

#[test]
fn reordering_the_notes_changes_nothing_in_anki() {
    let notes = Notes::new(NOTES);
    let (v1, _) = notes.build(1_700_000_000, "v1.apkg");
    let lock = notes.lock();
    // Reverse the cards: each card is a "Q: …\nA: …\n" pair of lines.
    let blocks: Vec<String> = NOTES
        .lines()
        .skip(1)
        .collect::<Vec<_>>()
        .chunks(2)
        .map(|c| c.join("\n") + "\n")
        .collect();
    assert_eq!(blocks.len(), 4, "{blocks:?}");
    let reversed: String = blocks.iter().rev().map(String::as_str).collect();
    notes.write(&format!("Cold War Flashcards\n{reversed}"));
    let (v2, _) = notes.build(1_700_086_400, "v2.apkg");
    assert_eq!(notes.lock(), lock, "order is not identity");
    let out = session(&[Step::Import(&v1), Step::Import(&v2)]);
    assert_eq!(import_counts(&out, 1), (0, 0, 4, 0));
    assert_eq!(anki_notes(&out).len(), 4);
}

#[test]
fn an_edited_answer_updates_exactly_that_note() {
    let notes = Notes::new(NOTES);
    let (v1, _) = notes.build(1_700_000_000, "v1.apkg");
    let guid = notes.guid("what was the berlin blockade");
    notes.edit(
        "into West Berlin",
        "into West Berlin, June 1948 to May 1949",
    );
    let (v2, _) = notes.build(1_700_086_400, "v2.apkg");
    let out = session(&[Step::Import(&v1), Step::Review(&guid), Step::Import(&v2)]);
    assert_eq!(import_counts(&out, 2), (0, 1, 3, 0));
    let edited = note(&out, &guid);
    assert!(
        edited["fields"][1]
            .as_str()
            .unwrap()
            .contains("June 1948 to May 1949"),
        "{edited}"
    );
    assert_eq!(only_card(edited)["reps"], 1, "review history kept");
}

#[test]
fn a_deleted_card_is_reported_refused_under_locked_and_kept_by_anki() {
    let notes = Notes::new(NOTES);
    let (v1, _) = notes.build(1_700_000_000, "v1.apkg");
    let lock = notes.lock();
    let guid = notes.guid("define détente");
    notes.edit(
        "Q: Define détente\nA: the easing of tension between the superpowers\n",
        "",
    );

    let (o, refused) = notes.run(1_700_086_400, "v2.apkg", &["--locked"]);
    assert_code(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("--locked"), "{err}");
    assert!(err.contains(&format!("removed  {guid}")), "{err}");
    assert!(!refused.exists(), "--locked wrote the package");
    assert_eq!(notes.lock(), lock, "--locked wrote the lock");

    let (v2, err) = notes.build(1_700_086_400, "v2.apkg");
    assert!(err.contains("Anki never deletes"), "{err}");
    assert!(err.contains(&guid), "{err}");
    assert!(!notes.lock().unwrap().contains(&guid));

    let out = session(&[Step::Import(&v1), Step::Import(&v2)]);
    assert_eq!(import_counts(&out, 1), (0, 0, 3, 0));
    assert_eq!(
        anki_notes(&out).len(),
        4,
        "Anki keeps the deleted card's note"
    );
    assert_eq!(note(&out, &guid)["fields"][0], "Define détente");
}

/// `deckc check --message-format json` on `text`: the diagnostics.
fn check_json(dir: &Path, text: &str) -> Vec<Value> {
    let path = dir.join("twice.txt");
    std::fs::write(&path, text).unwrap();
    let o = run(&[
        "check",
        path.to_str().unwrap(),
        "--syntax",
        "qa",
        "--message-format",
        "json",
    ]);
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_same_question_twice_is_reported_and_explicit_ids_make_two_notes() {
    let twice = "Cold War Flashcards
Q: Who signed the Treaty of Friendship?
A: Mao and Stalin
Q: What was the Berlin Blockade?
A: the Soviet closure of routes into West Berlin
Q: who signed the treaty of  friendship?
A: Stalin and Mao, in Moscow
";
    let dir = tempfile::tempdir().unwrap();
    let diagnostics = check_json(dir.path(), twice);
    let dup: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "duplicate-id")
        .collect();
    assert_eq!(dup.len(), 1, "{diagnostics:?}");
    assert_eq!(dup[0]["line"], 6, "primary: the later card");
    let related = dup[0]["related"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{}", dup[0]);
    assert_eq!(related[0]["line"], 2, "related: the first card");

    let pinned = twice
        .replace("Friendship?\n", "Friendship? {#treaty-who}\n")
        .replace("friendship?\n", "friendship? {#treaty-where}\n");
    let diagnostics = check_json(dir.path(), &pinned);
    assert!(
        diagnostics.iter().all(|d| d["code"] != "duplicate-id"),
        "{diagnostics:?}"
    );
    let notes = Notes::new(&pinned);
    let (apkg, _) = notes.build(1_700_000_000, "pinned.apkg");
    let out = session(&[Step::Import(&apkg)]);
    assert_eq!(import_counts(&out, 0), (3, 0, 0, 0));
    let f = fronts(&out);
    assert_eq!(
        f.iter()
            .filter(|q| q.to_lowercase().starts_with("who signed the treaty"))
            .count(),
        2,
        "{f:?}"
    );
    assert!(f.iter().all(|q| !q.contains("{#")), "the id is not shown");
}

#[test]
fn a_reworded_question_keeps_its_note_and_a_new_question_is_a_new_note() {
    let notes = Notes::new(NOTES);
    let (v1, _) = notes.build(1_700_000_000, "v1.apkg");
    let split = notes.guid("why, according to the chinese");
    let detente = notes.guid("define détente");
    let treaty = notes.guid("who signed the treaty");
    // A reworded word in a long question; a question replaced outright; a
    // question rewritten more freely but with the same answer.
    notes.edit(
        "did the Sino-Soviet split happen",
        "did the Sino-Soviet split occur",
    );
    notes.edit(
        "Q: Define détente\nA: the easing of tension between the superpowers",
        "Q: What was the Cuban Missile Crisis?\nA: a 1962 confrontation over Soviet missiles in Cuba",
    );
    notes.edit(
        "Who signed the Treaty of Friendship?",
        "Which leaders signed the 1950 Treaty of Friendship?",
    );
    let (v2, err) = notes.build(1_700_086_400, "v2.apkg");
    assert_eq!(notes.guid("why, according to the chinese"), split);
    assert_eq!(notes.guid("which leaders signed"), treaty);
    let cuban = notes.guid("what was the cuban missile crisis");
    assert_ne!(cuban, detente);
    assert!(err.contains(&format!("removed  {detente}")), "{err}");

    let out = session(&[
        Step::Import(&v1),
        Step::Review(&split),
        Step::Review(&treaty),
        Step::Import(&v2),
    ]);
    assert_eq!(import_counts(&out, 3), (1, 2, 1, 0), "{}", out["steps"]);
    assert_eq!(
        anki_notes(&out).len(),
        5,
        "the replaced question stays in Anki"
    );
    let reworded = note(&out, &split);
    assert!(reworded["fields"][0]
        .as_str()
        .unwrap()
        .contains("split occur"));
    assert_eq!(only_card(reworded)["reps"], 1);
    let rewritten = note(&out, &treaty);
    assert_eq!(
        rewritten["fields"][0],
        "Which leaders signed the 1950 Treaty of Friendship?"
    );
    assert_eq!(only_card(rewritten)["reps"], 1);
    assert_eq!(only_card(note(&out, &cuban))["reps"], 0);
    assert_eq!(note(&out, &detente)["fields"][0], "Define détente");
}

#[test]
fn an_edit_reaches_anki_only_with_a_newer_mtime_which_the_lock_guarantees() {
    let notes = Notes::new(NOTES);
    let (v1, _) = notes.build(1_700_000_000, "v1.apkg");
    let guid = notes.guid("what was the berlin blockade");
    notes.edit("into West Berlin", "into West Berlin, 1948-49");
    // The Anki behaviour the rule answers: the same modification time, as
    // a build without the lock at a pinned SOURCE_DATE_EPOCH gives, makes
    // Anki keep the old text although the fields differ.
    let (o, same_time) = notes.run(1_700_000_000, "same-time.apkg", &["--no-lock"]);
    assert_code(&o, 0);
    let out = session(&[Step::Import(&v1), Step::Import(&same_time)]);
    assert_eq!(import_counts(&out, 1), (0, 0, 4, 0));
    assert!(!note(&out, &guid)["fields"][1]
        .as_str()
        .unwrap()
        .contains("1948-49"));
    // With the lock, a clock that did not move (or went back) still gives
    // the changed card a newer time than the one learners have.
    let (v2, _) = notes.build(1_600_000_000, "v2.apkg");
    let out = session(&[Step::Import(&v1), Step::Import(&v2)]);
    assert_eq!(import_counts(&out, 1), (0, 1, 3, 0));
    let edited = note(&out, &guid);
    assert_eq!(edited["mod"], 1_700_000_001);
    assert!(edited["fields"][1].as_str().unwrap().contains("1948-49"));
}
