//! The reference input: exactly the cards DESIGN.md lists.

use crate::common::*;

#[test]
fn explain_lists_every_rule() {
    let o = run(&["explain"]);
    assert_code(&o, 0);
    assert!(stdout(&o).contains("conflicting-dates"));
}

#[test]
fn unknown_lint_is_a_usage_error() {
    let o = run(&["check", "input/sino-soviet.txt", "-D", "no-such-rule"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("unknown lint `no-such-rule`"));
}

#[test]
fn missing_input_exits_2() {
    let o = run(&["check", "does-not-exist.txt"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("does-not-exist.txt"));
}

/// (level, code, line, related lines) of one finding.
type Finding = (String, String, u64, Vec<u64>);

/// The exit code and every finding of `deckc check` on the reference.
fn findings(extra: &[&str]) -> (Option<i32>, Vec<Finding>) {
    let mut args = vec!["check", "input/sino-soviet.txt", "--message-format", "json"];
    args.extend_from_slice(extra);
    let o = run(&args);
    let found = stdout(&o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("one JSON object per line");
            (
                v["level"].as_str().unwrap().to_string(),
                v["code"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["related"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["line"].as_u64().unwrap())
                    .collect(),
            )
        })
        .collect();
    (o.status.code(), found)
}

#[test]
fn check_reports_exactly_the_six_warnings_of_the_design() {
    let (code, found) = findings(&[]);
    assert_eq!(code, Some(0));
    let mut warnings: Vec<(&str, u64)> = found
        .iter()
        .filter(|f| f.0 != "note")
        .map(|f| (f.1.as_str(), f.2))
        .collect();
    warnings.sort();
    assert_eq!(
        warnings,
        [
            ("conflicting-dates", 40),
            ("name-variant", 29),
            ("spelling-variant", 46),
            ("stray-token", 27),
            ("term-variant", 4),
            ("word-confusion", 41),
        ]
    );
    assert!(found.iter().all(|f| f.0 == "warning" || f.0 == "note"));
    let related = |code: &str| found.iter().find(|f| f.1 == code).unwrap().3.clone();
    assert_eq!(related("conflicting-dates"), [15]);
    assert!(related("term-variant").contains(&48));
    assert_eq!(related("spelling-variant"), [5]);
    assert_eq!(related("word-confusion"), [16]);
    assert!(!related("name-variant").is_empty());
    // Notes are allowed; the only ones are the repeated "main point" answers.
    let notes: Vec<(&str, u64)> = found
        .iter()
        .filter(|f| f.0 == "note")
        .map(|f| (f.1.as_str(), f.2))
        .collect();
    assert_eq!(
        notes,
        [
            ("repeated-answer", 19),
            ("repeated-answer", 26),
            ("repeated-answer", 34)
        ]
    );
}

#[test]
fn deny_warnings_fails_the_check() {
    let (code, found) = findings(&["-D", "warnings"]);
    assert_eq!(code, Some(1));
    assert_eq!(found.iter().filter(|f| f.0 == "error").count(), 6);
}

#[test]
fn human_output_shows_the_related_line() {
    let o = run(&["check", "input/sino-soviet.txt", "--color", "never"]);
    assert_code(&o, 0);
    let err = stderr(&o);
    assert!(err.contains("warning[conflicting-dates]"), "{err}");
    assert!(err.contains("input/sino-soviet.txt:40:1"), "{err}");
    assert!(
        err.contains("15 | Border disputes heightened from 1967-1970"),
        "{err}"
    );
    assert!(err.contains("first stated here"), "{err}");
}
