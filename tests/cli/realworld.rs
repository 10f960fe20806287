//! Realistic notes as teachers and students paste them (fixtures in
//! `tests/fixtures/realworld/`): Quizlet page copies and exports, Q/A
//! sheets, numbered worksheets, blank-line blocks, spreadsheet and Anki
//! exports, markdown revision notes, glossaries and unmarked notes. For
//! each file: the detected syntax, the deck name, the exact number of cards,
//! a handful of exact cards (first, last, tricky ones), and exactly which
//! lines belong to no card.

use serde_json::Value;

use crate::common::*;

/// What one realistic file must parse to.
struct Case {
    file: &'static str,
    syntax: &'static str,
    deck: &'static str,
    cards: usize,
    /// (card index, question, answer as JSON joins it).
    samples: &'static [(usize, &'static str, &'static str)],
    /// Source lines diagnosed as belonging to no card (subtitles, page
    /// furniture), each intended.
    diagnosed: &'static [usize],
}

/// `check --explain` output: the syntax from the header, then
/// `(line, role, rule)` of every line.
fn explain(file: &str) -> (String, Vec<(usize, String, String)>) {
    let path = fixture(&format!("realworld/{file}"));
    let o = run(&["check", path.to_str().unwrap(), "--explain"]);
    let out = stdout(&o);
    let mut lines = out.lines();
    let header = lines.next().unwrap_or_default();
    let syntax = header
        .split_once(": syntax ")
        .and_then(|(_, rest)| rest.split(' ').next())
        .unwrap_or_else(|| panic!("no syntax in {header:?}"))
        .to_string();
    let roles = lines
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let n = words.next()?.parse().ok()?;
            let role = words.next()?.to_string();
            let rule = if role == "question" || role == "answer" {
                words.nth(1)?
            } else {
                words.next()?
            };
            Some((n, role, rule.to_string()))
        })
        .collect();
    (syntax, roles)
}

fn rule_of(roles: &[(usize, String, String)], line: usize) -> &str {
    roles
        .iter()
        .find(|(n, ..)| *n == line)
        .map(|(_, _, rule)| rule.as_str())
        .unwrap_or_else(|| panic!("line {line} not explained"))
}

fn check(case: &Case) -> (Value, Vec<(usize, String, String)>) {
    let (syntax, roles) = explain(case.file);
    assert_eq!(syntax, case.syntax, "{}: syntax", case.file);
    let diagnosed: Vec<usize> = roles
        .iter()
        .filter(|(_, role, _)| role == "diagnosed")
        .map(|(n, ..)| *n)
        .collect();
    assert_eq!(diagnosed, case.diagnosed, "{}: lines in no card", case.file);
    let doc = build_json(&fixture(&format!("realworld/{}", case.file)), &[]);
    assert_eq!(doc["deck"], case.deck, "{}: deck", case.file);
    let cards = doc["cards"].as_array().unwrap();
    assert_eq!(cards.len(), case.cards, "{}: number of cards", case.file);
    for &(i, question, answer) in case.samples {
        assert_eq!(cards[i]["question"], question, "{}: card {i}", case.file);
        assert_eq!(cards[i]["answer"], answer, "{}: answer {i}", case.file);
    }
    (doc, roles)
}

fn tags(doc: &Value, card: usize) -> Vec<&str> {
    doc["cards"][card]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect()
}

#[test]
fn quizlet_page_copy_with_title_and_term_count() {
    let (_, roles) = check(&Case {
        file: "spanish-quizlet-copy.txt",
        syntax: "notes",
        deck: "Spanish Unit 3 – La comida",
        cards: 24,
        samples: &[
            (0, "el pan", "bread"),
            (13, "la fresa", "strawberry"),
            (20, "¿Qué te gusta comer?", "What do you like to eat?"),
            (23, "está muy rico", "it's delicious"),
        ],
        diagnosed: &[2],
    });
    assert_eq!(rule_of(&roles, 2), "furniture");
    assert_eq!(rule_of(&roles, 3), "alternating-term");
}

#[test]
fn quizlet_copy_with_blank_lines_between_term_and_definition() {
    check(&Case {
        file: "german-vocab-blank-pairs.txt",
        syntax: "notes",
        deck: "German – Meine Schule (Quizlet set)",
        cards: 12,
        samples: &[
            (0, "die Schule", "school"),
            (1, "das Fach (die Fächer)", "(school) subject"),
            (
                10,
                "Was ist dein Lieblingsfach?",
                "What is your favourite subject?",
            ),
            (11, "Wir tragen eine Uniform.", "We wear a uniform."),
        ],
        diagnosed: &[],
    });
}

#[test]
fn glossary_alternating_term_and_definition() {
    check(&Case {
        file: "ecology-glossary.txt",
        syntax: "notes",
        deck: "Key terms – Ecology (B7)",
        cards: 16,
        samples: &[
            (0, "Habitat", "The place where an organism lives"),
            (
                4,
                "Abiotic factor",
                "A non-living factor, e.g. light intensity, temperature, CO₂ levels, soil pH",
            ),
            (
                15,
                "Deforestation",
                "The cutting down of large areas of forest",
            ),
        ],
        diagnosed: &[],
    });
}

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
fn qa_sheet_with_crlf_subtitle_lists_and_an_empty_answer() {
    check(&Case {
        file: "biology-qa-sheet.txt",
        syntax: "qa",
        deck: "Unit 4 – Cell biology",
        cards: 15,
        samples: &[
            (
                0,
                "What is the function of the nucleus?",
                "Contains genetic material (DNA) which controls the activities of the cell",
            ),
            (
                2,
                "Name three structures found in plant cells but not animal cells.",
                "cell wall\nchloroplasts\npermanent vacuole",
            ),
            (
                7,
                "Give 3 factors that affect the rate of diffusion",
                "- concentration gradient\n- temperature\n- surface area of the membrane",
            ),
            (13, "What is a stem cell?", ""),
            (
                14,
                "Where are stem cells found in plants?",
                "Meristems (tips of roots and shoots)",
            ),
        ],
        diagnosed: &[2],
    });
}

#[test]
fn question_and_answer_words_with_numbers() {
    let (doc, _) = check(&Case {
        file: "chemistry-question-answer.txt",
        syntax: "qa",
        deck: "C3 Quantitative Chemistry – Revision Questions",
        cards: 10,
        samples: &[
            (
                0,
                "What is the relative formula mass (Mr) of H2O?",
                "18 (2 × 1 + 16)",
            ),
            (1, "Calculate the Mr of CO₂", "44\n(12 + 2 × 16)"),
            (9, "Balance: H₂ + O₂ → H₂O", "2H₂ + O₂ → 2H₂O"),
        ],
        diagnosed: &[],
    });
    // `(12 + 2 × 16)` under an answer is part of it, not a section.
    assert!(tags(&doc, 2).is_empty());
}

#[test]
fn numbered_q_and_a_markers() {
    let (doc, _) = check(&Case {
        file: "maths-numbered-qa.txt",
        syntax: "qa",
        deck: "Year 9 Maths – Fractions, decimals & percentages",
        cards: 10,
        samples: &[
            (0, "Write 3/8 as a decimal.", "0.375"),
            (
                4,
                "A coat costs £64 in a 20% off sale. What was the original price?",
                "64 ÷ 0.8 = £80\n(reverse percentage – don't just add 20% back on!)",
            ),
            (9, "Write 7/20 as a percentage.", ""),
        ],
        diagnosed: &[2],
    });
    assert!(tags(&doc, 5).is_empty());
}

#[test]
fn numbered_worksheet_with_form_fields_and_prompts_that_do_not_look_like_questions() {
    let (_, roles) = check(&Case {
        file: "physics-numbered-questions.txt",
        syntax: "notes",
        deck: "P2 Forces – Retrieval practice",
        cards: 12,
        samples: &[
            (0, "What is the unit of force?", "Newton (N)"),
            (1, "State Newton's second law.", "resultant force = mass × acceleration\nF = m × a"),
            (3, "Calculate the weight of a 5 kg bag on Earth (g = 9.8 N/kg).", "W = m × g = 5 × 9.8 = 49 N"),
            (10, "Hooke's law?", "F = k × e (force = spring constant × extension), as long as the limit of proportionality is not exceeded."),
            (11, "Work done – equation and unit", "W = F × s, joules (J)"),
        ],
        diagnosed: &[2, 33],
    });
    assert_eq!(rule_of(&roles, 2), "furniture");
    assert_eq!(rule_of(&roles, 6), "numbered-sequence");
    assert_eq!(rule_of(&roles, 30), "numbered-sequence");
}

#[test]
fn unmarked_revision_notes() {
    let (doc, roles) = check(&Case {
        file: "ww1-unmarked-notes.txt",
        syntax: "notes",
        deck: "The Western Front 1914–1918",
        cards: 10,
        samples: &[
            (0, "What was the Schlieffen Plan?", "Germany’s plan to avoid a war on two fronts: knock France out in 6 weeks by attacking through Belgium, then turn east to fight Russia."),
            (6, "Who was General Haig?", "Commander of the BEF from Dec 1915. Still debated – “lions led by donkeys”?"),
            (7, "Was Haig a good general?", "For: he learned from mistakes, won in 1918 (Hundred Days)\nAgainst: huge losses at the Somme and Passchendaele"),
            (9, "How did the war end?", "Armistice signed 11 November 1918 at 11am"),
        ],
        diagnosed: &[],
    });
    assert_eq!(rule_of(&roles, 26), "statement-under-question");
    assert_eq!(tags(&doc, 4), ["Key_battles"]);
    assert!(tags(&doc, 5).is_empty());
}

#[test]
fn blocks_with_code_and_a_detached_answer_line() {
    let (_, roles) = check(&Case {
        file: "computing-blocks.txt",
        syntax: "blocks",
        deck: "CS revision – C++ and Rust basics",
        cards: 12,
        samples: &[
            (0, "What does #include <iostream> do?", "Tells the preprocessor to copy in the iostream header\nso you can use std::cout and std::cin"),
            (2, "What does the -> operator do in C++?", "Accesses a member through a pointer: p->x is the same as (*p).x"),
            (3, "What is a pointer?", "A variable that stores a memory address\nint* p = &x;"),
            (5, "What does :: mean in Rust?", "Path separator – e.g. std::collections::HashMap or Vec::new()"),
            (7, "Borrowing", "Taking a reference (&T or &mut T) to a value without taking ownership.\n- many &T at once, OR\n- exactly one &mut T"),
            (11, "Big O of bubble sort (worst case)", "O(n²)"),
        ],
        diagnosed: &[],
    });
    assert_eq!(rule_of(&roles, 17), "blocks-detached-answer");
}

#[test]
fn numbered_blocks_under_a_title_block() {
    let (_, roles) = check(&Case {
        file: "french-speaking-questions.txt",
        syntax: "blocks",
        deck: "French GCSE – Speaking: general conversation (Theme 1)",
        cards: 10,
        samples: &[
            (0, "Comment t’appelles-tu ?", "Je m’appelle Sophie."),
            (3, "Décris ta famille.", "Il y a quatre personnes dans ma famille : mon père, ma mère, mon frère et moi.\nMon frère s’appelle Tom, il est pénible !"),
            (9, "Quel est ton passe-temps préféré ? Pourquoi ?", "Mon passe-temps préféré, c’est la natation parce que c’est bon pour la santé."),
        ],
        diagnosed: &[2],
    });
    assert_eq!(rule_of(&roles, 1), "blocks-title-block");
}

#[test]
fn blocks_of_quotations() {
    check(&Case {
        file: "macbeth-quotes.txt",
        syntax: "blocks",
        deck: "Macbeth – key quotations",
        cards: 8,
        samples: &[
            (
                0,
                "“Fair is foul, and foul is fair”",
                "The Witches, Act 1 Scene 1\nTheme: appearance vs reality, the supernatural",
            ),
            (
                3,
                "“Will all great Neptune’s ocean wash this blood / Clean from my hand?”",
                "Macbeth, Act 2 Scene 2\nGuilt – blood imagery",
            ),
            (
                7,
                "“this dead butcher and his fiend-like queen”",
                "Malcolm, Act 5 Scene 9\nHow Macbeth is remembered",
            ),
        ],
        diagnosed: &[],
    });
}

#[test]
fn markdown_revision_notes_with_a_stray_empty_heading() {
    let (doc, roles) = check(&Case {
        file: "ww2-revision.md",
        syntax: "markdown",
        deck: "WW2 Revision Notes",
        cards: 10,
        samples: &[
            (0, "Why did appeasement fail?", "- Hitler saw it as weakness and kept demanding more\n- Britain and France only started rearming seriously in 1938–39\n- The Nazi-Soviet Pact (Aug 1939) removed the threat of a two-front war"),
            (4, "Battle of Britain", "July–October 1940. RAF vs Luftwaffe for control of the skies; radar and the Spitfire/Hurricane were key.\nSignificance: Operation Sea Lion (invasion) was postponed."),
            (9, "Why did the USA drop atomic bombs on Japan?", "- to end the war quickly without an invasion\n- to show power to the USSR"),
        ],
        diagnosed: &[3, 49],
    });
    assert_eq!(rule_of(&roles, 49), "markdown-empty-heading");
    assert_eq!(tags(&doc, 0), ["Causes_of_the_war"]);
    assert_eq!(tags(&doc, 9), ["The_end_of_the_war"]);
}
