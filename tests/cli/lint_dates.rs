//! The date and number consistency lints (`conflicting-dates`,
//! `conflicting-numbers`, `year-range-order`) through the real binary: on
//! the reference notes, and on a positive and a negative fixture per rule.

use crate::common::*;

/// `(code, line, related line)` of every diagnostic `deckc check` prints
/// as JSON for `file`.
fn findings(file: &str) -> Vec<(String, u64, Option<u64>)> {
    let o = run(&["check", file, "--message-format", "json"]);
    stdout(&o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("one JSON object per line");
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                v["line"].as_u64().unwrap_or_default(),
                v["related"][0]["line"].as_u64(),
            )
        })
        .collect()
}

fn of_code(file: &str, code: &str) -> Vec<(u64, Option<u64>)> {
    findings(file)
        .into_iter()
        .filter(|(c, _, _)| c == code)
        .map(|(_, l, r)| (l, r))
        .collect()
}

fn human(file: &str) -> String {
    let o = run(&["check", file, "--color", "never"]);
    stderr(&o)
}

#[test]
fn reference_has_one_date_conflict_and_no_number_or_range_findings() {
    let file = "input/sino-soviet.txt";
    assert_eq!(of_code(file, "conflicting-dates"), [(40, Some(15))]);
    assert_eq!(of_code(file, "conflicting-numbers"), []);
    assert_eq!(of_code(file, "year-range-order"), []);
}

#[test]
fn conflicting_dates_positive() {
    let file = "tests/fixtures/lints/conflicting-dates/positive.txt";
    assert_eq!(
        of_code(file, "conflicting-dates"),
        [(6, Some(3)), (8, Some(4))]
    );
    insta::assert_snapshot!(human(file));
}

#[test]
fn conflicting_dates_negative() {
    let file = "tests/fixtures/lints/conflicting-dates/negative.txt";
    assert_eq!(of_code(file, "conflicting-dates"), []);
}

#[test]
fn conflicting_numbers_positive() {
    let file = "tests/fixtures/lints/conflicting-numbers/positive.txt";
    assert_eq!(
        of_code(file, "conflicting-numbers"),
        [(5, Some(3)), (9, Some(7))]
    );
    insta::assert_snapshot!(human(file));
}

#[test]
fn conflicting_numbers_negative() {
    let file = "tests/fixtures/lints/conflicting-numbers/negative.txt";
    assert_eq!(of_code(file, "conflicting-numbers"), []);
}

#[test]
fn year_range_order_positive() {
    let file = "tests/fixtures/lints/year-range-order/positive.txt";
    assert_eq!(
        of_code(file, "year-range-order"),
        [(3, None), (5, None), (7, None)]
    );
    insta::assert_snapshot!(human(file));
}

#[test]
fn year_range_order_negative() {
    let file = "tests/fixtures/lints/year-range-order/negative.txt";
    assert_eq!(of_code(file, "year-range-order"), []);
}

#[test]
fn explain_prints_each_doc() {
    for code in [
        "conflicting-dates",
        "conflicting-numbers",
        "year-range-order",
    ] {
        let o = run(&["explain", code]);
        assert_code(&o, 0);
        let out = stdout(&o);
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## Fix",
        ] {
            assert!(out.contains(section), "{code}: {section}\n{out}");
        }
    }
}
