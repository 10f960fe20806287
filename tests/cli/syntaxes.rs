//! The qa, blocks, delimited, markdown and canonical syntaxes: fixture
//! files (titles, furniture lines, empty answers, CRLF, BOM, quoting, Anki
//! export headers) built through the real binary, and properties of the
//! parsers over arbitrary text.

use deckc::model::{Deck, Role, Syntax};
use deckc::parse::{self, canonical};
use deckc::SourceFile;
use proptest::prelude::*;
use serde_json::Value;

use crate::common::*;

/// (question, answer, tags) of every card, and the deck name.
fn cards(input: &str, syntax: &str) -> (String, Vec<(String, String, Vec<String>)>) {
    let doc = build_json(&fixture(input), &["--syntax", syntax]);
    let text = |v: &Value| v.as_str().unwrap().to_string();
    let cards = doc["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let tags = c["tags"].as_array().unwrap().iter().map(text).collect();
            (text(&c["question"]), text(&c["answer"]), tags)
        })
        .collect();
    (text(&doc["deck"]), cards)
}

fn card(q: &str, a: &str, tags: &[&str]) -> (String, String, Vec<String>) {
    let tags = tags.iter().map(|t| t.to_string()).collect();
    (q.to_string(), a.to_string(), tags)
}

#[test]
fn qa_with_bom_crlf_title_continuations_and_empty_answer() {
    let (deck, got) = cards("syntaxes/qa.txt", "qa");
    assert_eq!(deck, "Cold War");
    let want = [
        card(
            "Define détente",
            "a relaxation of tension\n- SALT I, 1972",
            &[],
        ),
        card("When was NATO founded?", "1949", &[]),
        card(
            "What did the Truman Doctrine promise?",
            "> support for free peoples",
            &["Context"],
        ),
        card("Empty one?", "", &["Context"]),
    ];
    assert_eq!(got, want);
}

#[test]
fn qa_furniture_line_is_an_orphan_warning() {
    let o = run(&["check", "tests/fixtures/syntaxes/qa.txt", "--syntax", "qa"]);
    assert_code(&o, 0);
    let err = stderr(&o);
    assert!(err.contains("warning[orphan-line]"), "{err}");
    assert!(err.contains("qa.txt:2:1"), "{err}");
}

#[test]
fn blocks_with_crlf_sections_and_one_line_blocks() {
    let (deck, got) = cards("syntaxes/blocks.txt", "blocks");
    assert_eq!(deck, "Cold War");
    let want = [
        card(
            "Define détente",
            "a relaxation of tension\n- SALT I, 1972",
            &[],
        ),
        card(
            "When was NATO founded?",
            "1949\n# not a heading",
            &["Context"],
        ),
        card("Lonely question?", "", &["Context"]),
    ];
    assert_eq!(got, want);
}

#[test]
fn delimited_tabs_with_quotes_tags_and_a_missing_separator() {
    let (deck, got) = cards("syntaxes/quizlet.txt", "delimited");
    assert_eq!(deck, "quizlet", "no title: the file stem");
    let want = [
        card("détente", "a relaxation of tension, e.g. SALT I", &[]),
        card(
            "NATO",
            "founded 1949 - by 12 states",
            &["cold-war", "alliance"],
        ),
        card(
            "Truman Doctrine",
            "containment; \"support free peoples\"",
            &[],
        ),
    ];
    assert_eq!(got, want);
    let o = run(&[
        "check",
        "tests/fixtures/syntaxes/quizlet.txt",
        "--syntax",
        "delimited",
    ]);
    assert!(
        stderr(&o).contains("warning[syntax-error]"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("quizlet.txt:4:1"), "{}", stderr(&o));
}

#[test]
fn delimited_csv_with_header_row_and_multiline_quoted_answer() {
    let (_, got) = cards("syntaxes/quoted.csv", "delimited");
    let want = [
        card(
            "Define détente, briefly",
            "a relaxation of tension\n- SALT I, 1972",
            &["cold-war"],
        ),
        card("NATO", "founded \"1949\"", &[]),
    ];
    assert_eq!(got, want);
}

#[test]
fn delimited_anki_export_headers_are_honoured() {
    let (deck, got) = cards("syntaxes/anki-export.txt", "delimited");
    assert_eq!(deck, "Cold War");
    let want = [
        card(
            "Définir détente",
            "relaxation\n- SALT I",
            &["cold-war", "politics"],
        ),
        card("Tab inside", "multi\nline", &[]),
    ];
    assert_eq!(got, want);
    // The guid column pins the identity: it is what the GUID is made from.
    let doc = build_json(
        &fixture("syntaxes/anki-export.txt"),
        &["--syntax", "delimited"],
    );
    let src = SourceFile::read(&fixture("syntaxes/anki-export.txt")).unwrap();
    let (parsed, _) = parse::parse(&src, Syntax::Delimited);
    let ids: Vec<_> = parsed.cards.iter().map(|c| c.id.as_deref()).collect();
    assert_eq!(ids, [Some("g:1a"), Some("g;2")]);
    assert_ne!(doc["cards"][0]["guid"], doc["cards"][1]["guid"]);
}

#[test]
fn markdown_title_sections_code_and_empty_heading() {
    let (deck, got) = cards("syntaxes/markdown.md", "markdown");
    assert_eq!(deck, "Cold War");
    let want = [
        card(
            "Define détente",
            "a relaxation of tension\n- SALT I, 1972",
            &["Context"],
        ),
        card("When was NATO founded?", "1949", &["Context"]),
        // Fenced code keeps its indentation (the `code-indentation` rule).
        card("Show the code", "  x = 1", &["Crises"]),
        card("Empty heading question", "", &["Crises"]),
    ];
    assert_eq!(got, want);
}

#[test]
fn canonical_with_quoting_sections_and_ids() {
    let (deck, got) = cards("syntaxes/canonical.deck", "canonical");
    assert_eq!(deck, "Cold War");
    let want = [
        card(
            "Define détente",
            "a relaxation of tension\n- SALT I, 1972",
            &["politics"],
        ),
        // Normalization trims the question; the parse keeps the spaces.
        card("A: looks like a key", "\n\"quoted\" start", &["Context"]),
        card("No answer", "", &[]),
    ];
    assert_eq!(got, want);
    let src = SourceFile::read(&fixture("syntaxes/canonical.deck")).unwrap();
    let (parsed, diags) = parse::parse(&src, Syntax::Canonical);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(&*parsed.cards[1].question, "  A: looks like a key");
    assert_eq!(parsed.cards[0].id.as_deref(), Some("detente-1"));
    assert_eq!(canonical::format(&parsed), *src.text, "already canonical");
}

#[test]
fn explain_gives_every_line_a_role_and_rule() {
    let o = run(&[
        "check",
        "tests/fixtures/syntaxes/markdown.md",
        "--syntax",
        "markdown",
        "--explain",
    ]);
    assert_code(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("markdown-title"), "{out}");
    assert!(out.contains("markdown-section-heading"), "{out}");
    assert!(out.contains("markdown-code-fence"), "{out}");
}

const MINE: [Syntax; 5] = [
    Syntax::Qa,
    Syntax::Blocks,
    Syntax::Delimited,
    Syntax::Markdown,
    Syntax::Canonical,
];

/// Text built from the pieces these syntaxes care about.
fn notes_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Q: ".to_string()),
        Just("a1.\t".to_string()),
        Just("A:".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\t".to_string()),
        Just("\"".to_string()),
        Just(", ".to_string()),
        Just(" - ".to_string()),
        Just("## ".to_string()),
        Just("```\n".to_string()),
        Just("(Ctx)\n".to_string()),
        Just("%deckc 1\n".to_string()),
        Just("#separator:tab\n".to_string()),
        Just("#tags column:2\n".to_string()),
        Just("section: ".to_string()),
        Just("\u{feff}".to_string()),
        "[a-zé ?|;*:]{0,6}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

type Key = (
    String,
    Vec<String>,
    Vec<String>,
    Option<String>,
    Option<String>,
);

fn keys(deck: &Deck) -> Vec<Key> {
    deck.cards
        .iter()
        .map(|c| {
            let section = c
                .section_index()
                .and_then(|s| deck.sections.get(s))
                .map(|s| s.name.clone());
            let answer = c.answer.iter().map(|l| l.text.to_string()).collect();
            (
                c.question.to_string(),
                answer,
                c.tags.clone(),
                section,
                c.id.as_deref().map(String::from),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_non_blank_line_gets_a_role(text in notes_like()) {
        let src = SourceFile::new("p.txt", text.as_str());
        for syntax in MINE {
            let (deck, _) = parse::parse(&src, syntax);
            for line in src.lines().filter(|l| !l.is_blank()) {
                let info = deck.lines.get(line.number - 1).unwrap();
                prop_assert_ne!(info.role, Role::Blank, "{:?} line {}", syntax, line.number);
                prop_assert!(!info.rule.is_empty());
            }
        }
    }

    #[test]
    fn fmt_output_parses_to_the_same_cards(text in notes_like()) {
        let src = SourceFile::new("p.txt", text.as_str());
        for syntax in MINE {
            let (deck, _) = parse::parse(&src, syntax);
            let written = canonical::format(&deck);
            let back_src = SourceFile::new("p.deck", written.as_str());
            let (back, diags) = parse::parse(&back_src, Syntax::Canonical);
            prop_assert!(diags.is_empty(), "{:?}: {:?}\n{}", syntax, diags, written);
            prop_assert_eq!(&back.name, &deck.name);
            prop_assert_eq!(keys(&back), keys(&deck), "{:?}", syntax);
            prop_assert_eq!(canonical::format(&back), written);
        }
    }
}
