//! Realistic one-card-per-line files: Quizlet and Anki exports, spreadsheets,
//! key-word lists with dashes or colons (the `delimited` syntax).

use super::*;

#[test]
fn quizlet_export_with_tabs() {
    check(&Case {
        file: "french-quizlet-export-tab.txt",
        syntax: "delimited",
        deck: "french-quizlet-export-tab",
        cards: 20,
        samples: &[
            (0, "le chien", "the dog"),
            (8, "le cochon d'Inde", "the guinea pig"),
            (
                18,
                "Qu'est-ce que tu as comme animal ?",
                "What pet do you have?",
            ),
            (19, "As-tu un animal ?", "Do you have a pet?"),
        ],
        diagnosed: &[],
    });
}

#[test]
fn quizlet_export_with_a_dash_separator() {
    check(&Case {
        file: "german-custom-separator.txt",
        syntax: "delimited",
        deck: "german-custom-separator",
        cards: 20,
        samples: &[
            (0, "der Bahnhof", "the (train) station"),
            (7, "die S-Bahn", "the suburban railway - (city trains)"),
            (
                17,
                "Wann fährt der nächste Zug nach Berlin?",
                "When does the next train to Berlin leave?",
            ),
            (19, "die Auskunft", "information (desk)"),
        ],
        diagnosed: &[],
    });
}

#[test]
fn key_words_with_en_dashes() {
    check(&Case {
        file: "history-key-words-dash.txt",
        syntax: "delimited",
        deck: "Cold War key words",
        cards: 15,
        samples: &[
            (
                0,
                "Capitalism",
                "an economic system based on private ownership and free markets",
            ),
            (
                5,
                "Truman Doctrine",
                "1947 – US promise to support free peoples resisting communism",
            ),
            (
                14,
                "Détente",
                "a relaxation of tension between the superpowers in the 1970s",
            ),
        ],
        diagnosed: &[],
    });
}

#[test]
fn key_terms_with_colons() {
    check(&Case {
        file: "computing-key-terms.txt",
        syntax: "delimited",
        deck: "Computer Science – Key Terms (Paper 1)",
        cards: 18,
        samples: &[
            (
                0,
                "Algorithm",
                "a sequence of steps that can be followed to complete a task",
            ),
            (
                8,
                "Syntax error",
                "code that breaks the rules of the language, e.g. a missing colon",
            ),
            (
                16,
                "Hexadecimal",
                "base 16 – uses 0–9 and A–F; e.g. FF = 255",
            ),
            (
                17,
                "Protocol",
                "a set of rules for how devices communicate, e.g. TCP/IP, HTTP",
            ),
        ],
        diagnosed: &[],
    });
}

#[test]
fn spreadsheet_csv_with_a_topic_column() {
    let (doc, roles) = check(&Case {
        file: "history-spreadsheet.csv",
        syntax: "delimited",
        deck: "history-spreadsheet",
        cards: 15,
        samples: &[
            (0, "When did the First World War begin?", "28 July 1914"),
            (8, "What was the \"war guilt\" clause?", "Article 231 of the Treaty of Versailles – Germany had to accept blame for the war"),
            (10, "What was the League of Nations?", "An international organisation set up in 1920 to keep peace,\nsettle disputes and improve living conditions"),
            (14, "When did WW2 begin?", "1 September 1939 (invasion of Poland)"),
        ],
        diagnosed: &[],
    });
    assert_eq!(rule_of(&roles, 1), "delimited-header-row");
    assert_eq!(tags(&doc, 0), ["WW1"]);
    assert_eq!(tags(&doc, 8), ["Versailles"]);
    assert!(tags(&doc, 14).is_empty());
}

#[test]
fn anki_export_with_html_and_tags() {
    let (doc, _) = check(&Case {
        file: "maths-anki-export.txt",
        syntax: "delimited",
        deck: "maths-anki-export",
        cards: 15,
        samples: &[
            (
                0,
                "What is the quadratic formula?",
                "x = (-b ± √(b² - 4ac)) / 2a",
            ),
            (
                7,
                "SOH CAH TOA",
                "sin = opp/hyp\ncos = adj/hyp\ntan = opp/adj",
            ),
            (14, "Volume of a cylinder", "πr²h"),
        ],
        diagnosed: &[],
    });
    assert_eq!(tags(&doc, 6), ["geometry", "trigonometry"]);
}

#[test]
fn bilingual_list_with_equals_signs() {
    check(&Case {
        file: "german-bilingual-equals.txt",
        syntax: "delimited",
        deck: "German – Tiere und Haustiere",
        cards: 12,
        samples: &[
            (0, "der Hund", "the dog"),
            (5, "die Maus (die Mäuse)", "the mouse (the mice)"),
            (9, "Hast du ein Haustier?", "Do you have a pet?"),
            (11, "Mein Hund heißt Bello", "My dog is called Bello"),
        ],
        diagnosed: &[],
    });
}

#[test]
fn vocabulary_with_word_classes_under_a_dashed_heading() {
    check(&Case {
        file: "spanish-vocab-word-classes.txt",
        syntax: "delimited",
        deck: "Spanish vocab – Module 4: De vacaciones",
        cards: 13,
        samples: &[
            (0, "la playa (n.f.)", "beach"),
            (5, "alquilar (v.)", "to hire, to rent"),
            (12, "sin embargo (conj.)", "however"),
        ],
        diagnosed: &[],
    });
}
