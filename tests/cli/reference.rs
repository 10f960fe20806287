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
