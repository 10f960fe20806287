//! Tooling around `build`: folders of notes, `--bundle`, parallel builds
//! identical to sequential ones, terminal manners, completions and man
//! page, `init`, `--watch`, and the examples (which must never rot).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Copies the directory tree `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Every file under `dir` (relative path → bytes), sorted.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn go(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                go(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    go(dir, dir, &mut out);
    out.sort();
    out
}

/// Names of the files under `dir`.
fn names(dir: &Path) -> Vec<String> {
    files(dir).into_iter().map(|(n, _)| n).collect()
}

/// A notes tree in a fresh temporary directory (with a `.git` so no
/// `deckc.toml` from outside applies): the multi-deck example, the
/// reference notes (with its warnings), and generated files.
fn notes_tree() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let notes = dir.path().join("notes");
    copy_tree(&root().join("examples/multi-deck"), &notes);
    std::fs::copy(reference(), notes.join("history/sino-soviet.txt")).unwrap();
    for i in 0..12 {
        let mut text = format!("Generated {i} Flashcards\n");
        for j in 0..30 {
            text.push_str(&format!("Q: What is {i} times {j}?\nA: {}\n", i * j));
        }
        std::fs::write(notes.join(format!("science/gen-{i:02}.txt")), text).unwrap();
    }
    (dir, notes)
}

/// Stderr without the timings ("in 4 ms"), which differ from run to run.
fn untimed(text: &str) -> String {
    text.lines()
        .map(|l| match l.rfind(" in ") {
            Some(i) if l.ends_with(" ms") => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn parallel_build_is_byte_identical_to_sequential() {
    let (dir, _notes) = notes_tree();
    let mut runs = Vec::new();
    // Both builds write to the same place, so even the messages that name
    // the outputs must match.
    let out = dir.path().join("out");
    for jobs in ["1", "4"] {
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir(&out).unwrap();
        let o = run_in(
            Some(dir.path()),
            &[
                "build",
                "notes",
                "--out-dir",
                "out",
                "--format",
                "json",
                "--no-lock",
                "--jobs",
                jobs,
                "--message-format",
                "json",
            ],
        );
        assert_code(&o, 0);
        runs.push((files(&out), stdout(&o), untimed(&stderr(&o))));
    }
    let (seq, par) = (&runs[0], &runs[1]);
    assert_eq!(seq.0.len(), 17, "{:?}", names(&out));
    assert!(
        seq.0 == par.0,
        "outputs differ between --jobs 1 and --jobs 4"
    );
    // Diagnostics (the reference notes' six warnings) in the same order.
    assert_eq!(seq.1.lines().count(), par.1.lines().count());
    assert!(seq.1.contains("conflicting-dates"), "{}", seq.1);
    assert_eq!(seq.1, par.1);
    assert_eq!(seq.2, par.2);
    assert!(
        seq.2
            .ends_with("built 17 files: 387 cards, 6 warnings, 3 notes"),
        "{}",
        seq.2
    );
}

#[test]
fn a_folder_mirrors_under_out_dir_skipping_hidden_lock_and_output_files() {
    let (dir, notes) = notes_tree();
    std::fs::write(notes.join(".hidden.txt"), "Q: x?\nA: y\n").unwrap();
    std::fs::write(notes.join("~$office-lock.txt"), "Q: x?\nA: y\n").unwrap();
    std::fs::write(notes.join("history/cold-war.lock"), "version 1\n").unwrap();
    // An output folder inside the notes is never read back as notes.
    let out = notes.join("dist");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("old.csv"), "question,answer\nq,a\n").unwrap();
    let o = run_in(
        Some(dir.path()),
        &[
            "build",
            "notes",
            "--out-dir",
            "notes/dist",
            "--format",
            "csv",
            "--no-lock",
        ],
    );
    assert_code(&o, 0);
    let got = names(&out);
    assert!(got.contains(&"history/cold-war.csv".to_string()), "{got:?}");
    assert!(got.contains(&"languages/french.csv".to_string()), "{got:?}");
    assert!(got.contains(&"science/gen-11.csv".to_string()), "{got:?}");
    assert!(!got
        .iter()
        .any(|n| n.contains("hidden") || n.contains("office") || n.starts_with("dist/")));
    assert_eq!(got.len(), 18, "{got:?}"); // 17 built + the old file
}

#[test]
fn a_folder_needs_an_output_directory() {
    let (dir, _notes) = notes_tree();
    let o = run_in(Some(dir.path()), &["build", "notes", "--format", "json"]);
    assert_code(&o, 2);
    assert!(
        stderr(&o).contains("needs an output directory"),
        "{}",
        stderr(&o)
    );
    let o = run_in(Some(dir.path()), &["build", "notes", "-o", "x.json"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("--bundle"), "{}", stderr(&o));
}

#[test]
fn bundle_makes_one_deck_with_a_subdeck_per_file() {
    let (dir, notes) = notes_tree();
    std::fs::remove_file(notes.join("history/sino-soviet.txt")).unwrap();
    let o = run_in(
        Some(dir.path()),
        &[
            "build",
            "notes",
            "--bundle",
            "-o",
            "all.json",
            "--jobs",
            "3",
            "--no-lock",
        ],
    );
    assert_code(&o, 0);
    assert!(
        stderr(&o).contains("built all.json: 372 cards from 16 files"),
        "{}",
        stderr(&o)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("all.json")).unwrap()).unwrap();
    assert_eq!(json["deck"], "notes");
    let cards = json["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 372);
    // Input order: history/ first, then languages/, then science/.
    assert_eq!(cards[0]["question"], "Define the Cold War");
    assert_eq!(cards[0]["deck"], "notes::history::Cold War");
    let decks: std::collections::BTreeSet<&str> =
        cards.iter().map(|c| c["deck"].as_str().unwrap()).collect();
    assert!(decks.contains("notes::history::World War One"), "{decks:?}");
    assert!(decks.contains("notes::languages::french"), "{decks:?}");
    assert!(decks.contains("notes::science::Generated 3"), "{decks:?}");
    // --deck names the bundle.
    let o = run_in(
        Some(dir.path()),
        &[
            "build", "notes", "--bundle", "--deck", "School", "--format", "json", "-o", "-",
        ],
    );
    assert_code(&o, 0);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["cards"][0]["deck"], "School::history::Cold War");
}

#[test]
fn bundle_reports_the_same_card_in_two_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("n")).unwrap();
    std::fs::write(
        dir.path().join("n/a.txt"),
        "Q: Capital of France?\nA: Paris\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("n/b.txt"),
        "Q: Other?\nA: x\nQ: capital of france?\nA: Paris\n",
    )
    .unwrap();
    let o = run_in(
        Some(dir.path()),
        &["build", "n", "--bundle", "-o", "all.csv", "--no-lock"],
    );
    assert_code(&o, 0);
    let err = stderr(&o);
    assert!(
        err.contains("warning: n/b.txt:3 and n/a.txt:1 have the same GUID"),
        "{err}"
    );
    assert!(err.contains("1 warning"), "{err}");
    let o = run_in(
        Some(dir.path()),
        &[
            "build",
            "n",
            "--bundle",
            "-o",
            "all.csv",
            "--no-lock",
            "-D",
            "warnings",
        ],
    );
    assert_code(&o, 1);
}

#[test]
fn quiet_prints_only_errors_and_verbose_says_more() {
    let out = tempfile::tempdir().unwrap();
    let o_path = out.path().join("deck.json");
    let quiet = run(&[
        "build",
        "input/sino-soviet.txt",
        "-o",
        s(&o_path),
        "--no-lock",
        "-q",
    ]);
    assert_code(&quiet, 0);
    assert_eq!(stderr(&quiet), "");
    let loud = run(&[
        "build",
        "input/sino-soviet.txt",
        "-o",
        s(&o_path),
        "--no-lock",
        "-v",
    ]);
    assert_code(&loud, 0);
    let err = stderr(&loud);
    assert!(
        err.contains("note: input/sino-soviet.txt: notes syntax, 15 cards"),
        "{err}"
    );
    assert!(err.contains("warning[conflicting-dates]") || err.contains("conflicting-dates"));
    // Errors still show under --quiet.
    let denied = run(&[
        "build",
        "input/sino-soviet.txt",
        "-o",
        s(&o_path),
        "--no-lock",
        "-q",
        "-D",
        "warnings",
    ]);
    assert_code(&denied, 1);
    assert!(
        stderr(&denied).contains("not writing"),
        "{}",
        stderr(&denied)
    );
}

#[test]
fn colors_follow_the_flag_and_no_color() {
    let out = tempfile::tempdir().unwrap();
    let o_path = out.path().join("deck.json");
    let args = [
        "build",
        "input/sino-soviet.txt",
        "-o",
        s(&o_path),
        "--no-lock",
    ];
    let plain = run(&args); // NO_COLOR=1, stderr not a terminal
    assert!(!stderr(&plain).contains('\x1b'), "{}", stderr(&plain));
    let mut always = args.to_vec();
    always.extend(["--color", "always"]);
    let colored = run(&always);
    assert!(
        stderr(&colored).contains("\x1b[1;32mbuilt\x1b[0m"),
        "{}",
        stderr(&colored)
    );
    // Not a terminal: no progress bar, no carriage returns.
    assert!(!stderr(&plain).contains('\r'));
}

#[test]
fn bash_completion_parses_and_names_the_subcommands() {
    let o = run(&["completions", "bash"]);
    assert_code(&o, 0);
    let script = stdout(&o);
    for sub in [
        "build",
        "check",
        "fmt",
        "explain",
        "init",
        "completions",
        "man",
    ] {
        assert!(script.contains(sub), "{sub}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deckc.bash");
    std::fs::write(&path, &script).unwrap();
    let bash = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(
        bash.status.success(),
        "{}",
        String::from_utf8_lossy(&bash.stderr)
    );
    for shell in ["zsh", "fish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_code(&o, 0);
        assert!(stdout(&o).contains("out-dir"), "{shell}");
    }
    assert_code(&run(&["completions", "tcsh"]), 2);
}

#[test]
fn man_page_is_roff_for_deckc() {
    let o = run(&["man"]);
    assert_code(&o, 0);
    let page = stdout(&o);
    assert!(
        page.starts_with(".ie") || page.contains(".TH deckc"),
        "{page}"
    );
    assert!(page.contains("build"), "{page}");
}

#[test]
fn init_writes_a_starter_that_builds_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let o = run_in(Some(dir.path()), &["init", "course"]);
    assert_code(&o, 0);
    let course = dir.path().join("course");
    assert!(course.join("deckc.toml").is_file());
    let o = run_in(
        Some(dir.path()),
        &[
            "build",
            "course/notes.txt",
            "--format",
            "json",
            "-o",
            "-",
            "-D",
            "warnings",
        ],
    );
    assert_code(&o, 0);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["cards"].as_array().unwrap().len(), 4);
    // A second init refuses and leaves the files as they are.
    std::fs::write(course.join("notes.txt"), "mine\n").unwrap();
    let o = run_in(Some(dir.path()), &["init", "course"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("not overwriting"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(course.join("notes.txt")).unwrap(),
        "mine\n"
    );
}

/// Kills the child when the test ends, even on a failed assertion.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits (up to 10 s) until `check` holds for the file's text.
fn wait_for(path: &Path, check: impl Fn(&str) -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if std::fs::read_to_string(path).is_ok_and(|t| check(&t)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn watch_rebuilds_after_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "Q: First question?\nA: one\n").unwrap();
    let out = dir.path().join("out.json");
    let _child = Killed(
        Command::new(bin())
            .args(["build", "notes.txt", "-o", "out.json", "--watch"])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("watch.log")).unwrap())
            .spawn()
            .unwrap(),
    );
    assert!(
        wait_for(&out, |t| t.contains("First question")),
        "no first build"
    );
    // Let the first build's own writes pass before editing.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(
        &notes,
        "Q: First question?\nA: one\nQ: Second question?\nA: two\n",
    )
    .unwrap();
    assert!(
        wait_for(&out, |t| t.contains("Second question")),
        "the edit was not picked up; deckc said:\n{}",
        std::fs::read_to_string(dir.path().join("watch.log")).unwrap_or_default()
    );
}

#[test]
fn every_example_builds_clean() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let examples = dir.path().join("examples");
    copy_tree(&root().join("examples"), &examples);
    let _ = std::fs::remove_dir_all(examples.join("dist"));
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let o = run_in(
        Some(dir.path()),
        &[
            "build",
            "examples",
            "--out-dir",
            "out",
            "--format",
            "json",
            "-v",
        ],
    );
    assert_code(&o, 0);
    let err = stderr(&o);
    // examples/deckc.toml denies warnings, so a clean exit means no warning.
    assert!(!err.contains("warning"), "{err}");
    for (file, syntax) in [
        ("syntaxes/notes.txt", "notes"),
        ("syntaxes/qa.txt", "qa"),
        ("syntaxes/blocks.txt", "blocks"),
        ("syntaxes/delimited.tsv", "delimited"),
        ("syntaxes/markdown.md", "markdown"),
        ("syntaxes/canonical.deck", "canonical"),
    ] {
        let line = format!("examples/{file}: {syntax} syntax");
        assert!(err.contains(&line), "{line}\n{err}");
    }
    for (name, bytes) in files(&out) {
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let cards = json["cards"].as_array().unwrap();
        assert!(cards.len() >= 2, "{name}");
        assert!(cards.iter().all(|c| c["tags"]
            .as_array()
            .unwrap()
            .contains(&"deckc-example".into())));
    }
}

/// The `run: deckc …` lines of the example workflow.
fn workflow_commands() -> Vec<Vec<String>> {
    let yaml = std::fs::read_to_string(root().join("examples/github-workflow.yml")).unwrap();
    yaml.lines()
        .filter_map(|l| l.trim().strip_prefix("run: deckc "))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_example_workflow_commands_work_as_written() {
    let commands = workflow_commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    copy_tree(&root().join("examples"), &dir.path().join("examples"));
    let _ = std::fs::remove_dir_all(dir.path().join("examples/dist"));
    for command in &commands {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let o = run_in(Some(dir.path()), &args);
        assert_code(&o, 0);
        if args.contains(&"check") {
            assert_eq!(stdout(&o), "", "no annotations on the examples");
        }
    }
    // The committed lock files were up to date, so --locked passed and the
    // upload path holds one output per notes file.
    assert_eq!(names(&dir.path().join("examples/dist")).len(), 4);
}

#[test]
fn a_bundle_package_has_a_nested_deck_per_file() {
    let (dir, notes) = notes_tree();
    std::fs::remove_file(notes.join("history/sino-soviet.txt")).unwrap();
    let o = run_in(
        Some(dir.path()),
        &["build", "notes", "--bundle", "-o", "all.apkg", "--no-lock"],
    );
    assert_code(&o, 0);
    let o = run_in(
        Some(dir.path()),
        &["inspect", "all.apkg", "--format", "json"],
    );
    assert_code(&o, 0);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let decks: Vec<(String, u64)> = json["decks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_string(),
                d["cards"].as_u64().unwrap(),
            )
        })
        .collect();
    let count = |name: &str| decks.iter().find(|d| d.0 == name).map(|d| d.1);
    assert_eq!(count("notes::history::Cold War"), Some(3), "{decks:?}");
    assert_eq!(count("notes::languages::french"), Some(4), "{decks:?}");
    assert_eq!(count("notes::science::Generated 0"), Some(30), "{decks:?}");
    assert_eq!(decks.iter().map(|d| d.1).sum::<u64>(), 372);
}
