//! `deckc.toml` through the binary: `[deck]` and `[build]` settings reach
//! the output, flags beat the file, and mistakes name the file, line and
//! column.

use std::path::Path;

use crate::common::*;

/// A project folder (its own repository root) holding `deckc.toml` and
/// `notes.txt`.
fn project(config: &str, notes: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join("deckc.toml"), config).unwrap();
    std::fs::write(dir.path().join("notes.txt"), notes).unwrap();
    dir
}

const NOTES: &str = "Cold War Flashcards\nQ: What did the 'Truman Doctrine' promise?\nA: support\n";

fn json_of(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "build",
        "notes.txt",
        "--format",
        "json",
        "-o",
        "-",
        "--no-lock",
    ];
    args.extend_from_slice(extra);
    let o = run_in(Some(dir), &args);
    assert_code(&o, 0);
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn deck_settings_reach_the_output() {
    let dir = project(
        "[deck]\nname = \"Superpowers\"\nparent = \"School::History\"\n\
         tags = [\"year-12\"]\nquotes = \"curly\"\n",
        NOTES,
    );
    let json = json_of(dir.path(), &[]);
    assert_eq!(json["deck"], "School::History::Superpowers");
    let card = &json["cards"][0];
    assert_eq!(card["deck"], "School::History::Superpowers");
    assert_eq!(card["tags"], serde_json::json!(["year-12"]));
    assert_eq!(card["question"], "What did the ‘Truman Doctrine’ promise?");
}

#[test]
fn flags_beat_the_file() {
    let dir = project(
        "[deck]\nname = \"Superpowers\"\nquotes = \"curly\"\n",
        NOTES,
    );
    let json = json_of(dir.path(), &["--deck", "Mine", "--quotes", "keep"]);
    assert_eq!(json["deck"], "Mine");
    assert_eq!(
        json["cards"][0]["question"],
        "What did the 'Truman Doctrine' promise?"
    );
}

#[test]
fn build_section_sets_formats_and_out_dir() {
    let dir = project(
        "[build]\nformats = [\"csv\", \"json\"]\nout-dir = \"dist\"\n",
        NOTES,
    );
    let o = run_in(Some(dir.path()), &["build", "notes.txt"]);
    assert_code(&o, 0);
    let dist = dir.path().join("dist");
    let csv = std::fs::read_to_string(dist.join("notes.csv")).unwrap();
    assert!(csv.starts_with("question,answer,tags,guid"), "{csv}");
    assert!(std::fs::read_to_string(dist.join("notes.json"))
        .unwrap()
        .contains("Truman"));
    // `-o` or `--format` replace the configured formats.
    let o = run_in(
        Some(dir.path()),
        &["build", "notes.txt", "--format", "quizlet"],
    );
    assert_code(&o, 0);
    assert!(dist.join("notes.tsv").is_file());
}

#[test]
fn mistakes_name_the_file_line_and_column() {
    for (config, place, words) in [
        (
            "[deck]\nname = \"x\"\ntags = [\"ok\", \"two words\"]\n",
            "deckc.toml:3:15: ",
            "single words",
        ),
        (
            "[build]\nformats = [\"pdf\"]\n",
            "deckc.toml:2:12: ",
            "unknown format `pdf`",
        ),
        (
            "[deck]\nparent = 3\n",
            "deckc.toml:2:10: ",
            "`parent` must be a string",
        ),
        (
            "\n\n[lints]\nno-such-rule = \"deny\"\n",
            "deckc.toml:4:1: ",
            "unknown lint",
        ),
        ("[dek]\n", "deckc.toml:1:2: ", "unknown section `dek`"),
        ("[deck\n", "deckc.toml:1:", ""),
    ] {
        let dir = project(config, NOTES);
        for command in ["build", "check"] {
            let o = run_in(
                Some(dir.path()),
                &[command, "notes.txt", "--format", "json", "-o", "-"]
                    [..if command == "build" { 6 } else { 2 }],
            );
            assert_code(&o, 2);
            let err = stderr(&o);
            assert!(
                err.contains(place) && err.contains(words),
                "{config}: {err}"
            );
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
}
