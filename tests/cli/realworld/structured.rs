//! Realistic files with explicit structure: Q/A sheets (`qa`), blank-line
//! blocks (`blocks`) and markdown revision notes.

use super::*;
use crate::common::{assert_code, fixture, run, stdout};

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

#[test]
fn q_dot_and_ans_dot_markers() {
    check(&Case {
        file: "geography-q-ans.txt",
        syntax: "qa",
        deck: "Tectonic Hazards – revision Qs",
        cards: 8,
        samples: &[
            (0, "What is a tectonic plate?", "A large slab of the Earth's crust (lithosphere) that moves slowly on the mantle."),
            (2, "What happens at a destructive margin?", "Oceanic crust is subducted under continental crust.\nIt melts, and the magma can rise to form volcanoes."),
            (4, "Why do people live near volcanoes?", "- fertile soil for farming\n- geothermal energy\n- tourism"),
            (7, "How is the magnitude of an earthquake measured?", "On the moment magnitude scale (it replaced the Richter scale)."),
        ],
        diagnosed: &[],
    });
}

#[test]
fn blocks_of_code_keep_their_indentation_to_the_outputs() {
    check(&Case {
        file: "python-code-blocks.txt",
        syntax: "blocks",
        deck: "Python revision – functions and loops",
        cards: 6,
        samples: &[
            (
                0,
                "Write a function that returns the larger of two numbers",
                "def larger(a, b):\n    if a > b:\n        return a\n    return b",
            ),
            (
                2,
                "What does this print?",
                "for n in range(3):\n    print(n * 2)\nOutput: 0, 2, 4 (one per line)",
            ),
            (
                4,
                "What is a list comprehension?",
                "A short way to build a list from a loop:\nsquares = [x * x for x in range(10)]",
            ),
            (
                5,
                "Write a while loop that counts down from 3",
                "n = 3\nwhile n > 0:\n    print(n)\n    n -= 1",
            ),
        ],
        diagnosed: &[],
    });
    // The Anki fields are HTML, where spaces would collapse.
    let path = fixture("realworld/python-code-blocks.txt");
    let o = run(&[
        "build",
        path.to_str().unwrap(),
        "--format",
        "anki",
        "-o",
        "-",
    ]);
    assert_code(&o, 0);
    assert!(
        stdout(&o)
            .contains("if a &gt; b:<br>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;return a"),
        "{}",
        stdout(&o)
    );
}
