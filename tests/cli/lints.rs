//! The structural lint rules on their fixtures (`tests/fixtures/lints/`),
//! `deckc explain`, and `docs/lints.md` kept in step with the rule docs.

use crate::common::*;

/// `(code, line, related lines)` of each JSON finding whose code is `code`.
fn findings(input: &str, code: &str) -> Vec<(u64, Vec<u64>)> {
    let o = run(&["check", input, "--message-format", "json"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON line"))
        .filter(|v| v["code"] == code)
        .map(|v| {
            let related = v["related"]
                .as_array()
                .map(|rs| rs.iter().filter_map(|r| r["line"].as_u64()).collect())
                .unwrap_or_default();
            (v["line"].as_u64().unwrap_or(0), related)
        })
        .collect()
}

#[test]
fn duplicate_card_points_at_the_copy() {
    let f = findings(
        "tests/fixtures/lints/duplicate-card/notes.txt",
        "duplicate-card",
    );
    assert_eq!(f, [(6, vec![2])]);
}

#[test]
fn duplicate_question_exact_and_near() {
    let f = findings(
        "tests/fixtures/lints/duplicate-question/notes.txt",
        "duplicate-question",
    );
    assert_eq!(f, [(6, vec![2]), (10, vec![8])]);
}

#[test]
fn empty_answer_on_question_followed_by_question() {
    let f = findings(
        "tests/fixtures/lints/empty-answer/notes.txt",
        "empty-answer",
    );
    assert_eq!(f, [(2, vec![])]);
}

#[test]
fn placeholder_todo_and_filler() {
    let f = findings("tests/fixtures/lints/placeholder/notes.txt", "placeholder");
    assert_eq!(f, [(3, vec![]), (7, vec![])]);
}

#[test]
fn unbalanced_delimiters_ignores_apostrophes() {
    let f = findings(
        "tests/fixtures/lints/unbalanced-delimiters/notes.txt",
        "unbalanced-delimiters",
    );
    assert_eq!(f, [(3, vec![])]);
}

#[test]
fn repeated_answer_fires_on_the_three_main_point_cards() {
    let f = findings("input/sino-soviet.txt", "repeated-answer");
    assert_eq!(f, [(19, vec![17]), (26, vec![24]), (34, vec![32])]);
}

#[test]
fn structural_rules_are_quiet_on_the_reference_input() {
    for code in [
        "empty-question",
        "empty-answer",
        "orphan-line",
        "syntax-error",
        "duplicate-question",
        "duplicate-card",
        "duplicate-id",
        "unbalanced-delimiters",
        "placeholder",
    ] {
        assert_eq!(findings("input/sino-soviet.txt", code), [], "{code}");
    }
}

#[test]
fn explain_lists_every_rule_with_its_level() {
    let o = run(&["explain"]);
    assert_code(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("repeated-answer          note "), "{out}");
    assert!(out.contains("duplicate-card           warning "), "{out}");
    assert!(out.contains("empty-question           error "), "{out}");
}

#[test]
fn explain_code_prints_its_doc() {
    let o = run(&["explain", "unbalanced-delimiters"]);
    assert_code(&o, 0);
    let out = stdout(&o);
    assert!(out.starts_with("unbalanced-delimiters (default level: warning)\n"));
    for heading in [
        "**What it does**",
        "**Why it matters**",
        "**Example**",
        "**Fix**",
    ] {
        assert!(out.contains(heading), "{out}");
    }
}

#[test]
fn explain_unknown_code_exits_2() {
    let o = run(&["explain", "no-such-rule"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("unknown lint `no-such-rule`"));
}

#[test]
fn docs_lints_md_is_generated_from_the_rules() {
    let o = run(&["explain", "--markdown"]);
    assert_code(&o, 0);
    let committed = std::fs::read_to_string(root().join("docs/lints.md")).unwrap_or_default();
    assert!(
        committed == stdout(&o),
        "docs/lints.md is out of date; regenerate it with\n  \
         cargo run -- explain --markdown > docs/lints.md"
    );
}
