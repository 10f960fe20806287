//! The `.apkg` writer through the real binary: determinism, package layout,
//! media, and `deckc inspect` on deckc's own packages.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::*;

/// Copies fixtures into a scratch directory (deckc writes a lock file next
/// to the notes) and returns it.
fn scratch(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        std::fs::copy(fixture(&format!("apkg/{f}")), dir.path().join(f)).unwrap();
    }
    dir
}

fn build_apkg(dir: &Path, input: &str, out: &str) -> PathBuf {
    let o = run_in(Some(dir), &["build", input, "--syntax", "qa", "-o", out]);
    assert_code(&o, 0);
    dir.join(out)
}

fn entries(apkg: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(apkg).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (e.name().to_string(), bytes)
        })
        .collect()
}

#[test]
fn building_twice_gives_identical_bytes() {
    let dir = scratch(&["history.txt"]);
    let a = std::fs::read(build_apkg(dir.path(), "history.txt", "a.apkg")).unwrap();
    let b = std::fs::read(build_apkg(dir.path(), "history.txt", "b.apkg")).unwrap();
    assert!(a.len() > 1000);
    assert_eq!(a, b);
}

#[test]
fn package_holds_collection_then_media_map() {
    let dir = scratch(&["history.txt"]);
    let apkg = build_apkg(dir.path(), "history.txt", "h.apkg");
    let e = entries(&apkg);
    let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["collection.anki2", "media"]);
    assert!(e[0].1.starts_with(b"SQLite format 3\0"));
    assert_eq!(e[1].1, b"{}");
}

#[test]
fn media_is_packed_and_referenced() {
    let dir = scratch(&["media.txt", "map.png"]);
    let apkg = build_apkg(dir.path(), "media.txt", "m.apkg");
    let e = entries(&apkg);
    let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["collection.anki2", "media", "0"]);
    assert_eq!(e[1].1, br#"{"0": "map.png"}"#);
    assert_eq!(e[2].1, std::fs::read(fixture("apkg/map.png")).unwrap());
    let o = run(&["inspect", apkg.to_str().unwrap(), "--format", "json"]);
    assert_code(&o, 0);
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(p["media"], serde_json::json!(["map.png"]));
    let back = p["notes"][0]["fields"][1].as_str().unwrap();
    assert!(
        back.starts_with("<img src=\"map.png\" alt=\"map of Germany\">"),
        "{back}"
    );
}

#[test]
fn missing_or_unsafe_media_fails_the_build() {
    let dir = scratch(&["missing-media.txt"]);
    let o = run_in(
        Some(dir.path()),
        &[
            "build",
            "missing-media.txt",
            "--syntax",
            "qa",
            "-o",
            "x.apkg",
        ],
    );
    assert_code(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("missing-media"), "{err}");
    assert!(err.contains("nowhere.png"), "{err}");
    assert!(err.contains("../secret.png"), "{err}");
    assert!(!dir.path().join("x.apkg").exists());
}

#[test]
fn inspect_lists_our_own_package() {
    let dir = scratch(&["history.txt"]);
    let apkg = build_apkg(dir.path(), "history.txt", "h.apkg");
    let o = run(&["inspect", apkg.to_str().unwrap()]);
    assert_code(&o, 0);
    let table = stdout(&o);
    assert!(
        table.contains("collection.anki2 (schema 11), 3 notes, 3 cards"),
        "{table}"
    );
    assert!(table.contains("3 cards  Cold War"), "{table}");
    assert!(table.contains("deckc Basic"), "{table}");
    assert!(table.contains("Define détente"), "{table}");
    let o = run(&["inspect", apkg.to_str().unwrap(), "--format", "json"]);
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(p["notes"].as_array().unwrap().len(), 3);
    assert_eq!(
        p["notetypes"][0]["fields"],
        serde_json::json!(["Front", "Back"])
    );
}

#[test]
fn inspect_errors_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let not_zip = dir.path().join("notes.apkg");
    std::fs::write(&not_zip, "hello").unwrap();
    let o = run(&["inspect", not_zip.to_str().unwrap()]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("not a zip archive"), "{}", stderr(&o));
    assert_eq!(stderr(&o).trim().lines().count(), 1, "{}", stderr(&o));

    let empty_zip = dir.path().join("empty.apkg");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&empty_zip).unwrap());
    w.start_file("media", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.finish().unwrap();
    let o = run(&["inspect", empty_zip.to_str().unwrap()]);
    assert_code(&o, 2);
    assert!(
        stderr(&o).contains("no collection inside"),
        "{}",
        stderr(&o)
    );
}
