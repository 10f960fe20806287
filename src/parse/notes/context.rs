//! Context rules of the `notes` syntax: lines whose role depends on their
//! neighbours, applied after each line was classified on its own.
//!
//! * `numbered-sequence` — in notes whose questions are numbered (`1.`,
//!   `2)`, `(3)`), a numbered line that continues the questions' numbering
//!   is the next question even when its wording is not question-like
//!   ("12. Work done – equation and unit").
//! * `statement-under-question` — a line that is a question only because it
//!   ends in `?`, written directly under a question and holding a full
//!   sentence before its question mark, is that question's answer
//!   ("Commander of the BEF from 1915. Still debated – lions led by
//!   donkeys?").

use super::{furniture, rules, Class, Classified};

/// Numbered questions needed before numbering alone makes a question.
const MIN_NUMBERED_QUESTIONS: usize = 2;

/// Promotes numbered lines that continue the question numbering. An answer
/// line numbered `1` in the same style opens a list inside the answer, and
/// its items (`2.`, `3.` …) stay answers until the next question.
pub(super) fn numbered_sequence(lines: &mut [Classified<'_>]) {
    let numbered_questions = lines
        .iter()
        .filter(|l| l.is_question() && rules::item_number(l.text).is_some())
        .count();
    if numbered_questions < MIN_NUMBERED_QUESTIONS {
        return;
    }
    let mut last = None;
    let mut in_sublist = false;
    for line in lines.iter_mut() {
        let item = rules::item_number(line.text);
        if line.is_question() {
            last = item;
            in_sublist = false;
            continue;
        }
        let (Some((n, style)), Some((previous, last_style))) = (item, last) else {
            continue;
        };
        if style != last_style {
            continue;
        }
        if n == 1 {
            in_sublist = true;
        } else if n == previous + 1 && !in_sublist && line.class == Class::Plain {
            line.class = Class::Question("numbered-sequence");
            last = item;
        }
    }
}

/// A date line (`Monday 3rd March`) that is not directly under a question
/// is furniture: the start of a new lesson in running notes, not part of
/// the answer above it. Under a question it is that question's answer
/// ("When was Pearl Harbor attacked?" / "Sunday 7 December 1941").
pub(super) fn date_lines(lines: &mut [Classified<'_>]) {
    let mut previous_is_question = false;
    for line in lines.iter_mut() {
        if line.class == Class::Plain && !previous_is_question && furniture::is_date_line(line.text)
        {
            line.class = Class::Furniture;
        }
        if line.class != Class::Furniture {
            previous_is_question = line.is_question();
        }
    }
}

/// Demotes `question-mark` lines that are statements under a question.
pub(super) fn statements_under_questions(lines: &mut [Classified<'_>]) {
    for i in 1..lines.len() {
        let previous_is_question = lines
            .get(..i)
            .and_then(|before| before.iter().rev().find(|l| l.class != Class::Furniture))
            .is_some_and(Classified::is_question);
        let Some(line) = lines.get_mut(i) else {
            continue;
        };
        if previous_is_question
            && line.class == Class::Question("question-mark")
            && has_sentence_before_end(line.text)
        {
            line.class = Class::Answer("statement-under-question");
        }
    }
}

/// True when `text` holds a finished sentence before its end: `. ` then a
/// capital letter, after a word of two or more characters (so `e.g. X` and
/// `U.S. Army` do not count).
fn has_sentence_before_end(text: &str) -> bool {
    text.match_indices(". ").any(|(at, _)| {
        let before = text.get(..at).unwrap_or("");
        let word = before.rsplit(' ').next().unwrap_or("");
        let after = text.get(at + 2..).unwrap_or("");
        word.chars().count() >= 2 && !word.contains('.') && after.starts_with(char::is_uppercase)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_before_the_end() {
        assert!(has_sentence_before_end(
            "Commander of the BEF from Dec 1915. Still debated?"
        ));
        assert!(!has_sentence_before_end("What is meant by e.g. Osmosis?"));
        assert!(!has_sentence_before_end("Was the U.S. Army ready?"));
        assert!(!has_sentence_before_end("Photosynthesis?"));
    }
}
