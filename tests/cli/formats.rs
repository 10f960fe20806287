//! Every text format on a fixture with tricky fields (markup characters,
//! quotes, a leading `#`, tabs, emoji, right-to-left text, tags and a
//! subdeck), built through the real binary and snapshotted; Anki's reader
//! settings and the csv crate read the output back.
//!
//! The fixture is in the canonical syntax, so this module is enabled in
//! `main.rs` once the canonical parser is on main (verified green against
//! the `syntaxes` branch; snapshots were produced there).

use crate::common::*;

const TRICKY: &str = "tests/fixtures/formats/tricky.deck";

fn build(format: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec![
        "build",
        TRICKY,
        "--syntax",
        "canonical",
        "--format",
        format,
        "-o",
        "-",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert_code(&o, 0);
    (stdout(&o), stderr(&o))
}

/// Card fields from the JSON contract, the reference for the other formats.
fn cards() -> Vec<serde_json::Value> {
    let doc = build_json(&fixture("formats/tricky.deck"), &["--syntax", "canonical"]);
    doc["cards"].as_array().unwrap().clone()
}

fn field<'a>(card: &'a serde_json::Value, key: &str) -> &'a str {
    card[key].as_str().unwrap()
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!(build("json", &[]).0);
}

#[test]
fn anki_snapshot() {
    insta::assert_snapshot!(build("anki", &[]).0);
}

#[test]
fn csv_snapshot() {
    insta::assert_snapshot!(build("csv", &[]).0);
}

#[test]
fn quizlet_snapshot() {
    insta::assert_snapshot!(build("quizlet", &[]).0);
}

#[test]
fn anki_rows_read_back_as_anki_reads_them() {
    let text = build("anki", &[]).0;
    let body: String = text
        .split_inclusive('\n')
        .skip_while(|l| l.starts_with('#'))
        .collect();
    // The reader settings of Anki's `build_csv_reader`.
    let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .delimiter(b'\t')
        .from_reader(body.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let cards = cards();
    assert_eq!(rows.len(), cards.len());
    for (row, card) in rows.iter().zip(&cards) {
        assert_eq!(row.len(), 5);
        assert_eq!(&row[3], field(card, "guid"));
        assert_eq!(&row[4], field(card, "deck"));
    }
    assert_eq!(&rows[0][0], "Is 1 &lt; 2 &amp; 3 &gt; 2?");
    assert_eq!(&rows[2][0], "# not a comment");
    assert_eq!(&rows[2][2], "Cold_War");
    assert_eq!(&rows[3][4], "Tricky \"Deck\"::Sub::Deep");
}

#[test]
fn csv_round_trips() {
    let text = build("csv", &[]).0;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["question", "answer", "tags", "guid"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cards = cards();
    assert_eq!(rows.len(), cards.len());
    for (row, card) in rows.iter().zip(&cards) {
        assert_eq!(&row[0], field(card, "question"));
        assert_eq!(&row[1], field(card, "answer"));
        assert_eq!(&row[3], field(card, "guid"));
    }
}

#[test]
fn quizlet_is_one_card_per_line() {
    let text = build("quizlet", &[]).0;
    let cards = cards();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), cards.len());
    for (row, card) in rows.iter().zip(&cards) {
        let (term, _) = row.split_once('\t').unwrap();
        assert_eq!(term, field(card, "question").replace('\t', " "));
    }
}

#[test]
fn quizlet_separator_inside_a_field_is_replaced_with_a_warning() {
    let (text, err) = build(
        "quizlet",
        &["--term-separator", ",", "--card-separator", ";"],
    );
    assert_eq!(text.split(';').count(), cards().len());
    assert!(
        err.contains("tricky.deck:26: the term contains the Quizlet separator `,`"),
        "{err}"
    );
    assert!(err.contains("Between term and definition: Comma"), "{err}");
}
