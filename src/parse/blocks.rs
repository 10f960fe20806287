//! The `blocks` syntax: cards separated by blank lines.
//!
//! ```text
//! Cold War Flashcards
//!
//! Define détente
//! a relaxation of tension
//! - SALT I, 1972
//!
//! (Context)
//! When was NATO founded?
//! 1949
//! ```
//!
//! In each block (a run of non-blank lines) leading `(Label)` lines are
//! section markers; of the rest, the first line is the question (a
//! numbering like `1)` dropped) and the others are the answer, markers
//! kept. A first block of a single line is the deck title; so is the first
//! line of a first block that does not ask while the other blocks do
//! (`blocks-title-block`; its other lines are `orphan-line` findings). A
//! one-line block that reads as a sentence or code (`int* p = &x;`) is the
//! previous card's answer, detached by a stray blank line
//! (`blocks-detached-answer`); any other one-line block is a card with an
//! empty answer (the `empty-answer` lint reports it). `#` has no meaning
//! here.

use crate::diagnostic::{Diagnostic, Level};
use crate::model::Deck;
use crate::source::{Line, SourceFile};

use super::notes::{is_question_line, is_title_like, numbering_prefix};
use super::qa::{section_label, title_name};
use super::{trimmed, DeckBuilder};

/// Share of the other blocks that must open with a question for a first
/// block that does not to be the title block.
const TITLE_BLOCK_SHARE: f64 = 0.8;

pub fn parse(src: &SourceFile) -> (Deck, Vec<Diagnostic>) {
    parse_in_parts(src, PARTS_FROM, crate::lint::cores())
}

/// Sources with this many blocks or more are parsed in two parts, on two
/// threads ([`parse_in_parts`]). At 100,000 cards two parts saved 6 ms of
/// 46 but left up to 6 MB more memory at the peak in one run in three
/// (the second thread's allocations); at a million they save 75 ms at
/// the same peak.
const PARTS_FROM: usize = 200_000;

/// [`parse`], in two parts on two threads when there are `cores` of them,
/// the source has `from` blocks or more, and a block near the middle starts a card as the
/// parser would read it from any state: not a section marker, and not an
/// answer line detached from the card before. Then what the first part
/// leaves open (the card a detached answer joins, the section) matters
/// to the second part only through the section, which
/// [`DeckBuilder::append`] gives its first cards. The cards, lines and
/// findings are those one thread makes.
fn parse_in_parts(src: &SourceFile, from: usize, cores: usize) -> (Deck, Vec<Diagnostic>) {
    let all = blocks(src);
    let title_block = is_title_block(src, &all);
    let split = (all.len() >= from && cores > 1)
        .then(|| all.get(all.len() / 2..))
        .flatten()
        .and_then(|back| back.iter().position(|&b| starts_a_card(src, b)))
        .map(|at| all.len() / 2 + at)
        .filter(|&at| at > 0);
    let mut b = DeckBuilder::new(src);
    let Some(split) = split else {
        // Every block but a title makes at most one card.
        b.reserve_cards(all.len());
        read_blocks(&mut b, &all, 0, title_block);
        return b.finish();
    };
    let (front, back) = all.split_at(split);
    let part = std::thread::scope(|s| {
        let part = s.spawn(|| {
            let mut part = DeckBuilder::new(src);
            part.reserve_cards(back.len());
            read_blocks(&mut part, back, split, title_block);
            part.indent_cards();
            part
        });
        b.reserve_cards(all.len());
        read_blocks(&mut b, front, 0, title_block);
        b.indent_cards();
        part.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
    });
    b.append(part);
    b.finish()
}

/// Whether `block` starts a card whatever came before it: its first line
/// is neither a section marker nor an answer line detached from the card
/// before (see [`is_detached_answer`]).
fn starts_a_card(src: &SourceFile, block: Block) -> bool {
    let head = src.line(block.start).text.trim();
    section_label(head).is_none() && !is_detached_answer(head, block.len() - 1, true)
}

/// Reads `blocks`, the first of which is block number `first` of the
/// source, into `b`.
fn read_blocks(b: &mut DeckBuilder<'_>, blocks: &[Block], first: usize, title_block: bool) {
    let src = b.src;
    let mut block: Vec<Line<'_>> = Vec::new();
    for (i, &range) in blocks.iter().enumerate() {
        let first_block = first + i == 0;
        block.clear();
        block.extend(lines_of(src, range));
        if first_block && title_block {
            title_block_lines(b, &block);
            continue;
        }
        let mut rest = block.as_slice();
        while let Some((line, tail)) = rest.split_first() {
            let (text, span) = trimmed(line);
            match section_label(text) {
                Some(label) => b.section(line.number, label, span, "section-marker"),
                None => break,
            }
            rest = tail;
        }
        let Some((head, answer)) = rest.split_first() else {
            continue;
        };
        let (text, span) = trimmed(head);
        if first_block && answer.is_empty() && rest.len() == block.len() {
            b.title(head.number, title_name(text), span, "blocks-title");
        } else if is_detached_answer(text, answer.len(), rest.len() == block.len())
            && b.answer(head.number, text, span, "blocks-detached-answer")
        {
            // Recorded as the previous card's last answer line.
        } else {
            let prefix = numbering_prefix(text);
            let question = text.get(prefix..).unwrap_or(text);
            let span = span.sub(prefix, text.len());
            let card = b.question(head.number, question, span, "blocks-first-line");
            b.reserve_answer(card, answer.len());
            for line in answer {
                let (text, span) = trimmed(line);
                b.answer(line.number, text, span, "blocks-rest-of-block");
            }
        }
    }
}

/// A one-line block that cannot be a question: not one by the notes rules
/// and not heading-like (a sentence ending in `.`/`,`/`;`, or long).
fn is_detached_answer(text: &str, answer_lines: usize, no_labels: bool) -> bool {
    answer_lines == 0 && no_labels && !is_question_line(text) && !is_title_like(text)
}

/// The first block is a title block: two or more lines, its first line
/// heading-like and not a question, while most other blocks open with a
/// question (by the notes rules, numbering included).
fn is_title_block(src: &SourceFile, blocks: &[Block]) -> bool {
    let Some((&first, rest)) = blocks.split_first() else {
        return false;
    };
    let head = src.line(first.start).text.trim();
    if first.len() < 2 || rest.is_empty() || is_question_line(head) || !is_title_like(head) {
        return false;
    }
    if section_label(head).is_some() {
        return false;
    }
    // Detached answer lines are no cards: they do not vote.
    let (mut cards, mut asking) = (0usize, 0usize);
    for block in rest {
        let head = src.line(block.start).text.trim();
        if !is_detached_answer(head, block.len() - 1, true) {
            cards += 1;
            asking += usize::from(is_question_line(head));
        }
    }
    cards > 0 && asking as f64 >= TITLE_BLOCK_SHARE * cards as f64
}

/// The title block: its first line names the deck, the others (a subtitle,
/// instructions) belong to no card.
fn title_block_lines(b: &mut DeckBuilder<'_>, block: &[Line<'_>]) {
    let Some((head, others)) = block.split_first() else {
        return;
    };
    let (text, span) = trimmed(head);
    b.title(head.number, title_name(text), span, "blocks-title-block");
    for line in others {
        let d = Diagnostic::new(
            "orphan-line",
            Level::Warning,
            trimmed(line).1,
            "this line comes before the first card, so it belongs to no card",
        )
        .with_label("not part of any card")
        .with_help("delete it, or separate it from the title with a blank line if it is a card");
        b.diagnosed(line.number, "blocks-before-first-card", d);
    }
}

/// A run of non-blank lines: the 1-based numbers of its first line and of
/// the line after its last. Kept as numbers, not as lines, so that a big
/// source's blocks take eight bytes each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Block {
    start: usize,
    end: usize,
}

impl Block {
    /// How many lines the block has (at least one).
    fn len(self) -> usize {
        self.end - self.start
    }
}

/// The lines of `block`.
fn lines_of(src: &SourceFile, block: Block) -> impl Iterator<Item = Line<'_>> + '_ {
    (block.start..block.end).map(|n| src.line(n))
}

/// The source's runs of non-blank lines.
fn blocks(src: &SourceFile) -> Vec<Block> {
    let mut out = Vec::new();
    let mut start = None;
    for line in src.lines() {
        match (line.is_blank(), start) {
            (true, Some(s)) => {
                out.push(Block {
                    start: s,
                    end: line.number,
                });
                start = None;
            }
            (false, None) => start = Some(line.number),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Block {
            start: s,
            end: src.line_count() + 1,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    fn deck(text: &str) -> Deck {
        parse(&SourceFile::new("t.txt", text)).0
    }

    #[test]
    fn blocks_make_cards_and_titles() {
        let d = deck(
            "History Flashcards\n\nQ one\na\n- b\n\n\n(Sec)\nQ two\n# not a heading\n\nlonely\n",
        );
        assert_eq!(d.name, "History");
        let qs: Vec<_> = d.cards.iter().map(|c| &*c.question).collect();
        assert_eq!(qs, ["Q one", "Q two", "lonely"]);
        assert_eq!(d.cards[0].answer_text(), "a\n- b");
        assert_eq!(d.cards[1].answer_text(), "# not a heading");
        assert_eq!(d.cards[1].tags, ["Sec"]);
        assert_eq!(d.cards[2].tags, ["Sec"]);
        assert!(d.cards[2].answer.is_empty());
        assert_eq!(d.lines.get(7).unwrap().role, Role::Section(0));
    }

    #[test]
    fn title_blocks_detached_answers_and_numbering() {
        let d = deck(
            "French – speaking\nLearn these!\n\n1) Où habites-tu ?\nÀ Leeds.\n\n2) Quel âge as-tu ?\nJ’ai 15 ans.\n\nint* p = &x;\n",
        );
        assert_eq!(d.name, "French – speaking");
        assert_eq!(d.lines.get(1).unwrap().role, Role::Diagnosed);
        let qs: Vec<_> = d.cards.iter().map(|c| &*c.question).collect();
        assert_eq!(qs, ["Où habites-tu ?", "Quel âge as-tu ?"]);
        assert_eq!(d.cards[1].answer_text(), "J’ai 15 ans.\nint* p = &x;");
    }

    #[test]
    fn blocks_are_runs_of_non_blank_lines() {
        let b = |start, end| Block { start, end };
        let src = SourceFile::new("t.txt", "a\nb\n\n \t\nc\n\n\nd\r\ne");
        assert_eq!(blocks(&src), [b(1, 3), b(5, 6), b(8, 10)]);
        let lines: Vec<_> = lines_of(&src, b(8, 10)).map(|l| l.text).collect();
        assert_eq!(lines, ["d", "e"]);
        assert_eq!(blocks(&SourceFile::new("t.txt", "\n \n")), []);
        assert_eq!(blocks(&SourceFile::new("t.txt", "x\n")), [b(1, 2)]);
    }

    /// What a parse makes of a deck, for comparing: its cards, sections,
    /// title and each line's role.
    fn parts(d: &Deck) -> impl PartialEq + std::fmt::Debug + '_ {
        let lines: Vec<_> = d.lines.iter().collect();
        (&d.cards, &d.sections, &d.name, d.name_span, lines)
    }

    proptest::proptest! {
        /// Parsed in two parts, a source gives what one thread gives:
        /// the same cards (sections, tags and code indentation included),
        /// lines and findings.
        #[test]
        fn two_parts_read_as_one(
            blocks in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "(Context)", "(Key terms)", "What year?", "1) Who signed it?",
                        "Define détente", "an answer", "- a marked answer",
                        "It was signed in 1949.", "def f(x):", "    return x", "  indented",
                        "Cold War Flashcards", "x",
                    ]),
                    1..4,
                ),
                0..14,
            ),
            blank_runs in proptest::collection::vec(1usize..3, 14),
        ) {
            let mut text = String::new();
            for (block, blanks) in blocks.iter().zip(&blank_runs) {
                for line in block {
                    text.push_str(line);
                    text.push('\n');
                }
                text.push_str(&"\n".repeat(*blanks));
            }
            let src = SourceFile::new("t.txt", text.as_str());
            let (one, found_one) = parse_in_parts(&src, usize::MAX, 1);
            for from in [0, 1, 2] {
                let (two, found_two) = parse_in_parts(&src, from, 2);
                proptest::prop_assert_eq!(parts(&two), parts(&one));
                proptest::prop_assert_eq!(&found_two, &found_one);
            }
        }
    }

    #[test]
    fn a_big_source_splits_between_cards() {
        // A section open across the middle, and a detached answer at it.
        let mut text = String::from("Deck\n\n(Early)\n");
        for i in 0..6 {
            text.push_str(&format!("Question {i}?\nanswer {i}\n\n"));
        }
        text.push_str("Detached sentence here.\n\n(Late)\nLast?\nyes\n");
        let src = SourceFile::new("t.txt", text);
        let (one, _) = parse_in_parts(&src, usize::MAX, 1);
        let (two, _) = parse_in_parts(&src, 2, 2);
        assert_eq!(parts(&two), parts(&one));
        assert_eq!(one.cards[5].tags, ["Early"]);
        assert_eq!(
            one.cards[5].answer_text(),
            "answer 5\nDetached sentence here."
        );
        assert_eq!(one.cards[6].tags, ["Late"]);
    }

    #[test]
    fn a_section_alone_is_not_a_title() {
        let d = deck("(Sec)\n\nQ\nA\n");
        assert_eq!(d.name, "");
        assert_eq!(d.cards[0].tags, ["Sec"]);
    }
}
