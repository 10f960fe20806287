//! Hostile input never panics and never loses a line: property tests that
//! run the whole pipeline in-process (compile, every emitter — the `.apkg`
//! for a tenth of the generated cases —, every message format, `--fix`,
//! `fmt`) over arbitrary bytes, over text built from
//! hostile fragments, and over mutations of every fixture file, plus
//! hand-picked extremes (1 MB lines, 100k blank lines, deep headings).
//!
//! Case counts add up to over 100,000 per `cargo test`; set
//! `PROPTEST_CASES=N` to run every property with N cases instead (see
//! docs/reliability.md for the long run).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use deckc::cli::MessageFormat;
use deckc::emit::{self, EmitOptions, Format};
use deckc::model::Role;
use deckc::parse::canonical;
use deckc::{fix, parse, render, Options, SourceFile, Syntax};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::TestCaseError;

use crate::common::root;

/// Cases for one property: `PROPTEST_CASES` when set, else `default`.
pub fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases: n,
        // Shrinking a pipeline failure is quick; do not let it run away.
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// Pieces of every syntax and of every trap we know of, glued at random.
const FRAGMENTS: &[&str] = &[
    "What is ",
    "Define ",
    "Context for ",
    "Explain the ",
    "?",
    "Q: ",
    "Q:\t",
    "A: ",
    "A:\t",
    "# ",
    "## ",
    "### ",
    "###### ",
    "#",
    "> ",
    "- ",
    "• ",
    "* ",
    "– ",
    "(Context)",
    "(",
    ")",
    "\t",
    ";",
    "|",
    " - ",
    "*",
    "\"",
    "\"\"",
    ",",
    "‘",
    "’",
    "{#id-1}",
    "{#",
    "}",
    "```",
    "%deckc 1\n",
    "deck: ",
    "section: ",
    "tag: ",
    "id: ",
    "subdeck: ",
    "::",
    "Sino-Soviet Flashcards",
    "1967-1970",
    "1979-1967",
    "1920s until 1949",
    "$300million",
    "TODO",
    "???",
    "lorem ipsum",
    "Khrushchev",
    "Krushchev",
    "Sino Soviet",
    "Sino- Soviet",
    "defence",
    "defense",
    " m",
    "\n",
    "\n",
    "\n",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    " ",
    "   ",
    "\u{feff}",
    "\0",
    "\u{200b}",
    "\u{200d}",
    "\u{202e}",
    "\u{200f}",
    "\u{2066}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{b}",
    "\u{c}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{a0}",
    "é",
    "e\u{301}",
    "😀",
    "👩‍👩‍👧",
    "ﬁ",
    "İ",
    "ß",
    // Lowercase to another length (3 → 1 and 2 → 3 bytes), around a
    // placeholder: offsets in a lowercased copy do not line up.
    "\u{212a}",
    "Ⱥ",
    "[INSERT ",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&amp;",
    "[sound:a.mp3]",
    "<img src=\"../x.png\">",
    "\\",
];

/// Text made of hostile fragments, random characters and words.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => select(FRAGMENTS).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
        2 => "[A-Za-z]{1,10}",
    ];
    prop::collection::vec(piece, 0..48).prop_map(|v| v.concat())
}

/// A forced syntax, or `None` for auto-detection.
fn syntax() -> impl Strategy<Value = Option<Syntax>> {
    prop::option::of(select(Syntax::ALL.to_vec()))
}

/// Every fixture file under `tests/fixtures/` and the reference notes.
pub fn fixture_files() -> &'static [(PathBuf, Vec<u8>)] {
    static FILES: OnceLock<Vec<(PathBuf, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut files = vec![root().join("input/sino-soviet.txt")];
        let mut dirs = vec![root().join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                (p, bytes)
            })
            .collect()
    })
}

/// One way to damage a file.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(Index),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    DuplicateLine(Index),
    /// Turn every `\n` into a lone `\r`.
    LoneCr,
    /// Replace one byte (possibly inside a multi-byte character).
    Replace(Index, u8),
}

/// Bytes worth inserting: invalid UTF-8, NUL, BOM, controls, bidi marks.
const INSERTS: &[&[u8]] = &[
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\r",
    b"\n",
    b"\n\n\n",
    b"\t",
    b"\x1b[0m",
    b"\x07",
    "\u{200b}".as_bytes(),
    "\u{202e}".as_bytes(),
    "\u{200f}".as_bytes(),
    b"Q: ",
    b"A: ",
    b"# ",
    b"(Context)\n",
    b"?",
    b"\"",
    b"|",
    b";",
    b" - ",
    b"<script>x</script>",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), select(INSERTS)).prop_map(|(i, b)| Mutation::Insert(i, b.to_vec())),
        (any::<Index>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        Just(Mutation::LoneCr),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Replace(i, b)),
    ]
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len();
    let at = |i: &Index| if len == 0 { 0 } else { i.index(len + 1) };
    match m {
        Mutation::Truncate(i) => bytes.truncate(at(i)),
        Mutation::Insert(i, b) => {
            let p = at(i);
            bytes.splice(p..p, b.iter().copied());
        }
        Mutation::Delete(i, n) => {
            let p = at(i);
            bytes.drain(p..(p + n).min(len));
        }
        Mutation::DuplicateLine(i) => {
            let p = at(i);
            let start = bytes[..p]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |s| s + 1);
            let end = bytes[p..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(len, |e| p + e);
            let mut line = bytes[start..end].to_vec();
            line.push(b'\n');
            bytes.splice(start..start, line);
        }
        Mutation::LoneCr => {
            for b in bytes.iter_mut().filter(|b| **b == b'\n') {
                *b = b'\r';
            }
        }
        Mutation::Replace(i, b) => {
            if len > 0 {
                bytes[i.index(len)] = *b;
            }
        }
    }
}

/// Every non-blank line has a role; every role points at something that
/// exists; a diagnosed line has a diagnostic on it.
pub fn check_accounting(
    src: &SourceFile,
    syntax: Syntax,
    deck: &deckc::Deck,
    diagnostics: &[deckc::Diagnostic],
) -> Result<(), String> {
    if deck.lines.len() != src.line_count() {
        return Err(format!(
            "{syntax:?}: {} line roles for {} lines",
            deck.lines.len(),
            src.line_count()
        ));
    }
    for line in src.lines() {
        let info = deck.lines.get(line.number - 1).unwrap();
        let ok = match info.role {
            Role::Blank => line.is_blank(),
            Role::Title => true,
            Role::Question(i) | Role::Answer(i) => i < deck.cards.len(),
            Role::Section(i) => i < deck.sections.len(),
            Role::Directive => true,
            Role::Diagnosed => diagnostics
                .iter()
                .any(|d| d.span.start <= line.span.end && line.span.start <= d.span.end),
        };
        if !ok {
            return Err(format!(
                "{syntax:?}: line {} {:?} has role {:?} (rule {})",
                line.number, line.text, info.role, info.rule
            ));
        }
    }
    Ok(())
}

fn fail(msg: impl Into<String>) -> TestCaseError {
    TestCaseError::fail(msg.into())
}

/// The share of generated cases that also write an `.apkg` (an SQLite
/// database and a zip, about ten times the work of the text formats).
const APKG_SHARE: f64 = 0.1;

/// Whether a generated case writes an `.apkg` too.
fn with_apkg() -> impl Strategy<Value = bool> {
    prop::bool::weighted(APKG_SHARE)
}

/// The whole pipeline on `bytes`, as `deckc build` and `deckc check` would
/// run it, with every output written to memory, the `.apkg` included.
pub fn exercise(bytes: &[u8], syntax: Option<Syntax>) -> Result<(), TestCaseError> {
    exercise_with(bytes, syntax, true)
}

/// Checks an `.apkg` written to memory: a zip whose collection is a sound
/// SQLite database (`PRAGMA integrity_check`) with one note per card,
/// every card on an existing note, and a media list naming every packed
/// file.
fn check_apkg(bytes: &[u8], cards: usize) -> Result<(), TestCaseError> {
    let unpacked = deckc::inspect::unpack(std::io::Cursor::new(bytes)).map_err(fail)?;
    let collection = unpacked.collection;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| fail(format!("apkg is not a zip: {e}")))?;
    // meta, collection.anki21b and media.
    prop_assert_eq!(zip.len(), 3 + unpacked.media.len());
    for (i, name) in unpacked.media.iter().enumerate() {
        prop_assert!(
            zip.by_name(&i.to_string()).is_ok(),
            "media entry {} ({}) missing",
            i,
            name
        );
        prop_assert!(deckc::media::check_name(name).is_ok(), "packed {:?}", name);
    }
    let mut db = rusqlite::Connection::open_in_memory().map_err(|e| fail(e.to_string()))?;
    let len = collection.len();
    db.deserialize_read_exact(rusqlite::MAIN_DB, collection.as_slice(), len, true)
        .map_err(|e| fail(format!("the collection does not open: {e}")))?;
    let one = |sql: &str| -> Result<String, TestCaseError> {
        db.query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| format!("{v:?}"))
            .map_err(|e| fail(format!("{sql}: {e}")))
    };
    prop_assert_eq!(one("PRAGMA integrity_check")?, "Text(\"ok\")");
    prop_assert_eq!(
        one("SELECT count(*) FROM notes")?,
        format!("Integer({cards})")
    );
    prop_assert_eq!(
        one("SELECT count(*) FROM cards WHERE nid NOT IN (SELECT id FROM notes)")?,
        "Integer(0)"
    );
    prop_assert_eq!(
        one("SELECT count(*) FROM notes WHERE id NOT IN (SELECT nid FROM cards)")?,
        "Integer(0)"
    );
    Ok(())
}

/// [`exercise`], writing an `.apkg` only when `apkg` is set.
pub fn exercise_with(
    bytes: &[u8],
    syntax: Option<Syntax>,
    apkg: bool,
) -> Result<(), TestCaseError> {
    let src = match SourceFile::decode(Path::new("hostile.txt"), bytes.to_vec()) {
        Ok(src) => src,
        Err(e) => {
            let msg = e.to_string();
            prop_assert!(!msg.contains('\n'), "{}", msg);
            prop_assert!(
                msg.contains("hostile.txt") && msg.contains("byte offset"),
                "{}",
                msg
            );
            return Ok(());
        }
    };
    let options = Options {
        syntax,
        mtime: 1_700_000_000,
        ..Options::default()
    };
    let compiled = deckc::compile(&src, &options);
    // The parse alone, to check its bookkeeping before lints add findings.
    let (_, _, parse_diags) = deckc::parse_source(&src, &options);
    check_accounting(&src, compiled.syntax, &compiled.parsed, &parse_diags).map_err(fail)?;

    let formats: &[Format] = if apkg {
        &[
            Format::Apkg,
            Format::Anki,
            Format::Csv,
            Format::Quizlet,
            Format::Json,
        ]
    } else {
        &[Format::Anki, Format::Csv, Format::Quizlet, Format::Json]
    };
    for &format in formats {
        for html in [false, true] {
            let options = EmitOptions {
                html,
                // Media is looked up next to a fixture that has images, so
                // damaged references to them get packed too.
                media_dir: Some(root().join("tests/fixtures/lints/missing-media")),
                ..EmitOptions::default()
            };
            let mut out = Vec::new();
            emit::emitter(format, &options)
                .emit(&compiled.deck, &mut out)
                .map_err(|e| fail(format!("{format:?}: {e}")))?;
            if format == Format::Json && !html {
                let v: serde_json::Value = serde_json::from_slice(&out)
                    .map_err(|e| fail(format!("JSON output does not parse: {e}")))?;
                prop_assert_eq!(
                    v["cards"].as_array().map(Vec::len),
                    Some(compiled.deck.cards.len())
                );
            }
            if format == Format::Apkg {
                check_apkg(&out, compiled.deck.cards.len())?;
            }
            if format == Format::Csv && !html {
                let records = csv::Reader::from_reader(out.as_slice()).records().count();
                prop_assert_eq!(records, compiled.deck.cards.len());
            }
        }
    }

    for format in [
        MessageFormat::Human,
        MessageFormat::Json,
        MessageFormat::Github,
    ] {
        let out = render::render(format, &src, &compiled.diagnostics, false);
        let text = String::from_utf8(out).map_err(|e| fail(e.to_string()))?;
        match format {
            MessageFormat::Json => {
                prop_assert_eq!(text.lines().count(), compiled.diagnostics.len());
                for line in text.lines() {
                    serde_json::from_str::<serde_json::Value>(line)
                        .map_err(|e| fail(format!("{e}: {line}")))?;
                }
            }
            MessageFormat::Github => {
                prop_assert_eq!(text.lines().count(), compiled.diagnostics.len(), "{}", text);
            }
            MessageFormat::Human => {}
        }
    }
    let _ = render::render(MessageFormat::Human, &src, &compiled.diagnostics, true);

    let (fixed, _) = fix::apply(&src.text, &compiled.diagnostics);
    let fixed_src = SourceFile::new("hostile.txt", fixed);
    let _ = parse::parse(&fixed_src, compiled.syntax);

    let written = canonical::format(&compiled.parsed);
    let back_src = SourceFile::new("hostile.deck", written.as_str());
    let (back, _) = parse::parse(&back_src, Syntax::Canonical);
    prop_assert_eq!(back.cards.len(), compiled.parsed.cards.len(), "{}", written);
    Ok(())
}

proptest! {
    #![proptest_config(cases(30_000))]

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
        syntax in syntax(),
        apkg in with_apkg(),
    ) {
        exercise_with(&bytes, syntax, apkg)?;
    }

    #[test]
    fn arbitrary_text_never_panics(
        text in any::<String>(),
        syntax in syntax(),
        apkg in with_apkg(),
    ) {
        exercise_with(text.as_bytes(), syntax, apkg)?;
    }
}

proptest! {
    #![proptest_config(cases(30_000))]

    #[test]
    fn hostile_fragments_never_panic(
        text in hostile_text(),
        syntax in syntax(),
        apkg in with_apkg(),
    ) {
        exercise_with(text.as_bytes(), syntax, apkg)?;
    }
}

proptest! {
    #![proptest_config(cases(20_000))]

    #[test]
    fn damaged_fixtures_never_panic(
        file in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
        syntax in syntax(),
        apkg in with_apkg(),
    ) {
        let files = fixture_files();
        let (_, original) = &files[file.index(files.len())];
        let mut bytes = original.clone();
        for m in &mutations {
            mutate(&mut bytes, m);
        }
        exercise_with(&bytes, syntax, apkg)?;
    }
}

#[test]
fn every_fixture_file_is_accounted_for_in_every_syntax() {
    for (path, bytes) in fixture_files() {
        let Ok(src) = SourceFile::decode(path, bytes.clone()) else {
            continue;
        };
        for syntax in Syntax::ALL {
            let (deck, diags) = parse::parse(&src, syntax);
            if let Err(e) = check_accounting(&src, syntax, &deck, &diags) {
                panic!("{}: {e}", path.display());
            }
        }
        exercise(bytes, None).unwrap();
    }
    assert!(fixture_files().len() > 30, "fixtures were not found");
}

/// Inputs too big or too odd for the generators, each through every syntax.
fn extremes() -> Vec<(&'static str, Vec<u8>)> {
    let reference = std::fs::read(root().join("input/sino-soviet.txt")).unwrap();
    let mut bom_inside = reference.clone();
    // At a line start, so that the text stays valid UTF-8.
    let at = |n: usize| {
        reference
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(n)
            .map_or(0, |(i, _)| i + 1)
    };
    bom_inside.splice(at(5)..at(5), "\u{feff}".bytes());
    let mut nul_inside = reference.clone();
    nul_inside.splice(at(9)..at(9), [0u8; 64]);
    let mut deep = String::new();
    for level in 1..=200 {
        deep.push_str(&"#".repeat(level));
        deep.push_str(&format!(" Heading {level}\n"));
    }
    deep.push_str("body text\n");
    let controls: String = (0u8..0x20)
        .chain([0x7f])
        .map(|b| format!("What is control {b}{}?\nIt is {}.\n", b as char, b as char))
        .collect();
    vec![
        ("1 MB line", "What is this? ".repeat(75_000).into_bytes()),
        ("1 MB answer line", {
            let mut v = b"What is long?\n".to_vec();
            v.extend("word - ".repeat(150_000).into_bytes());
            v
        }),
        ("100k blank lines", {
            let mut v = b"What is X?\n".to_vec();
            v.extend(vec![b'\n'; 100_000]);
            v.extend(b"It is Y.\n");
            v
        }),
        ("100k CRLF blank lines", "\r\n".repeat(100_000).into_bytes()),
        (
            "only markers",
            "> \n- \n• \n* \n– \n".repeat(2_000).into_bytes(),
        ),
        ("only Q markers", "Q:\nA:\n".repeat(5_000).into_bytes()),
        ("only delimiters", "\t;|* - \n".repeat(5_000).into_bytes()),
        ("only quotes", "\"".repeat(10_000).into_bytes()),
        ("unclosed quote", b"\"What is X?;It is".to_vec()),
        ("deeply nested headings", deep.into_bytes()),
        ("BOM in the middle", bom_inside),
        (
            "BOM on every line",
            "\u{feff}What is X?\n\u{feff}It is Y.\n"
                .repeat(100)
                .into_bytes(),
        ),
        ("NULs in the middle", nul_inside),
        (
            "lone CR only",
            reference
                .iter()
                .map(|&b| if b == b'\n' { b'\r' } else { b })
                .collect(),
        ),
        ("control characters", controls.into_bytes()),
        (
            "zero-width and bidi",
            "What is \u{202e}txet\u{202c}?\n\u{200b}\n\u{200d}\u{2066}answer\u{2069}\n\u{feff}\n"
                .repeat(500)
                .into_bytes(),
        ),
        ("5000 sections", "(Context)\n".repeat(5_000).into_bytes()),
        (
            "5000 identical cards",
            "What is X?\nIt is Y.\n".repeat(5_000).into_bytes(),
        ),
        (
            "truncated inside a character",
            "What is ‘x’?\nIt is ‘y’.".as_bytes()[..10].to_vec(),
        ),
        ("empty", Vec::new()),
        (
            "placeholder after letters that lowercase to other lengths",
            "What goes here?\n\u{212a}[INSERT x İȺ\n"
                .repeat(100)
                .into_bytes(),
        ),
    ]
}

#[test]
fn extreme_inputs_never_panic_in_any_syntax() {
    for (name, bytes) in extremes() {
        // Only the truncated one is meant to be undecodable.
        let decodes = SourceFile::decode(Path::new("x"), bytes.clone()).is_ok();
        assert_eq!(decodes, !name.starts_with("truncated"), "{name}");
        for syntax in std::iter::once(None).chain(Syntax::ALL.map(Some)) {
            if let Err(e) = exercise(&bytes, syntax) {
                panic!("{name} ({syntax:?}): {e}");
            }
        }
    }
}
