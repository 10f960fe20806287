//! The `code-indentation` rule, shared by every syntax: parsers trim answer
//! lines (incidental indentation means nothing in notes), but inside code
//! indentation is meaning — `    return b` under `def larger(a, b):`.
//!
//! After parsing, each card's answer is scanned for code runs: a run opens
//! at a line that looks like the head of a code block (it ends in `:` and
//! starts with a keyword such as `def`, `for`, `if`, `while`, `class`, or
//! it ends in `{`), and holds the following answer lines indented deeper
//! than that head. Those lines get back their leading whitespace, counted
//! from the head's indentation. A line at the head's indentation or less
//! ends the run (unless it heads a new one, like `else:`). Normalization
//! keeps the leading whitespace of answer lines for the same reason.
//!
//! Only answer lines that are a whole source line trimmed are touched:
//! markdown fenced code is already kept verbatim, and fields of delimited
//! files have no indentation to restore.

use crate::model::Card;
use crate::source::SourceFile;
use crate::text::Text;

/// Words that open a block of code in common teaching languages (Python,
/// pseudocode, C-like languages, Rust).
const CODE_KEYWORDS: &[&str] = &[
    "def",
    "class",
    "for",
    "while",
    "if",
    "elif",
    "else",
    "try",
    "except",
    "finally",
    "with",
    "async",
    "fn",
    "function",
    "func",
    "match",
    "loop",
    "do",
    "switch",
    "case",
    "default",
    "struct",
    "enum",
    "impl",
    "trait",
    "public",
    "private",
    "protected",
    "static",
    "void",
    "int",
    "procedure",
    "repeat",
    "foreach",
    "begin",
];

/// True when `text` (trimmed) heads a block of code.
fn is_code_head(text: &str) -> bool {
    if text.ends_with('{') {
        return true;
    }
    let first = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == ':')
        .next()
        .unwrap_or("");
    text.ends_with(':') && CODE_KEYWORDS.contains(&first)
}

/// Gives code lines in answers back their indentation (see the module doc).
pub fn keep_code_indentation(src: &SourceFile, cards: &mut [Card]) {
    for card in cards {
        // The indentation (bytes) of the head of the open run.
        let mut head: Option<usize> = None;
        for answer in &mut card.answer {
            // Outside a run only a head matters; most lines are not one,
            // and finding a line's source costs a search of the line index.
            if head.is_none() && !is_code_head(&answer.text) {
                continue;
            }
            let line = src.line(src.line_of(answer.span.start));
            let trimmed = line.text.trim();
            if trimmed != &*answer.text || trimmed.is_empty() {
                continue;
            }
            let indent = line.text.len() - line.text.trim_start().len();
            match head {
                Some(base) if indent > base => {
                    let kept = line.text.get(base..).unwrap_or(trimmed).trim_end();
                    answer.span = line.span.sub(base, base + kept.len());
                    answer.text = Text::within(&src.text, kept);
                    continue;
                }
                _ => head = None,
            }
            if is_code_head(trimmed) {
                head = Some(indent);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::blocks;

    #[test]
    fn heads_of_code_blocks() {
        assert!(is_code_head("def larger(a, b):"));
        assert!(is_code_head("else:"));
        assert!(is_code_head("int main() {"));
        assert!(!is_code_head("A short way to build a list from a loop:"));
        assert!(!is_code_head("for example:x"));
    }

    #[test]
    fn code_keeps_its_indentation_and_prose_does_not() {
        let src = SourceFile::new(
            "t.txt",
            "Write max\n  def m(a, b):\n      if a > b:\n          return a\n      return b\n  Done.\n    indented prose\n",
        );
        let (deck, _) = blocks::parse(&src);
        let answer: Vec<&str> = deck.cards[0].answer.iter().map(|l| &*l.text).collect();
        assert_eq!(
            answer,
            [
                "def m(a, b):",
                "    if a > b:",
                "        return a",
                "    return b",
                "Done.",
                "indented prose"
            ]
        );
        assert_eq!(src.slice(deck.cards[0].answer[2].span), "        return a");
    }
}
