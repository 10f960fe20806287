//! Syntax auto-detection through the real binary: one fixture per shape in
//! `tests/fixtures/detect/`, plus traps that must not fool it.

use crate::common::*;

/// The syntax `deckc check --explain` reports for a fixture, and its reason.
fn detected(rel: &str) -> (String, String) {
    let path = fixture(rel);
    let o = run(&["check", path.to_str().unwrap(), "--explain"]);
    let out = stdout(&o);
    let header = out.lines().next().unwrap_or_default();
    let after = header
        .split_once(": syntax ")
        .unwrap_or_else(|| panic!("no syntax in {header:?}"))
        .1;
    let (name, rest) = after.split_once(' ').unwrap();
    let reason = rest
        .strip_prefix('(')
        .and_then(|r| r.split_once("), deck"))
        .unwrap_or_else(|| panic!("no reason in {header:?}"))
        .0;
    (name.to_string(), reason.to_string())
}

fn assert_syntax(rel: &str, syntax: &str) {
    let (got, reason) = detected(rel);
    assert_eq!(got, syntax, "{rel} detected as {got} because {reason}");
    assert!(!reason.is_empty());
}

#[test]
fn canonical_header() {
    assert_syntax("detect/canonical.txt", "canonical");
}

#[test]
fn qa_despite_a_title_line_and_a_section_marker() {
    assert_syntax("detect/qa-with-title-and-section.txt", "qa");
}

#[test]
fn markdown_headings_with_bodies() {
    assert_syntax("detect/markdown.txt", "markdown");
}

#[test]
fn a_lone_markdown_title_over_notes_is_notes() {
    assert_syntax("detect/markdown-title-only.txt", "notes");
}

#[test]
fn delimited_by_each_separator() {
    for (rel, reason) in [
        ("detect/tab.txt", "tab"),
        ("detect/pipe.txt", "`|`"),
        ("detect/semicolon-quoted.txt", "`;`"),
        ("detect/star.txt", "`*`"),
        ("detect/dash.txt", "` - `"),
    ] {
        let (syntax, why) = detected(rel);
        assert_eq!(syntax, "delimited", "{rel}: {why}");
        assert!(why.contains(reason), "{rel}: {why}");
    }
}

#[test]
fn blank_line_blocks() {
    assert_syntax("detect/blocks.txt", "blocks");
}

#[test]
fn notes_with_a_few_dash_lines_stay_notes() {
    assert_syntax("detect/notes-with-dashes.txt", "notes");
}

#[test]
fn reference_input_is_notes() {
    let o = run(&["check", "input/sino-soviet.txt", "--explain"]);
    assert!(
        stdout(&o).starts_with("input/sino-soviet.txt: syntax notes ("),
        "{}",
        stdout(&o)
    );
}

#[test]
fn every_notes_fixture_is_detected_as_notes() {
    let dir = fixture("notes");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 6);
    for name in names {
        assert_syntax(&format!("notes/{name}"), "notes");
    }
}

#[test]
fn forced_syntax_says_so() {
    let o = run(&[
        "check",
        "tests/fixtures/detect/dash.txt",
        "--explain",
        "--syntax",
        "notes",
    ]);
    assert!(
        stdout(&o).contains("syntax notes (set by --syntax)"),
        "{}",
        stdout(&o)
    );
}
