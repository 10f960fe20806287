//! `deckc fmt`: rewriting in place, `--check`, `--stdout`, BOMs, and refusing
//! to drop lines that belong to no card.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Copies a fixture into a fresh temporary directory.
fn scratch(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Path::new(name).file_name().unwrap());
    std::fs::copy(fixture(name), &path).unwrap();
    (dir, path)
}

fn fmt(path: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["fmt", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn rewrites_in_place_then_check_passes() {
    let (_dir, path) = scratch("fmt/qa.txt");
    let o = fmt(&path, &["--syntax", "qa"]);
    assert_code(&o, 0);
    assert!(stderr(&o).contains("formatted"), "{}", stderr(&o));
    let written = std::fs::read_to_string(&path).unwrap();
    insta::assert_snapshot!("fmt_qa", written);
    let o = fmt(&path, &["--syntax", "canonical", "--check"]);
    assert_code(&o, 0);
    assert_eq!(stderr(&o), "");
    // Formatting canonical text again changes nothing.
    let o = fmt(&path, &["--syntax", "canonical"]);
    assert_code(&o, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
}

#[test]
fn check_names_the_file_and_leaves_it_alone() {
    let (_dir, path) = scratch("fmt/qa.txt");
    let before = std::fs::read(&path).unwrap();
    let o = fmt(&path, &["--syntax", "qa", "--check"]);
    assert_code(&o, 1);
    assert!(stderr(&o).contains("would reformat"), "{}", stderr(&o));
    assert!(stderr(&o).contains("qa.txt"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn stdout_prints_without_writing() {
    let (_dir, path) = scratch("fmt/qa.txt");
    let before = std::fs::read(&path).unwrap();
    let o = fmt(&path, &["--syntax", "qa", "--stdout"]);
    assert_code(&o, 0);
    assert!(
        stdout(&o).starts_with("%deckc 1\n\nQ: One\nA: 1\n"),
        "{}",
        stdout(&o)
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn keeps_a_bom() {
    let (_dir, path) = scratch("fmt/bom.txt");
    let o = fmt(&path, &["--syntax", "qa"]);
    assert_code(&o, 0);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes, "\u{feff}%deckc 1\n\nQ: One\nA: 1\n".as_bytes());
    let o = fmt(&path, &["--syntax", "canonical", "--check"]);
    assert_code(&o, 0);
}

#[test]
fn refuses_to_drop_orphan_lines() {
    let (_dir, path) = scratch("fmt/orphan.txt");
    let before = std::fs::read(&path).unwrap();
    let o = fmt(&path, &["--syntax", "qa"]);
    assert_code(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("warning[orphan-line]"), "{err}");
    assert!(err.contains("not formatting"), "{err}");
    assert!(err.contains("1 line belongs to no card"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn missing_file_exits_2() {
    let o = run(&["fmt", "no-such-file.txt"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("no-such-file.txt"));
}
