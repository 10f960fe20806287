//! Note identity through the binary: GUIDs, the lock file, `--locked`.

use std::path::Path;

use crate::common::*;

const NOTES: &str = "Capitals Flashcards\n\
What is the capital of France?\nParis\n\
What is the capital of Spain?\nMadrid\n\
What is the capital of Italy?\nRome\n";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Builds `notes` (written to `dir/notes.txt`) to JSON at `dir/deck.json`
/// and returns (exit code, stderr, document).
fn build(dir: &Path, notes: &str, epoch: &str, extra: &[&str]) -> (i32, String, serde_json::Value) {
    let input = dir.join("notes.txt");
    std::fs::write(&input, notes).unwrap();
    let out = dir.join("deck.json");
    let mut args = vec!["build", s(&input), "-o", s(&out)];
    args.extend_from_slice(extra);
    let o = std::process::Command::new(bin())
        .args(&args)
        .env("SOURCE_DATE_EPOCH", epoch)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let doc = std::fs::read(&out)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(serde_json::Value::Null);
    (o.status.code().unwrap_or(-1), stderr(&o), doc)
}

fn guids(doc: &serde_json::Value) -> Vec<(String, String)> {
    doc["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["question"].as_str().unwrap().to_string(),
                c["guid"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn lock(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("notes.lock")).unwrap()
}

#[test]
fn first_build_writes_a_sorted_lock_and_rebuild_is_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, first) = build(dir.path(), NOTES, "1700000000", &[]);
    assert_eq!(code, 0);
    let lock1 = lock(dir.path());
    assert!(lock1.contains("version 1"));
    assert_eq!(lock1.lines().filter(|l| l.contains('\t')).count(), 3);
    let bytes1 = std::fs::read(dir.path().join("deck.json")).unwrap();
    // A later epoch does not move unchanged cards: byte-identical output.
    let (code, _, second) = build(dir.path(), NOTES, "1800000000", &[]);
    assert_eq!(code, 0);
    assert_eq!(first, second);
    assert_eq!(std::fs::read(dir.path().join("deck.json")).unwrap(), bytes1);
    assert_eq!(lock(dir.path()), lock1);
}

#[test]
fn typo_fix_keeps_the_guid() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, before) = build(dir.path(), NOTES, "1700000000", &[]);
    let edited = NOTES.replace("capital of Spain?", "captial of Spain?");
    let (code, _, after) = build(dir.path(), &edited, "1700000100", &[]);
    assert_eq!(code, 0);
    assert_eq!(
        guids(&before).iter().map(|g| &g.1).collect::<Vec<_>>(),
        guids(&after).iter().map(|g| &g.1).collect::<Vec<_>>()
    );
    assert!(lock(dir.path()).contains("captial"));
}

#[test]
fn reordering_changes_no_identity_and_no_lock_line() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, before) = build(dir.path(), NOTES, "1700000000", &[]);
    let lock1 = lock(dir.path());
    let reordered = "Capitals Flashcards\n\
What is the capital of Italy?\nRome\n\
What is the capital of France?\nParis\n\
What is the capital of Spain?\nMadrid\n";
    let (code, _, after) = build(dir.path(), reordered, "1700000100", &[]);
    assert_eq!(code, 0);
    let mut a = guids(&before);
    let mut b = guids(&after);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(lock(dir.path()), lock1);
}

#[test]
fn only_the_changed_card_gets_a_new_mtime() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), NOTES, "1700000000", &[]);
    let edited = NOTES.replace("Rome", "Roma");
    build(dir.path(), &edited, "1700000500", &[]);
    let lock = lock(dir.path());
    let mtimes: Vec<&str> = lock
        .lines()
        .filter(|l| l.contains('\t'))
        .map(|l| l.split('\t').nth(2).unwrap())
        .collect();
    assert_eq!(
        mtimes.iter().filter(|m| **m == "1700000500").count(),
        1,
        "{lock}"
    );
    assert_eq!(
        mtimes.iter().filter(|m| **m == "1700000000").count(),
        2,
        "{lock}"
    );
}

#[test]
fn locked_fails_when_the_lock_would_change_and_lists_removed_cards() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), NOTES, "1700000000", &[]);
    let lock1 = lock(dir.path());
    let (code, _, _) = build(dir.path(), NOTES, "1700000000", &["--locked"]);
    assert_eq!(code, 0, "an up-to-date lock passes --locked");
    let fewer = NOTES.replace("What is the capital of Italy?\nRome\n", "");
    let (code, err, _) = build(dir.path(), &fewer, "1700000100", &["--locked"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("removed"), "{err}");
    assert!(err.contains("capital of italy"), "{err}");
    assert_eq!(lock(dir.path()), lock1, "--locked never writes the lock");
    let (code, err, _) = build(dir.path(), &fewer, "1700000100", &[]);
    assert_eq!(code, 0);
    assert!(err.contains("Anki never deletes"), "{err}");
}

#[test]
fn a_broken_lock_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notes.lock"),
        "version 1\nnot a lock line\n",
    )
    .unwrap();
    let (code, err, _) = build(dir.path(), NOTES, "1700000000", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("notes.lock` line 2"), "{err}");
    assert_eq!(lock(dir.path()), "version 1\nnot a lock line\n");
}

#[test]
fn same_question_twice_is_reported_and_explicit_ids_separate_them() {
    let dir = tempfile::tempdir().unwrap();
    let twice = "What is the capital of France?\nParis\nWhat is the capital of France?\nParis, on the Seine\n";
    let o = run(&[
        "check",
        s(&{
            let p = dir.path().join("twice.txt");
            std::fs::write(&p, twice).unwrap();
            p
        }),
        "--message-format",
        "json",
    ]);
    let out = stdout(&o);
    assert!(out.contains("\"duplicate-id\""), "{out}");
    let pinned = "What is the capital of France? {#fr-1}\nParis\nWhat is the capital of France? {#fr-2}\nParis, on the Seine\n";
    let (code, _, doc) = build(dir.path(), pinned, "1700000000", &[]);
    assert_eq!(code, 0);
    let g = guids(&doc);
    assert_eq!(g.len(), 2);
    assert_ne!(g[0].1, g[1].1);
    assert_eq!(g[0].0, "What is the capital of France?");
}
