//! Every command the README and `docs/*.md` show in a fenced `sh` block is
//! run through the real binary, as a new user following the docs would run
//! it, so the docs cannot rot.
//!
//! Each document's commands run in order in a fresh scratch folder holding
//! copies of the repository's `input/` and `examples/`, plus the files the
//! docs tell the reader to make: `cold-war.txt` (their own notes: the
//! example `examples/multi-deck/history/cold-war.txt`) and `notes/` (their
//! folder of decks: `examples/multi-deck/`, with `examples/deckc.toml` as
//! its settings). `deckc …` and
//! `cargo run --release -- …` lines run the binary; a trailing `# comment`
//! is dropped; `mkdir -p DIR` makes the folder; `> FILE` is replaced by capturing standard output (the docs
//! write completions and man pages into system folders). A command must
//! exit 0, or 1 only where [`MAY_FAIL`] says the doc means it to.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::*;

/// Commands that are not deckc invocations, or that only name a shape
/// (placeholders), and why they are not run.
const SKIPPED: &[(&str, &str)] = &[("cargo test", "runs the test suite itself")];

/// Command prefixes that are not run, with the reason.
const SKIPPED_PREFIXES: &[(&str, &str)] = &[
    (
        "python3 benches/",
        "benchmarks take minutes and are never part of the tests",
    ),
    (
        "PROPTEST_CASES=",
        "the long fuzzing run is what the default test run shortens",
    ),
];

/// Words that mark a command as a placeholder to fill in, not one to run.
const PLACEHOLDERS: &[&str] = &[
    "NOTES",
    "DECK.apkg",
    "…",
    "INPUT",
    "CODE",
    "FOLDER",
    "SHELL",
    "OUT",
    "DIR",
];

/// Commands whose doc says they fail (exit 1) on lint findings, with why.
const MAY_FAIL: &[(&str, &str)] = &[(
    "deckc check -D warnings --message-format github notes/",
    "docs/ci.md: `-D warnings` fails the CI job on any warning (the examples \
     hold planted mistakes)",
)];

/// One runnable command from a doc.
#[derive(Debug)]
struct DocCommand {
    doc: String,
    line: usize,
    text: String,
    args: Vec<String>,
    /// `> FILE` was given: standard output is the product.
    redirected: bool,
}

/// Splits a command line into words, honouring '…' and "…" quoting.
/// Returns `None` on shell syntax this runner does not model.
fn words(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    in_word = true;
                }
                c if c.is_whitespace() => {
                    if in_word {
                        out.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                '|' | '&' | ';' | '$' | '`' | '<' | '(' | ')' => return None,
                c => {
                    word.push(c);
                    in_word = true;
                }
            },
        }
    }
    if quote.is_some() {
        return None;
    }
    if in_word {
        out.push(word);
    }
    Some(out)
}

/// The `sh` commands of one Markdown file, with their 1-based lines.
fn commands_in(doc: &str, text: &str) -> Vec<DocCommand> {
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut in_fence = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(info) = line.strip_prefix("```") {
            if in_fence {
                in_fence = false;
                in_sh = false;
            } else {
                in_fence = true;
                in_sh = matches!(info.trim(), "sh" | "bash" | "shell");
            }
            continue;
        }
        if !in_sh || line.is_empty() || line.starts_with('#') {
            continue;
        }
        // A ` #` starts a comment (no command shown uses `#` otherwise).
        let command = line.split(" #").next().unwrap_or(line).trim().to_string();
        if SKIPPED.iter().any(|(c, _)| *c == command)
            || SKIPPED_PREFIXES.iter().any(|(p, _)| command.starts_with(p))
        {
            continue;
        }
        assert!(
            command.starts_with("deckc ")
                || command.starts_with("cargo run --release -- ")
                || command.starts_with("mkdir -p "),
            "{doc}:{}: `{command}` is neither a deckc command, `mkdir -p` nor in SKIPPED",
            i + 1
        );
        if PLACEHOLDERS
            .iter()
            .any(|p| command.split_whitespace().any(|w| w.contains(p)))
        {
            continue;
        }
        let mut ws = words(&command).unwrap_or_else(|| {
            panic!(
                "{doc}:{}: `{command}` uses shell syntax this test does not run",
                i + 1
            )
        });
        let redirected = ws.len() >= 2 && ws[ws.len() - 2] == ">";
        if redirected {
            ws.truncate(ws.len() - 2);
        }
        // `mkdir -p DIR` keeps its program name: the runner makes the folder.
        let args = match ws.iter().position(|w| w == "--") {
            Some(dash) if ws[0] == "cargo" => ws[dash + 1..].to_vec(),
            _ if ws[0] == "mkdir" => ws,
            _ => ws[1..].to_vec(),
        };
        out.push(DocCommand {
            doc: doc.to_string(),
            line: i + 1,
            text: command,
            args,
            redirected,
        });
    }
    out
}

/// README.md and every `docs/*.md`, in name order.
fn docs() -> Vec<(String, String)> {
    let mut paths = vec![root().join("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    more.sort();
    paths.extend(more);
    paths
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root()).unwrap().display().to_string();
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// A fresh folder laid out as the docs assume.
fn scene() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&root().join("input"), &d.join("input"));
    copy_dir(&root().join("examples"), &d.join("examples"));
    copy_dir(&root().join("examples/multi-deck"), &d.join("notes"));
    // A notes repository has its settings at the top (docs/ci.md: "writes
    // what `[build]` in deckc.toml asks for").
    std::fs::copy(
        root().join("examples/deckc.toml"),
        d.join("notes/deckc.toml"),
    )
    .unwrap();
    std::fs::copy(
        root().join("examples/multi-deck/history/cold-war.txt"),
        d.join("cold-war.txt"),
    )
    .unwrap();
    std::fs::copy(
        root().join("examples/multi-deck/history/cold-war.lock"),
        d.join("cold-war.lock"),
    )
    .unwrap();
    dir
}

#[test]
fn the_shell_splitter_and_extractor_are_faithful() {
    assert_eq!(
        words(r#"deckc build notes/ --deck "Year 12" -o 'a b.apkg'"#).unwrap(),
        ["deckc", "build", "notes/", "--deck", "Year 12", "-o", "a b.apkg"]
    );
    assert!(words("deckc check x | tee log").is_none());
    let md = "text\n```sh\ncargo run --release -- build a.txt -o a.apkg\n\
              deckc build NOTES -o DECK.apkg\ndeckc man > /x/deckc.1   # man page\n```\n\
              ```text\ndeckc build shown-not-run.txt\n```\n";
    let found = commands_in("x.md", md);
    let got: Vec<(usize, Vec<String>, bool)> = found
        .into_iter()
        .map(|c| (c.line, c.args, c.redirected))
        .collect();
    assert_eq!(
        got,
        [
            (
                3,
                vec!["build".into(), "a.txt".into(), "-o".into(), "a.apkg".into()],
                false
            ),
            (5, vec!["man".into()], true),
        ]
    );
}

#[test]
fn every_documented_command_works_as_written() {
    let mut ran = 0;
    for (doc, text) in docs() {
        let commands = commands_in(&doc, &text);
        if commands.is_empty() {
            continue;
        }
        let dir = scene();
        for c in &commands {
            let words: Vec<&str> = c.args.iter().map(String::as_str).collect();
            if let ["mkdir", "-p", dirs @ ..] = &words[..] {
                for d in dirs {
                    std::fs::create_dir_all(dir.path().join(d)).unwrap();
                }
                continue;
            }
            let o = Command::new(bin())
                .args(&c.args)
                .current_dir(dir.path())
                .env("NO_COLOR", "1")
                .stdin(Stdio::null())
                .output()
                .expect("deckc runs");
            let allowed: &[i32] = if MAY_FAIL.iter().any(|(m, _)| *m == c.text) {
                &[0, 1]
            } else {
                &[0]
            };
            assert!(
                o.status.code().is_some_and(|code| allowed.contains(&code)),
                "{}:{}: `{}` exited {:?} (allowed {allowed:?})\nstdout:\n{}\nstderr:\n{}",
                c.doc,
                c.line,
                c.text,
                o.status.code(),
                stdout(&o),
                stderr(&o)
            );
            if c.redirected {
                assert!(
                    !o.stdout.is_empty(),
                    "{}:{}: `{}` printed nothing",
                    c.doc,
                    c.line,
                    c.text
                );
            }
            ran += 1;
        }
    }
    // README's quick start, getting started, CI and the note-type docs.
    assert!(ran >= 8, "only {ran} documented commands found");
}
