//! `--timings`: per-stage durations on standard error, in the format the
//! benchmark harness (`benches/run.py`) parses.

use crate::common::*;

/// The stage names of the `timing` lines, in order, checking that each
/// carries a number of milliseconds.
fn stages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("timing "))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 4, "timing line: {l}");
            assert!(parts[2].parse::<f64>().is_ok(), "timing line: {l}");
            assert_eq!(parts[3], "ms", "timing line: {l}");
            parts[1].to_string()
        })
        .collect()
}

#[test]
fn build_reports_every_stage_in_pipeline_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deck.json");
    let input = fixture("syntaxes/blocks.txt");
    let o = run(&[
        "build",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-lock",
        "--timings",
    ]);
    assert_code(&o, 0);
    assert_eq!(
        stages(&stderr(&o)),
        [
            "read",
            "detect+parse",
            "lint",
            "normalize+identity",
            "emit",
            "write",
            "other",
            "total"
        ]
    );
}

/// A lone `.apkg` is emitted beside the lints: both stages are charged in
/// full, and the report says how long they overlapped.
#[test]
fn build_to_apkg_reports_the_overlap_of_lint_and_emit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deck.apkg");
    let o = run(&[
        "build",
        reference().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-lock",
        "--jobs",
        "2",
        "--timings",
    ]);
    assert_code(&o, 0);
    let names = stages(&stderr(&o));
    for stage in [
        "lint",
        "normalize+identity",
        "emit",
        "compress",
        "write",
        "other",
        "total",
    ] {
        assert!(names.iter().any(|n| n == stage), "{stage}: {names:?}");
    }
    assert_eq!(names.last().map(String::as_str), Some("total"));
    // Compressing is charged inside emitting, and reported after it.
    let at = |stage: &str| names.iter().position(|n| n == stage);
    assert!(
        at("emit") < at("compress") && at("compress") < at("write"),
        "{names:?}"
    );
}

#[test]
fn check_reports_the_stages_it_runs() {
    let o = run(&["check", reference().to_str().unwrap(), "--timings"]);
    assert_eq!(
        stages(&stderr(&o)),
        [
            "read",
            "detect+parse",
            "lint",
            "normalize+identity",
            "other",
            "total"
        ]
    );
}

#[test]
fn no_timings_without_the_flag() {
    let o = run(&["check", reference().to_str().unwrap()]);
    assert!(stages(&stderr(&o)).is_empty(), "{}", stderr(&o));
}
