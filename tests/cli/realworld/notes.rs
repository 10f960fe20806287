//! Realistic unmarked notes: Quizlet page copies, glossaries, numbered
//! worksheets and revision notes read by the `notes` rules.

use super::*;

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
fn speaking_prompts_in_french_german_and_spanish_without_question_marks() {
    let (_, roles) = check(&Case {
        file: "languages-speaking-prompts.txt",
        syntax: "notes",
        deck: "Speaking exam – prompts in three languages",
        cards: 12,
        samples: &[
            (
                0,
                "Décris ta famille.",
                "Il y a quatre personnes dans ma famille.\nMon frère s'appelle Tom.",
            ),
            (
                2,
                "Où habites-tu",
                "J'habite à Leeds, dans le nord de l'Angleterre.",
            ),
            (
                4,
                "Beschreibe dein Haus.",
                "Ich wohne in einem Reihenhaus mit drei Schlafzimmern.",
            ),
            (
                5,
                "Was machst du in deiner Freizeit",
                "Ich spiele gern Fußball und ich lese viel.",
            ),
            (
                9,
                "¿Qué hiciste el verano pasado",
                "Fui a España con mi familia.",
            ),
            (
                11,
                "Por qué estudias español",
                "Porque es útil para el futuro.",
            ),
        ],
        diagnosed: &[],
    });
    assert_eq!(rule_of(&roles, 5), "interrogative");
    assert_eq!(rule_of(&roles, 17), "prompt-verb");
}

#[test]
fn exam_questions_with_part_numbers_mark_allocations_and_mark_schemes() {
    let (_, roles) = check(&Case {
        file: "biology-exam-mark-scheme.txt",
        syntax: "notes",
        deck: "B3 Infection and Response – Past paper questions with mark schemes",
        cards: 6,
        samples: &[
            (0, "Name the type of pathogen that causes measles. [1 mark]", "a virus"),
            (
                2,
                "The measles vaccine contains a dead or inactive form of the virus. Describe how vaccination prevents infection. [4 marks]",
                "- white blood cells produce antibodies against the antigens (1)\n- memory cells are made (1)\n- on infection antibodies are produced rapidly (1)\n- in large numbers, so the pathogen is destroyed before symptoms (1)",
            ),
            (
                4,
                "Suggest why doctors do not prescribe antibiotics for mild infections. [2 marks]",
                "to slow the development of antibiotic-resistant strains (1)\naccept: resistant bacteria (1)",
            ),
            (
                5,
                "Give two ways that plants defend themselves against pathogens. (2 marks)",
                "cellulose cell walls (1)\nwaxy cuticle (1)",
            ),
        ],
        diagnosed: &[],
    });
    assert_eq!(rule_of(&roles, 9), "mark-allocation");
}

#[test]
fn headings_in_capitals_are_sections_for_every_card_under_them() {
    let (doc, roles) = check(&Case {
        file: "chemistry-caps-sections.txt",
        syntax: "notes",
        deck: "C1 Atomic Structure – Revision Questions",
        cards: 9,
        samples: &[
            (
                2,
                "What is a compound?",
                "Two or more elements chemically combined in fixed proportions",
            ),
            (
                3,
                "Describe how to separate sand from salt water.",
                "Filter to remove the sand, then evaporate or crystallise the salt water",
            ),
            (
                8,
                "Relative charge of a proton, a neutron and an electron?",
                "+1, 0 and -1",
            ),
        ],
        diagnosed: &[],
    });
    assert_eq!(rule_of(&roles, 11), "section-heading-caps");
    assert_eq!(tags(&doc, 0), ["ATOMS_AND_ELEMENTS"]);
    assert_eq!(tags(&doc, 2), ["ATOMS_AND_ELEMENTS"]);
    assert_eq!(tags(&doc, 5), ["SEPARATING_MIXTURES"]);
    assert_eq!(tags(&doc, 8), ["THE_MODEL_OF_THE_ATOM"]);
}

#[test]
fn lesson_dates_and_questions_without_question_marks() {
    let (_, roles) = check(&Case {
        file: "history-lesson-notes-dated.txt",
        syntax: "notes",
        deck: "Y10 History – Elizabethan England",
        cards: 6,
        samples: &[
            (0, "Why was a religious settlement needed", "England had swung from Protestant (Edward VI) to Catholic (Mary I); Elizabeth needed a \"middle way\" to unite the country"),
            // The date of the next lesson is not part of this answer.
            (2, "Describe the Northern Rebellion of 1569", "Northern Catholic earls rose up to put Mary, Queen of Scots on the throne; it was crushed and about 450 rebels were executed"),
            (5, "How did the weather help England in 1588", "Storms (\"the Protestant wind\") wrecked many Spanish ships off Scotland and Ireland"),
        ],
        diagnosed: &[2, 10],
    });
    assert_eq!(rule_of(&roles, 10), "furniture");
}

#[test]
fn quizlet_copy_whose_definitions_wrap_onto_a_second_line() {
    let (_, roles) = check(&Case {
        file: "history-quizlet-two-line-definitions.txt",
        syntax: "notes",
        deck: "Treaty of Versailles key terms",
        cards: 8,
        samples: &[
            (0, "Diktat", "A dictated peace – Germany was not allowed to negotiate,\nit was simply told to sign."),
            (2, "Article 231", "The \"war guilt\" clause"),
            (6, "Big Three", "Wilson (USA), Clemenceau (France) and\nLloyd George (Britain)"),
            (7, "Self-determination", "The right of nations to rule themselves"),
        ],
        diagnosed: &[2],
    });
    assert_eq!(rule_of(&roles, 8), "alternating-continuation");
}

#[test]
fn quizlet_copy_with_images_stripped_leaving_blank_lines() {
    check(&Case {
        file: "biology-quizlet-images-stripped.txt",
        syntax: "notes",
        deck: "Cell structure (with diagrams)",
        cards: 8,
        samples: &[
            (
                0,
                "Nucleus",
                "Contains genetic material that controls the activities of the cell",
            ),
            (
                1,
                "Cell membrane",
                "Controls what enters and leaves the cell",
            ),
            (7, "Cytoplasm", "Where most chemical reactions take place"),
        ],
        diagnosed: &[2],
    });
}

#[test]
fn numbered_questions_with_lettered_answer_lists() {
    check(&Case {
        file: "history-lettered-answers.txt",
        syntax: "notes",
        deck: "Causes of the First World War – homework answers",
        cards: 6,
        samples: &[
            (0, "What were the four long-term causes of the war?", "a) Militarism\nb) Alliances\nc) Imperialism\nd) Nationalism"),
            (3, "Give two reasons why Britain joined the war.", "a) Germany invaded Belgium, whose neutrality Britain had guaranteed (Treaty of London, 1839)\nb) Britain feared German naval power after the naval race"),
            (5, "Name the two sides in the Moroccan Crises.", "a) Germany\nb) France, backed by Britain"),
        ],
        diagnosed: &[],
    });
}
