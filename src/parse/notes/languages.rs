//! The question shapes of French, Spanish and German notes, for the
//! `interrogative` and `prompt-verb` rules: language teachers write
//! speaking prompts like "Décris ta famille.", "Beschreibe dein Haus." or
//! "¿Qué hiciste el verano pasado" without an English question word, and
//! often without a `?`.
//!
//! The lists hold only words that cannot start an English line (or start it
//! the same way): `Was` is also English ("Was signed in 1950"), so it is
//! German only when a German pronoun or verb follows ("Was machst du").
//! Spanish question words count only with their accent: `Cuándo`, `Cómo`,
//! `Qué` ask, while `Cuando`, `Como`, `Que` start answers.

/// Question words of French, Spanish and German (lowercase, accents kept;
/// `qu'est` is `Qu'est-ce que…` after word splitting).
const INTERROGATIVES: &[&str] = &[
    // French
    "qui",
    "que",
    "qu'est",
    "quoi",
    "quand",
    "où",
    "pourquoi",
    "comment",
    "combien",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "lequel",
    "laquelle",
    "lesquels",
    "lesquelles",
    // Spanish
    "qué",
    "quién",
    "quiénes",
    "cuándo",
    "dónde",
    "adónde",
    "cómo",
    "cuál",
    "cuáles",
    "cuánto",
    "cuánta",
    "cuántos",
    "cuántas",
    // German (`was` needs a German word after it, see [`german_was`])
    "wer",
    "wen",
    "wem",
    "wessen",
    "wann",
    "wo",
    "woher",
    "wohin",
    "warum",
    "wieso",
    "weshalb",
    "wie",
    "welche",
    "welcher",
    "welches",
    "welchen",
    "womit",
    "wozu",
    "worüber",
];

/// German pronouns and verbs that show a `Was` line is German.
const GERMAN_CUES: &[&str] = &[
    "du",
    "ihr",
    "sie",
    "man",
    "es",
    "er",
    "ist",
    "sind",
    "bist",
    "hast",
    "hat",
    "habt",
    "kannst",
    "kann",
    "machst",
    "macht",
    "gibt",
    "isst",
    "trinkst",
    "möchtest",
    "würdest",
    "wirst",
    "denkst",
    "hältst",
    "findest",
    "magst",
    "das",
    "dein",
    "deine",
];

/// Imperatives that set a task in French, Spanish and German.
const PROMPT_VERBS: &[&str] = &[
    // French (tu and vous forms)
    "décris",
    "décrivez",
    "explique",
    "expliquez",
    "raconte",
    "racontez",
    "comparez",
    "parle",
    "parlez",
    "présente",
    "présentez",
    "traduis",
    "traduisez",
    "justifie",
    "justifiez",
    "donne",
    "donnez",
    "cite",
    "citez",
    "nomme",
    "nommez",
    // Spanish (`describe`, `compare` are English too)
    "describa",
    "descríbeme",
    "explica",
    "explícame",
    "compara",
    "habla",
    "háblame",
    "hable",
    "cuéntame",
    "traduce",
    "justifica",
    "menciona",
    "nombra",
    // German
    "beschreibe",
    "beschreib",
    "beschreiben",
    "erkläre",
    "erklär",
    "erklären",
    "erzähle",
    "erzähl",
    "erzählen",
    "vergleiche",
    "vergleichen",
    "nenne",
    "nennen",
    "begründe",
    "begründen",
    "übersetze",
    "übersetzen",
    "schildere",
    "schildern",
    "gib",
];

/// Longest line, in words, that asks without a `?`.
const MAX_WORDS_WITHOUT_MARK: usize = 12;

/// A French, Spanish or German question: it opens with `¿`, or with a
/// question word and either has a `?` or reads like a bare prompt (at most
/// 12 words, not ending like a sentence: "Où habites-tu", "Wie kommst du
/// zur Schule"; "Quand il fait beau, je joue au foot." is an answer).
/// Spanish `Por qué` counts as one word.
///
/// `w` holds the line's first words, lowercased (three are enough), and
/// `count` says how many it has in all.
pub(super) fn is_interrogative(text: &str, w: &[String], count: usize) -> bool {
    if text.starts_with('¿') {
        return true;
    }
    let first = w.first().map(String::as_str).unwrap_or("");
    let second = w.get(1).map(String::as_str).unwrap_or("");
    let asks = INTERROGATIVES.contains(&first)
        || (first == "por" && second == "qué")
        || (first == "was" && german_was(w));
    if !asks || !text.starts_with(char::is_alphabetic) {
        return false;
    }
    let bare = count <= MAX_WORDS_WITHOUT_MARK && !text.trim_end().ends_with(['.', '!', ',', ';']);
    text.contains('?') || bare
}

/// `Was` opens a German question when a German pronoun or verb is among
/// the next two words ("Was machst du", "Was ist das").
fn german_was(w: &[String]) -> bool {
    w.iter()
        .skip(1)
        .take(2)
        .any(|word| GERMAN_CUES.contains(&word.as_str()))
}

/// The line opens with a French, Spanish or German task verb.
pub(super) fn is_prompt_verb(first: &str) -> bool {
    PROMPT_VERBS.contains(&first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    fn asks(text: &str) -> bool {
        let w = words(text);
        is_interrogative(text, &w, w.len())
    }

    #[test]
    fn questions_in_three_languages() {
        for q in [
            "Où habites-tu",
            "Qu'est-ce que tu as fait le week-end dernier",
            "Quand est-ce que tu te lèves ?",
            "Wie kommst du zur Schule",
            "Was machst du in deiner Freizeit",
            "¿Qué hiciste el verano pasado",
            "Por qué estudias español",
            "Cómo es tu mejor amigo",
        ] {
            assert!(asks(q), "{q}");
        }
    }

    #[test]
    fn answers_that_start_with_question_words() {
        for a in [
            "Quand il fait beau, je joue au foot.",
            "Como es mi cumpleaños, vamos al cine",
            "Cuando tengo tiempo leo",
            "Was signed in 1950",
            "Wie ein Hund, sagt meine Mutter.",
            "Was it worth it",
        ] {
            assert!(!asks(a), "{a}");
        }
        assert!(is_prompt_verb("beschreibe"));
        assert!(!is_prompt_verb("describes"));
    }
}
