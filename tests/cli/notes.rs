//! The `notes` syntax through the real binary: the reference input's exact
//! cards, and tricky real-world notes (fixtures in `tests/fixtures/notes/`).

use serde_json::Value;

use crate::common::*;

/// `(line, question)` of every card.
fn questions(doc: &Value) -> Vec<(u64, String)> {
    doc["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["line"].as_u64().unwrap(),
                c["question"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn answer(doc: &Value, card: usize) -> &str {
    doc["cards"][card]["answer"].as_str().unwrap()
}

fn tags(doc: &Value, card: usize) -> Vec<&str> {
    doc["cards"][card]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect()
}

fn owned(expected: &[(u64, &str)]) -> Vec<(u64, String)> {
    expected.iter().map(|&(l, q)| (l, q.to_string())).collect()
}

#[test]
fn reference_input_parses_to_the_fifteen_cards() {
    let doc = build_json(&reference(), &[]);
    assert_eq!(doc["deck"], "Sino-Soviet Relations");
    let expected = [
        (2, "Define Sino-Soviet relations"),
        (4, "Context for the Sino Soviet relations"),
        (7, "Factors for the causes of the Sino-Soviet Split"),
        (11, "Explain the ‘National Interests’ factor"),
        (18, "Main point of ‘national interests’"),
        (20, "Describe the Personal Rivalries factor"),
        (25, "What was the main issue with personal rivalries?"),
        (27, "Describe the ideological differences factor m"),
        (33, "What was the main point surrounding ideological differences?"),
        (35, "When and where did Khrushchev deliver his ‘Destalinisation’ speech?"),
        (37, "Who was Tito, and why did Mao regard Khrushchev’s reconciliation with him as ideological revisionism?"),
        (39, "When did the border disputes heighten?"),
        (41, "What caused the Chinese deception of the USSR to deteriorate and when was it?"),
        (44, "When was the Treaty of Friendship signed and what did it state?"),
        (48, "What was the origins of Sino- Soviet relations deteriorating? (Inc. the year)"),
    ];
    assert_eq!(questions(&doc), owned(&expected));
    assert_eq!(
        answer(&doc, 2),
        "National Interests\nPersonal Rivalries\nIdeological Differences"
    );
    assert_eq!(
        answer(&doc, 1),
        "‘Treaty of Friendship’ was signed in 1950 by both sides, supporting economic aid \
         ($300million - mostly spent on defence industry: e.g. aluminium plant at Henan) Soviet \
         military assistance and Aid to develop China’s air force\n\
         > Some Chinese resentment to unfair aspects of the treaty"
    );
    assert_eq!(answer(&doc, 11), "1967-1979");
    assert!(answer(&doc, 13).starts_with("1950\nEconomic aid of $300million-"));
    assert_eq!(answer(&doc, 13).lines().count(), 3);
    assert!(answer(&doc, 3).starts_with("> Refusal of the soviets"));
    assert!(answer(&doc, 3).ends_with("\n- centers around the USSR wanting to remain superior - despite both wanting to achieve communism in an international scale."));
    for card in 0..15 {
        let expected: Vec<&str> = if card == 13 { vec!["Context"] } else { vec![] };
        assert_eq!(tags(&doc, card), expected, "tags of card {}", card + 1);
    }
}

#[test]
fn reference_explain_names_a_rule_for_every_line() {
    let o = run(&["check", "input/sino-soviet.txt", "--explain"]);
    let out = stdout(&o);
    assert!(
        out.contains("syntax notes, deck `Sino-Soviet Relations`"),
        "{out}"
    );
    let line = |n: usize| {
        out.lines()
            .find(|l| l.trim_start().starts_with(&format!("{n} ")))
            .unwrap_or_else(|| panic!("line {n} in {out}"))
            .to_string()
    };
    assert!(line(1).contains("title-flashcards"));
    assert!(line(2).contains("prompt-verb"));
    assert!(line(4).contains("prompt-noun"));
    assert!(line(6).contains("answer-marker"));
    assert!(line(8).contains("answer-continuation"));
    assert!(line(43).contains("section-label"));
    assert!(line(48).contains("interrogative"));
    assert!(
        !out.contains(" blank "),
        "no non-blank line without a role:\n{out}"
    );
}
