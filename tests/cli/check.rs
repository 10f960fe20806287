//! `deckc check` through the real binary: exit codes, lint levels from
//! flags and `deckc.toml`, the three output formats, colors, and `--fix`.

use std::path::Path;

use crate::common::*;

const PLACEHOLDER: &str = "tests/fixtures/lints/placeholder/notes.txt";

/// Copies a fixture into a fresh temporary directory (so a `deckc.toml`
/// or `--fix` there touches nothing in the repository).
fn temp_copy(fixture: &str, contents: Option<&[u8]>) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let bytes = match contents {
        Some(b) => b.to_vec(),
        None => std::fs::read(root().join(fixture)).unwrap(),
    };
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn check_in(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", "notes.txt"];
    args.extend_from_slice(extra);
    run_in(Some(dir), &args)
}

#[test]
fn warnings_exit_0_and_deny_warnings_exits_1() {
    let o = run(&["check", PLACEHOLDER]);
    assert_code(&o, 0);
    let err = stderr(&o);
    assert!(
        err.contains("warning[placeholder]: placeholder `TODO` left in the card"),
        "{err}"
    );
    assert!(err.contains("checked: 2 warnings"), "{err}");

    let o = run(&["check", PLACEHOLDER, "-D", "warnings"]);
    assert_code(&o, 1);
    assert!(stderr(&o).contains("error[placeholder]"), "{}", stderr(&o));

    let o = run(&["check", PLACEHOLDER, "-D", "placeholder"]);
    assert_code(&o, 1);
}

#[test]
fn allow_silences_a_rule() {
    let o = run(&["check", PLACEHOLDER, "-A", "placeholder", "-D", "warnings"]);
    assert_code(&o, 0);
    let err = stderr(&o);
    assert!(!err.contains("placeholder"), "{err}");
    assert!(err.contains("checked: no problems found"), "{err}");
}

#[test]
fn config_file_levels_apply_and_flags_override_them() {
    let (dir, _) = temp_copy(PLACEHOLDER, None);
    std::fs::write(
        dir.path().join("deckc.toml"),
        "[lints]\nplaceholder = \"deny\"\n",
    )
    .unwrap();
    let o = check_in(dir.path(), &[]);
    assert_code(&o, 1);
    assert!(stderr(&o).contains("error[placeholder]"), "{}", stderr(&o));

    let o = check_in(dir.path(), &["-W", "placeholder"]);
    assert_code(&o, 0);
    assert!(
        stderr(&o).contains("warning[placeholder]"),
        "{}",
        stderr(&o)
    );

    std::fs::write(
        dir.path().join("deckc.toml"),
        "[lints]\nplaceholder = \"allow\"\n",
    )
    .unwrap();
    let o = check_in(dir.path(), &[]);
    assert_code(&o, 0);
    assert!(!stderr(&o).contains("placeholder"), "{}", stderr(&o));
}

#[test]
fn config_file_in_a_parent_directory_applies() {
    let (dir, _) = temp_copy(PLACEHOLDER, None);
    let sub = dir.path().join("decks");
    std::fs::create_dir(&sub).unwrap();
    std::fs::rename(dir.path().join("notes.txt"), sub.join("notes.txt")).unwrap();
    std::fs::write(
        dir.path().join("deckc.toml"),
        "[lints]\nwarnings = \"deny\"\n",
    )
    .unwrap();
    let o = run_in(Some(dir.path()), &["check", "decks/notes.txt"]);
    assert_code(&o, 1);
}

#[test]
fn bad_config_exits_2_naming_file_line_and_column() {
    let (dir, _) = temp_copy(PLACEHOLDER, None);
    std::fs::write(
        dir.path().join("deckc.toml"),
        "[lints]\nplaceholder = \"deny\"\nno-such-rule = \"warn\"\n",
    )
    .unwrap();
    let o = check_in(dir.path(), &[]);
    assert_code(&o, 2);
    assert!(
        stderr(&o).contains("deckc.toml:3:1: unknown lint `no-such-rule`"),
        "{}",
        stderr(&o)
    );

    std::fs::write(
        dir.path().join("deckc.toml"),
        "[lints]\nplaceholder = \"loud\"\n",
    )
    .unwrap();
    let o = check_in(dir.path(), &[]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("deckc.toml:2:15: "), "{}", stderr(&o));
}

#[test]
fn json_lines_follow_the_contract() {
    let o = run(&["check", PLACEHOLDER, "--message-format", "json"]);
    assert_code(&o, 0);
    insta::assert_snapshot!(stdout(&o));
    // Human summaries stay off stderr in machine formats.
    assert_eq!(stderr(&o), "");
}

#[test]
fn github_format() {
    let o = run(&["check", PLACEHOLDER, "--message-format", "github"]);
    assert_code(&o, 0);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn human_format() {
    let o = run(&["check", PLACEHOLDER]);
    insta::assert_snapshot!(stderr(&o));
}

#[test]
fn colors_follow_the_flag() {
    let o = run(&["check", PLACEHOLDER, "--color", "always"]);
    assert!(stderr(&o).contains('\u{1b}'), "{}", stderr(&o));
    // NO_COLOR is set by the harness, and stderr is not a terminal.
    let o = run(&["check", PLACEHOLDER, "--color", "auto"]);
    assert!(!stderr(&o).contains('\u{1b}'));
    let o = run(&["check", PLACEHOLDER, "--color", "never"]);
    assert!(!stderr(&o).contains('\u{1b}'));
}

#[test]
fn fix_deletes_the_duplicate_card_keeping_bom_and_crlf() {
    let original = "\u{feff}Cold War Flashcards\r\nWhen was the Treaty signed?\r\n1950\r\n\
                    Who was Tito?\r\nYugoslav leader\r\nWhen was the Treaty signed?\r\n1950\r\n\
                    When did Stalin die?\r\n1953\r\n";
    let (dir, path) = temp_copy("", Some(original.as_bytes()));
    let o = check_in(dir.path(), &["--fix", "-A", "duplicate-id"]);
    assert_code(&o, 0);
    let err = stderr(&o);
    assert!(
        err.contains("fixed notes.txt:6: delete the repeated card on line 6 [duplicate-card]"),
        "{err}"
    );
    assert!(err.contains("fixed notes.txt: 1 fix applied"), "{err}");
    // Re-checked after fixing: the finding is gone.
    assert!(!err.contains("warning[duplicate-card]"), "{err}");
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        "\u{feff}Cold War Flashcards\r\nWhen was the Treaty signed?\r\n1950\r\n\
         Who was Tito?\r\nYugoslav leader\r\n\
         When did Stalin die?\r\n1953\r\n"
    );
    // A second run has nothing left to fix and leaves the file alone.
    let o = check_in(dir.path(), &["--fix"]);
    assert_code(&o, 0);
    assert!(!stderr(&o).contains("fixed"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixed);
}

#[test]
fn check_without_fix_never_writes() {
    let (dir, path) = temp_copy("tests/fixtures/lints/duplicate-card/notes.txt", None);
    let before = std::fs::read(&path).unwrap();
    let o = check_in(dir.path(), &[]);
    assert_code(&o, 0);
    assert!(
        stderr(&o).contains("warning[duplicate-card]"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
