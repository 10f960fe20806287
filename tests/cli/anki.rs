//! The real-Anki harness shared by the real-Anki test themes: a virtualenv
//! holding Anki's own code (`anki` from PyPI) and `tests/anki/verify.py`,
//! which drives it and prints JSON.
//!
//! The virtualenv lives in `<target>/anki-venv` (override with
//! `DECKC_ANKI_VENV`) and is created on first use. If it cannot be created
//! these tests fail loudly: they never skip.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::*;

/// What the virtualenv holds. Changing this list rebuilds it.
const REQUIREMENTS: &[&str] = &["anki==26.9.3", "genanki==0.13.1"];

/// The virtualenv directory: `DECKC_ANKI_VENV`, else `anki-venv` in the
/// cargo target directory (found from this test binary's path,
/// `<target>/debug/deps/cli-…`).
pub fn venv_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("DECKC_ANKI_VENV") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().expect("test binary path");
    let target = exe
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root().join("target"));
    target.join("anki-venv")
}

fn run_checked(cmd: &mut Command, what: &str) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}).\nThe real-Anki tests need Python 3 with venv and pip, and network \
         access to PyPI (or a pip cache).\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The virtualenv's Python, creating the virtualenv when missing. A marker
/// file written after a successful install says the venv is complete, so a
/// half-made one (an interrupted install) is rebuilt.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let dir = venv_dir();
        let marker = dir.join("deckc-requirements.txt");
        let wanted = REQUIREMENTS.join("\n");
        let python = dir.join("bin/python");
        if std::fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str())
            && python.exists()
        {
            return python;
        }
        let _ = std::fs::remove_dir_all(&dir);
        let py3 = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        run_checked(
            Command::new(&py3).args(["-m", "venv"]).arg(&dir),
            &format!("`{py3} -m venv {}`", dir.display()),
        );
        run_checked(
            Command::new(&python)
                .args(["-m", "pip", "install", "--quiet"])
                .args(REQUIREMENTS),
            &format!("pip install {}", REQUIREMENTS.join(" ")),
        );
        std::fs::write(&marker, wanted).expect("write venv marker");
        python
    })
}

/// Runs `tests/anki/verify.py` with `args` and parses its JSON.
pub fn verify(args: &[&Path], command: &str) -> Value {
    verify_with(command, args)
}

/// Runs `tests/anki/verify.py COMMAND ARGS...` and parses its JSON.
pub fn verify_with<S: AsRef<OsStr>>(command: &str, args: &[S]) -> Value {
    let out = Command::new(python())
        .arg(root().join("tests/anki/verify.py"))
        .arg(command)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run verify.py");
    assert!(
        out.status.success(),
        "verify.py {command} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: Value = serde_json::from_slice(&out.stdout).expect("verify.py prints JSON");
    assert_check_database(&value);
    value
}

/// Every package verify.py imported was also imported alone into a fresh
/// collection; Anki's Check Database must have found nothing to fix there,
/// nor in the collection the command ended with.
pub fn assert_check_database(out: &Value) {
    for check in out["package_checks"].as_array().into_iter().flatten() {
        assert_eq!(
            check["ok"], true,
            "Check Database on `{}` imported alone found problems: {}",
            check["package"], check["message"]
        );
    }
    if let Some(db) = out.get("check_database") {
        assert_eq!(
            db["ok"], true,
            "Check Database found problems: {}",
            db["message"]
        );
    }
}

/// Imports each package alone into a fresh collection and asserts that
/// Check Database finds nothing to fix; returns how many notes each
/// import added, in order.
pub fn check_database_alone(packages: &[PathBuf]) -> Vec<i64> {
    let out = verify_with("check-apkg", packages);
    let checks = out["package_checks"].as_array().expect("package_checks");
    assert_eq!(checks.len(), packages.len(), "{out}");
    checks.iter().map(|c| c["new"].as_i64().unwrap()).collect()
}

/// One step of a `verify.py session` on a fresh collection.
pub enum Step<'a> {
    /// Import a package as a learner's Anki does (update if newer).
    Import(&'a Path),
    /// Answer the card of the note with this GUID with Anki's scheduler.
    Review(&'a str),
}

/// Runs `steps` in order on one fresh collection; the JSON has `steps`
/// (each import's log counts), `notes` (with their cards' review state) and
/// `check_database`.
pub fn session(steps: &[Step<'_>]) -> Value {
    let args: Vec<String> = steps
        .iter()
        .map(|s| match s {
            Step::Import(p) => format!("import={}", p.display()),
            Step::Review(g) => format!("review={g}"),
        })
        .collect();
    let out = verify_with("session", &args);
    assert_eq!(
        out["check_database"]["ok"], true,
        "Check Database found problems: {}",
        out["check_database"]["message"]
    );
    out
}

/// The counts of the import that was step `i`.
pub fn import_counts(out: &Value, i: usize) -> (i64, i64, i64, i64) {
    let log = &out["steps"][i]["import"];
    assert!(
        log.is_object(),
        "step {i} is not an import: {}",
        out["steps"]
    );
    let n = |k: &str| log[k].as_i64().unwrap();
    (n("new"), n("updated"), n("duplicate"), n("conflicting"))
}

pub fn anki_notes(out: &Value) -> &Vec<Value> {
    out["notes"].as_array().unwrap()
}

pub fn note<'a>(out: &'a Value, guid: &str) -> &'a Value {
    anki_notes(out)
        .iter()
        .find(|n| n["guid"] == guid)
        .unwrap_or_else(|| panic!("no note {guid} in Anki"))
}

/// The review state of a note's only card, as Anki's scheduler left it.
pub fn history(card: &Value) -> Vec<(&'static str, i64)> {
    [
        "type", "queue", "due", "ivl", "reps", "lapses", "factor", "revlog",
    ]
    .iter()
    .map(|k| (*k, card[*k].as_i64().unwrap()))
    .collect()
}

pub fn only_card(note: &Value) -> &Value {
    let cards = note["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1, "{note}");
    &cards[0]
}
