//! Faults and races through the real binary: clear one-line errors (exit
//! 2) for every way input or output can fail, builds killed with SIGKILL
//! that leave the previous output intact, racing builds, and random hostile
//! files that never end in a signal.
//!
//! Errors already covered in `build.rs` (missing output directory,
//! `/dev/full` for JSON, output over the input) are not repeated here.

use std::path::Path;
use std::process::{Command, Stdio};

use proptest::prelude::*;

use crate::common::{assert_code, bin, run, run_in, stderr};
use crate::hostile::cases;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Files in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Asserts exit 2 with exactly one `error:` line containing every `needle`.
fn assert_one_line_error(o: &std::process::Output, needles: &[&str]) {
    assert_code(o, 2);
    let err = stderr(o);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    for n in needles {
        assert!(errors[0].contains(n), "missing `{n}` in {err}");
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false)
}

#[test]
fn invalid_utf8_names_file_line_and_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.txt");
    std::fs::write(&input, b"What is X?\r\nIt is \xc3\x28 here\n").unwrap();
    for cmd in ["build", "check", "fmt"] {
        let mut args = vec![cmd, s(&input)];
        if cmd == "build" {
            args.extend(["-o", "-"]);
        }
        let o = run(&args);
        assert_one_line_error(
            &o,
            &["bad.txt", "line 2", "byte offset 18", "re-save it as UTF-8"],
        );
    }
}

#[test]
fn a_missing_input_is_one_line_saying_what_to_do() {
    let o = run(&["build", "no/such/notes.txt", "-o", "-"]);
    assert_one_line_error(&o, &["no/such/notes.txt", "check that the path"]);
}

#[test]
fn a_directory_without_notes_given_as_input_is_one_line() {
    // A directory means the notes files inside it; an empty one is an error.
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["build", s(dir.path()), "-o", "-"]);
    assert_one_line_error(&o, &["no notes files in", "looked for"]);
}

#[cfg(unix)]
#[test]
fn an_unreadable_input_is_one_line() {
    use std::os::unix::fs::PermissionsExt;
    // A file that exists but cannot be read, even by root: reading
    // /proc/self/clear_refs fails with EINVAL.
    let o = run(&["build", "/proc/self/clear_refs", "-o", "-"]);
    assert_one_line_error(
        &o,
        &["cannot read `/proc/self/clear_refs`", "check that the path"],
    );
    // chmod 000 only blocks reads for an ordinary user; root reads anyway,
    // and then the build must simply work.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("notes.txt");
    std::fs::copy(crate::common::reference(), &input).unwrap();
    std::fs::set_permissions(&input, std::fs::Permissions::from_mode(0o000)).unwrap();
    let o = run(&[
        "build",
        s(&input),
        "--no-lock",
        "--format",
        "json",
        "-o",
        "-",
    ]);
    if is_root() {
        eprintln!(
            "running as root: chmod 000 does not block reading; checked that the build works"
        );
        assert_code(&o, 0);
    } else {
        assert_one_line_error(
            &o,
            &["cannot read", "Permission denied", "check that the path"],
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_directory_is_one_line_and_leaves_nothing() {
    // /proc refuses new files even to root: an honest read-only directory.
    for target in ["/proc/deck.json", "/proc/version"] {
        let o = run(&[
            "build",
            "input/sino-soviet.txt",
            "--no-lock",
            "--format",
            "json",
            "-o",
            target,
        ]);
        assert_one_line_error(
            &o,
            &[
                &format!("cannot write `{target}`"),
                "make the directory writable",
            ],
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_every_format_cleanly() {
    for format in ["anki", "csv", "quizlet", "json", "apkg"] {
        let o = run(&[
            "build",
            "input/sino-soviet.txt",
            "--no-lock",
            "--format",
            format,
            "-o",
            "/dev/full",
        ]);
        assert_one_line_error(&o, &["cannot write `/dev/full`"]);
    }
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_to_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("notes.txt");
    std::fs::copy(crate::common::reference(), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    std::os::unix::fs::symlink(&input, dir.path().join("deck.json")).unwrap();
    let o = run_in(Some(dir.path()), &["build", "notes.txt", "-o", "deck.json"]);
    assert_one_line_error(&o, &["refusing to write the output over the input"]);
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn an_output_below_a_file_says_it_is_not_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("afile");
    std::fs::write(&file, "x").unwrap();
    let named = format!("`{}` is not a directory", file.display());
    // Directly below the file, deeper below it, and as --out-dir.
    for args in [
        vec!["-o", s(&file.join("deck.json"))],
        vec!["-o", s(&file.join("a/b/deck.json"))],
        vec!["--out-dir", s(&file)],
        vec!["--out-dir", s(&file.join("sub"))],
    ] {
        let mut all = vec!["build", "input/sino-soviet.txt", "--no-lock"];
        all.extend(&args);
        let o = run(&all);
        assert_one_line_error(&o, &[&named, "write the output elsewhere"]);
        assert!(!stderr(&o).contains("mkdir"), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

/// A large QA deck: `cards` cards, each answer a few lines.
fn large_deck(cards: usize, variant: &str) -> String {
    let mut text = String::with_capacity(cards * 80);
    for i in 0..cards {
        text.push_str(&format!(
            "Q: What is item {i} of the {variant} list?\nA: It is entry {i}\n- with a second line {}\n\n",
            i * 7
        ));
    }
    text
}

/// Spawns `deckc build` without waiting.
fn spawn_build(cwd: &Path, args: &[&str]) -> std::process::Child {
    spawn_build_with_tmp(cwd, args, &std::env::temp_dir())
}

/// Spawns `deckc build` with `TMPDIR` set to `tmp`, without waiting.
fn spawn_build_with_tmp(cwd: &Path, args: &[&str], tmp: &Path) -> std::process::Child {
    Command::new(bin())
        .arg("build")
        .args(args)
        .current_dir(cwd)
        .env("TMPDIR", tmp)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Builds killed with SIGKILL at delays spread over a whole build leave the
/// previous output byte-identical (or, killed after the rename, the new
/// one complete); the next build leaves no temp file behind, and no build
/// (killed or not) leaves anything in the temp directory (`TMPDIR`).
fn killed_builds_lose_nothing(format: &str, cards: usize) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scratch = tempfile::tempdir().unwrap();
    let tmp = scratch.path();
    let out = format!("deck.{format}");
    let args = ["notes.txt", "--no-lock", "-o", out.as_str()];
    std::fs::write(d.join("notes.txt"), large_deck(cards, "old")).unwrap();
    assert_code(
        &run_in(Some(d), &["build", "notes.txt", "--no-lock", "-o", &out]),
        0,
    );
    let old = std::fs::read(d.join(&out)).unwrap();

    std::fs::write(d.join("notes.txt"), large_deck(cards, "new")).unwrap();
    // How long one whole build takes here, to spread the kills over it.
    let started = std::time::Instant::now();
    let mut child = spawn_build_with_tmp(
        d,
        &["notes.txt", "--no-lock", "-o", &format!("new.{format}")],
        tmp,
    );
    assert!(child.wait().unwrap().success());
    let full = started.elapsed();
    let new = std::fs::read(d.join(format!("new.{format}"))).unwrap();
    std::fs::remove_file(d.join(format!("new.{format}"))).unwrap();
    assert_ne!(old, new);

    let kills = 12u32;
    let mut killed_before_rename = 0;
    for k in 0..kills {
        std::fs::write(d.join(&out), &old).unwrap();
        let mut child = spawn_build_with_tmp(d, &args, tmp);
        std::thread::sleep(full * k / kills);
        let _ = child.kill(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let now = std::fs::read(d.join(&out)).unwrap();
        assert!(
            now == old || now == new,
            "kill {k}: the output is neither old nor new"
        );
        if now == old && !status.success() {
            killed_before_rename += 1;
        }
    }
    // Most kills land mid-build; one that never does tests nothing.
    assert!(killed_before_rename > 0, "no kill interrupted a build");
    assert_code(
        &run_in(Some(d), &["build", "notes.txt", "--no-lock", "-o", &out]),
        0,
    );
    assert_eq!(std::fs::read(d.join(&out)).unwrap(), new);
    assert_eq!(entries(d), [out.as_str(), "notes.txt"], "stray files");
    assert_eq!(entries(tmp), Vec::<String>::new(), "left in TMPDIR");
}

#[cfg(unix)]
#[test]
fn killed_json_builds_keep_the_previous_output() {
    killed_builds_lose_nothing("json", 30_000);
}

#[cfg(unix)]
#[test]
fn killed_apkg_builds_keep_the_previous_output() {
    killed_builds_lose_nothing("apkg", 8_000);
}

/// The `.apkg` writer needs no scratch space outside the output's
/// directory: with `TMPDIR` naming a directory that does not exist, every
/// format still builds, and nothing is created there. (A scratch file in
/// the temp directory would be left behind by a killed build.)
#[test]
fn builds_need_no_temp_directory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tmp = d.join("no-such-tmp");
    std::fs::write(d.join("notes.txt"), large_deck(500, "tmp")).unwrap();
    for format in ["apkg", "json", "csv", "anki", "quizlet"] {
        let out = format!("deck.{format}");
        let o = Command::new(bin())
            .args(["build", "notes.txt", "--no-lock", "--format", format, "-o"])
            .arg(&out)
            .current_dir(d)
            .env("TMPDIR", &tmp)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_code(&o, 0);
        assert!(d.join(&out).is_file(), "{format}");
        assert!(!tmp.exists(), "{format} created TMPDIR");
    }
}

#[test]
fn racing_builds_leave_one_complete_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), large_deck(3_000, "a")).unwrap();
    std::fs::write(d.join("b.txt"), large_deck(3_000, "b")).unwrap();
    let mut expected = Vec::new();
    for name in ["a", "b"] {
        let input = format!("{name}.txt");
        let o = run_in(
            Some(d),
            &["build", &input, "--no-lock", "-o", &format!("{name}.json")],
        );
        assert_code(&o, 0);
        expected.push(std::fs::read(d.join(format!("{name}.json"))).unwrap());
        std::fs::remove_file(d.join(format!("{name}.json"))).unwrap();
    }
    for _ in 0..6 {
        let a = spawn_build(d, &["a.txt", "--no-lock", "-o", "deck.json"]);
        let b = spawn_build(d, &["b.txt", "--no-lock", "-o", "deck.json"]);
        for mut child in [a, b] {
            assert!(child.wait().unwrap().success());
        }
        let got = std::fs::read(d.join("deck.json")).unwrap();
        assert!(expected.contains(&got), "a mix of two builds");
        assert_eq!(entries(d), ["a.txt", "b.txt", "deck.json"]);
    }
}

/// Random small hostile files through the real binary: the process always
/// exits 0, 1 or 2 (never a signal) and explains a 2 on stderr.
fn binary_never_dies(bytes: &[u8], dir: &Path) -> Result<(), TestCaseError> {
    let input = dir.join("h.txt");
    std::fs::write(&input, bytes).unwrap();
    for args in [
        vec!["check", "h.txt", "--message-format", "json"],
        vec!["build", "h.txt", "--no-lock", "--format", "json", "-o", "-"],
        vec!["build", "h.txt", "--no-lock", "-o", "h.apkg"],
        vec!["fmt", "h.txt", "--check"],
    ] {
        let o = Command::new(bin())
            .args(&args)
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let code = o.status.code();
        prop_assert!(
            matches!(code, Some(0..=2)),
            "{:?}: {:?}\n{}",
            args,
            o.status,
            stderr(&o)
        );
        if code == Some(2) {
            prop_assert!(!o.stderr.is_empty(), "{:?}", args);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn the_binary_never_dies_on_hostile_files(
        file in any::<proptest::sample::Index>(),
        cut in any::<proptest::sample::Index>(),
        junk in prop::collection::vec(any::<u8>(), 0..16),
    ) {
        let files = crate::hostile::fixture_files();
        let (_, original) = &files[file.index(files.len())];
        let mut bytes = original.clone();
        let at = cut.index(bytes.len() + 1);
        bytes.splice(at..at, junk);
        let dir = tempfile::tempdir().unwrap();
        binary_never_dies(&bytes, dir.path())?;
    }
}

/// The `.apkg` entries: name and bytes.
/// Every entry of a package, as its data: in a newer package (one with
/// `meta`), every entry but `meta` is zstd, and is decompressed here.
fn zip_entries(apkg: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(apkg).unwrap()).unwrap();
    let latest = zip.by_name("meta").is_ok();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            let name = e.name().to_string();
            if latest && name != "meta" {
                bytes = zstd::decode_all(bytes.as_slice()).unwrap();
            }
            (name, bytes)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn media_outside_the_notes_directory_is_refused_and_never_packed() {
    let outer = tempfile::tempdir().unwrap();
    let secret = outer.path().join("secret.png");
    std::fs::write(&secret, b"SECRET-BYTES").unwrap();
    let d = outer.path().join("notes");
    std::fs::create_dir(&d).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/x.png"), b"SUB-BYTES").unwrap();
    std::os::unix::fs::symlink(&secret, d.join("link.png")).unwrap();
    let absolute = format!("![a]({})", secret.display());
    for (reference, html) in [
        ("![a](../secret.png)", false),
        (absolute.as_str(), false),
        ("![a](link.png)", false),
        ("![a](sub/x.png)", false),
        ("![a](C:\\secret.png)", false),
        ("![a](C:secret.png)", false),
        ("![a](..)", false),
        ("<img src=\"../secret.png\">", true),
    ] {
        let notes = format!("Q: Where is it?\nA: {reference}\n");
        std::fs::write(d.join("n.txt"), &notes).unwrap();
        let mut args = vec!["build", "n.txt", "--no-lock", "-o", "n.apkg"];
        if html {
            args.push("--html");
        }
        let o = run_in(Some(&d), &args);
        assert_code(&o, 1);
        assert!(
            stderr(&o).contains("missing-media"),
            "{reference}: {}",
            stderr(&o)
        );
        assert!(!d.join("n.apkg").exists(), "{reference}");
        // Even with the lint switched off, the file is not packed.
        args.extend(["-A", "missing-media"]);
        let o = run_in(Some(&d), &args);
        assert_code(&o, 0);
        for (name, bytes) in zip_entries(&d.join("n.apkg")) {
            assert!(
                !name.contains('/') && !name.contains('\\') && name != "..",
                "{name}"
            );
            let leaked = bytes.windows(6).any(|w| w == b"SECRET" || w == b"SUB-BY");
            assert!(!leaked, "{reference}: entry {name} holds an outside file");
        }
        std::fs::remove_file(d.join("n.apkg")).unwrap();
    }
}

/// The fields of every note in a package, as stored.
fn note_fields(apkg: &Path) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::open(apkg).unwrap();
    let collection = deckc::inspect::unpack(file).unwrap().collection;
    let db = dir.path().join("c.anki2");
    std::fs::write(&db, collection).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut stmt = conn.prepare("SELECT flds FROM notes ORDER BY id").unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn markup_arrives_as_text_unless_html_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("n.txt"),
        "Q: What does <script>alert(1)</script> do?\nA: <img src=x onerror=alert(1)> and <b onclick=x>\n",
    )
    .unwrap();
    let o = run_in(
        Some(d),
        &[
            "build",
            "n.txt",
            "--no-lock",
            "-o",
            "n.apkg",
            "-A",
            "missing-media",
        ],
    );
    assert_code(&o, 0);
    let fields = note_fields(&d.join("n.apkg")).concat();
    assert!(
        fields.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{fields}"
    );
    assert!(
        fields.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{fields}"
    );
    assert!(
        !fields.contains("<script") && !fields.contains("<img"),
        "{fields}"
    );
    // Opt-in: the notes are HTML and pass through.
    let o = run_in(
        Some(d),
        &[
            "build",
            "n.txt",
            "--no-lock",
            "-o",
            "h.apkg",
            "--html",
            "-A",
            "missing-media",
        ],
    );
    assert_code(&o, 0);
    assert!(note_fields(&d.join("h.apkg"))
        .concat()
        .contains("<script>alert(1)</script>"));
}

/// Media names that are single safe components but that Anki would rename:
/// each with its file present next to the notes, the reference written the
/// way that can hold it (markdown, or `<img>` with `--html` for names with
/// a space), and what Anki would call the file.
fn names_anki_renames() -> Vec<(String, bool, &'static str)> {
    let long = format!("{}.png", "x".repeat(117));
    vec![
        ("CON.png".into(), false, "CON_.png"),
        ("nul.txt".into(), false, "nul_.txt"),
        ("com1.jpg".into(), false, "com1_.jpg"),
        ("LPT9".into(), false, "LPT9_"),
        ("map.".into(), false, "map._"),
        ("map.png ".into(), true, "map.png _"),
        ("ab:c.png".into(), false, "abc.png"),
        ("what?.png".into(), false, "what.png"),
        ("star*.png".into(), false, "star.png"),
        ("q\"x.png".into(), false, "qx.png"),
        ("<a>.png".into(), false, "a.png"),
        ("pipe|x.png".into(), false, "pipex.png"),
        ("no\u{a0}break.png".into(), true, "no break.png"),
        ("e\u{301}.png".into(), false, "\u{e9}.png"),
        (long, false, ""),
    ]
}

#[cfg(unix)]
#[test]
fn media_names_anki_would_rename_are_refused_and_never_packed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, html, anki) in names_anki_renames() {
        std::fs::write(d.join(&name), b"MEDIA-BYTES").unwrap();
        let reference = if html {
            format!("<img src=\"{name}\">")
        } else {
            format!("![a]({name})")
        };
        std::fs::write(
            d.join("n.txt"),
            format!("Q: What is shown?\nA: {reference}\n"),
        )
        .unwrap();
        let mut args = vec!["build", "n.txt", "--no-lock", "-o", "n.apkg"];
        if html {
            args.push("--html");
        }
        let o = run_in(Some(d), &args);
        assert_code(&o, 1);
        let err = stderr(&o);
        assert!(err.contains("missing-media"), "{name:?}: {err}");
        assert!(err.contains("rename the file"), "{name:?}: {err}");
        if !anki.is_empty() {
            assert!(err.contains(&format!("`{anki}`")), "{name:?}: {err}");
        }
        assert!(!d.join("n.apkg").exists(), "{name:?}");
        // Switched off, the build works and the file is left out.
        args.extend(["-A", "missing-media"]);
        assert_code(&run_in(Some(d), &args), 0);
        let entries = zip_entries(&d.join("n.apkg"));
        let file = std::fs::File::open(d.join("n.apkg")).unwrap();
        let media = deckc::inspect::unpack(file).unwrap().media;
        assert!(media.is_empty(), "{name:?}: {media:?}");
        assert_eq!(entries.len(), 3, "{name:?}");
        assert!(
            entries.iter().all(|(_, b)| b != b"MEDIA-BYTES"),
            "{name:?} was packed"
        );
        std::fs::remove_file(d.join("n.apkg")).unwrap();
        std::fs::remove_file(d.join(&name)).unwrap();
    }
}

/// deckc's copy of Anki's media-name rules agrees with Anki itself: a
/// package holding a file under each name, imported into Anki, stores it
/// exactly under `deckc::media::anki_name`, and deckc accepts a name
/// exactly when Anki keeps it.
#[test]
fn media_name_rules_match_anki() {
    let mut names: Vec<String> = names_anki_renames().into_iter().map(|n| n.0).collect();
    names.extend(
        [
            "console.png",
            "CON1.png",
            "com0.png",
            "Nul",
            "aux.tar.gz",
            "prn.",
            "icon.png",
            ".hidden.png",
            "map of china.png",
            "\u{e9}migr\u{e9}.png",
            "地图.png",
            "a&b.png",
            "x(1).png",
            "x[1].png",
            "up^.png",
            "tab\there.png",
            "a\u{7f}b.png",
            "trailing.. ",
        ]
        .map(String::from),
    );
    names.push(format!("{}.png", "x".repeat(116)));
    names.push(format!("{}.jpeg", "é".repeat(70)));
    names.push(format!("{}.averylongextension", "y".repeat(130)));
    names.push("z".repeat(140));
    names.push(format!("{} .png", "w".repeat(113)));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("n.txt"), "Q: What is it?\nA: This.\n").unwrap();
    assert_code(
        &run_in(
            Some(d),
            // The legacy package: verify.py rewrites its collection.anki2.
            &[
                "build",
                "n.txt",
                "--no-lock",
                "--package",
                "legacy",
                "-o",
                "n.apkg",
            ],
        ),
        0,
    );
    let package = d.join("n.apkg").to_str().unwrap().to_string();
    let json = serde_json::to_string(&names).unwrap();
    let out = crate::anki::verify_with("media-names", &[package, json]);
    let stored = out["names"].as_array().unwrap();
    assert_eq!(stored.len(), names.len());
    for (name, anki) in names.iter().zip(stored) {
        let anki = anki
            .as_str()
            .unwrap_or_else(|| panic!("{name:?}: Anki stored no file"));
        assert_eq!(deckc::media::anki_name(name), anki, "{name:?}");
        assert_eq!(
            deckc::media::check_name(name).is_ok(),
            anki == name,
            "{name:?}: Anki stores {anki:?}"
        );
    }
}

/// Every notes file the tests use (the reference notes, the examples and
/// every fixture), built to `.apkg`, imported alone into a fresh Anki
/// collection: Anki's Check Database finds nothing to fix in any of them,
/// and every package's notes arrive.
#[test]
fn every_fixture_package_passes_check_database() {
    let explain = run(&["explain"]);
    assert_code(&explain, 0);
    // Lint findings are beside the point here: allow every rule, so that
    // packages of the lint fixtures are written too.
    let codes: Vec<String> = crate::common::stdout(&explain)
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    let mut inputs = vec![crate::common::reference()];
    let mut dirs = vec![
        crate::common::root().join("tests/fixtures"),
        crate::common::root().join("examples"),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if path.is_dir() {
                dirs.push(path);
            } else if ["txt", "md", "tsv", "csv", "deck"].contains(&ext) {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    let out = tempfile::tempdir().unwrap();
    let mut packages = Vec::new();
    let mut notes = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let package = out.path().join(format!("{i}.apkg"));
        let mut args = vec![
            "build",
            s(input),
            "--no-lock",
            "--format",
            "apkg",
            "-o",
            s(&package),
        ];
        for code in &codes {
            args.extend(["-A", code]);
        }
        let o = run(&args);
        if o.status.code() == Some(2) {
            // Deliberately undecodable fixtures; the error is tested elsewhere.
            continue;
        }
        assert_code(&o, 0);
        notes.push((input, note_fields(&package).len() as i64));
        packages.push(package);
    }
    assert!(packages.len() > 100, "only {} packages", packages.len());
    let added = crate::anki::check_database_alone(&packages);
    for ((input, notes), added) in notes.into_iter().zip(added) {
        assert_eq!(added, notes, "{}: notes added", input.display());
    }
}
