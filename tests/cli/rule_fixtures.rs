//! Every lint rule has a positive and a negative fixture in
//! `tests/fixtures/lints/<code>/`: the positive one must produce the rule's
//! finding (its rendered human output is snapshotted, with every other rule
//! silenced), the negative one — look-alikes that must stay quiet — must
//! produce none of it.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Every rule code, as `deckc explain` lists them.
fn codes() -> Vec<String> {
    let o = run(&["explain"]);
    assert_code(&o, 0);
    stdout(&o)
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// The fixture `positive.*` / `negative.*` of `code`.
fn fixture_of(code: &str, kind: &str) -> PathBuf {
    let dir = root().join("tests/fixtures/lints").join(code);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("no fixture folder {}", dir.display()))
        .map(|e| e.unwrap().path())
        .find(|p| p.file_stem().and_then(|s| s.to_str()) == Some(kind))
        .unwrap_or_else(|| panic!("rule `{code}` has no {kind} fixture in {}", dir.display()))
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// How many findings of `code` deckc reports on `path`.
fn count(path: &Path, code: &str) -> usize {
    let o = run(&["check", &rel(path), "--message-format", "json"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .filter(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["code"] == code
        })
        .count()
}

#[test]
fn every_rule_fires_on_its_positive_fixture() {
    let codes = codes();
    assert!(codes.len() >= 19, "{codes:?}");
    for code in &codes {
        let path = fixture_of(code, "positive");
        assert!(
            count(&path, code) >= 1,
            "`{code}` is silent on {}",
            rel(&path)
        );
        // Only this rule speaks in the snapshot, so other rules' changes do
        // not churn it.
        let mut args = vec![
            "check".to_string(),
            rel(&path),
            "--color".into(),
            "never".into(),
        ];
        for other in codes.iter().filter(|c| *c != code) {
            args.push("-A".into());
            args.push(other.clone());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&args);
        insta::assert_snapshot!(format!("rule_{code}"), stderr(&o));
    }
}

#[test]
fn every_rule_is_quiet_on_its_negative_fixture() {
    for code in codes() {
        let path = fixture_of(&code, "negative");
        assert_eq!(count(&path, &code), 0, "`{code}` fires on {}", rel(&path));
    }
}
