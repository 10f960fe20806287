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
        out.starts_with("input/sino-soviet.txt: syntax notes (")
            && out.contains("), deck `Sino-Soviet Relations`"),
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

/// One card as `(line, question, answer, tags)`.
type CardRow = (u64, String, String, Vec<String>);

/// The deck name and every card of a fixture.
fn cards(fixture_name: &str) -> (String, Vec<CardRow>) {
    let doc = build_json(&fixture(&format!("notes/{fixture_name}")), &[]);
    let cards = doc["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["line"].as_u64().unwrap(),
                c["question"].as_str().unwrap().to_string(),
                c["answer"].as_str().unwrap().to_string(),
                c["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    (doc["deck"].as_str().unwrap().to_string(), cards)
}

/// Expected cards, written compactly: `(line, question, answer, tags)`.
fn expect(cards: &[(u64, &str, &str, &[&str])]) -> Vec<CardRow> {
    cards
        .iter()
        .map(|&(l, q, a, t)| {
            (
                l,
                q.to_string(),
                a.to_string(),
                t.iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn revision_sheet_numbering_furniture_and_empty_answers() {
    let (deck, got) = cards("revision-sheet.txt");
    assert_eq!(deck, "Unit 3 revision");
    let want = expect(&[
        (
            4,
            "What is an ecosystem?",
            "All the living things in an area and their environment",
            &[],
        ),
        (
            6,
            "Define biodiversity",
            "The variety of living organisms in an area",
            &[],
        ),
        (
            8,
            "Name two abiotic factors",
            "- light intensity\n- temperature",
            &[],
        ),
        (13, "Which gas do plants absorb for photosynthesis", "", &[]),
        (
            14,
            "Explain why deforestation reduces biodiversity",
            "4. Habitats are destroyed\n5. Food chains are broken",
            &[],
        ),
    ]);
    assert_eq!(got, want);
}

#[test]
fn revision_sheet_furniture_and_preamble_are_orphan_lines() {
    let o = run(&[
        "check",
        "tests/fixtures/notes/revision-sheet.txt",
        "--message-format",
        "json",
    ]);
    let lines: Vec<(String, u64)> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|d| d["code"] == "orphan-line")
        .map(|d| {
            (
                d["level"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let warning = |n| ("warning".to_string(), n);
    assert_eq!(
        lines,
        vec![warning(1), warning(3), warning(11), warning(12)]
    );
}

#[test]
fn crlf_lowercase_questions_without_question_marks() {
    let (deck, got) = cards("crlf-lowercase.txt");
    assert_eq!(deck, "cells revision");
    let want = expect(&[
        (
            2,
            "what is the function of the nucleus",
            "controls the activities of the cell\ncontains genetic material",
            &[],
        ),
        (
            6,
            "how many chromosomes are in a human body cell",
            "46",
            &[],
        ),
        (8, "explain the role of ribosomes", "protein synthesis", &[]),
        (
            10,
            "where does respiration happen?",
            "in the mitochondria",
            &[],
        ),
    ]);
    assert_eq!(got, want);
}

#[test]
fn glossary_with_a_plain_title_alternates() {
    let (deck, got) = cards("glossary.txt");
    assert_eq!(deck, "Biology Glossary");
    let want = expect(&[
        (
            2,
            "Mitochondria",
            "The powerhouse of the cell, where aerobic respiration happens",
            &[],
        ),
        (
            4,
            "Nucleus",
            "Contains the genetic material of the cell",
            &[],
        ),
        (6, "Ribosome", "Site of protein synthesis", &[]),
        (
            8,
            "Cell membrane",
            "Controls what enters and leaves the cell",
            &[],
        ),
    ]);
    assert_eq!(got, want);
}

#[test]
fn quizlet_copy_with_blank_lines_between_pairs() {
    let (deck, got) = cards("quizlet-copy.txt");
    assert_eq!(deck, "Cold War Key Terms");
    let want = expect(&[
        (
            3,
            "Containment",
            "US policy of stopping the spread of communism",
            &[],
        ),
        (
            6,
            "Iron Curtain",
            "The boundary dividing Europe into two separate areas from 1945 to 1991",
            &[],
        ),
        (
            9,
            "Truman Doctrine",
            "Promise of US support to free peoples resisting subjugation (1947)",
            &[],
        ),
        (
            12,
            "Marshall Plan",
            "US economic aid to rebuild Western Europe",
            &[],
        ),
    ]);
    assert_eq!(got, want);
}

#[test]
fn vocabulary_pairs_alternate_even_with_questions_on_both_sides() {
    let (deck, got) = cards("vocab.txt");
    assert_eq!(deck, "vocab", "no title line: the file stem names the deck");
    let want = expect(&[
        (1, "le chat", "the cat", &[]),
        (3, "le chien", "the dog", &[]),
        (5, "la maison", "the house", &[]),
        (7, "Comment ça va ?", "How are things going?", &[]),
    ]);
    assert_eq!(got, want);
}

#[test]
fn answer_lines_that_start_like_prompts_stay_answers() {
    let (deck, got) = cards("answer-traps.txt");
    assert_eq!(deck, "Russian Revolution");
    let want = expect(&[
        (
            2,
            "What changed in Russia after 1917?",
            "State control of industry replaced private ownership\n\
             Name changed to the Soviet Union in 1922\n\
             List of demands was published by the workers\n\
             When Lenin died in 1924 a power struggle began\n\
             Was followed by a civil war\n\
             - What about the peasants? They were given land\n\
             Causes of the civil war were political and economic\n\
             (see the timeline)",
            &[],
        ),
        (
            11,
            "Why did the Bolsheviks win the civil war",
            "> central control of the railways\n\
             Explain how Lenin's government survived, making sure to mention the Red Army, \
             the Cheka and War Communism in your answer.",
            &[],
        ),
        (
            14,
            "Is this why the Whites lost?",
            "Yes, they were divided",
            &[],
        ),
    ]);
    assert_eq!(got, want);
}

#[test]
fn a_prompt_noun_heading_over_questions_is_the_title() {
    let (deck, got) = cards("heading-title.txt");
    assert_eq!(deck, "Causes of the First World War");
    let lines: Vec<u64> = got.iter().map(|c| c.0).collect();
    assert_eq!(lines, vec![2, 5, 7]);
    assert_eq!(got[0].2, "Two opposing groups of countries that promised to defend each other\nTriple Alliance and Triple Entente");
}

#[test]
fn standalone_labels_tag_until_the_next_label_and_empty_answers_stay() {
    let (deck, got) = cards("sections-and-empty.txt");
    assert_eq!(deck, "Chemistry");
    let want = expect(&[
        (
            4,
            "What is an isotope?",
            "An atom of the same element with a different number of neutrons",
            &["Atoms"],
        ),
        (6, "State the charge of an electron", "", &["Atoms"]),
        (7, "Define relative atomic mass", "", &["Atoms"]),
        (
            11,
            "What is an ionic bond?",
            "Electrostatic attraction between oppositely charged ions",
            &["Bonding"],
        ),
        (
            13,
            "What is a covalent bond?",
            "A shared pair of electrons",
            &["Bonding"],
        ),
    ]);
    assert_eq!(got, want);
}
