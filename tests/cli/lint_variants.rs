//! The variant lints through the binary: `name-variant`, `term-variant`,
//! `spelling-variant`, `word-confusion`, `stray-token` on their fixtures
//! (`tests/fixtures/lints/<code>/{positive,negative}.txt`) and on the
//! reference notes, with rendered-output snapshots and `--fix` round trips.

use std::path::Path;

use crate::common::*;

const MINE: [&str; 5] = [
    "name-variant",
    "term-variant",
    "spelling-variant",
    "word-confusion",
    "stray-token",
];

fn lint_fixture(code: &str, kind: &str) -> std::path::PathBuf {
    fixture(&format!("lints/{code}/{kind}.txt"))
}

/// `(code, line)` of every finding of the variant rules on `path`.
fn findings(path: &Path) -> Vec<(String, u64)> {
    let o = run(&[
        "check",
        path.to_str().unwrap(),
        "--syntax",
        "notes",
        "--message-format",
        "json",
    ]);
    assert_code(&o, 0);
    stdout(&o)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON line"))
        .filter_map(|v| {
            let code = v["code"].as_str()?.to_string();
            MINE.contains(&code.as_str())
                .then(|| (code, v["line"].as_u64().unwrap_or(0)))
        })
        .collect()
}

/// `-A CODE` for every rule that is not one of the variant rules, so the
/// snapshots only hold this theme's findings.
fn allow_others() -> Vec<String> {
    let o = run(&["explain"]);
    assert_code(&o, 0);
    stdout(&o)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'))
        .filter(|c| !MINE.contains(c))
        .flat_map(|c| ["-A".to_string(), c.to_string()])
        .collect()
}

/// Human output (stderr) of `deckc check` on a fixture.
fn human(path: &Path) -> String {
    let rel = path
        .strip_prefix(root())
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let mut args = vec![
        "check".to_string(),
        rel,
        "--syntax".into(),
        "notes".into(),
        "--color".into(),
        "never".into(),
    ];
    args.extend(allow_others());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&args);
    assert_code(&o, 0);
    stderr(&o)
}

fn pairs(expected: &[(&str, u64)]) -> Vec<(String, u64)> {
    expected.iter().map(|(c, l)| (c.to_string(), *l)).collect()
}

/// Copies a fixture to a temp dir, runs `check --fix` on it, and returns
/// the fixed text and the findings left afterwards.
fn fix(code: &str) -> (String, Vec<(String, u64)>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::copy(lint_fixture(code, "positive"), &path).unwrap();
    let o = run(&[
        "check",
        path.to_str().unwrap(),
        "--syntax",
        "notes",
        "--fix",
    ]);
    assert_code(&o, 0);
    assert!(stderr(&o).contains("applied"), "{}", stderr(&o));
    (std::fs::read_to_string(&path).unwrap(), findings(&path))
}

#[test]
fn reference_has_exactly_one_finding_per_variant_rule() {
    assert_eq!(
        findings(&reference()),
        pairs(&[
            ("term-variant", 4),
            ("stray-token", 27),
            ("name-variant", 29),
            ("word-confusion", 41),
            ("spelling-variant", 46),
        ])
    );
}

#[test]
fn positive_fixtures_report_exact_lines() {
    let expected: [(&str, &[u64]); 5] = [
        ("name-variant", &[7]),
        ("term-variant", &[4]),
        ("spelling-variant", &[5, 7]),
        ("word-confusion", &[4]),
        ("stray-token", &[2, 5]),
    ];
    for (code, lines) in expected {
        let got = findings(&lint_fixture(code, "positive"));
        let want: Vec<(String, u64)> = lines.iter().map(|&l| (code.to_string(), l)).collect();
        assert_eq!(got, want, "{code}");
    }
}

#[test]
fn negative_fixtures_report_nothing() {
    for code in MINE {
        let path = lint_fixture(code, "negative");
        // The fixture must parse into cards, or "no finding" proves nothing.
        let deck = build_json(&path, &["--syntax", "notes"]);
        assert!(deck["cards"].as_array().unwrap().len() >= 3, "{code}");
        assert_eq!(findings(&path), vec![], "{code}");
    }
}

#[test]
fn rendered_positive_fixtures() {
    for code in MINE {
        let out = human(&lint_fixture(code, "positive"));
        insta::assert_snapshot!(format!("variants_{code}"), out);
    }
}

#[test]
fn fix_rewrites_names_terms_and_stray_tokens() {
    let (text, left) = fix("name-variant");
    assert!(!text.contains("Krushchev"), "{text}");
    assert_eq!(text.matches("Khrushchev").count(), 4);
    assert_eq!(left, vec![]);

    let (text, left) = fix("term-variant");
    assert_eq!(text.matches("Franco-Prussian").count(), 5, "{text}");
    assert_eq!(left, vec![]);

    let (text, left) = fix("stray-token");
    assert!(text.contains("What is an isotope?\n"), "{text}");
    assert!(text.contains("10^23 particles\n"), "{text}");
    assert_eq!(left, vec![]);
}

#[test]
fn fix_rewrites_the_minority_spelling_only_when_there_is_a_majority() {
    let (text, left) = fix("spelling-variant");
    assert!(
        text.contains("showing the colour of other pigments"),
        "{text}"
    );
    // `analyse`/`analyze` is a tie: no automatic choice.
    assert!(text.contains("They analyze them"), "{text}");
    assert_eq!(left, pairs(&[("spelling-variant", 7)]));
}

#[test]
fn explain_prints_each_variant_rule_doc() {
    for code in MINE {
        let o = run(&["explain", code]);
        assert_code(&o, 0);
        let doc = stdout(&o);
        for heading in ["What it does", "Why it matters", "Example", "Fix"] {
            assert!(doc.contains(heading), "{code}: {heading}");
        }
    }
}
