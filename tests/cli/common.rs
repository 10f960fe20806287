//! Helpers shared by the integration tests.

#![allow(dead_code)] // each theme uses a different subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Path of the built binary.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_deckc")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The reference notes.
pub fn reference() -> PathBuf {
    root().join("input/sino-soviet.txt")
}

/// Runs deckc with `args` in `cwd` (repository root when `None`), with a
/// fixed `SOURCE_DATE_EPOCH` and no colors.
pub fn run_in(cwd: Option<&Path>, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(cwd.map(Path::to_path_buf).unwrap_or_else(root))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("deckc runs")
}

pub fn run(args: &[&str]) -> Output {
    run_in(None, args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing stderr on failure.
pub fn assert_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "exit code\nstdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// Builds `input` as JSON on stdout and returns the parsed document.
pub fn build_json(input: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "build",
        input.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        "-",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert_code(&o, 0);
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}
