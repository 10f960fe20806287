//! `deckc build`: choosing the format and destination, refusing bad
//! targets, atomic writes and the summary line.

use std::path::Path;

use crate::common::*;

/// Copies the reference notes into `dir` (so outputs land next to them).
fn notes_in(dir: &Path, name: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::copy(reference(), &p).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Names of the files in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn format_follows_the_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    let input = notes_in(dir.path(), "notes.txt");
    for (name, starts) in [
        ("deck.json", "{"),
        ("deck.csv", "question,answer,tags,guid\r\n"),
        ("deck-anki.txt", "#separator:tab\n"),
    ] {
        let out = dir.path().join(name);
        let o = run(&["build", s(&input), "-o", s(&out)]);
        assert_code(&o, 0);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with(starts), "{name}: {text}");
    }
    // .tsv and .quizlet are both Quizlet; the build says how to import it.
    for name in ["deck.tsv", "deck.quizlet"] {
        let o = run(&["build", s(&input), "-o", s(&dir.path().join(name))]);
        assert_code(&o, 0);
        let err = stderr(&o);
        assert!(err.contains("Between term and definition: Tab"), "{err}");
        assert!(err.contains("Between rows: New line"), "{err}");
    }
}

#[test]
fn unknown_extension_is_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deck.docx");
    let o = run(&["build", "input/sino-soviet.txt", "-o", s(&out)]);
    assert_code(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("deck.docx"), "{err}");
    assert!(err.contains("--format"), "{err}");
    assert!(!out.exists());
}

#[test]
fn format_flag_wins_over_the_extension_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deck.json");
    let o = run(&[
        "build",
        "input/sino-soviet.txt",
        "--format",
        "csv",
        "-o",
        s(&out),
    ]);
    assert_code(&o, 0);
    assert!(stderr(&o).contains("whose extension suggests json"));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("question,"));
}

#[test]
fn dash_writes_json_to_stdout_by_default() {
    let o = run(&["build", "input/sino-soviet.txt", "-o", "-"]);
    assert_code(&o, 0);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(doc["cards"].is_array());
    assert!(stderr(&o).contains("built standard output:"));
}

#[test]
fn out_dir_writes_one_file_per_input() {
    let dir = tempfile::tempdir().unwrap();
    let a = notes_in(dir.path(), "a.txt");
    let b = notes_in(dir.path(), "b.txt");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let o = run(&[
        "build",
        s(&a),
        s(&b),
        "--out-dir",
        s(&out),
        "--format",
        "csv",
    ]);
    assert_code(&o, 0);
    assert_eq!(entries(&out), ["a.csv", "b.csv"]);
}

#[test]
fn two_inputs_with_one_stem_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("x")).unwrap();
    let a = notes_in(dir.path(), "deck.txt");
    let b = notes_in(&dir.path().join("x"), "deck.md");
    let o = run(&[
        "build",
        s(&a),
        s(&b),
        "--out-dir",
        s(dir.path()),
        "--format",
        "json",
    ]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("two inputs would both be written"));
    assert!(!dir.path().join("deck.json").exists());
}

#[test]
fn one_output_for_several_inputs_is_refused() {
    let o = run(&[
        "build",
        "input/sino-soviet.txt",
        "input/sino-soviet.txt",
        "-o",
        "x.json",
    ]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("--out-dir"));
}

#[test]
fn output_over_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = notes_in(dir.path(), "notes.txt");
    let before = std::fs::read(&input).unwrap();
    let o = run(&["build", s(&input), "-o", s(&input)]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("refusing to write the output over the input"));
    assert_eq!(std::fs::read(&input).unwrap(), before);
    // Also through another spelling of the same path.
    let o = run_in(
        Some(dir.path()),
        &[
            "build",
            "notes.txt",
            "-o",
            "./notes.txt",
            "--format",
            "anki",
        ],
    );
    assert_code(&o, 2);
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn missing_output_directory_is_one_line_saying_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    for args in [
        vec!["-o".to_string(), s(&missing.join("deck.csv")).to_string()],
        vec!["--out-dir".to_string(), s(&missing).to_string()],
    ] {
        let mut all = vec!["build".to_string(), "input/sino-soviet.txt".to_string()];
        all.extend(args);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let o = run(&all);
        assert_code(&o, 2);
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("does not exist; create it first"), "{err}");
    }
    assert!(!missing.exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_clear_error() {
    let o = run(&[
        "build",
        "input/sino-soviet.txt",
        "--format",
        "json",
        "-o",
        "/dev/full",
    ]);
    assert_code(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("cannot write `/dev/full`"), "{err}");
    assert_eq!(err.matches("os error").count(), 1, "{err}");
    assert!(!std::fs::metadata("/dev/full").unwrap().is_file());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let input = notes_in(dir.path(), "notes.txt");
    let out = dir.path().join("deck.csv");
    assert_code(&run(&["build", s(&input), "-o", s(&out)]), 0);
    let before = std::fs::read(&out).unwrap();
    // Undecodable input: the build cannot run.
    std::fs::write(&input, b"What is this?\n\xff\xfe broken\n").unwrap();
    let o = run(&["build", s(&input), "-o", s(&out)]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("not valid UTF-8"));
    assert_eq!(std::fs::read(&out).unwrap(), before);
    assert_eq!(entries(dir.path()), ["deck.csv", "notes.lock", "notes.txt"]);
}

#[test]
fn every_text_format_is_byte_identical_across_builds() {
    let dir = tempfile::tempdir().unwrap();
    let input = notes_in(dir.path(), "notes.txt");
    for format in ["anki", "csv", "quizlet", "json"] {
        let mut outputs = Vec::new();
        for name in ["first", "second"] {
            let out = dir.path().join(format!("{name}-{format}.out"));
            let o = run(&["build", s(&input), "--format", format, "-o", s(&out)]);
            assert_code(&o, 0);
            outputs.push(std::fs::read(&out).unwrap());
        }
        assert_eq!(outputs[0], outputs[1], "{format}");
        // And standard output carries the same bytes as the file.
        let o = run(&["build", s(&input), "--format", format, "-o", "-"]);
        assert_code(&o, 0);
        assert_eq!(o.stdout, outputs[0], "{format} on stdout");
    }
}

#[test]
fn summary_line_counts_cards() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deck.json");
    let o = run(&["build", "input/sino-soviet.txt", "-o", s(&out)]);
    assert_code(&o, 0);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let n = doc["cards"].as_array().unwrap().len();
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| l.starts_with("built "))
        .unwrap_or_else(|| panic!("no summary in {err}"));
    let prefix = format!(
        "built {}: {n} card{}",
        out.display(),
        if n == 1 { "" } else { "s" }
    );
    assert!(line.starts_with(&prefix), "{line}");
    assert!(line.ends_with(" ms"), "{line}");
}

#[test]
fn bad_quizlet_separators_are_usage_errors() {
    let o = run(&[
        "build",
        "input/sino-soviet.txt",
        "--format",
        "quizlet",
        "-o",
        "-",
        "--term-separator",
        ";",
        "--card-separator",
        ";",
    ]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("overlap"));
    assert!(o.stdout.is_empty());
}

#[test]
fn custom_quizlet_separators_are_echoed_for_the_dialog() {
    let o = run(&[
        "build",
        "input/sino-soviet.txt",
        "--format",
        "quizlet",
        "-o",
        "-",
        "--term-separator",
        "::",
        "--card-separator",
        ";",
    ]);
    assert_code(&o, 0);
    let err = stderr(&o);
    assert!(
        err.contains("Between term and definition: Custom: ::"),
        "{err}"
    );
    assert!(err.contains("Between rows: Semicolon"), "{err}");
}
