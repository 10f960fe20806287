//! The `.apkg` writer through the real binary: determinism, package layout,
//! media, and `deckc inspect` on deckc's own packages.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::*;

/// Copies fixtures into a scratch directory (deckc writes a lock file next
/// to the notes) and returns it.
fn scratch(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        std::fs::copy(fixture(&format!("apkg/{f}")), dir.path().join(f)).unwrap();
    }
    dir
}

fn build_apkg(dir: &Path, input: &str, out: &str) -> PathBuf {
    build_apkg_with(dir, input, out, &[])
}

/// [`build_apkg`] with more arguments (`--package legacy`).
fn build_apkg_with(dir: &Path, input: &str, out: &str, more: &[&str]) -> PathBuf {
    let mut args = vec!["build", input, "--syntax", "qa", "-o", out];
    args.extend_from_slice(more);
    let o = run_in(Some(dir), &args);
    assert_code(&o, 0);
    dir.join(out)
}

/// An entry of a newer package: zstd frames.
fn unzstd(bytes: &[u8]) -> Vec<u8> {
    zstd::decode_all(bytes).unwrap()
}

fn entries(apkg: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(apkg).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (e.name().to_string(), bytes)
        })
        .collect()
}

#[test]
fn building_twice_gives_identical_bytes() {
    let dir = scratch(&["history.txt"]);
    let a = std::fs::read(build_apkg(dir.path(), "history.txt", "a.apkg")).unwrap();
    let b = std::fs::read(build_apkg(dir.path(), "history.txt", "b.apkg")).unwrap();
    assert!(a.len() > 1000);
    assert_eq!(a, b);
}

/// `deckc build` writes a lone file's package beside its lints (`--jobs`
/// above the number of files) or after them (`--jobs 1`): the bytes must
/// not depend on which.
#[test]
fn package_is_the_same_whether_emitted_beside_the_lints_or_after() {
    let dir = scratch(&["history.txt", "media.txt", "map.png"]);
    for input in ["history.txt", "media.txt"] {
        let mut packages = Vec::new();
        for jobs in ["1", "2"] {
            let out = format!("{input}.{jobs}.apkg");
            let o = run_in(
                Some(dir.path()),
                &["build", input, "--syntax", "qa", "--jobs", jobs, "-o", &out],
            );
            assert_code(&o, 0);
            packages.push(std::fs::read(dir.path().join(out)).unwrap());
        }
        assert!(packages[0].len() > 1000, "{input}");
        assert!(packages[0] == packages[1], "{input}: --jobs 1 and 2 differ");
    }
}

/// A package made beside the lints is thrown away when they fail the
/// build: the previous output stays as it was, and no temporary file or
/// lock change is left behind.
#[test]
fn a_package_emitted_beside_failing_lints_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(reference(), dir.path().join("notes.txt")).unwrap();
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "notes.txt", "--jobs", "2", "-o", "deck.apkg"];
        args.extend_from_slice(extra);
        run_in(Some(dir.path()), &args)
    };
    assert_code(&build(&[]), 0);
    let before = std::fs::read(dir.path().join("deck.apkg")).unwrap();
    let lock = std::fs::read(dir.path().join("notes.lock")).unwrap();
    // Changed notes (new cards for the lock) that fail on their warnings.
    let mut text = std::fs::read_to_string(dir.path().join("notes.txt")).unwrap();
    text.push_str("\nWhat was added last?\nA new card\n");
    std::fs::write(dir.path().join("notes.txt"), text).unwrap();
    let o = build(&["-D", "warnings"]);
    assert_code(&o, 1);
    assert!(
        stderr(&o).contains("not writing `deck.apkg`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(dir.path().join("deck.apkg")).unwrap(), before);
    assert_eq!(std::fs::read(dir.path().join("notes.lock")).unwrap(), lock);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["deck.apkg", "notes.lock", "notes.txt"]);
}

#[test]
fn package_holds_collection_then_media_map() {
    let dir = scratch(&["history.txt"]);
    // By default the newer package: meta (version 3), the collection as
    // zstd, the media list.
    let apkg = build_apkg(dir.path(), "history.txt", "h.apkg");
    let e = entries(&apkg);
    let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["meta", "collection.anki21b", "media"]);
    assert_eq!(e[0].1, [0x08, 0x03]);
    assert!(unzstd(&e[1].1).starts_with(b"SQLite format 3\0"));
    assert_eq!(unzstd(&e[2].1), b"");
    // The legacy package.
    let more = ["--package", "legacy"];
    let apkg = build_apkg_with(dir.path(), "history.txt", "l.apkg", &more);
    let e = entries(&apkg);
    let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["collection.anki2", "media"]);
    assert!(e[0].1.starts_with(b"SQLite format 3\0"));
    assert_eq!(e[1].1, b"{}");
}

/// `package = "legacy"` in deckc.toml makes the legacy package, and
/// `--package` wins over it.
#[test]
fn the_package_kind_comes_from_the_flag_or_the_config() {
    let dir = scratch(&["history.txt"]);
    std::fs::write(
        dir.path().join("deckc.toml"),
        "[build]\npackage = \"legacy\"\n",
    )
    .unwrap();
    let first = |apkg: &Path| entries(apkg).remove(0).0;
    let apkg = build_apkg(dir.path(), "history.txt", "c.apkg");
    assert_eq!(first(&apkg), "collection.anki2");
    let more = ["--package", "latest"];
    let apkg = build_apkg_with(dir.path(), "history.txt", "f.apkg", &more);
    assert_eq!(first(&apkg), "meta");
    std::fs::write(
        dir.path().join("deckc.toml"),
        "[build]\npackage = \"newest\"\n",
    )
    .unwrap();
    let o = run_in(Some(dir.path()), &["build", "history.txt", "-o", "x.apkg"]);
    assert_code(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("`package` must be \"latest\" or \"legacy\""),
        "{err}"
    );
}

#[test]
fn media_is_packed_and_referenced() {
    let dir = scratch(&["media.txt", "map.png"]);
    let png = std::fs::read(fixture("apkg/map.png")).unwrap();
    // The legacy package: a JSON list, the file as it is (Deflate).
    let more = ["--package", "legacy"];
    let apkg = build_apkg_with(dir.path(), "media.txt", "l.apkg", &more);
    let e = entries(&apkg);
    let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["collection.anki2", "media", "0"]);
    assert_eq!(e[1].1, br#"{"0": "map.png"}"#);
    assert_eq!(e[2].1, png);
    // The newer package: a protobuf list (name, size, SHA-1), zstd files.
    let apkg = build_apkg(dir.path(), "media.txt", "m.apkg");
    let e = entries(&apkg);
    let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["meta", "collection.anki21b", "media", "0"]);
    let list = unzstd(&e[2].1);
    let mut entry = vec![0x0a, 7];
    entry.extend_from_slice(b"map.png");
    entry.push(0x10);
    let mut n = png.len();
    while n >= 0x80 {
        entry.push((n as u8) | 0x80);
        n >>= 7;
    }
    entry.push(n as u8);
    entry.extend_from_slice(&[0x1a, 20]);
    entry.extend_from_slice(&<sha1::Sha1 as sha1::Digest>::digest(&png));
    let mut expected = vec![0x0a, entry.len() as u8];
    expected.extend_from_slice(&entry);
    assert_eq!(list, expected);
    assert_eq!(unzstd(&e[3].1), png);
    let o = run(&["inspect", apkg.to_str().unwrap(), "--format", "json"]);
    assert_code(&o, 0);
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(p["media"], serde_json::json!(["map.png"]));
    let back = p["notes"][0]["fields"][1].as_str().unwrap();
    assert!(
        back.starts_with("<img src=\"map.png\" alt=\"map of Germany\">"),
        "{back}"
    );
}

#[test]
fn missing_or_unsafe_media_fails_the_build() {
    let dir = scratch(&["missing-media.txt"]);
    let o = run_in(
        Some(dir.path()),
        &[
            "build",
            "missing-media.txt",
            "--syntax",
            "qa",
            "-o",
            "x.apkg",
        ],
    );
    assert_code(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("missing-media"), "{err}");
    assert!(err.contains("nowhere.png"), "{err}");
    assert!(err.contains("../secret.png"), "{err}");
    assert!(!dir.path().join("x.apkg").exists());
}

#[test]
fn inspect_lists_our_own_package() {
    let dir = scratch(&["history.txt"]);
    let apkg = build_apkg(dir.path(), "history.txt", "h.apkg");
    let o = run(&["inspect", apkg.to_str().unwrap()]);
    assert_code(&o, 0);
    let table = stdout(&o);
    assert!(
        table.contains("collection.anki21b (schema 11), 3 notes, 3 cards"),
        "{table}"
    );
    assert!(table.contains("3 cards  Cold War"), "{table}");
    assert!(table.contains("deckc Basic"), "{table}");
    assert!(table.contains("Define détente"), "{table}");
    let o = run(&["inspect", apkg.to_str().unwrap(), "--format", "json"]);
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(p["notes"].as_array().unwrap().len(), 3);
    assert_eq!(
        p["notetypes"][0]["fields"],
        serde_json::json!(["Front", "Back"])
    );
}

#[test]
fn inspect_errors_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let not_zip = dir.path().join("notes.apkg");
    std::fs::write(&not_zip, "hello").unwrap();
    let o = run(&["inspect", not_zip.to_str().unwrap()]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("not a zip archive"), "{}", stderr(&o));
    assert_eq!(stderr(&o).trim().lines().count(), 1, "{}", stderr(&o));

    let empty_zip = dir.path().join("empty.apkg");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&empty_zip).unwrap());
    w.start_file("media", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.finish().unwrap();
    let o = run(&["inspect", empty_zip.to_str().unwrap()]);
    assert_code(&o, 2);
    assert!(
        stderr(&o).contains("no collection inside"),
        "{}",
        stderr(&o)
    );
}

/// The collection is built in a scratch file beside the output (or, for
/// standard output, in the temp directory): the build leaves nothing in
/// either, and when there is nowhere to put it the error says what to do.
#[test]
fn the_scratch_collection_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (tmp, outdir) = (dir.path().join("tmp"), dir.path().join("out"));
    std::fs::create_dir(&tmp).unwrap();
    std::fs::create_dir(&outdir).unwrap();
    let build = |tmpdir: &Path, out: &Path| {
        std::process::Command::new(bin())
            .args(["build", "--no-lock", "-q", "--format", "apkg"])
            .arg(reference())
            .arg("-o")
            .arg(out)
            .env("TMPDIR", tmpdir)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let names = |d: &Path| -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    let out = outdir.join("deck.apkg");
    assert_code(&build(&tmp, &out), 0);
    assert_eq!(names(&outdir), ["deck.apkg"]);
    assert!(names(&tmp).is_empty());
    // No temp directory is needed when the output is a file.
    let before = std::fs::read(&out).unwrap();
    assert_code(&build(&dir.path().join("missing"), &out), 0);
    assert_eq!(std::fs::read(&out).unwrap(), before);
    assert_eq!(names(&outdir), ["deck.apkg"]);
    // Standard output: the scratch file goes to the temp directory.
    let o = build(&tmp, Path::new("-"));
    assert_code(&o, 0);
    assert!(o.stdout == before);
    assert!(names(&tmp).is_empty());
    let o = build(&dir.path().join("missing"), Path::new("-"));
    assert_code(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("scratch collection") && err.contains("TMPDIR"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

/// `--compression` (or `compression` in deckc.toml) picks the level in
/// either kind of package: `best` is smaller than `fast`, the same notes
/// inside.
#[test]
fn compression_levels_change_the_size_not_the_notes() {
    let dir = scratch(&["history.txt"]);
    for kind in ["latest", "legacy"] {
        let size = |level: &str| {
            let out = format!("{kind}-{level}.apkg");
            let more = ["--package", kind, "--compression", level];
            let apkg = build_apkg_with(dir.path(), "history.txt", &out, &more);
            let o = run(&["inspect", apkg.to_str().unwrap(), "--format", "json"]);
            assert_code(&o, 0);
            let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            let len = std::fs::metadata(&apkg).unwrap().len();
            (len, p["notes"].clone())
        };
        let (fast, notes_fast) = size("fast");
        let (best, notes_best) = size("best");
        assert!(best < fast, "{kind}: best {best} bytes, fast {fast}");
        assert_eq!(notes_fast, notes_best, "{kind}");
    }
}
