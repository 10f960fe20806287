//! The named, context-free line rules of the `notes` syntax: is this line a
//! question (and by which rule), an answer with a list marker, a section
//! label, a `… Flashcards` title, or page furniture?
//!
//! Rules favour precision: a line only becomes a question when it looks like
//! one on its own. Notes are full of answer lines that *start* like prompts
//! ("State control of industry…", "Was signed in 1950", "When he died…"), and
//! a missed question is easier to spot (it shows up inside an answer) than a
//! card split in two. `docs/detection.md` lists every rule.

use super::super::split_id;
use super::languages;
use super::words::{
    AUX, DETERMINERS, HOW_NEXT, NOUN_LIKE_VERBS, PROMPT_NOUNS, PROMPT_VERBS, STATEMENT_VERBS, WH,
};

/// List markers that make a line an answer line whatever follows.
const MARKER_CHARS: &[char] = &['•', '◦', '▪', '‣', '→', '·', '>'];
const MARKER_PREFIXES: &[&str] = &["- ", "* ", "+ ", "– ", "— "];

/// How a line was numbered, if it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    None,
    /// `1.`, `2)`, `(3)`, `a)`, `(b)`: the rest still has to look like a question.
    Item,
    /// `Q1)`, `Q2.`, `Question 3:`: a question whatever follows.
    Question,
}

/// The lowercase words of `text` (letters, digits and apostrophes).
pub(super) fn words(text: &str) -> Vec<String> {
    split_words(text).map(lower_word).collect()
}

fn split_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
}

fn lower_word(w: &str) -> String {
    let lower = w.to_lowercase();
    if lower.contains('’') {
        lower.replace('’', "'")
    } else {
        lower
    }
}

/// How many of a line's first words the question rules look at.
const HEAD: usize = 3;

/// The first [`HEAD`] of a line's [`words`], and how many words it has in
/// all: what the question rules look at. Every line is classified, and
/// lowercasing all its words, one `String` each, was most of the cost.
pub(super) struct Head {
    pub words: Vec<String>,
    pub count: usize,
}

pub(super) fn head(text: &str) -> Head {
    let mut all = split_words(text);
    let words: Vec<String> = all.by_ref().take(HEAD).map(lower_word).collect();
    let count = words.len() + all.count();
    Head { words, count }
}

/// Splits a numbering prefix off `text` (already trimmed). Returns the kind
/// and the byte length of the prefix, trailing space included.
pub fn numbering(text: &str) -> (Numbering, usize) {
    let bytes = text.as_bytes();
    // Only a line opening with `q` can have this numbering: the others
    // skip lowercasing.
    let lower = if matches!(bytes.first(), Some(b'q' | b'Q')) {
        text.to_ascii_lowercase()
    } else {
        String::new()
    };
    // `Q1)`, `Q 1.`, `Question 3:`, `Q1 What…`, `Q. What…`
    for word in ["question", "q"] {
        let Some(rest) = lower.strip_prefix(word) else {
            continue;
        };
        let spaced = rest.trim_start_matches(' ');
        let digits = spaced.len()
            - spaced
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        let after_digits = &spaced[digits..];
        let punct = after_digits.starts_with(['.', ')', ':']);
        let after = if punct {
            &after_digits[1..]
        } else {
            after_digits
        };
        let separated = after.is_empty() || after.starts_with([' ', '\t']);
        // Without a number only `Q.`/`Q)`/`Q:` count (not `Quiz`, `Q 7th`).
        let numbered = digits > 0 || (word == "q" && punct && rest.len() == spaced.len());
        if separated && numbered {
            return (Numbering::Question, text.len() - after.trim_start().len());
        }
    }
    if let Some(len) = exam_numbering(text) {
        return (Numbering::Item, len);
    }
    // `12.`, `3)`, `(4)`, `a)`, `(b)`
    let (open, start) = if bytes.first() == Some(&b'(') {
        (true, 1)
    } else {
        (false, 0)
    };
    let body = &text[start..];
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let letter = digits == 0 && body.starts_with(|c: char| c.is_ascii_lowercase());
    let n = if letter { 1 } else { digits };
    if n == 0 || n > 3 {
        return (Numbering::None, 0);
    }
    let tail = &body[n..];
    let closed = if open {
        tail.starts_with(')')
    } else {
        tail.starts_with(['.', ')']) && !(letter && tail.starts_with('.'))
    };
    let rest = if closed { &tail[1..] } else { "" };
    if closed && rest.starts_with([' ', '\t']) {
        (Numbering::Item, text.len() - rest.trim_start().len())
    } else {
        (Numbering::None, 0)
    }
}

/// Exam paper numbering: a question number of one or two digits, then
/// part labels in brackets (`1 (a)`, `2(b)(ii)`, `(a)(i)`), or a bare number
/// and a space (`3 Give two ways…`). Returns the prefix length, trailing
/// space included, when text follows.
fn exam_numbering(text: &str) -> Option<usize> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 2 {
        return None;
    }
    let mut rest = text.get(digits..)?;
    let mut parts = 0;
    loop {
        let spaced = rest.trim_start_matches(' ');
        let Some(label) = spaced
            .strip_prefix('(')
            .and_then(|r| r.split_once(')'))
            .filter(|(label, _)| is_part_label(label))
        else {
            break;
        };
        rest = label.1;
        parts += 1;
    }
    let bare = digits > 0 && parts == 0;
    // `(b)` alone is the ordinary item numbering.
    if (digits == 0 && parts < 2) || (bare && !rest.starts_with(' ')) {
        return None;
    }
    let after = rest.trim_start_matches([' ', '\t']);
    let separated = after.len() < rest.len();
    (separated && !after.is_empty()).then(|| text.len() - after.len())
}

/// A part label of an exam question: one lowercase letter or a roman
/// numeral up to `x`.
fn is_part_label(label: &str) -> bool {
    const ROMAN: &[&str] = &["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
    (label.len() == 1 && label.bytes().all(|b| b.is_ascii_lowercase())) || ROMAN.contains(&label)
}

/// True when `text` ends with a mark allocation, `[3 marks]` or `(1 mark)`:
/// only exam questions carry one.
fn has_mark_allocation(text: &str) -> bool {
    let t = text.trim_end();
    let Some(inner) = t
        .strip_suffix(']')
        .and_then(|r| r.rsplit_once('[').map(|(_, i)| i))
        .or_else(|| {
            t.strip_suffix(')')
                .and_then(|r| r.rsplit_once('(').map(|(_, i)| i))
        })
    else {
        return false;
    };
    let mut parts = inner.split_whitespace();
    let number = parts
        .next()
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let unit = parts
        .next()
        .is_some_and(|u| u.eq_ignore_ascii_case("mark") || u.eq_ignore_ascii_case("marks"));
    number && unit && parts.next().is_none()
}

/// The number and style (`.`, `)` or `(`) of a digit item numbering like
/// `12.`, `3)` or `(4)` opening `text`.
pub fn item_number(text: &str) -> Option<(u32, char)> {
    if numbering(text).0 != Numbering::Item {
        return None;
    }
    let (body, open) = match text.strip_prefix('(') {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let n = body.get(..digits)?.parse().ok()?;
    let style = if open {
        '('
    } else {
        body.get(digits..)?.chars().next()?
    };
    // Exam numbering (`1 (a)`) is not an item sequence.
    matches!(style, '.' | ')' | '(').then_some((n, style))
}

/// True when `text` ends in a question mark, ignoring closing quotes and
/// brackets, a `{#id}` and a trailing mark scheme like `(2 marks)`.
fn ends_in_question_mark(text: &str) -> bool {
    let text = split_id(text).map_or(text, |(q, _)| q);
    let mut t = text.trim_end();
    if t.ends_with("marks)") || t.ends_with("marks]") || t.ends_with("mark)") {
        if let Some(open) = t.rfind(['(', '[']) {
            t = t[..open].trim_end();
        }
    }
    t.trim_end_matches([')', ']', '"', '”', '’', '\'', ' '])
        .ends_with('?')
}

/// The question rule that `text` (trimmed, numbering removed) satisfies.
pub fn question_rule(text: &str) -> Option<&'static str> {
    if starts_with_marker(text) {
        return None;
    }
    let w = head(text);
    let first = w.words.first().map(String::as_str).unwrap_or("");
    let second = w.words.get(1).map(String::as_str).unwrap_or("");
    let has_q = text.contains('?');
    let long_sentence = text.trim_end().ends_with('.') && w.count > 12;
    if WH.contains(&first) && text.starts_with(|c: char| c.is_alphabetic()) {
        let shaped = matches!(first, "what" | "which" | "whose" | "what's")
            || AUX.contains(&second)
            || (first == "how" && HOW_NEXT.contains(&second))
            || second == "and";
        if has_q || (shaped && !long_sentence) {
            return Some("interrogative");
        }
    }
    if languages::is_interrogative(text, &w.words, w.count) {
        return Some("interrogative");
    }
    // Yes/no questions need their `?`: "Was signed in 1950" is an answer.
    if AUX.contains(&first) && has_q {
        return Some("interrogative");
    }
    if (PROMPT_VERBS.contains(&first) || languages::is_prompt_verb(first)) && !long_sentence {
        return Some("prompt-verb");
    }
    if NOUN_LIKE_VERBS.contains(&first) && !long_sentence {
        let colon = text
            .split_whitespace()
            .next()
            .is_some_and(|t| t.ends_with(':'));
        if colon
            || DETERMINERS.contains(&second)
            || second.chars().all(|c| c.is_ascii_digit()) && !second.is_empty()
        {
            return Some("prompt-verb");
        }
    }
    if is_prompt_noun(text, w.count) {
        return Some("prompt-noun");
    }
    if has_mark_allocation(text) {
        return Some("mark-allocation");
    }
    if ends_in_question_mark(text) {
        return Some("question-mark");
    }
    None
}

fn is_prompt_noun(text: &str, count: usize) -> bool {
    let lower = text.to_lowercase();
    let Some(phrase) = PROMPT_NOUNS
        .iter()
        .find(|p| lower.starts_with(*p) && lower[p.len()..].starts_with(' '))
    else {
        return false;
    };
    let t = text.trim_end();
    if t.ends_with('.') || count > 14 {
        return false;
    }
    // "Causes of WW1: alliances, militarism" is a note, not a prompt.
    if let Some(colon) = t.find(": ") {
        if t[colon + 2..].split_whitespace().count() >= 2 {
            return false;
        }
    }
    let skip = phrase.split(' ').count();
    for word in words(text).iter().skip(skip) {
        if WH.contains(&word.as_str()) {
            break;
        }
        if STATEMENT_VERBS.contains(&word.as_str()) {
            return false;
        }
    }
    true
}

/// True when the line opens with a list marker (`- `, `> `, `• `…).
pub fn starts_with_marker(text: &str) -> bool {
    text.starts_with(MARKER_CHARS) || MARKER_PREFIXES.iter().any(|m| text.starts_with(m))
}

/// The label of a section marker line like `(Context)` or `[Context]`:
/// a short capitalised label, alone in its brackets.
pub fn section_label(text: &str) -> Option<&str> {
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .or_else(|| text.strip_prefix('[').and_then(|t| t.strip_suffix(']')))?;
    let label = inner.trim();
    let plain = !label.contains(['(', ')', '[', ']', '?', '.', ':']);
    let short = label.split_whitespace().count() <= 4 && label.chars().count() <= 40;
    // A label is a name (`(Context)`), not an aside like `(see above)`.
    (plain && short && label.starts_with(char::is_uppercase)).then_some(label)
}

/// A heading written in capitals, `SEPARATING MIXTURES` or `BONDING`: no
/// lowercase letter, no sentence punctuation, at most 6 words, and either
/// two words of two or more letters or one word of six or more (so `DNA`,
/// `NATO`, `TRUE` are not headings).
pub fn caps_heading(text: &str) -> bool {
    if text.chars().any(char::is_lowercase) || text.contains(['.', '?', ',', ';', ':', '!', '=']) {
        return false;
    }
    let long_words: Vec<usize> = text
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphabetic()).count())
        .filter(|&n| n >= 2)
        .collect();
    let words = text.split_whitespace().count();
    words <= 6
        && !starts_with_marker(text)
        && (long_words.len() >= 2 || long_words.iter().any(|&n| n >= 6))
}

/// The deck name of a `X Flashcards` / `Flashcards: X` title line, as a
/// byte range in `text`.
pub fn flashcards_title(text: &str) -> Option<(usize, usize)> {
    let seps: &[char] = &[' ', '-', '–', '—', ':', '|', '\t'];
    for word in ["flashcards", "flash cards", "flash-cards", "flashcard"] {
        let n = word.len();
        let Some(cut) = text.len().checked_sub(n) else {
            continue;
        };
        let tail = text.get(cut..).unwrap_or("");
        if tail.eq_ignore_ascii_case(word) && (cut == 0 || text[..cut].ends_with(seps)) {
            let name = text[..cut].trim_end_matches(seps);
            return Some((0, name.len()));
        }
        let head = text.get(..n).unwrap_or("");
        if head.eq_ignore_ascii_case(word) && text[n..].starts_with(seps) {
            let name = text[n..].trim_start_matches(seps);
            return Some((text.len() - name.len(), text.len()));
        }
    }
    None
}

/// A heading-like line: short, and not a sentence.
pub fn title_like(text: &str) -> bool {
    let t = text.trim_end();
    t.split_whitespace().count() <= 12 && !t.ends_with(['.', ',', ';']) && !starts_with_marker(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_prefixes() {
        assert_eq!(numbering("1. What is x?"), (Numbering::Item, 3));
        assert_eq!(numbering("(2) What is x?"), (Numbering::Item, 4));
        assert_eq!(numbering("b) What"), (Numbering::Item, 3));
        assert_eq!(numbering("Q3) Name two"), (Numbering::Question, 4));
        assert_eq!(numbering("Question 4: Why"), (Numbering::Question, 12));
        assert_eq!(numbering("Q: Why"), (Numbering::Question, 3));
        assert_eq!(numbering("Quiz night"), (Numbering::None, 0));
        assert_eq!(numbering("1950. The treaty"), (Numbering::None, 0));
        assert_eq!(numbering("1.5 million"), (Numbering::None, 0));
        assert_eq!(item_number("12. Work done"), Some((12, '.')));
        assert_eq!(item_number("(4) x"), Some((4, '(')));
        assert_eq!(item_number("b) x"), None);
        assert_eq!(numbering("1 (a) Name"), (Numbering::Item, 6));
        assert_eq!(numbering("2(b)(ii) Why"), (Numbering::Item, 9));
        assert_eq!(numbering("(a)(i) Why"), (Numbering::Item, 7));
        assert_eq!(numbering("3 Give two"), (Numbering::Item, 2));
        assert_eq!(numbering("1950 Treaty"), (Numbering::None, 0));
        assert_eq!(item_number("1 (a) Name"), None);
        assert!(has_mark_allocation("Explain why. [3 marks]"));
        assert!(has_mark_allocation("Name it (1 mark)"));
        assert!(!has_mark_allocation("enzyme is denatured (1)"));
        assert!(!has_mark_allocation("Marks (out of 10)"));
    }

    #[test]
    fn question_rules_by_name() {
        let rule = question_rule;
        assert_eq!(rule("Define Sino-Soviet relations"), Some("prompt-verb"));
        assert_eq!(
            rule("Context for the Sino Soviet relations"),
            Some("prompt-noun")
        );
        assert_eq!(
            rule("When did the border disputes heighten?"),
            Some("interrogative")
        );
        assert_eq!(
            rule("how many legs does a spider have"),
            Some("interrogative")
        );
        assert_eq!(rule("Photosynthesis?"), Some("question-mark"));
        assert_eq!(rule("Why did it fail? (4 marks)"), Some("interrogative"));
        assert_eq!(rule("Name two abiotic factors"), Some("prompt-verb"));
        assert_eq!(rule("List: three causes"), Some("prompt-verb"));
        assert_eq!(
            rule("The vaccine is dead. Describe how it works. [4 marks]"),
            Some("mark-allocation")
        );
    }

    #[test]
    fn answer_lines_that_start_like_questions() {
        for line in [
            "describes the turbulent relationship the USSR and China",
            "Mao was heavily critical of the policy - he thought it weak",
            "Soviet military assistance and aid",
            "State control of industry",
            "Was signed in 1950",
            "When he died in 1953 Mao felt senior",
            "- What about the peasants?",
            "> Is this true?",
            "Causes of the war were economic",
            "Causes of WW1: alliances, militarism",
            "Explain how it survived, making sure to mention the army, the police and the economy in the answer.",
        ] {
            assert_eq!(question_rule(line), None, "{line}");
        }
    }

    #[test]
    fn labels_and_titles() {
        assert_eq!(section_label("(Context)"), Some("Context"));
        assert_eq!(section_label("[Key terms]"), Some("Key terms"));
        assert_eq!(section_label("(1950)"), None);
        assert_eq!(section_label("(see above)"), None);
        assert!(caps_heading("SEPARATING MIXTURES"));
        assert!(caps_heading("C2 BONDING"));
        assert!(!caps_heading("DNA"));
        assert!(!caps_heading("USA, USSR"));
        assert!(!caps_heading("Atoms And Elements"));
        assert_eq!(
            flashcards_title("Sino-Soviet Relations Flashcards"),
            Some((0, 21))
        );
        assert_eq!(flashcards_title("Flashcards: Cells"), Some((12, 17)));
        assert_eq!(flashcards_title("Myflashcards"), None);
    }

    proptest::proptest! {
        /// The question rules read a line's first words through [`head`]:
        /// the same words [`words`] gives, and the same count.
        #[test]
        fn head_is_the_start_of_words(text in "([A-Za-zÉé’'0-9]{0,4}[ ,.?-]{0,2}){0,8}") {
            let all = words(&text);
            let h = head(&text);
            proptest::prop_assert_eq!(&h.words[..], &all[..all.len().min(HEAD)]);
            proptest::prop_assert_eq!(h.count, all.len());
        }
    }
}
